"""Features whose answer takes more than one model turn (the assistant after a tool call).

A feature hands its caller a turn and a ``finish(turn, answer)`` function that makes the feature's result
from the finished answer. When the answer is not the end — the model called tools, and must now answer with
their results — ``finish`` returns a :class:`FollowUp` instead: the next turn and how to finish *that*. Every
caller runs the chain the same way: :func:`complete` for a result, and the HTTP layer streams each turn's
deltas in order on one response (:mod:`lingxi.server.feature_stream`), so the answer written after the tools
ran streams like any other instead of arriving all at once at the end.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from pydantic import BaseModel

from lingxi.pipeline import Answer, Turn

if TYPE_CHECKING:
    from lingxi.features.host import Gateway

Result = BaseModel | dict[str, Any]
Finish = Callable[[Turn, Answer], "Result | FollowUp | Awaitable[Result | FollowUp]"]


@dataclass(frozen=True)
class FollowUp:
    """Another model turn the result depends on; ``note`` says what happened in between (for streams)."""

    turn: Turn
    finish: Finish
    note: dict[str, Any]


async def finished(finish: Finish, turn: Turn, answer: Answer) -> Result | FollowUp:
    """``finish(turn, answer)``, awaited when it is a coroutine.

    Called in a worker thread: parsing and checking a long answer (proofreading 20,000 characters) takes
    seconds of CPU that must not hold up other requests. An ``async`` finish just returns its coroutine there,
    which is awaited here, on the loop.
    """
    value = await anyio.to_thread.run_sync(finish, turn, answer)
    if isinstance(value, Awaitable):
        value = await value
    return value


async def complete(lx: Gateway, turn: Turn, finish: Finish) -> tuple[Result, Answer]:
    """Run ``turn`` and every follow-up it leads to; the final result and the last turn's answer."""
    while True:
        answer = await lx.acomplete(turn)
        value = await finished(finish, turn, answer)
        if not isinstance(value, FollowUp):
            return value, answer
        turn, finish = value.turn, value.finish
