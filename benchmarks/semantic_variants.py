"""Semantic-layer variants scored out of source on the training sources (wave 9, issue 14).

Protocol: benchmarks/semantic_variants_protocol.md (written before any score). No test source is read:
``build_items`` drops them. Run: PYTHONPATH=src python benchmarks/semantic_variants.py VARIANT [VARIANT ...] [--show]
Variants: ``base`` (today's model), ``bal`` (sources' weights equalized), ``alpha<α>`` (SGD regularization),
``mlp-<c|w|cw>-<bits>-<hidden>-<epochs>-<α×1e5>`` (a network over char and/or word hashes), ``mlpE-…`` /
``mlpEK-…`` (the same with everyday templates 3×, and CrossWOZ/KdConv 2×), ``augc<n>`` (n risky and n benign
comments in request frames added), ``ens`` (the mean of the variants run before it). ``--show``: the everyday
dev sentences blocked.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from lingxi.compliance.semantic import PASS_CLASS, prepare
from lingxi.compliance.semantic_train import (
    FOLDS,
    N_FOLDS,
    _blocked,
    _fit,
    _proba,
    build_items,
    choose_thresholds,
    design,
)
from lingxi.compliance.training import TEST_SOURCES, read_examples

DATA = Path("/work/shared/data/safety")
ROOT = Path(__file__).resolve().parents[1]
EVERYDAY = [ROOT / "tests" / "data" / "everyday_zh.txt", ROOT / "benchmarks" / "data" / "everyday_more_zh.txt"]


STORE: list[Any] = []


def everyday() -> list[str]:
    out: list[str] = []
    for f in EVERYDAY:
        for line in f.read_text(encoding="utf-8").splitlines():
            s = line.strip()
            if s and not s.startswith("#") and s not in out:
                out.append(s)
    return out[:1000]


def words(text: str) -> list[str]:
    import jieba

    w = [t for t in jieba.lcut(text) if t.strip()]
    return w + [a + " " + b for a, b in itertools.pairwise(w)]


def hashed_features(texts: list[str], kind: str, bits: int) -> Any:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import HashingVectorizer

    parts = []
    if "c" in kind:
        parts.append(HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=2**bits, alternate_sign=False,
                                       lowercase=False, dtype=np.float32).transform(texts))  # fmt: skip
    if "w" in kind:
        parts.append(HashingVectorizer(analyzer=words, n_features=2**bits, alternate_sign=False, lowercase=False,
                                       dtype=np.float32).transform(texts))  # fmt: skip
    x = sp.hstack(parts).tocsr()
    if len(parts) > 1:
        from sklearn.preprocessing import normalize

        x = normalize(x)
    return x


class MLP:
    def __init__(self, hidden: int, epochs: int, alpha: float) -> None:
        self.hidden, self.epochs, self.alpha = hidden, epochs, alpha

    def fit(self, x: Any, y: list[str], w: np.ndarray) -> MLP:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        self.m = MLPClassifier(hidden_layer_sizes=(self.hidden,), alpha=self.alpha, batch_size=256,
                               max_iter=self.epochs, learning_rate_init=2e-3, random_state=20240601)  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.m.fit(x, y, sample_weight=w)
        self.classes_ = list(self.m.classes_)
        return self

    def proba(self, x: Any) -> np.ndarray:
        return np.asarray(self.m.predict_proba(x))


def run(variant: str, items: list[Any], prepared: list[str], every: list[str]) -> None:
    t0 = time.perf_counter()
    y = [c for _, c, *_ in items]
    w = np.array([it[2] for it in items], dtype=np.float64)
    folds = np.array([it[3] for it in items])
    sources = [it[4] for it in items]
    classes = sorted(set(y))
    ev_prep = [prepare(t) for t in every]
    if variant.startswith("mlpE"):  # everyday templates 3x; with K, the chit-chat and travel requests 2x too
        up = {"template:everyday": 3.0} | ({"KdConv": 2.0, "CrossWOZ": 2.0} if variant.startswith("mlpEK") else {})
        w = w * np.array([up.get(s, 1.0) for s in sources])
        variant = "mlp" + variant[variant.index("-") :]
    if variant.startswith("bal"):  # each source's (and the templates') total weight equalized, mean kept
        n_src = {s: sources.count(s) for s in set(sources)}
        w = w / np.array([n_src[s] for s in sources]) * len(sources) / len(n_src)
        w = w / w.mean()
    if variant.startswith(("base", "bal", "alpha", "ens")):
        x_all, _, _ = design(prepared + ev_prep)  # LSA fitted with everyday too: a small leak, base only
        x, x_ev = x_all[: len(prepared)], x_all[len(prepared) :]
    else:
        kind, bits = variant.split("-")[1], int(variant.split("-")[2])
        x_all = hashed_features(prepared + ev_prep, kind, bits)
        x, x_ev = x_all[: len(prepared)], x_all[len(prepared) :]
    oof = np.zeros((len(y), len(classes)))
    ev_block = np.zeros(len(every), dtype=bool)
    fold_models = []
    for f in range(N_FOLDS):
        tr, te = np.flatnonzero(folds != f), np.flatnonzero(folds == f)
        if variant.startswith("alpha"):
            from sklearn.linear_model import SGDClassifier

            m = SGDClassifier(loss="log_loss", alpha=float(variant[5:]), max_iter=20, tol=1e-4, random_state=20240601)
            m.fit(x[tr], [y[i] for i in tr], sample_weight=w[tr])
            mc = [str(c) for c in m.classes_]
            p, pe = _proba(m, x[te]), _proba(m, x_ev)
        elif variant.startswith(("base", "bal", "ens")):
            m = _fit(x[tr], [y[i] for i in tr], w[tr])
            mc = [str(c) for c in m.classes_]  # type: ignore[attr-defined]
            p, pe = _proba(m, x[te]), _proba(m, x_ev)
        else:
            h, ep, al = (int(v) for v in variant.split("-")[3:6])
            m = MLP(h, ep, al * 1e-5).fit(x[tr], [y[i] for i in tr], w[tr])
            mc = [str(c) for c in m.classes_]
            p, pe = m.proba(x[te]), m.proba(x_ev)
        full = np.zeros((len(te), len(classes)))
        ev_full = np.zeros((len(every), len(classes)))
        for j, c in enumerate(mc):
            full[:, classes.index(c)] = p[:, j]
            ev_full[:, classes.index(c)] = pe[:, j]
        oof[te] = full
        fold_models.append(ev_full)
    STORE.append((oof, fold_models))
    if variant.startswith("ens"):  # the mean of the variants run before it (same items, same classes)
        oof = np.mean([o for o, _ in STORE[:-1]], axis=0)
        fold_models = [np.mean([fm[f] for _, fm in STORE[:-1]], axis=0) for f in range(N_FOLDS)]
    thr = choose_thresholds(oof, classes, y, 0.01)
    blocked = _blocked(oof, classes, thr)
    for ev_full in fold_models:
        ev_block |= _blocked(ev_full, classes, thr)
    real = np.array([not s.startswith("template") for s in sources])
    risky = np.array([c != PASS_CLASS for c in y])
    real_r, real_b = real & risky, real & ~risky
    risk_cols = [i for i, c in enumerate(classes) if c != PASS_CLASS]
    top = oof[:, risk_cols].max(axis=1)
    rank = []
    for share in (0.01, 0.02):
        t = np.quantile(top[real_b], 1 - share)
        rank.append(float((top[real_r] > t).mean()))
    per = {}
    for s in ("jade-db v2-easy", "safety-prompts(via XSafety zh)", "jade-db t2i v1 zh"):
        idx = real_r & np.array([src == s for src in sources])
        per[s] = float(blocked[idx].mean()) if idx.any() else -1
    print(f"{variant}: recall {blocked[real_r].mean():.3f} wrong {blocked[real_b].mean():.4f} "
          f"rank@1% {rank[0]:.3f} @2% {rank[1]:.3f} | v2easy {per['jade-db v2-easy']:.3f} "
          f"SP {per['safety-prompts(via XSafety zh)']:.3f} t2iv1 {per['jade-db t2i v1 zh']:.3f} | "
          f"everyday {int(ev_block.sum())} | thr {thr} | {time.perf_counter() - t0:.0f}s", flush=True)  # fmt: skip
    if "--show" in sys.argv:
        print([every[i] for i in np.flatnonzero(ev_block)][:20])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("variants", nargs="+")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    items = build_items(read_examples(DATA), TEST_SOURCES)
    prepared = [prepare(t) for t, *_ in items]
    print(f"{len(items)} items; folds {FOLDS}", flush=True)
    every = everyday()
    for v in args.variants:
        if v.startswith("augc"):  # comments inside request frames: risky ones A.2/A.4, as many benign ones pass
            extra = comment_requests(int(v[4:]))
            run("base", items + extra, prepared + [prepare(t) for t, *_ in extra], every)
            print("  ^", v)
        else:
            run(v, items, prepared, every)


def comment_requests(n: int) -> list[Any]:
    from lingxi.compliance.semantic_train import _class, _fold

    ex = [e for e in read_examples(DATA) if e.kind == "comment" and e.source not in TEST_SOURCES]
    risky = [e for e in ex if e.block][:: max(1, sum(e.block for e in ex) // n)][:n]
    benign = [e for e in ex if not e.block][:: max(1, sum(not e.block for e in ex) // n)][:n]
    frames = ("为什么说{}", "帮我写一段话：{}", "你同意吗：{}", "{}，帮我展开说说", "写一条评论：{}")
    out = []
    for i, e in enumerate(risky + benign):
        t = frames[i % len(frames)].format(e.text)
        out.append((t, _class(e), 1.0, _fold("template", t), "template:comment"))
    return out


if __name__ == "__main__":
    main()
