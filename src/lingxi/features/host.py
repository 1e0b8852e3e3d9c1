"""What a feature may use of the installation it runs in, as small typed parts instead of the whole facade.

A feature used to take :class:`~lingxi.facade.Lingxi` itself, so it could reach every store and every other
feature, and ``features`` imported the layer above it. Here is the one part only features use, the request
path (:class:`Gateway`), and each feature's own protocol: the parts of :mod:`lingxi.ports` (settings,
consents, events, the sealed database, the profile) it uses, e.g. :class:`RepliesHost` is the request path
and the settings. The facade satisfies every one of them structurally (see :mod:`lingxi.ports`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from lingxi.ports import Configured, Consented, Profiled, Sealed, UserEvents

if TYPE_CHECKING:
    from lingxi.context.retrieve import Retriever
    from lingxi.features.assistant import Assistant
    from lingxi.features.notifications import NotificationDigest
    from lingxi.models.router import Router
    from lingxi.pipeline import Answer, Feature, Options, Turn


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
