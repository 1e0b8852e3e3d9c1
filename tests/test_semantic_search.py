"""Semantic search switched on by configuration: ``[embeddings]`` in lingxi.toml, end to end.

Two real backends: an OpenAI-compatible ``/v1/embeddings`` server on loopback (declared on-device, as an
Ollama on the same machine would be) whose vectors are hashed character bigrams — crude, so these tests
check the wiring, not embedding quality — and the tiny random-weight GGUF through llama.cpp.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fake_openai import FakeOpenAI, Script
from gguf_fixture import write_random_qwen2_gguf
from lingxi import Lingxi
from lingxi.cli import app
from lingxi.context.sample import SAMPLE_NOW_MS
from lingxi.errors import InvalidInput
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app

NOW = SAMPLE_NOW_MS
PARCEL = {
    "type": "notification", "event_id": "n-parcel", "user_id": "u1", "ts": NOW - 3_600_000,
    "source_app": "顺丰速运", "title": "顺丰速运", "body": "您的包裹正在派送中，请保持电话畅通", "category": "delivery",
}  # fmt: skip


def _home(tmp_path: Path, toml: str) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / "lingxi.toml").write_text(toml, encoding="utf-8")
    return home


def _endpoint(fake: FakeOpenAI, locality: str) -> str:
    fake.scripts["bge-m3"] = Script()
    url = fake.base_url
    return f'[embeddings]\nbase_url = "{url}"\nmodel_id = "bge-m3"\ndimensions = 64\nlocality = "{locality}"\n' + (
        "min_similarity = 0.05\n"  # the fake's bigram vectors are crude: a low bar for "close"
    )


def test_a_configured_embedder_finds_events_by_meaning(tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        lx = Lingxi(_home(tmp_path, _endpoint(fake, "on_device")))
        assert lx.vectors is not None and lx.vectors.embedder.info.dimensions == 64
        lx.ingest([PARCEL])
        assert lx.vectors.pending("u1") == 1  # queued in the ingest transaction, embedded after it
        hits = lx.retriever.search("u1", "派送到哪了", now_ms=NOW)  # no word in common with the notification
        assert [h.event_id for h in hits] == ["n-parcel"] and hits[0].semantic > 0
        assert lx.vectors.pending("u1") == 0 and len(fake.received("bge-m3")) == 2  # the event, then the query


def test_events_stored_before_embeddings_were_configured_get_vectors(tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        home = _home(tmp_path, "")
        Lingxi(home).ingest([PARCEL])  # no embedder yet: keyword search only
        (home / "lingxi.toml").write_text(_endpoint(fake, "on_device"), encoding="utf-8")
        lx = Lingxi(home)
        assert lx.vectors is not None and lx.vectors.pending("u1") == 1  # queued when the index was opened
        assert [h.event_id for h in lx.retriever.search("u1", "派送到哪了", now_ms=NOW)] == ["n-parcel"]


def test_a_cloud_embedder_is_refused_at_start_up(tmp_path: Path) -> None:
    with FakeOpenAI() as fake, pytest.raises(InvalidInput) as err:
        Lingxi(_home(tmp_path, _endpoint(fake, "cloud")))
    assert "云端" in err.value.message_zh


def test_without_embeddings_nothing_changes(lx: Lingxi) -> None:
    assert lx.vectors is None and lx.retriever.vectors is None


def test_the_server_embeds_in_the_background(tmp_path: Path) -> None:
    gguf = write_random_qwen2_gguf(tmp_path / "tiny.gguf")
    lx = Lingxi(_home(tmp_path, f'[embeddings]\nmodel = "{gguf}"\nthreads = 2\n'))
    assert lx.vectors is not None and lx.vectors.embedder.info.locality == "on_device"
    with TestClient(create_app(lx)) as client:  # the lifespan starts the drain task
        assert client.post("/v1/events", json=[PARCEL]).status_code in (200, 201)
        deadline = time.monotonic() + 30
        while lx.vectors.pending() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lx.vectors.pending() == 0  # embedded by the server without any search asking for it
    assert lx.vectors.matrix("u1").ids == ["n-parcel"]


def test_the_assistant_searches_with_the_embedder_on_its_async_path(tmp_path: Path) -> None:
    with FakeOpenAI() as fake:
        lx = Lingxi(_home(tmp_path, _endpoint(fake, "on_device")))
        lx.consents.grant("u1", Scope.MESSAGES)
        text = "你的快件我帮你放在门卫室了"
        lx.ingest([{"type": "message", "event_id": "m-guard", "user_id": "u1", "ts": NOW - 3_600_000,
                    "source_app": "微信", "conversation_id": "c1", "conversation_name": "张伟", "sender": "张伟",
                    "direction": "in", "text": text}])  # fmt: skip
        # 「包裹」 is in no message as written, so the assistant goes on to search (exact matches come first)
        reply = lx.assistant.ask("u1", "有人说过包裹放在哪了吗", now_ms=NOW)
        sent = [r.body["input"] for r in fake.received("bge-m3")]
    assert reply.intent == "search" and reply.citations == ["m-guard"]
    queries = [x for batch in sent for x in batch if text not in x]
    assert queries and "包裹" in queries[-1]  # the question's words were embedded too, not only the event


def test_the_index_cli_reports_and_embeds_the_backlog(tmp_path: Path) -> None:
    runner = CliRunner()
    with FakeOpenAI() as fake:
        home = _home(tmp_path, "")
        Lingxi(home).ingest([PARCEL, {**PARCEL, "event_id": "n-2", "body": "您的快件已到驿站"}])
        off = runner.invoke(app, ["index", "status", "--home", str(home)])
        assert off.exit_code != 0 and isinstance(off.exception, InvalidInput)  # no embedder: a clear error
        (home / "lingxi.toml").write_text(_endpoint(fake, "on_device"), encoding="utf-8")
        before = runner.invoke(app, ["index", "status", "--home", str(home)])
        done = runner.invoke(app, ["index", "embed", "--home", str(home), "--batch", "1"])
        after = runner.invoke(app, ["index", "status", "--home", str(home)])
    assert "已建向量：0 条；待处理：2 条" in before.output
    assert done.exit_code == 0 and "已嵌入 2 条事件" in done.output
    assert "已建向量：2 条；待处理：0 条" in after.output
