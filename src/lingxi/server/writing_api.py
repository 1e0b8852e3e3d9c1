"""Writing tool endpoints: ``POST /v1/features/writing/{kind}``.

One endpoint shape for every tool (rewrite, proofread, summarize, key_points, table, translate): the body
names the text and the tool's options; the result is the tool's typed result plus ``answer`` (who answered,
AI label, audit id), or with ``stream`` an SSE stream of deltas then that result (see ``feature_stream``).
Streamed deltas are the model's raw output (for Traditional input, still in Simplified); ``done`` carries
the parsed result in the caller's script.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from lingxi.errors import ModelUnavailable
from lingxi.facade import Lingxi
from lingxi.features.translate import needs_llm_error
from lingxi.features.writing_base import MAX_INPUT_CHARS
from lingxi.server.auth import default_user, require_user
from lingxi.server.feature_stream import GenerationParams, respond

Kind = Literal["rewrite", "proofread", "summarize", "key_points", "table", "translate"]


class WritingRequest(GenerationParams):
    text: str = Field(min_length=1, max_length=MAX_INPUT_CHARS)
    tone: str | None = Field(
        default=None, max_length=32, description="rewrite: 正式/友好/简洁/专业 or formal/friendly/..."
    )
    target: str | None = Field(
        default=None, max_length=32, description="translate: zh, en, zh-Hant or zh-Hant-TW (default: auto)"
    )
    script: str | None = Field(
        default=None, max_length=32, description="zh-Hans, zh-Hant or zh-Hant-TW (default: detected)"
    )
    sentences: int = Field(default=3, ge=1, le=20, description="summarize/key_points: sentences or points")
    user_id: str | None = Field(
        default=None, min_length=1, max_length=128, description="default: the caller's user (or local)"
    )
    model: str | None = Field(default=None, max_length=128, description="model name, or 'lite'; default from settings")
    stream: bool = False


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1/features/writing", tags=["writing"])

    @api.post(
        "/{kind}",
        response_model=None,
        summary="Rewrite, proofread, summarize, list key points, tabulate or translate a text",
    )
    async def writing(kind: Kind, body: WritingRequest, request: Request) -> JSONResponse | StreamingResponse:
        user_id = body.user_id or default_user(request)
        require_user(request, user_id)
        turn, finish = await run_in_threadpool(  # script detection and conversion of up to 20,000 characters
            lx.writing.prepare,
            kind,
            body.text,
            tone=body.tone,
            target=body.target,
            script=body.script,
            user_id=user_id,
            model=body.model,
            sentences=body.sentences,
        )
        try:
            return await respond(lx, turn, finish, stream=body.stream, params=body)
        except ModelUnavailable as exc:
            raise needs_llm_error(exc) if turn.task and turn.task.kind == "translate" else exc from exc

    return api
