"""Three gateway workers (separate ``lingxi serve`` processes) sharing one PostgreSQL and one home directory.

What this shows, end to end over HTTP: a complaint filed on worker 1 is listed on worker 2 and moved on by
worker 3; 60 concurrent chat requests spread over the workers all land in the one audit chain, which still
verifies with no fork; events ingested through worker 1 are summarized by a feature on worker 2.

The workers share the home (as replicas on one host share a volume): consents, the search index and the
profile stay SQLite there (see docs/deploy.md, "what is shared where"); the key comes from
``LINGXI_MASTER_KEY``, as in the compose file. Auth is off (loopback, no API keys). Skipped, with the
reason, where PostgreSQL cannot be started.
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from lingxi import Lingxi
from lingxi.config import Settings
from lingxi.privacy.consent import Scope

pytest.importorskip("psycopg", reason="psycopg not installed (pip install 'lingxi[postgres]')")

from lingxi.compliance.pg_audit import PgAuditLog
from pg_server import postgres_or_skip

WORKERS = 3
USER = "scale-user"
NOW = "2026-11-22T21:30:00+08:00"
TS = int(datetime.fromisoformat(NOW).timestamp() * 1000) - 3_600_000  # an hour before NOW


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], Lingxi]]:
    """Base URLs of three running workers, and an in-process ``Lingxi`` on the same home and database."""
    with postgres_or_skip("lingxi_scaleout") as dsn:
        home = tmp_path_factory.mktemp("shared-home")
        env = {
            **os.environ,
            "LINGXI_HOME": str(home),
            "LINGXI_DATABASE_URL": dsn,
            "LINGXI_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
        }
        os.environ["LINGXI_MASTER_KEY"] = env["LINGXI_MASTER_KEY"]  # the in-process Lingxi must hold the same key
        try:
            # the deployment's one-off init step: migrate both databases and record the user's consent
            local = Lingxi(settings=Settings(home=home, database_url=dsn))
            local.consents.grant(USER, Scope.NOTIFICATIONS, source="test")
            ports = [_port() for _ in range(WORKERS)]
            cmd = [sys.executable, "-c", "from lingxi.cli import main; main()", "serve", "--host", "127.0.0.1"]
            procs = [
                subprocess.Popen([*cmd, "--port", str(p)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for p in ports
            ]
            try:
                urls = [f"http://127.0.0.1:{p}" for p in ports]
                deadline = time.monotonic() + 180  # a readiness wait, not a speed check: start-up is slow under load
                for url, proc in zip(urls, procs, strict=True):
                    while True:
                        if proc.poll() is not None:
                            pytest.fail(f"worker exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
                        try:
                            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                                break
                        except httpx.HTTPError:
                            pass
                        assert time.monotonic() < deadline, "workers did not start within 180 s"
                        time.sleep(0.2)
                yield urls, local
            finally:
                for proc in procs:
                    proc.terminate()
                for proc in procs:
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
        finally:
            os.environ.pop("LINGXI_MASTER_KEY", None)


def test_complaint_filed_on_one_worker_is_handled_on_the_others(cluster: tuple[list[str], Lingxi]) -> None:
    (w1, w2, w3), _ = cluster
    filed = httpx.post(f"{w1}/v1/complaints", json={"contact": "王女士", "category": "content", "text": "回答有误"})
    assert filed.status_code == 201, filed.text
    cid = filed.json()["id"]
    listed = httpx.get(f"{w2}/v1/complaints", params={"status": "received"})
    assert listed.status_code == 200, listed.text
    assert cid in [c["id"] for c in listed.json()["complaints"]]
    moved = httpx.patch(f"{w3}/v1/complaints/{cid}", json={"status": "processing", "note": "已转交审核"})
    assert moved.status_code == 200, moved.text
    seen = httpx.get(f"{w1}/v1/complaints/{cid}").json()
    assert seen["status"] == "processing" and [h["status"] for h in seen["history"]] == ["received", "processing"]


def test_concurrent_chats_on_all_workers_extend_one_audit_chain(cluster: tuple[list[str], Lingxi]) -> None:
    urls, local = cluster
    assert isinstance(local.audit, PgAuditLog)
    before = len(local.audit.export())

    def chat(i: int) -> int:
        body = {
            "model": "lite",
            "user": f"chat-{i}",
            "messages": [{"role": "user", "content": f"第{i}个问题：今天适合出门吗？"}],
        }
        return httpx.post(f"{urls[i % WORKERS]}/v1/chat/completions", json=body, timeout=30).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=12) as pool:
        codes = list(pool.map(chat, range(60)))
    elapsed = time.monotonic() - started
    assert codes == [200] * 60
    items = local.audit.export()
    assert len(items) - before == 60  # 20 per worker, every one recorded
    assert len({i["prev_hash"] for i in items}) == len(items)  # each record has its own predecessor: no fork
    assert local.audit.verify() == (True, None)
    print(f"60 concurrent chats over {WORKERS} workers: {elapsed:.2f} s")


def test_events_ingested_on_one_worker_feed_a_feature_on_another(cluster: tuple[list[str], Lingxi]) -> None:
    (w1, w2, _), local = cluster
    events = [
        {"type": "notification", "event_id": f"sc{i}", "user_id": USER, "ts": TS + i * 1000, "source_app": app,
         "title": app, "body": body}
        for i, (app, body) in enumerate([("招商银行", "您尾号1234的账户支出 86.00 元"), ("美团外卖", "您的外卖已送达"),
                                         ("招商银行", "信用卡账单已出，请于25日前还款")])
    ]  # fmt: skip
    stored = httpx.post(f"{w1}/v1/events", json=events)
    assert stored.status_code == 200 and stored.json()["added"] == 3, stored.text
    summary = httpx.post(f"{w2}/v1/features/notifications/summary", json={"user_id": USER, "now": NOW}, timeout=30)
    assert summary.status_code == 200, summary.text
    groups = {g["app"]: g for g in summary.json()["groups"]}
    assert set(groups) == {"招商银行", "美团外卖"} and groups["招商银行"]["count"] == 2
    assert local.events.count(USER) == {"notification": 3}
    # the worker-1 ingest also updated the shared home's search index (mirrored from the PostgreSQL ingest)
    hits = local.retriever.search(USER, "信用卡账单", now_ms=TS + 3_600_000)
    assert "sc2" in [h.event_id for h in hits]


def test_worker_logs_hold_no_database_password(tmp_path: Path) -> None:
    """A DSN with a password never appears in the error a worker prints when the database is down."""
    env = {
        **os.environ,
        "LINGXI_HOME": str(tmp_path),
        "LINGXI_DATABASE_URL": "postgresql://lingxi:s3cret-pw@127.0.0.1:1/lingxi",
    }
    done = subprocess.run(
        [sys.executable, "-c", "from lingxi.cli import main; main()", "serve", "--port", str(_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "无法连接 PostgreSQL" in done.stderr and "s3cret-pw" not in done.stderr + done.stdout


# -- the deployment files: what can be checked without Docker -------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="PyYAML not installed")
    doc = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _env_names_lingxi_reads() -> set[str]:
    """``LINGXI_*`` names spelled out in the source (the key, the home, debug, provider keys)."""
    names: set[str] = set()
    for path in (ROOT / "src" / "lingxi").rglob("*.py"):
        names |= set(re.findall(r"LINGXI_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    return names


def test_compose_env_is_what_settings_understand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    services = _compose()["services"]
    assert {"postgres", "gateway", "nginx", "vllm"} <= set(services)
    literal = _env_names_lingxi_reads()
    for name in ("gateway", "init"):
        env = services[name]["environment"]
        assert (
            env["LINGXI_DATABASE_URL"].startswith("postgresql://") and "@postgres:5432/" in env["LINGXI_DATABASE_URL"]
        )
        assert env["LINGXI_HOME"] == "/data" and "/data" in {v.split(":")[1] for v in services[name]["volumes"]}
        for var in env:
            assert var.startswith("LINGXI_"), var
            if var in literal:
                continue
            field = var.removeprefix("LINGXI_").lower()  # read through Settings.load's environment loop
            monkeypatch.setenv(var, "Asia/Shanghai" if field == "timezone" else "postgresql://x@h:5432/d")
            loaded = Settings.load(tmp_path)
            assert field in Settings.model_fields and getattr(loaded, field) == os.environ[var], var
            monkeypatch.delenv(var)
        assert "${LINGXI_MASTER_KEY:?" in env["LINGXI_MASTER_KEY"]  # compose refuses to start without a key
    gateway = services["gateway"]
    assert gateway["deploy"]["replicas"] >= 2 and gateway["command"][:2] == ["lingxi", "serve"]
    assert services["postgres"]["image"].startswith("postgres:16") and "healthcheck" in services["postgres"]
    assert services["gateway"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "server gateway:8000;" in _compose()["configs"]["nginx-conf"]["content"]


def test_compose_lingxi_toml_is_valid_and_names_the_vllm_model(tmp_path: Path) -> None:
    doc = _compose()
    vllm = doc["services"]["vllm"]["command"]
    served = vllm[vllm.index("--served-model-name") + 1]
    assert vllm[vllm.index("--tool-call-parser") + 1] == "hermes" and "--enable-auto-tool-choice" in vllm
    (tmp_path / "lingxi.toml").write_text(doc["configs"]["lingxi-toml"]["content"], encoding="utf-8")
    lx = Lingxi(tmp_path)  # Settings validates the block (extra keys are refused) and the registry builds it
    provider = lx.settings.providers["qwen-vllm"]
    assert provider.preset == "vllm" and provider.base_url == "http://vllm:8000/v1" and provider.models == [served]
    assert f"qwen-vllm/{served}" in [m.name for m in lx.models()]


def test_dockerfile_runs_an_existing_command() -> None:
    import typer.main

    from lingxi.cli import app

    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", text, re.M) and re.search(r"^USER (?!root)\w+", text, re.M)
    assert 'pip install ".[postgres]"' in text and "LINGXI_HOME=/data" in text and "/healthz" in text
    cmd = json.loads(re.findall(r"^CMD (\[.*\])$", text, re.M)[-1])
    assert cmd[:2] == ["lingxi", "serve"] and cmd[cmd.index("--host") + 1] == "0.0.0.0"
    commands: dict[str, Any] = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    serve = commands["serve"]
    options = {o for p in serve.params for o in getattr(p, "opts", [])}
    assert {"--host", "--port"} <= options
    from lingxi.cli.lazy import GROUPS  # command groups load when named

    assert {"models", "keys"} <= set(commands) | set(GROUPS)  # what compose's init step and the docs run
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", "master.key", "*.db"} <= set(ignored)  # no secrets or local data in the image
