"""Picture endpoints: ``POST /v1/features/vision/read``, ``/extract`` and ``/ask``.

The image travels as a data URL (``data:image/png;base64,...``) or, when the operator allowed its host
(``[vision] allowed_url_hosts``), an http(s) URL — the same forms as an OpenAI ``image_url`` part. The
request body limit (``server.max_body_bytes``) bounds the upload; the image limits (``[vision]``) bound
the decoding. ``read`` returns the recognized text with its layout and QR codes; ``extract`` adds the kind
of picture, its fields and the proposals saved as pending actions (confirm them with
``POST /v1/features/assistant/confirm``); ``ask`` answers a question through the pipeline.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from lingxi.facade import Lingxi
from lingxi.server.auth import default_user, require_user
from lingxi.server.feature_stream import answer_meta
from lingxi.vision.service import ImageExtraction, ImageReading

#: a data URL of the largest accepted image (base64: 4 characters per 3 bytes), with room for its header
MAX_URL_CHARS = 16 * 1024 * 1024


class ImageRequest(BaseModel):
    image_url: str = Field(min_length=8, max_length=MAX_URL_CHARS, description="data:image/...;base64,... or URL")
    user_id: str | None = Field(default=None, min_length=1, max_length=128, description="default: the caller")


class ReadRequest(ImageRequest):
    simplified: bool = Field(default=True, description="convert Traditional text to Simplified")


class ExtractRequest(ImageRequest):
    session_id: str | None = Field(default=None, max_length=64, description="assistant session for the proposals")


class AskRequest(ImageRequest):
    question: str = Field(default="这是什么？", min_length=1, max_length=500)
    model: str | None = Field(default=None, max_length=128)


class AskResponse(BaseModel):
    text: str
    reading: ImageReading
    answer: dict[str, object]


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1/features/vision", tags=["vision"])

    def user(request: Request, body: ImageRequest) -> str:
        uid = body.user_id or default_user(request)
        require_user(request, uid)
        return uid

    @api.post("/read", summary="Recognize a picture's text (with layout) and QR codes on the device")
    async def read(body: ReadRequest, request: Request) -> ImageReading:
        return await lx.vision.aread(user(request, body), body.image_url, simplified=body.simplified)

    @api.post("/extract", summary="What a picture is, its fields, and the actions it proposes (to confirm)")
    async def extract(body: ExtractRequest, request: Request) -> ImageExtraction:
        return await lx.vision.aextract(user(request, body), body.image_url, session_id=body.session_id)

    @api.post("/ask", summary="Answer a question about a picture from its recognized text")
    async def ask(body: AskRequest, request: Request) -> AskResponse:
        reading, answer = await lx.vision.aask(user(request, body), body.image_url, body.question, model=body.model)
        return AskResponse(text=answer.text, reading=reading, answer=answer_meta(answer))

    return api
