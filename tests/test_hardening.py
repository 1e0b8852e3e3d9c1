"""The service under hostile or careless clients: no request stalls the others, malformed input gets a 4xx
problem (never a 500, never after a partial write), web pages cannot reach a keyless server by DNS
rebinding, responses carry security headers, slow clients are cut off, and no log line holds a user id."""

from __future__ import annotations

import asyncio
import http.client
import io
import json
import logging
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from lingxi import Lingxi
from lingxi.config import ServerSettings
from lingxi.context.events import Event
from lingxi.server.app import create_app
from lingxi.server.keys import KeyStore, load_secret
from lingxi.server.logs import JsonFormatter
from lingxi.server.openai_api import MAX_CONTENT_CHARS
from lingxi.server.slow_clients import guarded_h11, guarded_httptools
from lingxi.storage.sqlite import Database
from live_server import serve

EVENT = {
    "type": "message",
    "event_id": "m1",
    "user_id": "u1",
    "ts": 1_764_000_000_000,
    "source_app": "wechat",
    "conversation_id": "c1",
    "sender": "李雷",
    "direction": "in",
    "text": "周五下午三点开会",
}


def _chat(*contents: str) -> dict[str, object]:
    return {"model": "lite/textrank", "messages": [{"role": "user", "content": c} for c in contents]}


def _is_problem(r: httpx.Response, status: int | None = None) -> bool:
    return (
        (r.status_code == status if status else 400 <= r.status_code < 500)
        and r.headers["content-type"].startswith("application/problem+json")
        and bool(r.json().get("detail_zh"))
    )


# -- one request cannot stall the others ---------------------------------------------------------------------


MIXED = "我觉的他高兴的跑了,在见。天气好。"
LONG_REQUESTS = {
    "chat": ("/v1/chat/completions", _chat(*["名" * MAX_CONTENT_CHARS] * 8)),
    "proofread": ("/v1/features/writing/proofread", {"text": "名" * 20_000}),
    # every context check fires (typos, 的/地/得, 在/再, half-width marks): the work runs in the writing pool
    "proofread-mixed": ("/v1/features/writing/proofread", {"text": (MIXED * 1_200)[:20_000]}),
}


@pytest.mark.parametrize("kind", list(LONG_REQUESTS))
def test_a_long_message_does_not_stall_healthz(lx: Lingxi, kind: str) -> None:
    """While one client sends the longest texts allowed (single-character runs, jieba's worst case),
    /healthz keeps answering: the work runs off the event loop and in time linear in the text."""
    path, body = LONG_REQUESTS[kind]

    async def run(base: str) -> tuple[int, int]:
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            chat = asyncio.create_task(client.post(path, json=body))
            answered = 0
            while not chat.done():
                r = await client.get("/healthz")
                answered += r.status_code == 200 and not chat.done()
            return (await chat).status_code, answered

    # keep-alive far beyond the test: once in a CI run on a loaded machine (wave 9) a /healthz request got a
    # ReadError on a reused connection, the usual mark of uvicorn's 5 s idle timer closing it as the request was
    # on its way (libuv runs due timers before it reads the socket); what delayed the loop was not found. This
    # test's criterion is the answers counted below, not the keep-alive timer.
    with serve(create_app(lx), timeout_keep_alive=300) as (base, _):
        status, answered = asyncio.run(run(base))
    assert status == 200
    assert answered >= 3, f"/healthz answered {answered} times while the long request ran"


def test_over_the_limit_content_is_refused_with_a_problem(lx: Lingxi) -> None:
    client = TestClient(create_app(lx))
    r = client.post("/v1/chat/completions", json=_chat("名" * (MAX_CONTENT_CHARS + 1)))
    assert _is_problem(r, 400) and "messages.0.content" in r.json()["detail"]
    event = {**EVENT, "conversation_name": "名" * 80_000}
    r = client.post("/v1/events", json=event)
    assert _is_problem(r, 422) and "conversation_name" in r.json()["detail"]
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "maxLength" in json.dumps(schema["InMessage"])  # limits are documented in the schema


class WriterProbe:
    """A real ingest hook that, while preparing, checks another connection can take the write lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.others_could_write: list[bool] = []

    def prepare(self, events: Sequence[Event]) -> None:
        other = sqlite3.connect(self.path, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            self.others_could_write.append(True)
        except sqlite3.OperationalError:  # database is locked
            self.others_could_write.append(False)
        finally:
            other.close()

    def on_ingest(self, conn: sqlite3.Connection, events: Sequence[Event]) -> None: ...

    def on_delete(self, conn: sqlite3.Connection, user_id: str) -> None: ...


def test_events_are_tokenized_before_the_write_lock_is_taken(lx: Lingxi) -> None:
    probe = WriterProbe(lx.db.path)
    lx.events.hooks.insert(0, probe)
    long_name = "项目群" * 160  # the longest conversation name allowed
    lx.ingest([{**EVENT, "conversation_name": long_name}])
    assert probe.others_could_write == [True]  # hooks prepare (tokenize) while other writers can still write
    assert [h.event_id for h in lx.index.search("u1", ["开会"])] == ["m1"]  # and the index got the event


# -- malformed input: 4xx, never a 500, never after a partial write --------------------------------------------

_BIG = str(2**70)
MALFORMED: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/v1/users/u1/events?before=" + _BIG, {}),
    ("GET", "/v1/users/u1/events?before=-" + _BIG, {}),
    ("GET", "/v1/users/u1/profile?now_ms=" + _BIG, {}),
    ("GET", "/v1/features/shopping/recommendations?user_id=u1&now_ms=" + _BIG, {}),
    ("POST", "/v1/events", {"content": json.dumps({**EVENT, "ts": 2**70})}),
    ("POST", "/v1/events", {"content": json.dumps([{**EVENT, "event_id": "m2"}, {**EVENT, "ts": -(2**64)}])}),
    ("POST", "/v1/events", {"content": json.dumps({**EVENT, "type": "payment", "amount_fen": 2**64})}),
    ("POST", "/v1/events", {"content": json.dumps({**EVENT, "text": "\ud800"})}),
    ("POST", "/v1/events", {"content": "[" * 50_000 + "]" * 50_000}),
    ("POST", "/v1/events", {"content": json.dumps({**EVENT, "ts": "9999-12-31T23:59:59Z"})}),
    ("POST", "/v1/chat/completions", {"content": json.dumps(_chat("你好\udc00"))}),
    ("POST", "/v1/chat/completions", {"content": json.dumps({**_chat("你好"), "seed": 2**64})}),
    ("POST", "/v1/chat/completions", {"content": '{"model": "lite", "messages": ' + "[" * 50_000 + "]" * 50_000}),
    (
        "POST",
        "/v1/features/replies",
        {"content": json.dumps({"user_id": "u1", "conversation_id": "c1", "now": "9999-12-31T23:59:59Z"})},
    ),
    (
        "POST",
        "/v1/features/replies",
        {"content": json.dumps({"user_id": "u1", "conversation_id": "c1", "now": "0001-01-01T00:00:00Z"})},
    ),
]


@pytest.mark.parametrize(("method", "url", "kw"), MALFORMED, ids=[f"{m} {u[:40]}" for m, u, _ in MALFORMED])
def test_malformed_input_gets_a_4xx_problem_and_stores_nothing(
    sample: Lingxi, method: str, url: str, kw: dict[str, object]
) -> None:
    client = TestClient(create_app(sample))
    before = sample.events.count("u1")
    r = client.request(method, url, headers={"Content-Type": "application/json"}, **kw)  # type: ignore[arg-type]
    assert _is_problem(r), f"{r.status_code}: {r.text[:300]}"
    assert sample.events.count("u1") == before


@pytest.mark.parametrize("path", ["/healthz", "/v1/events?user_id=u1"])
def test_a_non_ascii_request_id_is_replaced_not_a_500(lx: Lingxi, path: str) -> None:
    client = TestClient(create_app(lx))
    headers = [(b"x-request-id", "请求-é".encode()), (b"content-type", b"application/json")]
    r = client.request("POST" if "events" in path else "GET", path, headers=headers, content=json.dumps(EVENT))
    assert r.status_code == 200 and r.headers["x-request-id"].isascii()


def test_an_unexpected_error_keeps_the_connection_alive(lx: Lingxi) -> None:
    app = create_app(lx)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with serve(app) as (base, _):
        conn = http.client.HTTPConnection(urlsplit(base).hostname or "", urlsplit(base).port, timeout=30)
        conn.request("GET", "/boom")
        first = conn.getresponse()
        assert first.status == 500 and first.getheader("content-type", "").startswith("application/problem+json")
        first.read()
        sock = conn.sock
        conn.request("GET", "/healthz")  # on the same connection: the 500 did not close it
        second = conn.getresponse()
        assert second.status == 200 and sock is not None and conn.sock is sock
        second.read()
        conn.close()


def test_a_storage_error_does_not_reveal_the_database_path(lx: Lingxi) -> None:
    client = TestClient(create_app(lx))
    lx.db.path.unlink()
    lx.db.path.mkdir()  # the database file is gone: no new connection can open it
    lx.db._local = threading.local()  # drop the connections cached before the failure
    r = client.get("/v1/users/u1/consents")
    assert _is_problem(r, 507) and str(lx.settings.home) not in r.text and "lingxi.db" not in r.text


# -- DNS rebinding and security headers ------------------------------------------------------------------------


def test_with_auth_off_only_loopback_hosts_and_origins_are_served(home: Path) -> None:
    home.mkdir()
    (home / "lingxi.toml").write_text('[server]\nallowed_hosts = ["lingxi.lan"]\n', encoding="utf-8")
    client = TestClient(create_app(Lingxi(home)))
    for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "lingxi.lan", "testserver"):
        assert client.get("/v1/users/u1/consents", headers={"Host": host}).status_code == 200, host
    rebound = client.get("/v1/users/u1/consents", headers={"Host": "attacker.example:8000"})
    assert _is_problem(rebound, 421) and rebound.json()["code"] == "host_not_allowed"
    cross = client.delete("/v1/users/u1", headers={"Host": "127.0.0.1:8000", "Origin": "http://attacker.example"})
    assert _is_problem(cross, 403)
    same = client.get("/v1/users/u1/consents", headers={"Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:8000"})
    assert same.status_code == 200


def test_with_auth_on_the_key_is_the_protection(lx: Lingxi) -> None:
    _, key = KeyStore(lx.db, load_secret(lx.settings.home)).create("app", ["features"])
    client = TestClient(create_app(lx))
    r = client.get("/v1/users/u1/consents", headers={"Host": "api.example.com", "Authorization": f"Bearer {key}"})
    assert r.status_code == 200  # behind a proxy any name may be used once keys are required


def test_security_headers_on_console_pages_and_api_responses(lx: Lingxi) -> None:
    client = TestClient(create_app(lx))
    page = client.get("/console/playground")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    for r in (page, client.get("/healthz"), client.get("/v1/nowhere")):
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
    assert client.get("/healthz").headers["content-security-policy"].startswith("default-src 'none'")


# -- slow clients ----------------------------------------------------------------------------------------------


def _closed_by_server(sock: socket.socket) -> bool:
    try:
        return sock.recv(1024) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True


@pytest.mark.parametrize("guarded", [guarded_h11, guarded_httptools], ids=["h11", "httptools"])
def test_a_client_trickling_its_headers_is_disconnected(lx: Lingxi, guarded: Callable[[float], type]) -> None:
    with serve(create_app(lx), http=guarded(1.0)) as (base, _):
        host, port = urlsplit(base).hostname, urlsplit(base).port
        with socket.create_connection((host, port), timeout=30) as sock:
            sock.settimeout(0.2)
            closed, sent = False, 0
            deadline = time.monotonic() + 30  # a loop bound, not an assertion on time
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            while not closed and time.monotonic() < deadline:
                try:
                    sock.sendall(b"X-Slow: %d\r\n" % sent)  # headers that never end
                    sent += 1
                    closed = _closed_by_server(sock)
                except TimeoutError:
                    continue
                except (ConnectionResetError, BrokenPipeError):
                    closed = True
            assert closed, "the server kept a connection whose headers never ended"
        with httpx.Client(base_url=base) as client:  # a normal client is still served
            assert client.get("/healthz").status_code == 200


def test_a_client_trickling_its_body_gets_408(home: Path) -> None:
    home.mkdir()
    (home / "lingxi.toml").write_text("[server]\nbody_timeout_s = 0.5\n", encoding="utf-8")
    with serve(create_app(Lingxi(home))) as (base, _):
        host, port = urlsplit(base).hostname, urlsplit(base).port
        with socket.create_connection((host, port), timeout=30) as sock:
            sock.sendall(
                b"POST /v1/events?user_id=u1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n{"
            )
            reply = sock.recv(65536)
    assert reply.startswith(b"HTTP/1.1 408") and b"application/problem+json" in reply


# -- logs ------------------------------------------------------------------------------------------------------


@pytest.fixture
def all_logs() -> Iterator[io.StringIO]:
    """Everything logged by lingxi, uvicorn and anything else during the test, as lingxi serve writes it."""
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("", "lingxi", "uvicorn", "uvicorn.error", "uvicorn.access")]
    handler.addFilter(lambda record: not record.name.startswith(("httpx", "httpcore")))  # the test's own client
    saved = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
        lg.propagate = False
    yield buf
    for lg, (level, propagate) in zip(loggers, saved, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)
        lg.propagate = propagate


def test_no_log_line_holds_a_user_id_or_query(sample: Lingxi, all_logs: io.StringIO) -> None:
    from lingxi.server.app import serve_config

    user, phone = "zhang-13812345678", "13812345678"
    app = create_app(sample)

    @app.get("/boom/{user_id}")
    def boom(user_id: str) -> None:
        raise ValueError(f"no such user {user_id}")  # a bug whose message quotes the user

    config = {k: v for k, v in serve_config(ServerSettings()).items() if k != "log_level"}
    with serve(app, **config) as (base, _), httpx.Client(base_url=base) as client:
        assert client.get(f"/v1/users/{user}/consents").status_code == 200
        assert client.get(f"/v1/users/{user}/events?type=message&secret={phone}").status_code == 200
        client.post("/v1/chat/completions", json=_chat(f"给{phone}打电话"), headers={"X-Lingxi-User": user})
        client.post(f"/v1/events?user_id={user}", json={**EVENT, "user_id": user})
        assert client.get(f"/boom/{user}").status_code == 500
    output = all_logs.getvalue()
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert any(r.get("route") == "/v1/users/{user_id}/consents" for r in records)  # requests are logged
    assert any("ValueError" in r.get("msg", "") for r in records)  # the bug is logged, by type and code
    for secret in (user, phone, "secret="):
        assert secret not in output


# -- WAL checkpoints -------------------------------------------------------------------------------------------


def _fill(db: Database, pages: int) -> None:
    with db.transaction() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS filler (blob BLOB)")
    for _ in range(pages // 2):  # a commit of ~2 pages each, as a turn's audit record is
        with db.transaction() as conn:
            conn.execute("INSERT INTO filler VALUES (randomblob(5000))")


def test_deferred_checkpoints_leave_the_wal_to_the_background_checkpoint(tmp_path: Path) -> None:
    """A server's commits never checkpoint (copy and fsync the WAL); ``checkpoint()`` does, later."""
    db = Database(tmp_path / "d.db")
    db.defer_checkpoints()
    _fill(db, 1_400)  # past SQLite's 1,000-page automatic checkpoint
    busy, log, done = db.checkpoint()
    assert busy == 0 and log > 1_000 and done == log  # nothing was checkpointed on commit; now all is
    plain = Database(tmp_path / "p.db")
    _fill(plain, 1_400)
    assert plain.checkpoint()[1] < 1_000  # without deferral a commit checkpointed on the way


def test_a_complete_checkpoint_starts_the_wal_over_itself(tmp_path: Path) -> None:
    """The WAL's rewind (and the fsync of its new header) happens in ``checkpoint()``, off the requests'
    commits; an idle database is not written to again."""
    db = Database(tmp_path / "d.db")
    db.defer_checkpoints()
    _fill(db, 40)
    busy, log, done = db.checkpoint()
    assert busy == 0 and log > 20 and done == log
    assert db.checkpoint()[1] == 1  # only the rewind's own page is in the WAL: it was started over
    assert db.checkpoint()[1] == 1  # and nothing more is written while no one commits
    with db.connect() as conn:  # nothing changed but where the WAL starts
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM filler").fetchone()[0] == 20
