"""Long writing-tool computations in a worker process, so they cannot take the GIL from the event loop.

Why a process and not only a thread: the tools already run in worker threads, but proofreading 20,000
characters is seconds of pure-Python work (jieba, n-gram scoring) that holds the GIL in 5 ms slices; the event
loop's thread needs the GIL several times for every ``/healthz`` round trip and waits a slice each time, and on
a loaded machine a slice stretches to tens of milliseconds (issue 16: no request may delay ``/healthz`` by more
than 100 ms). In a worker process the calling thread just waits on a future, holding nothing.

The function runs unchanged in the child (same code, same jieba dictionary, same models), so results are the
same as in place; short texts run in place, where a process hop would cost more than it saves. The pool is one
``spawn``-started process (``fork`` is unsafe in a threaded server), started by :func:`start` (the server's
warm-up; a one-off CLI run has no loop to protect and would only pay the start) and reused; if it dies the call
runs in place and the next one starts a fresh process.

The worker never outlives the process that started it: it ends itself when its parent is gone, however the
parent ended (a normal exit, SIGTERM, SIGKILL, a crash). Without that watch a stopped ``lingxi serve`` left its
worker running for good, ~290 MB each (seen in wave 10: one more per benchmark run; the pool's exit handler
did not reach it). The pool is not shut down at an app's shutdown: it belongs to the process, and a process
that starts several apps (tests, an embedding host) reuses it rather than paying a new worker's start.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

#: Texts at least this long (code points) go to the worker process; below it the work is milliseconds.
OFFLOAD_CHARS = 2_000

T = TypeVar("T")

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_started = False  # set by start(): only a server needs the process; a CLI run or a library call works in place


def _watch_parent() -> None:
    """The worker's initializer: end this process as soon as the process that started it is gone.

    ``parent_process().sentinel`` becomes ready when the parent exits for any reason; a daemon thread waits
    on it, so the worker needs no polling and no cooperation from a parent that was killed."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def wait() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(0)  # nothing of the worker's is worth keeping: its results had nowhere to go

    threading.Thread(target=wait, name="lingxi-parent-watch", daemon=True).start()


def _executor() -> ProcessPoolExecutor | None:
    global _pool
    with _lock:
        if _pool is None and _started:
            _pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_watch_parent
            )
        return _pool


def _discard(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def start(fn: Callable[..., object], *args: object) -> None:
    """Use the worker process from now on (the server calls this as it starts), and have it run ``fn(*args)``
    to load what the tools use, not waiting: the first long text then finds it ready, not seconds away."""
    global _started
    with _lock:
        _started = True
    pool = _executor()
    if pool is not None:
        pool.submit(fn, *args)


def run(fn: Callable[..., T], text: str, *args: object) -> T:
    """``fn(text, *args)``: in the worker process when it is started and ``text`` is long, else here (``fn``
    must be picklable).

    Blocks the calling thread (call it from a worker thread, never on the event loop) without holding the GIL.
    """
    pool = _executor() if len(text) >= OFFLOAD_CHARS else None
    if pool is None:
        return fn(text, *args)
    try:
        return pool.submit(fn, text, *args).result()
    except BrokenProcessPool:  # the child died (killed, out of memory): answer anyway, in place
        _discard(pool)
        return fn(text, *args)
