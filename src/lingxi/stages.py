"""The stages of the request path, in order. Each is one small object with one method, ``run(turn)``.

Stages up to :class:`~lingxi.generation.Generate` (its own module) fill in the turn. From there on, a
stage wraps ``turn.output``
(an async stream of text deltas) in its own generator, so the same stage serves streaming and
non-streaming callers and sees the answer as it is produced.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import anyio.to_thread

from lingxi.compliance.audit import AuditEntry, AuditLog, sha256
from lingxi.compliance.conversation import screen_conversation
from lingxi.compliance.label_sign import LabelSigner
from lingxi.compliance.labels import Label, Placement, label_for
from lingxi.compliance.refusal import CRISIS, crisis, decide, refusal_text, support_text
from lingxi.compliance.screen import PASS, Screener, ScreenResult
from lingxi.context.consented import ConsentedEvents, EventReader, readable_types
from lingxi.errors import ConsentRequired
from lingxi.generation import Generate
from lingxi.models.base import ChatChunk, ChatModel, ChatRequest, Document, Locality, Message, Task
from lingxi.models.router import Router
from lingxi.pipeline import Turn
from lingxi.privacy.classify import PrivacyClass, classify
from lingxi.privacy.consent import ConsentStore, Scope
from lingxi.privacy.egress import EgressLog
from lingxi.privacy.names_model import NameModel, model_for
from lingxi.privacy.redact import RedactionMap, Redactor, StreamRestorer


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


class BuildPrompt:
    """The feature's template turns context and inputs into messages (and a task for classical models).

    In a worker thread: some features compute their answer here (proofreading 20,000 characters, parsing a
    table), seconds of CPU that must not hold up other requests. (Running plain chat's trivial prompt inline
    saved ~0.2 ms of CPU but measured slower on a loaded 2-core machine: benchmarks/README.md.)
    """

    async def run(self, turn: Turn) -> None:
        turn.messages, turn.task = await anyio.to_thread.run_sync(turn.feature.build_prompt, turn)
        if turn.options.system and turn.messages:  # screened with the rest by InputScreen, which runs next
            turn.messages = [Message(role="system", content=turn.options.system), *turn.messages]


#: texts longer than this are screened in a worker thread (screening costs ~1 ms per 1,000 characters); a
#: thread hop for every short streamed delta would cost more than it saves
SCREEN_INLINE_CHARS = 1_000


async def screen_off_loop(screener: Screener, text: str) -> ScreenResult:
    """``screener.screen(text)``, in a worker thread when the text is long enough to hold up other requests."""
    if len(text) <= SCREEN_INLINE_CHARS:
        return screener.screen(text)
    return await anyio.to_thread.run_sync(screener.screen, text)


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
            )
            turn.candidates, turn.skipped = decision.candidates, decision.skipped


class _Guarded:
    """A cloud model seen through the egress boundary: redact, record, then send."""

    def __init__(self, inner: ChatModel, turn: Turn, redactor: Redactor, log: EgressLog) -> None:
        self.info = inner.info
        self._inner, self._turn, self._redactor, self._log = inner, turn, redactor, log

    def _redact_task(self, task: Task | None, mapping: RedactionMap) -> Task | None:
        if task is None:
            return None
        docs = [Document(title=d.title, text=self._redactor.redact(d.text, mapping)) for d in task.documents]
        cands = [self._redactor.redact(c, mapping) for c in task.candidates]
        return task.model_copy(update={"documents": docs, "candidates": cands})

    def _outbound(self, request: ChatRequest, mapping: RedactionMap) -> ChatRequest:
        messages = [
            m.model_copy(update={"content": self._redactor.redact(m.content, mapping)}) for m in request.messages
        ]
        return request.model_copy(update={"messages": messages, "task": self._redact_task(request.task, mapping)})

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        granted = self._turn.granted
        if Scope.CLOUD_PROCESSING not in granted:  # the router already keeps these out; the boundary holds anyway
            raise ConsentRequired([Scope.CLOUD_PROCESSING.value])
        mapping = self._turn.redaction
        outbound = await anyio.to_thread.run_sync(self._outbound, request, mapping)  # PII regexes: off the loop
        record = self._log.record(
            user_id=self._turn.user_id,
            request_id=self._turn.request_id,
            model=self.info.name,
            provider=self.info.provider,
            payload=outbound.model_dump_json(),
            redactions=mapping.counts,
            feature=self._turn.feature.name,
            consents=[s.value for s in granted & (self._turn.feature.scopes | {Scope.CLOUD_PROCESSING})],
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


class Restore:
    """Put real values back where the cloud answer has placeholders; on device, as the text streams.

    A placeholder inside a URL, link target, HTML tag or code stays a placeholder (it could carry the value
    off the device) and is listed in ``turn.withheld`` for the answer's metadata.
    """

    async def run(self, turn: Turn) -> None:
        turn.output = self._wrap(turn, _need(turn))

    async def _wrap(self, turn: Turn, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        restorer = StreamRestorer(turn.redaction)
        turn.withheld = restorer.withheld
        async for delta in stream:
            if out := restorer.feed(delta):
                yield out
        if tail := restorer.flush():
            yield tail


class OutputScreen:
    """Screen the answer as it arrives; cut the stream and say why if it turns bad.

    Three screeners, because the layers differ in cost and in what "in time" means:

    * ``window`` re-screens the newest text (plus its look-behind) on every delta; for a layered screener
      this is its streaming view, where the classifier and guard run only when a sentence ends;
    * ``hold`` characters are held back before they are shown — the keyword layer's look-behind — so an
      exact blocked phrase is caught before any of its characters reach the user;
    * ``screener`` judges the whole answer once more at the end, so the text after the last sentence mark
      and the answer as a whole are screened too. A statistical layer that fires late cannot take back
      text already shown; it cuts the rest and says why.
    """

    def __init__(self, screener: Screener, *, window: Screener | None = None, hold: int | None = None) -> None:
        self.screener = screener
        self.window = window or screener
        self.hold = screener.lookbehind if hold is None else hold

    async def run(self, turn: Turn) -> None:
        turn.output = self._wrap(turn, _need(turn))

    async def _wrap(self, turn: Turn, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        if turn.refusal is not None:  # our own refusal text needs no screening
            async for delta in stream:
                yield delta
            return
        hold, reach = self.hold, self.window.lookbehind
        text, emitted, checked = "", 0, 0
        async for delta in stream:
            text += delta
            result = await screen_off_loop(self.window, text[max(0, checked - reach) :])
            checked = len(text)
            if result.blocked:
                yield self._cut(turn, result, emitted)
                await _close(stream)
                return
            if len(text) - hold > emitted:
                yield text[emitted : len(text) - hold]
                emitted = len(text) - hold
        result = await screen_off_loop(self.screener, text) if text else PASS
        if result.blocked:
            yield self._cut(turn, result, emitted)
        elif emitted < len(text):
            yield text[emitted:]

    @staticmethod
    def _cut(turn: Turn, result: ScreenResult, emitted: int) -> str:
        turn.output_screen = result
        turn.finish_reason = "content_filter"
        return ("\n" if emitted else "") + refusal_text(result, "output")


class LabelOutput:
    """Attach the explicit and implicit AI-content label once the answering model is known.

    With placement ``start`` or ``end`` the explicit label also goes into the text as its own paragraph
    (GB 45438-2025); with ``interface`` the text stays clean and the app shows ``turn.label``. Our own
    refusals carry no label: they are not generated content. With a ``signer``, once the answer is complete
    the implicit label's ``ReservedCode1`` is signed over the delivered text (see ``label_sign``).
    """

    def __init__(
        self, placement: Placement = Placement.INTERFACE, producer: str = "", signer: LabelSigner | None = None
    ) -> None:
        self.placement = placement
        self.producer = producer  # the deployer's provider name/code (Settings.provider) for ContentProducer
        self.signer = signer

    async def run(self, turn: Turn) -> None:
        turn.output = self._wrap(turn, _need(turn))

    async def _wrap(self, turn: Turn, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        delivered: list[str] = []
        async for delta in stream:
            if turn.label is None and turn.answered_by is not None:
                info = turn.answered_by
                turn.label = label_for(info.kind, turn.request_id, self.producer, method=info.method)
                if self.placement is Placement.START:
                    yield f"【{turn.label.explicit}】\n\n"
            delivered.append(delta)
            yield delta
        if turn.label is not None and self.placement is Placement.END:
            yield f"\n\n【{turn.label.explicit}】"
        if turn.label is not None and self.signer is not None:
            turn.label = Label(turn.label.explicit, self.signer.sign(turn.label.implicit, "".join(delivered)))


class Audit:
    """When the stream ends (finished, cut, failed or abandoned), append one hash-chained record."""

    def __init__(self, log: AuditLog) -> None:
        self.log = log

    async def run(self, turn: Turn) -> None:
        turn.output = self._wrap(turn, _need(turn))

    async def _wrap(self, turn: Turn, stream: AsyncIterator[str]) -> AsyncIterator[str]:
        parts: list[str] = []
        ending = "aborted"  # the consumer stopped reading (e.g. the client disconnected)
        try:
            async for delta in stream:
                parts.append(delta)
                yield delta
            ending = turn.finish_reason
        except Exception:
            ending = "error"
            raise
        finally:
            turn.text = "".join(parts)
            info = turn.answered_by
            turn.audit_id = self.log.append(
                AuditEntry(
                    request_id=turn.request_id,
                    user_ref=self.log.pseudonym(turn.user_id),
                    feature=turn.feature.name,
                    model=info.name if info else None,
                    model_kind=info.kind.value if info else None,
                    input_sha256=sha256("\n".join(m.content for m in turn.messages)),
                    output_sha256=sha256(turn.text),
                    input_verdict=turn.input_screen.verdict,
                    input_risks=list(turn.input_screen.risks),
                    output_verdict=turn.output_screen.verdict,
                    output_risks=list(turn.output_screen.risks),
                    refused=turn.refusal is not None or turn.output_screen.blocked,
                    egress_id=turn.egress[-1].id if turn.egress else None,
                    label=turn.label.explicit if turn.label else None,
                    finish_reason=ending,
                    fallbacks=[f.model for f in turn.fallbacks],
                )
            )


def _need(turn: Turn) -> AsyncIterator[str]:
    if turn.output is None:
        raise RuntimeError(f"{turn.feature.name}: a post-generation stage ran before Generate")
    return turn.output


async def _close(stream: AsyncIterator[str]) -> None:
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        await aclose()


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
