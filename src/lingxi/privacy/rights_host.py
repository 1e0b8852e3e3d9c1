"""What export and delete (:mod:`lingxi.privacy.subject_rights`) receive instead of the whole facade.

The stores themselves stay behind the registry of holders (``lx.holders``, filled by :mod:`lingxi.user_data`);
besides it, export and delete use only the home's database, the consent record, the audit log's pseudonym
and the ids of the user's events. Each is a protocol of this layer, so ``privacy`` imports nothing above it;
the facade satisfies :class:`RightsHost` structurally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from lingxi.privacy.consent import ConsentStore
    from lingxi.privacy.holders import Holders
    from lingxi.storage.sqlite import Database


class Pseudonyms(Protocol):
    """The audit log's keyed pseudonym of a user id (what the audit records and the deletion record carry)."""

    def pseudonym(self, user_id: str) -> str: ...


class Identified(Protocol):
    @property
    def event_id(self) -> str: ...


class EventIds(Protocol):
    """How many events a user holds, and which (their ids are searched for in the file after deletion)."""

    def count(self, user_id: str) -> dict[str, int]: ...
    def query(self, user_id: str, *, limit: int = 500) -> Sequence[Identified]: ...


class RightsHost(Protocol):
    """What export and delete use: the registry of holders, the home's database, consents, the audit
    pseudonym and the event ids (the facade provides them; the stores themselves stay behind the holders)."""

    @property
    def db(self) -> Database: ...
    @property
    def holders(self) -> Holders: ...
    @property
    def consents(self) -> ConsentStore: ...
    @property
    def audit(self) -> Pseudonyms: ...
    @property
    def events(self) -> EventIds: ...
