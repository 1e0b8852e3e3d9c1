"""A caller that waits for the whole answer gets it from the upstream as one JSON response, not a stream.

Through ``lingxi serve`` against a real OpenAI-compatible server on loopback: the upstream is asked for
``stream: false``, and everything the pipeline produces (the answer, its labels, the egress log, the audit
record) is what it was when the upstream streamed the same answer to the same non-streaming caller. The
whole answer is one chunk through the same stages, so restoring placeholders, fallback on a provider that
dies mid-answer and the on-device tier behave as before.
"""

from __future__ import annotations

import asyncio
import gc
import json
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fake_openai import FakeOpenAI, Script
from lingxi import Lingxi
from lingxi.errors import ProviderError
from lingxi.features.chat import Chat
from lingxi.models import upstream_aiohttp
from lingxi.models.base import ChatRequest, Message, Tool, collect
from lingxi.models.providers import PROVIDERS
from lingxi.pipeline import generation
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app
from live_server import serve

PII = "请把合同发到linxy@example.com，或打13800138000找我。"
#: the answer names the placeholder the redacted prompt carried: restoring it needs the whole path
REPLY = "好的，我会打[手机号_1]联系你，合同也会发到[邮箱_1]。"
WHOLE = "这是一个完整的回答。"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    scripts = {
        "echo": Script(reply=REPLY, chunks=6),
        "flaky": Script(reply="第一段内容，第二段内容。", chunks=4, cut_after=2),
        "backup": Script(reply="第一段内容，第二段内容。", chunks=3),
    }
    with FakeOpenAI(scripts) as server:
        yield server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, fake: FakeOpenAI) -> Iterator[tuple[str, Lingxi]]:
    home = tmp_path_factory.mktemp("whole") / "home"
    home.mkdir()
    (home / "lingxi.toml").write_text(
        f"""
default_model = "vllm/echo"

[providers.vllm]
base_url = "{fake.base_url}"
models = ["echo", "flaky", "backup"]

[[routing.rules]]
feature = "chat.flaky"
candidates = ["vllm/flaky", "vllm/backup"]
""",
        encoding="utf-8",
    )
    lx = Lingxi(home)
    for user in ("local", "u1"):  # PIPL Art. 23: what these users send may go to a cloud model
        lx.consents.grant(user, Scope.CLOUD_PROCESSING)
    with serve(create_app(lx)) as (url, _):
        yield url, lx


def _same_parts(answer: dict[str, Any], egress: Any, audit: dict[str, Any]) -> dict[str, Any]:
    """What must not change, without what names the request (its ids, times, and the label's MAC over them)."""
    meta = {k: v for k, v in answer["lingxi"].items() if k not in ("request_id", "audit_id", "label_metadata")}
    aigc = dict(answer["lingxi"]["label_metadata"]["AIGC"])
    assert aigc.pop("ProduceID") == aigc.pop("PropagateID") == answer["lingxi"]["request_id"]
    aigc["ReservedCode1"] = aigc["ReservedCode1"].split(";hmac=")[0]  # the content's hash stays
    body = {k: v for k, v in answer.items() if k not in ("id", "created", "lingxi")}
    record = {k: v for k, v in vars(egress).items() if k not in ("id", "ts", "request_id")}
    entry = {k: v for k, v in audit.items() if k not in ("id", "ts", "hash", "request_id", "egress_id")}
    assert audit.get("egress_id") == egress.id  # the audit record points at this request's egress record
    return {"answer": body, "meta": meta, "label": aigc, "egress": record, "audit": entry}


def test_a_non_stream_request_asks_the_upstream_for_a_whole_answer_with_the_same_result(
    served: tuple[str, Lingxi], fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, lx = served

    def ask() -> tuple[dict[str, Any], dict[str, Any]]:
        body = {"model": "vllm/echo", "messages": [{"role": "user", "content": PII}]}
        r = httpx.post(url + "/v1/chat/completions", json=body, timeout=60)
        r.raise_for_status()
        egress = lx.egress.for_user("local", limit=1)[0]
        audit = lx.audit.entries(limit=1)[0]
        assert egress.request_id == r.json()["lingxi"]["request_id"]
        return fake.received("echo")[-1].body, _same_parts(r.json(), egress, audit)

    sent, now = ask()
    assert sent["stream"] is False and "stream_options" not in sent
    assert "13800138000" not in json.dumps(sent, ensure_ascii=False)  # redacted before it left, as ever
    assert now["answer"]["choices"][0]["message"]["content"] == REPLY.replace("[手机号_1]", "13800138000").replace(
        "[邮箱_1]", "linxy@example.com"
    )
    assert now["meta"]["label"] and now["answer"]["usage"]["total_tokens"] == 15
    # before: the same non-streaming caller, the upstream asked for a stream (forced here)
    plain = ChatRequest
    monkeypatch.setattr(generation, "ChatRequest", lambda **kw: plain(**{**kw, "stream": True}))
    sent_before, before = ask()
    assert sent_before["stream"] is True and sent_before["messages"] == sent["messages"]
    assert now == before


def test_a_provider_dying_inside_a_whole_answer_falls_back(served: tuple[str, Lingxi], fake: FakeOpenAI) -> None:
    lx = served[1]
    turn = lx.turn(Chat(name="chat.flaky"), "u1", inputs={"messages": [Message(role="user", content="讲两段")]})
    answer = asyncio.run(lx.acomplete(turn))
    assert answer.text == "第一段内容，第二段内容。" and answer.model == "vllm/backup"
    assert [f.model for f in turn.fallbacks] == ["vllm/flaky"] and turn.fallbacks[0].after_chars == 0
    assert fake.received("flaky")[-1].body["stream"] is False and len(fake.received("flaky")) == 3  # retried
    assert lx.audit.entries(limit=1)[0]["fallbacks"] == ["vllm/flaky"]


def test_the_model_reads_a_whole_answer_as_one_chunk(fake: FakeOpenAI) -> None:
    fake.scripts["whole"] = Script(reply=WHOLE, reasoning="先想一想……", usage=(12, 4))
    fake.scripts["whole-tool"] = Script(reply="", tool_call=("set_alarm", {"time": "07:00"}))
    model = PROVIDERS["vllm"].build("whole", base_url=fake.base_url)
    request = ChatRequest(messages=[Message(role="user", content="你好")], stream=False)

    async def chunks(request: ChatRequest) -> list[Any]:
        return [c async for c in model.stream(request)]

    (only,) = asyncio.run(chunks(request))
    assert only.delta == WHOLE and only.finish_reason == "stop"  # the reasoning is not the answer
    assert only.usage is not None and (only.usage.prompt_tokens, only.usage.completion_tokens) == (12, 4)
    model = PROVIDERS["vllm"].build("whole-tool", base_url=fake.base_url)
    tool = Tool(name="set_alarm", parameters={"type": "object", "properties": {"time": {"type": "string"}}})
    result = asyncio.run(collect(model, request.model_copy(update={"tools": [tool]})))
    assert result.finish_reason == "tool_calls" and [(c.name, json.loads(c.arguments)) for c in result.tool_calls] == [
        ("set_alarm", {"time": "07:00"})
    ]
    assert fake.received("whole-tool")[-1].body["stream"] is False


@pytest.mark.parametrize(
    ("body", "what"),
    [(b'{"choices": 7}', "choices"), (b'{"choices": [{"message": "x"}]}', "malformed"), (b"{not json", "")],
)
def test_a_malformed_whole_answer_is_a_retryable_provider_error(body: bytes, what: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    model = PROVIDERS["vllm"].build("bad", base_url="http://upstream.test/v1", http_client=client)
    model.retry = model.retry.__class__(max_retries=0)
    request = ChatRequest(messages=[Message(role="user", content="你好")], stream=False)
    with pytest.raises(ProviderError) as caught:
        asyncio.run(collect(model, request))
    assert caught.value.retryable and what in caught.value.message


def test_an_error_body_with_a_2xx_status_is_the_providers_error(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"error": {"message": "overloaded"}})

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    model = PROVIDERS["vllm"].build("err", base_url="http://upstream.test/v1", http_client=client)
    model.retry = model.retry.__class__(max_retries=0)
    with pytest.raises(ProviderError, match="overloaded"):
        asyncio.run(collect(model, ChatRequest(messages=[Message(role="user", content="你好")], stream=False)))


def test_a_chat_call_sends_what_the_clients_build_request_would() -> None:
    """The request is made from headers merged once per client: the same request as httpx's ``build_request``
    makes (the client's default headers, the timeout); a cookie the upstream set is still sent."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        cookie = {"set-cookie": "lb=node-7; Path=/"} if len(seen) == 2 else {}
        return httpx.Response(200, json={"choices": [{"message": {"content": "好"}}]}, headers=cookie)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler), timeout=httpx.Timeout(7.0, connect=2.0))
    model = PROVIDERS["deepseek"].build("x", base_url="http://upstream.test/v1", api_key="sk-t", http_client=client)
    request = ChatRequest(messages=[Message(role="user", content="你好")], stream=False)
    headers = {"Authorization": "Bearer sk-t", "Content-Type": "application/json", "Accept": "application/json"}
    headers["X-Lingxi-Hop"] = "1"
    built: list[httpx.Request] = []

    async def three() -> None:
        await collect(model, request)
        built.append(client.build_request("POST", seen[0].url, content=seen[0].content, headers=headers))
        await collect(model, request)  # its answer sets a cookie
        await collect(model, request)

    asyncio.run(three())
    (expected,) = built
    first, second, third = seen
    for r in (first, second):
        assert (r.method, r.url, r.content, r.extensions) == (
            expected.method,
            expected.url,
            expected.content,
            expected.extensions,
        )
        assert r.headers.multi_items() == expected.headers.multi_items()
    assert third.headers["cookie"] == "lb=node-7" and "cookie" not in first.headers


def test_a_finished_turn_is_freed_without_the_collector(
    served: tuple[str, Lingxi], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither the turn (its egress-guarded candidate pointed back at it) nor the upstream response is left in
    a reference cycle: each request's objects go when it ends, instead of waiting for (and paying) the cyclic
    collector."""
    lx = served[1]
    turn = lx.turn(Chat(), "u1", inputs={"messages": [Message(role="user", content=PII)]})
    turn_ref, responses = weakref.ref(turn), weakref.WeakSet[Any]()
    made = upstream_aiohttp._Response.__init__
    calls: list[int] = []

    def watched(self: upstream_aiohttp._Response, response: Any) -> None:
        made(self, response)
        responses.add(self)
        responses.add(response)  # aiohttp's own response too
        calls.append(self.status)

    monkeypatch.setattr(upstream_aiohttp._Response, "__init__", watched)
    gc.collect()
    gc.disable()
    try:
        assert asyncio.run(lx.acomplete(turn)).model == "vllm/echo"
        assert turn_ref() is turn and calls == [200]  # the upstream was called, through aiohttp
        del turn
        assert turn_ref() is None and not responses
    finally:
        gc.enable()
