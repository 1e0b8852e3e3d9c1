"""Cloud chat calls over aiohttp: one ``ClientSession`` per model and event loop, failures as httpx's errors.

Why aiohttp and not httpx for the chat calls: see :mod:`lingxi.models.upstream` (the CPU per call, measured).
The session is configured for one job, POSTing JSON to one origin: a keep-alive pool (``limit`` connections
open at once, idle ones kept ``keepalive_s``), a connect timeout and no other (every wait of a call is bounded
by the caller's ``asyncio.timeout``), TLS verified against httpx's certificate context (certifi, so both
clients trust the same roots), no cookie jar, no redirects, compressed bodies decoded, and no proxy from the
environment (a proxy named there sends chat calls to httpx instead, :func:`lingxi.models.upstream.proxy_named`).

aiohttp's exceptions are mapped to httpx's classes (``ConnectError``, ``ConnectTimeout``, ``ReadError``,
``RemoteProtocolError``, ``DecodingError``…) at this seam, so the caller's retries, fallback and messages have
one vocabulary whichever upstream answered.

A session must be closed on its own loop, or aiohttp logs "Unclosed client session" when it is collected. A
server closes it at shutdown (:meth:`AiohttpUpstream.aclose`, from the app's lifespan); a caller that runs one
``asyncio.run`` per request (the CLI, tests) never does, so each session is also tied to its loop's end: an
async generator parked at its first step, which ``asyncio.run`` closes (``loop.shutdown_asyncgens``) before the
loop goes, and whose ``finally`` closes the session.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from urllib.parse import urlsplit

import aiohttp
import httpx
from aiohttp.http_exceptions import ContentEncodingError
from multidict import CIMultiDict
from yarl import URL

__all__ = ["AiohttpUpstream", "http_error"]


def http_error(exc: aiohttp.ClientError, *, reading: bool) -> httpx.HTTPError:
    """httpx's class for one of aiohttp's failures; ``reading``: the response's head had arrived."""
    message = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, aiohttp.ServerTimeoutError):  # no read timeout is set: a connect that took too long
        return httpx.ReadTimeout(message) if reading else httpx.ConnectTimeout(message)
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, unreachable, name not found, certificate
        return httpx.ConnectError(message)
    if isinstance(exc, aiohttp.ClientPayloadError):  # a body cut short, bad chunking, or one that does not decode
        undecodable = isinstance(exc.__cause__ or exc.__context__, ContentEncodingError)
        return httpx.DecodingError(message) if undecodable else httpx.RemoteProtocolError(message)
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientResponseError):  # closed early, or malformed
        return httpx.RemoteProtocolError(message)
    if isinstance(exc, aiohttp.ClientOSError):  # reset, broken pipe
        return httpx.ReadError(message) if reading else httpx.WriteError(message)
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol(message)
    return httpx.TransportError(message)


class _Response:
    """A response whose head has arrived; the body as aiohttp reads it."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.status = response.status
        self.headers: Mapping[str, str] = response.headers  # case-insensitive

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """What each network read brought (decoded); the connection goes back to the pool at the end."""
        content = self._response.content
        try:
            while data := await content.readany():
                yield data
        except aiohttp.ClientError as exc:
            self._response.close()
            raise http_error(exc, reading=True) from exc
        self._response.release()

    async def aread(self) -> bytes:
        try:
            return await self._response.read()
        except aiohttp.ClientError as exc:
            self._response.close()
            raise http_error(exc, reading=True) from exc

    async def aclose(self) -> None:
        """Back to the pool when read to its end; a response given up half-read closes its connection."""
        if self._response.content.is_eof():
            self._response.release()
        else:
            self._response.close()


class AiohttpUpstream:
    """POST to ``url`` with ``headers`` through one aiohttp session of the running loop (made on first send)."""

    def __init__(
        self,
        url: str,
        headers: Mapping[str, str],
        *,
        connect_s: float = 5.0,
        limit: int = 100,
        keepalive_s: float = 5.0,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise httpx.UnsupportedProtocol(f"not an http(s) URL: {url!r}")
        if any(c in text for item in headers.items() for text in item for c in "\r\n\0"):
            raise httpx.LocalProtocolError("a header name or value holds a line break or NUL")
        self._url = URL(url)
        self._headers = CIMultiDict(headers)
        self._headers.setdefault("User-Agent", "lingxi")
        self._tls = parts.scheme == "https"
        self._connect_s, self._limit, self._keepalive_s = connect_s, limit, keepalive_s
        self._session: aiohttp.ClientSession | None = None
        self._lifetime: AsyncGenerator[None, None] | None = None

    async def send(self, body: bytes, *, stream: bool) -> _Response:
        session = self._session or await self._open()  # no await suspends in _open: one session per upstream
        try:
            response = await session.post(self._url, data=body, allow_redirects=False)
        except aiohttp.ClientError as exc:
            raise http_error(exc, reading=False) from exc
        return _Response(response)

    async def aclose(self) -> None:
        lifetime, self._lifetime, self._session = self._lifetime, None, None
        if lifetime is not None:
            await lifetime.aclose()

    async def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._limit,
            limit_per_host=0,
            keepalive_timeout=self._keepalive_s,
            ssl=httpx.create_ssl_context() if self._tls else False,
        )
        session = aiohttp.ClientSession(
            connector=connector,
            headers=self._headers,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self._connect_s),
            auto_decompress=True,
            trust_env=False,
        )
        self._lifetime = _closed_with_loop(session)
        await anext(self._lifetime)
        self._session = session
        return session


async def _closed_with_loop(session: aiohttp.ClientSession) -> AsyncGenerator[None, None]:
    """Parked at its ``yield`` until closed: by :meth:`AiohttpUpstream.aclose`, or by the loop's end."""
    try:
        yield
    finally:
        await session.close()
