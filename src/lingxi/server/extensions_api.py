"""Plug-in feature endpoints: ``GET /v1/features/ext`` lists them, ``POST /v1/features/ext/{name}`` runs one.

The body carries the feature's ``inputs`` (a JSON object the plug-in defines), the user and the model; the
answer has the same shape as every other feature's (:mod:`lingxi.server.feature_stream`), streamed or not.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from lingxi.facade import Lingxi
from lingxi.server.auth import default_user, require_user
from lingxi.server.feature_stream import respond


class ExtensionRequest(BaseModel):
    inputs: dict[str, Any] = Field(default_factory=dict, description="the plug-in feature's own inputs")
    user_id: str | None = Field(
        default=None, min_length=1, max_length=128, description="default: the caller's user (or local)"
    )
    model: str | None = Field(default=None, max_length=128, description="model name, or 'lite'; default from settings")
    stream: bool = False


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1/features/ext", tags=["extensions"])

    @api.get("", summary="Features added by installed plug-ins")
    async def names() -> dict[str, list[str]]:
        return {"features": lx.extensions.names()}

    @api.post("/{name}", response_model=None, summary="Run a feature added by a plug-in")
    async def run(name: str, body: ExtensionRequest, request: Request) -> JSONResponse | StreamingResponse:
        user_id = body.user_id or default_user(request)
        require_user(request, user_id)
        turn, finish = lx.extensions.prepare(name, body.inputs, user_id=user_id, model=body.model)
        return await respond(lx, turn, finish, stream=body.stream)

    return api
