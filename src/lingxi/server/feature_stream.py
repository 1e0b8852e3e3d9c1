"""One response shape for every ``/v1/features/...`` endpoint, streamed or not.

A feature endpoint builds a :class:`~lingxi.pipeline.Turn` and a ``finish`` function that turns the finished
:class:`~lingxi.pipeline.Answer` into the feature's result (parsed summaries, edits, replies...). Without
``stream`` the client gets that result as JSON with an ``answer`` member describing who answered (model, model
kind, AI label, screening verdicts, fallbacks, audit id). With ``stream`` the client gets Server-Sent Events:

- ``event: delta`` — ``{"text": "..."}`` for each piece of the answer as it is produced;
- ``event: step`` — between the turns of a multi-turn answer (:mod:`lingxi.features.followup`: the assistant
  after calling tools), what happened in between (e.g. ``{"tool_calls": [...]}``); deltas after it belong to
  the answer written with the tools' results;
- ``event: done`` — the same JSON the non-streaming call returns;
- ``event: error`` — ``{"code", "detail", "detail_zh"}`` if the answer fails after the stream has started.

The first piece is produced before the response starts, so a request that cannot be served at all (no
consent, refused input, no model) gets a problem-JSON status instead of a broken stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from lingxi.errors import LingxiError
from lingxi.facade import Lingxi
from lingxi.features.followup import Finish, FollowUp, Result, complete, finished
from lingxi.pipeline import Answer, Turn
from lingxi.server.event_stream import EventStream


def answer_meta(answer: Answer) -> dict[str, Any]:
    """Who answered and what the compliance layer did: shown beside every feature result."""
    return {
        "request_id": answer.request_id,
        "model": answer.model,
        "model_kind": answer.model_kind,
        "label": answer.label.explicit if answer.label else None,
        "label_metadata": answer.label.implicit if answer.label else None,
        "refused": answer.refused,
        "finish_reason": answer.finish_reason,
        "input_screen": {"verdict": answer.input_screen.verdict, "risks": list(answer.input_screen.risks)},
        "output_screen": {"verdict": answer.output_screen.verdict, "risks": list(answer.output_screen.risks)},
        "fallbacks": [{"model": f.model, "error": f.error, "after_chars": f.after_chars} for f in answer.fallbacks],
        "skipped": answer.skipped,
        "audit_id": answer.audit_id,
        "context_ids": answer.context_ids,
        "withheld_placeholders": answer.withheld_placeholders,  # not restored: they stood in a link or code
        "usage": {
            "prompt_tokens": answer.usage.prompt_tokens,
            "completion_tokens": answer.usage.completion_tokens,
        },
    }


def _body(value: Result, answer: Answer) -> dict[str, Any]:
    body = value.model_dump(mode="json") if isinstance(value, BaseModel) else dict(value)
    body.setdefault("answer", answer_meta(answer))
    return body


class GenerationParams(BaseModel):
    """Generation parameters every feature endpoint takes (the console's playground sets them per request)."""

    temperature: float | None = Field(default=None, ge=0, le=2, description="sampling temperature (LLMs)")
    max_tokens: int | None = Field(default=None, ge=1, le=32_768, description="cap on the answer's tokens")
    system: str | None = Field(
        default=None, max_length=4000, description="extra system instructions before the feature's own prompt"
    )


async def respond(
    lx: Lingxi, turn: Turn, finish: Finish, *, stream: bool, params: GenerationParams | None = None
) -> JSONResponse | StreamingResponse:
    """Run ``turn`` and answer with ``finish``'s result, as JSON or as an SSE stream of deltas then the result.

    ``params`` (the request's temperature, max tokens, system instructions) go into the turn's options; a
    multi-turn answer's follow-up turns are built by the feature and keep its defaults.
    """
    if params is not None:
        turn.options = replace(
            turn.options,
            temperature=params.temperature if params.temperature is not None else turn.options.temperature,
            max_tokens=params.max_tokens if params.max_tokens is not None else turn.options.max_tokens,
            system=params.system or turn.options.system,
        )
    if not stream:
        value, answer = await complete(lx, turn, finish)
        return JSONResponse(_body(value, answer))
    deltas = await lx.astream(turn)
    first = await anext(deltas, None)  # failures before any output become problem JSON
    return EventStream(
        _events(lx, turn, deltas, first, finish),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _events(
    lx: Lingxi, turn: Turn, deltas: AsyncIterator[str], first: str | None, finish: Finish
) -> AsyncIterator[str]:
    try:
        if first:
            yield sse("delta", {"text": first})
        while True:
            async for delta in deltas:
                yield sse("delta", {"text": delta})
            answer = Answer.of(turn)
            value = await finished(finish, turn, answer)
            if not isinstance(value, FollowUp):
                break
            yield sse("step", value.note)
            turn, finish = value.turn, value.finish
            deltas = await lx.astream(turn)
        yield sse("done", _body(value, answer))
    except LingxiError as exc:  # after the response started: tell the client in-band
        yield sse("error", {"code": exc.code, "detail": exc.message, "detail_zh": exc.message_zh})
