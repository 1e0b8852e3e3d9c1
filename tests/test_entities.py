"""Event model v2: entity state over versions (calendar, orders, reminders, contacts, messages, payments)."""

from __future__ import annotations

from typing import Any

import pytest

from lingxi.context.consented import readable_types
from lingxi.context.entities import (
    busy,
    calendar_entries,
    contacts,
    effective_messages,
    link_payments,
    message_updates,
    orders,
    reminders,
)
from lingxi.context.events import (
    CalendarEvent,
    CartEvent,
    ContactEvent,
    Event,
    FavoriteEvent,
    MessageUpdateEvent,
    OrderEvent,
    ReminderEvent,
    parse_event,
)
from lingxi.errors import InvalidInput
from lingxi.privacy.consent import Scope

H = 3_600_000
T0 = 1_795_000_000_000  # 2026-11-18 (UTC)
_n = iter(range(1, 10_000))


def ev(kind: str, ts: int, **fields: Any) -> Event:
    fields.setdefault("event_id", f"{kind}-{next(_n)}")
    return parse_event({"type": kind, "user_id": "u1", "ts": ts, "source_app": "app", **fields})


def cal(ts: int, entry_id: str, start: int, end: int, status: str = "confirmed", title: str = "周会") -> Event:
    return ev("calendar", ts, entry_id=entry_id, title=title, start_ts=start, end_ts=end, status=status)


def order(ts: int, status: str, order_id: str = "o1", total: int = 5990, **extra: Any) -> Event:
    items = [{"name": "耳机", "price_fen": total, "brand": "索尼", "category": "数码"}]
    return ev("order", ts, order_id=order_id, platform="京东", items=items, total_fen=total, status=status, **extra)


def msg(ts: int, text: str, event_id: str) -> Event:
    return ev("message", ts, event_id=event_id, conversation_id="c1", sender="张伟", direction="in", text=text)


# --- parsing: v1 rows still valid, new kinds validated ---------------------------------------------------


def test_v1_rows_parse_with_v2_defaults() -> None:
    v1_calendar = (
        '{"attendees":["林晓雨","张伟"],"end_ts":1795057200000,"event_id":"demo-000001","location":"3F",'
        '"source_app":"日历","start_ts":1795055400000,"title":"1:1 张伟","ts":1794783725046,"type":"calendar",'
        '"user_id":"demo-user"}'
    )
    c = parse_event(v1_calendar)
    assert isinstance(c, CalendarEvent) and c.entry_id == "" and c.status == "confirmed"
    [entry] = calendar_entries([c])
    assert entry.entry_id == "demo-000001" and entry.versions == ("demo-000001",) and not entry.moved
    v1_order = order(T0, "shipped", eta_ts=T0 + 48 * H)
    assert isinstance(v1_order, OrderEvent) and v1_order.eta_day is None


def test_new_kinds_parse_and_refuse_bad_input() -> None:
    cart = ev("cart", T0, item_id="i1", item_name="咖啡豆", platform="淘宝", price_fen=6800, quantity=2)
    assert isinstance(cart, CartEvent) and cart.action == "add"
    fav = ev("favorite", T0, item_id="i1", item_name="咖啡豆", platform="淘宝", action="remove")
    assert isinstance(fav, FavoriteEvent) and "取消收藏" in fav.search_text()
    assert isinstance(ev("reminder", T0, reminder_id="r1", title="交电费"), ReminderEvent)
    assert isinstance(ev("contact", T0, contact_id="p1", name="王芳", relation="妈妈"), ContactEvent)
    up = ev("message_update", T0, target_event_id="m1", op="delete")
    assert isinstance(up, MessageUpdateEvent)
    with pytest.raises(InvalidInput, match="text is required"):
        ev("message_update", T0, target_event_id="m1", op="correct")
    with pytest.raises(InvalidInput, match="status"):
        cal(T0, "e1", T0, T0 + H, status="maybe")
    with pytest.raises(InvalidInput, match="eta_day"):
        order(T0, "in_transit", eta_day="11月20日")
    with pytest.raises(InvalidInput, match="action"):
        ev("cart", T0, item_id="i1", item_name="x", platform="淘宝", action="buy")


# --- calendar -------------------------------------------------------------------------------------------


def test_cancelled_entry_is_never_busy() -> None:
    start = T0 + 24 * H
    events = [cal(T0, "e1", start, start + H), cal(T0 + H, "e1", start, start + H, status="cancelled")]
    [entry] = calendar_entries(events)
    assert entry.status == "cancelled" and len(entry.versions) == 2
    assert busy(calendar_entries(events), start, start + H) == []
    # before the cancellation arrived, it was busy
    assert [e.entry_id for e in busy(calendar_entries(events, at_ms=T0 + H // 2), start, start + H)] == ["e1"]


def test_moved_entry_occupies_only_its_new_slot() -> None:
    old, new = T0 + 24 * H, T0 + 48 * H
    events = [cal(T0, "e1", old, old + H), cal(T0 + H, "e1", new, new + H)]
    entries = calendar_entries(events)
    [entry] = entries
    assert entry.moved and entry.start_ts == new and entry.previous_slots == ((old, old + H),)
    assert busy(entries, old, old + H) == []
    assert [e.entry_id for e in busy(entries, new, new + H)] == ["e1"]
    # half-open window: touching the end is free
    assert busy(entries, new + H, new + 2 * H) == []


def test_tentative_is_busy_but_marked() -> None:
    start = T0 + 24 * H
    [entry] = busy(calendar_entries([cal(T0, "e1", start, start + H, status="tentative")]), start, start + 1)
    assert entry.status == "tentative"


def test_out_of_order_arrival_uses_latest_ts() -> None:
    old, new = T0 + 24 * H, T0 + 48 * H
    cancel = cal(T0 + 2 * H, "e1", new, new + H, status="cancelled")
    move = cal(T0 + H, "e1", new, new + H)
    create = cal(T0, "e1", old, old + H)
    [entry] = calendar_entries([cancel, move, create])  # stored newest first
    assert entry.status == "cancelled" and entry.versions == (create.event_id, move.event_id, cancel.event_id)
    [at_move] = calendar_entries([cancel, move, create], at_ms=T0 + H)
    assert at_move.status == "confirmed" and at_move.start_ts == new
    [at_start] = calendar_entries([cancel, move, create], at_ms=T0)
    assert at_start.start_ts == old and not at_start.moved
    assert calendar_entries([cancel, move, create], at_ms=T0 - 1) == []


def test_same_ts_versions_break_ties_by_arrival() -> None:
    start = T0 + 24 * H
    a = cal(T0, "e1", start, start + H)
    b = cal(T0, "e1", start, start + H, status="cancelled")
    assert calendar_entries([a, b])[0].status == "cancelled"
    assert calendar_entries([b, a])[0].status == "confirmed"


# --- orders ---------------------------------------------------------------------------------------------


def test_order_status_chain_with_in_transit_and_eta_day_changes() -> None:
    chain = [
        order(T0, "placed", eta_day="2026-11-20"),
        order(T0 + H, "paid"),
        order(T0 + 5 * H, "shipped", carrier="顺丰速运", tracking_no="SF1"),
        order(T0 + 20 * H, "in_transit", eta_day="2026-11-21"),
    ]
    [state] = orders(chain)
    assert state.status == "in_transit" and state.eta_day == "2026-11-21" and state.eta_ts is None
    assert state.carrier == "顺丰速运" and state.tracking_no == "SF1"  # carried over from "shipped"
    assert state.placed_ts == T0 and state.updated_ts == T0 + 20 * H
    assert state.status_history == ("placed", "paid", "shipped", "in_transit")
    assert state.versions == tuple(e.event_id for e in chain)
    [earlier] = orders(chain, at_ms=T0 + 5 * H)
    assert earlier.status == "shipped" and earlier.eta_day == "2026-11-20"
    [done] = orders([*chain, order(T0 + 30 * H, "delivered")])
    assert done.status == "delivered" and len(done.versions) == 5


def test_order_eta_instant_replaced_by_a_day() -> None:
    chain = [order(T0, "shipped", eta_ts=T0 + 30 * H), order(T0 + H, "in_transit", eta_day="2026-11-22")]
    [state] = orders(chain)
    assert state.eta_day == "2026-11-22" and state.eta_ts is None


# --- payments -------------------------------------------------------------------------------------------


def _pay(ts: int, amount: int, merchant: str = "京东", order_id: str = "") -> Event:
    return ev("payment", ts, amount_fen=amount, merchant=merchant, channel="微信支付", order_id=order_id)


def test_payment_linked_by_order_id() -> None:
    o = order(T0, "placed")
    p = _pay(T0 + 10 * 24 * H, 1, order_id="o1")  # the app's word wins over amount and window
    link = link_payments([o, p])[p.event_id]
    assert link.order_id == "o1" and link.how == "order_id" and "o1" in link.reason
    assert link.order_versions == (o.event_id,)


def test_payment_inferred_with_reason() -> None:
    o = order(T0, "placed", total=5990)
    p = _pay(T0 + 2 * H, 5990, merchant="京东商城")
    link = link_payments([o, p])[p.event_id]
    assert link.how == "inferred" and link.order_id == "o1"
    assert "推断" in link.reason and "¥59.90" in link.reason and "2 小时" in link.reason


@pytest.mark.parametrize(
    "payment",
    [
        _pay(T0 + H, 5991),  # different amount
        _pay(T0 + H, 5990, merchant="美团"),  # different platform
        _pay(T0 + 73 * H, 5990),  # outside 72 h
    ],
)
def test_payment_not_linked_when_it_does_not_match(payment: Event) -> None:
    assert link_payments([order(T0, "placed", total=5990), payment]) == {}


def test_one_payment_per_order_closest_wins() -> None:
    o = order(T0, "placed", total=5990)
    far, near = _pay(T0 + 10 * H, 5990), _pay(T0 + H, 5990)
    links = link_payments([o, far, near])
    assert list(links) == [near.event_id]


# --- messages -------------------------------------------------------------------------------------------


def test_message_delete_and_correct() -> None:
    m1, m2, m3 = msg(T0, "明天三点见", "m1"), msg(T0 + 1, "我在公司", "m2"), msg(T0 + 2, "好的", "m3")
    fix = ev("message_update", T0 + H, target_event_id="m1", op="correct", text="明天四点见")
    gone = ev("message_update", T0 + H, target_event_id="m2", op="delete")
    now = effective_messages([m1, m2, m3, fix, gone])
    assert [(m.event_id, m.text) for m in now] == [("m1", "明天四点见"), ("m3", "好的")]
    before = effective_messages([m1, m2, m3, fix, gone], at_ms=T0 + 10)
    assert [m.text for m in before] == ["明天三点见", "我在公司", "好的"]
    assert message_updates([fix, gone])["m1"].event_id == fix.event_id


def test_delete_is_final_even_after_a_later_correction() -> None:
    m1 = msg(T0, "a", "m1")
    gone = ev("message_update", T0 + H, target_event_id="m1", op="delete")
    late = ev("message_update", T0 + 2 * H, target_event_id="m1", op="correct", text="b")
    assert effective_messages([late, m1, gone]) == []


# --- reminders and contacts -----------------------------------------------------------------------------


def test_reminders_version_by_id() -> None:
    a = ev("reminder", T0, reminder_id="r1", title="交电费", due_ts=T0 + 24 * H)
    b = ev("reminder", T0 + H, reminder_id="r1", title="交电费", due_ts=T0 + 24 * H, status="done")
    c = ev("reminder", T0, reminder_id="r2", title="取快递")
    states = reminders([b, c, a])
    assert [(r.reminder_id, r.status) for r in states] == [("r1", "done"), ("r2", "open")]
    assert states[0].versions == (a.event_id, b.event_id)
    assert reminders([a, b], at_ms=T0)[0].status == "open"


def test_contacts_with_relation_and_aliases() -> None:
    a = ev("contact", T0, contact_id="p1", name="王芳", relation="妈妈", handles={"微信": "wangfang"})
    b = ev("contact", T0 + H, contact_id="p1", name="王芳", relation="妈妈", aliases=["老妈"], frequent=True)
    c = ev("contact", T0, contact_id="p2", name="张伟", relation="同事")
    states = {s.contact_id: s for s in contacts([a, b, c])}
    mom = states["p1"]
    assert mom.names() == ("王芳", "老妈") and mom.frequent and mom.relation == "妈妈"
    assert mom.handles == {} and mom.versions == (a.event_id, b.event_id)  # the latest version is the truth
    assert states["p2"].relation == "同事"
    assert contacts([a, b, c], at_ms=T0)[1].handles == {"微信": "wangfang"}


def test_v2_kinds_are_under_the_agreed_consent_scopes() -> None:
    assert {"cart", "favorite"} <= readable_types([Scope.SHOPPING]) and "reminder" not in readable_types(
        [Scope.SHOPPING]
    )
    assert "reminder" in readable_types([Scope.CALENDAR])
    assert {"contact", "message_update"} <= readable_types([Scope.MESSAGES])
    assert readable_types([]) == {"app_action"}  # nothing of v2 without a consent
