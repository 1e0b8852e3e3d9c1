"""The facts a reply must not contradict, gathered before any candidate is written.

A reply speaks for the user, so before proposing one we read what the user's own data says about what the
conversation touches: the calendar at every time mentioned in the recent conversation (each phrase read
relative to the message that said it, so 「明天」 said yesterday is today), payments and transfers to the
person or for the thing asked about (rent, AA, 红包), the orders and parcels, rides and train/flight trips
(``app_action`` events of 滴滴/高德/12306…, or orders on those platforms), and where the user is. Entity state
(moved/cancelled entries, order status, contacts) comes from :mod:`lingxi.context.entities`; this module only
chooses what is relevant and words it. Every :class:`Fact` cites the event ids it rests on; a "free" fact
rests on the absence of entries and cites none. Only what the user's consents let through is here: without
the calendar nobody is "free", without payments nobody "already paid".

Trip events: an ``app_action`` whose app is a ride/travel app (or whose params carry ``train_no``/``flight_no``)
with optional params ``from``, ``to``/``destination``, ``depart_ts``, ``arrive_ts``/``eta_ts`` (epoch ms) and
``status`` (``cancelled`` drops it); or an ``order`` on such a platform (``eta_ts`` is the arrival).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from lingxi.context.entities import CalendarEntry, ContactState, OrderState, busy, calendar_entries, contacts, orders
from lingxi.context.events import AppActionEvent, Event, MessageEvent, PaymentEvent
from lingxi.context.timeparse import cn_number, parse_time
from lingxi.features.reply_intent import topics_of

__all__ = ["Fact", "Facts", "about_entry", "gather", "time_windows"]

_MIN, _HOUR, _DAY = 60_000, 3_600_000, 86_400_000
_TRIP_APP = re.compile(r"滴滴|高德|12306|铁路|曹操|T3|花小猪|打车|出行|携程|飞猪|航旅|百度地图|去哪儿|出租")
_CLOCK = re.compile(r"(上午|早上|中午|下午|傍晚|晚上)?(\d{1,2}|[一二两三四五六七八九十]{1,3})[点:：](半|\d{2})?")
_MONEY_WORDS = ("房租", "租金", "水电", "物业", "AA", "红包", "份子", "学费", "饭钱", "车费", "押金")
_AMOUNT = re.compile(r"(\d{1,7}(?:\.\d{1,2})?)\s*(?:块|元|¥)|[¥￥]\s*(\d{1,7}(?:\.\d{1,2})?)")
SENT_TO_USER = re.compile(r"给你(寄|买|带|发)|(寄|带|买|发)给你|帮你买")
#: a parcel the user sent or gave (「收到你寄的特产了」): none of the user's own orders
_SENT_BY_USER = re.compile(r"你(寄|送|带|捎|买)(的|来的|过来的)|你给我(寄|买|带|送)")
_ACTIVE = frozenset({"placed", "paid", "shipped", "in_transit", "out_for_delivery"})

FactKind = Literal["busy", "free", "paid", "order", "trip", "place"]


@dataclass(frozen=True)
class Fact:
    """One thing the user's data says, with the events it rests on (``event_ids``) and what a check needs."""

    fact_id: str
    kind: FactKind
    text_zh: str
    event_ids: tuple[str, ...] = ()
    start_ms: int = 0
    end_ms: int = 0
    phrase: str = ""  # the time phrase (busy/free), the counterpart (paid), the item (order)
    title: str = ""
    amount_fen: int = 0
    status: str = ""  # order status; trip: upcoming / ongoing / done
    eta_ms: int | None = None
    place: str = ""
    span_zh: str = ""  # busy: the entry's own time, 「14:00-15:00」
    alt_ms: int | None = None  # busy: the first free hour after the conflict, the same day before 22:00


@dataclass
class Facts:
    """Everything gathered for one turn, newest mention first within each kind."""

    windows: list[Fact] = field(default_factory=list)  # busy / free at each time mentioned
    payments: list[Fact] = field(default_factory=list)
    orders: list[Fact] = field(default_factory=list)
    trips: list[Fact] = field(default_factory=list)
    places: list[Fact] = field(default_factory=list)

    def all(self) -> list[Fact]:
        return [*self.windows, *self.payments, *self.orders, *self.trips, *self.places]

    def by_id(self, fact_id: str) -> Fact | None:
        return next((f for f in self.all() if f.fact_id == fact_id), None)


def _local(ms: int, tz: str) -> datetime:
    return datetime.fromtimestamp(ms / 1000, ZoneInfo(tz))


def hhmm(ms: int, tz: str) -> str:
    return _local(ms, tz).strftime("%H:%M")


def day_hhmm(ms: int, now_ms: int, tz: str) -> str:
    """「今天 15:00」「明天 09:30」「11月28日 15:00」: a time as a person says it relative to now."""
    d, today = _local(ms, tz).date(), _local(now_ms, tz).date()
    word = {0: "今天", 1: "明天", 2: "后天", -1: "昨天"}.get((d - today).days, f"{d.month}月{d.day}日")
    return f"{word} {hhmm(ms, tz)}"


def yuan(fen: int) -> str:
    return f"{fen // 100}" if fen % 100 == 0 else f"{fen / 100:.2f}"


def _clock(text: str, day_start_ms: int, tz: str) -> tuple[str, int] | None:
    """A clock time at the start of ``text`` (「三点」「下午3:30」) on the day of ``day_start_ms``."""
    m = _CLOCK.match(text.lstrip())
    if m is None or (hour := cn_number(m.group(2))) is None or hour > 24:
        return None
    day = _local(day_start_ms, tz)
    if (m.group(1) in ("下午", "傍晚", "晚上") or day.hour >= 12 or (not m.group(1) and hour < 7)) and hour < 12:
        hour += 12  # 「四点」 with no part of day is 16:00: nobody is asked out at four in the morning
    minute = 30 if m.group(3) == "半" else int(m.group(3) or 0)
    at = day.replace(hour=hour % 24, minute=min(minute, 59), second=0, microsecond=0)
    return m.group(0), int(at.timestamp() * 1000)


def time_windows(text: str, said_ms: int, tz: str, day_ms: int | None = None) -> list[tuple[str, int, int]]:
    """Every time phrase in ``text`` as (phrase, start, end), read relative to ``said_ms``; a clock time
    narrows a day to that hour (明天下午三点 → 15:00–16:00), a bare one (「三点见」) means the day the
    conversation was about (``day_ms``: the start of the day or part of day an earlier message named —
    「明天下午你忙吗」…「那我四点过去」 is tomorrow's 16:00), else the day it was said."""
    out, rest = [], text
    day = said_ms if day_ms is None else day_ms
    while rest:
        window = parse_time(rest, said_ms, tz)
        if window is None:
            bare = next((i for i in range(len(rest)) if _clock(rest[i:], day, tz)), None)
            if bare is None or not (found := _clock(rest[bare:], day, tz)):
                break
            phrase, at = found
            if at < said_ms:  # 「三点」 said at 16:00 means tomorrow's 15:00 rarely; today's has passed: skip
                break
            out.append((phrase.strip(), at, at + _HOUR))
            rest = rest[bare + len(phrase) :]
            continue
        start, end, phrase = window.start_ms, window.end_ms, window.phrase
        after = rest[window.span[1] :]
        if end - start <= _DAY and (found := _clock(after, start, tz)) is not None:
            phrase, start = window.phrase + found[0].strip(), found[1]
            end = start + _HOUR
            after = after.lstrip()[len(found[0]) :]
        out.append((phrase, start, end))
        rest = after
    return out


def _next_free(entries: list[CalendarEntry], after_ms: int, tz: str) -> int | None:
    """The first whole or half hour at or after ``after_ms`` with a free hour after it, the same day before 22:00
    (what the user can offer instead of a busy slot), or None."""
    at = _local(after_ms, tz)
    start = -(-after_ms // 1_800_000) * 1_800_000  # the next half hour (zones are offset by whole half hours)
    last = int(at.replace(hour=21, minute=0, second=0, microsecond=0).timestamp() * 1000)
    while start <= last:
        if not busy(entries, start, start + _HOUR):
            return start
        start += 1_800_000
    return None


def _mostly_free(found: list[CalendarEntry], start: int, end: int) -> bool:
    """A long window (a whole day, a weekend: over 8 hours) that its entries fill less than half of is no busy
    slot: one morning meeting does not make 「周末去露营」 impossible, so the user is free apart from it."""
    taken = sum(min(e.end_ts, end) - max(e.start_ts, start) for e in found)
    return end - start > 8 * _HOUR and taken * 2 < end - start


def _window_facts(recent: list[MessageEvent], entries: list[CalendarEntry], now_ms: int, tz: str) -> list[Fact]:
    facts: list[Fact] = []
    seen: set[tuple[int, int]] = set()
    said: list[list[tuple[str, int, int]]] = []
    day: int | None = None  # the day (or part of day) the conversation was last about, for bare clock times
    for m in recent:
        said.append(time_windows(m.text, m.ts, tz, day))
        day = next((s for _, s, e in reversed(said[-1]) if e - s <= _DAY and e > now_ms), day)
    for windows in reversed(said):  # newest mention first
        for phrase, start, end in windows:
            # a past time, or one too long to be a slot (「本月」「下周」): nothing to be busy or free at
            if end <= now_ms or end - start > 2 * _DAY or (start, end) in seen:
                continue
            seen.add((start, end))
            when = day_hhmm(start, now_ms, tz) if end - start <= 2 * _HOUR else phrase
            found = sorted(busy(entries, start, end), key=lambda e: e.start_ts)
            if found and _mostly_free(found, start, end):  # 「周末去露营」 with one morning hour taken
                e = found[0]
                span = f"{hhmm(e.start_ts, tz)}-{hhmm(e.end_ts, tz)}"
                text = f"用户日历：{phrase}只有「{e.title}」（{day_hhmm(e.start_ts, now_ms, tz)}-{span[6:]}），其余空闲"
                facts.append(Fact(f"free:{start}", "free", text, tuple(e.versions), start, end, phrase, e.title,
                                  span_zh=span))  # fmt: skip
            elif found:
                e = found[0]
                span = f"{hhmm(e.start_ts, tz)}-{hhmm(e.end_ts, tz)}"
                text = f"用户日历：{phrase}已有「{e.title}」（{day_hhmm(e.start_ts, now_ms, tz)}-{hhmm(e.end_ts, tz)}）"
                facts.append(
                    Fact(
                        f"busy:{e.entry_id}:{start}",
                        "busy",
                        text,
                        tuple(e.versions),
                        start,
                        end,
                        phrase,
                        e.title,
                        place=e.location,
                        span_zh=span,
                        alt_ms=_next_free(entries, max(e.end_ts for e in found), tz),
                    )
                )
            else:
                facts.append(Fact(f"free:{start}", "free", f"用户日历：{when}前后没有安排", (), start, end, phrase))
    return facts


def _names(partner: str, people: list[ContactState]) -> set[str]:
    """The partner's name and every alias a contact entry gives them (转账 shows 王建国, chat shows 王叔)."""
    names = {partner} if partner else set()
    for c in people:
        if partner and (partner == c.name or partner in c.aliases):
            names |= {c.name, *c.aliases}
    return {n for n in names if len(n) >= 2}


def _payment_facts(events: list[Event], partner_names: set[str], said: str, now_ms: int, tz: str) -> list[Fact]:
    words = [w for w in _MONEY_WORDS if w in said]
    amounts = {round(float(a or b) * 100) for a, b in _AMOUNT.findall(said)}
    facts = []
    for p in sorted((e for e in events if isinstance(e, PaymentEvent)), key=lambda p: -p.ts):
        if p.direction != "out" or p.ts > now_ms or p.ts < now_ms - 40 * _DAY:
            continue
        where = f"{p.merchant} {p.category} {p.channel}"
        to_partner = any(n in p.merchant or p.merchant in n for n in partner_names)
        for_thing = any(w in where for w in words)
        if not (to_partner or for_thing) or (amounts and p.amount_fen not in amounts and not to_partner):
            continue
        when = _local(p.ts, tz)
        how = p.channel or "转账"
        text = f"用户已于{when.month}月{when.day}日 {hhmm(p.ts, tz)} 通过{how}向{p.merchant}付款{yuan(p.amount_fen)}元"
        facts.append(
            Fact(f"paid:{p.event_id}", "paid", text, (p.event_id,), p.ts, p.ts, p.merchant, p.category, p.amount_fen)
        )
    return facts[:2]


def _names_item(name: str, said: str) -> bool:
    """``said`` names the item: its name's first word or a tail of it of two characters or more (the head
    noun of a Chinese product name comes last: 护眼台灯 → 台灯)."""
    head = re.split(r"[\s/（）()，,]+", name.strip())[0]
    if len(head) >= 2 and head[-1] + "子" in said:  # the everyday word for it: 保温杯 → 杯子, 脐橙 → 橙子
        return True
    return any(head[i:] in said for i in range(max(len(head) - 1, 0)))


def _order_facts(states: list[OrderState], said: str, now_ms: int, tz: str) -> list[Fact]:
    # a parcel someone else sent (「爸给你寄的茶叶」) is none of the user's own orders unless one is named
    parcel = "parcel" in topics_of(said) and not SENT_TO_USER.search(said) and not _SENT_BY_USER.search(said)
    facts = []
    for o in sorted(states, key=lambda o: -o.updated_ts):
        if _TRIP_APP.search(o.platform) or o.updated_ts < now_ms - 30 * _DAY:
            continue
        names = [i.name for i in o.items]
        named = any(_names_item(n, said) for n in names)
        if not (parcel or named):
            continue
        item = names[0].split(" ")[0]
        eta = ""
        if o.status in _ACTIVE and o.eta_ts:
            eta = f"，预计{day_hhmm(o.eta_ts, now_ms, tz)} 送达"
        elif o.status in _ACTIVE and o.eta_day:
            eta = f"，预计{o.eta_day[5:].replace('-', '月')}日送达"
        state = f"{STATUS_ZH.get(o.status, o.status)}{eta}"
        text = f"用户在{o.platform}买的「{item}」{state}"
        facts.append(Fact(f"order:{o.order_id}", "order", text, tuple(o.versions), phrase=item, title=state,
                          status=o.status, eta_ms=o.eta_ts))  # fmt: skip
        if named:  # the one the message names wins over the others
            return [facts[-1]]
    return facts[:1]


STATUS_ZH = {
    "placed": "已下单",
    "paid": "已付款，等待发货",
    "shipped": "已发货",
    "in_transit": "运输中",
    "out_for_delivery": "正在派送",
    "delivered": "已签收",
    "cancelled": "已取消",
    "refunded": "已退款",
}


def _trip_facts(events: list[Event], states: list[OrderState], now_ms: int, tz: str, days: int = 2) -> list[Fact]:
    facts = []
    for a in (e for e in events if isinstance(e, AppActionEvent)):
        p = a.params
        if not (_TRIP_APP.search(a.app) or "train_no" in p or "flight_no" in p) or p.get("status") == "cancelled":
            continue
        raw = p.get("depart_ts")
        depart = raw if isinstance(raw, int) else a.ts
        eta = next((int(p[k]) for k in ("arrive_ts", "eta_ts") if isinstance(p.get(k), int)), None)
        dest = str(p.get("to") or p.get("destination") or a.target or "")
        title = str(p.get("train_no") or p.get("flight_no") or a.app)
        facts.append(_trip(a.event_id, (a.event_id,), title, dest, depart, eta, now_ms, tz))
    for o in states:
        if _TRIP_APP.search(o.platform) and o.status not in ("cancelled", "refunded"):
            name = o.items[0].name
            dest = name.split("→")[-1].split(" ")[0] if "→" in name else ""
            facts.append(_trip(o.order_id, tuple(o.versions), name, dest, o.placed_ts, o.eta_ts, now_ms, tz))
    live = [f for f in facts if f.eta_ms is None or now_ms - 2 * _HOUR <= f.eta_ms <= now_ms + days * _DAY]
    return sorted(live, key=lambda f: (f.status != "ongoing", abs((f.eta_ms or f.start_ms) - now_ms)))[:2]


def _trip(
    key: str, ids: tuple[str, ...], title: str, dest: str, depart: int, eta: int | None, now: int, tz: str
) -> Fact:
    status = "upcoming" if depart > now else ("done" if eta is not None and eta <= now else "ongoing")
    to = f"去{dest}" if dest else ""
    when = {
        "upcoming": f"，{day_hhmm(depart, now, tz)}出发",
        "ongoing": "，正在路上" + (f"，预计{day_hhmm(eta, now, tz)}到" if eta else ""),
        "done": f"，已于{day_hhmm(eta or depart, now, tz)}到达",
    }[status]
    return Fact(
        f"trip:{key}",
        "trip",
        f"用户的行程：{title}{to}{when}",
        ids,
        depart,
        eta or depart,
        title=title,
        status=status,
        eta_ms=eta,
        place=dest,
    )


def _place_facts(entries: list[CalendarEntry], events: list[Event], trips: list[Fact], now_ms: int) -> list[Fact]:
    facts = [
        Fact(
            f"place:{e.entry_id}",
            "place",
            f"用户现在在「{e.title}」（{e.location}）",
            tuple(e.versions),
            e.start_ts,
            e.end_ts,
            title=e.title,
            place=e.location,
        )
        for e in entries
        if e.location and e.status != "cancelled" and e.start_ts <= now_ms < e.end_ts
    ]
    facts += [
        Fact(f"place:{t.fact_id}", "place", f"用户刚到{t.place}", t.event_ids, place=t.place)
        for t in trips
        if t.status == "done" and t.place and (t.eta_ms or 0) >= now_ms - _HOUR
    ]
    navs = [e for e in events if isinstance(e, AppActionEvent) and e.action in ("navigate", "导航") and e.target]
    for n in sorted(navs, key=lambda n: -n.ts)[:1]:
        if n.ts >= now_ms - 2 * _HOUR:
            facts.append(
                Fact(f"place:{n.event_id}", "place", f"用户最近导航去{n.target}", (n.event_id,), place=n.target)
            )
    return facts


def gather(
    events: list[Event],
    recent: list[MessageEvent],
    partner: str,
    now_ms: int,
    tz: str,
    *,
    calendar: bool,
    payments: bool,
) -> Facts:
    """The facts the recent conversation touches. ``events`` oldest first (ties: arrival order), as the
    consented view gave them; ``calendar``/``payments``: whether those scopes were granted (without them,
    "free" and "not paid yet" cannot be known, so no fact is made from their absence)."""
    said = "\n".join(m.text for m in recent[-8:])
    entries = [e for e in calendar_entries(events, at_ms=now_ms) if e.status != "cancelled"]
    states = orders(events, at_ms=now_ms)
    facts = Facts()
    if calendar:
        facts.windows = _window_facts(recent[-8:], entries, now_ms, tz)
    if payments:
        names = _names(partner, contacts(events, at_ms=now_ms))
        facts.payments = _payment_facts(events, names, said, now_ms, tz)
    facts.orders = _order_facts(states, said, now_ms, tz)
    days = 7 if "trip" in topics_of(said) and "票" in said else 2  # 「车票买好了吗」: a trip days ahead
    facts.trips = _trip_facts([e for e in events if e.ts <= now_ms], states, now_ms, tz, days)
    facts.places = _place_facts(entries if calendar else [], events, facts.trips, now_ms)
    return facts


def about_entry(window: Fact, message: str) -> bool:
    """``message`` speaks of the busy entry itself — its title, or the title's last two or more characters
    (产品组周会 → 周会) — so that slot is no conflict with it (「明天周会你来吗」)."""
    title = re.sub(r"[：:（(].*$", "", window.title)
    return window.kind == "busy" and any(title[i:] in message for i in range(max(len(title) - 1, 0)))


def first_window(facts: Facts) -> Fact | None:
    """The time the conversation is about: the newest one mentioned."""
    return facts.windows[0] if facts.windows else None
