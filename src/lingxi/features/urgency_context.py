"""Gathers, through the consented view, the user's own data the urgency rules read (see :mod:`.urgency`).

* meetings: calendar entries (written in the last 30 days) starting from an hour ago to a day ahead, as they
  stand now (:func:`~lingxi.context.entities.calendar_entries`: a cancelled meeting is not one, a moved one
  is at its new time);
* relations: the ``relation`` of each contact in the user's contact list (name and aliases), and the one the
  app sent with a contact's messages (``妈妈``, ``同事``);
* frequent contacts: the five people with the most direct messages either way in the last 30 days;
* marks and reactions: the user's own ``app_action`` events — ``mark_important`` / ``unmark_important`` with a
  sender or app name as ``target``, and ``notification_opened`` / ``notification_dismissed`` with the
  notification's ``event_id`` as ``target``. Reactions are replayed, oldest first, into the user's threshold.

A type the user did not consent to is simply absent from the view, and the rule that needs it stays idle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from lingxi.context.consented import EventReader
from lingxi.context.entities import calendar_entries, contacts, effective_messages
from lingxi.context.events import AppActionEvent, Event, NotificationEvent
from lingxi.features.urgency import Meeting, UrgencyContext, decide, tuned_threshold

_HOUR = 3_600_000
_DAY = 24 * _HOUR
FREQUENT_TOP = 5
MARK, UNMARK = "mark_important", "unmark_important"
OPENED, DISMISSED = "notification_opened", "notification_dismissed"
REACTIONS = frozenset({OPENED, DISMISSED})


def _meetings(events: Sequence[Event], now_ms: int) -> list[Meeting]:
    return [
        Meeting(c.title, c.start_ts)
        for c in calendar_entries(events, at_ms=now_ms)
        if c.status != "cancelled" and now_ms - _HOUR <= c.start_ts <= now_ms + _DAY
    ]


def _people(events: Sequence[Event]) -> tuple[dict[str, str], dict[str, int]]:
    """Relations the apps sent, and message counts per direct chat (a conversation where someone other than
    its namesake speaks is a group, and a group is not a contact)."""
    messages = sorted(effective_messages(events), key=lambda e: e.ts)
    relations = {m.sender: m.relation for m in messages if m.direction == "in" and m.relation}
    for c in contacts(events):  # the contact list wins over what a message said
        relations.update(dict.fromkeys(c.names(), c.relation) if c.relation else {})
    group = {m.conversation_id for m in messages if m.direction == "in" and m.sender != m.conversation_name}
    counts = Counter(m.conversation_name for m in messages if m.conversation_id not in group and m.conversation_name)
    return relations, dict(counts.most_common(FREQUENT_TOP))


def _marks(actions: Sequence[AppActionEvent]) -> frozenset[str]:
    marked: set[str] = set()
    for a in actions:
        if a.action == MARK and a.target:
            marked.add(a.target)
        elif a.action == UNMARK:
            marked.discard(a.target)
    return frozenset(marked)


def urgency_context(store: EventReader, user_id: str, now_ms: int) -> UrgencyContext:
    """The user's calendar, contacts, marks and reaction-tuned threshold as of ``now_ms``."""
    calendar = store.query(user_id, types=["calendar"], since_ms=now_ms - 30 * _DAY, until_ms=now_ms + 1, limit=1000)
    people = store.query(
        user_id, types=["message", "message_update"], since_ms=now_ms - 30 * _DAY, until_ms=now_ms + 1, limit=3000
    )
    people += store.query(user_id, types=["contact"], until_ms=now_ms + 1, limit=3000)
    relations, frequent = _people(people)
    actions = [
        e
        for e in store.query(user_id, types=["app_action"], since_ms=now_ms - 90 * _DAY, until_ms=now_ms + 1)
        if isinstance(e, AppActionEvent)
    ]
    actions.sort(key=lambda a: a.ts)
    meetings = _meetings(calendar, now_ms)
    ctx = UrgencyContext(meetings=meetings, relations=relations, frequent=frequent, marked=_marks(actions))
    reactions = [a for a in actions if a.action in REACTIONS and a.target]
    if reactions:
        seen = {
            e.event_id: e for e in store.get(user_id, [a.target for a in reactions]) if isinstance(e, NotificationEvent)
        }
        replay = [(decide(seen[a.target], seen[a.target].ts, ctx).score, a.action == OPENED) for a in reactions
                  if a.target in seen]  # fmt: skip
        ctx.threshold = tuned_threshold(replay)
    return ctx
