"""OpenAI-compatible endpoints: ``GET /v1/models`` and ``POST /v1/chat/completions`` (JSON and SSE).

Requests go through the full lingxi path (screening, routing, egress, labels, audit). An ``image_url``
content part (a data URL, or an http URL from a host the operator allowed) is read on the device: it needs
the user's ``camera_photos`` consent, and its recognized text joins the message, screened and redacted like
typed text. The image itself leaves only for a vision model with ``cloud_processing`` consent too
(:mod:`lingxi.vision.outbound`; the egress boundary logs it). Responses have the
OpenAI shape that the official clients parse, plus a ``lingxi`` member carrying what OpenAI has no field
for: the AI-content label, the model kind (language model or classical), screening verdicts, fallbacks and
the audit record id. Streaming follows llama.cpp's server: ``chat.completion.chunk`` events, the first with
the role, the last with ``finish_reason``, an optional usage chunk, then ``data: [DONE]``. The first piece of
the answer is produced before the response starts, so a request that cannot be served gets a proper
problem-JSON status instead of a broken stream. Events that are ready together (the role chunk and that
first piece; the finish, usage and ``[DONE]`` events) go out in one write: the bytes are the same, but each
write passes through every middleware, uvicorn and a socket ``send`` (sends were ~9 % of the gateway's wall
time in a profile under load).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from lingxi.errors import InvalidInput, LingxiError, LoopDetected
from lingxi.facade import Lingxi
from lingxi.features.chat import Chat
from lingxi.models.base import Message, ResponseFormat, Tool
from lingxi.models.openai_compat import HOP_HEADER
from lingxi.models.router import AUTO_ALIAS
from lingxi.pipeline import Answer, Options, Turn
from lingxi.privacy.consent import Scope
from lingxi.server.auth import default_user, require_user
from lingxi.server.event_stream import EventStream
from lingxi.server.fast_route import PrevalidatedRoute
from lingxi.server.feature_stream import answer_meta
from lingxi.server.keys import Forbidden
from lingxi.server.vision_api import MAX_URL_CHARS

#: the longest message content lingxi reads (characters): screening, segmentation and redaction stay bounded
MAX_CONTENT_CHARS = 32_000
Text = Annotated[str, Field(max_length=MAX_CONTENT_CHARS)]
Name = Annotated[str, Field(max_length=128)]
ImageReader = Callable[[str], Awaitable[tuple[str, tuple[str, ...]]]]  # recognized text, picture (if it may go)


#: images per request: each is OCR'd on the device (~1 s of CPU), so a request cannot queue minutes of work
MAX_IMAGES = 4


class ImageURL(BaseModel):
    url: Annotated[str, Field(min_length=8, max_length=MAX_URL_CHARS)]
    detail: Name | None = None


class ContentPart(BaseModel):
    type: Name
    text: Text | None = None
    image_url: ImageURL | None = None


class InMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: Text | Annotated[list[ContentPart], Field(max_length=64)] | None = None

    def images(self) -> list[str]:
        if not isinstance(self.content, list):
            return []
        return [p.image_url.url for p in self.content if p.type == "image_url" and p.image_url is not None]

    async def to_message(self, read_image: ImageReader | None = None) -> Message:
        """The message as text: an ``image_url`` part becomes the text the device recognized in it."""
        images: list[str] = []
        if isinstance(self.content, list):
            pieces: list[str] = []
            for p in self.content:
                if p.type == "text":
                    pieces.append(p.text or "")
                elif p.type == "image_url" and p.image_url is not None and read_image is not None:
                    recognized, picture = await read_image(p.image_url.url)
                    pieces.append(f"\n[图片中的文字（设备端识别）]\n{recognized}\n")
                    images += picture
                else:
                    raise InvalidInput(
                        f"content part type {p.type!r} is not supported (text, image_url)",
                        message_zh="只支持文本（text）和图片（image_url）内容",
                        hint="send text parts, or images as data URLs in image_url parts",
                    )
            text = "".join(pieces).strip()
        else:
            text = self.content or ""
        return Message(role="system" if self.role == "developer" else self.role, content=text, images=tuple(images))


class StreamOptions(BaseModel):
    include_usage: bool = False


class FunctionSpec(BaseModel):
    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="OpenAI's function-name rule")
    description: str = Field(default="", max_length=4_000)
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})


class ToolSpec(BaseModel):
    type: Literal["function"] = "function"
    function: FunctionSpec


class NamedChoice(BaseModel):
    type: Literal["function"] = "function"
    function: dict[Name, Name] = Field(max_length=4)


class JsonSchemaSpec(BaseModel):
    name: Name = "output"
    schema_: dict[str, Any] = Field(default_factory=dict, alias="schema")


class ResponseFormatSpec(BaseModel):
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaSpec | None = None

    def to_format(self) -> ResponseFormat:
        if self.type == "json_schema" and self.json_schema is None:
            raise InvalidInput(
                "response_format json_schema needs a json_schema member",
                message_zh="response_format 为 json_schema 时必须提供 json_schema",
            )
        js = self.json_schema
        return ResponseFormat(type=self.type, json_schema=js.schema_ if js else None, name=js.name if js else "output")


class ChatCompletionRequest(BaseModel):
    """The subset of OpenAI's request lingxi honours; unknown fields are ignored as OpenAI servers do."""

    model_config = ConfigDict(extra="ignore")

    model: str = Field(
        min_length=1, max_length=128, description="a model from /v1/models, or `auto`: the routing policy chooses"
    )
    messages: list[InMessage] = Field(min_length=1, max_length=256)
    stream: bool = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    max_completion_tokens: int | None = Field(default=None, ge=1, le=1_000_000)
    temperature: float | None = Field(default=None, ge=0, le=2)
    seed: int | None = Field(default=None, ge=-(2**63), le=2**63 - 1)
    stop: (
        Annotated[str, Field(max_length=256)]
        | Annotated[list[Annotated[str, Field(max_length=256)]], Field(max_length=16)]
        | None
    ) = None
    user: str | None = Field(default=None, max_length=128)
    tools: list[ToolSpec] = Field(default_factory=list, max_length=128)
    tool_choice: Literal["auto", "none", "required"] | NamedChoice = "auto"
    response_format: ResponseFormatSpec | None = None

    def tool_choice_name(self) -> str:
        if isinstance(self.tool_choice, NamedChoice):
            return self.tool_choice.function.get("name", "auto")
        return self.tool_choice


def _extension(answer: Answer) -> dict[str, Any]:
    meta = answer_meta(answer)
    del meta["model"], meta["finish_reason"], meta["context_ids"], meta["usage"]
    return meta


def _usage(answer: Answer) -> dict[str, int]:
    u = answer.usage
    return {
        "prompt_tokens": u.prompt_tokens,
        "completion_tokens": u.completion_tokens,
        "total_tokens": u.total_tokens,
    }


def _tool_calls(answer: Answer, indexed: bool = False) -> list[dict[str, Any]]:
    return [
        {
            **({"index": i} if indexed else {}),
            "id": c.id,
            "type": "function",
            "function": {"name": c.name, "arguments": c.arguments},
        }
        for i, c in enumerate(answer.tool_calls)
    ]


def _sse(obj: dict[str, Any]) -> bytes:
    """One server-sent event; orjson writes UTF-8 directly (Chinese unescaped), 10×+ faster than json.dumps."""
    return b"data: " + orjson.dumps(obj) + b"\n\n"


def _json(obj: dict[str, Any]) -> Response:
    """A JSON response encoded by orjson, skipping FastAPI's ``jsonable_encoder`` walk (the body is plain data)."""
    return Response(orjson.dumps(obj), media_type="application/json")


def router(lx: Lingxi) -> APIRouter:
    # the chat route's well-formed requests skip FastAPI's generic parameter solving (server/fast_route.py)
    api = APIRouter(prefix="/v1", tags=["OpenAI-compatible"], route_class=PrevalidatedRoute)

    @api.get("/models", summary="List models (OpenAI shape, with lingxi metadata)")
    async def list_models() -> dict[str, Any]:
        return {
            "object": "list",
            "data": [
                {
                    "id": m.name,
                    "object": "model",
                    "created": 0,
                    "owned_by": m.provider,
                    "lingxi": m.model_dump(mode="json"),
                }
                for m in lx.models()
            ],
        }

    @api.post("/chat/completions", summary="Chat completion through the lingxi pipeline", response_model=None)
    async def chat_completions(
        request: Request,
        body: ChatCompletionRequest,
        x_lingxi_user: str | None = Header(default=None, max_length=128),
        x_lingxi_fallback: Literal["allow", "deny"] = Header(
            default="deny",
            description="`allow`: when the named model cannot answer, lingxi may answer with another "
            "(policy, default model, then the lite tier; `lingxi.fallbacks` says which failed). "
            "`deny` (default): the named model or a clear error (503, or 404 for an unknown name).",
        ),
    ) -> Response:
        if HOP_HEADER in request.headers:  # sent by lingxi's own cloud client: a model pointing back at us
            raise LoopDetected(
                f"request carries {HOP_HEADER}: it came from a lingxi server, so a configured model points back "
                "at lingxi; refused to prevent chained calls",
                message_zh="请求来自 lingxi 自身（某个模型的 base_url 指回了 lingxi），为防止循环调用已拒绝",
                hint="point the provider's base_url at the real model server, not at lingxi",
            )
        stop = [body.stop] if isinstance(body.stop, str) else list(body.stop or [])
        options = Options(
            max_tokens=body.max_completion_tokens or body.max_tokens,
            temperature=body.temperature,
            seed=body.seed,
            stop=tuple(stop),
            fallback=x_lingxi_fallback == "allow",
        )
        if x_lingxi_user and body.user and x_lingxi_user != body.user:
            raise Forbidden("X-Lingxi-User and the user field differ", message_zh="X-Lingxi-User 与 user 字段不一致")
        user_id = x_lingxi_user or body.user or default_user(request)
        require_user(request, user_id)
        images = sum(len(m.images()) for m in body.messages)
        if images > MAX_IMAGES:
            raise InvalidInput(
                f"at most {MAX_IMAGES} images per request ({images} sent)",
                message_zh=f"每次请求最多 {MAX_IMAGES} 张图片（收到 {images} 张）",
            )

        async def read_image(url: str) -> tuple[str, tuple[str, ...]]:  # consent first; decode, OCR off the loop
            return await lx.vision.apart(user_id, url)

        messages = [await m.to_message(read_image) for m in body.messages]
        # with a picture, the turn is the camera_photos feature: the gate checks that consent again, and the
        # recognized text is screened, routed and redacted like anything the user typed
        chat = Chat(scopes=frozenset({Scope.CAMERA_PHOTOS})) if images else Chat()
        named = None if body.model == AUTO_ALIAS else body.model  # `auto`: the policy (and a picture) decide
        turn = lx.turn(chat, user_id, model=named, inputs={"messages": messages}, options=options)
        turn.tools = [
            Tool(name=t.function.name, description=t.function.description, parameters=t.function.parameters)
            for t in body.tools
        ]
        turn.tool_choice = body.tool_choice_name()
        turn.response_format = body.response_format.to_format() if body.response_format else None
        completion_id, created = f"chatcmpl-{turn.request_id}", int(time.time())
        if not body.stream:
            answer = await lx.acomplete(turn)
            message: dict[str, Any] = {"role": "assistant", "content": answer.text}
            if answer.tool_calls:
                message["tool_calls"] = _tool_calls(answer)
            return _json(
                {
                    "id": completion_id,
                    "object": "chat.completion",
                    "created": created,
                    "model": answer.model or body.model,
                    "choices": [
                        {
                            "index": 0,
                            "message": message,
                            "finish_reason": answer.finish_reason,
                        }
                    ],
                    "usage": _usage(answer),
                    "lingxi": _extension(answer),
                }
            )
        stream = await lx.astream(turn)
        first = await anext(stream, None)  # errors before any output become problem JSON
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        return EventStream(
            _events(turn, stream, first, completion_id, created, include_usage),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    return api


async def _events(
    turn: Turn, stream: AsyncIterator[str], first: str | None, cid: str, created: int, include_usage: bool
) -> AsyncIterator[bytes]:
    model = turn.answered_by.name if turn.answered_by else (turn.model or "")

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
        return {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }

    opening = _sse(chunk({"role": "assistant", "content": ""}))
    yield (opening + _sse(chunk({"content": first}))) if first else opening
    try:
        async for delta in stream:
            yield _sse(chunk({"content": delta}))
    except LingxiError as exc:  # a failure after the response started: tell the client in-band
        error = {"message": exc.message, "message_zh": exc.message_zh, "type": "server_error", "code": exc.code}
        yield _sse({"error": error})
        return
    answer = Answer.of(turn)
    closing: list[bytes] = []
    if answer.tool_calls:
        closing.append(_sse(chunk({"tool_calls": _tool_calls(answer, indexed=True)})))
    closing.append(_sse(chunk({}, answer.finish_reason, lingxi=_extension(answer))))
    if include_usage:
        closing.append(
            _sse(
                {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "choices": [],
                    "usage": _usage(answer),
                }
            )
        )
    closing.append(b"data: [DONE]\n\n")
    yield b"".join(closing)
