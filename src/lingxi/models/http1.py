"""A lean HTTP/1.1 client for cloud chat calls: asyncio connections and httptools' response parser.

Why not httpx for the chat calls: measured on loopback against ``benchmarks/bench_gateway.py``'s upstream
(uvloop, 16 concurrent calls, ``time.process_time`` of the caller, a loaded 2-core machine), httpx over
httpcore costs ~1.1–1.8 ms of CPU per call, httpcore alone ~1.0–1.3 ms, aiohttp ~0.16–0.18 ms, and this
client ~0.045 ms: ~20 % of the gateway's CPU per request went to the HTTP client. httpcore parses with the
pure-Python h11, runs every read and write through anyio's cancel scopes, and its pool scans the idle
connections once per connection twice a call (``is_idle`` ~225 times a call with 20 idle connections). Here
the parsing is httptools (llhttp in C: uvicorn's own parser, already a dependency of ``lingxi serve``) and the
rest is asyncio's protocol interface, so no new dependency; aiohttp would have been one, at ~3.5× this
client's CPU.

What it does: a keep-alive pool per origin (idle connections reused newest first, for ``keepalive_expiry``
seconds, at most ``max_keepalive`` of them; at most ``max_connections`` open at once), TLS with httpx's
certificate context, a request head built once per target and sent with its body in one write, bodies by
Content-Length, chunked or connection close, gzip/deflate bodies, and back-pressure (reading pauses while
more than 64 KiB of a body are unread). Failures are httpx's exception classes (``ConnectError``,
``ConnectTimeout``, ``ReadError``, ``RemoteProtocolError``, ``LocalProtocolError``), so callers keep one
vocabulary. Read timeouts are the caller's (it bounds every wait with ``asyncio.timeout``); a response given
up half-read closes its connection. What it does not do: proxies, redirects, cookies, HTTP/2 — the caller uses
httpx where those matter (a proxy named in the environment, an injected client).
"""

from __future__ import annotations

import asyncio
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Mapping
from urllib.parse import urlsplit

import httptools
import httpx

__all__ = ["ConnectionPool", "Response", "Target"]

#: unread body bytes above which a connection stops reading until its caller catches up
_READ_AHEAD = 64 * 1024


class Target:
    """One URL and the headers every request to it carries, rendered once as a request head."""

    def __init__(self, method: str, url: str, headers: Mapping[str, str]) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise httpx.UnsupportedProtocol(f"not an http(s) URL: {url!r}")
        self.tls = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.tls else 80)
        default = self.port == (443 if self.tls else 80)
        authority = f"[{self.host}]" if ":" in self.host else self.host
        lines = [
            f"{method} {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
            f"Host: {authority if default else f'{authority}:{self.port}'}",
            "Accept-Encoding: gzip, deflate",
            *([] if any(n.lower() == "user-agent" for n in headers) else ["User-Agent: lingxi"]),
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        for line in lines:
            if any(c in line for c in "\r\n\0"):
                raise httpx.LocalProtocolError("a header name or value holds a line break or NUL")
        self.head = ("\r\n".join(lines) + "\r\nContent-Length: ").encode("latin-1")
        self.origin = (self.tls, self.host, self.port)


class _Connection(asyncio.Protocol):
    """One socket and its response parser (one per connection: llhttp parses the responses in turn)."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.chunks: list[bytes] = []
        self.buffered = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.status = 0
        self.head_done = self.done = self.closed = self.paused = self.keep_alive = False
        self.failure: Exception | None = None
        self.idle_since = 0.0
        self.origin: tuple[bool, str, int] = (False, "", 0)
        self.active = False  # a request is out: bytes arriving while idle are not a response to anything

    def reset(self) -> None:
        self.chunks, self.headers, self.buffered, self.status = [], [], 0, 0
        self.head_done = self.done = self.keep_alive = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if not self.active:
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(httpx.RemoteProtocolError(f"malformed HTTP response: {exc}"))

    def eof_received(self) -> bool:
        return False  # the transport closes itself; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.head_done and not self.done and not self._framed():
            self.done = True  # a body without length or chunking ends when the connection does
        elif not self.done and self.failure is None:
            self.failure = httpx.RemoteProtocolError(
                "the upstream closed the connection before the response was complete"
                + (f" ({type(exc).__name__}: {exc})" if exc else "")
            )
        self._wake()

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.head_done = True
        self._wake()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > _READ_AHEAD and self.transport is not None and not self.paused:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        self.done = True
        self.keep_alive = self.parser.should_keep_alive()  # asked now: the parser resets for the next response
        self._wake()

    def take(self) -> bytes:
        data = self.chunks[0] if len(self.chunks) == 1 else b"".join(self.chunks)
        self.chunks, self.buffered = [], 0
        if self.paused and self.transport is not None and not self.closed:
            self.paused = False
            self.transport.resume_reading()
        return data

    async def wait(self) -> None:
        self.waiter = asyncio.get_running_loop().create_future()
        try:
            await self.waiter
        finally:
            self.waiter = None

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _framed(self) -> bool:
        names = {name.lower() for name, _ in self.headers}
        return b"content-length" in names or b"transfer-encoding" in names

    def _fail(self, exc: Exception) -> None:
        self.failure = exc
        self.close()
        self._wake()

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)


class Response:
    """A response whose head has arrived: ``status``, ``headers`` (lower-case names), the body to read."""

    def __init__(self, pool: ConnectionPool, connection: _Connection) -> None:
        self._pool: ConnectionPool | None = pool
        self._connection = connection
        self.status = connection.status
        headers: dict[str, str] = {}
        for raw_name, raw_value in connection.headers:
            name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        self.headers = headers
        coding = headers.get("content-encoding", "identity").strip().lower()
        if coding in ("gzip", "x-gzip", "deflate"):
            self._decoder: zlib._Decompress | None = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib
        elif coding in ("identity", ""):
            self._decoder = None
        else:
            connection.close()
            raise httpx.DecodingError(f"unsupported content encoding {coding!r}")

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The body as it arrives (what one network read brought, joined); the connection goes back to the pool
        at its end."""
        connection = self._connection
        while True:
            if connection.chunks:
                data = connection.take()
                if self._decoder is not None:
                    try:
                        data = self._decoder.decompress(data)
                    except zlib.error as exc:
                        await self.aclose()
                        raise httpx.DecodingError(f"malformed compressed body: {exc}") from exc
                if data:
                    yield data
            elif connection.done:
                tail = self._decoder.flush() if self._decoder is not None else b""
                await self.aclose()
                if tail:
                    yield tail
                return
            elif connection.failure is not None:
                await self.aclose()
                raise connection.failure
            else:
                await connection.wait()

    async def aread(self) -> bytes:
        return b"".join([part async for part in self.aiter_bytes()])

    async def aclose(self) -> None:
        """Give the connection back: to the pool when the response was read to its end, else closed."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.release(self._connection)


class ConnectionPool:
    """Connections per origin, for one event loop. See the module docstring for what it does and does not."""

    def __init__(
        self,
        *,
        connect_timeout: float = 5.0,
        max_connections: int = 100,
        max_keepalive: int = 20,
        keepalive_expiry: float = 5.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.max_keepalive = max_keepalive
        self.keepalive_expiry = keepalive_expiry
        self._ssl = ssl_context
        self._slots = asyncio.Semaphore(max_connections)
        self._idle: dict[tuple[bool, str, int], list[_Connection]] = {}

    async def send(self, target: Target, body: bytes) -> Response:
        """Send ``body`` to ``target`` in one write; return once the response's head has arrived."""
        await self._slots.acquire()
        connection: _Connection | None = None
        try:
            connection = self._reuse(target.origin) or await self._connect(target)
            connection.reset()
            connection.active = True
            assert connection.transport is not None
            connection.transport.write(target.head + b"%d\r\n\r\n" % len(body) + body)
            while not connection.head_done:
                if connection.failure is not None:
                    raise connection.failure
                await connection.wait()
            return Response(self, connection)
        except BaseException:
            if connection is not None:
                connection.close()
            self._slots.release()
            raise

    def release(self, connection: _Connection) -> None:
        """A response's end: its connection is kept for the next call when it may be, else closed."""
        self._slots.release()
        connection.active = False
        idle = self._idle.setdefault(connection.origin, [])
        reusable = connection.done and connection.keep_alive and not connection.closed
        if reusable and len(idle) < self.max_keepalive:
            connection.idle_since = time.monotonic()
            idle.append(connection)
        else:
            connection.close()

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
            idle.clear()

    def _reuse(self, origin: tuple[bool, str, int]) -> _Connection | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if not connection.closed and now - connection.idle_since < self.keepalive_expiry:
                return connection
            connection.close()
        return None

    async def _connect(self, target: Target) -> _Connection:
        loop = asyncio.get_running_loop()
        tls = (self._ssl or httpx.create_ssl_context()) if target.tls else None
        if tls is not None:
            self._ssl = tls
        try:
            async with asyncio.timeout(self.connect_timeout):
                _, connection = await loop.create_connection(
                    _Connection, target.host, target.port, ssl=tls, server_hostname=target.host if tls else None
                )
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"connecting to {target.host}:{target.port} timed out") from exc
        except (OSError, ssl.SSLError) as exc:  # refused, unreachable, name not found, certificate
            raise httpx.ConnectError(f"{type(exc).__name__}: {exc}") from exc
        connection.origin = target.origin
        return connection
