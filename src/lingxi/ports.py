"""Small typed parts of an installation that services receive instead of the whole :class:`~lingxi.facade.Lingxi`.

Each part is a :class:`~typing.Protocol` naming one thing a service may use: the settings, the consent record,
the users' events, the sealed database, the profile. A service's own protocol combines only the parts it
uses (``features/host.py`` adds the request path; ``adapt``, ``compliance`` and ``privacy`` modules combine
their own). The facade satisfies every part structurally — it builds the stores, then hands itself over — so
nothing is wrapped at run time, and mypy checks at the facade that it still provides them. A test or a
plug-in can pass any object with the same members.

It sits just above ``context`` in the layer order (it names context's stores), below everything that uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from lingxi.config import Settings
    from lingxi.context.events import Event
    from lingxi.context.profile import Profile
    from lingxi.context.store import EventStore, IngestResult
    from lingxi.privacy.consent import ConsentStore
    from lingxi.privacy.crypto import Vault
    from lingxi.storage.sqlite import Database


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
