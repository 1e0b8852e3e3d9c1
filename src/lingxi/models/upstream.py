"""The upstream seam of the cloud chat client: send one JSON body to one chat URL, get a response to read.

Two implementations behind one small interface (:class:`Upstream`, :class:`UpstreamResponse`):

- :class:`~lingxi.models.upstream_aiohttp.AiohttpUpstream`, the default: one aiohttp session per model and
  event loop;
- :class:`HttpxUpstream`: an ``httpx.AsyncClient`` — the one a caller injected (tests, custom transports) or,
  when the environment names a proxy (:func:`proxy_named`), httpx's own, which honours it.

Why not httpx for every chat call: measured on loopback against ``benchmarks/bench_gateway.py``'s upstream
(uvloop, 16 concurrent calls, ``time.process_time`` of the caller, a loaded 2-core machine), httpx over
httpcore costs ~1.1–1.8 ms of CPU per call — ~20 % of the gateway's CPU per request — and aiohttp
~0.16–0.18 ms. httpcore parses with the pure-Python h11, runs every read and write through anyio's cancel
scopes, and its pool scans its idle connections twice a call; aiohttp parses with llhttp (C) and reads
through asyncio's protocol interface. A hand-written client on httptools measured ~0.045 ms, ~0.12 ms less a
call out of a ~2.5 ms gateway budget; aiohttp is kept instead, as a maintained client (TLS, pooling,
framing, decoding and their edge cases are its work, not lingxi's) — the side-by-side gateway numbers are in
``benchmarks/README.md``.

Both raise httpx's exception classes, so the client's error mapping has one vocabulary.
"""

from __future__ import annotations

import urllib.request
from collections.abc import AsyncIterator, Mapping
from typing import Protocol

import httpx

from lingxi.models.http_transport import release

__all__ = ["HttpxUpstream", "Upstream", "UpstreamResponse", "proxy_named"]


class UpstreamResponse(Protocol):
    """A response whose head has arrived; ``headers`` are looked up by lower-case names (case-insensitive)."""

    @property
    def status(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    def aiter_bytes(self) -> AsyncIterator[bytes]: ...

    async def aread(self) -> bytes: ...

    async def aclose(self) -> None: ...


class Upstream(Protocol):
    async def send(self, body: bytes, *, stream: bool) -> UpstreamResponse: ...

    async def aclose(self) -> None:
        """Close what this upstream opened (not an injected client: that is its owner's to close)."""


def proxy_named() -> bool:
    """Whether the environment names a proxy (then chat calls go through httpx, which honours it); a
    ``NO_PROXY`` list alone names none."""
    return any(scheme != "no" for scheme in urllib.request.getproxies())


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

    async def aclose(self) -> None:
        """Nothing of its own: the client is the model's (or its injector's) to close."""
