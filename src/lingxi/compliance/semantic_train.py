"""Train the semantic layer (:mod:`lingxi.compliance.semantic`) and choose its per-risk thresholds.

Protocol (fixed before any result was looked at):

* Data: the *prompts* of every source not in ``test_sources`` (comments are the classifier's job), plus the
  hand-written templates of :mod:`lingxi.compliance.semantic_templates` (risky requests, legal/medical/
  historical/news hard negatives), plus each risky prompt inside a request/image frame and as many benign
  prompts inside the same frames. Test sources are never read.
* Validation by *source*, not by hash: the training sources fall into :data:`FOLDS` groups (each with risky
  and benign sources); a model trained without a group scores that group (cross-fitting), so every training
  item gets an out-of-source score. The earlier classifier chose thresholds on a hash split that shares its
  sources with training, and its wrong-block rate on new banks ran 3–10× the validation rate; out-of-source
  scores are what a new bank looks like.
* Thresholds: per risk class (the top class of a text), the lowest grid value at which out-of-source benign
  prompts blocked under that class stay within an even share of ``budget``.
* Then one final model on everything; the manifest records the thresholds and the out-of-source rates.
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lingxi.compliance import everyday_floors, semantic_mlp, semantic_request
from lingxi.compliance.classifier import HARD_NEGATIVES
from lingxi.compliance.everyday_templates import everyday_prompts
from lingxi.compliance.risk_templates import coded_requests
from lingxi.compliance.semantic import (
    N_SPARSE,
    PASS_CLASS,
    VERSION,
    SemanticScreener,
    default_dir,
    dense_features,
    embed,
    prepare,
    vectorizers,
)
from lingxi.compliance.semantic_templates import RISKY_FRAMES, framed, risky_requests, topic_questions
from lingxi.compliance.training import TEST_SOURCES, Example, _sha256
from lingxi.errors import InvalidInput

SEED = 20240601
LSA_DIMS = 96
BUDGET = 0.01  # out-of-source benign prompts that may be blocked, over all risk classes
HARD_WEIGHT = 2.0
_GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(95))
# Source groups for cross-fitting: each holds risky and benign prompts, so each fold model sees both kinds.
FOLDS: dict[str, int] = {
    "jade-db v2-easy": 0, "CrossWOZ": 0, "CMRC2018": 0,
    "safety-prompts(via XSafety zh)": 1, "DRCD (OpenCC t2s)": 1, "XQuAD zh": 1,
    "jade-db t2i v1 zh": 2, "jade-db rag demo questions": 2, "KdConv": 2,
}  # fmt: skip
N_FOLDS = 3
# the semantic layer's model: today's linear one, the opt-in network, or the opt-in request network (the network
# on more risky prompts, thresholds from everyday lines: semantic_request)
MODELS = ("linear", semantic_mlp.KIND, semantic_request.KIND)


def _fold(source: str, text: str) -> int:
    if source in FOLDS:
        return FOLDS[source]
    return int.from_bytes(hashlib.sha256((source + text).encode()).digest()[:4], "big") % N_FOLDS


def _class(e: Example) -> str:
    return (e.risk[:3] if e.risk else "other") if e.block else PASS_CLASS


Item = tuple[str, str, float, int, str]  # text, class, weight, fold, source


def build_items(examples: list[Example], test_sources: frozenset[str]) -> list[Item]:
    """Training prompts (test sources dropped), their framed variants and the templates, each with a fold."""
    prompts = [e for e in examples if e.kind == "prompt" and e.source not in test_sources]
    items: list[Item] = []
    risky = [e for e in prompts if e.block]
    benign = [e for e in prompts if not e.block]
    for e in prompts:
        weight = HARD_WEIGHT if e.behavior in HARD_NEGATIVES else 1.0
        items.append((e.text, _class(e), weight, _fold(e.source, e.text), e.source))
    for i, e in enumerate(risky):
        items.append((framed(e.text, i + 1), _class(e), 1.0, _fold(e.source, e.text), e.source))
    step = max(1, len(benign) // max(1, len(risky)))
    for i, e in enumerate(benign[::step][: len(risky)]):
        items.append((framed(e.text, i + 1), PASS_CLASS, 1.0, _fold(e.source, e.text), e.source))
    for text, risk in risky_requests():
        items.append((text, risk, 1.0, _fold("template", text), "template:risky"))
    for text in topic_questions():
        items.append((text, PASS_CLASS, HARD_WEIGHT, _fold("template", text), "template:topic"))
    for text, code in coded_requests():  # every A.1–A.4 risk in question, writing and image forms
        items.append((text, code[:3], 1.0, _fold("template", text), "template:coded"))
    for text in everyday_prompts():  # the request form alone (帮我写…, 教我…) must not carry the risk
        items.append((text, PASS_CLASS, 1.0, _fold("template", text), "template:everyday"))
    return items


def _by_source(items: list[Item], y: list[str], blocked: NDArray[np.bool_]) -> dict[str, dict[str, float]]:
    """Out-of-source blocked shares per source (for the manifest): risky and benign items."""
    out: dict[str, dict[str, float]] = {}
    for src in sorted({s for *_, s in items}):
        idx = [i for i, it in enumerate(items) if it[4] == src]
        risky = [i for i in idx if y[i] != PASS_CLASS]
        safe = [i for i in idx if y[i] == PASS_CLASS]
        out[src] = {"n": len(idx), "risky_blocked": float(blocked[risky].mean()) if risky else -1.0,
                    "benign_blocked": float(blocked[safe].mean()) if safe else -1.0}  # fmt: skip
    return out


def _fit(x: object, y: list[str], w: NDArray[np.float64]) -> object:
    from sklearn.exceptions import ConvergenceWarning  # type: ignore[import-untyped, unused-ignore]
    from sklearn.linear_model import SGDClassifier  # type: ignore[import-untyped, unused-ignore]

    model = SGDClassifier(loss="log_loss", alpha=2e-5, max_iter=20, tol=1e-4, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, y, sample_weight=w)
    return model


def _proba(model: object, x: object) -> NDArray[np.float64]:
    z = np.asarray(model.decision_function(x), dtype=np.float64)  # type: ignore[attr-defined]
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def choose_thresholds(
    probs: NDArray[np.float64], classes: list[str], truth: list[str], budget: float
) -> dict[str, float]:
    """Per risk class (of the top risk): among the grid thresholds whose out-of-source wrong blocks stay within
    the class's even share of ``budget``, the one with the best F1 on that class's rows (the lowest such
    threshold would let a rare class, which few benign texts reach, block at 0.05)."""
    risk_cols = [i for i, c in enumerate(classes) if c != PASS_CLASS]
    top = [risk_cols[int(np.argmax(row[risk_cols]))] for row in probs]
    p_top = np.array([row[i] for row, i in zip(probs, top, strict=True)])
    benign = np.array([t == PASS_CLASS for t in truth])
    allowed = budget * int(benign.sum()) / max(1, len(risk_cols))
    out: dict[str, float] = {}
    for col in risk_cols:
        mine = np.array([i == col for i in top])
        best = (-1.0, _GRID[-1])
        for t in _GRID:
            hit = mine & (p_top >= t)
            if int((hit & benign).sum()) > allowed:
                continue
            tp, fp, fn = int((hit & ~benign).sum()), int((hit & benign).sum()), int((mine & ~benign & ~hit).sum())
            best = max(best, (2 * tp / (2 * tp + fp + fn) if tp else 0.0, -t))
        out[classes[col]] = abs(best[1])
    return out


def _blocked(probs: NDArray[np.float64], classes: list[str], thresholds: dict[str, float]) -> NDArray[np.bool_]:
    risk_cols = [i for i, c in enumerate(classes) if c != PASS_CLASS]
    out = []
    for row in probs:
        col = risk_cols[int(np.argmax(row[risk_cols]))]
        out.append(row[col] >= thresholds.get(classes[col], 0.5))
    return np.array(out, dtype=bool)


def design(prepared: list[str]) -> tuple[Any, NDArray[np.float32], NDArray[np.float32]]:
    """The feature matrix of prepared texts — hashed n-grams beside the LSA block, whose idf and components are
    fitted on these texts — with that idf and those components (what the saved model needs to embed a text)."""
    import scipy.sparse as sp  # type: ignore[import-untyped, unused-ignore]
    from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped, unused-ignore]

    sparse_vec, lsa_vec = vectorizers()
    counts = lsa_vec.transform(prepared).tocsr()
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1 + counts.shape[0]) / (1 + df)) + 1).astype(np.float32)
    weighted = counts.copy()
    weighted.data = (1.0 + np.log(weighted.data)).astype(np.float32)
    weighted = weighted.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel()) + 1e-9
    weighted = sp.diags(1.0 / norms) @ weighted
    dims = max(2, min(LSA_DIMS, weighted.shape[0] - 1, weighted.shape[1] - 1))
    svd = TruncatedSVD(n_components=dims, n_iter=4, random_state=SEED).fit(weighted)
    components = svd.components_.astype(np.float32)
    dense = dense_features(prepared, embed(counts, idf, np.ascontiguousarray(components.T)))
    return sp.hstack([sparse_vec.transform(prepared), dense]).tocsr(), idf, components


def out_of_fold(
    x: Any,
    y: list[str],
    w: NDArray[np.float64],
    folds: NDArray[Any],
    classes: list[str],
    say: Callable[[str], None] = lambda _m: None,
    *,
    fit: Callable[[Any, list[str], NDArray[np.float64]], object] = _fit,
    proba: Callable[[object, Any], NDArray[np.float64]] = _proba,
) -> NDArray[np.float64]:
    """Each item's class probabilities (columns in ``classes`` order) from a fit on the other folds."""
    oof = np.zeros((len(y), len(classes)))
    for f in range(N_FOLDS):
        say(f"交叉拟合 cross-fitting fold {f + 1}/{N_FOLDS}")
        tr, te = np.flatnonzero(folds != f), np.flatnonzero(folds == f)
        if not len(te) or len({y[i] for i in tr}) < 2:
            continue
        model = fit(x[tr], [y[i] for i in tr], w[tr])
        model_classes = [str(c) for c in model.classes_]  # type: ignore[attr-defined]
        probs = proba(model, x[te])
        probs = probs[:, None] if probs.ndim == 1 else probs
        for j, c in enumerate(model_classes if probs.shape[1] == len(model_classes) else model_classes[1:]):
            oof[te, classes.index(c)] = probs[:, j]
    return oof


def check_model(model: str, everyday: list[str] | None = None) -> None:
    """Refuse an unknown ``--semantic-model``, or the request network without everyday lines (its thresholds
    come from them), before any training starts (the classifier runs first)."""
    if model not in MODELS:
        raise InvalidInput(f"unknown semantic model {model!r}", message_zh=f"未知的语义模型：{model}",
                           hint="use " + " or ".join(MODELS))  # fmt: skip
    if model == semantic_request.KIND and not everyday:
        raise InvalidInput("the request model needs everyday lines (--everyday FILE)",
                           message_zh="request 语义模型需要日常语句文件（--everyday FILE）来选阈值")  # fmt: skip


def _linear_arrays(final: object, idf: Any, components: Any) -> dict[str, Any]:
    coef = np.asarray(final.coef_, dtype=np.float32)  # type: ignore[attr-defined]
    intercept = np.asarray(final.intercept_, dtype=np.float32)  # type: ignore[attr-defined]
    if coef.shape[0] == 1:  # binary: sklearn keeps one row (for the second class)
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    return {"idf": idf, "components": components, "coef_sparse": coef[:, :N_SPARSE],
            "coef_dense": coef[:, N_SPARSE:], "intercept": intercept}  # fmt: skip


def train_semantic(
    data: list[Example],
    home_or_dir: Path,
    *,
    test_sources: frozenset[str] = TEST_SOURCES,
    budget: float = BUDGET,
    progress: Callable[[str], None] | None = None,
    out_dir: Path | None = None,
    data_path: Path | None = None,
    model: str = "linear",
    everyday: list[str] | None = None,
) -> dict[str, object]:
    """Train, cross-fit thresholds, save to ``out_dir`` (default ``<home>/models/semantic-screen``); returns the
    manifest. ``data_path`` (where ``data`` was read) is recorded with its SHA-256, so a self-assessment on the
    same data is flagged as train/test overlap. ``model``: ``linear`` (default) or ``mlp``
    (:mod:`~lingxi.compliance.semantic_mlp`, opt-in: same items, folds and threshold rule) or ``request``
    (:mod:`~lingxi.compliance.semantic_request`: the network on more risky prompts, no cross-fit, thresholds
    from the ``everyday`` lines by :func:`~lingxi.compliance.everyday_floors.with_allowance`)."""
    check_model(model, everyday)
    started = time.perf_counter()
    say = progress or (lambda _m: None)
    items = build_items(data, test_sources)
    request = model == semantic_request.KIND
    if request:
        items += semantic_request.augmented(data, test_sources)
    say(f"语义层：{len(items)} 条提示 semantic layer items")
    prepared = [prepare(t) for t, *_ in items]
    mlp = model in (semantic_mlp.KIND, semantic_request.KIND)
    x, idf, components = (semantic_mlp.design(prepared), None, None) if mlp else design(prepared)
    y = [c for _, c, *_ in items]
    w = np.array([wt for _, _, wt, *_ in items], dtype=np.float64)
    classes = sorted(set(y))
    fit: Callable[[Any, list[str], NDArray[np.float64]], Any] = semantic_mlp.fit if mlp else _fit
    proba: Callable[[Any, Any], NDArray[np.float64]] = semantic_mlp.proba if mlp else _proba
    thresholds: dict[str, float] = {}
    by_source: dict[str, dict[str, float]] = {}
    if not request:  # the request network's thresholds come from everyday lines, after the final fit
        oof = out_of_fold(x, y, w, np.array([f for *_, f, _ in items]), classes, say, fit=fit, proba=proba)
        thresholds = choose_thresholds(oof, classes, y, budget)
        by_source = _by_source(items, y, _blocked(oof, classes, thresholds))
    say("训练最终模型 final model")
    final = fit(x, y, w)
    final_classes = [str(c) for c in final.classes_]
    arrays = semantic_mlp.arrays_of(final) if mlp else _linear_arrays(final, idf, components)
    if request:
        layer = SemanticScreener({"classes": np.array(final_classes, dtype=str), **arrays})
        scored = [layer.pieces(t) for t in everyday or []]
        thresholds = everyday_floors.with_allowance(scored, [c for c in final_classes if c != PASS_CLASS])
    dims = 0 if components is None else components.shape[0]
    target = out_dir or default_dir(home_or_dir)
    target.mkdir(parents=True, exist_ok=True)
    np.savez(target / "weights.npz", classes=np.array(final_classes, dtype=str), **arrays)
    manifest: dict[str, object] = {
        "version": VERSION,
        "kind": ("request network (risky prompts + variations): " if request else "")
        + "char-1-3gram + jieba word-1-2gram hashing, one hidden layer of 32 (MLP, Adam)"
        if mlp
        else "lsa-char-1-2gram-svd + char-1-3gram hashing, request-conditioned, one-vs-rest logistic (SGD)",
        "threshold_rule": f"everyday floors over {len(everyday or [])} lines, allowance {everyday_floors.ALLOWANCE}"
        if request
        else f"out of source, budget {budget}",
        "classes": final_classes,
        "thresholds": thresholds,
        "budget": budget,
        "lsa_dims": dims,
        "seed": SEED,
        "data": {"path": str(data_path), "sha256": _sha256(data_path)} if data_path else None,
        "test_sources_excluded": sorted(test_sources),
        "counts": dict(Counter(y)),
        "folds": {"sources": FOLDS, "other": "hash of source+text mod 3"},
        "out_of_source": by_source,
        "seconds": round(time.perf_counter() - started, 1),
        "trained_at": int(time.time() * 1000),
        "committable": False,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


__all__ = [
    "MODELS",
    "RISKY_FRAMES",
    "build_items",
    "check_model",
    "choose_thresholds",
    "design",
    "out_of_fold",
    "train_semantic",
]
