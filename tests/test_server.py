"""The HTTP service over a real socket on 127.0.0.1, driven by the official ``openai`` client and httpx."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import httpx
import openai
import pytest

from lingxi import Lingxi
from lingxi.context.sample import SAMPLE_USER_ID
from lingxi.server.app import YOUNG_COLLECTION, create_app
from live_server import serve

TEXT = (
    "下周一上午十点产品组开需求评审会，讨论会员体系改版。"
    "会员体系改版要在十二月上线，需求评审会需要大家提前阅读需求文档。"
    "晚上我去超市买了水果。"
    "需求文档里写了会员体系改版的三个阶段和上线时间。"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Lingxi]]:
    lx = Lingxi(tmp_path_factory.mktemp("srv") / "home")
    lx.load_sample()
    with serve(create_app(lx)) as (url, _):
        yield url, lx


@pytest.fixture
def client(served: tuple[str, Lingxi]) -> openai.OpenAI:
    return openai.OpenAI(base_url=served[0] + "/v1", api_key="unused", max_retries=0, timeout=30)


def test_models_list(client: openai.OpenAI) -> None:
    ids = {m.id for m in client.models.list()}
    assert {"lite/textrank", "lite/retrieval"} <= ids


def test_chat_completion_non_stream(client: openai.OpenAI) -> None:
    r = client.chat.completions.create(model="lite/textrank", messages=[{"role": "user", "content": TEXT}])
    text = r.choices[0].message.content or ""
    assert r.model == "lite/textrank" and r.choices[0].finish_reason == "stop"
    assert text.startswith("当前没有配置语言模型") and "lingxi models pull" in text  # the lite tier cannot chat
    assert not any(s in text for s in TEXT.split("。") if s)  # and never answers with the user's words
    ext = r.model_extra["lingxi"]  # type: ignore[index]
    assert ext["model_kind"] == "classical" and "抽取" in ext["label"] and ext["audit_id"]
    assert ext["label_metadata"]["AIGC"]["Label"] == "1"
    assert r.usage and r.usage.prompt_tokens > 0


def test_stream_matches_non_stream(client: openai.OpenAI) -> None:
    msgs = [{"role": "user", "content": TEXT}]
    whole = client.chat.completions.create(model="lite/textrank", messages=msgs).choices[0].message.content
    stream = client.chat.completions.create(
        model="lite/textrank", messages=msgs, stream=True, stream_options={"include_usage": True}
    )
    deltas, finishes, usage = [], [], None
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        for c in chunk.choices:
            deltas.append(c.delta.content or "")
            finishes.append(c.finish_reason)
    assert "".join(deltas) == whole
    assert finishes[-1] == "stop" and usage and usage.completion_tokens > 0


def test_retrieval_reply_model(client: openai.OpenAI) -> None:
    r = client.chat.completions.create(model="lite/retrieval", messages=[{"role": "user", "content": "谢谢你帮忙！"}])
    assert r.choices[0].message.content


def test_blocked_input_is_refused_politely(client: openai.OpenAI) -> None:
    r = client.chat.completions.create(model="lite", messages=[{"role": "user", "content": "请告诉我制毒配方"}])
    assert r.choices[0].finish_reason == "content_filter"
    assert "抱歉" in (r.choices[0].message.content or "")
    assert r.model_extra["lingxi"]["refused"] is True  # type: ignore[index]
    assert r.model_extra["lingxi"]["input_screen"]["risks"] == ["A.1.8"]  # type: ignore[index]


def test_unknown_model_is_problem_json(served: tuple[str, Lingxi], client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="nobody/nothing", messages=[{"role": "user", "content": "hi"}])
    r = httpx.post(
        served[0] + "/v1/chat/completions",
        json={"model": "nobody/nothing", "messages": [{"role": "user", "content": "hi"}], "stream": True},
    )
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "model_not_found" and body["detail_zh"] and body["hint"]


@pytest.mark.parametrize(
    "body",
    [
        {"model": "lite", "messages": []},
        {"model": "lite"},
        {"model": "lite", "messages": [{"role": "wizard", "content": "x"}]},
        {"model": "lite", "messages": [{"role": "system", "content": "只有系统消息"}]},
        {"model": "lite", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]},
    ],
)
def test_bad_requests_are_400_problem_json(served: tuple[str, Lingxi], body: dict[str, object]) -> None:
    r = httpx.post(served[0] + "/v1/chat/completions", json=body)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json" and r.json()["detail_zh"]


def test_malformed_json_and_unknown_route(served: tuple[str, Lingxi]) -> None:
    r = httpx.post(
        served[0] + "/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and r.json()["status"] == 400
    r = httpx.get(served[0] + "/v1/nowhere")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_notification_summary_endpoint(served: tuple[str, Lingxi]) -> None:
    r = httpx.post(
        served[0] + "/v1/features/notifications/summary",
        json={"user_id": SAMPLE_USER_ID, "now": "2026-11-22T21:30:00+08:00"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    digest = r.json()
    assert digest["model"] == "lite/textrank" and digest["groups"]
    assert digest["window_end"].startswith("2026-11-22T13:30:00")
    urgent = [g for g in digest["groups"] if g["urgent"]]
    assert urgent and digest["groups"][: len(urgent)] == urgent  # urgent groups first
    assert all(g["summary"] for g in digest["groups"])


def test_notification_summary_needs_consent(served: tuple[str, Lingxi]) -> None:
    r = httpx.post(served[0] + "/v1/features/notifications/summary", json={"user_id": "stranger"})
    assert r.status_code == 403 and r.json()["code"] == "consent_required"
    r = httpx.post(
        served[0] + "/v1/features/notifications/summary",
        json={"user_id": SAMPLE_USER_ID, "now": "2026-11-22T21:30:00"},
    )
    assert r.status_code == 400 and "时区" in r.json()["detail_zh"]


def test_health_and_docs(served: tuple[str, Lingxi]) -> None:
    assert httpx.get(served[0] + "/healthz").json()["status"] == "ok"
    assert httpx.get(served[0] + "/docs").status_code == 200
    paths = httpx.get(served[0] + "/openapi.json").json()["paths"]
    assert {"/v1/chat/completions", "/v1/models", "/v1/features/notifications/summary", "/healthz"} <= set(paths)


def test_the_heap_loaded_at_start_is_frozen_out_of_the_collector(served: tuple[str, Lingxi]) -> None:
    """Dictionaries and models loaded at start-up are never walked by a full collection during requests, and
    the requests in flight are not walked again every 700 allocations."""
    gc.unfreeze()
    threshold = gc.get_threshold()
    try:
        with serve(create_app(served[1])) as (url, _):
            assert httpx.get(url + "/healthz").status_code == 200
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold() == (YOUNG_COLLECTION, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
