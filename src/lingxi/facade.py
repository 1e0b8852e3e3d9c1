"""The :class:`Lingxi` facade: one object that wires the stores, models and pipeline for one home.

Async methods (``a…``) are what the HTTP service calls; the plain methods wrap them for scripts and the
CLI. Everything is built from :class:`~lingxi.config.Settings`, so two ``Lingxi`` objects with different
homes are fully independent (tests rely on this).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lingxi.adapt.feedback import FeedbackReceipt, record_feedback
from lingxi.adapt.promote import promoted_routes
from lingxi.compliance.label_sign import LabelSigner
from lingxi.compliance.layers import for_minors, screening_service
from lingxi.compliance.minors import MinorsGate, MinorsUsage
from lingxi.compliance.suspension import SuspensionGate, SuspensionStore
from lingxi.config import Settings
from lingxi.context.events import Event, parse_event
from lingxi.context.index import SearchIndex
from lingxi.context.profile import Profile
from lingxi.context.retrieve import Retriever
from lingxi.context.sample import (
    ANCHOR_EVENT_ID,
    SAMPLE_NOW_MS,
    SAMPLE_USER_ID,
    original_ts,
    sample_events,
    week_shift_ms,
)
from lingxi.context.store import IngestResult
from lingxi.context.vectors import VectorIndex
from lingxi.features.assistant import Assistant
from lingxi.features.chat import Chat
from lingxi.features.digest import Notifications
from lingxi.features.extension import Extensions
from lingxi.features.notifications import NotificationDigest, NotificationSummary
from lingxi.features.replies import SmartReplies
from lingxi.features.shopping import Shopping
from lingxi.features.writing import WritingTool, WritingTools
from lingxi.models import registry
from lingxi.models.base import ChatModel, Message, ModelInfo
from lingxi.models.embeddings import load_embedder
from lingxi.models.health import Health
from lingxi.models.router import Router, Rule
from lingxi.pipeline import Answer, Feature, Options, Pipeline, Turn
from lingxi.privacy.classify import PrivacyClass
from lingxi.privacy.consent import ConsentStore, Scope
from lingxi.privacy.crypto import integrity_key
from lingxi.privacy.egress import EgressLog
from lingxi.privacy.holders import Holders
from lingxi.privacy.keycheck import open_vault
from lingxi.shopping.hook import ShoppingHook
from lingxi.storage.sqlite import Database
from lingxi.storage.stores import open_stores, remote_sealed_sample
from lingxi.user_data import register_holders
from lingxi.vision.tools import vision_tools

if TYPE_CHECKING:
    from lingxi.vision.service import Vision
from lingxi.pipeline.stages import (
    Audit,
    BuildPrompt,
    ConsentGate,
    Context,
    EgressBoundary,
    Generate,
    InputScreen,
    LabelOutput,
    OutputScreen,
    Restore,
    Route,
)

# What the bundled sample user has agreed to, so the demo can run every feature on their data.
SAMPLE_CONSENTS = (Scope.MESSAGES, Scope.NOTIFICATIONS, Scope.SHOPPING, Scope.PAYMENTS, Scope.CALENDAR)


class Lingxi:
    """Personal AI features for one installation (one home directory)."""

    def __init__(
        self,
        home: Path | str | None = None,
        *,
        settings: Settings | None = None,
        models: Sequence[ChatModel] = (),
    ) -> None:
        self.settings = settings or Settings.load(home)
        self.db = Database(self.settings.db_path)
        # refuses a key that does not open the data (the home's, and a shared PostgreSQL store's)
        self.vault = open_vault(self.settings.home, self.db, remote=remote_sealed_sample(self.settings))
        # signs implicit labels' ReservedCode1 (label_sign); the key open_vault just checked
        self.label_signer = LabelSigner(integrity_key(self.settings.home))
        # kept in step with the events inside each ingest transaction: searchable and profiled on commit
        self.index = SearchIndex(self.db, self.vault)
        self.profile = Profile(self.db, self.vault, tz=self.settings.timezone)
        self.events, self.audit, self.complaints = open_stores(
            self.settings, self.db, self.vault, hooks=[self.index, self.profile]
        )
        # optional semantic search: vectors from an on-device embedding model, embedded after the commit
        embedder = load_embedder(self.settings)
        self.vectors = None
        if embedder is not None:
            cut = self.settings.embeddings.min_similarity
            self.vectors = VectorIndex(self.db, self.vault, embedder, self.events, min_cosine=cut)
            self.vectors.enqueue_missing()  # events stored before the embedder was configured get vectors too
        if self.vectors is not None:
            self.events.hooks.append(self.vectors)
        self.retriever = Retriever(self.events, self.index, vectors=self.vectors)
        self.consents = ConsentStore(self.db)
        self.filing = self.settings.filing
        self.minors = MinorsUsage(self.db, self.consents, self.settings.minors)
        self.egress = EgressLog(self.db)
        # the installation's one screening service (the CLI's `compliance screen` uses the same)
        self.screener, self.screening = screening_service(self.settings)
        self.suspension = SuspensionGate(SuspensionStore(self.db))
        routing = self.settings.routing
        self.health = Health(threshold=routing.breaker_threshold, cooldown_s=routing.breaker_cooldown_s)
        built, self.availability = registry.build(self.settings)
        self.router = Router(
            [*built, *models],
            default=registry.default_model(self.settings, self.availability),
            rules=[
                # routes `lingxi adapt promote` wrote after a proven win come first (lingxi.adapt.promote)
                *(Rule(f"{f}*", tuple(r["candidates"])) for f, r in promoted_routes(self.settings.home).items()),
                *(
                    Rule(r.feature, tuple(r.candidates), PrivacyClass(r.privacy) if r.privacy else None)
                    for r in routing.rules
                ),
            ],
            health=self.health,
            # callers may name provider/model of a provider the operator configured; never file paths
            resolver=lambda spec: registry.resolve_spec(spec, self.settings, allow_paths=False, configured_only=True),
        )
        self.pipeline = Pipeline(
            [
                ConsentGate(self.consents),
                MinorsGate(self.minors),
                self.suspension,
                Context(self.events),
                BuildPrompt(),
                InputScreen(self.screener, minors=for_minors(self.screener)),
                self.suspension.recorder,
                Route(self.router),
                EgressBoundary(self.egress, contacts=self._contacts, home=self.settings.home),
                Generate(self.health),
                Restore(),
                # hold back only what the keyword layer (first) needs; statistical layers judge sentences
                OutputScreen(self.screener, window=self.screener.streaming(), hold=self.screener.layers[0].lookbehind),
                LabelOutput(self.settings.labels.placement, self.settings.provider, self.label_signer),
                Audit(self.audit),
            ]
        )
        self._notifications = NotificationSummary(
            window_hours=self.settings.notification_window_hours, tz=self.settings.timezone
        )
        self.shopping_hook = ShoppingHook(self.db, vault=self.vault)
        self.events.hooks.append(self.shopping_hook)  # shopping counts: updated inside each ingest
        self.shopping = Shopping(self)
        self.assistant = Assistant(self)
        self.notifications = Notifications(self)
        self.replies = SmartReplies(self)
        self.writing = WritingTools(self)
        self.extensions = Extensions(self)  # features installed plug-ins add (lingxi.plugins)
        for tool in vision_tools():  # a picture's proposals are pending actions the assistant confirms
            self.assistant.tools.register(tool)
        self.holders = Holders()  # every store above that keeps user data: what export and delete cover
        register_holders(self)

    @functools.cached_property
    def vision(self) -> Vision:
        """Pictures: OCR, QR, proposals and questions, on the device (loaded on first use: OCR models)."""
        from lingxi.vision.service import Vision

        return Vision(self)

    def _contacts(self, user_id: str) -> list[str]:
        """Names of the user's frequent contacts, for redaction at the egress boundary (the contact index)."""
        return self.profile.contact_names(user_id)

    # -- data ---------------------------------------------------------------------------------------
    def ingest(self, events: Iterable[Event | dict[str, Any]]) -> IngestResult:
        """Validate and store events (idempotent by ``event_id``)."""
        return self.events.add(e if not isinstance(e, dict) else parse_event(e) for e in events)

    def load_sample(self, *, now_ms: int | None = None) -> IngestResult:
        """Load the bundled fictional user's week and record the consents that user gave.

        ``now_ms`` moves the week to end at or shortly before that time (whole weeks, see
        :func:`~lingxi.context.sample.week_shift_ms`); None keeps the sample's own dates, which tests and
        evaluations pin. Loading again with the same shift adds nothing; a different shift first deletes
        the sample user's events (and what was derived from them), so the user holds one week, not two.
        """
        offset = week_shift_ms(now_ms) if now_ms is not None else 0
        stored = self.sample_offset_ms()
        if stored is not None and stored != offset:
            self.events.delete_user(SAMPLE_USER_ID)
        result = self.events.add(sample_events(offset))
        self.consents.grant(SAMPLE_USER_ID, *SAMPLE_CONSENTS, source="sample-user")
        return result

    def sample_offset_ms(self) -> int | None:
        """How far the loaded sample week was moved (None: the sample is not loaded)."""
        anchor = self.events.get(SAMPLE_USER_ID, [ANCHOR_EVENT_ID])
        original = original_ts(ANCHOR_EVENT_ID)
        return anchor[0].ts - original if anchor and original is not None else None

    def clock(self, user_id: str, now_ms: int | None) -> int | None:
        """The "now" to answer ``user_id`` at: ``now_ms`` when given; for the sample user, the loaded sample
        week's Sunday evening (the week is moved near today, but today may fall on any weekday, and the
        README's answers are the ones that evening gives); otherwise None, the wall clock."""
        if now_ms is None and user_id == SAMPLE_USER_ID:
            return self.sample_now_ms()
        return now_ms

    def sample_now_ms(self) -> int | None:
        """The sample user's "now": Sunday 21:30 of the loaded (possibly moved) week; None if not loaded."""
        offset = self.sample_offset_ms()
        return None if offset is None else SAMPLE_NOW_MS + offset

    def feedback(self, user_id: str, **fields: Any) -> FeedbackReceipt:
        """Record what the user did with an answer (feature, answer_id, action, texts): see
        :mod:`lingxi.adapt.feedback`. Kept only under the separate ``model_improvement`` consent, never for minors."""
        return record_feedback(self, user_id, **fields)

    def models(self) -> list[ModelInfo]:
        return self.router.infos()

    # -- the path -----------------------------------------------------------------------------------
    def turn(
        self,
        feature: Feature,
        user_id: str,
        *,
        model: str | None = None,
        inputs: dict[str, object] | None = None,
        options: Options | None = None,
        now_ms: int | None = None,
    ) -> Turn:
        turn = Turn(user_id=user_id, feature=feature, model=model, inputs=inputs or {}, options=options or Options())
        if now_ms is not None:
            turn.now_ms = now_ms
        return turn

    async def astream(self, turn: Turn) -> AsyncIterator[str]:
        """Start ``turn``; the returned stream yields the answer's text as it is produced."""
        return await self.pipeline.start(turn)

    async def acomplete(self, turn: Turn) -> Answer:
        return await self.pipeline.complete(turn)

    # -- features -----------------------------------------------------------------------------------
    async def anotification_summary(
        self, user_id: str, *, model: str | None = None, now_ms: int | None = None
    ) -> NotificationDigest:
        turn = self.turn(self._notifications, user_id, model=model, now_ms=now_ms)
        answer = await self.acomplete(turn)
        return self._notifications.digest(turn, answer)

    def notification_summary(
        self, user_id: str, *, model: str | None = None, now_ms: int | None = None
    ) -> NotificationDigest:
        """Recent notifications grouped by app, summarized, urgent groups first."""
        return asyncio.run(self.anotification_summary(user_id, model=model, now_ms=now_ms))

    def summarize(self, text: str, *, user_id: str = "local", model: str | None = None, sentences: int = 3) -> Answer:
        """A summary of ``text`` (extractive on the lite tier, and labeled so)."""
        turn = self.turn(WritingTool("summarize", sentences), user_id, model=model, inputs={"text": text})
        return asyncio.run(self.acomplete(turn))

    def key_points(self, text: str, *, user_id: str = "local", model: str | None = None, points: int = 3) -> Answer:
        turn = self.turn(WritingTool("key_points", points), user_id, model=model, inputs={"text": text})
        return asyncio.run(self.acomplete(turn))

    def chat(self, messages: Sequence[Message], *, user_id: str = "local", model: str | None = None) -> Answer:
        turn = self.turn(Chat(), user_id, model=model, inputs={"messages": list(messages)})
        return asyncio.run(self.acomplete(turn))
