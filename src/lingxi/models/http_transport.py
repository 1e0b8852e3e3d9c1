"""An httpx transport that sends each upstream request in one socket write.

httpcore writes a request's head and its body separately: two ``send`` calls, two system calls and two
passes through anyio for every chat call, ~7 % of the gateway's CPU in a py-spy profile of
``benchmarks/bench_gateway.py`` (a loopback upstream, where the kernel's work for a send is the receiver's
too). This transport is httpx's own pool (:class:`httpcore.AsyncConnectionPool`) over a network backend
whose streams hold a request's first write until the next write or read, so head and body leave together.
Only public API is used (httpx's transport interface, httpcore's pool and network-backend interfaces): no
private attribute of either library.

What it does not do: proxies. :func:`transport` returns None when the environment names one, and the
caller then uses httpx's default transport, which honours them.
"""

from __future__ import annotations

import select
import socket
import ssl
import typing
import urllib.request
from collections.abc import AsyncIterator, Iterable

import httpcore
import httpx

__all__ = ["OneWriteTransport", "release", "transport"]

#: httpcore's exceptions and httpx's equivalents (httpx maps them the same way, in a private helper)
_ERRORS: dict[type[Exception], type[httpx.HTTPError]] = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.TimeoutException: httpx.TimeoutException,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.NetworkError: httpx.NetworkError,
    httpcore.ProxyError: httpx.ProxyError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.ProtocolError: httpx.ProtocolError,
}


def _mapped(exc: Exception) -> Exception:
    for cls in type(exc).__mro__:
        if (target := _ERRORS.get(cls)) is not None:
            return target(str(exc))
    return exc


#: what a finished response's ``stream`` becomes (see :func:`release`)
_SPENT = httpx.ByteStream(b"")


async def release(response: httpx.Response) -> None:
    """Close ``response`` and drop its stream: httpx's client wraps the stream in one that points back at the
    response, a cycle (with the request, the headers and the pool's stream) that only the collector could free,
    ~30 objects a call; without it the response is freed when the call ends. A body already read stays."""
    await response.aclose()
    response.stream = _SPENT


def transport(**pool: typing.Any) -> OneWriteTransport | None:
    """The one-write transport, or None when the environment names a proxy (httpx's default honours it)."""
    return None if urllib.request.getproxies() else OneWriteTransport(**pool)


class _OneWriteStream(httpcore.AsyncNetworkStream):
    """Holds the first write after a read (a request's head) until the next write (its body) or read."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._held: bytes | None = None
        self._hold_next = True
        self._info: dict[str, typing.Any] = {}

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self._hold_next:
            self._held, self._hold_next = buffer, False
            return
        if self._held is not None:
            buffer, self._held = self._held + buffer, None
        if buffer:
            await self._inner.write(buffer, timeout)

    async def _flush(self, timeout: float | None) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            await self._inner.write(held, timeout)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        await self._flush(timeout)
        self._hold_next = True
        return await self._inner.read(max_bytes, timeout)

    async def aclose(self) -> None:
        self._held = None
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        await self._flush(timeout)
        return _OneWriteStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> typing.Any:
        """The inner stream's answer, kept, except readability (asked of the kept socket each time): the pool
        checks every idle connection on every request, and anyio builds its whole attribute table for each
        question (~3 % of the gateway's CPU at 16 clients)."""
        if info == "is_readable":
            return _readable(self.get_extra_info("socket"))
        try:
            return self._info[info]
        except KeyError:
            value = self._info[info] = self._inner.get_extra_info(info)
            return value


def _readable(sock: socket.socket | None) -> bool:
    """Whether a read would return at once (data, or the end of a connection the server closed): httpcore's
    own test, as its anyio stream answers ``is_readable``; a socket without a descriptor counts as readable."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    if not hasattr(select, "poll"):  # pragma: no cover - Windows
        return bool(select.select([fd], [], [], 0)[0])
    poll = select.poll()
    poll.register(fd, select.POLLIN)
    return bool(poll.poll(0))


class _OneWriteBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _OneWriteStream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[typing.Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _OneWriteStream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _Body(httpx.AsyncByteStream):
    def __init__(self, stream: typing.AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except Exception as exc:
            if (mapped := _mapped(exc)) is exc:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        aclose = getattr(self._stream, "aclose", None)
        if aclose is not None:
            await aclose()


class OneWriteTransport(httpx.AsyncBaseTransport):
    """httpx's HTTP/1.1 connection pool, its requests sent in one write; ``pool`` goes to httpcore's pool
    (httpx's defaults: 100 connections, 20 kept alive for 5 s, certificates as httpx verifies them)."""

    def __init__(self, **pool: typing.Any) -> None:
        pool.setdefault("ssl_context", httpx.create_ssl_context())
        pool.setdefault("max_connections", 100)
        pool.setdefault("max_keepalive_connections", 20)
        pool.setdefault("keepalive_expiry", 5.0)
        self._pool = httpcore.AsyncConnectionPool(network_backend=_OneWriteBackend(), **pool)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw,
            content=typing.cast(typing.AsyncIterable[bytes], request.stream),
            extensions=request.extensions,
        )
        try:
            response = await self._pool.handle_async_request(core)
        except Exception as exc:
            if (mapped := _mapped(exc)) is exc:
                raise
            raise mapped from exc
        body = typing.cast(typing.AsyncIterable[bytes], response.stream)
        return httpx.Response(
            response.status, headers=response.headers, stream=_Body(body), extensions=response.extensions
        )

    async def aclose(self) -> None:
        await self._pool.aclose()
