"""Offline evaluation of the shopping recommender on a real purchase log (UCI Online Retail).

Protocol (global time split, so every method trains on exactly the same past and nothing leaks from the
future):

* clean: drop cancellation invoices (``C…``), non-positive quantities, rows without a customer, and stock
  codes that are not products (a product code starts with five digits; ``POST``, ``M``, ``DOT``… are not);
* baskets: one invoice = one order/session, items in row order;
* split: ``cutoff`` = the basket-time quantile ``test_q`` (validation: ``val_q``, with the test period unseen);
  a user is evaluated when they have a basket before the cutoff and one at/after it; the **target** is the
  set of items in their *first* basket after the cutoff that they had *not* bought before (users whose
  basket holds only re-buys are skipped) — next-basket discovery;
* every method ranks top-10 **excluding items the user already bought** before the cutoff;
* HR@10 = share of users with at least one target in the top 10; NDCG@10 with binary relevance over the
  target set (ideal DCG over ``min(|target|, 10)`` hits).

Methods, all fitted in the same run on the same training baskets: popularity (baskets containing the item),
item-kNN (cosine over the binary user×item matrix), ALS (``implicit``, CPU, fixed seed) and ours: the
training baskets replayed in time order as ``OrderEvent`` objects through the real
:class:`~lingxi.shopping.hook.ShoppingHook` on a fresh database, ranked by :func:`lingxi.shopping.core.recommend`
(the live feature's code path minus the encrypted event store, search index and profile, which add nothing
here: the log has no categories, brands or searches, so ``own_signals`` supplies the profile part).
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import math
import os
import random
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

from lingxi.context.events import OrderEvent, OrderItem
from lingxi.db import Database
from lingxi.errors import InvalidInput, NotFound
from lingxi.shopping import core
from lingxi.shopping.hook import ShoppingHook, item_id_for

DEFAULT_DATA = Path("/work/shared/data/shopping/online_retail_uci_subset.csv.gz")
UCI_URL = "https://archive.ics.uci.edu/dataset/352/online+retail"
_PRODUCT = re.compile(r"^\d{5}")
K = 10


@dataclass(frozen=True)
class Basket:
    user: str
    ts: int
    items: tuple[str, ...]  # distinct item ids, in row order
    invoice: str


@dataclass(frozen=True)
class Case:
    user: str
    history: frozenset[str]  # items bought before the cutoff (excluded from rankings)
    targets: frozenset[str]


def load_baskets(path: Path, *, max_rows: int | None = None) -> tuple[list[Basket], dict[str, str]]:
    """Cleaned baskets in time order, and a name per stock code (its first description)."""
    if not path.exists():
        raise NotFound(
            f"{path} not found",
            message_zh=f"找不到数据文件 {path}",
            hint=f"download the UCI Online Retail set from {UCI_URL} and pass --data",
        )
    opener = gzip.open if path.suffix == ".gz" else open
    rows: dict[str, tuple[str, int, list[str]]] = {}
    names: dict[str, str] = {}
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "CustomerID"} - set(reader.fieldnames or [])
        if missing:
            raise InvalidInput(
                f"{path}: missing columns {sorted(missing)}", message_zh=f"数据缺少列：{sorted(missing)}"
            )
        for n, r in enumerate(reader):
            if max_rows is not None and n >= max_rows:
                break
            inv, code, cust = r["InvoiceNo"], r["StockCode"].strip().upper(), r["CustomerID"].strip()
            if inv.startswith("C") or not cust or not _PRODUCT.match(code) or float(r["Quantity"] or 0) <= 0:
                continue
            names.setdefault(code, (r.get("Description") or code).strip() or code)
            if inv not in rows:
                ts = int(datetime.strptime(r["InvoiceDate"], "%Y-%m-%d %H:%M").replace(tzinfo=UTC).timestamp() * 1000)
                rows[inv] = (cust.split(".")[0], ts, [])
            if code not in rows[inv][2]:
                rows[inv][2].append(code)
    baskets = [Basket(u, ts, tuple(items), inv) for inv, (u, ts, items) in rows.items()]
    return sorted(baskets, key=lambda b: (b.ts, b.invoice)), names


def split(baskets: Sequence[Basket], cutoff: int, until: int | None = None) -> tuple[list[Basket], list[Case]]:
    """Training baskets (before ``cutoff``) and one case per user with a new-item basket in [cutoff, until)."""
    train = [b for b in baskets if b.ts < cutoff]
    bought: dict[str, set[str]] = {}
    for b in train:
        bought.setdefault(b.user, set()).update(b.items)
    cases: dict[str, Case] = {}
    for b in baskets:
        if b.ts < cutoff or (until is not None and b.ts >= until) or b.user not in bought or b.user in cases:
            continue
        new = frozenset(b.items) - bought[b.user]
        cases[b.user] = Case(b.user, frozenset(bought[b.user]), new)  # first basket decides, even if all re-buys
    return train, [c for c in cases.values() if c.targets]


def hit_ndcg(ranked: Sequence[str], targets: frozenset[str], k: int = K) -> tuple[float, float]:
    """HR@k (any target in the top k) and NDCG@k with binary relevance."""
    top = list(ranked)[:k]
    dcg = sum(1.0 / math.log2(i + 2) for i, item in enumerate(top) if item in targets)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(targets), k)))
    return (1.0 if dcg > 0 else 0.0), (dcg / ideal if ideal else 0.0)


Ranker = Callable[[Case], list[str]]


def _matrix(train: Sequence[Basket]) -> tuple[sparse.csr_matrix, dict[str, int], dict[str, int], list[str]]:
    users = {u: i for i, u in enumerate(sorted({b.user for b in train}))}
    items_list = sorted({i for b in train for i in b.items})
    items = {it: j for j, it in enumerate(items_list)}
    pairs = {(users[b.user], items[i]) for b in train for i in b.items}
    r, c = zip(*pairs, strict=True) if pairs else ((), ())
    m = sparse.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(users), len(items)))
    return m, users, items, items_list


def _top(scores: np.ndarray, case: Case, items: dict[str, int], names: list[str]) -> list[str]:
    scores = scores.astype(np.float64).copy()
    for it in case.history:
        if it in items:
            scores[items[it]] = -np.inf
    idx = np.argpartition(-scores, min(K, len(scores) - 1))[: K * 2]
    idx = idx[np.argsort(-scores[idx], kind="stable")]
    return [names[j] for j in idx if np.isfinite(scores[j])][:K]


def popularity(train: Sequence[Basket]) -> Ranker:
    _, _, items, names = _matrix(train)
    counts = np.zeros(len(names))
    for b in train:
        for i in b.items:
            counts[items[i]] += 1
    return lambda case: _top(counts, case, items, names)


def item_knn(train: Sequence[Basket]) -> Ranker:
    m, users, items, names = _matrix(train)
    norms = np.sqrt(np.asarray(m.sum(axis=0)).ravel()) + 1e-9
    normed = m.multiply(1.0 / norms).tocsc()
    sim = (normed.T @ normed).tocsr()
    sim.setdiag(0)

    def rank(case: Case) -> list[str]:
        row = (m[users[case.user]] @ sim).toarray().ravel() if case.user in users else np.zeros(len(names))
        return _top(row, case, items, names)

    return rank


def als(train: Sequence[Basket], *, factors: int = 64, iterations: int = 15, alpha: float = 20.0) -> Ranker:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from implicit.cpu.als import AlternatingLeastSquares  # type: ignore[import-untyped]
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    m, users, items, names = _matrix(train)
    with threadpool_limits(1, "blas"):  # implicit's own threads; a BLAS pool on top only slows it down
        model = AlternatingLeastSquares(
            factors=factors, iterations=iterations, regularization=0.05, random_state=42, num_threads=1
        )
        model.fit((m * alpha).tocsr(), show_progress=False)
    uf, itf = np.asarray(model.user_factors), np.asarray(model.item_factors)
    return lambda case: _top(itf @ uf[users[case.user]], case, items, names)


def ours(train: Sequence[Basket], cutoff: int, weights: core.Weights, workdir: Path) -> Ranker:
    """Replay the training baskets through the live hook, then rank with the live core."""
    db = Database(workdir / f"shop-{cutoff}-{time.monotonic_ns()}.db")
    hook = ShoppingHook(db, half_life_days=weights.pop_half_life_days)
    to_code: dict[str, str] = {}
    batch: list[OrderEvent] = []

    def flush() -> None:
        with db.transaction() as conn:
            hook.on_ingest(conn, batch)
        batch.clear()

    for b in train:
        items = [
            OrderItem.model_construct(name=code, category="", brand="", price_fen=0, quantity=1) for code in b.items
        ]
        for code in b.items:
            to_code[item_id_for("uci", code)] = code
        batch.append(
            OrderEvent.model_construct(
                event_id=b.invoice,
                user_id=b.user,
                ts=b.ts,
                source_app="uci",
                order_id=b.invoice,
                platform="uci",
                items=items,
                total_fen=0,
                currency="GBP",
                status="paid",
                type="order",
            )
        )
        if len(batch) >= 500:
            flush()
    if batch:
        flush()
    w = replace(weights, bought_days=None)

    def rank(case: Case) -> list[str]:
        with db.connect() as conn:
            got = core.recommend(conn, case.user, now_ms=cutoff, k=K, weights=w)
        return [to_code.get(s.item_id, s.item_id) for s in got]

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


def _cutoff(baskets: Sequence[Basket], q: float) -> int:
    return baskets[min(int(len(baskets) * q), len(baskets) - 1)].ts


def _sample(cases: list[Case], max_users: int | None, seed: int = 7) -> list[Case]:
    if max_users is None or len(cases) <= max_users:
        return cases
    return random.Random(seed).sample(cases, max_users)


GRID = [  # a few blends tried on the validation split only
    core.Weights(),
    core.Weights(pop=0.1),
    core.Weights(pop=0.6),
    core.Weights(tr=0.0),
    core.Weights(recency_h=24 * 30),
    core.Weights(pop=0.3, recency_h=24 * 30, tr=0.1),
    core.Weights(pop=0.1, recency_h=24 * 365),
    core.Weights(pop=0.6, recency_h=24 * 30),
    core.Weights(pop=1.0, recency_h=24 * 30),
]


def tune(
    baskets: Sequence[Basket],
    *,
    val_q: float,
    test_q: float,
    max_users: int | None,
    workdir: Path,
    grid: Sequence[core.Weights] = GRID,
) -> tuple[core.Weights, list[tuple[core.Weights, Row]]]:
    """Pick the blend with the best validation NDCG@10 (train < val cutoff, targets in [val, test))."""
    lo, hi = _cutoff(baskets, val_q), _cutoff(baskets, test_q)
    train, cases = split(baskets, lo, hi)
    cases = _sample(cases, max_users)
    tried: list[tuple[core.Weights, Row]] = []
    for w in grid:
        tried.append((w, score("ours", partial(ours, train, lo, w, workdir), cases)))
    best = max(tried, key=lambda t: (t[1].ndcg, t[1].hr))[0]
    return best, tried


def evaluate(
    path: Path = DEFAULT_DATA,
    *,
    max_rows: int | None = None,
    test_q: float = 0.85,
    val_q: float = 0.7,
    max_users: int | None = 500,
    tune_weights: bool = True,
    with_als: bool = True,
) -> dict[str, object]:
    """Run the whole protocol; returns the table rows, the chosen weights and the split sizes."""
    baskets, _ = load_baskets(path, max_rows=max_rows)
    if len(baskets) < 20:
        raise InvalidInput(f"{path}: only {len(baskets)} baskets after cleaning", message_zh="清洗后购物篮太少")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        weights, tried = (
            tune(baskets, val_q=val_q, test_q=test_q, max_users=max_users, workdir=work)
            if tune_weights
            else (core.Weights(), [])
        )
        cutoff = _cutoff(baskets, test_q)
        train, cases = split(baskets, cutoff)
        cases = _sample(cases, max_users)
        rows = [
            score("popularity", lambda: popularity(train), cases),
            score("item-kNN", lambda: item_knn(train), cases),
        ]
        # ALS is a reference from an optional package (pip install 'lingxi[eval]'); without it the table says so
        als_note = "" if importlib.util.find_spec("implicit") else "ALS skipped: pip install 'lingxi[eval]'"
        if with_als and not als_note:
            rows.append(score("ALS (implicit)", lambda: als(train), cases))
        rows.append(score("lingxi (ours)", lambda: ours(train, cutoff, weights, work), cases))
    return {
        "rows": rows,
        "weights": weights,
        "validation": tried,
        "baskets": len(baskets),
        "train": len(train),
        "cases": len(cases),
        "cutoff": datetime.fromtimestamp(cutoff / 1000, UTC).strftime("%Y-%m-%d %H:%M"),
        "note": als_note if with_als else "",
    }


def table(result: dict[str, object]) -> str:
    rows: list[Row] = result["rows"]  # type: ignore[assignment]
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
