"""Rate limits (token buckets), daily token quotas, body size, request timeout and graceful shutdown."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from lingxi import Lingxi
from lingxi.server.app import create_app
from lingxi.server.keys import KeyStore, load_secret
from lingxi.server.limits import RateLimiter
from live_server import serve

CHAT = {"model": "lite/textrank", "messages": [{"role": "user", "content": "今天开会讨论预算。预算下周定稿。"}]}


def _lx(home: Path, server_toml: str) -> tuple[Lingxi, dict[str, str]]:
    home.mkdir(parents=True)
    (home / "lingxi.toml").write_text("[server]\n" + server_toml, encoding="utf-8")
    lx = Lingxi(home)
    _, key = KeyStore(lx.db, load_secret(lx.settings.home)).create("app", ["features", "events"])
    return lx, {"Authorization": f"Bearer {key}"}


def test_token_bucket_refills_at_its_rate() -> None:
    bucket = RateLimiter(rate=2.0, burst=3)
    assert [bucket.take("k", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("k", now=0.0) == 0.5  # one token comes back after 1/rate seconds
    assert bucket.take("other", now=0.0) == 0.0  # buckets are per key
    assert bucket.take("k", now=0.5) == 0.0 and bucket.take("k", now=0.5) > 0


def test_per_key_and_per_user_rate_limits(home: Path) -> None:
    lx, auth = _lx(home, "key_rate_per_s = 0.5\nkey_burst = 3\nuser_rate_per_s = 0.5\nuser_burst = 2\n")
    client = TestClient(create_app(lx))
    codes = [client.get("/v1/users/u1/consents", headers=auth).status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # the user's bucket (2) empties before the key's (3)
    limited = client.get("/v1/users/u1/consents", headers=auth)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["code"] == "rate_limited" and "频繁" in limited.json()["detail_zh"]
    assert client.get("/v1/models", headers=auth).status_code == 429  # now the key's bucket is empty too


def _usage_today(lx: Lingxi, subject: str) -> int:
    with lx.db.connect() as conn:
        row = conn.execute("SELECT tokens FROM usage_daily WHERE subject = ?", (subject,)).fetchone()
    return int(row["tokens"]) if row else 0


def test_daily_token_quota(home: Path) -> None:
    # an answer (the lite tier's no-model notice) uses ~364 tokens; each request first reserves its upper bound
    # (~1,160: the prompt's characters and the whole notice), so 2,000 lets a few through, then refuses
    lx, auth = _lx(home, "daily_tokens_per_app = 2000\n")
    client = TestClient(create_app(lx))
    used, answered = 0, 0
    for _ in range(30):
        r = client.post("/v1/chat/completions", json=CHAT, headers=auth)
        if r.status_code == 429:
            break
        assert r.status_code == 200
        used, answered = used + r.json()["usage"]["total_tokens"], answered + 1
    # several answers, then a refusal before the next one could pass the quota; the count is the real usage
    assert r.status_code == 429 and answered >= 2 and used <= 2000
    assert _usage_today(lx, "app:app") == used
    assert 0 < int(r.headers["Retry-After"]) <= 24 * 3600 and "用量" in r.json()["detail_zh"]


def test_daily_token_quota_holds_under_concurrent_requests(home: Path) -> None:
    """Concurrent requests all pass a "used < limit" check before any of them records its usage; the
    reservation made before generating is what keeps the total within the quota."""
    quota = 3000  # 24 answers would use ~8,700
    lx, auth = _lx(home, f"daily_tokens_per_app = {quota}\nkey_burst = 100\nuser_burst = 100\n")

    async def burst(base: str) -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=base, headers=auth, timeout=60) as client:
            return list(await asyncio.gather(*(client.post("/v1/chat/completions", json=CHAT) for _ in range(24))))

    with serve(create_app(lx)) as (base, _):
        responses = asyncio.run(burst(base))
    ok = [r for r in responses if r.status_code == 200]
    assert {r.status_code for r in responses} == {200, 429} and ok
    used = sum(r.json()["usage"]["total_tokens"] for r in ok)
    assert used <= quota and _usage_today(lx, "app:app") == used  # reservations were settled to the real usage


def test_body_size_limit_by_header_and_while_streaming(home: Path) -> None:
    lx, auth = _lx(home, "max_body_bytes = 2048\n")
    client = TestClient(create_app(lx))
    big = b"[" + b" " * 4096 + b"]"
    declared = client.post("/v1/events?user_id=u1", content=big, headers={**auth, "Content-Type": "application/json"})
    assert declared.status_code == 413 and declared.json()["code"] == "body_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold while reading
        yield b"["
        for _ in range(8):
            yield b" " * 512
        yield b"]"

    streamed = client.post(
        "/v1/events?user_id=u1", content=chunks(), headers={**auth, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413 and "请求体超过上限" in streamed.json()["detail_zh"]
    ok = client.post("/v1/events?user_id=u1", json=[], headers=auth)
    assert ok.status_code != 413


def test_request_timeout_is_504_but_streams_continue(home: Path) -> None:
    lx, auth = _lx(home, "request_timeout_s = 0.3\n")
    app = create_app(lx)

    async def slow() -> dict[str, str]:
        await asyncio.sleep(2)
        return {"late": "yes"}

    async def stream() -> StreamingResponse:
        async def gen() -> AsyncIterator[str]:
            for i in range(4):
                await asyncio.sleep(0.15)
                yield f"data: {i}\n\n"

        return StreamingResponse(gen(), media_type="text/event-stream")

    app.add_api_route("/v1/test/slow", slow)
    app.add_api_route("/v1/test/stream", stream)
    client = TestClient(app)
    r = client.get("/v1/test/slow", headers=auth)
    assert r.status_code == 504 and r.json()["code"] == "timeout" and "超时" in r.json()["detail_zh"]
    s = client.get("/v1/test/stream", headers=auth)  # 0.6 s in total, longer than the timeout
    assert s.status_code == 200 and s.text.count("data:") == 4


def test_graceful_shutdown_lets_a_stream_finish(lx: Lingxi) -> None:
    app = create_app(lx)

    async def slow_stream() -> StreamingResponse:
        async def gen() -> AsyncIterator[str]:
            for i in range(6):
                await asyncio.sleep(0.2)
                yield f"data: {i}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(gen(), media_type="text/event-stream")

    app.add_api_route("/v1/test/sse", slow_stream)
    lines = []
    with (
        serve(app, timeout_graceful_shutdown=10) as (url, server),
        httpx.stream("GET", f"{url}/v1/test/sse", timeout=20) as r,
    ):
        for line in r.iter_lines():
            if line and not lines:
                server.should_exit = True  # shutdown begins while the stream is in flight
            if line:
                lines.append(line)
    assert lines[-1] == "data: [DONE]" and len(lines) == 7
