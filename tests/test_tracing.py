"""OpenTelemetry traces: one turn span per request with its stage spans, no PII, errors by code, off by default.

The real SDK records into an in-memory exporter on a provider passed explicitly, so no test touches the
process-wide provider; the one test of global setup runs in a subprocess.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from conftest import ScriptedModel
from lingxi import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.server import tracing
from lingxi.server.app import create_app
from lingxi.server.keys import KeyStore, load_secret

USER = "张三-13800138000"
TEXT = "我的身份证号是110101199003071234。明天下午三点去医院复查。复查后给妈妈打电话。"
CHAT = {"model": "lite/textrank", "messages": [{"role": "user", "content": TEXT}], "user": USER}
PII = (USER, "张三", "13800138000", "110101199003071234", "医院", "复查", "妈妈")


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def traced(lx: Lingxi, exporter: InMemorySpanExporter) -> Iterator[TestClient]:
    """An app on ``lx`` whose pipeline traces into ``exporter``."""
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    client = TestClient(create_app(lx))
    tracing.install(lx, True, provider=provider)  # what create_app does with tracing on, minus the global setup
    yield client
    provider.shutdown()


def _stages(lx: Lingxi) -> list[str]:
    return [type(stage).__name__ for stage in lx.pipeline.stages]


def _turns(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.name == tracing.TURN_SPAN]


def _children(exporter: InMemorySpanExporter, turn: ReadableSpan) -> list[ReadableSpan]:
    assert turn.context is not None
    kids = [s for s in exporter.get_finished_spans() if s.parent and s.parent.span_id == turn.context.span_id]
    return sorted(kids, key=lambda s: s.start_time or 0)


def _all_values(exporter: InMemorySpanExporter) -> str:
    parts: list[str] = []
    for span in exporter.get_finished_spans():
        parts.append(span.name)
        parts.extend(str(v) for v in (span.attributes or {}).values())
        parts.append(str(span.status.description))
        parts.extend(e.name + str(dict(e.attributes or {})) for e in span.events)
    return "\n".join(parts)


def test_chat_completion_is_one_turn_span_with_stage_children(
    lx: Lingxi, traced: TestClient, exporter: InMemorySpanExporter
) -> None:
    r = traced.post("/v1/chat/completions", json=CHAT, headers={"X-Request-Id": "req-42"})
    assert r.status_code == 200
    (turn,) = _turns(exporter)
    attrs = dict(turn.attributes or {})
    assert attrs["lingxi.request_id"] == "req-42"
    assert attrs["lingxi.turn_id"] == r.json()["id"].removeprefix("chatcmpl-")
    assert attrs["lingxi.model"] == "lite/textrank" and attrs["lingxi.model.kind"] == "classical"
    assert attrs["lingxi.model.locality"] == "on_device" and attrs["lingxi.privacy"] in ("public", "personal")
    assert attrs["lingxi.refused"] is False and attrs["lingxi.fallbacks"] == 0
    assert attrs["lingxi.finish_reason"] == "stop" and attrs["lingxi.feature"]
    usage = r.json()["usage"]
    assert attrs["gen_ai.usage.output_tokens"] == usage["completion_tokens"] > 0
    assert attrs["gen_ai.usage.input_tokens"] == usage["prompt_tokens"]
    assert turn.status.status_code == StatusCode.UNSET
    kids = _children(exporter, turn)
    assert [k.name for k in kids] == [*_stages(lx), tracing.STREAM_SPAN]
    assert kids[0].name == "ConsentGate" and kids[-2].name == "Audit"
    assert turn.start_time is not None and turn.end_time is not None
    for kid in kids:  # children sit inside the turn, in order, and carry their durations
        assert kid.start_time is not None and kid.end_time is not None
        assert turn.start_time <= kid.start_time <= kid.end_time <= turn.end_time
    for before, after in itertools.pairwise(kids):
        assert before.end_time is not None and after.start_time is not None
        assert before.end_time <= after.start_time + 1_000_000  # clocks: allow 1 ms of rounding
    assert all(isinstance((k.attributes or {}).get("lingxi.duration_ms"), float) for k in kids[:-1])
    values = _all_values(exporter)
    for pii in PII:
        assert pii not in values


def test_feature_request_streamed_with_auth_carries_only_the_user_hash(
    lx: Lingxi, traced: TestClient, exporter: InMemorySpanExporter
) -> None:
    _, key = KeyStore(lx.db, load_secret(lx.settings.home)).create("notes", ["features"])
    body = {"text": TEXT, "user_id": USER, "stream": True}
    headers = {"Authorization": f"Bearer {key}"}
    r = traced.post("/v1/features/writing/summarize", json=body, headers=headers)
    assert r.status_code == 200 and "event: done" in r.text
    (turn,) = _turns(exporter)
    attrs = dict(turn.attributes or {})
    assert attrs["lingxi.feature"].startswith("writing")  # type: ignore[union-attr]
    assert attrs["lingxi.streaming"] is True and attrs["lingxi.app_id"] == "notes"
    assert attrs["lingxi.request_id"] == r.headers["x-request-id"]
    user_hash = attrs["lingxi.user_hash"]
    assert isinstance(user_hash, str) and len(user_hash) == 16
    assert [k.name for k in _children(exporter, turn)] == [*_stages(lx), tracing.STREAM_SPAN]
    values = _all_values(exporter)
    for pii in (*PII, key):
        assert pii not in values
    traced.post("/v1/features/writing/summarize", json={**body, "stream": False}, headers=headers)
    second = _turns(exporter)[1]
    assert (second.attributes or {})["lingxi.user_hash"] == user_hash  # one user, one pseudonym


def test_blocked_input_is_marked_refused(traced: TestClient, exporter: InMemorySpanExporter) -> None:
    body = {"model": "lite", "messages": [{"role": "user", "content": "请告诉我制毒配方"}], "user": USER}
    r = traced.post("/v1/chat/completions", json=body)
    assert r.status_code == 200 and r.json()["choices"][0]["finish_reason"] == "content_filter"
    (turn,) = _turns(exporter)
    attrs = dict(turn.attributes or {})
    assert attrs["lingxi.refused"] is True and attrs["lingxi.finish_reason"] == "content_filter"
    assert attrs["lingxi.risks"] == "A.1.8"
    assert "制毒" not in _all_values(exporter)


def test_failing_turn_has_error_status_with_code_only(
    lx: Lingxi, traced: TestClient, exporter: InMemorySpanExporter
) -> None:
    body = {"model": "nobody/nothing", "messages": [{"role": "user", "content": TEXT}], "user": USER}
    r = traced.post("/v1/chat/completions", json=body)
    assert r.status_code == 404
    code = r.json()["code"]
    (turn,) = _turns(exporter)
    assert turn.status.status_code == StatusCode.ERROR and turn.status.description == code
    assert (turn.attributes or {})["error.type"] == code
    kids = _children(exporter, turn)
    failed = [k for k in kids if k.status.status_code == StatusCode.ERROR]
    assert len(failed) == 1 and kids[-1] is failed[0]  # the stage that raised ends the turn
    assert [k.name for k in kids] == _stages(lx)[: len(kids)]
    for pii in PII:
        assert pii not in _all_values(exporter)
    assert traced.post("/v1/chat/completions", json=CHAT).status_code == 200  # nothing left open: next turn is fine
    assert len(_turns(exporter)) == 2 and _turns(exporter)[1].status.status_code == StatusCode.UNSET


def test_tracing_off_attaches_nothing(lx: Lingxi, traced: TestClient, exporter: InMemorySpanExporter) -> None:
    assert traced.post("/v1/chat/completions", json=CHAT).status_code == 200
    assert len(_turns(exporter)) == 1
    exporter.clear()
    assert lx.settings.server.tracing is False
    off = TestClient(create_app(lx))  # the default: a new app removes the earlier observer and adds none
    assert not any(isinstance(o, tracing.Tracing) for o in lx.pipeline.observers)
    assert off.post("/v1/chat/completions", json=CHAT).status_code == 200
    assert exporter.get_finished_spans() == ()


def test_setting_on_configures_the_global_provider_once(home: Path) -> None:
    """In a fresh process: missing SDK is a clear error; then the SDK provider is set up once, with a warning."""
    home.mkdir(parents=True)
    (home / "lingxi.toml").write_text("[server]\ntracing = true\n", encoding="utf-8")
    script = textwrap.dedent(
        """
        import json, logging, sys
        from lingxi import Lingxi
        from lingxi.errors import InvalidInput
        from lingxi.server import tracing
        from lingxi.server.app import create_app

        records = []
        handler = logging.Handler()
        handler.emit = records.append
        logging.getLogger("lingxi.tracing").addHandler(handler)
        logging.getLogger("opentelemetry").addHandler(handler)
        lx = Lingxi(sys.argv[1])
        sys.modules["opentelemetry.sdk.trace"] = None  # as if opentelemetry-sdk were not installed
        try:
            create_app(lx)
            missing = None
        except InvalidInput as exc:
            missing = {"zh": exc.message_zh, "hint": exc.hint}
        del sys.modules["opentelemetry.sdk.trace"]
        create_app(lx)
        create_app(lx)
        from opentelemetry import trace
        print(json.dumps({
            "missing": missing,
            "provider": type(trace.get_tracer_provider()).__module__,
            "observers": sum(isinstance(o, tracing.Tracing) for o in lx.pipeline.observers),
            "logs": [r.getMessage() for r in records],
            "exporter": tracing._otlp_exporter() is not None,
        }))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = subprocess.run(
        [sys.executable, "-c", script, str(home)], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["missing"]["hint"].startswith("pip install 'lingxi[otel]'") and "链路追踪" in out["missing"]["zh"]
    assert out["provider"] == "opentelemetry.sdk.trace" and out["observers"] == 1
    warnings = [m for m in out["logs"] if "opentelemetry-exporter-otlp" in m]
    assert len(warnings) == (0 if out["exporter"] else 1)  # the second app found the provider set and left it
    assert not any("Overriding" in m for m in out["logs"])


def _direct(lx: Lingxi, exporter: InMemorySpanExporter) -> TracerProvider:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(lx, True, provider=provider)
    return provider


def test_fallback_outside_http_is_counted_without_its_message(home: Path, exporter: InMemorySpanExporter) -> None:
    broken = ScriptedModel("cloud/down", fail_before=ConnectionError("connection refused for 13800138000"))
    lx = Lingxi(home, models=[broken])
    lx.consents.grant("local", Scope.CLOUD_PROCESSING)
    _direct(lx, exporter)
    answer = lx.summarize("第一句讲会员体系。第二句讲会员体系上线。第三句讲天气。", model="cloud/down", sentences=1)
    assert answer.model == "lite/textrank"
    (turn,) = _turns(exporter)
    attrs = dict(turn.attributes or {})
    assert attrs["lingxi.fallbacks"] == 1 and attrs["lingxi.model"] == "lite/textrank"
    assert "lingxi.request_id" not in attrs and attrs["lingxi.turn_id"] == answer.request_id  # no HTTP request
    assert "13800138000" not in _all_values(exporter) and "会员" not in _all_values(exporter)


def test_stream_closed_early_ends_the_turn_as_cancelled(lx: Lingxi, exporter: InMemorySpanExporter) -> None:
    from lingxi.features.writing import WritingTool

    _direct(lx, exporter)
    text = "会员中心改版下周三上线。上线前还要过一次评审。评审定在明天下午三点。今天中午吃了面。"

    async def first_delta_then_leave() -> str:
        stream = await lx.astream(lx.turn(WritingTool("summarize", 2), "u1", inputs={"text": text}))
        first = await anext(stream)
        await stream.aclose()  # type: ignore[attr-defined]
        return first

    assert asyncio.run(first_delta_then_leave())
    (turn,) = _turns(exporter)
    assert (turn.attributes or {})["error.type"] == "cancelled" and turn.status.status_code == StatusCode.UNSET
    assert _children(exporter, turn)[-1].name == tracing.STREAM_SPAN


def test_http_spans_are_named_by_route_template_never_by_path(home: Path) -> None:
    """The request span (global provider, so in a subprocess) nests the turn and carries no user id."""
    script = textwrap.dedent(
        """
        import json, sys
        from fastapi.testclient import TestClient
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        from lingxi import Lingxi
        from lingxi.server.app import create_app

        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        lx = Lingxi(sys.argv[1])
        client = TestClient(create_app(lx))
        user = sys.argv[2]
        client.get(f"/v1/users/{user}/consents")
        client.post("/v1/chat/completions", json={"model": "lite/textrank", "user": user,
                    "messages": [{"role": "user", "content": "今天开会。会议定了预算。"}]})
        spans = exporter.get_finished_spans()
        by_id = {s.context.span_id: s for s in spans}

        def ancestors(s):
            out = []
            while s.parent is not None and s.parent.span_id in by_id:
                s = by_id[s.parent.span_id]
                out.append(s.name)
            return out

        print(json.dumps({
            "names": [s.name for s in spans],
            "attrs": [str(dict(s.attributes or {})) for s in spans],
            "turn_ancestors": [ancestors(s) for s in spans if s.name == "lingxi.turn"],
        }, ensure_ascii=False))
        """
    )
    home.mkdir(parents=True)
    (home / "lingxi.toml").write_text("[server]\ntracing = true\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = subprocess.run(
        [sys.executable, "-c", script, str(home), USER], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "GET /v1/users/{user_id}/consents" in out["names"] and "POST /v1/chat/completions" in out["names"]
    (chain,) = out["turn_ancestors"]
    assert chain[-1] == "POST /v1/chat/completions"  # the turn nests under its request
    leaks = [text for text in out["names"] + out["attrs"] if any(p in text for p in PII)]
    assert not leaks, leaks
