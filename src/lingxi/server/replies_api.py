"""Smart replies endpoint: ``POST /v1/features/replies`` (JSON, or SSE with ``stream``)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import Field

from lingxi.facade import Lingxi
from lingxi.server.auth import require_user
from lingxi.server.feature_stream import GenerationParams, respond
from lingxi.server.features_api import Instant, _ms


class RepliesRequest(GenerationParams):
    user_id: str = Field(min_length=1, max_length=128)
    conversation_id: str = Field(min_length=1, max_length=128)
    model: str | None = Field(default=None, max_length=128, description="model name, or 'lite'; default from settings")
    stream: bool = Field(default=False, description="Server-Sent Events: deltas, then the result")
    now: Instant | None = Field(default=None, description="ISO-8601 instant to treat as 'now'")
    message: str | None = Field(
        default=None, max_length=2000, description="the message to answer, used in non-personalized mode only"
    )


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1/features", tags=["features"])

    @api.post("/replies", summary="Three reply candidates for a conversation's latest message, in the user's style")
    async def replies(request: Request, body: RepliesRequest) -> Response:
        require_user(request, body.user_id)
        turn, feature = lx.replies.turn(
            body.user_id,
            body.conversation_id,
            model=body.model,
            now_ms=lx.clock(body.user_id, _ms(body.now)),
            message=body.message,
        )
        return await respond(lx, turn, feature.suggestions, stream=body.stream, params=body)

    return api
