"""Feature endpoints: ``/v1/features/...``. Each is a thin shell over a facade method."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import AfterValidator, BaseModel, Field

from lingxi.errors import InvalidInput
from lingxi.facade import Lingxi
from lingxi.features.notifications import NotificationDigest
from lingxi.server.auth import require_user
from lingxi.server.feature_stream import GenerationParams, respond


def _in_range(instant: datetime) -> datetime:
    # the events' own bounds: a year like 0001 or 9999 overflows the arithmetic on windows around "now"
    if not 2000 <= instant.year < 2100:
        raise ValueError("must be between 2000-01-01 and 2100-01-01")
    return instant


#: an ISO-8601 instant a request may name ("now", "since"): years 2000 to 2099
Instant = Annotated[datetime, AfterValidator(_in_range)]


class NotificationSummaryRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=128)
    model: str | None = Field(default=None, max_length=128, description="model name, or 'lite'; default from settings")
    now: Instant | None = Field(
        default=None, description="ISO-8601 instant to treat as 'now' (default: the server's clock)"
    )


class ConversationsRequest(NotificationSummaryRequest, GenerationParams):
    stream: bool = Field(default=False, description="Server-Sent Events: summary deltas, then the result")


class DigestRequest(ConversationsRequest):
    since: Instant | None = Field(
        default=None, description="ISO-8601 start (default: the end of the user's last digest, else the window)"
    )


def _ms(now: datetime | None) -> int | None:
    if now is None:
        return None
    if now.tzinfo is None:
        raise InvalidInput(
            "now must include a UTC offset, e.g. 2026-11-22T21:30:00+08:00",
            message_zh="now 必须带时区，例如 2026-11-22T21:30:00+08:00",
        )
    return int(now.timestamp() * 1000)


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1/features", tags=["features"])

    @api.post("/notifications/summary", summary="Summarize a user's recent notifications by app, urgent first")
    async def notifications_summary(request: Request, body: NotificationSummaryRequest) -> NotificationDigest:
        require_user(request, body.user_id)
        return await lx.anotification_summary(
            body.user_id, model=body.model, now_ms=lx.clock(body.user_id, _ms(body.now))
        )

    @api.post(
        "/notifications/conversations",
        summary="Summarize a user's recent messages per conversation, ranked by explained priority",
    )
    async def notifications_conversations(request: Request, body: ConversationsRequest) -> Response:
        require_user(request, body.user_id)
        turn, finish = lx.notifications.conversations_turn(
            body.user_id, model=body.model, now_ms=lx.clock(body.user_id, _ms(body.now))
        )
        return await respond(lx, turn, finish, stream=body.stream, params=body)

    @api.post("/notifications/digest", summary="What the user missed: urgent items, conversations, then apps")
    async def notifications_digest(request: Request, body: DigestRequest) -> Response:
        require_user(request, body.user_id)
        turn, finish = lx.notifications.digest_turn(
            body.user_id, since_ms=_ms(body.since), now_ms=lx.clock(body.user_id, _ms(body.now)), model=body.model
        )
        return await respond(lx, turn, finish, stream=body.stream, params=body)

    return api
