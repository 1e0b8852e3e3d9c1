"""Assistant endpoints: ask (JSON or SSE), confirm a pending action, and list the tools' JSON schemas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from lingxi.facade import Lingxi
from lingxi.features.assistant import ConfirmResult
from lingxi.server.auth import require_user
from lingxi.server.feature_stream import GenerationParams, respond
from lingxi.server.features_api import Instant, _ms


class AskRequest(GenerationParams):
    user_id: str = Field(min_length=1, max_length=128)
    question: str = Field(min_length=1, max_length=500)
    session_id: str | None = Field(default=None, max_length=64, description="omit to start a new session")
    model: str | None = Field(default=None, max_length=128)
    now: Instant | None = Field(default=None, description="ISO-8601 instant to treat as 'now'")
    stream: bool = False


class ConfirmRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=128)
    session_id: str = Field(min_length=1, max_length=64)
    action_id: str = Field(min_length=1, max_length=64)
    approve: bool


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1/features/assistant", tags=["features"])

    @api.post("", response_model=None, summary="Ask the personal assistant about the user's own data (with citations)")
    async def ask(body: AskRequest, request: Request) -> JSONResponse | StreamingResponse:
        require_user(request, body.user_id)
        turn, finish = lx.assistant.prepare(
            body.user_id,
            body.question,
            session_id=body.session_id,
            model=body.model,
            now_ms=lx.clock(body.user_id, _ms(body.now)),
        )
        return await respond(lx, turn, finish, stream=body.stream, params=body)

    @api.post("/confirm", summary="Approve or cancel a pending app action")
    async def confirm(body: ConfirmRequest, request: Request) -> ConfirmResult:
        require_user(request, body.user_id, writes=True)
        return await lx.assistant.aconfirm(body.user_id, body.session_id, body.action_id, body.approve)

    @api.get("/tools", summary="The app actions the assistant may use, with JSON schemas")
    async def tools() -> list[dict[str, Any]]:
        return [
            {"name": t.name, "description": t.description, "side_effects": t.side_effects, "app": t.app,
             "parameters": t.args.model_json_schema()}
            for t in lx.assistant.tools.all()
        ]  # fmt: skip

    return api
