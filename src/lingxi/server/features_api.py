"""Feature endpoints: ``/v1/features/...``. Each is a thin shell over a facade method."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from lingxi.errors import InvalidInput
from lingxi.facade import Lingxi
from lingxi.features.notifications import NotificationDigest


class NotificationSummaryRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=128)
    model: str | None = Field(default=None, description="model name, or 'lite'; default from settings")
    now: datetime | None = Field(
        default=None, description="ISO-8601 instant to treat as 'now' (default: the server's clock)"
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
    async def notifications_summary(body: NotificationSummaryRequest) -> NotificationDigest:
        return await lx.anotification_summary(body.user_id, model=body.model, now_ms=_ms(body.now))

    return api
