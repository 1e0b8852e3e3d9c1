"""The stages of the request path, in order. Each is one small object with one method, ``run(turn)``.

The stages here, up to :class:`~lingxi.pipeline.generation.Generate` (its own module), fill in the turn; the ones after
it (:mod:`lingxi.pipeline.stages_output`: restore, output screen, label, audit) wrap ``turn.output``, the answer's
stream of text deltas. All are re-exported here, where the facade assembles the list.
"""

from __future__ import annotations

import asyncio
import inspect
import weakref
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import anyio.to_thread

from lingxi.compliance.conversation import screen_conversation
from lingxi.compliance.refusal import CRISIS, crisis, decide, support_text
from lingxi.compliance.screen import Screener
from lingxi.context.consented import ConsentedEvents, EventReader, readable_types
from lingxi.errors import ConsentRequired
from lingxi.models.base import ChatChunk, ChatModel, ChatRequest, Document, Locality, Message, Task
from lingxi.models.router import Router
from lingxi.pipeline.generation import Generate
from lingxi.pipeline.stages_output import SCREEN_INLINE_CHARS, Audit, LabelOutput, OutputScreen, Restore
from lingxi.pipeline.turn import Turn
from lingxi.privacy.classify import PrivacyClass, classify
from lingxi.privacy.consent import ConsentStore, Scope
from lingxi.privacy.egress import EgressLog
from lingxi.privacy.names_model import NameModel, model_for
from lingxi.privacy.redact import RedactionMap, Redactor


class ConsentGate:
    """No scope, no use: the feature's scopes must all be granted before anything is read.

    The status is read fresh on every request (once: it is kept on the turn as ``turn.consent``), so a
    withdrawal (or a guardian withdrawing consent) applies to the very next one. An under-14 user without
    guardian consent is refused whatever the feature (PIPL Art. 31); with it, their data counts as sensitive
    (Art. 28), so it stays on the device unless ``cloud_processing`` was granted too. Non-personalized mode
    (Art. 24) is passed on as ``turn.personalized``; the feature's scopes are still required, because a scope
    is the declaration of
    what a feature may touch, not only of what :class:`Context` reads.
    """

    def __init__(self, consents: ConsentStore) -> None:
        self.consents = consents

    async def run(self, turn: Turn) -> None:
        status = self.consents.require(turn.user_id, turn.feature.scopes)
        turn.consent = status  # one read per turn: the minors gate and later stages use this status
        turn.granted = frozenset(status.effective_scopes)
        turn.personalized = turn.personalized and not status.non_personalized  # a caller may also opt out
        if status.minor:
            turn.privacy = PrivacyClass.SENSITIVE


class Context:
    """Fetch the user's relevant events (on device) and classify how sensitive they are.

    The feature reads through a :class:`ConsentedEvents` view holding only the event types the user's
    granted scopes cover (set on the turn by :class:`ConsentGate`), whatever types it asks for. In
    non-personalized mode nothing is read: the feature runs on the caller's inputs alone. The class never
    goes below what an earlier stage set (a minor's data is sensitive whatever the events are).
    """

    def __init__(self, store: EventReader) -> None:
        self.store = store

    async def run(self, turn: Turn) -> None:
        view = ConsentedEvents(self.store, readable_types(turn.granted))
        selected = turn.feature.select_context(view, turn) if turn.personalized else []
        turn.context = await selected if inspect.isawaitable(selected) else selected
        found = classify(turn.context)
        turn.privacy = max(turn.privacy, found, key=_PRIVACY_RANK.index)


_PRIVACY_RANK = (PrivacyClass.PUBLIC, PrivacyClass.PERSONAL, PrivacyClass.SENSITIVE)
#: a picture itself leaves only with both: it cannot be redacted (see lingxi.vision.outbound)
PICTURE_SCOPES = frozenset({Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING})


class BuildPrompt:
    """The feature's template turns context and inputs into messages (and a task for classical models).

    In a worker thread: some features compute their answer here (proofreading 20,000 characters, parsing a
    table), seconds of CPU that must not hold up other requests. A feature whose prompt is its caller's
    messages as they are (chat) says ``prompt_inline = True`` and runs on the loop: the thread hop and its
    GIL hand-offs cost more CPU than the work (benchmarks/README.md, ``bench_gateway.py``).
    """

    async def run(self, turn: Turn) -> None:
        if getattr(turn.feature, "prompt_inline", False):
            turn.messages, turn.task = turn.feature.build_prompt(turn)
        else:
            turn.messages, turn.task = await anyio.to_thread.run_sync(turn.feature.build_prompt, turn)
        if turn.options.system and turn.messages:  # screened with the rest by InputScreen, which runs next
            turn.messages = [Message(role="system", content=turn.options.system), *turn.messages]


class InputScreen:
    """Screen the request: every message of every role (system, user, assistant, tool) and the conversation
    assembled (:func:`screen_conversation`). A person in crisis gets a supportive answer with help lines
    (never a refusal); a block becomes a polite refusal instead of a generation; a sensitive but legitimate
    ask is answered, with care guidance added to the system prompt (safe completion). Minors get the
    screener's stricter view when it has one."""

    def __init__(self, screener: Screener, *, minors: Screener | None = None) -> None:
        self.screener = screener
        self.minors = minors or screener

    async def run(self, turn: Turn) -> None:
        if not turn.user_text():
            return
        if crisis(turn.user_text()):
            turn.input_screen = CRISIS
            turn.refusal = support_text(minor=turn.minor)
            return
        screener = self.minors if turn.minor else self.screener
        texts = [m.content for m in turn.messages]
        if sum(len(x) for x in texts) <= SCREEN_INLINE_CHARS:
            turn.input_screen = screen_conversation(screener, texts)
        else:  # long input: in a worker thread, so other requests keep being served
            turn.input_screen = await anyio.to_thread.run_sync(screen_conversation, screener, texts)
        decision = decide(turn.input_screen)
        if decision.action == "refuse":
            turn.refusal = decision.text
        elif decision.action == "answer_with_care":
            turn.messages = [Message(role="system", content=decision.text), *turn.messages]


class Route:
    """Ordered candidate models for this task and privacy class (see :class:`Router`)."""

    def __init__(self, router: Router) -> None:
        self.router = router

    async def run(self, turn: Turn) -> None:
        """Cloud models only with ``cloud_processing`` among the scopes :class:`ConsentGate` read for this turn.

        What the user typed is their personal information as much as their stored events are (PIPL Art. 4),
        so a turn carrying the user's text is at least ``personal``: it needs ``cloud_processing`` to leave.
        A turn carrying a picture (attached only where :mod:`lingxi.vision.outbound` allowed it) with both
        consents still granted prefers the models that see, within the policy (:meth:`Router.decide`).
        """
        if turn.refusal is None and turn.messages:
            if turn.user_text():
                turn.privacy = max(turn.privacy, PrivacyClass.PERSONAL, key=_PRIVACY_RANK.index)
            decision = self.router.decide(
                feature=turn.feature.name,
                requested=turn.model,
                task=turn.task,
                privacy=turn.privacy,
                cloud_ok=Scope.CLOUD_PROCESSING in turn.granted,
                messages=turn.messages,
                max_tokens=turn.options.max_tokens,
                budget=turn.options.budget,
                fallback=turn.options.fallback,
                images=any(m.images for m in turn.messages) and turn.granted >= PICTURE_SCOPES,
            )
            turn.candidates, turn.skipped = decision.candidates, decision.skipped


class _Guarded:
    """A cloud model seen through the egress boundary: redact, record, then send."""

    def __init__(self, inner: ChatModel, turn: Turn, redactor: Redactor, log: EgressLog) -> None:
        self.info = inner.info
        # The turn holds this model among its candidates: a strong reference back made every finished turn a
        # cycle (with its messages, context and records) that only the collector could free, ~0.15 ms of
        # collections per request; through a weak proxy the turn is freed the moment its request ends.
        self._turn: Turn = weakref.proxy(turn)
        self._inner, self._redactor, self._log = inner, redactor, log

    def _redact_task(self, task: Task | None, mapping: RedactionMap) -> Task | None:
        if task is None:
            return None
        docs = [Document(title=d.title, text=self._redactor.redact(d.text, mapping)) for d in task.documents]
        cands = [self._redactor.redact(c, mapping) for c in task.candidates]
        return task.model_copy(update={"documents": docs, "candidates": cands})

    def images_may_leave(self) -> bool:
        """A picture itself (it cannot be redacted) goes only to a model that sees, and only with both
        ``camera_photos`` and ``cloud_processing``; otherwise only the redacted recognized text leaves."""
        granted = self._turn.granted
        return self.info.supports_vision and granted >= PICTURE_SCOPES

    def _outbound(self, request: ChatRequest, mapping: RedactionMap) -> ChatRequest:
        keep = self.images_may_leave()
        messages = [
            m.model_copy(
                update={"content": self._redactor.redact(m.content, mapping), "images": m.images if keep else ()}
            )
            for m in request.messages
        ]
        return request.model_copy(update={"messages": messages, "task": self._redact_task(request.task, mapping)})

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        granted = self._turn.granted
        if Scope.CLOUD_PROCESSING not in granted:  # the router already keeps these out; the boundary holds anyway
            raise ConsentRequired([Scope.CLOUD_PROCESSING.value])
        mapping = self._turn.redaction
        if sum(len(m.content) for m in request.messages) <= SCREEN_INLINE_CHARS and request.task is None:
            outbound = self._outbound(request, mapping)  # short: cheaper on the loop than a thread hop
        else:
            outbound = await anyio.to_thread.run_sync(self._outbound, request, mapping)  # PII regexes: off the loop
        record = await self._log.record(
            user_id=self._turn.user_id,
            request_id=self._turn.request_id,
            model=self.info.name,
            provider=self.info.provider,
            payload=outbound.model_dump_json(),
            redactions=mapping.counts,
            feature=self._turn.feature.name,
            consents=[s.value for s in granted & (self._turn.feature.scopes | {Scope.CLOUD_PROCESSING})],
            images=sum(len(m.images) for m in outbound.messages),
        )
        self._turn.egress.append(record)
        async for chunk in self._inner.stream(outbound):
            yield chunk


class EgressBoundary:
    """Off-device candidates only ever see redacted text, and every payload that leaves is logged.

    ``contacts`` names the people in the user's life (from the on-device profile), so their names are
    redacted even where no title or label gives them away; other names are found with the names resource
    built into ``home`` (``lingxi privacy names build``), else the seed.
    """

    def __init__(
        self,
        log: EgressLog,
        contacts: Callable[[str], Sequence[str]] = lambda _user: (),
        home: Path | None = None,
    ) -> None:
        self.log = log
        self.contacts = contacts
        self.home = home
        self._names: NameModel | None = None  # model_for's per-process model, once loaded

    async def run(self, turn: Turn) -> None:
        if not any(m.info.locality is Locality.CLOUD for m in turn.candidates):
            return
        if self._names is None:  # the first load reads jieba's dictionary (~1 s): off the loop, once
            self._names = await asyncio.to_thread(model_for, self.home)
        redactor = Redactor(contacts=self.contacts(turn.user_id), names=self._names)
        turn.candidates = [
            _Guarded(m, turn, redactor, self.log) if m.info.locality is Locality.CLOUD else m for m in turn.candidates
        ]


__all__ = [
    "Audit",
    "BuildPrompt",
    "ConsentGate",
    "Context",
    "EgressBoundary",
    "Generate",
    "InputScreen",
    "LabelOutput",
    "OutputScreen",
    "Restore",
    "Route",
]
