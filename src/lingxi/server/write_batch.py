"""Responses leave in as few socket writes as the app allows: the writes of one event-loop step go out together.

uvicorn writes a response's status line and headers (``http.response.start``) and then its body
(``http.response.body``) as separate ``transport.write`` calls: on uvloop each is a ``send`` system call when
the socket buffer is free, and on loopback the kernel's work for a send (the receiver's side of TCP too) is
charged to the sender. The app sends both in one task step (a JSON response; a stream's head with its
first events, its last events with the chunked terminator), so holding the step's writes and sending them
joined at the end of the step (``loop.call_soon``) halves the sends per response without holding any byte
longer than that step: the next event-loop iteration writes them, before any I/O is polled again.

The protocol classes of :mod:`lingxi.server.slow_clients` wrap their transport in :class:`BatchedTransport`.
Bytes, their order and the connection's lifetime are unchanged: ``close`` and ``write_eof`` send what is held
first; ``abort`` drops it, as the transport itself would.
"""

from __future__ import annotations

import asyncio
from typing import Any


class BatchedTransport(asyncio.Transport):
    """``inner`` with the writes of one event-loop step joined into one ``inner.write``."""

    def __init__(self, inner: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._inner = inner
        self._loop = loop
        self._held: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview[Any]) -> None:
        if not data:
            return
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(bytes(data))

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def flush(self) -> None:
        """Send what is held now, as one write (nothing when the connection is already closing)."""
        if not self._held:
            return
        data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
        self._held.clear()
        if not self._inner.is_closing():
            self._inner.write(data)

    def close(self) -> None:
        self.flush()
        self._inner.close()

    def abort(self) -> None:
        self._held.clear()
        self._inner.abort()

    def write_eof(self) -> None:
        self.flush()
        self._inner.write_eof()

    def can_write_eof(self) -> bool:
        return self._inner.can_write_eof()

    def is_closing(self) -> bool:
        return self._inner.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._inner.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._inner.pause_reading()

    def resume_reading(self) -> None:
        self._inner.resume_reading()

    def is_reading(self) -> bool:
        return self._inner.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._inner.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._inner.get_protocol()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._inner.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self._inner.get_write_buffer_size() + sum(map(len, self._held))

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._inner.get_write_buffer_limits()
