"""The user profile: interests, price bands, active hours, contacts and spending — updated per event, explained.

Why incremental: personalization is real-time. The profile is an :class:`~lingxi.context.store.IngestHook`,
updated inside the ingest transaction from the newly added events only, so the request right after an order
already sees it, and a crash never leaves the profile counting an event the store does not hold (or the
reverse). Recomputing from history on every read would cost a scan of every event; a nightly batch would be
a day late. Every number can be maintained exactly in O(1) per event:

* interests (categories, brands) are exponentially decayed scores (half-life ``half_life_days``) kept as
  ``(score, as_of)``; adding an event of any age is exact, and reads decay everything to "now". Weights: an
  order's item 3, a payment confirming a known order 1, a product view 0.3–1 by dwell time, a search 0.5
  for each known category/brand it names. An order counts once per order id whatever its status updates,
  and a cancellation or refund takes it back out;
* price bands keep the unit prices of the latest ordered items per category (median, p25–p75);
* active hours are a 24-bin histogram, in the user's zone, of what the user *did* (sent, ordered, viewed,
  searched, used an app, scheduled) — received messages and notifications say nothing about the user;
* frequent contacts are decayed counts per counterpart, incoming (by sender) and outgoing (by chat);
* spending (top merchants and categories with their usual hour) comes from outgoing payments.

Each fact carries its evidence — up to ``evidence`` event ids, newest first — and a Chinese explanation
built from the newest of them ("因为你最近在京东买了索尼…"), so the user can see, and contest, why.

Payments are financial data (PIPL Art. 28/29): they are counted when they were ingested, kept apart in
``merchants`` / ``spend_categories`` (and out of active hours), and the consent gate decides who reads
them; :meth:`UserProfile.without_payments` is the view for a reader without the ``payments`` scope. The
only trace payments leave elsewhere is the confirmation weight on an order the interests already show.

The profile is personal data: one AES-GCM-sealed JSON blob per user, read-modified-written inside the
ingest transaction (SQLite's write lock serializes concurrent ingests), erased with the user's events.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from lingxi.context.events import (
    AppActionEvent,
    BrowseEvent,
    CalendarEvent,
    CartEvent,
    Event,
    FavoriteEvent,
    MessageEvent,
    OrderEvent,
    PaymentEvent,
    SearchEvent,
)
from lingxi.context.profile_contacts import CONTACTS_TOP, open_names, seal_names
from lingxi.context.profile_models import Fact, HourFact, PriceBand, SpendFact, UserProfile
from lingxi.context.profile_state import Order as _Order
from lingxi.context.profile_state import Score as _Score
from lingxi.context.profile_state import State as _State
from lingxi.ids import now_ms as _clock
from lingxi.privacy.crypto import Vault
from lingxi.privacy.sealed import SealedColumn, by_user, register
from lingxi.storage.sqlite import Database

if TYPE_CHECKING:
    from lingxi.context.store import EventStore

_MIGRATIONS = (
    "CREATE TABLE profiles (user_id TEXT PRIMARY KEY, payload BLOB NOT NULL, updated_at INTEGER NOT NULL)",
    # the contact index: the names the egress boundary redacts, kept beside the profile (NULL: written before)
    "ALTER TABLE profiles ADD COLUMN contacts BLOB",
)
register(
    SealedColumn("profiles", "payload", ("user_id",), by_user, lambda r: "profile"),
    SealedColumn("profiles", "contacts", ("user_id",), by_user, lambda r: "profile:contacts"),
)
_RECORD = "profile"  # associated data for sealing: a profile blob cannot be swapped with an event payload
_DAY_MS = 86_400_000
_W_ORDER, _W_PAYMENT, _W_SEARCH = 3.0, 1.0, 0.5
#: adding to the cart is nearly a purchase; a favourite is lasting interest, more than a long look
_W_CART, _W_FAVORITE = 1.5, 1.0
_CAP_KEYS, _CAP_ORDERS, _CAP_PRICES = 300, 2_000, 100  # bound each blob however long the history
_VERBS = {"外卖": "点外卖", "餐饮": "吃喝消费", "交通": "乘车出行", "超市": "逛超市", "购物": "网购"}


def _yuan(fen: int) -> str:
    return f"¥{fen // 100}" if fen % 100 == 0 else f"¥{fen / 100:.2f}"


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class Profile:
    """Per-user profiles, kept in step with the event store as an ingest hook."""

    def __init__(
        self,
        db: Database,
        vault: Vault,
        *,
        tz: str = "Asia/Shanghai",
        half_life_days: float = 30.0,
        evidence: int = 5,
    ) -> None:
        self.db = db
        self.vault = vault
        self.tz = ZoneInfo(tz)
        self.half_life_ms = half_life_days * _DAY_MS
        self.evidence = evidence
        db.migrate("profile", _MIGRATIONS)

    # -- IngestHook ---------------------------------------------------------------------------------
    def on_ingest(self, conn: sqlite3.Connection, events: Sequence[Event]) -> None:
        """Fold newly added events into their users' profiles, in the caller's transaction."""
        by_user: dict[str, list[Event]] = {}
        for e in events:
            by_user.setdefault(e.user_id, []).append(e)
        for user_id, batch in by_user.items():
            state = self._load(conn, user_id)
            for e in sorted(batch, key=lambda e: e.ts):
                self._apply(state, e)
            self._save(conn, user_id, state)

    def on_delete(self, conn: sqlite3.Connection, user_id: str) -> None:
        conn.execute("DELETE FROM profiles WHERE user_id = ?", (user_id,))

    # -- public API ---------------------------------------------------------------------------------
    def get(self, user_id: str, *, now_ms: int | None = None, top: int = 10) -> UserProfile:
        """The profile of ``user_id``, scores decayed to ``now_ms`` (default: the clock), ``top`` per list."""
        with self.db.connect() as conn:
            state = self._load(conn, user_id)
        return self._render(user_id, state, now_ms if now_ms is not None else _clock(), top)

    def contact_names(self, user_id: str) -> list[str]:
        """The user's strongest contacts, sorted (see :mod:`.profile_contacts`); rendered for an older row."""
        with self.db.connect() as conn:
            row = conn.execute("SELECT contacts FROM profiles WHERE user_id = ?", (user_id,)).fetchone()
        if row is None:
            return []
        if row["contacts"] is None:
            p = self.get(user_id, top=CONTACTS_TOP)
            return sorted({f.name for f in [*p.contacts_incoming, *p.contacts_outgoing]})
        return open_names(self.vault, user_id, row["contacts"])

    def reset(self, user_id: str) -> None:
        """Forget what was learned (events stay); the profile starts over from the next event."""
        with self.db.transaction() as conn:
            self.on_delete(conn, user_id)

    def rebuild(self, store: EventStore, user_id: str) -> None:
        """Recompute the profile from every stored event (e.g. for events stored before the hook existed)."""
        events = store.query(user_id, limit=2**62)
        with self.db.transaction() as conn:
            state = _State()
            for e in sorted(events, key=lambda e: e.ts):
                self._apply(state, e)
            self._save(conn, user_id, state)

    # -- storage ------------------------------------------------------------------------------------
    def _load(self, conn: sqlite3.Connection, user_id: str) -> _State:
        row = conn.execute("SELECT payload FROM profiles WHERE user_id = ?", (user_id,)).fetchone()
        if row is None:
            return _State()
        return _State.model_validate_json(self.vault.open(row["payload"], user_id=user_id, record_id=_RECORD))

    def _save(self, conn: sqlite3.Connection, user_id: str, state: _State) -> None:
        sealed = self.vault.seal(
            state.model_dump_json(exclude_defaults=True).encode(), user_id=user_id, record_id=_RECORD
        )
        contacts = seal_names(self.vault, user_id, [*self._top(state.contacts_in), *self._top(state.contacts_out)])
        conn.execute(
            "INSERT INTO profiles(user_id, payload, updated_at, contacts) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at, "
            "contacts = excluded.contacts",
            (user_id, sealed, _clock(), contacts),
        )

    def _top(self, table: dict[str, _Score]) -> list[str]:
        """The ``CONTACTS_TOP`` strongest keys, ranked as :meth:`_facts` ranks them (decayed to the newest)."""
        now = max((s.as_of for s in table.values()), default=0)
        return [k for k, _ in self._ranked(table, now)[:CONTACTS_TOP]]

    def _ranked(self, table: dict[str, _Score], now: int) -> list[tuple[str, _Score]]:
        return sorted(table.items(), key=lambda kv: (-kv[1].score * self._decay(now - kv[1].as_of), kv[0]))

    # -- incremental update -------------------------------------------------------------------------
    def _decay(self, dt_ms: float) -> float:
        return float(0.5 ** (max(dt_ms, 0.0) / self.half_life_ms))

    def _bump(self, table: dict[str, _Score], key: str, w: float, e: Event, note: str = "") -> _Score:
        s = table.get(key)
        if s is None:
            if len(table) >= _CAP_KEYS:  # evict the weakest, so the blob stays bounded
                del table[min(table, key=lambda k: table[k].score * self._decay(e.ts - table[k].as_of))]
            s = table[key] = _Score(as_of=e.ts)
        if e.ts >= s.as_of:
            s.score, s.as_of = s.score * self._decay(e.ts - s.as_of) + w, e.ts
        else:
            s.score += w * self._decay(s.as_of - e.ts)
        s.count += 1
        if e.ts >= s.last_ts:
            s.last_ts, s.note = e.ts, note or s.note or f"有「{key}」相关记录"
        s.ids = sorted({*s.ids, (e.ts, e.event_id)}, reverse=True)[: self.evidence]
        return s

    def _unbump(self, table: dict[str, _Score], key: str, w: float, ts: int, event_id: str) -> None:
        if (s := table.get(key)) is not None:
            s.score = max(0.0, s.score - w * self._decay(s.as_of - ts))
            s.count = max(0, s.count - 1)
            s.ids = [p for p in s.ids if p[1] != event_id]
            if s.count == 0:
                del table[key]

    def _hour(self, ts: int) -> int:
        return datetime.fromtimestamp(ts / 1000, self.tz).hour

    def _active(self, state: _State, e: Event) -> None:
        h = self._hour(e.ts)
        state.hours[h] += 1
        state.hour_ids[h] = sorted({*state.hour_ids.get(h, []), (e.ts, e.event_id)}, reverse=True)[: self.evidence]

    def _apply(self, state: _State, e: Event) -> None:
        state.events += 1
        state.as_of = max(state.as_of, e.ts)
        if isinstance(e, OrderEvent):
            self._order(state, e)
        elif isinstance(e, PaymentEvent):
            self._payment(state, e)
        elif isinstance(e, BrowseEvent):
            w = 0.3 + 0.7 * min(e.dwell_ms, 30_000) / 30_000
            note = f"在{e.platform}看过{_short(e.brand + e.item_name)}"
            for table, key in ((state.categories, e.category), (state.brands, e.brand)):
                if key:
                    self._bump(table, key, w, e, note)
            self._active(state, e)
        elif isinstance(e, CartEvent | FavoriteEvent):
            if e.action == "add":  # taking it out again says nothing new about taste
                w, verb = (_W_CART, "加购了") if isinstance(e, CartEvent) else (_W_FAVORITE, "收藏了")
                for table, key in ((state.categories, e.category), (state.brands, e.brand)):
                    if key:
                        self._bump(table, key, w, e, f"在{e.platform}{verb}{_short(e.brand + e.item_name)}")
            self._active(state, e)
        elif isinstance(e, SearchEvent):
            note = f"在{e.platform}搜索过“{_short(e.query)}”"
            for table in (state.categories, state.brands):
                for key in [k for k in table if len(k) >= 2 and k in e.query]:
                    self._bump(table, key, _W_SEARCH, e, note)
            self._active(state, e)
        elif isinstance(e, MessageEvent):
            if e.direction == "in":
                self._bump(state.contacts_in, e.sender, 1.0, e)
            else:
                self._bump(state.contacts_out, e.conversation_name or e.conversation_id, 1.0, e)
                self._active(state, e)
        elif isinstance(e, AppActionEvent | CalendarEvent):
            self._active(state, e)

    def _order(self, state: _State, e: OrderEvent) -> None:
        key = e.order_id
        order = state.orders.get(key)
        if order is None:
            if len(state.orders) >= _CAP_ORDERS:
                del state.orders[min(state.orders, key=lambda k: state.orders[k].ts)]
            order = state.orders[key] = _Order(ts=e.ts)
        if e.status in ("cancelled", "refunded"):
            if order.counted:  # take the purchase (and the payments confirming it) back out
                for table, keys in ((state.categories, order.categories), (state.brands, order.brands)):
                    for k in keys:
                        self._unbump(table, k, _W_ORDER, order.ts, order.event_id)
                        for ts, pid in order.payments:
                            self._unbump(table, k, _W_PAYMENT, ts, pid)
                for cat in {*order.categories, ""}:
                    state.prices[cat] = [p for p in state.prices.get(cat, []) if p[3] != key]
                    if not state.prices[cat]:
                        del state.prices[cat]
            order.counted, order.cancelled = False, True
            return
        if e.status == "placed":
            self._active(state, e)
        if order.counted or order.cancelled:
            return  # a status update of an order already counted (or one that arrived after its cancellation)
        order.counted, order.ts, order.event_id = True, e.ts, e.event_id
        for item in e.items:
            note = f"在{e.platform}买了{_short(item.brand + item.name)}"
            if item.category:
                self._bump(state.categories, item.category, _W_ORDER, e, note)
                order.categories.append(item.category)
            if item.brand:
                self._bump(state.brands, item.brand, _W_ORDER, e, note)
                order.brands.append(item.brand)
            band = state.prices.setdefault(item.category, [])
            band.append((e.ts, item.price_fen, e.event_id, key))
            band.sort(reverse=True)
            del band[_CAP_PRICES:]

    def _payment(self, state: _State, e: PaymentEvent) -> None:
        if e.direction != "out":
            return  # income is not spending
        order = state.orders.get(e.order_id) if e.order_id else None
        if order is not None and order.counted:  # a paid order: a stronger signal than a placed one
            order.payments.append((e.ts, e.event_id))
            for table, keys in ((state.categories, order.categories), (state.brands, order.brands)):
                for k in keys:
                    self._bump(table, k, _W_PAYMENT, e)
        for table, key in ((state.merchants, e.merchant), (state.spend, e.category)):
            if key:
                s = self._bump(table, key, 1.0, e)
                s.total_fen += e.amount_fen if e.currency == "CNY" else 0
                s.hours = s.hours or [0] * 24
                s.hours[self._hour(e.ts)] += 1

    # -- reading ------------------------------------------------------------------------------------
    def _facts(self, table: dict[str, _Score], now: int, top: int, explain: str) -> list[Fact]:
        ranked = self._ranked(table, now)
        return [
            Fact(
                name=k,
                count=s.count,
                last_ts=s.last_ts,
                score=round(s.score * self._decay(now - s.as_of), 4),
                event_ids=[i for _, i in s.ids],
                explanation_zh=explain.format(name=k, note=s.note, count=s.count, when=self._when(s.last_ts)),
            )
            for k, s in ranked[:top]
        ]

    def _when(self, ts: int) -> str:
        return datetime.fromtimestamp(ts / 1000, self.tz).strftime("%m-%d %H:%M")

    def _spend(self, table: dict[str, _Score], now: int, top: int, merchant: bool) -> list[SpendFact]:
        out = []
        for f in self._facts(table, now, top, ""):
            s = table[f.name]
            peak = max(range(24), key=lambda h: (s.hours[h], -h))
            if merchant:
                why = f"你常在{f.name}消费（{s.count} 笔，共 {_yuan(s.total_fen)}）"
            else:
                verb = _VERBS.get(f.name, f"在「{f.name}」上消费")
                why = f"你常在 {peak:02d}:00–{peak + 1:02d}:00 {verb}（{s.count} 笔，共 {_yuan(s.total_fen)}）"
            out.append(SpendFact(**{**f.model_dump(), "explanation_zh": why}, total_fen=s.total_fen, peak_hour=peak))
        return out

    def _render(self, user_id: str, state: _State, now: int, top: int) -> UserProfile:
        interest = "因为你最近{note}（共 {count} 次相关记录）"
        bands = []
        for cat, rows in sorted(state.prices.items(), key=lambda kv: -len(kv[1])):
            prices = sorted(p[1] for p in rows)
            if len(prices) >= 2:
                q1, q2, q3 = statistics.quantiles(prices, n=4, method="inclusive")
            else:
                q1 = q2 = q3 = prices[0]
            label = cat or "未分类"
            bands.append(
                PriceBand(
                    category=cat,
                    n=len(prices),
                    p25_fen=round(q1),
                    median_fen=round(q2),
                    p75_fen=round(q3),
                    event_ids=list(dict.fromkeys(p[2] for p in rows))[: self.evidence],
                    explanation_zh=f"你在「{label}」上买的东西单价多在 {_yuan(round(q1))}–{_yuan(round(q3))}，"
                    f"中位数 {_yuan(round(q2))}（{len(prices)} 件）",
                )
            )
        total = sum(state.hours) or 1
        peaks = sorted((h for h in range(24) if state.hours[h]), key=lambda h: (-state.hours[h], h))[:3]
        return UserProfile(
            user_id=user_id,
            as_of_ms=now,
            events=state.events,
            categories=self._facts(state.categories, now, top, interest),
            brands=self._facts(state.brands, now, top, interest),
            price_bands=bands[:top],
            active_hours=list(state.hours),
            peak_hours=[
                HourFact(
                    hour=h,
                    count=state.hours[h],
                    share=round(state.hours[h] / total, 4),
                    event_ids=[i for _, i in state.hour_ids.get(h, [])],
                    explanation_zh=f"你常在 {h:02d}:00–{h + 1:02d}:00 活跃（{state.hours[h]} 次操作，"
                    f"占 {state.hours[h] * 100 // total}%）",
                )
                for h in peaks
            ],
            contacts_incoming=self._facts(
                state.contacts_in, now, top, "{name} 常给你发消息（{count} 条，最近 {when}）"
            ),
            contacts_outgoing=self._facts(
                state.contacts_out, now, top, "你常给{name}发消息（{count} 条，最近 {when}）"
            ),
            merchants=self._spend(state.merchants, now, top, merchant=True),
            spend_categories=self._spend(state.spend, now, top, merchant=False),
        )
