"""The aiohttp upstream: framing, keep-alive, failures as httpx's errors, sessions closed, against a scripted raw
server on loopback."""

from __future__ import annotations

import asyncio
import gc
import gzip
import socket
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from lingxi.models import upstream
from lingxi.models.base import ChatRequest, Message, collect
from lingxi.models.providers import PROVIDERS
from lingxi.models.router import Router
from lingxi.models.upstream_aiohttp import AiohttpUpstream

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
        finally:  # a handler cancelled at the loop's end closes its socket too
            writer.close()

    srv = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    async with srv:
        yield f"http://127.0.0.1:{port}/v1/chat/completions", received, per_connection


def plain(body: bytes, *extra: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\n" + b"".join(extra) + b"content-length: %d\r\n\r\n" % len(body) + body


async def call(up: AiohttpUpstream, body: bytes = b"{}") -> tuple[int, dict[str, str], bytes]:
    response = await up.send(body, stream=False)
    return response.status, {k.lower(): v for k, v in response.headers.items()}, await response.aread()


def upstream_at(url: str, **options: float) -> AiohttpUpstream:
    headers = {"Authorization": "Bearer k", "Content-Type": "application/json"}
    return AiohttpUpstream(url, headers, **options)  # type: ignore[arg-type]


def test_keep_alive_reuses_the_connection_and_the_request_carries_its_headers_and_body() -> None:
    async def main() -> None:
        async with server(lambda _: plain(b'{"ok": 1}', b"Retry-After: 3\r\n")) as (url, received, conns):
            up = upstream_at(url)
            for _ in range(3):
                status, headers, body = await call(up, b'{"q": "\xe4\xbd\xa0"}')
                assert (status, headers["retry-after"], body) == (200, "3", b'{"ok": 1}')
            assert conns == [3]  # one connection carried all three
            first = received[0]
            assert first.startswith(b"POST /v1/chat/completions HTTP/1.1\r\n") and b"\r\nHost: 127.0.0.1:" in first
            assert b"\r\nAuthorization: Bearer k\r\n" in first and b"\r\nUser-Agent: lingxi\r\n" in first
            assert b"\r\nContent-Type: application/json\r\n" in first and b"octet-stream" not in first
            assert b"cookie" not in first.lower() and first.endswith(b'{"q": "\xe4\xbd\xa0"}')
            await up.aclose()

    asyncio.run(main())


def test_chunked_close_delimited_and_gzip_bodies_are_read_whole() -> None:
    chunked = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    zipped = gzip.compress(b"data: [DONE]\n\n")
    gz = b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: %d\r\n\r\n" % len(zipped) + zipped
    until_close = b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nto the end"

    async def main() -> None:
        for answer, expected in ((chunked, b"hello world"), (gz, b"data: [DONE]\n\n"), (until_close, b"to the end")):
            async with server(lambda _, a=answer: a, close_after=answer is until_close) as (url, _, _):
                up = upstream_at(url)
                assert (await call(up))[2] == expected
                await up.aclose()

    asyncio.run(main())


def test_a_connection_cut_mid_body_is_a_protocol_error_and_is_not_reused() -> None:
    async def main() -> None:
        cut = b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part"
        async with server(lambda _: cut, close_after=True) as (url, _, conns):
            up = upstream_at(url)
            with pytest.raises(httpx.RemoteProtocolError):
                await call(up)
            with pytest.raises(httpx.RemoteProtocolError):
                await call(up)
            assert conns == [1, 1]
            await up.aclose()

    asyncio.run(main())


def test_a_server_dying_mid_stream_is_a_protocol_error_after_what_had_arrived() -> None:
    async def main() -> None:
        dying = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n"  # then the socket closes
        async with server(lambda _: dying, close_after=True) as (url, _, _):
            up = upstream_at(url)
            response = await up.send(b"{}", stream=True)
            chunks = response.aiter_bytes()
            assert await anext(chunks) == b"first"
            with pytest.raises(httpx.RemoteProtocolError):
                await anext(chunks)
            await response.aclose()
            await up.aclose()

    asyncio.run(main())


def test_an_idle_connection_the_server_closed_is_replaced() -> None:
    async def main() -> None:
        async with server(lambda _: plain(b"ok"), close_after=True) as (url, _, conns):
            up = upstream_at(url)
            assert (await call(up))[2] == b"ok"
            await asyncio.sleep(0.05)  # the server's close arrives while the connection is idle
            assert (await call(up))[2] == b"ok"
            assert conns == [1, 1]
            await up.aclose()

    asyncio.run(main())


def test_a_response_given_up_half_read_closes_its_connection() -> None:
    async def main() -> None:
        stream = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n"  # never finishes
        async with server(lambda r: stream if r.endswith(b"stream") else plain(b"ok")) as (url, _, conns):
            up = upstream_at(url)
            response = await up.send(b"stream", stream=True)
            assert await anext(response.aiter_bytes()) == b"first"
            await response.aclose()
            assert (await call(up))[2] == b"ok"
            assert conns == [1, 1]
            await up.aclose()

    asyncio.run(main())


def test_failures_to_connect_are_httpx_errors_and_bad_headers_are_refused() -> None:
    async def main() -> None:
        up = upstream_at("http://127.0.0.1:9/v1/chat/completions")
        with pytest.raises(httpx.ConnectError):
            await call(up)
        await up.aclose()

    asyncio.run(main())
    with pytest.raises(httpx.LocalProtocolError):
        AiohttpUpstream("http://upstream.test/v1", {"Authorization": "Bearer k\r\nX-Injected: 1"})
    with pytest.raises(httpx.UnsupportedProtocol):
        AiohttpUpstream("ftp://upstream.test/v1", {})


def test_a_connect_that_takes_too_long_is_a_connect_timeout() -> None:
    """A listener whose accept queue is full drops new connection attempts, so connecting hangs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(4)]
        for filler in fillers:
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))

        async def main() -> None:
            up = upstream_at(f"http://127.0.0.1:{port}/v1/chat/completions", connect_s=0.2)
            with pytest.raises(httpx.ConnectTimeout):
                await call(up)
            await up.aclose()

        try:
            asyncio.run(main())
        finally:
            for filler in fillers:
                filler.close()


def test_the_pool_bounds_open_connections() -> None:
    async def main() -> None:
        async with server(lambda _: plain(b"ok")) as (url, _, conns):
            up = upstream_at(url, limit=2)
            assert [r[2] for r in await asyncio.gather(*(call(up) for _ in range(6)))] == [b"ok"] * 6
            assert len(conns) <= 2 and sum(conns) == 6
            await up.aclose()

    asyncio.run(main())


def test_a_session_left_open_is_closed_when_its_loop_ends() -> None:
    """A caller that runs one ``asyncio.run`` per request never closes the session itself: the loop's end does,
    so nothing is reported unclosed when it is collected."""
    reported: list[str] = []

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _, context: reported.append(context["message"]))
        async with server(lambda _: plain(b"ok")) as (url, _, conns):
            up = upstream_at(url)
            assert (await call(up))[2] == b"ok" and conns == [1]  # an idle keep-alive connection is left open

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(main())
        gc.collect()
    unclosed = [m for m in reported + [str(w.message) for w in caught] if "nclosed" in m]
    assert unclosed == []  # (the test server's own handler, cancelled by asyncio.run, may report its cancellation)

    asyncio.run(main())


def test_a_proxy_in_the_environment_leaves_the_call_to_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    assert upstream.proxy_named()
    monkeypatch.delenv("HTTPS_PROXY")
    monkeypatch.setenv("NO_PROXY", "localhost")  # a list of exceptions alone names no proxy
    assert not upstream.proxy_named()


def test_a_servers_shutdown_closes_the_cloud_models_sessions() -> None:
    """``Router.aclose`` (the app's lifespan end) closes each cloud model's session on the loop that opened it,
    so even a loop closed without ``asyncio.run``'s clean-up leaves nothing unclosed."""
    reported: list[str] = []
    answer = b'{"choices": [{"message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}'

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _, context: reported.append(context["message"]))
        async with server(lambda _: plain(answer)) as (url, _, conns):
            model = PROVIDERS["vllm"].build("m", base_url=url.removesuffix("/chat/completions"))
            request = ChatRequest(messages=[Message(role="user", content="hi")], stream=False)
            assert (await collect(model, request)).text == "ok" and conns == [1]
            await Router([model], default=model.info.name).aclose()

    loop = asyncio.new_event_loop()  # closed below without shutting down its async generators
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loop.run_until_complete(main())
        loop.close()
        gc.collect()
    assert [m for m in reported + [str(w.message) for w in caught] if "nclosed" in m] == []
