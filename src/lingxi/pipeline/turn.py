"""The request path every feature goes through (see DESIGN.md).

A :class:`Turn` is the state of one request. A :class:`Stage` is a small object with one method,
``run(turn)``. Stages before generation fill in the turn (consent, context, prompt, screening, routing);
generation sets ``turn.output``, an async stream of text deltas; stages after it wrap that stream
(restore placeholders, screen the output as it arrives, label, audit). Streaming and non-streaming calls
take the exact same path: :meth:`Pipeline.complete` just drains the stream.

A feature is a :class:`Feature`: the consent scopes it needs, a context query and a prompt builder. Its
output parser runs on the :class:`Answer`, outside the path, so the path itself never changes per feature.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from lingxi.compliance.labels import Label
from lingxi.compliance.screen import PASS, ScreenResult
from lingxi.context.consented import EventReader
from lingxi.context.events import Event
from lingxi.ids import now_ms, uuid7
from lingxi.models.base import ChatModel, Message, ModelInfo, ResponseFormat, Task, Tool, ToolCall, Usage
from lingxi.models.router import Budget
from lingxi.privacy.classify import PrivacyClass
from lingxi.privacy.consent import ConsentStatus, Scope
from lingxi.privacy.egress import EgressRecord
from lingxi.privacy.redact import RedactionMap


class Feature(Protocol):
    """What a feature contributes to the path: scopes, a context query and a prompt."""

    @property
    def name(self) -> str:
        """Stable feature name, e.g. ``notifications.summary`` (used in audit records)."""
        ...

    @property
    def scopes(self) -> frozenset[Scope]:
        """Consent scopes the feature needs before it may read anything."""
        ...

    def select_context(self, store: EventReader, turn: Turn) -> list[Event] | Awaitable[list[Event]]:
        """The user's events this request may use (a coroutine when it must wait, e.g. to embed a query).

        ``store`` is a view with only the event types the user's consents cover
        (:class:`~lingxi.context.consented.ConsentedEvents`): read through it, never around it.
        """
        ...

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        """Chat messages for language models and, optionally, a structured task for classical ones.

        No messages means there is nothing to generate (e.g. no new notifications): no model is called.
        """
        ...


@dataclass(frozen=True)
class Options:
    """Generation options the caller may set, including the request's cost and latency budget."""

    max_tokens: int | None = None
    temperature: float | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()
    system: str | None = None  # extra instructions put before the feature's prompt (the console's playground)
    budget: Budget = field(default_factory=Budget)
    #: False: a model the caller named is the only candidate, so an unavailable one is an error instead of a
    #: silent answer from another tier (the OpenAI endpoint's default; see ``X-Lingxi-Fallback``).
    fallback: bool = True


@dataclass
class Fallback:
    """A candidate that failed, why, and how much of its answer had already been delivered."""

    model: str
    error: str
    after_chars: int = 0


@dataclass
class Turn:
    """One request on its way through the stages."""

    user_id: str
    feature: Feature
    model: str | None = None
    options: Options = field(default_factory=Options)
    tools: list[Tool] = field(default_factory=list)
    tool_choice: str = "auto"
    response_format: ResponseFormat | None = None
    now_ms: int = field(default_factory=now_ms)
    inputs: dict[str, object] = field(default_factory=dict)
    request_id: str = field(default_factory=uuid7)
    streaming: bool = False  # a person sees deltas as they come (so a fallback must continue, not restart)
    # filled by the stages, in order
    minor: bool = False  # set by MinorsGate: the user is under 18 (stricter screen, guardian guidance)
    personalized: bool = True  # False in non-personalized mode (PIPL Art. 24): no profile, no stored context
    granted: frozenset[Scope] = frozenset()  # the user's effective consent scopes: what Context lets features read
    consent: ConsentStatus | None = None  # read once per turn by ConsentGate; later stages decide on this one
    context: list[Event] = field(default_factory=list)
    privacy: PrivacyClass = PrivacyClass.PUBLIC
    messages: list[Message] = field(default_factory=list)
    task: Task | None = None
    input_screen: ScreenResult = PASS
    refusal: str | None = None
    candidates: list[ChatModel] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    redaction: RedactionMap = field(default_factory=RedactionMap)
    egress: list[EgressRecord] = field(default_factory=list)  # what left the device, as logged
    withheld: list[str] = field(default_factory=list)  # placeholders not restored: they stood in a link or code
    output: AsyncIterator[str] | None = None
    answered_by: ModelInfo | None = None
    fallbacks: list[Fallback] = field(default_factory=list)
    finish_reason: str = "stop"
    usage: Usage = field(default_factory=Usage)
    tool_calls: list[ToolCall] = field(default_factory=list)
    output_screen: ScreenResult = PASS
    label: Label | None = None
    audit_id: str | None = None
    text: str = ""  # the final text as delivered, set when the stream ends

    def user_text(self) -> str:
        """What the user supplied: the text input screening judges."""
        return "\n".join(m.content for m in self.messages if m.role == "user")


class Stage(Protocol):
    """One step of the path."""

    async def run(self, turn: Turn) -> None: ...


@dataclass(frozen=True)
class Answer:
    """A finished turn, as callers see it."""

    request_id: str
    text: str
    model: str | None
    model_kind: str | None
    refused: bool
    finish_reason: str
    usage: Usage
    label: Label | None
    input_screen: ScreenResult
    output_screen: ScreenResult
    fallbacks: list[Fallback]
    skipped: dict[str, str]
    audit_id: str | None
    context_ids: list[str]
    tool_calls: list[ToolCall]
    withheld_placeholders: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, turn: Turn) -> Answer:
        info = turn.answered_by
        return cls(
            request_id=turn.request_id,
            text=turn.text,
            model=info.name if info else None,
            model_kind=info.kind.value if info else None,
            refused=turn.refusal is not None or turn.output_screen.blocked,
            finish_reason=turn.finish_reason,
            usage=turn.usage,
            label=turn.label,
            input_screen=turn.input_screen,
            output_screen=turn.output_screen,
            fallbacks=list(turn.fallbacks),
            skipped=dict(turn.skipped),
            audit_id=turn.audit_id,
            context_ids=[e.event_id for e in turn.context],
            tool_calls=list(turn.tool_calls),
            withheld_placeholders=list(dict.fromkeys(turn.withheld)),
        )


class PipelineObserver(Protocol):
    """Watches timings without touching the turn (metrics, tracing); failures in it never fail a request.

    ``error`` is the exception the stage (or the answer's stream) raised, None when it succeeded; after a
    failed stage no ``turn_done`` follows.
    """

    def stage_done(self, turn: Turn, stage: str, seconds: float, error: BaseException | None) -> None: ...

    def turn_done(self, turn: Turn, ttft_s: float | None, total_s: float, error: BaseException | None) -> None: ...


class Pipeline:
    """An ordered list of stages, plus optional observers told how long each stage and the answer took."""

    def __init__(self, stages: Sequence[Stage], observers: Sequence[PipelineObserver] = ()) -> None:
        self.stages = list(stages)
        self.observers = list(observers)

    async def start(self, turn: Turn) -> AsyncIterator[str]:
        """Run every stage; return the answer's stream of text deltas (consume it to finish the turn)."""
        turn.streaming = True
        return await self._run(turn)

    async def _run(self, turn: Turn) -> AsyncIterator[str]:
        started = time.perf_counter()
        for stage in self.stages:
            if not self.observers:
                await stage.run(turn)
                continue
            t0, error = time.perf_counter(), None
            try:
                await stage.run(turn)
            except BaseException as exc:
                error = exc
                raise
            finally:
                self._notify("stage_done", turn, type(stage).__name__, time.perf_counter() - t0, error)
        if turn.output is None:
            raise RuntimeError("pipeline has no generate stage: turn.output was never set")
        return self._observed(turn, turn.output, started) if self.observers else turn.output

    async def _observed(self, turn: Turn, stream: AsyncIterator[str], started: float) -> AsyncIterator[str]:
        """``stream`` unchanged, timing the first delta (TTFT) and the end of the answer."""
        ttft: float | None = None
        error: BaseException | None = None
        try:
            async for delta in stream:
                if ttft is None:
                    ttft = time.perf_counter() - started
                yield delta
        except BaseException as exc:  # GeneratorExit too: the caller stopped reading
            error = exc
            raise
        finally:
            self._notify("turn_done", turn, ttft, time.perf_counter() - started, error)

    def _notify(self, event: str, *args: object) -> None:
        for observer in self.observers:
            try:
                getattr(observer, event)(*args)
            except Exception:  # an observer bug must not break a user's request
                logging.getLogger("lingxi.pipeline").exception("pipeline observer %s failed", event)

    async def complete(self, turn: Turn) -> Answer:
        """Run the turn to the end and return the whole answer."""
        stream = await self._run(turn)
        async for _ in stream:
            pass
        return Answer.of(turn)
