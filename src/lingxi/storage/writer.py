"""One thread that makes a server's per-request SQLite writes, several requests' writes to one commit.

Why: a chat turn writes three records (egress, audit, request log). Committed on the event loop, each one
cost ~0.1 ms of the loop's CPU, and when the disk was busy a commit there stalled *every* request in flight:
at 50 requests a second, 40–48 % of requests waited more than 2 ms inside a write transaction whose CPU was
0.1–0.2 ms (benchmarks/README.md, wave 10). Here those writes are jobs in one bounded queue, run by one
thread: the jobs that queued up while the previous commit ran go into one transaction and one commit (group
commit: the tables' and indexes' WAL pages of several turns written once), and each job's result or error
goes back to the request that awaits it. A stalled commit now holds only the requests whose records are in
it or behind it; the event loop goes on serving the others.

What a request may rely on (docs/deploy.md): when :meth:`Writer.write` returns, the job's changes are
committed (in the WAL, ``synchronous=NORMAL``: they survive the process being killed), exactly as when the
job ran in its own transaction on the loop. So the egress record is still committed before the payload
leaves and the audit record before the answer's last byte; only writes nobody must wait for (the operator's
request log row) are handed over with :meth:`Writer.submit` and may commit just after the response.

Failures stay per job: when a job raises or the commit fails (a full disk, an I/O error), the batch is rolled
back and every job of it runs again in a transaction of its own, so each request gets the same error (or
success) it would have had alone. (A SAVEPOINT per job would roll back only the failing one, but each statement
the writer runs hands the interpreter lock over and back; with the event loop busy, every hand-back waits up to
the interpreter's switch interval, 5 ms, so failures, which are rare, pay instead.) A job runs on the writer's
connection only: it must not open another connection to the same database (that would wait for the lock the
batch holds).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from lingxi.storage.sqlite import Database

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], T]
log = logging.getLogger("lingxi.storage")

#: jobs waiting at most; a request whose write finds the queue full waits for room (the disk is behind)
CAPACITY = 1024
#: jobs per transaction at most (a batch's commit holds every request in it)
BATCH = 64


#: how long a job nobody waits for may wait for one somebody waits for, to share its commit (seconds)
LAZY_S = 0.05


@dataclass(slots=True, eq=False)
class _Item:
    """One job and whoever waits for it: an event loop's future, a thread's future, or nobody."""

    job: Callable[[sqlite3.Connection], Any]
    loop: asyncio.AbstractEventLoop | None = None
    future: asyncio.Future[Any] | concurrent.futures.Future[Any] | None = None
    alone: bool = False  # in a transaction of its own (the WAL's rewind: its fsync must not hold requests' jobs)
    due: float = 0.0  # nobody waits: committed with the next awaited job, or alone at this monotonic time
    result: Any = None
    error: BaseException | None = None


class Writer:
    """The writer thread of one :class:`~lingxi.storage.sqlite.Database` (see the module docstring)."""

    def __init__(self, db: Database, *, capacity: int = CAPACITY, batch: int = BATCH) -> None:
        self._db, self._capacity, self._batch = db, capacity, batch
        self._cond = threading.Condition()
        self._items: deque[_Item] = deque()
        self._awaited = 0  # queued jobs somebody waits for: the writer wakes for these at once
        self._room: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="lingxi-sqlite-writer", daemon=True)
        self._thread.start()

    async def write(self, job: Job[T]) -> T:
        """Run ``job(conn)`` in the writer's next transaction; return its result once that is committed.

        The job is queued before this coroutine first waits, so a request cancelled while it waits (a client
        that hung up) still has its record written; only its wait ends. Raises the job's error (an SQLite error
        as the same :class:`~lingxi.errors.StorageError` a transaction on the caller's thread would raise).
        """
        loop = asyncio.get_running_loop()
        item = _Item(job, loop, loop.create_future())
        try:
            await self._wait_for_room(loop)
        finally:
            queued = self._put(item)  # even when the wait for room was cancelled: a record is never dropped
        if not queued:  # closed (the server is stopping): as before there was a writer
            return self._db.run_in_transaction(job)
        result: T = await item.future  # type: ignore[misc]
        return result

    def submit(self, job: Job[Any]) -> bool:
        """Queue ``job`` without waiting for it (its error is logged); False when the writer is closed.

        For records no response depends on. The writer does not wake for it: it joins the commit of the next
        job somebody waits for (typically the next request's), or commits alone :data:`LAZY_S` later. Each wake-up
        of the writer while the event loop is busy costs both threads a hand-over of the interpreter lock per
        statement. Never waits for room: such a job follows a finished turn whose own writes were awaited, so
        there are at most as many of them as turns in flight.
        """
        return self._put(_Item(job, due=time.monotonic() + LAZY_S))

    def call(self, job: Job[T], *, alone: bool = False) -> T:
        """``job``'s result from a thread other than the loop's and the writer's (e.g. the checkpoint thread),
        blocking until it is committed; ``alone``: in a transaction of its own."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        if not self._put(_Item(job, future=future, alone=alone)):
            return self._db.run_in_transaction(job)
        return future.result()

    def close(self) -> None:
        """Stop taking jobs, commit every queued one, and end the thread. Later writes run on the caller's
        thread (:meth:`Database.write` does that once the writer is gone)."""
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join()

    # -- the queue -------------------------------------------------------------------------------------
    def _put(self, item: _Item) -> bool:
        with self._cond:
            if self._closed:
                return False
            self._items.append(item)
            if not item.due:
                self._awaited += 1
                self._cond.notify()
            elif len(self._items) == 1:  # the writer may be waiting with no deadline
                self._cond.notify()
        return True

    async def _wait_for_room(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            with self._cond:
                if len(self._items) < self._capacity or self._closed:
                    return
                room: asyncio.Future[None] = loop.create_future()
                self._room.append((loop, room))
            await room

    def _take(self) -> tuple[list[_Item], list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]] | None:
        """The next batch (an ``alone`` job only by itself) and the requests waiting for room; None: closed."""
        with self._cond:
            while not self._awaited and not self._closed:  # only jobs nobody waits for (or none): not yet
                if not self._items:
                    self._cond.wait()
                elif (wait := self._items[0].due - time.monotonic()) > 0:
                    self._cond.wait(wait)
                else:
                    break
            items = self._items
            if not items:
                return None  # closed, and every job committed
            batch = [items.popleft()]
            while items and len(batch) < self._batch and not batch[0].alone and not items[0].alone:
                batch.append(items.popleft())
            self._awaited -= sum(1 for item in batch if not item.due)
            room, self._room = self._room, []
            return batch, room

    def _run(self) -> None:
        while (taken := self._take()) is not None:
            batch, room = taken
            for loop, future in room:
                with contextlib.suppress(RuntimeError):  # that loop has closed: nobody is waiting there
                    loop.call_soon_threadsafe(_wake, future)
            try:
                with self._db.connect() as conn:  # this thread's own connection
                    if len(batch) == 1 or not self._together(conn, batch):
                        for item in batch:
                            self._alone(conn, item)
            except Exception as exc:  # the connection could not be opened: every job fails with that
                for item in batch:
                    item.result, item.error = None, exc
            self._settle(batch)

    # -- transactions ----------------------------------------------------------------------------------
    def _together(self, conn: sqlite3.Connection, batch: list[_Item]) -> bool:
        """Run ``batch`` in one transaction; False when any job raised or the commit failed (then nothing of
        it was committed, and each job is to run again in a transaction of its own)."""
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:  # busy past the timeout, unreadable file: the same for every job
            for item in batch:
                item.error = exc
            return True
        try:
            for item in batch:
                item.result = item.job(conn)
            conn.execute("COMMIT")
        except Exception:
            _rollback(conn)
            return False
        return True

    def _alone(self, conn: sqlite3.Connection, item: _Item) -> None:
        item.result = item.error = None
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                item.result = item.job(conn)
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        except Exception as exc:
            item.result, item.error = None, exc

    def _settle(self, batch: list[_Item]) -> None:
        """Hand each job's outcome to whoever waits: one wake-up per event loop for the whole batch."""
        by_loop: dict[asyncio.AbstractEventLoop, list[_Item]] = {}
        for item in batch:
            if isinstance(item.error, sqlite3.Error):
                item.error = self._db.storage_error(item.error)
            if item.loop is not None:
                by_loop.setdefault(item.loop, []).append(item)
            elif isinstance(item.future, concurrent.futures.Future):
                if item.error is not None:
                    item.future.set_exception(item.error)
                else:
                    item.future.set_result(item.result)
            elif item.error is not None:  # nobody waits: the log is the only place it can go
                log.error("a queued database write failed: %s: %s", type(item.error).__name__, item.error)
        for loop, items in by_loop.items():
            with contextlib.suppress(RuntimeError):  # that loop has closed: nobody is waiting there
                loop.call_soon_threadsafe(_resolve, items)


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _resolve(items: list[_Item]) -> None:
    """On the waiting loop: each job's result or error to its future (a cancelled wait is left alone)."""
    for item in items:
        future = item.future
        assert isinstance(future, asyncio.Future)
        if future.done():
            continue
        if item.error is not None:
            future.set_exception(item.error)
        else:
            future.set_result(item.result)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
