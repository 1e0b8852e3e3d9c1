"""What a feature may use of the installation it runs in, as small typed parts instead of the whole facade.

A feature used to take :class:`~lingxi.facade.Lingxi` itself, so it could reach every store and every other
feature, and ``features`` imported the layer above it. Each part here is a :class:`~typing.Protocol` naming
one thing (the request path, the settings, the consent record, the user's events, the sealed database); a
feature's own protocol combines only the parts it uses (e.g. :class:`RepliesHost` is the request path and
the settings). The facade satisfies every one of them structurally — it builds the stores, then hands itself
over — so nothing is wrapped at run time, and mypy checks at the facade that it still provides them all.
A test or a plug-in can pass any object with the same members.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lingxi.config import Settings
    from lingxi.context.events import Event
    from lingxi.context.profile import Profile
    from lingxi.context.retrieve import Retriever
    from lingxi.context.store import EventStore, IngestResult
    from lingxi.features.assistant import Assistant
    from lingxi.features.notifications import NotificationDigest
    from lingxi.models.router import Router
    from lingxi.pipeline import Answer, Feature, Options, Turn
    from lingxi.privacy.consent import ConsentStore
    from lingxi.privacy.crypto import Vault
    from lingxi.storage.sqlite import Database


class Gateway(Protocol):
    """The request path (the model gateway): a turn for a feature and a user, run to its answer."""

    def turn(
        self,
        feature: Feature,
        user_id: str,
        *,
        model: str | None = None,
        inputs: dict[str, object] | None = None,
        options: Options | None = None,
        now_ms: int | None = None,
    ) -> Turn: ...

    async def acomplete(self, turn: Turn) -> Answer: ...


class Configured(Protocol):
    """The installation's settings (home, time zone, windows, planner)."""

    @property
    def settings(self) -> Settings: ...


class Consented(Protocol):
    """The consent record: what each user has granted (read before anything of theirs is read)."""

    @property
    def consents(self) -> ConsentStore: ...


class Sealed(Protocol):
    """The home's database and the vault that seals personal fields in it."""

    @property
    def db(self) -> Database: ...

    @property
    def vault(self) -> Vault: ...


class UserEvents(Protocol):
    """The users' events: read them, and add new ones (idempotent by ``event_id``)."""

    @property
    def events(self) -> EventStore: ...

    def ingest(self, events: Iterable[Event | dict[str, Any]]) -> IngestResult: ...


class Profiled(Protocol):
    """The derived profile (frequent contacts, habits, purchases)."""

    @property
    def profile(self) -> Profile: ...


class RepliesHost(Gateway, Configured, Protocol):
    """What smart replies use."""


class WritingHost(Gateway, Configured, Protocol):
    """What the writing tools use: the router names the default model a proofread falls back from."""

    @property
    def router(self) -> Router: ...


class ShoppingHost(Sealed, Consented, Profiled, Protocol):
    """What shopping recommendations use."""


class NotificationsHost(Gateway, Configured, Consented, Sealed, UserEvents, Profiled, Protocol):
    """What the notification features use; the app summary is the facade's own turn (see ``lx.notifications``)."""

    async def anotification_summary(
        self, user_id: str, *, model: str | None = None, now_ms: int | None = None
    ) -> NotificationDigest: ...


class FactsHost(Configured, Consented, Protocol):
    """What computing a plan's facts uses: the retriever searches the index when messages may be read."""

    @property
    def retriever(self) -> Retriever: ...


class ToolHost(Configured, Consented, UserEvents, Protocol):
    """What an assistant tool's handler may use (:class:`~lingxi.features.tools.ToolContext`)."""

    @property
    def assistant(self) -> Assistant: ...


class AssistantHost(Gateway, Sealed, ToolHost, FactsHost, Protocol):
    """What the assistant uses: the request path, its sessions' storage, its tools and its facts."""
