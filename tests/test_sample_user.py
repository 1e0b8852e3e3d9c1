"""The bundled sample user: reproducible from its script, valid, and shaped like a believable week.

Demos and feature tests lean on this data, so a drifted file (hand edits, a generator change not
re-run, a schema change) should fail here rather than as a confusing demo.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from datetime import datetime
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lingxi.context.entities import busy, calendar_entries, contacts, effective_messages, orders
from lingxi.context.events import (
    EVENT_TYPES,
    CalendarEvent,
    CartEvent,
    FavoriteEvent,
    MessageEvent,
    MessageUpdateEvent,
    NotificationEvent,
    OrderEvent,
    PaymentEvent,
    parse_event,
)
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID, SAMPLE_WEEK_START_MS, sample_events

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_sample_user.py"
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEXT_WEEK_END_MS = int(datetime(2026, 11, 30, tzinfo=SHANGHAI).timestamp() * 1000)


def _committed() -> bytes:
    return files("lingxi.data").joinpath("sample_user.jsonl").read_bytes()


def test_script_regenerates_the_committed_file_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "sample.jsonl"
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True, cwd=tmp_path)
    assert out.read_bytes() == _committed(), "sample data is stale: run `python scripts/make_sample_user.py`"


def test_every_line_validates_and_loader_returns_them_all() -> None:
    lines = _committed().decode("utf-8").splitlines()
    assert all(line.strip() for line in lines)
    parsed = [parse_event(line) for line in lines]
    assert sample_events() == parsed
    assert sample_events() is not sample_events()  # callers get their own list


def test_constants() -> None:
    assert SAMPLE_USER_ID == "demo-user"
    assert datetime.fromtimestamp(SAMPLE_NOW_MS / 1000, SHANGHAI) == datetime(2026, 11, 22, 21, 30, tzinfo=SHANGHAI)
    assert SAMPLE_NOW_MS == 1_795_354_200_000  # 13:30 UTC
    assert SAMPLE_NOW_MS - SAMPLE_WEEK_START_MS == ((6 * 24 + 14) * 60 + 30) * 60_000  # Mon 07:00 .. Sun 21:30


def test_size_owner_and_ids() -> None:
    events = sample_events()
    assert len(events) >= 300
    assert {e.user_id for e in events} == {SAMPLE_USER_ID}
    ids = [e.event_id for e in events]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"demo-\d{6}", i) for i in ids)
    assert ids == sorted(ids)
    assert [e.ts for e in events] == sorted(e.ts for e in events)


def test_type_mix() -> None:
    counts: Counter[str] = Counter(e.type for e in sample_events())
    # app_action came later: the sample week does not have it yet; browse/search are Sunday evening's shopping;
    # feedback is what users do with answers (lingxi.adapt), not part of a week of personal events
    assert set(counts) == set(EVENT_TYPES) - {"app_action", "feedback"}
    minimums = {
        "message": 100,
        "notification": 150,
        "order": 20,
        "payment": 40,
        "calendar": 10,
        "browse": 8,
        "search": 3,
        "cart": 2,
        "favorite": 1,
        "contact": 9,
        "reminder": 1,
        "message_update": 2,
    }
    for kind, least in minimums.items():
        assert counts[kind] >= least, (kind, counts[kind])


def test_everything_happens_within_the_week() -> None:
    for e in sample_events():
        assert SAMPLE_WEEK_START_MS <= e.ts <= SAMPLE_NOW_MS, e
        if isinstance(e, CalendarEvent):
            assert SAMPLE_WEEK_START_MS <= e.start_ts < e.end_ts < NEXT_WEEK_END_MS, e
    upcoming = [e for e in sample_events() if isinstance(e, CalendarEvent) and e.start_ts > SAMPLE_NOW_MS]
    assert len(upcoming) >= 4


def test_messages_go_both_ways_with_natural_replies() -> None:
    messages = [e for e in sample_events() if isinstance(e, MessageEvent)]
    assert {m.source_app for m in messages} == {"微信"}
    assert {m.conversation_name for m in messages} == {"妈妈", "陈昊", "张伟", "王芳", "产品组", "相亲相爱一家人"}
    assert all((m.sender == "林晓雨") == (m.direction == "out") for m in messages)
    by_conv: dict[str, list[MessageEvent]] = {}
    for m in messages:
        by_conv.setdefault(m.conversation_id, []).append(m)
    names = {cid: {m.conversation_name for m in ms} for cid, ms in by_conv.items()}
    assert all(len(n) == 1 for n in names.values()), "conversation_id and name must stay paired"
    replies = sum(
        a.direction == "in" and b.direction == "out" and b.ts - a.ts <= 30 * 60_000
        for ms in by_conv.values()
        for a, b in pairwise(ms)
    )
    assert replies >= 30


def test_some_fictional_pii_for_redaction() -> None:
    text = " ".join(e.text for e in sample_events() if isinstance(e, MessageEvent))
    for needle in ("13800138000", "13912345678", "linxy@example.com", "文三路 188 号"):
        assert needle in text


def test_orders_and_payments_agree() -> None:
    events = sample_events()
    orders = [e for e in events if isinstance(e, OrderEvent)]
    payments = [e for e in events if isinstance(e, PaymentEvent)]
    for o in orders:
        assert o.total_fen == sum(i.price_fen * i.quantity for i in o.items)
    order_ids = {o.order_id for o in orders}
    assert len(order_ids) >= 6
    paid = {o.order_id: o.total_fen for o in orders if o.status == "paid"}
    linked = {p.order_id: p.amount_fen for p in payments if p.order_id}
    assert linked == paid
    assert any(o.status == "shipped" and o.eta_ts and o.eta_ts > SAMPLE_NOW_MS for o in orders)
    assert [p.category for p in payments if p.direction == "in"] == ["工资"]


@pytest.mark.parametrize("channel", ["微信支付", "招商银行储蓄卡", "招商银行信用卡"])
def test_card_payments_raise_a_bank_alert(channel: str) -> None:
    events = sample_events()
    alerts = [e.body for e in events if isinstance(e, NotificationEvent) and e.title == "动账通知"]
    for p in (e for e in events if isinstance(e, PaymentEvent) and e.channel == channel and e.direction == "out"):
        amount = f"{p.amount_fen // 100:,}.{p.amount_fen % 100:02d}元"
        assert any(amount in a and p.merchant in a for a in alerts), p


def test_chat_banners_match_received_messages() -> None:
    events = sample_events()
    received = {(m.conversation_name, f"{m.sender}：{m.text}") for m in events if isinstance(m, MessageEvent)}
    banners = [e for e in events if isinstance(e, NotificationEvent) and e.category == "social"]
    assert len(banners) >= 30
    for b in banners:
        assert any(name == b.title and body.startswith(b.body.rstrip("…")) for name, body in received), b


def test_v2_entities_in_the_sample() -> None:
    """Event model v2 on the sample: entries by id, one moved and one cancelled, an order in transit with an ETA
    day, cart and favourites, a contact list with relations, a corrected and a recalled message."""
    events = sample_events()
    entries = calendar_entries(events)
    assert all(e.entry_id.startswith("cal-") for e in entries)
    moved = [e for e in entries if e.moved]
    cancelled = [e for e in entries if e.status == "cancelled"]
    assert [e.title for e in moved] == ["版本上线评审：会员中心 v2.0"] and len(moved[0].versions) == 2
    assert [e.title for e in cancelled] == ["1:1 张伟"]
    assert (
        busy(entries, *moved[0].previous_slots[0]) == []
        and busy(entries, cancelled[0].start_ts, cancelled[0].end_ts) == []
    )
    phones = next(o for o in orders(events) if o.order_id == "298801234567")
    assert (phones.status, phones.eta_day, phones.eta_ts) == ("in_transit", "2026-11-24", None)
    assert {e.type for e in events if isinstance(e, CartEvent | FavoriteEvent)} == {"cart", "favorite"}
    people = {c.name: c for c in contacts(events)}
    assert people["妈妈"].relation == "妈妈" and people["张伟"].relation == "领导" and people["陈昊"].frequent
    texts = {m.event_id: m.text for m in effective_messages(events)}
    updates = [e for e in events if isinstance(e, MessageUpdateEvent)]
    assert {u.op for u in updates} == {"correct", "delete"}
    for u in updates:
        assert texts.get(u.target_event_id) == (u.text if u.op == "correct" else None)
