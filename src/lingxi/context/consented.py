"""The user's events as a feature may read them: only the types their consents cover.

Why a view and not a check per feature: each feature already declares the scopes it needs and the
:class:`~lingxi.pipeline.stages.ConsentGate` refuses it without them, but a feature that reads *more* types than it
declared (a reply feature glancing at the calendar, an assistant searching every message) would still
see them. The :class:`~lingxi.pipeline.stages.Context` stage therefore hands every feature this view instead of the
store: a type whose scope the user has not granted (payments without the separate financial consent,
calendar without 日程, everything for an under-14 user without guardian consent) is simply not there. So
consent holds by construction, for features written later too, and a withdrawal applies to the very next
request because the granted scopes are read per turn.

Types with no scope (``app_action``: what the assistant did at the user's own confirmed request) are
always readable. A type that is not in :data:`SCOPE_OF_TYPE` is treated as needing a scope no one has,
so a new event type stays invisible until someone decides which consent covers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from lingxi.context.events import Event
from lingxi.privacy.consent import Scope

__all__ = ["SCOPE_OF_TYPE", "ConsentedEvents", "EventReader", "readable_types"]

SCOPE_OF_TYPE: dict[str, Scope | None] = {
    "message": Scope.MESSAGES,
    "notification": Scope.NOTIFICATIONS,
    "order": Scope.SHOPPING,
    "browse": Scope.SHOPPING,
    "search": Scope.SHOPPING,
    "payment": Scope.PAYMENTS,
    "calendar": Scope.CALENDAR,
    "cart": Scope.SHOPPING,
    "favorite": Scope.SHOPPING,
    "reminder": Scope.CALENDAR,
    "contact": Scope.MESSAGES,
    "message_update": Scope.MESSAGES,
    "app_action": None,
    "feedback": Scope.MODEL_IMPROVEMENT,
}
"""Which consent scope covers each event type (None: the user's own confirmed actions, always readable)."""


def readable_types(granted: Iterable[Scope]) -> frozenset[str]:
    """The event types a user with ``granted`` scopes lets features read."""
    have = set(granted)
    return frozenset(t for t, scope in SCOPE_OF_TYPE.items() if scope is None or scope in have)


class EventReader(Protocol):
    """What a feature may do with the user's events: read them (the store and the view both do this)."""

    def query(
        self,
        user_id: str,
        *,
        types: Sequence[str] = (),
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 500,
    ) -> list[Event]: ...

    def get(self, user_id: str, event_ids: Sequence[str]) -> list[Event]: ...


class ConsentedEvents:
    """An :class:`EventReader` over ``store`` that only returns events of ``types``."""

    def __init__(self, store: EventReader, types: frozenset[str]) -> None:
        self.store = store
        self.types = types

    def allowed(self, types: Sequence[str]) -> list[str]:
        """The subset of ``types`` this view lets through (for readers that go around it, e.g. search)."""
        return [t for t in types if t in self.types]

    def query(
        self,
        user_id: str,
        *,
        types: Sequence[str] = (),
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 500,
    ) -> list[Event]:
        wanted = self.allowed(types) if types else sorted(self.types)
        if not wanted:  # asked only for types the user has not consented to: nothing, not everything
            return []
        return self.store.query(user_id, types=wanted, since_ms=since_ms, until_ms=until_ms, limit=limit)

    def get(self, user_id: str, event_ids: Sequence[str]) -> list[Event]:
        return [e for e in self.store.get(user_id, event_ids) if e.type in self.types]
