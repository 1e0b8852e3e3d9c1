"""Offline evaluation of the shopping recommender on public logs: every method in one run, one protocol each.

The logs and their protocols (global time split, fixed before any result was looked at) are in
:mod:`lingxi.shopping.logs`: UCI Online Retail (purchases: next-basket discovery) and OTTO sessions (views:
the next item after the cutoff). HR@10 = share of cases with a target in the top 10; NDCG@10 with binary
relevance over the target set (ideal DCG over ``min(|target|, 10)`` hits).

Methods, all fitted in the same run on the same training events: the references of
:mod:`lingxi.shopping.baselines` (popularity, item-kNN, ALS, session transition) and ours: the training events
replayed in time order (orders as ``OrderEvent``, views as ``BrowseEvent``, carts/favourites as
``app_action``) through the real :class:`~lingxi.shopping.hook.ShoppingHook` on a fresh database, ranked by
:func:`lingxi.shopping.core.recommend` — the live feature's code path minus the encrypted event store, search
index and profile, which add nothing here (the logs have no categories, brands or searches). Blend weights
are chosen among :data:`GRID` on a validation split whose targets all fall before the test cutoff.
"""

from __future__ import annotations

import importlib.util
import math
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lingxi.context.events import AppActionEvent, BrowseEvent, Event, OrderEvent, OrderItem
from lingxi.errors import InvalidInput
from lingxi.shopping import baselines as bl
from lingxi.shopping import core
from lingxi.shopping.baselines import K, Ranker
from lingxi.shopping.hook import ShoppingHook, item_id_for
from lingxi.shopping.logs import (
    DEFAULT_DATA,
    OTTO_DATA,
    Basket,
    Case,
    load_baskets,
    load_sessions,
    split,
    split_sessions,
)
from lingxi.storage.sqlite import Database

__all__ = [
    "DEFAULT_DATA", "GRID", "OTTO_DATA", "Row", "evaluate", "evaluate_sessions", "hit_ndcg", "load_baskets", "split",
    "table",
]  # fmt: skip

Splitter = Callable[[Sequence[Basket], int, int | None], tuple[list[Basket], list[Case]]]


def hit_ndcg(ranked: Sequence[str], targets: frozenset[str], k: int = K) -> tuple[float, float]:
    """HR@k (any target in the top k) and NDCG@k with binary relevance."""
    top = list(ranked)[:k]
    dcg = sum(1.0 / math.log2(i + 2) for i, item in enumerate(top) if item in targets)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(targets), k)))
    return (1.0 if dcg > 0 else 0.0), (dcg / ideal if ideal else 0.0)


def _event(b: Basket, src: str) -> Event:
    """One log row as the event the live app would send (constructed unvalidated: the log is trusted)."""
    if b.kind == "order":
        items = [OrderItem.model_construct(name=c, category="", brand="", price_fen=0, quantity=1) for c in b.items]
        return OrderEvent.model_construct(
            event_id=b.invoice, user_id=b.user, ts=b.ts, source_app=src, order_id=b.invoice, platform=src,
            items=items, total_fen=0, currency="GBP", status="paid", type="order",
        )  # fmt: skip
    if b.kind == "view":
        return BrowseEvent.model_construct(
            event_id=b.invoice, user_id=b.user, ts=b.ts, source_app=src, item_id=b.items[0], item_name=b.items[0],
            category="", brand="", price_fen=None, currency="EUR", platform=src, dwell_ms=0, type="browse",
        )  # fmt: skip
    return AppActionEvent.model_construct(
        event_id=b.invoice, user_id=b.user, ts=b.ts, source_app=src, app=src,
        action="add_to_cart" if b.kind == "cart" else "favorite", target=b.items[0], params={}, type="app_action",
    )  # fmt: skip


@dataclass(frozen=True)
class Replay:
    db: Database
    to_code: dict[str, str]  # our item id -> the log's item code


def replay(train: Sequence[Basket], workdir: Path, src: str = "log") -> Replay:
    """The training events through the live hook into a fresh database, in time order."""
    db = Database(workdir / f"shop-{time.monotonic_ns()}.db")
    hook = ShoppingHook(db, half_life_days=core.Weights().pop_half_life_days)
    to_code = {item_id_for(src, c): c for b in train for c in b.items}
    for i in range(0, len(train), 500):
        with db.transaction() as conn:
            hook.on_ingest(conn, [_event(b, src) for b in train[i : i + 500]])
    return Replay(db, to_code)


def ours(r: Replay, cutoff: int, weights: core.Weights) -> Ranker:
    """Rank with the live core as of the cutoff, never recommending anything bought or the case's history."""
    w = replace(weights, bought_days=None)

    def rank(case: Case) -> list[str]:
        with r.db.connect() as conn:
            got = core.recommend(conn, case.user, now_ms=cutoff, k=K + 1, weights=w)
        codes = [r.to_code.get(s.item_id, s.item_id) for s in got]
        return [c for c in codes if c not in case.history][:K]

    return rank


@dataclass(frozen=True)
class Row:
    method: str
    users: int
    hr: float
    ndcg: float
    fit_s: float
    rank_ms: float


def score(name: str, fit: Callable[[], Ranker], cases: Sequence[Case]) -> Row:
    t0 = time.perf_counter()
    ranker = fit()
    t1 = time.perf_counter()
    hits = [hit_ndcg(ranker(c), c.targets) for c in cases]
    t2 = time.perf_counter()
    n = max(len(cases), 1)
    return Row(
        name, len(cases), sum(h for h, _ in hits) / n, sum(g for _, g in hits) / n, t1 - t0, (t2 - t1) * 1000 / n
    )


def _cutoff(events: Sequence[Basket], q: float) -> int:
    return events[min(int(len(events) * q), len(events) - 1)].ts


def _sample(cases: list[Case], max_users: int | None, seed: int = 7) -> list[Case]:
    if max_users is None or len(cases) <= max_users:
        return cases
    return random.Random(seed).sample(cases, max_users)


#: main's blends (no own-interest part: the user's unbought items were candidates only as neighbours)
BEFORE_GRID = [
    core.Weights(own=0.0),
    core.Weights(own=0.0, pop=0.1),
    core.Weights(own=0.0, pop=0.6),
    core.Weights(own=0.0, tr=0.0),
    core.Weights(own=0.0, recency_h=24 * 30),
    core.Weights(own=0.0, pop=0.3, recency_h=24 * 30, tr=0.1),
    core.Weights(own=0.0, pop=0.1, recency_h=24 * 365),
    core.Weights(own=0.0, pop=0.6, recency_h=24 * 30),
    core.Weights(own=0.0, pop=1.0, recency_h=24 * 30),
]
GRID = [  # a few blends tried on the validation split only
    core.Weights(),
    *[replace(w, own=1.0) for w in BEFORE_GRID[1:]],
    core.Weights(own=2.0),
    core.Weights(own=0.5),
    core.Weights(own_half_life_h=24),
    core.Weights(tr=1.0, rank_decay=0.7),
    core.Weights(own=2.0, tr=1.0, rank_decay=0.7, pop=0.1),
]


def tune(
    events: Sequence[Basket],
    splitter: Splitter,
    *,
    val_q: float,
    test_q: float,
    max_users: int | None,
    workdir: Path,
    grid: Sequence[core.Weights] = GRID,
) -> tuple[core.Weights, list[tuple[core.Weights, Row]]]:
    """Pick the blend with the best validation NDCG@10 (train < val cutoff, targets in [val, test))."""
    lo, hi = _cutoff(events, val_q), _cutoff(events, test_q)
    train, cases = splitter(events, lo, hi)
    cases = _sample(cases, max_users)
    r = replay(train, workdir)
    tried = [(w, score("ours", lambda w=w: ours(r, lo, w), cases)) for w in grid]  # type: ignore[misc]
    best = max(tried, key=lambda t: (t[1].ndcg, t[1].hr))[0]
    return best, tried


def run(
    events: Sequence[Basket],
    splitter: Splitter,
    *,
    test_q: float = 0.85,
    val_q: float = 0.7,
    max_users: int | None = 500,
    tune_weights: bool = True,
    with_als: bool = True,
    with_before: bool = False,
) -> dict[str, Any]:
    """The whole protocol on one log; returns the table rows, the chosen weights and the split sizes."""
    if len(events) < 20:
        raise InvalidInput(f"only {len(events)} events after cleaning", message_zh="清洗后数据太少")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        def pick(grid: Sequence[core.Weights]) -> tuple[core.Weights, list[tuple[core.Weights, Row]]]:
            if not tune_weights:
                return grid[0], []
            return tune(events, splitter, val_q=val_q, test_q=test_q, max_users=max_users, workdir=work, grid=grid)

        weights, tried = pick(GRID)
        cutoff = _cutoff(events, test_q)
        train, cases = splitter(events, cutoff, None)
        cases = _sample(cases, max_users)
        rows = [
            score("popularity", lambda: bl.popularity(train), cases),
            score("item-kNN", lambda: bl.item_knn(train), cases),
            score("session transition", lambda: bl.session_transition(train), cases),
        ]
        # ALS is a reference from an optional package (pip install 'lingxi[eval]'); without it the table says so
        als_note = "" if importlib.util.find_spec("implicit") else "ALS skipped: pip install 'lingxi[eval]'"
        if with_als and not als_note:
            rows.append(score("ALS (implicit)", lambda: bl.als(train), cases))
        t0 = time.perf_counter()
        r = replay(train, work)
        fit_s = time.perf_counter() - t0
        if with_before:
            old, _ = pick(BEFORE_GRID)
            rows.append(replace(score("lingxi before (main)", lambda: ours(r, cutoff, old), cases), fit_s=fit_s))
        rows.append(replace(score("lingxi (ours)", lambda: ours(r, cutoff, weights), cases), fit_s=fit_s))
    return {
        "rows": rows,
        "weights": weights,
        "validation": tried,
        "events": len(events),
        "train": len(train),
        "cases": len(cases),
        "cutoff": datetime.fromtimestamp(cutoff / 1000, UTC).strftime("%Y-%m-%d %H:%M"),
        "note": als_note if with_als else "",
    }


def evaluate(
    path: Path = DEFAULT_DATA, *, max_rows: int | None = None, **kw: Any
) -> dict[str, Any]:  # fmt: skip
    """UCI Online Retail (purchases): see :func:`run` for the options."""
    baskets, _ = load_baskets(path, max_rows=max_rows)
    result = run(baskets, split, **kw)
    return {**result, "baskets": result["events"]}


def evaluate_sessions(path: Path = OTTO_DATA, *, untyped: bool = True, **kw: Any) -> dict[str, Any]:
    """OTTO-shaped sessions (views; carts/orders when typed): see :func:`run` for the options."""
    return run(load_sessions(path, untyped=untyped), split_sessions, **kw)


def table(result: dict[str, Any]) -> str:
    rows: list[Row] = result["rows"]
    base = next((r for r in rows if r.method == "popularity"), rows[0])
    lines = [
        f"| method | users | HR@{K} | NDCG@{K} | HR × pop | NDCG × pop | fit s | rank ms/user |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.method} | {r.users} | {r.hr:.4f} | {r.ndcg:.4f} | {r.hr / (base.hr or 1):.2f} | "
            f"{r.ndcg / (base.ndcg or 1):.2f} | {r.fit_s:.1f} | {r.rank_ms:.1f} |"
        )
    return "\n".join(lines)
