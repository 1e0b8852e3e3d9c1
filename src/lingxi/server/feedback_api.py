"""``POST /v1/feedback``: what the user did with an answer (see :mod:`lingxi.adapt.feedback`).

Every feature result carries its ``request_id``; the app sends it back here as ``answer_id`` with the action.
The answer says whether it was kept: feedback is stored only under the separate ``model_improvement``
consent and never for a minor, and a refusal to keep it is not an error (``recorded: false`` and why).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from lingxi.context.feedback_events import FeedbackAction
from lingxi.facade import Lingxi
from lingxi.server.auth import require_user


class FeedbackRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=128)
    feature: str = Field(min_length=1, max_length=64)
    answer_id: str = Field(min_length=1, max_length=128, description="the answer's request_id")
    action: FeedbackAction
    prompt: str = Field(default="", max_length=5_000)
    candidate: str = Field(default="", max_length=5_000)
    edited: str = Field(default="", max_length=5_000)
    rejected: str = Field(default="", max_length=5_000)
    item_id: str = Field(default="", max_length=128)
    event_id: str = Field(default="", max_length=128, description="idempotency key (default: a new one)")


class FeedbackResponse(BaseModel):
    recorded: bool
    event_id: str
    reason: str = Field(default="", description="why it was not kept (Chinese)")


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["feedback"])

    @api.post("/feedback", summary="Record what the user did with an answer (model_improvement consent)")
    async def feedback(request: Request, body: FeedbackRequest) -> FeedbackResponse:
        require_user(request, body.user_id)
        fields = body.model_dump(exclude={"user_id"})
        receipt = lx.feedback(body.user_id, **fields)
        return FeedbackResponse(recorded=receipt.recorded, event_id=receipt.event_id, reason=receipt.reason)

    return api
