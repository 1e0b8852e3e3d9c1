"""The shopping :class:`~lingxi.context.store.IngestHook`: interaction sequences, co-occurrence, popularity.

Why a hook: a recommendation must reflect the event the user just produced, so the counts are updated in
the same transaction that stores the event, and the next ``recommend`` call (one indexed read) sees it.

What is kept (SQLite tables migrated as component ``shopping``; item names and queries sealed with the
vault, see :mod:`lingxi.shopping.sealing`):

* ``shop_items`` — the catalog: every item seen in a browse or order event, its name/category/brand/price,
  how many sessions and distinct users contained it, and its popularity decayed with ``half_life_days``;
* ``shop_inter`` — per-user interactions (browse, cart, favorite, order, payment confirmations) with a weight and
  a session; cart and favorite come from ``cart``/``favorite`` events, or from ``app_action`` events that mean
  the same (:data:`~lingxi.shopping.touches.INTEREST_ACTIONS`);
* ``shop_pairs`` — global item→item counts: ``co`` (same order or browsing session, symmetric) and ``tr``
  (``a`` then ``b`` within a session, directional);
* ``shop_queries`` — the user's searches, matched against item names at ranking time;
* ``shop_orders`` — which orders were counted, so status updates are counted once and cancellations undone;
* ``shop_contrib`` — what each session of each user added to ``shop_pairs`` (one row per pair and session;
  the symmetric ``co`` is stored once, on the row with ``a < b``), so it can be taken back out.

Forgetting is exact. Deleting a user (PIPL Art. 47, :meth:`ShoppingHook.on_delete`) and cancelling or
refunding a counted order subtract what those interactions added to the global counts: their pair counts
(from ``shop_contrib``), their sessions and their decayed popularity (from the user's ``shop_inter`` rows:
``pop`` at its ``pop_ts`` minus ``Σ weight·decay(pop_ts − ts)``, clamped at 0), and the user's part of
``users`` (a cancellation only where no other interaction of theirs with the item remains). Items nobody
else touched disappear. The global tables then equal, up to float rounding, those of a store that never saw
the deleted user or the cancelled order (``pop_ts`` may stay at a deleted event's time: the same decayed
value, expressed at a later reference time). What stays:

* pair counts from events ingested before ``shop_contrib`` existed (no backfill: what those events added
  was not recorded and is not guessed); their sessions and popularity are still subtracted, since their
  ``shop_inter`` rows hold all that is needed;
* pairs that a *later* event formed with a cancelled order's items (a browse within ``session_gap_ms``
  after the order) — those belong to the later event;
* catalog facts (category, brand, last price) an order filled in for an item others also touched.

A session is an order (its items), or a run of browsing with gaps under ``session_gap_ms``. Items without
an id (order items) get a stable id from platform + name (:func:`item_id_for`); browsed items get the same
kind of id (not the app's ``item_id``), so looking at a product and later ordering it are one item.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence

from lingxi.context.events import (
    AppActionEvent,
    BrowseEvent,
    CartEvent,
    Event,
    FavoriteEvent,
    OrderEvent,
    PaymentEvent,
    SearchEvent,
)
from lingxi.privacy.crypto import Vault
from lingxi.shopping.sealing import CATALOG, TextSeal
from lingxi.shopping.touches import (
    INTEREST_ACTIONS,
    W_ORDER,
    W_PAYMENT,
    Touch,
    browse_weight,
    interest_touch,
    item_id_for,
    item_touch,
)
from lingxi.storage.sqlite import Database

__all__ = ["ShoppingHook", "item_id_for"]

_MIGRATIONS = (
    """CREATE TABLE shop_items (
        item_id TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, brand TEXT NOT NULL,
        price_fen INTEGER, platform TEXT NOT NULL, sessions INTEGER NOT NULL DEFAULT 0,
        users INTEGER NOT NULL DEFAULT 0, pop REAL NOT NULL DEFAULT 0, pop_ts INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID""",
    "CREATE INDEX shop_items_by_pop ON shop_items(pop DESC)",
    "CREATE TABLE shop_item_users (item_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (item_id, user_id))"
    " WITHOUT ROWID",
    """CREATE TABLE shop_inter (
        user_id TEXT NOT NULL, ts INTEGER NOT NULL, item_id TEXT NOT NULL, kind TEXT NOT NULL,
        weight REAL NOT NULL, session TEXT NOT NULL, event_id TEXT NOT NULL
    )""",
    "CREATE INDEX shop_inter_by_user_ts ON shop_inter(user_id, ts)",
    """CREATE TABLE shop_pairs (
        a TEXT NOT NULL, b TEXT NOT NULL, co REAL NOT NULL DEFAULT 0, tr REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (a, b)
    ) WITHOUT ROWID""",
    "CREATE TABLE shop_queries (user_id TEXT NOT NULL, ts INTEGER NOT NULL, query TEXT NOT NULL, event_id TEXT)",
    "CREATE INDEX shop_queries_by_user_ts ON shop_queries(user_id, ts)",
    """CREATE TABLE shop_orders (
        user_id TEXT NOT NULL, order_id TEXT NOT NULL, ts INTEGER NOT NULL, cancelled INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, order_id)
    ) WITHOUT ROWID""",
    # keyed by user (deletion) then session (an order's cancellation): the primary key is the only index
    """CREATE TABLE shop_contrib (
        user_id TEXT NOT NULL, session TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
        co REAL NOT NULL DEFAULT 0, tr REAL NOT NULL DEFAULT 0, PRIMARY KEY (user_id, session, a, b)
    ) WITHOUT ROWID""",
)

_DAY_MS = 86_400_000
_EPS = 1e-9  # a pair count at or below this after a subtraction is zero (counts are sums of 1.0: exact anyway)
_INSERT_INTER = (
    "INSERT INTO shop_inter(user_id, ts, item_id, kind, weight, session, event_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class ShoppingHook:
    """Keeps the shopping tables in step with the event store (an ``IngestHook``)."""

    def __init__(
        self,
        db: Database,
        *,
        half_life_days: float = 14.0,
        session_gap_ms: int = 30 * 60_000,
        max_neighbors: int = 12,
        vault: Vault | None = None,
    ) -> None:
        self.db = db
        self.seal = TextSeal(vault)  # no vault: plain text (offline evaluation on a public log)
        self.half_life_ms = half_life_days * _DAY_MS
        self.session_gap_ms = session_gap_ms
        self.max_neighbors = max_neighbors  # co-occurrence pairs per new item: bounds the cost of big baskets
        db.migrate("shopping", _MIGRATIONS)

    # -- IngestHook ---------------------------------------------------------------------------------
    def on_ingest(self, conn: sqlite3.Connection, events: Sequence[Event]) -> None:
        """Fold shopping-relevant events into the tables, oldest first, in the caller's transaction."""
        for e in sorted(events, key=lambda e: (e.ts, e.event_id)):
            if isinstance(e, BrowseEvent):
                item_id = item_id_for(e.platform, e.item_name)  # same id as when the item is ordered
                touch = Touch(
                    item_id, e.item_name, e.category, e.brand, e.price_fen, e.platform, browse_weight(e.dwell_ms)
                )
                self._touch(conn, e, [touch], "browse", session=None)
            elif isinstance(e, CartEvent | FavoriteEvent) and (interest := item_touch(e)) is not None:
                self._touch(conn, e, [interest], e.type, session=None)
            elif isinstance(e, AppActionEvent) and (interest := interest_touch(e)) is not None:
                self._touch(conn, e, [interest], INTEREST_ACTIONS[e.action], session=None)
            elif isinstance(e, OrderEvent):
                self._order(conn, e)
            elif isinstance(e, PaymentEvent):
                self._payment(conn, e)
            elif isinstance(e, SearchEvent):
                conn.execute(
                    "INSERT INTO shop_queries(user_id, ts, query, event_id) VALUES (?, ?, ?, ?)",
                    (e.user_id, e.ts, self.seal.seal(e.query, owner=e.user_id, record_id=e.event_id), e.event_id),
                )

    def on_delete(self, conn: sqlite3.Connection, user_id: str) -> None:
        """Subtract the user's contributions from the global counts, then forget their rows and the items only
        they had touched (see the module docstring for what stays of data older than ``shop_contrib``)."""
        self._forget(conn, user_id, None)
        conn.execute(
            "UPDATE shop_items SET users = users - 1 "
            "WHERE item_id IN (SELECT item_id FROM shop_item_users WHERE user_id = ?)",
            (user_id,),
        )
        orphans = "SELECT item_id FROM shop_items WHERE users <= 0"
        conn.execute(f"DELETE FROM shop_pairs WHERE a IN ({orphans}) OR b IN ({orphans})")
        conn.execute(f"DELETE FROM shop_items WHERE item_id IN ({orphans})")
        for table in ("shop_inter", "shop_queries", "shop_orders", "shop_item_users", "shop_contrib"):
            conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))

    # -- events -------------------------------------------------------------------------------------
    def _order(self, conn: sqlite3.Connection, e: OrderEvent) -> None:
        row = conn.execute(
            "SELECT cancelled FROM shop_orders WHERE user_id = ? AND order_id = ?", (e.user_id, e.order_id)
        ).fetchone()
        if e.status in ("cancelled", "refunded"):
            if row is None:
                conn.execute(
                    "INSERT INTO shop_orders(user_id, order_id, ts, cancelled) VALUES (?, ?, ?, 1)",
                    (e.user_id, e.order_id, e.ts),
                )
            elif not row["cancelled"]:  # take the purchase back out of the history and of the global counts
                conn.execute(
                    "UPDATE shop_orders SET cancelled = 1 WHERE user_id = ? AND order_id = ?", (e.user_id, e.order_id)
                )
                self._uncount(conn, e.user_id, f"o:{e.order_id}")
            return
        if row is not None:
            return  # a later status of an order already counted, or one cancelled before it arrived
        conn.execute("INSERT INTO shop_orders(user_id, order_id, ts) VALUES (?, ?, ?)", (e.user_id, e.order_id, e.ts))
        touches = [
            Touch(item_id_for(e.platform, i.name), i.name, i.category, i.brand, i.price_fen, e.platform, W_ORDER)
            for i in e.items
        ]
        self._touch(conn, e, touches, "order", session=f"o:{e.order_id}")

    def _payment(self, conn: sqlite3.Connection, e: PaymentEvent) -> None:
        """A payment for a known order confirms its items (a little extra weight, no new co-occurrence)."""
        if not e.order_id or e.direction != "out":
            return
        session = f"o:{e.order_id}"
        rows = conn.execute(
            "SELECT DISTINCT item_id FROM shop_inter WHERE user_id = ? AND session = ? AND kind = 'order'",
            (e.user_id, session),
        ).fetchall()
        conn.executemany(
            _INSERT_INTER,
            [(e.user_id, e.ts, r[0], "payment", W_PAYMENT, session, e.event_id) for r in rows],
        )

    def _touch(
        self, conn: sqlite3.Connection, e: Event, touches: list[Touch], kind: str, *, session: str | None
    ) -> None:
        """Record the user's interaction with ``touches`` and update the global counts."""
        recent = conn.execute(
            "SELECT item_id, session, ts FROM shop_inter WHERE user_id = ? AND ts > ? AND ts <= ? "
            "ORDER BY ts DESC, rowid DESC LIMIT ?",
            (e.user_id, e.ts - self.session_gap_ms, e.ts, self.max_neighbors),
        ).fetchall()
        if session is None:  # browsing continues the running session, or starts one
            last = str(recent[0]["session"]) if recent else ""
            session = last if last.startswith("s:") else f"s:{e.event_id}"
        before = list(dict.fromkeys(str(r["item_id"]) for r in recent))  # newest first, distinct
        pairs: dict[tuple[str, str], list[float]] = {}
        previous = before[0] if before else None
        seen_now: list[str] = []
        for t in touches:
            self._catalog(conn, e, t)
            if t.item_id in seen_now:
                continue
            neighbors = [i for i in [*reversed(seen_now[-self.max_neighbors :]), *before] if i != t.item_id]
            for other in neighbors[: self.max_neighbors]:
                for key in ((other, t.item_id), (t.item_id, other)):
                    pairs.setdefault(key, [0.0, 0.0])[0] += 1.0
            if previous is not None and previous != t.item_id:
                pairs.setdefault((previous, t.item_id), [0.0, 0.0])[1] += 1.0
            previous = t.item_id
            seen_now.append(t.item_id)
        conn.executemany(
            _INSERT_INTER,
            [(e.user_id, e.ts, t.item_id, kind, t.weight, session, e.event_id) for t in touches],
        )
        conn.executemany(
            "INSERT INTO shop_pairs(a, b, co, tr) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(a, b) DO UPDATE SET co = co + excluded.co, tr = tr + excluded.tr",
            [(a, b, co, tr) for (a, b), (co, tr) in pairs.items()],
        )
        # what this session added, for deletion and cancellation; co is symmetric, so kept once (a < b)
        conn.executemany(
            "INSERT INTO shop_contrib(user_id, session, a, b, co, tr) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(user_id, session, a, b) DO UPDATE SET co = co + excluded.co, tr = tr + excluded.tr",
            [(e.user_id, session, a, b, co if a < b else 0.0, tr) for (a, b), (co, tr) in pairs.items() if a < b or tr],
        )

    def _catalog(self, conn: sqlite3.Connection, e: Event, t: Touch) -> None:
        """Upsert the item, count its session and (first time) its user, and decay-add its popularity."""
        row = conn.execute("SELECT pop, pop_ts FROM shop_items WHERE item_id = ?", (t.item_id,)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO shop_items(item_id, name, category, brand, price_fen, platform, sessions, pop, pop_ts) "
                "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                (
                    t.item_id,
                    self.seal.seal(t.name, owner=CATALOG, record_id=t.item_id),
                    t.category,
                    t.brand,
                    t.price_fen,
                    t.platform,
                    t.weight,
                    e.ts,
                ),
            )
        else:
            pop, pop_ts = float(row["pop"]), int(row["pop_ts"])
            if e.ts >= pop_ts:
                pop, pop_ts = pop * self.decay(e.ts - pop_ts) + t.weight, e.ts
            else:  # an older event arriving late adds what is left of it today
                pop += t.weight * self.decay(pop_ts - e.ts)
            conn.execute(
                "UPDATE shop_items SET sessions = sessions + 1, pop = ?, pop_ts = ?, "
                "category = CASE WHEN category = '' THEN ? ELSE category END, "
                "brand = CASE WHEN brand = '' THEN ? ELSE brand END, price_fen = COALESCE(?, price_fen) "
                "WHERE item_id = ?",
                (pop, pop_ts, t.category, t.brand, t.price_fen, t.item_id),
            )
        new_user = conn.execute(
            "INSERT OR IGNORE INTO shop_item_users(item_id, user_id) VALUES (?, ?)", (t.item_id, e.user_id)
        ).rowcount
        if new_user:
            conn.execute("UPDATE shop_items SET users = users + 1 WHERE item_id = ?", (t.item_id,))

    # -- forgetting -----------------------------------------------------------------------------------
    def _forget(self, conn: sqlite3.Connection, user_id: str, session: str | None) -> None:
        """Subtract what the user's interactions (all, or one session's) added to ``shop_pairs`` and to the
        items' ``sessions``/``pop``, and delete those interaction and contribution rows. ``users`` is the
        caller's business (deletion drops the user everywhere, a cancellation only where nothing else is left)."""
        args = [user_id] if session is None else [user_id, session]

        def where(t: str = "") -> str:  # the rows in question, of table alias ``t``
            return f"{t}user_id = ?" + ("" if session is None else f" AND {t}session = ?")

        delta: dict[tuple[str, str], list[float]] = {}
        for a, b, co, tr in conn.execute(f"SELECT a, b, co, tr FROM shop_contrib WHERE {where()}", args):
            d = delta.setdefault((a, b), [0.0, 0.0])
            d[0], d[1] = d[0] + co, d[1] + tr
            if co:
                delta.setdefault((b, a), [0.0, 0.0])[0] += co
        conn.executemany(
            "UPDATE shop_pairs SET co = MAX(co - ?, 0), tr = MAX(tr - ?, 0) WHERE a = ? AND b = ?",
            [(co, tr, a, b) for (a, b), (co, tr) in delta.items()],
        )
        conn.executemany(
            "DELETE FROM shop_pairs WHERE a = ? AND b = ? AND co <= ? AND tr <= ?",
            [(a, b, _EPS, _EPS) for a, b in delta],
        )
        # sessions and popularity: one count and one decayed weight per browse/order row (payments add neither)
        lost: dict[str, list[float]] = {}  # item -> [rows, decayed weight, pop, remaining sessions]
        for r in conn.execute(
            "SELECT i.item_id, i.ts, i.weight, s.pop, s.pop_ts, s.sessions FROM shop_inter i "
            f"JOIN shop_items s USING (item_id) WHERE {where('i.')} AND i.kind != 'payment'",
            args,
        ):
            d = lost.setdefault(str(r["item_id"]), [0.0, 0.0, float(r["pop"]), float(r["sessions"])])
            d[0] += 1
            d[1] += float(r["weight"]) * self.decay(int(r["pop_ts"]) - int(r["ts"]))
        conn.executemany(
            "UPDATE shop_items SET sessions = MAX(sessions - ?, 0), pop = ? WHERE item_id = ?",
            [
                (int(n), 0.0 if left <= n else max(pop - w, 0.0), item)  # nothing left: exactly 0, no float residue
                for item, (n, w, pop, left) in lost.items()
            ],
        )
        conn.execute(f"DELETE FROM shop_contrib WHERE {where()}", args)
        conn.execute(f"DELETE FROM shop_inter WHERE {where()}", args)

    def _uncount(self, conn: sqlite3.Connection, user_id: str, session: str) -> None:
        """Take a cancelled order out of the counts; the user stops counting for items they no longer touch."""
        items = [
            str(r[0])
            for r in conn.execute(
                "SELECT DISTINCT item_id FROM shop_inter WHERE user_id = ? AND session = ? AND kind = 'order'",
                (user_id, session),
            )
        ]
        self._forget(conn, user_id, session)
        if not items:
            return
        marks = ",".join("?" * len(items))
        still = {
            str(r[0])
            for r in conn.execute(
                "SELECT DISTINCT item_id FROM shop_inter WHERE user_id = ? AND kind != 'payment' "
                f"AND item_id IN ({marks})",
                (user_id, *items),
            )
        }
        for item in items:
            if (
                item not in still
                and conn.execute(
                    "DELETE FROM shop_item_users WHERE item_id = ? AND user_id = ?", (item, user_id)
                ).rowcount
            ):
                conn.execute("UPDATE shop_items SET users = users - 1 WHERE item_id = ?", (item,))
        orphans = [
            str(r[0])
            for r in conn.execute(f"SELECT item_id FROM shop_items WHERE users <= 0 AND item_id IN ({marks})", items)
        ]
        for item in orphans:  # pairs come in both directions (every transition is also a co-occurrence)
            others = [str(r[0]) for r in conn.execute("SELECT b FROM shop_pairs WHERE a = ?", (item,))]
            conn.executemany("DELETE FROM shop_pairs WHERE a = ? AND b = ?", [(b, item) for b in others])
            conn.execute("DELETE FROM shop_pairs WHERE a = ?", (item,))
            conn.execute("DELETE FROM shop_items WHERE item_id = ?", (item,))

    def decay(self, dt_ms: float) -> float:
        return math.exp(-math.log(2) * max(dt_ms, 0) / self.half_life_ms)
