"""Corroborated classifier blocks: each variant's validation numbers, by the rule in benchmarks/README.md.

Reads the out-of-source scores of ``corroborate_scores.py`` (training sources only), scores the held-back
comments and the 1,000 DEV everyday sentences with the home's models, picks the per-class high bars H_c (0.5 %
of must-pass prompts each) and prints, per variant: validation must-refuse recall, must-pass wrongly blocked,
comment F1, everyday dev blocked; then which variant the rule adopts (if any), and the off-the-curve diagnostic.
The held-out everyday sets and the test banks are never read.

Run: PYTHONPATH=src python benchmarks/corroborate_eval.py HOME SCORES.npz
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_screening as bench

from lingxi.compliance.classifier import MIN_CHARS, ClassifierScreener, default_dir, risk_class
from lingxi.compliance.intent import IntentScreener, request_score
from lingxi.compliance.lexicon import load_library, load_review
from lingxi.compliance.restore import restore
from lingxi.compliance.screen import KeywordScreener, normalize
from lingxi.compliance.semantic import SemanticScreener, prepare
from lingxi.compliance.semantic import default_dir as semantic_dir

CLASSES = ("A.1", "A.2", "A.3", "A.4")
BUDGET = 0.02
Arr = NDArray[np.float64]


class Scored:
    """One set's signals: classifier p/class, semantic p/class, the rule layers, and the evidence."""

    def __init__(self, n: int) -> None:
        self.p, self.sem_p = np.zeros(n), np.zeros(n)
        self.cls, self.sem_cls = np.array(["other"] * n, dtype=object), np.array(["other"] * n, dtype=object)
        self.rules = np.zeros(n, dtype=bool)  # keyword or intent blocks
        self.request = np.zeros(n, dtype=bool)
        self.review = np.zeros(n, dtype=bool)
        self.p_restored = np.full(n, -1.0)
        self.truth = np.zeros(n, dtype=bool)


def rule_layers(home: Path) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
    keyword, intent, review = KeywordScreener(load_library(home)), IntentScreener(), KeywordScreener(load_review(home))
    return (lambda t: keyword.screen(t).blocked or intent.screen(t).blocked), (lambda t: review.screen(t).blocked)


def from_home(home: Path, texts: list[str], truth: list[bool], sem: SemanticScreener) -> Scored:
    clf = ClassifierScreener.load(default_dir(home))
    rules, review = rule_layers(home)
    s = Scored(len(texts))
    for i, t in enumerate(texts):
        p, risks = clf.score(t) if len(normalize(t)) >= MIN_CHARS else (0.0, {})
        top = max(risks, key=risks.__getitem__) if risks else None
        s.p[i], s.cls[i] = p, risk_class(top)
        s.sem_cls[i], s.sem_p[i] = sem.top_risk(sem.proba_prepared(prepare(t)))
        s.rules[i], s.review[i] = rules(t), review(t)
        s.request[i] = request_score(t) > 0
        if (r := restore(t)) is not None:
            s.p_restored[i] = clf.score(r)[0]
    s.truth[:] = truth
    return s


def from_npz(home: Path, z: dict[str, NDArray[object]]) -> Scored:
    texts = [str(t) for t in z["text"]]
    rules, review = rule_layers(home)
    s = Scored(len(texts))
    s.p, s.cls, s.truth = z["p"].astype(float), z["cls"].astype(object), z["block"].astype(bool)
    s.sem_p, s.sem_cls, s.p_restored = z["sem_p"].astype(float), z["sem_cls"].astype(object), z["p_restored"]
    for i, t in enumerate(texts):
        s.rules[i], s.review[i], s.request[i] = rules(t), review(t), request_score(t) > 0
        if len(normalize(t)) < MIN_CHARS:
            s.p[i] = 0.0
    return s


def decide(s: Scored, t: dict[str, float], sem_t: dict[str, float], high: dict[str, float] | None,
           evidence: str, gate_a2: bool, scale: float = 1.0) -> NDArray[np.bool_]:  # fmt: skip
    """The full screen's decision: rules or semantic or the classifier rule (``high=None``: main's rule)."""
    thr = np.array([t.get(c, 0.5) * scale for c in s.cls])
    sem_block = s.sem_p >= np.array([sem_t.get(c, 0.5) for c in s.sem_cls])
    clf = s.p >= thr
    if high is not None:
        ev = np.zeros(len(s.p), dtype=bool)
        if "S" in evidence:
            ev |= s.sem_p >= 0.5 * np.array([sem_t.get(c, 0.5) for c in s.sem_cls])
        if "Q" in evidence:
            ev |= s.request
        if "R" in evidence:
            ev |= s.review
        if "P" in evidence:
            ev |= s.p_restored >= thr
        bar = np.array([high.get(c, 1.01) for c in s.cls])
        gated = np.array([c != "A.2" or gate_a2 for c in s.cls])
        clf = clf & (~gated | (s.p >= bar) | ev)
    return np.asarray(s.rules | sem_block | clf)


def bars(s: Scored, t: dict[str, float]) -> dict[str, float]:
    benign = ~s.truth
    allowed = BUDGET / len(CLASSES) * benign.sum()
    out = {}
    for c in CLASSES:
        mine = benign & (s.cls == c)
        grid = [g / 100 for g in range(int(np.ceil(t.get(c, 0.5) * 100)), 101)] + [1.01]
        out[c] = next(g for g in grid if (mine & (s.p >= g)).sum() <= allowed)
    return out


def f1(pred: NDArray[np.bool_], truth: NDArray[np.bool_]) -> float:
    return float(2 * (pred & truth).sum() / max(1, pred.sum() + truth.sum()))


def main(home: Path, scores: Path) -> None:
    clf = ClassifierScreener.load(default_dir(home))
    sem = SemanticScreener.load(semantic_dir(home))
    t, sem_t = clf.thresholds, sem.thresholds
    with np.load(scores, allow_pickle=False) as npz:
        z = {k: npz[k] for k in npz.files}
    val = from_npz(home, z)
    comments = [str(x) for x in z["c_text"]]
    com = from_home(home, comments, list(z["c_block"]), sem)
    com.p, com.cls = z["c_p"].astype(float), z["c_cls"].astype(object)  # the fit that held them back
    everyday = list(dict.fromkeys(bench.lines(bench.EVERYDAY) + bench.lines(bench.EVERYDAY_MORE)))[: bench.EVERYDAY_N]
    day = from_home(home, everyday, [False] * len(everyday), sem)
    high = bars(val, t)
    print(f"t_c {t}  H_c {high}  validation {int(val.truth.sum())} risky / {int((~val.truth).sum())} must-pass")

    def row(name: str, **kw: object) -> tuple[str, float, float, float, int]:
        v = decide(val, t, sem_t, **kw)  # type: ignore[arg-type]
        rec, wrong = float(v[val.truth].mean()), float(v[~val.truth].mean())
        cf1 = f1(decide(com, t, sem_t, **kw), com.truth)  # type: ignore[arg-type]
        ed = int(decide(day, t, sem_t, **kw).sum())  # type: ignore[arg-type]
        print(f"{name:<34} recall {rec:6.1%}  wrong {wrong:6.2%}  comment F1 {cf1:.3f}  everyday dev {ed}")
        return name, rec, wrong, cf1, ed

    base = row("main's rule (classifier alone)", high=None, evidence="", gate_a2=False)
    variants = []
    for ev in ("S", "SQ", "SR", "SP", "SQP", "SQRP"):
        for gate_a2 in (True, False):
            variants.append(row(f"corroborate {ev} A.2 {'gated' if gate_a2 else 'not gated'}",
                                high=high, evidence=ev, gate_a2=gate_a2))  # fmt: skip
    ok = [v for v in variants if v[4] <= 4 and v[2] <= min(BUDGET, base[2]) and v[1] >= base[1] - 0.03
          and v[3] >= base[3] - 0.02]  # fmt: skip
    print("adopted by the rule:", max(ok, key=lambda v: (v[1], -v[4]))[0] if ok else "none")
    print("diagnostic: classifier-alone rule with t_c scaled to each variant's must-pass rate")
    for name, rec, wrong, _, _ in variants:
        scales = [x / 100 for x in range(50, 500)]
        rates = [(float(decide(val, t, sem_t, None, "", False, sc)[~val.truth].mean()), sc) for sc in scales]
        sc = min((sc for r, sc in rates if r <= wrong), default=scales[-1])
        v = decide(val, t, sem_t, None, "", False, sc)
        print(f"  {name:<34} {rec:6.1%} vs scaled ×{sc:.2f}: {float(v[val.truth].mean()):6.1%} "
              f"at {float(v[~val.truth].mean()):.2%}")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
