"""A streamed response that stops when the client goes away, without a task group per response.

Why not Starlette's ``StreamingResponse`` as it is: under an ASGI server that reports spec 2.3 (uvicorn's
httptools and h11 protocols do), it runs every streamed response in an anyio task group — a second task that
waits for ``http.disconnect``, a cancel scope and the group's own bookkeeping — because such a server drops a
write to a closed connection silently, so only the listener can stop an abandoned stream. That machinery was
~50–80 µs of CPU per streamed chat request (anyio's calls were ~50 a request in the profile), ~2 % of it.

:class:`EventStream` keeps the behaviour with plain asyncio: the body is written in the request's own task,
a small task waits for the disconnect and cancels the request's task, which stops the body where it waits
(the answer's generators see ``CancelledError`` and run their ``finally``: the audit record of an abandoned
answer is still written) and returns normally, as Starlette's does. A cancellation from elsewhere (server
shutdown) still propagates. One difference, on purpose: after a disconnect, awaits in the body's cleanup run
to the end instead of being cancelled again (anyio's cancel scope is level-triggered), so an upstream
connection is released cleanly. Servers that report spec ≥ 2.4 raise ``OSError`` on a write to a closed
connection and need no listener: Starlette's own path serves them.
"""

from __future__ import annotations

import asyncio

from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send


class EventStream(StreamingResponse):
    """``StreamingResponse`` whose disconnect listener is one asyncio task (see the module docstring)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        spec = scope.get("asgi", {}).get("spec_version", "2.0")
        task = asyncio.current_task()
        if scope["type"] != "http" or tuple(map(int, spec.split("."))) >= (2, 4) or task is None:
            await super().__call__(scope, receive, send)
            return
        gone, failed = False, list[Exception]()

        async def listen() -> None:
            nonlocal gone
            try:
                await self.listen_for_disconnect(receive)
            except Exception as exc:  # a failing receive stops the body and is raised, as in Starlette's group
                failed.append(exc)
            gone = True
            task.cancel()  # the body is suspended at an await (this task only runs then): it stops there

        listener = asyncio.get_running_loop().create_task(listen())
        try:
            await self.stream_response(send)
        except asyncio.CancelledError:
            if not gone or task.uncancel() > 0:  # not (only) our cancel: someone else's, let it through
                raise
            if failed:
                raise failed[0] from None
        finally:
            listener.cancel()
        if self.background is not None:
            await self.background()
