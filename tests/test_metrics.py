"""Prometheus metrics per app, pipeline stage timings, JSON access logs without PII, /healthz and /readyz."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import ScriptedModel
from lingxi import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app
from lingxi.server.keys import KeyStore, load_secret
from lingxi.server.logs import ACCESS, JsonFormatter
from lingxi.server.metrics import Metrics

USER = "张三-13800138000"
TEXT = "我的身份证号是110101199003071234。明天下午三点去医院复查。复查后给妈妈打电话。"
CHAT = {"model": "lite/textrank", "messages": [{"role": "user", "content": TEXT}], "user": USER}


def _value(metrics: str, prefix: str) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines() if line.startswith(prefix))


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(JsonFormatter())
    ACCESS.addHandler(handler)
    old = ACCESS.level
    ACCESS.setLevel(logging.INFO)
    yield buf
    ACCESS.removeHandler(handler)
    ACCESS.setLevel(old)


def test_metrics_count_requests_stages_and_models(lx: Lingxi) -> None:
    client = TestClient(create_app(lx))
    assert client.post("/v1/chat/completions", json=CHAT).status_code == 200
    assert client.get("/v1/nowhere").status_code == 404
    text = client.get("/metrics").text
    assert _value(text, 'lingxi_http_requests_total{method="POST",route="/v1/chat/completions",status="200"}') == 1
    assert _value(text, 'lingxi_http_requests_total{method="GET",route="(unmatched)",status="404"}') == 1
    assert _value(text, 'lingxi_stage_seconds_count{stage="InputScreen"}') == 1
    assert _value(text, 'lingxi_model_ttft_seconds_count{model="lite/textrank"') == 1
    assert USER not in text and "13800138000" not in text
    other = TestClient(create_app(lx))  # a second app on the same home has its own registry
    assert _value(other.get("/metrics").text, "lingxi_http_requests_total") == 0
    create_app(lx)
    assert sum(isinstance(o, Metrics) for o in lx.pipeline.observers) == 1  # apps do not pile up observers


def test_metrics_need_admin_once_auth_is_on(lx: Lingxi) -> None:
    store = KeyStore(lx.db, load_secret(lx.settings.home))
    _, feat = store.create("app", ["features"])
    _, admin = store.create("ops", ["admin"])
    client = TestClient(create_app(lx))
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {feat}"}).status_code == 403
    for _ in range(3):
        client.get("/v1/users/u1/consents", headers={"Authorization": f"Bearer {feat}"})
    r = client.get("/metrics", headers={"Authorization": f"Bearer {admin}"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert _value(r.text, 'lingxi_http_requests_total{method="GET",route="/v1/users/{user_id}/consents"') == 3


def test_access_log_is_json_without_pii(lx: Lingxi, access_log: io.StringIO) -> None:
    _, key = KeyStore(lx.db, load_secret(lx.settings.home)).create("notes", ["features"])
    client = TestClient(create_app(lx))
    r = client.post(
        "/v1/chat/completions", json=CHAT, headers={"Authorization": f"Bearer {key}", "X-Request-Id": "req-123"}
    )
    assert r.status_code == 200 and r.headers["x-request-id"] == "req-123"
    client.get(f"/v1/users/{USER}/consents", headers={"Authorization": f"Bearer {key}"})
    output = access_log.getvalue()
    records = [json.loads(line) for line in output.splitlines()]
    chat = next(rec for rec in records if rec["route"] == "/v1/chat/completions")
    assert chat["request_id"] == "req-123" and chat["status"] == 200 and chat["app_id"] == "notes"
    assert chat["model"] == "lite/textrank" and chat["latency_ms"] > 0 and len(chat["user"]) == 16
    consents = next(rec for rec in records if rec["route"] == "/v1/users/{user_id}/consents")
    assert consents["user"] == chat["user"]  # one user, one pseudonym: correlatable without the id
    for pii in (USER, "13800138000", "110101199003071234", "医院", "复查", key, "张三"):
        assert pii not in output


def test_health_and_readiness(lx: Lingxi) -> None:
    client = TestClient(create_app(lx))
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["models"] >= 1
    lx.db.path.unlink()
    lx.db.path.mkdir()  # the database file is gone: no new connection can open it
    lx.db._local = threading.local()  # drop the connections cached before the failure
    broken = client.get("/readyz")
    assert broken.status_code == 503 and broken.json()["detail_zh"].startswith("服务尚未就绪")
    assert broken.headers["content-type"].startswith("application/problem+json")


def test_egress_bytes_are_counted_per_provider(home: Path) -> None:
    cloud = ScriptedModel("cloud-x", chunks=["好的"])  # a cloud model: what it is sent crosses the boundary
    lx = Lingxi(home, models=[cloud])
    lx.consents.grant(USER, Scope.CLOUD_PROCESSING)  # the user's text leaves only with this consent
    client = TestClient(create_app(lx))
    body = {**CHAT, "model": "cloud-x", "messages": [{"role": "user", "content": "给13800138000发短信说我晚点到"}]}
    assert client.post("/v1/chat/completions", json=body).status_code == 200
    sent = sum(r.bytes for r in lx.egress.for_user(USER))
    assert sent > 0
    assert _value(client.get("/metrics").text, 'lingxi_egress_bytes_total{provider="cloud-x"}') == sent
