"""Slow clients (slowloris): a connection that trickles its request headers is closed.

uvicorn's ``timeout_keep_alive`` only covers the idle gap between requests: each byte received cancels it, so
a client sending one header byte every few seconds holds its connection (and a slot of the server's file
descriptors) forever, and a few thousand such clients starve everyone else. The ASGI app cannot help — it
is called only once the headers are complete — so the guard lives in the HTTP protocol: a timer runs from
the moment a connection waits for a request's headers (when it opens, and after each response on a
keep-alive connection) and closes the connection unless the whole header block has arrived in time. The
body's pace is the ASGI side's job (:class:`~lingxi.server.limits.LimitsMiddleware`, ``body_timeout_s``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


def guarded_h11(header_timeout_s: float) -> type[H11Protocol]:
    """An h11 protocol class for ``uvicorn.Config(http=...)`` that enforces ``header_timeout_s``."""

    class HeaderTimeoutH11(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_timeout_s, self._headers_late)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()  # no response: a client this slow is not waiting for one

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def handle_events(self) -> None:
            super().handle_events()
            if self.conn.their_state is not h11.IDLE:  # a whole request head has been parsed
                self._disarm()

        def on_response_complete(self) -> None:
            self._arm()  # the next request's headers get the same time (a pipelined one, parsed now, disarms)
            super().on_response_complete()

    return HeaderTimeoutH11
