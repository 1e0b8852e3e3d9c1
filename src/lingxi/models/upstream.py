"""The upstream seam of the cloud chat client: send one JSON body to one chat URL, get a response to read.

Two implementations behind one small interface (:class:`Upstream`, :class:`UpstreamResponse`):

- :class:`LeanUpstream`, the default: the lean HTTP/1.1 client of :mod:`lingxi.models.http1` (httptools on
  asyncio), which costs a small fraction of httpx's CPU per call (numbers there);
- :class:`HttpxUpstream`: an ``httpx.AsyncClient`` — the one a caller injected (tests, custom transports) or,
  when the environment names a proxy, httpx's own, which honours it (the lean client speaks to origins only).

Both raise httpx's exception classes, so the client's error mapping has one vocabulary.
"""

from __future__ import annotations

import urllib.request
from collections.abc import AsyncIterator, Mapping
from typing import Protocol

import httpx

from lingxi.models.http1 import ConnectionPool, Target
from lingxi.models.http_transport import release

__all__ = ["HttpxUpstream", "LeanUpstream", "Upstream", "UpstreamResponse", "lean_pool"]


class UpstreamResponse(Protocol):
    """A response whose head has arrived; ``headers`` have lower-case names."""

    @property
    def status(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    def aiter_bytes(self) -> AsyncIterator[bytes]: ...

    async def aread(self) -> bytes: ...

    async def aclose(self) -> None: ...


class Upstream(Protocol):
    async def send(self, body: bytes, *, stream: bool) -> UpstreamResponse: ...


def lean_pool(connect_timeout: float) -> ConnectionPool | None:
    """The lean client's pool, or None when the environment names a proxy (then httpx, which honours it); a
    ``NO_PROXY`` list alone names none."""
    proxies = {scheme for scheme in urllib.request.getproxies() if scheme != "no"}
    return None if proxies else ConnectionPool(connect_timeout=connect_timeout)


class LeanUpstream:
    """POST to ``url`` with ``headers`` through ``pool``; the request head is rendered once, here."""

    def __init__(self, pool: ConnectionPool, url: str, headers: Mapping[str, str]) -> None:
        self._pool = pool
        self._target = Target("POST", url, headers)

    async def send(self, body: bytes, *, stream: bool) -> UpstreamResponse:
        return await self._pool.send(self._target, body)


class _HttpxResponse:
    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status = response.status_code
        self.headers: Mapping[str, str] = response.headers

    def aiter_bytes(self) -> AsyncIterator[bytes]:
        return self._response.aiter_bytes()

    async def aread(self) -> bytes:
        return await self._response.aread()

    async def aclose(self) -> None:
        await release(self._response)


class HttpxUpstream:
    """POST to ``url`` with ``headers`` through ``client``, as ``client.build_request`` builds it (cookies,
    redirects, the client's timeouts and transport all apply)."""

    def __init__(self, client: httpx.AsyncClient, url: str, headers: Mapping[str, str]) -> None:
        self._client, self._url, self._headers = client, url, dict(headers)

    async def send(self, body: bytes, *, stream: bool) -> UpstreamResponse:
        request = self._client.build_request("POST", self._url, content=body, headers=self._headers)
        return _HttpxResponse(await self._client.send(request, stream=True))
