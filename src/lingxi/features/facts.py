"""Typed assistant queries and the code that answers them over the user's own events.

The assistant never lets a model do arithmetic or look things up: a question becomes a :class:`Query`
(see :mod:`lingxi.features.intents`), and :func:`run_query` answers it with plain code over the user's events
(the consent-filtered view of :mod:`lingxi.context.consented`), returning :class:`Facts` — Chinese lines
of text, each ending in the ids of the events it came from (``[demo-000248]``), plus the exact numbers
(integer fen). A model only phrases these facts; the lite tier shows them as they are. Money is summed as
integers and formatted with :class:`~decimal.Decimal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from lingxi.context.consented import EventReader, readable_types
from lingxi.context.entities import OrderState, busy, calendar_entries, link_payments, orders
from lingxi.context.events import CalendarEvent, Event, MessageEvent, OrderEvent, PaymentEvent
from lingxi.privacy.consent import Scope

if TYPE_CHECKING:
    from lingxi.facade import Lingxi

QueryKind = Literal["spending", "order_status", "free_busy", "search", "action"]

SCOPES: dict[QueryKind, frozenset[Scope]] = {
    "spending": frozenset({Scope.PAYMENTS}),
    "order_status": frozenset({Scope.SHOPPING}),
    "free_busy": frozenset({Scope.CALENDAR}),
    "search": frozenset({Scope.MESSAGES}),
    "action": frozenset(),
}

#: Order statuses after which nothing more will arrive (no ETA to give, listed after those still on their way).
SETTLED = frozenset({"delivered", "cancelled", "refunded"})
STATUS_ZH = {
    "placed": "已下单",
    "paid": "已付款",
    "shipped": "已发货",
    "in_transit": "运输中",
    "out_for_delivery": "派送中",
    "delivered": "已签收",
    "cancelled": "已取消",
    "refunded": "已退款",
}


class Query(BaseModel):
    """What a question asks, typed: the router's output and what a session remembers for follow-ups."""

    kind: QueryKind
    keywords: list[str] = Field(default_factory=list)
    category: str = ""
    merchant: str = ""
    platform: str = ""
    since_ms: int | None = None
    until_ms: int | None = None
    range_phrase: str = ""
    sent_to: str = ""  # search: only messages the user sent in this conversation (「我给妈妈说了什么」)
    terms: list[str] = Field(default_factory=list)  # spending: any of these in merchant, category or order items
    what: str = ""  # spending: what the user called it (「打车」), for the answer
    tool: str = ""  # for kind == "action": the tool the rules mapped the request to
    args: dict[str, object] = Field(default_factory=dict)


@dataclass
class Facts:
    """What code found: lines (each citing its events), every cited id, and exact numbers."""

    lines: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def add(self, line: str, events: Sequence[Event]) -> None:
        ids = [e.event_id for e in events]
        self.lines.append(line + "".join(f"[{i}]" for i in ids))
        for e in events:
            if e.event_id not in self.citations:
                self.citations.append(e.event_id)
                self.events.append(e)


def yuan(fen: int) -> str:
    """Integer fen as ``¥12.30`` (exact: Decimal, never float)."""
    return f"¥{(Decimal(fen) / 100).quantize(Decimal('0.01'))}"


def local(ms: int, tz: str, fmt: str = "%m月%d日 %H:%M") -> str:
    return datetime.fromtimestamp(ms / 1000, ZoneInfo(tz)).strftime(fmt)


def span_zh(since_ms: int, until_ms: int, tz: str) -> str:
    """``[since, until)`` for people: 「11月23日全天」, 「11月23日 12:00 至 18:00」, or both dates across days."""
    start, end = (datetime.fromtimestamp(ms / 1000, ZoneInfo(tz)) for ms in (since_ms, until_ms))
    if start.time() == end.time() == datetime.min.time():  # whole days
        last = datetime.fromtimestamp((until_ms - 1) / 1000, ZoneInfo(tz))
        same = last.date() == start.date()
        return f"{start:%m月%d日}全天" if same else f"{start:%m月%d日}至{last:%m月%d日}"
    if start.date() == end.date():
        return f"{start:%m月%d日 %H:%M} 至 {end:%H:%M}"
    return f"{start:%m月%d日 %H:%M} 至 {end:%m月%d日 %H:%M}"


def _matches(text: str, words: Sequence[str]) -> bool:
    return not words or any(w in text for w in words)


def spending(lx: Lingxi, events: EventReader, user_id: str, q: Query) -> Facts:
    """Money out in the window, filtered by category or merchant, summed exactly in integer fen."""
    facts = Facts()
    pays = [
        e
        for e in events.query(user_id, types=["payment"], since_ms=q.since_ms, until_ms=q.until_ms, limit=5000)
        if isinstance(e, PaymentEvent) and e.direction == "out" and e.currency == "CNY"
    ]
    if q.category:
        pays = [p for p in pays if p.category == q.category]
    if q.merchant:
        pays = [p for p in pays if q.merchant in p.merchant]
    if q.terms:  # 「打车」「耳机」: the merchant, the category or what the paid order contained
        placed = user_orders(events, user_id)
        items = {o.order_id: " ".join(f"{i.brand}{i.name}{i.category}" for i in o.items) for o in orders(placed)}
        # the order a payment paid for: named by the app, or inferred (same platform, amount, within 72 h)
        paid_for = {pid: link.order_id for pid, link in link_payments([*placed, *pays]).items()}
        pays = [
            p
            for p in pays
            if _matches(f"{p.merchant} {p.category} {items.get(paid_for.get(p.event_id, p.order_id), '')}", q.terms)
        ]
    pays.sort(key=lambda p: p.ts)
    total = sum(p.amount_fen for p in pays)
    what = q.category or q.merchant or q.what or "全部"
    facts.numbers.update(total_fen=total, count=len(pays))
    span = q.range_phrase or "全部时间"
    if not pays and q.terms:  # never answer a different question (the total of everything) instead
        facts.lines.append(f"{span}没有找到与「{what}」相关的支出。")
        return facts
    facts.lines.append(f"{span}「{what}」支出共 {len(pays)} 笔，合计 {yuan(total)}。")
    for p in pays:
        facts.add(f"- {local(p.ts, lx.settings.timezone)} {p.merchant} {yuan(p.amount_fen)}（{p.channel}）", [p])
    return facts


def user_orders(events: EventReader, user_id: str) -> list[OrderEvent]:
    """Every order event of the user (one per status change), newest first; none without the shopping
    consent, since ``events`` is the consented view."""
    return [e for e in events.query(user_id, types=["order"], limit=5000) if isinstance(e, OrderEvent)]


def latest_orders(every: Sequence[OrderEvent], q: Query) -> list[OrderState]:
    """The current state of each order matching the keywords/platform (last changed first)."""
    found = []
    for o in orders(every):
        if q.platform and q.platform not in o.platform:
            continue
        text = f"{o.platform}订单 {o.carrier} " + " ".join(f"{i.brand}{i.name} {i.category}{i.name}" for i in o.items)
        if _matches(text, q.keywords):
            found.append(o)
    return sorted(found, key=lambda o: o.updated_ts, reverse=True)


def eta_zh(o: OrderState, tz: str) -> str:
    """「预计 11月20日 送达」 from the order's ETA: a day when the app gave a day, else the instant; "" if none."""
    if o.eta_day:
        month, day = o.eta_day[5:7], o.eta_day[8:10]
        return f"预计 {month}月{day}日 送达"
    return f"预计 {local(o.eta_ts, tz)} 送达" if o.eta_ts else ""


def order_status(lx: Lingxi, events: EventReader, user_id: str, q: Query) -> Facts:
    """Current status and ETA of the matching orders; outside the window when nothing matches inside it."""
    facts = Facts()
    tz = lx.settings.timezone
    every = user_orders(events, user_id)
    by_id = {e.event_id: e for e in every}
    found = latest_orders(every, q)
    inside = [
        o
        for o in found
        if (q.since_ms is None or o.placed_ts >= q.since_ms) and (q.until_ms is None or o.placed_ts < q.until_ms)
    ]
    if not inside and found and q.since_ms is not None:
        facts.lines.append(f"{q.range_phrase}没有找到匹配的订单，以下是最近的匹配订单：")
        inside = found
    if not inside:
        facts.lines.append("没有找到匹配的订单。")
        return facts
    inside.sort(key=lambda o: o.status in SETTLED)  # still on its way first (stable: newest first within)
    for o in inside[:3]:
        names = "、".join(f"{i.brand}{i.name}" for i in o.items)
        line = f"- {o.platform}订单「{names}」当前状态：{STATUS_ZH[o.status]}（{local(o.updated_ts, tz)}）"
        if o.carrier:
            line += f"，{o.carrier} 运单号 {o.tracking_no}"
        eta = eta_zh(o, tz) if o.status not in SETTLED else ""
        if eta:
            line += f"，{eta}"
            if o.eta_ts:
                facts.numbers.setdefault("eta_ms", o.eta_ts)
        facts.add(line + "。", [by_id[o.versions[-1]]])  # the version that says where it stands now
    return facts


def free_busy(lx: Lingxi, events: EventReader, user_id: str, q: Query) -> Facts:
    """Calendar entries overlapping the window: free when there are none."""
    facts = Facts()
    tz = lx.settings.timezone
    if q.since_ms is None or q.until_ms is None:
        facts.lines.append("没有听出要查哪个时间段，请说明具体时间，例如「下周三下午」。")
        return facts
    since, until = q.since_ms, q.until_ms
    cal = [e for e in events.query(user_id, types=["calendar"], limit=5000) if isinstance(e, CalendarEvent)]
    by_id = {e.event_id: e for e in cal}
    busy_cal = busy(calendar_entries(cal), since, until)  # cancelled entries never; moved ones at their new slot
    span = f"{q.range_phrase or ''}（{span_zh(since, until, tz)}）"
    facts.numbers["busy"] = len(busy_cal)
    if not busy_cal:
        facts.lines.append(f"{span}日历上没有安排，有空。")
        return facts
    facts.lines.append(f"{span}有 {len(busy_cal)} 个日程：")
    for c in busy_cal:
        where = f"，地点 {c.location}" if c.location else ""
        note = "（待定）" if c.status == "tentative" else "（已改期）" if c.moved else ""
        line = f"- {local(c.start_ts, tz)}–{local(c.end_ts, tz, '%H:%M')} {c.title}{note}{where}"
        facts.add(line, [by_id[v] for v in c.versions])  # every version: a moved entry cites its move
    return facts


async def search(lx: Lingxi, events: EventReader, user_id: str, q: Query) -> Facts:
    """Fallback: BM25 retrieval over the user's messages (and calendar, with its consent, and app actions)."""
    facts = Facts()
    tz = lx.settings.timezone
    readable = readable_types(lx.consents.granted(user_id))  # the index is read directly, not through the view
    hits = await lx.retriever.asearch(  # async: with semantic search, the query is embedded without blocking
        user_id,
        " ".join(q.keywords),
        types=[t for t in ("message", "calendar", "app_action") if t in readable],
        since_ms=q.since_ms,
        until_ms=q.until_ms,
        limit=30 if q.sent_to else 8,
        tz=tz,
    )
    if q.sent_to:
        hits = [
            h
            for h in hits
            if isinstance(h.event, MessageEvent)
            and h.event.direction == "out"
            and q.sent_to in h.event.conversation_name
        ][:8]
    if not hits:
        facts.lines.append("在你的数据里没有找到相关内容。")
        return facts
    for h in sorted(hits, key=lambda h: h.event.ts):
        e = h.event
        if isinstance(e, MessageEvent):
            who = "你" if e.direction == "out" else e.sender
            text = f"- {local(e.ts, tz)} {who}（{e.conversation_name}）：{e.text}"
        elif isinstance(e, CalendarEvent):  # when it takes place, not when it was entered (its latest version)
            where = f"，地点 {e.location}" if e.location else ""
            note = {"cancelled": "（已取消）", "tentative": "（待定）"}.get(e.status, "")
            text = f"- 日程 {local(e.start_ts, tz)}–{local(e.end_ts, tz, '%H:%M')} {e.title}{note}{where}"
        else:
            text = f"- {local(e.ts, tz)} {e.search_text()}"
        facts.add(text, [e])
    return facts


RUNNERS = {"spending": spending, "order_status": order_status, "free_busy": free_busy}


async def run_query(lx: Lingxi, events: EventReader, user_id: str, q: Query) -> Facts:
    """Answer a (non-action) query with code over ``events`` (the consented view); facts cite every event used."""
    if q.kind == "search":
        return await search(lx, events, user_id, q)
    return RUNNERS[q.kind](lx, events, user_id, q)
