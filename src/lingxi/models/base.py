"""The one interface every model backend implements.

Shaped like httpx's transport: a backend implements a single method, :meth:`ChatModel.stream`, that turns a
:class:`ChatRequest` into an async stream of :class:`ChatChunk`. Non-streaming calls are the same stream
collected by :func:`collect`, so no backend writes two code paths and streaming can never drift from the
non-streaming answer. A request says whether its caller reads the answer as it comes
(:attr:`ChatRequest.stream`): when it does not, a backend may fetch the whole answer at once and yield it as
one chunk (the cloud tier asks its server for a plain JSON response instead of ~50 server-sent events).

A request carries OpenAI-style ``messages`` for language models and, optionally, a structured :class:`Task`
for classical models (the lite tier) that cannot read a prompt: the same feature call works on both.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from enum import StrEnum
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["system", "user", "assistant", "tool"]


class Message(BaseModel):
    """One chat message (OpenAI shape).

    Multi-turn tool use needs two optional fields: an assistant message that asked for ``tool_calls`` and the
    ``tool`` message answering one of them by ``tool_call_id``. Both default to None, so plain messages are
    built (and serialized) exactly as before.

    ``images`` are pictures attached to a user message as data URLs. ``content`` always carries what the
    device read in them too, so a model that cannot see (and every on-device backend) works from the text;
    only a backend whose model ``supports_vision`` serializes them (``openai(images=True)``), and the egress
    boundary drops them unless the user's consents allow a picture to leave (:mod:`lingxi.stages`).
    """

    model_config = ConfigDict(frozen=True)

    role: Role
    content: str
    tool_call_id: str | None = None
    tool_calls: list[ToolCall] | None = None
    images: tuple[str, ...] = ()

    def openai(self, *, images: bool = False) -> dict[str, Any]:
        """The OpenAI wire shape: ``tool_calls`` on an assistant message, ``tool_call_id`` on a tool message,
        and, with ``images``, content parts (text, then one ``image_url`` per picture)."""
        out: dict[str, Any] = {"role": self.role, "content": self.content}
        if images and self.images:
            out["content"] = [
                {"type": "text", "text": self.content},
                *({"type": "image_url", "image_url": {"url": url}} for url in self.images),
            ]
        if self.tool_calls:
            out["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                for c in self.tool_calls
            ]
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        return out


class Locality(StrEnum):
    """Where a model runs; decides whether the egress boundary applies."""

    ON_DEVICE = "on_device"
    CLOUD = "cloud"


class ModelKind(StrEnum):
    """What produced a text: a language model, or a classical algorithm that must say so."""

    LLM = "llm"
    CLASSICAL = "classical"


class ModelInfo(BaseModel):
    """What the router and the reports need to know about a model."""

    model_config = ConfigDict(frozen=True)

    name: str
    provider: str
    locality: Locality
    kind: ModelKind
    description: str = ""
    context_length: int = 4096
    supports_tools: bool = False
    supports_json: bool = False
    supports_vision: bool = Field(default=False, description="accepts images (OpenAI image_url content parts)")
    languages: tuple[str, ...] = ("zh", "en")
    cost_input_per_1k_cny: float = 0.0
    cost_output_per_1k_cny: float = 0.0
    tasks: frozenset[str] | None = Field(
        default=None, description="task kinds a classical model can do; None = any (it reads prompts)"
    )
    method: str = Field(default="", description="how a classical model works: extractive, retrieval, rules")

    def can_do(self, task: Task | None) -> bool:
        """Whether this model can serve a request carrying ``task`` (plain chat when None)."""
        return self.tasks is None or (task.kind if task else "chat") in self.tasks


class Document(BaseModel):
    """A titled piece of source text a task works on (e.g. one app's notifications)."""

    title: str = ""
    text: str


class Task(BaseModel):
    """A structured description of the work, for models that do not read prompts.

    ``summarize``: one extractive summary per document. ``key_points``: the most central sentences as a list.
    ``reply``: pick the best of ``candidates`` as a reply to the last message. ``chat``: free conversation.
    ``compose``: the feature's own code already computed the answer (exact arithmetic, rule-based edits, a
    table parsed from the text) and put it in ``documents``; a language model rephrases it from the prompt,
    the rule-based lite model returns it as it is. ``translate``: needs a language model (no classical
    model offers it, so the router skips the lite tier with that reason).
    """

    kind: Literal["summarize", "key_points", "reply", "chat", "compose", "translate"]
    documents: list[Document] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list)
    max_sentences: int = Field(default=2, ge=1, le=20)


class Tool(BaseModel):
    """A function the model may call (an app action), described by a JSON schema for its arguments."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})

    def openai(self) -> dict[str, Any]:
        """The OpenAI ``tools`` entry for this tool."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


class ToolCall(BaseModel):
    """A complete call the model asked for; ``arguments`` is the JSON text the model wrote."""

    id: str
    name: str
    arguments: str


Message.model_rebuild()  # ToolCall is defined after Message


class ResponseFormat(BaseModel):
    """Constrain the answer: free ``text``, any ``json_object``, or JSON matching ``json_schema``."""

    type: Literal["text", "json_object", "json_schema"] = "text"
    json_schema: dict[str, Any] | None = None
    name: str = "output"


class ChatRequest(BaseModel):
    """Everything a backend gets for one generation."""

    messages: list[Message]
    task: Task | None = None
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    seed: int | None = None
    stop: list[str] = Field(default_factory=list)
    tools: list[Tool] = Field(default_factory=list)
    tool_choice: Literal["auto", "none", "required"] | str = "auto"
    response_format: ResponseFormat | None = None
    #: False: the caller reads only the whole answer, so a backend may ask its server for one JSON response
    #: instead of a stream of events (the cloud tier does; on-device backends ignore it). It changes how the
    #: answer travels, not what is asked: it is no part of the payload (the egress log records the payload).
    stream: bool = Field(default=True, exclude=True)


class Usage(BaseModel):
    """Tokens in and out, as the backend counts them (the lite tier counts jieba words)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class ChatChunk(BaseModel):
    """A piece of a streamed answer. The last chunk has ``finish_reason`` and, where known, ``usage``.

    Tool calls are delivered whole (never as fragments), on the chunk where they complete.
    """

    delta: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    finish_reason: Literal["stop", "length", "content_filter", "tool_calls"] | None = None
    usage: Usage | None = None


class ChatResult(BaseModel):
    """A whole answer, as :func:`collect` assembles it."""

    text: str
    model: str
    kind: ModelKind
    finish_reason: str
    usage: Usage
    tool_calls: list[ToolCall] = Field(default_factory=list)


@runtime_checkable
class ChatModel(Protocol):
    """A model backend: metadata plus one streaming method."""

    @property
    def info(self) -> ModelInfo:
        """What the router and reports need to know; constant for the model's lifetime."""
        ...

    def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        """Generate an answer as a stream of chunks."""
        ...


async def collect(model: ChatModel, request: ChatRequest) -> ChatResult:
    """Run ``model`` and join its stream into one :class:`ChatResult`."""
    parts: list[str] = []
    calls: list[ToolCall] = []
    finish = "stop"
    usage = Usage()
    async for chunk in model.stream(request):
        parts.append(chunk.delta)
        calls.extend(chunk.tool_calls)
        if chunk.finish_reason:
            finish = chunk.finish_reason
        if chunk.usage:
            usage = chunk.usage
    return ChatResult(
        text="".join(parts),
        model=model.info.name,
        kind=model.info.kind,
        finish_reason=finish,
        usage=usage,
        tool_calls=calls,
    )
