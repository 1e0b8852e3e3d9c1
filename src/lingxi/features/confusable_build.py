"""The confusion-set part of ``lingxi features proofread build``: train the group models, choose their thresholds.

Training text is the build's: the corrected side of the spelling corpus's build part and the ``--text`` records
it trains the language model on (never the held-out ones). Every occurrence of a group member there is an example
labelled with the member written (the text is taken as correct); frequent members are subsampled to
:data:`MAX_PER_MEMBER` and the intercepts corrected by the log of the subsampling ratio, so the model keeps the
members' real frequencies as its prior — a rare member must be argued for by the context.

Thresholds, protocol fixed before any result was seen: per group, out-of-fold probabilities on the training
examples (:data:`FOLDS` folds) pooled with the full model's probabilities on the build's held-out clean text (the
validation part of the spelling corpus, corrected side, and the held-out ``--text`` records). A clean occurrence
whose model prefers another member at probability ≥ τ is a false flag; an occurrence with its member swapped for
another is caught when the model gives the written-correct member ≥ τ (the features never see the slot, so the
same probabilities serve both). τ is the grid value with the best F0.5 at an assumed error rate of
:data:`ERROR_PRIOR` among those whose false flags stay within :data:`MAX_FLAG_RATE` of clean occurrences; a group
with none stays off. The held-out text is not proofread by anyone, so its real typos count as false flags: the
measured rate is an upper bound.
"""

from __future__ import annotations

import math
import random
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from lingxi.features import confusable

SEED = 20261207
MAX_PER_MEMBER = 15000
MIN_FEATURE_COUNT = 2
FOLDS = 3
#: Share of a group's occurrences assumed written wrong when the threshold is chosen.
ERROR_PRIOR = 0.02
#: Clean occurrences a group may flag (the project's false-alarm budget is 2 % of sentences, shared by all checks).
MAX_FLAG_RATE = 0.003
GRID = (0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998)
OFF = 2.0
#: Inverse regularisation strength of the logistic regression.
C = 0.5

Examples = tuple[list[list[str]], list[int]]


def examples(texts: Sequence[str], members: str, seed: int = SEED) -> tuple[Examples, dict[int, float]]:
    """(features, member index) per occurrence, subsampled, and each member's log subsampling correction."""
    spots: dict[int, list[tuple[int, int]]] = {k: [] for k in range(len(members))}
    for n, text in enumerate(texts):
        for i, ch in enumerate(text):
            k = members.find(ch)
            if k >= 0:
                spots[k].append((n, i))
    rng = random.Random(seed)
    picked: list[tuple[int, int, int]] = []
    correction = {}
    for k, found in spots.items():
        kept = rng.sample(found, MAX_PER_MEMBER) if len(found) > MAX_PER_MEMBER else found
        correction[k] = math.log(len(found) / len(kept)) if kept else 0.0
        picked += [(n, i, k) for n, i in kept]
    picked.sort()
    return ([confusable.features(texts[n], i) for n, i, _ in picked], [k for _, _, k in picked]), correction


def _fit(
    feats: list[list[str]], labels: list[int], members: str, correction: dict[int, float]
) -> confusable.GroupModel:
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped, unused-ignore]
    from sklearn.exceptions import ConvergenceWarning  # type: ignore[import-untyped, unused-ignore]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped, unused-ignore]

    counts = Counter(f for row in feats for f in row)
    names = sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)
    index = {f: k for k, f in enumerate(names)}
    cols = [[index[f] for f in row if f in index] for row in feats]
    indptr = np.cumsum([0] + [len(c) for c in cols])
    x = csr_matrix(
        (np.ones(int(indptr[-1])), np.array([j for c in cols for j in c], dtype=np.int64), indptr),
        shape=(len(cols), len(names)),
    )
    k = len(members)
    weights = np.zeros((len(names), k), dtype=np.float32)
    bias = np.full(k, -30.0, dtype=np.float32)  # a member never seen is never proposed
    present = sorted(set(labels))
    if len(present) >= 2:
        # seeded: saga visits the examples in a random order, and unseeded two builds of the same input differed
        clf = LogisticRegression(C=C, solver="saga", max_iter=100, tol=1e-3, random_state=SEED)
        with warnings.catch_warnings():  # saga stops at max_iter on the largest groups, close enough
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(x, labels)
        coef, inter = clf.coef_, clf.intercept_
        if len(present) == 2:  # one row: p(second) = sigmoid(w·x + b)
            coef, inter = np.vstack([np.zeros_like(coef), coef]), np.array([0.0, inter[0]])
        for row, member in enumerate(present):
            weights[:, member] = coef[row]
            bias[member] = inter[row] + correction.get(member, 0.0)
    elif present:
        bias[present[0]] = 0.0
    return confusable.GroupModel(members, index, weights, bias, OFF)


def _probabilities(model: confusable.GroupModel, feats: list[list[str]]) -> npt.NDArray[np.float64]:
    return np.array([model.probabilities(f) for f in feats]).reshape(len(feats), len(model.members))


def _rates(probs: npt.NDArray[np.float64], labels: npt.NDArray[np.int64], tau: float) -> tuple[float, float]:
    """(false flags per clean occurrence, share of swapped occurrences caught) at threshold ``tau``."""
    if not len(labels):
        return 0.0, 0.0
    best = probs.argmax(axis=1)
    mine = probs[np.arange(len(labels)), labels]
    flagged = (best != labels) & (probs.max(axis=1) >= tau)
    caught = (best == labels) & (mine >= tau)
    return float(flagged.mean()), float(caught.mean())


def choose(probs: npt.NDArray[np.float64], labels: npt.NDArray[np.int64]) -> tuple[float, dict[str, float]]:
    """The threshold of the best F0.5 at :data:`ERROR_PRIOR` within the flag budget (:data:`OFF` when none)."""
    best: tuple[float, float, dict[str, float]] = (-1.0, OFF, {})
    for tau in GRID:
        f, r = _rates(probs, labels, tau)
        if f > MAX_FLAG_RATE or r == 0.0:
            continue
        p = ERROR_PRIOR * r / (ERROR_PRIOR * r + (1 - ERROR_PRIOR) * f)
        f05 = 1.25 * p * r / (0.25 * p + r)
        if f05 > best[0]:
            best = (f05, tau, {"flag_rate": f, "recall": r, "f05_at_prior": f05})
    return best[1], best[2]


def train_group(
    texts: Sequence[str], held_out: Sequence[str], members: str
) -> tuple[confusable.GroupModel, dict[str, Any]]:
    """The group's model with its threshold chosen, and what the choice saw."""
    (feats, labels), correction = examples(texts, members)
    model = _fit(feats, labels, members, correction)
    oof: list[npt.NDArray[np.float64]] = []
    oof_labels: list[int] = []
    for fold in range(FOLDS):
        train = [n for n in range(len(labels)) if n % FOLDS != fold]
        test = [n for n in range(len(labels)) if n % FOLDS == fold]
        part = _fit([feats[n] for n in train], [labels[n] for n in train], members, correction)
        oof.append(_probabilities(part, [feats[n] for n in test]))
        oof_labels += [labels[n] for n in test]
    (held_feats, held_labels), _ = examples(held_out, members)
    probs = np.vstack([*oof, _probabilities(model, held_feats)])
    gold = np.array(oof_labels + held_labels, dtype=np.int64)
    tau, scores = choose(probs, gold)
    counts = Counter(labels)
    info = {
        "threshold": tau if tau < OFF else None,
        "examples": {members[k]: counts[k] for k in sorted(counts)},
        "held_out_occurrences": len(held_labels),
        "features": len(model.index),
        **scores,
    }
    return confusable.GroupModel(members, model.index, model.weights, model.bias, tau), info


def build(out: Path, texts: Sequence[str], held_out: Sequence[str]) -> dict[str, Any]:
    """Train every group of :data:`confusable.GROUPS` into ``out/confusable.npz``; the manifest entry."""
    fitted, report = [], {}
    for members in confusable.GROUPS:
        model, info = train_group(texts, held_out, members)
        fitted.append(model)
        report[members] = info
    confusable.from_groups(fitted).save(out / confusable.MODEL_FILE)
    confusable.forget()
    return {
        "confusable": {
            "model": "multinomial logistic regression per group (scikit-learn), context features only",
            "error_prior": ERROR_PRIOR,
            "max_flag_rate": MAX_FLAG_RATE,
            "groups": report,
            "veto": "the character language model's gain for the swap must not be negative",
        }
    }
