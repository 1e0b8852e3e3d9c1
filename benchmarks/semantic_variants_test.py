"""Diagnostic only (chose nothing): semantic-layer variants fitted on every training item, scored on the test
banks of bench_screening.py — ranking at a single threshold set on the test's own must-answer bank.

Why: the out-of-source folds of the training sources (benchmarks/semantic_variants.py) did not predict the
test banks in wave 6; this says whether any model class *ranks* the new banks better, whatever its threshold.
Run: PYTHONPATH=src python benchmarks/semantic_variants_test.py
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, "benchmarks")
import bench_screening as bs
import semantic_variants as sv

from lingxi.compliance.semantic import PASS_CLASS, dense_features, embed, prepare, vectorizers
from lingxi.compliance.semantic_train import _fit, _proba, build_items, design
from lingxi.compliance.training import TEST_SOURCES, read_examples


def top_risk(p: np.ndarray, classes: list[str]) -> np.ndarray:
    cols = [i for i, c in enumerate(classes) if c != PASS_CLASS]
    return np.asarray(p[:, cols].max(axis=1))


def base_scores(items: list[Any], texts: list[str]) -> np.ndarray:
    prepared = [prepare(t) for t, *_ in items]
    x, idf, comp = design(prepared)
    m = _fit(x, [it[1] for it in items], np.array([it[2] for it in items]))
    sparse_vec, lsa_vec = vectorizers()
    dense = dense_features(texts, embed(lsa_vec.transform(texts), idf, np.ascontiguousarray(comp.T)))
    xt = sp.hstack([sparse_vec.transform(texts), dense]).tocsr()
    return top_risk(_proba(m, xt), [str(c) for c in m.classes_])  # type: ignore[attr-defined]


def mlp_scores(items: list[Any], texts: list[str]) -> np.ndarray:
    prepared = [prepare(t) for t, *_ in items]
    x = sv.hashed_features(prepared + texts, "cw", 16)
    m = sv.MLP(32, 5, 30e-5).fit(x[: len(prepared)], [it[1] for it in items], np.array([it[2] for it in items]))
    return top_risk(m.proba(x[len(prepared) :]), m.classes_)


def report(name: str, s: np.ndarray, n_ref: int, n_ans: int) -> None:
    ref, ans, ev = s[:n_ref], s[n_ref : n_ref + n_ans], s[n_ref + n_ans :]
    out = []
    for share in (0.01, 0.02, 0.05):
        t = np.quantile(ans, 1 - share)
        out.append(f"@{share:.0%} {float((ref > t).mean()):.3f} (everyday {int((ev > t).sum())})")
    auc = float((ref[:, None] > ans[None, :]).mean())
    print(f"{name}: AUC {auc:.3f} | " + " | ".join(out), flush=True)


def main() -> None:
    ex = read_examples(sv.DATA)
    items = build_items(ex, TEST_SOURCES)
    refuse, answer, _ = bs.banks()
    texts = [prepare(t) for t in refuse + answer + sv.everyday()]
    b = base_scores(items, texts)
    report("base (today's semantic model)", b, len(refuse), len(answer))
    aug = base_scores(items + sv.comment_requests(4000), texts)
    report("comments in request frames (4,000 + 4,000)", aug, len(refuse), len(answer))
    m = mlp_scores(items, texts)
    report("MLP over char + word hashes", m, len(refuse), len(answer))
    report("mean of base and MLP", (b + m) / 2, len(refuse), len(answer))


if __name__ == "__main__":
    main()
