"""The server's batched transport: one event-loop step's writes leave as one write, in order, and nothing is
lost or sent after the connection ends."""

from __future__ import annotations

import asyncio
from typing import Any

from lingxi.server.write_batch import BatchedTransport


class _Recorder(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False
        self.aborted = False
        self.eof = False

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = self.closed = True

    def write_eof(self) -> None:
        self.eof = True

    def is_closing(self) -> bool:
        return self.closed

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 1)}.get(name, default)


async def _step() -> None:
    await asyncio.sleep(0)  # one loop iteration: call_soon callbacks scheduled before it have run


def test_writes_of_one_step_leave_together_in_order() -> None:
    asyncio.run(_writes_of_one_step_leave_together_in_order())


async def _writes_of_one_step_leave_together_in_order() -> None:
    inner = _Recorder()
    t = BatchedTransport(inner, asyncio.get_running_loop())
    t.write(b"HTTP/1.1 200 OK\r\n\r\n")
    t.write(b"")
    t.write(bytearray(b"body"))
    assert inner.writes == []
    assert t.get_write_buffer_size() == len(b"HTTP/1.1 200 OK\r\n\r\nbody")
    await _step()
    assert inner.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
    t.write(b"next")
    await _step()
    assert inner.writes[-1] == b"next"
    assert t.get_extra_info("peername") == ("127.0.0.1", 1)


def test_close_and_eof_send_what_is_held_first() -> None:
    asyncio.run(_close_and_eof_send_what_is_held_first())


async def _close_and_eof_send_what_is_held_first() -> None:
    inner = _Recorder()
    t = BatchedTransport(inner, asyncio.get_running_loop())
    t.write(b"a")
    t.write_eof()
    assert inner.writes == [b"a"] and inner.eof
    t.write(b"b")
    t.close()
    assert inner.writes == [b"a", b"b"] and inner.closed and t.is_closing()
    await _step()  # the scheduled flush finds nothing left: no empty or repeated write
    assert inner.writes == [b"a", b"b"]


def test_abort_drops_what_is_held_and_a_closed_connection_gets_nothing() -> None:
    asyncio.run(_abort_drops_what_is_held_and_a_closed_connection_gets_nothing())


async def _abort_drops_what_is_held_and_a_closed_connection_gets_nothing() -> None:
    inner = _Recorder()
    t = BatchedTransport(inner, asyncio.get_running_loop())
    t.write(b"dropped")
    t.abort()
    await _step()
    assert inner.writes == [] and inner.aborted
    other = _Recorder()
    t2 = BatchedTransport(other, asyncio.get_running_loop())
    t2.write(b"late")
    other.closed = True  # the peer went away before the step ended
    await _step()
    assert other.writes == []
