"""The reference methods the offline evaluation compares lingxi against, all fitted on the same training log.

* popularity — how many baskets/events hold the item;
* item-kNN — cosine over the binary user×item matrix, scored against everything the user touched;
* ALS — ``implicit``'s alternating least squares (CPU, fixed seed), an optional package;
* session transition — "what follows the item just viewed": counts of ``a → b`` for consecutive distinct
  items of one user within a session gap, read from the user's last item, popularity as the backoff.

Every ranker returns the top ``K`` item codes for a :class:`~lingxi.shopping.logs.Case`, never one of
``case.history`` (the items the protocol excludes).
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

from lingxi.shopping.logs import Basket, Case

K = 10
SESSION_GAP_MS = 30 * 60_000
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


def session_transition(train: Sequence[Basket], gap_ms: int = SESSION_GAP_MS) -> Ranker:
    """What followed the user's last item in other sessions (and their own), then popularity."""
    follows: dict[str, Counter[str]] = defaultdict(Counter)
    last: dict[str, tuple[int, str]] = {}  # user -> (ts, last item)
    pop: Counter[str] = Counter()
    for b in train:  # in time order
        for item in b.items:
            pop[item] += 1
            prev = last.get(b.user)
            if prev is not None and prev[1] != item and b.ts - prev[0] <= gap_ms:
                follows[prev[1]][item] += 1
            last[b.user] = (b.ts, item)
    backoff = [i for i, _ in pop.most_common(K * 5)]

    def rank(case: Case) -> list[str]:
        seen = last.get(case.user)
        nxt = [i for i, _ in follows[seen[1]].most_common(K * 3)] if seen else []
        out = [i for i in dict.fromkeys([*nxt, *backoff]) if i not in case.history]
        return out[:K]

    return rank
