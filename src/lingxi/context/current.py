"""Events as they stand now: what a feature shows after cancellations, moves and message corrections.

:mod:`lingxi.context.entities` computes entity state from a list of events; a feature usually holds only
*some* events (a search's hits, a time window), whose other versions live outside that list. :func:`current`
reads what is needed to settle them from the user's events (through any
:class:`~lingxi.context.consented.EventReader`, so consent still applies) and returns each event as it
stands: a calendar version becomes its entry's latest version (one per entry), a deleted message is dropped,
a corrected one reads its new text, and a ``message_update`` becomes the message it corrected.
"""

from __future__ import annotations

from collections.abc import Sequence

from lingxi.context.consented import EventReader
from lingxi.context.entities import calendar_entries, message_updates
from lingxi.context.events import CalendarEvent, Event, MessageEvent, MessageUpdateEvent

__all__ = ["UPDATE_TYPES", "current", "settle", "with_update_types"]

#: The most versions read to settle a window (calendar versions and message updates are few per user).
_LIMIT = 20_000

UPDATE_TYPES = {"message": "message_update"}
"""For a feature that reads a kind, the kind whose events change it (so it must be read too)."""


def with_update_types(types: Sequence[str]) -> list[str]:
    """``types`` plus the kinds that update them (``message`` → ``message_update``); empty stays empty (all)."""
    out = list(types)
    for kind, update in UPDATE_TYPES.items():
        if kind in out and update not in out:
            out.append(update)
    return out


def _latest_calendar(store: EventReader, user_id: str, events: Sequence[Event]) -> dict[str, CalendarEvent]:
    """Each calendar event's id → the latest version of its entry (itself when it is the latest)."""
    if not any(isinstance(e, CalendarEvent) for e in events):
        return {}
    every = [e for e in store.query(user_id, types=["calendar"], limit=_LIMIT) if isinstance(e, CalendarEvent)]
    every += [e for e in events if isinstance(e, CalendarEvent)]  # in case the store view is narrower
    by_id = {e.event_id: e for e in every}
    latest: dict[str, CalendarEvent] = {}
    for entry in calendar_entries(list(by_id.values())):
        last = by_id[entry.versions[-1]]
        for version in entry.versions:
            latest[version] = last
    return latest


def current(store: EventReader, user_id: str, events: Sequence[Event]) -> list[Event]:
    """``events`` as they stand now, in the same order, each entity or message once (see the module doc)."""
    out: list[Event] = []
    seen: set[str] = set()
    for now in settle(store, user_id, events):
        if now is not None and now.event_id not in seen:
            seen.add(now.event_id)
            out.append(now)
    return out


def settle(store: EventReader, user_id: str, events: Sequence[Event]) -> list[Event | None]:
    """Each of ``events`` as it stands now, position by position (None: a deleted message)."""
    wanted_messages = [e for e in events if isinstance(e, MessageEvent | MessageUpdateEvent)]
    updates: dict[str, MessageUpdateEvent] = {}
    targets: dict[str, MessageEvent] = {}
    if wanted_messages:
        updates = message_updates(store.query(user_id, types=["message_update"], limit=_LIMIT))
        held = {e.event_id for e in events}
        missing = [
            e.target_event_id
            for e in wanted_messages
            if isinstance(e, MessageUpdateEvent) and e.target_event_id not in held
        ]
        targets = {e.event_id: e for e in store.get(user_id, missing) if isinstance(e, MessageEvent)} if missing else {}
    targets.update({e.event_id: e for e in events if isinstance(e, MessageEvent)})
    latest = _latest_calendar(store, user_id, events)
    out: list[Event | None] = []
    for e in events:
        now: Event | None = e
        if isinstance(e, MessageUpdateEvent):
            now = targets.get(e.target_event_id)
        if isinstance(now, MessageEvent):
            update = updates.get(now.event_id)
            if update is not None:
                now = None if update.op == "delete" else now.model_copy(update={"text": update.text})
        elif isinstance(now, CalendarEvent):
            now = latest.get(now.event_id, now)
        out.append(now)
    return out
