"""The lean HTTP/1.1 client: framing, keep-alive, failures as httpx's errors, against a scripted raw server."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from lingxi.models import upstream
from lingxi.models.http1 import ConnectionPool, Target

Reply = Callable[[bytes], bytes | None]  # a request's bytes -> what to send back (None: close at once)


@asynccontextmanager
async def server(reply: Reply, *, close_after: bool = False) -> AsyncIterator[tuple[str, list[bytes], list[int]]]:
    """A raw server on loopback: each request (head + Content-Length body) gets ``reply(request)``; yields the
    URL, the requests received and, per connection, how many requests it carried."""
    received: list[bytes] = []
    per_connection: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        per_connection.append(0)
        at = len(per_connection) - 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                request = head + await reader.readexactly(length)
                received.append(request)
                per_connection[at] += 1
                answer = reply(request)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    srv = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    async with srv:
        yield f"http://127.0.0.1:{port}/v1/chat/completions", received, per_connection


def plain(body: bytes, *extra: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\n" + b"".join(extra) + b"content-length: %d\r\n\r\n" % len(body) + body


async def call(pool: ConnectionPool, url: str, body: bytes = b"{}") -> tuple[int, dict[str, str], bytes]:
    response = await pool.send(Target("POST", url, {"Authorization": "Bearer k"}), body)
    return response.status, dict(response.headers), await response.aread()


def test_one_write_per_request_and_keep_alive_reuses_the_connection() -> None:
    async def main() -> None:
        async with server(lambda _: plain(b'{"ok": 1}', b"Retry-After: 3\r\n")) as (url, received, conns):
            pool = ConnectionPool()
            for _ in range(3):
                status, headers, body = await call(pool, url, b'{"q": "\xe4\xbd\xa0"}')
                assert (status, headers["retry-after"], body) == (200, "3", b'{"ok": 1}')
            assert conns == [3]  # one connection carried all three
            first = received[0]
            assert first.startswith(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:")
            assert b"\r\nAuthorization: Bearer k\r\n" in first and first.endswith(b'{"q": "\xe4\xbd\xa0"}')
            await pool.aclose()

    asyncio.run(main())


def test_chunked_close_delimited_and_gzip_bodies_are_read_whole() -> None:
    chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    zipped = gzip.compress(b"data: [DONE]\n\n")
    gz = b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: %d\r\n\r\n" % len(zipped) + zipped
    until_close = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nto the end"

    async def main() -> None:
        for answer, expected in ((chunked, b"hello world"), (gz, b"data: [DONE]\n\n"), (until_close, b"to the end")):
            async with server(lambda _, a=answer: a, close_after=answer is until_close) as (url, _, _):
                assert (await call(ConnectionPool(), url))[2] == expected

    asyncio.run(main())


def test_a_connection_cut_mid_body_is_a_protocol_error_and_is_not_reused() -> None:
    async def main() -> None:
        cut = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part"
        async with server(lambda _: cut, close_after=True) as (url, _, conns):
            pool = ConnectionPool()
            with pytest.raises(httpx.RemoteProtocolError):
                await call(pool, url)
            with pytest.raises(httpx.RemoteProtocolError):
                await call(pool, url)
            assert conns == [1, 1]

    asyncio.run(main())


def test_an_idle_connection_the_server_closed_is_replaced() -> None:
    async def main() -> None:
        async with server(lambda _: plain(b"ok"), close_after=True) as (url, _, conns):
            pool = ConnectionPool()
            assert (await call(pool, url))[2] == b"ok"
            await asyncio.sleep(0.05)  # the server's close arrives while the connection is idle
            assert (await call(pool, url))[2] == b"ok"
            assert conns == [1, 1]

    asyncio.run(main())


def test_a_response_given_up_half_read_closes_its_connection() -> None:
    async def main() -> None:
        stream = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n"  # never finishes
        async with server(lambda r: stream if b"stream" in r else plain(b"ok")) as (url, _, conns):
            pool = ConnectionPool()
            response = await pool.send(Target("POST", url, {}), b"stream")
            assert await anext(response.aiter_bytes()) == b"first"
            await response.aclose()
            assert (await call(pool, url))[2] == b"ok"
            assert conns == [1, 1]

    asyncio.run(main())


def test_failures_to_connect_are_httpx_errors_and_bad_headers_are_refused() -> None:
    async def main() -> None:
        with pytest.raises(httpx.ConnectError):
            await call(ConnectionPool(), "http://127.0.0.1:9/v1/chat/completions")

    asyncio.run(main())
    with pytest.raises(httpx.LocalProtocolError):
        Target("POST", "http://upstream.test/v1", {"Authorization": "Bearer k\r\nX-Injected: 1"})
    with pytest.raises(httpx.UnsupportedProtocol):
        Target("POST", "ftp://upstream.test/v1", {})


def test_the_pool_bounds_open_connections() -> None:
    async def main() -> None:
        async with server(lambda _: plain(b"ok")) as (url, _, conns):
            pool = ConnectionPool(max_connections=2)
            assert [r[2] for r in await asyncio.gather(*(call(pool, url) for _ in range(6)))] == [b"ok"] * 6
            assert len(conns) <= 2 and sum(conns) == 6

    asyncio.run(main())


def test_a_proxy_in_the_environment_leaves_the_call_to_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    assert upstream.lean_pool(5.0) is None
    monkeypatch.delenv("HTTPS_PROXY")
    monkeypatch.setenv("NO_PROXY", "localhost")  # a list of exceptions alone names no proxy
    assert upstream.lean_pool(5.0) is not None
