"""The cloud tier against a real HTTP server on 127.0.0.1: streaming, quirks, tools, JSON, retries, timeouts.

One :class:`FakeOpenAI` serves the whole module; each test scripts its own model id, so what a test reads
back from ``fake.received(...)`` is its own traffic. Vendor presets are pointed at the fake with
``base_url=`` so their quirks are checked on the wire.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import openai
import pytest

from fake_openai import FakeOpenAI, Script
from lingxi.errors import MissingCredentials, ModelNotFound, ProviderError, ProviderTimeout
from lingxi.models.base import (
    ChatChunk,
    ChatRequest,
    ChatResult,
    Locality,
    Message,
    ModelKind,
    ResponseFormat,
    Tool,
    collect,
)
from lingxi.models.openai_compat import OpenAICompatModel, Quirks, RetryPolicy, Timeouts, retry_after_s
from lingxi.models.providers import PROVIDERS, resolve

FAST = RetryPolicy(backoff_base_s=0.05, backoff_max_s=0.1)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SCHEMA = {
    "type": "object",
    "properties": {"title": {"type": "string"}, "points": {"type": "array", "items": {"type": "string"}}},
    "required": ["title", "points"],
}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def vllm(fake: FakeOpenAI, model_id: str, script: Script, **kw: object) -> OpenAICompatModel:
    """A model on the keyless vLLM preset, pointed at the fake, with ``script`` as its behaviour."""
    fake.scripts[model_id] = script
    kw.setdefault("retry", FAST)
    return PROVIDERS["vllm"].build(model_id, base_url=fake.base_url, **kw)  # type: ignore[arg-type]


def ask(text: str = "你好", **kw: object) -> ChatRequest:
    return ChatRequest(messages=[Message(role="user", content=text)], **kw)  # type: ignore[arg-type]


def run(model: OpenAICompatModel, request: ChatRequest) -> ChatResult:
    return asyncio.run(collect(model, request))


def drain(model: OpenAICompatModel, request: ChatRequest) -> tuple[list[ChatChunk], ProviderError | None]:
    """Every chunk the model yielded, and the error that ended the stream (if one did)."""

    async def go() -> tuple[list[ChatChunk], ProviderError | None]:
        chunks: list[ChatChunk] = []
        try:
            async for chunk in model.stream(request):
                chunks.append(chunk)
        except ProviderError as exc:
            return chunks, exc
        return chunks, None

    return asyncio.run(go())


def test_streamed_text_joins_to_the_reply_and_usage_passes_through(fake: FakeOpenAI) -> None:
    reply = "明天上午十点开会，记得带上周报和项目进度表。"
    chunks, error = drain(vllm(fake, "stream", Script(reply=reply, chunks=5, usage=(21, 9))), ask())
    assert error is None
    # how many chunks carry the text depends on how the events were read off the socket (one chunk per read)
    assert 1 <= len([c for c in chunks if c.delta]) <= 5 and "".join(c.delta for c in chunks) == reply
    assert [c.finish_reason for c in chunks] == [None] * (len(chunks) - 1) + ["stop"]
    assert chunks[-1].usage is not None and (chunks[-1].usage.prompt_tokens, chunks[-1].usage.completion_tokens) == (
        21,
        9,
    )


def test_events_read_together_reach_the_caller_as_one_chunk() -> None:
    """The deltas of one network read are one chunk (the stages after the model run once per read); a bad
    event still ends the stream after the good text before it."""

    def sse(*deltas: str, tail: bytes = b"") -> bytes:
        events = [{"choices": [{"index": 0, "delta": {"content": d}, "finish_reason": None}]} for d in deltas]
        return b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events) + tail

    def model(body: bytes) -> OpenAICompatModel:
        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        return PROVIDERS["vllm"].build("together", base_url="http://upstream.test/v1", http_client=client)

    chunks, error = drain(model(sse("一", "二", "三", tail=b"data: [DONE]\n\n")), ask())
    assert error is None and [c.delta for c in chunks] == ["一二三", ""] and chunks[-1].finish_reason == "stop"
    chunks, error = drain(model(sse("一", "二", tail=b"data: {not json\n\n")), ask())
    assert [c.delta for c in chunks] == ["一二"] and error is not None and "mid-stream" in error.message


def test_request_carries_the_key_the_parameters_and_the_preset_quirks(
    fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-dash-test")
    fake.scripts["qwen3-235b-a22b"] = Script(reply="好的")
    model = PROVIDERS["dashscope"].build("qwen3-235b-a22b", base_url=fake.base_url)
    text = "请给[人名_1]回电话，号码是[手机号_1]。"
    result = run(model, ask(text, max_tokens=64, temperature=0.2, seed=7, stop=["。"]))
    assert result.text == "好的" and result.model == "dashscope/qwen3-235b-a22b"
    sent = fake.received("qwen3-235b-a22b")[-1]
    assert sent.headers["authorization"] == "Bearer sk-dash-test"
    body = sent.body
    assert body["enable_thinking"] is False  # the Qwen3 quirk, from the preset table
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert (body["max_tokens"], body["temperature"], body["seed"], body["stop"]) == (64, 0.2, 7, ["。"])
    assert body["messages"] == [{"role": "user", "content": text}]  # placeholders leave as they are
    assert "tools" not in body and "response_format" not in body and "task" not in body


def test_json_object_only_vendor_gets_json_mode_and_no_seed(fake: FakeOpenAI) -> None:
    fake.scripts["glm-4-flash"] = Script(reply='{"title": "周报", "points": []}')
    model = PROVIDERS["zhipu"].build("glm-4-flash", base_url=fake.base_url, api_key="zhipu-test")
    fmt = ResponseFormat(type="json_schema", json_schema=SCHEMA, name="summary")
    result = run(model, ask("总结", seed=1, response_format=fmt))
    assert json.loads(result.text)["title"] == "周报"
    body = fake.received("glm-4-flash")[-1].body
    assert body["response_format"] == {"type": "json_object"} and "seed" not in body


def test_json_schema_is_sent_and_the_json_answer_parses(fake: FakeOpenAI) -> None:
    answer = {"title": "会议安排", "points": ["周一十点评审", "提前读文档"]}
    model = vllm(fake, "json", Script(reply=json.dumps(answer, ensure_ascii=False), chunks=7))
    fmt = ResponseFormat(type="json_schema", json_schema=SCHEMA, name="summary")
    result = run(model, ask("总结会议", response_format=fmt))
    assert json.loads(result.text) == answer
    sent = fake.received("json")[-1].body["response_format"]
    assert sent == {"type": "json_schema", "json_schema": {"name": "summary", "schema": SCHEMA}}


def test_tool_call_fragments_become_one_whole_call(fake: FakeOpenAI) -> None:
    arguments = {"time": "07:30", "label": "起床"}
    model = vllm(fake, "tools", Script(reply="", chunks=4, tool_call=("set_alarm", arguments)))
    tool = Tool(name="set_alarm", description="设置闹钟", parameters={"type": "object", "properties": {}})
    chunks, error = drain(model, ask("明早七点半叫我", tools=[tool]))
    assert error is None and all(not c.tool_calls for c in chunks[:-1])
    final = chunks[-1]
    assert final.finish_reason == "tool_calls" and len(final.tool_calls) == 1
    call = final.tool_calls[0]
    assert (call.id, call.name, json.loads(call.arguments)) == ("call_fake_1", "set_alarm", arguments)
    body = fake.received("tools")[-1].body
    assert body["tools"] == [tool.openai()] and body["tool_choice"] == "auto"
    run(model, ask("叫我", tools=[tool], tool_choice="set_alarm"))
    assert fake.received("tools")[-1].body["tool_choice"] == {"type": "function", "function": {"name": "set_alarm"}}


def test_reasoning_content_is_not_part_of_the_answer(fake: FakeOpenAI) -> None:
    model = vllm(fake, "thinker", Script(reasoning="用户问的是生命的意义，先想一想……", reply="答案是 42。"))
    assert run(model, ask("生命的意义？")).text == "答案是 42。"


def test_vendor_without_stream_usage_gets_no_stream_options_and_zero_usage(fake: FakeOpenAI) -> None:
    fake.scripts["no-usage"] = Script(reply="好")
    info = PROVIDERS["vllm"].build("no-usage").info
    model = OpenAICompatModel(info, base_url=fake.base_url, quirks=Quirks(supports_stream_usage=False))
    result = run(model, ask())
    assert result.text == "好" and result.usage.total_tokens == 0
    assert "stream_options" not in fake.received("no-usage")[-1].body


def test_429_waits_for_retry_after_then_succeeds(fake: FakeOpenAI) -> None:
    model = vllm(fake, "limited", Script(reply="终于轮到我了", fail_status=429, retry_after="1"))
    assert run(model, ask()).text == "终于轮到我了"
    first, second = fake.received("limited")
    assert second.at - first.at >= 0.95  # it waited as told (a lower bound: no load can make it shorter)


def test_retry_after_beyond_the_cap_gives_up_at_once(fake: FakeOpenAI) -> None:
    model = vllm(fake, "long-pause", Script(fail_status=429, retry_after="30"), retry=RetryPolicy(retry_after_max_s=5))
    chunks, error = drain(model, ask())
    assert not chunks and error is not None and error.retryable and error.retry_after_s == 30
    assert error.status_code == 429 and len(fake.received("long-pause")) == 1


def test_server_errors_are_retried_with_backoff(fake: FakeOpenAI) -> None:
    model = vllm(fake, "flaky", Script(reply="恢复了", fail_status=500, fail_times=2))
    assert run(model, ask()).text == "恢复了"
    assert len(fake.received("flaky")) == 3


def test_the_total_deadline_bounds_retries(fake: FakeOpenAI) -> None:
    model = vllm(fake, "down", Script(fail_status=503, fail_times=99, retry_after="1"), timeouts=Timeouts(total_s=0.5))
    _, error = drain(model, ask())
    assert error is not None and error.status_code == 503 and len(fake.received("down")) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(fake: FakeOpenAI, status: int) -> None:
    model_id = f"deepseek-{status}"
    if status != 404:  # an unscripted model id gets the fake's own OpenAI-style 404
        fake.scripts[model_id] = Script(fail_status=status, fail_times=99)
    model = PROVIDERS["deepseek"].build(model_id, base_url=fake.base_url, api_key="sk-bad", retry=FAST)
    _, error = drain(model, ask())
    assert error is not None and not error.retryable and error.status_code == status
    assert not isinstance(error, ProviderTimeout) and CHINESE.search(error.message_zh)
    assert len(fake.received(model_id)) == 1
    if status in (401, 403):
        assert "密钥" in error.message_zh and error.hint and "DEEPSEEK_API_KEY" in error.hint
    if status == 404:
        assert model_id in error.message_zh


def test_a_connection_cut_mid_stream_surfaces_after_the_chunks_and_is_not_resent(fake: FakeOpenAI) -> None:
    model = vllm(fake, "cut", Script(reply="一二三四五六", chunks=6, cut_after=2))
    chunks, error = drain(model, ask())
    assert "".join(c.delta for c in chunks) == "一二"
    assert error is not None and error.retryable and not isinstance(error, ProviderTimeout)
    assert len(fake.received("cut")) == 1


def test_a_malformed_chunk_mid_stream_is_a_provider_error_not_a_crash(fake: FakeOpenAI) -> None:
    model = vllm(fake, "garbled", Script(reply="一二三四", chunks=4, garbage_after=2))
    chunks, error = drain(model, ask())
    assert "".join(c.delta for c in chunks) == "一二"  # what arrived before it still reached the caller
    assert error is not None and error.retryable and "malformed" in error.message
    assert len(fake.received("garbled")) == 1  # text already delivered: never re-sent


def test_silence_between_chunks_is_a_timeout(fake: FakeOpenAI) -> None:
    model = vllm(fake, "stall", Script(reply="一二三", chunks=3, chunk_delay_s=3.0), timeouts=Timeouts(idle_s=1.0))
    chunks, error = drain(model, ask())
    # cut after the first chunk (the second comes 3 s later, beyond idle_s), and not retried; idle_s leaves the
    # first chunk a second to arrive on a loaded machine

    assert [c.delta for c in chunks] == ["一"] and isinstance(error, ProviderTimeout) and error.retryable
    assert len(fake.received("stall")) == 1


def test_a_slow_first_byte_is_retried_then_times_out(fake: FakeOpenAI) -> None:
    model = vllm(fake, "slow", Script(first_byte_delay_s=0.6), timeouts=Timeouts(idle_s=0.2))
    chunks, error = drain(model, ask())
    assert not chunks and isinstance(error, ProviderTimeout)
    assert len(fake.received("slow")) == 3  # nothing had been yielded, so the policy's two retries ran


def test_an_unreachable_endpoint_is_a_retryable_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    model = PROVIDERS["vllm"].build("x", base_url=f"http://127.0.0.1:{port}/v1", retry=RetryPolicy(max_retries=0))
    _, error = drain(model, ask())
    assert error is not None and error.retryable and error.status_code is None


def test_retry_after_header_forms() -> None:
    future = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert retry_after_s({"retry-after": "2"}) == 2.0
    assert 28 < (retry_after_s({"retry-after": future}) or 0) <= 30
    assert retry_after_s({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_s({"retry-after": "soon"}) is None and retry_after_s({}) is None


def test_a_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    with pytest.raises(MissingCredentials) as info:
        PROVIDERS["dashscope"].build("qwen-plus")
    assert "DASHSCOPE_API_KEY" in str(info.value) and "DASHSCOPE_API_KEY" in info.value.message_zh
    assert info.value.hint and "export DASHSCOPE_API_KEY=" in info.value.hint
    monkeypatch.delenv("LINGXI_VLLM_API_KEY", raising=False)
    assert PROVIDERS["vllm"].build("any-model").info.name == "vllm/any-model"  # self-hosted: no key needed


def test_resolve_names() -> None:
    assert resolve("dashscope/qwen-plus") == (PROVIDERS["dashscope"], "qwen-plus")
    assert resolve("vllm/Qwen/Qwen2.5-7B-Instruct") == (PROVIDERS["vllm"], "Qwen/Qwen2.5-7B-Instruct")
    for bad in ("nobody/model", "qwen-plus", "dashscope/"):
        with pytest.raises(ModelNotFound) as info:
            resolve(bad)
        assert (
            "dashscope" in str(info.value) and "deepseek" in str(info.value) and CHINESE.search(info.value.message_zh)
        )


def test_every_preset_builds_with_sane_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for provider in PROVIDERS.values():
        assert provider.models and provider.name_zh and provider.name_en
        if provider.key_required:
            assert provider.key_env and provider.base_url.startswith("https://")
        else:
            assert provider.base_url.startswith("http://127.0.0.1:")
        if provider.key_env:
            monkeypatch.setenv(provider.key_env, "sk-dummy")
        for preset in provider.models:
            model = provider.build(preset.id)
            assert model.info.name == f"{provider.id}/{preset.id}" and model.model_id == preset.id
            assert model.info.locality == Locality.CLOUD and model.info.kind == ModelKind.LLM
            assert model.info.context_length >= 8192
            assert 0 <= model.info.cost_input_per_1k_cny < 0.1 and 0 <= model.info.cost_output_per_1k_cny < 0.1
        unknown = provider.build("model-from-next-month")
        assert unknown.info.cost_input_per_1k_cny == 0 and "price unknown" in unknown.info.description


def test_fake_serves_plain_openai_clients(fake: FakeOpenAI) -> None:
    fake.scripts["plain"] = Script(reply="非流式回答", usage=(3, 4))
    fake.scripts["plain-tool"] = Script(reply="", tool_call=("open_app", {"app": "微信"}))
    client = openai.OpenAI(base_url=fake.base_url, api_key="k", max_retries=0)
    r = client.chat.completions.create(model="plain", messages=[{"role": "user", "content": "hi"}])
    assert r.choices[0].message.content == "非流式回答" and r.usage and r.usage.total_tokens == 7
    r = client.chat.completions.create(model="plain-tool", messages=[{"role": "user", "content": "hi"}])
    calls = r.choices[0].message.tool_calls or []
    assert r.choices[0].finish_reason == "tool_calls" and json.loads(calls[0].function.arguments) == {"app": "微信"}  # type: ignore[union-attr]
    assert {"plain", "plain-tool"} <= {m.id for m in client.models.list()}
