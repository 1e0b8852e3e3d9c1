"""Slow clients (slowloris): a connection that trickles its request headers is closed.

uvicorn's ``timeout_keep_alive`` only covers the idle gap between requests: each byte received cancels it, so
a client sending one header byte every few seconds holds its connection (and a slot of the server's file
descriptors) forever, and a few thousand such clients starve everyone else. The ASGI app cannot help — it
is called only once the headers are complete — so the guard lives in the HTTP protocol: a timer runs from
the moment a connection waits for a request's headers (when it opens, and after each response on a
keep-alive connection) and closes the connection unless the whole header block has arrived in time. The
body's pace is the ASGI side's job (:class:`~lingxi.server.limits.LimitsMiddleware`, ``body_timeout_s``).

Two protocol classes carry the guard: :func:`guarded_httptools` on uvicorn's httptools protocol (llhttp, C:
what ``lingxi serve`` uses, instead of parsing every request in pure Python; its writes are batched per
event-loop step, :mod:`lingxi.server.write_batch`) and
:func:`guarded_h11` on the h11 one, for installations without httptools. :func:`guarded_protocol` picks.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from lingxi.server.write_batch import BatchedTransport


class _HeaderTimer:
    """The timer both protocol classes share: armed while the connection waits for a request's headers."""

    _header_timer: asyncio.TimerHandle | None = None
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def _arm(self, timeout_s: float) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(timeout_s, self._headers_late)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if self._waiting_for_headers() and not self.transport.is_closing():
            self.transport.close()  # no response: a client this slow is not waiting for one

    def _waiting_for_headers(self) -> bool:
        return True


def guarded_h11(header_timeout_s: float) -> type[H11Protocol]:
    """An h11 protocol class for ``uvicorn.Config(http=...)`` that enforces ``header_timeout_s``."""

    class HeaderTimeoutH11(_HeaderTimer, H11Protocol):
        def _waiting_for_headers(self) -> bool:
            return self.conn.their_state is h11.IDLE

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm(header_timeout_s)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def handle_events(self) -> None:
            super().handle_events()
            if self.conn.their_state is not h11.IDLE:  # a whole request head has been parsed
                self._disarm()

        def on_response_complete(self) -> None:
            self._arm(header_timeout_s)  # the next request's headers get the same time (a pipelined one disarms)
            super().on_response_complete()

    return HeaderTimeoutH11


def guarded_httptools(header_timeout_s: float) -> type[asyncio.Protocol]:
    """An httptools protocol class for ``uvicorn.Config(http=...)`` that enforces ``header_timeout_s``.

    llhttp parses every request in the bytes received, pipelined ones too: each finished head calls
    ``on_headers_complete`` (which disarms), and a response that completes with a parsed request waiting in
    ``self.pipeline`` starts that one instead of re-arming.
    """
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class HeaderTimeoutHttpTools(_HeaderTimer, HttpToolsProtocol):
        def connection_made(self, transport: Any) -> None:
            super().connection_made(BatchedTransport(transport, self.loop))  # one send per response (write_batch)
            self._arm(header_timeout_s)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_headers_complete(self) -> None:
            self._disarm()  # a whole request head has been parsed
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            if not self.pipeline:  # else the next request, already parsed, starts now
                self._arm(header_timeout_s)
            super().on_response_complete()

    return HeaderTimeoutHttpTools


def guarded_protocol(header_timeout_s: float) -> type[asyncio.Protocol]:
    """The httptools protocol when httptools is installed (uvicorn's standard extra), else the h11 one."""
    try:
        import httptools  # noqa: F401
    except ImportError:  # pragma: no cover - httptools is a dependency; a source install may lack a wheel
        return guarded_h11(header_timeout_s)
    return guarded_httptools(header_timeout_s)
