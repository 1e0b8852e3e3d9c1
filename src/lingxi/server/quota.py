"""Daily token quotas that concurrent requests cannot overshoot: reserve before generating, settle after.

Checking ``used < limit`` before a request and adding its usage after lets every request that arrives while
others generate pass the same check: 50 concurrent requests overshot a quota by 12 %. Instead the stage
:class:`ReserveQuota` runs right before generation and atomically adds an upper bound of what the turn can
use to the day's count — refused (429) when that would pass the limit — and the turn's end replaces the
reservation with the real usage (:meth:`~lingxi.server.metrics.Metrics.turn_done`). A reservation whose
turn never finished (a later stage failed, the client left) is released when the request ends.

The bound: the prompt's characters (a jieba word or a BPE token is at least one character; plus a few
template tokens per message) plus the output: a classical model only picks from its input (or a short
built-in reply), a language model writes at most ``max_tokens`` — which this stage sets to
:data:`OUTPUT_RESERVE` when the caller set none and a quota applies, so the bound holds.
"""

from __future__ import annotations

import dataclasses

from lingxi.models.base import ModelKind
from lingxi.models.lite_chat import NOTICE_EN, NOTICE_ZH
from lingxi.pipeline import Turn
from lingxi.server import logs
from lingxi.server.limits import Limits

#: the most a language model may write in one turn under a quota when the caller set no max_tokens
OUTPUT_RESERVE = 4096
_PER_MESSAGE = 8  # chat-template tokens around each message
# the lite tier's own texts: its generic replies, and the fixed notice it gives open chat (every character
# counted, so the bound holds whatever the tokenizer)
_BUILT_IN_REPLY = max(64, len(NOTICE_ZH) + len(NOTICE_EN) + 8)


def token_bound(turn: Turn) -> int:
    """At most how many tokens (prompt + completion) ``turn`` can report as its usage."""
    texts = [m.content for m in turn.messages]
    if turn.task is not None:
        texts += [f"{d.title}\n{d.text}" for d in turn.task.documents] + list(turn.task.candidates)
    prompt = sum(len(t) for t in texts) + _PER_MESSAGE * (len(turn.messages) + 1)
    classical = prompt + _BUILT_IN_REPLY
    if all(c.info.kind == ModelKind.CLASSICAL for c in turn.candidates):
        return prompt + classical
    return prompt + max(classical, turn.options.max_tokens or OUTPUT_RESERVE)


class ReserveQuota:
    """The stage before :class:`~lingxi.pipeline.generation.Generate` that reserves the turn's tokens (see module)."""

    def __init__(self, limits: Limits, owner: object) -> None:
        self.limits = limits
        self.owner = owner  # the app's metrics: several apps may share one pipeline, each reserves its own

    async def run(self, turn: Turn) -> None:
        ctx = logs.current.get()
        settings = self.limits.settings
        if ctx is None or ctx.owner is not self.owner or not ctx.app_id or turn.refusal is not None:
            return  # quotas apply to authenticated apps (as the usage records do); a refusal generates nothing
        if not (settings.daily_tokens_per_app or settings.daily_tokens_per_user):
            return
        if turn.options.max_tokens is None and not all(c.info.kind == ModelKind.CLASSICAL for c in turn.candidates):
            turn.options = dataclasses.replace(turn.options, max_tokens=OUTPUT_RESERVE)
        tokens = token_bound(turn)
        self.limits.reserve(ctx.app_id, turn.user_id, tokens)
        ctx.reserved[id(turn)] = (turn.user_id, tokens)
