"""Serve an ASGI app with uvicorn on a free loopback port, in a thread, for tests that need a real socket."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(app: Any, **config: Any) -> Iterator[tuple[str, uvicorn.Server]]:
    """``(base_url, server)`` while the app runs; on exit the server is asked to stop, and must have stopped.

    ``config`` goes to :class:`uvicorn.Config` (e.g. ``timeout_graceful_shutdown``). A test may set
    ``server.should_exit`` itself to watch a shutdown happen.
    """
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.should_exit = True
        thread.join(timeout=20)
    assert not thread.is_alive(), "uvicorn did not stop within 20 s"
