"""Entities over the event log: the current state of calendar entries, orders, reminders and contacts.

Events are append-only: a moved meeting, a cancelled one, an order that ships, a corrected message are all
*new* events that refer to an earlier one by a stable id (``entry_id``, ``order_id``, ``reminder_id``,
``contact_id``, ``target_event_id``). Every feature must see the same answer to "what is true at time T",
so it is computed here, once, by pure functions (no I/O): the versions of an entity with ``ts`` at or
before ``at_ms`` are ordered by ``ts`` (ties by position in the input: later in the list = arrived later)
and the latest wins. Each state cites the ``event_id`` of every version it used (``versions``, oldest
first), so an answer built on it can cite them too. ``at_ms=None`` means everything known.

Events may arrive in any order (a cancellation stored before the entry it cancels is still applied), and
the input may hold any kinds: each function picks the kinds it needs. The stores do not keep arrival order
(their reads come newest first, ties by ``event_id``), so two versions of one entity with the *same* ``ts``
read from a store are told apart by that order only; apps should give each version its own time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from lingxi.context.events import (
    CalendarEvent,
    ContactEvent,
    Event,
    MessageEvent,
    MessageUpdateEvent,
    OrderEvent,
    OrderItem,
    PaymentEvent,
    ReminderEvent,
)

__all__ = [
    "LINK_WINDOW_MS",
    "CalendarEntry",
    "ContactState",
    "OrderState",
    "PaymentLink",
    "ReminderState",
    "busy",
    "calendar_entries",
    "contacts",
    "effective_messages",
    "entry_key",
    "link_payments",
    "message_updates",
    "orders",
    "reminders",
]

LINK_WINDOW_MS = 72 * 3600 * 1000
"""A payment with no order id is linked to an order only if paid within this long of the order's placing."""

_E = TypeVar("_E", bound=Event)


@dataclass(frozen=True)
class CalendarEntry:
    """A calendar entry as it stands: its latest version's fields, ``moved`` if its time ever changed."""

    entry_id: str
    title: str
    start_ts: int
    end_ts: int
    location: str
    attendees: tuple[str, ...]
    status: Literal["confirmed", "tentative", "cancelled"]
    versions: tuple[str, ...]
    moved: bool
    source_app: str = ""
    #: the (start_ts, end_ts) of each earlier slot the entry no longer occupies, oldest first
    previous_slots: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class OrderState:
    """An order as it stands: the latest status, ETA and tracking; ``placed_ts`` is its first version's time."""

    order_id: str
    platform: str
    items: tuple[OrderItem, ...]
    total_fen: int
    currency: str
    status: str
    carrier: str
    tracking_no: str
    eta_ts: int | None
    eta_day: str | None
    placed_ts: int
    updated_ts: int
    versions: tuple[str, ...]
    source_app: str = ""
    #: every status the order went through, oldest first (e.g. placed, paid, shipped, in_transit)
    status_history: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReminderState:
    """A reminder as it stands."""

    reminder_id: str
    title: str
    due_ts: int | None
    status: Literal["open", "done", "cancelled"]
    versions: tuple[str, ...]
    updated_ts: int = 0


@dataclass(frozen=True)
class ContactState:
    """A contact as it stands."""

    contact_id: str
    name: str
    aliases: tuple[str, ...]
    relation: str
    handles: dict[str, str]
    frequent: bool
    versions: tuple[str, ...]

    def names(self) -> tuple[str, ...]:
        """Every name the contact goes by: the name, then the aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class PaymentLink:
    """Which order a payment paid for: ``how`` says whether the app said so or code inferred it, and why."""

    order_id: str
    how: Literal["order_id", "inferred"]
    reason: str
    order_versions: tuple[str, ...] = field(default=())


def _known(events: Iterable[Event], kind: type[_E], at_ms: int | None) -> list[_E]:
    """Events of ``kind`` at or before ``at_ms``, ordered by ``ts`` then arrival (stable sort)."""
    picked = [e for e in events if isinstance(e, kind) and (at_ms is None or e.ts <= at_ms)]
    return sorted(picked, key=lambda e: e.ts)


def _group(events: Sequence[_E], key: str) -> dict[str, list[_E]]:
    groups: dict[str, list[_E]] = {}
    for e in events:
        groups.setdefault(getattr(e, key) or e.event_id, []).append(e)
    return groups


def entry_key(e: CalendarEvent) -> str:
    """A calendar event's entry id: ``entry_id``, or the event's own id for a one-version (v1) entry."""
    return e.entry_id or e.event_id


def calendar_entries(events: Iterable[Event], at_ms: int | None = None) -> list[CalendarEntry]:
    """Every calendar entry known at ``at_ms`` (cancelled ones included, with that status), by start time."""
    out = []
    for key, versions in _group(_known(events, CalendarEvent, at_ms), "entry_id").items():
        last = versions[-1]
        slots: list[tuple[int, int]] = []
        for v in versions:
            slot = (v.start_ts, v.end_ts)
            if not slots or slots[-1] != slot:
                slots.append(slot)
        previous = tuple(s for s in slots if s != (last.start_ts, last.end_ts))
        out.append(
            CalendarEntry(
                entry_id=key,
                title=last.title,
                start_ts=last.start_ts,
                end_ts=last.end_ts,
                location=last.location,
                attendees=tuple(last.attendees),
                status=last.status,
                versions=tuple(v.event_id for v in versions),
                moved=len(slots) > 1,
                source_app=last.source_app,
                previous_slots=previous,
            )
        )
    return sorted(out, key=lambda c: (c.start_ts, c.entry_id))


def busy(entries: Iterable[CalendarEntry], start_ms: int, end_ms: int) -> list[CalendarEntry]:
    """The entries that make ``[start_ms, end_ms)`` busy: not cancelled, and overlapping it.

    Tentative entries count as busy (the user has not said no). An entry with no duration occupies its
    instant: it is busy if it starts inside the window.
    """
    out = []
    for c in entries:
        if c.status == "cancelled":
            continue
        overlaps = c.start_ts < end_ms and c.end_ts > start_ms
        instant = c.start_ts == c.end_ts and start_ms <= c.start_ts < end_ms
        if overlaps or instant:
            out.append(c)
    return out


def orders(events: Iterable[Event], at_ms: int | None = None) -> list[OrderState]:
    """Every order known at ``at_ms`` with its latest status, by the time it was placed.

    Carrier and tracking number carry over from earlier versions when a later one leaves them empty; the
    ETA (an instant ``eta_ts`` and/or a day ``eta_day``) is the one of the latest version that gives any.
    """
    out = []
    for key, versions in _group(_known(events, OrderEvent, at_ms), "order_id").items():
        last = versions[-1]
        carrier = next((v.carrier for v in reversed(versions) if v.carrier), "")
        tracking = next((v.tracking_no for v in reversed(versions) if v.tracking_no), "")
        eta = next((v for v in reversed(versions) if v.eta_ts is not None or v.eta_day is not None), None)
        history: list[str] = []
        for v in versions:
            if not history or history[-1] != v.status:
                history.append(v.status)
        out.append(
            OrderState(
                order_id=key,
                platform=last.platform,
                items=tuple(last.items),
                total_fen=last.total_fen,
                currency=last.currency,
                status=last.status,
                carrier=carrier,
                tracking_no=tracking,
                eta_ts=eta.eta_ts if eta else None,
                eta_day=eta.eta_day if eta else None,
                placed_ts=versions[0].ts,
                updated_ts=last.ts,
                versions=tuple(v.event_id for v in versions),
                source_app=last.source_app,
                status_history=tuple(history),
            )
        )
    return sorted(out, key=lambda o: (o.placed_ts, o.order_id))


def reminders(events: Iterable[Event], at_ms: int | None = None) -> list[ReminderState]:
    """Every reminder known at ``at_ms`` (done and cancelled ones included), by due time (none last)."""
    out = [
        ReminderState(
            reminder_id=key,
            title=vs[-1].title,
            due_ts=vs[-1].due_ts,
            status=vs[-1].status,
            versions=tuple(v.event_id for v in vs),
            updated_ts=vs[-1].ts,
        )
        for key, vs in _group(_known(events, ReminderEvent, at_ms), "reminder_id").items()
    ]
    return sorted(out, key=lambda r: (r.due_ts is None, r.due_ts or 0, r.reminder_id))


def contacts(events: Iterable[Event], at_ms: int | None = None) -> list[ContactState]:
    """Every contact known at ``at_ms``, as its latest version says, by name."""
    out = [
        ContactState(
            contact_id=key,
            name=vs[-1].name,
            aliases=tuple(vs[-1].aliases),
            relation=vs[-1].relation,
            handles=dict(vs[-1].handles),
            frequent=vs[-1].frequent,
            versions=tuple(v.event_id for v in vs),
        )
        for key, vs in _group(_known(events, ContactEvent, at_ms), "contact_id").items()
    ]
    return sorted(out, key=lambda c: (c.name, c.contact_id))


def message_updates(events: Iterable[Event], at_ms: int | None = None) -> dict[str, MessageUpdateEvent]:
    """The update in force for each updated message id at ``at_ms``: a delete is final, else the latest correction."""
    out: dict[str, MessageUpdateEvent] = {}
    for u in _known(events, MessageUpdateEvent, at_ms):
        held = out.get(u.target_event_id)
        if held is None or held.op != "delete":
            out[u.target_event_id] = u
    return out


def effective_messages(events: Iterable[Event], at_ms: int | None = None) -> list[MessageEvent]:
    """The messages as the user now sees them: deleted ones gone, corrected ones with their new text.

    A corrected message keeps its ``event_id`` (answers cite it; :func:`message_updates` tells which update
    changed it). Messages come back in the order given.
    """
    pool = list(events)
    updates = message_updates(pool, at_ms)
    out = []
    for e in pool:
        if not isinstance(e, MessageEvent) or (at_ms is not None and e.ts > at_ms):
            continue
        update = updates.get(e.event_id)
        if update is None:
            out.append(e)
        elif update.op == "correct":
            out.append(e.model_copy(update={"text": update.text}))
    return out


def _yuan(fen: int) -> str:
    return f"¥{fen // 100}.{fen % 100:02d}"


def _same_shop(order: OrderState, pay: PaymentEvent) -> bool:
    a, b = order.platform.strip().lower(), pay.merchant.strip().lower()
    return bool(a and b) and (a in b or b in a)


def _within(ms: int) -> str:
    """An upper bound on a gap, in whole hours (or minutes under an hour), for the reason string."""
    if ms < 3_600_000:
        return f"{max(1, -(-ms // 60_000))} 分钟"
    return f"{-(-ms // 3_600_000)} 小时"


def link_payments(events: Iterable[Event]) -> dict[str, PaymentLink]:
    """Which order each outgoing payment paid for, keyed by the payment's ``event_id``.

    A payment that names an ``order_id`` is linked to it (``how="order_id"``). One that does not is linked
    (``how="inferred"``) to an order of the same platform/merchant, the same amount and currency, placed
    within :data:`LINK_WINDOW_MS` of the payment, that no other payment is linked to; when several qualify,
    the closest in time wins (ties: the order placed first). Unlinked payments are absent from the result.
    """
    pool = list(events)
    states = orders(pool)
    by_id = {o.order_id: o for o in states}
    pays = [e for e in _known(pool, PaymentEvent, None) if e.direction == "out"]
    links: dict[str, PaymentLink] = {}
    taken: set[str] = set()
    for p in pays:
        if p.order_id:
            known = by_id.get(p.order_id)
            reason = f"付款记录注明了订单号 {p.order_id}" + ("" if known else "（该订单不在数据中）")
            links[p.event_id] = PaymentLink(p.order_id, "order_id", reason, known.versions if known else ())
            taken.add(p.order_id)
    candidates: list[tuple[int, int, str, PaymentEvent, OrderState]] = []
    for p in pays:
        if p.order_id:
            continue
        for o in states:
            gap = abs(p.ts - o.placed_ts)
            if (
                o.order_id not in taken
                and o.total_fen == p.amount_fen
                and o.currency == p.currency
                and gap <= LINK_WINDOW_MS
                and _same_shop(o, p)
            ):
                candidates.append((gap, o.placed_ts, o.order_id, p, o))
    for gap, _, order_id, p, o in sorted(candidates, key=lambda c: (c[0], c[1], c[2], c[3].ts, c[3].event_id)):
        if p.event_id in links or order_id in taken:
            continue
        when = "后" if p.ts >= o.placed_ts else "前"
        reason = (
            f"推断：同一平台（{o.platform}，付款方 {p.merchant}）、金额相同（{_yuan(p.amount_fen)}）、"
            f"付款在下单{when} {_within(gap)}内（窗口 72 小时）"
        )
        links[p.event_id] = PaymentLink(order_id, "inferred", reason, o.versions)
        taken.add(order_id)
    return links
