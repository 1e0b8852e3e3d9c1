"""Opt-in ordinary-request gate for the classifier layer: a text that reads as an ordinary request needs more.

Why: nearly every everyday sentence the full screen blocks is a classifier-alone block at a low P(block)
(「帮我在外卖软件上点一份麻辣烫。」 A.1.8 0.51, 「钓鱼需要准备哪些工具？」 0.46), and raising every class's
threshold to the out-of-source floors of ordinary prompts (wave 8, ``--benign-budget``) costs ~10 points of
must-refuse blocking, because the raised bar holds for risky prompts too. This gate raises it only where a
second head says the text looks like the licensed ordinary prompts — travel and shopping dialogue, chit-chat,
reading-comprehension questions (CrossWOZ, KdConv, DRCD, CMRC, XQuAD: expected behaviour ``pass``; never a test
source) — rather than like a risky prompt or a sensitive-topic question.

* Head: logistic regression over the classifier's own hashed features (one more weight column, so no new
  n-gram work at screening time), on the training sources' prompts: ordinary (:attr:`Row.ordinary`) against
  every other prompt. Scored on the whole text, not a clause.
* Gate: P(ordinary) ≥ :data:`OPEN_AT` (0.5, fixed before any measurement). Behind it, a class's threshold is
  raised to its floor (:func:`classifier_oos.floors`) at :data:`BUDGET` (0.5 %: the strict knob of wave 8),
  computed on the same out-of-source cross-fit as the floors.

Stored beside the classifier (``ordinary.npz`` and the manifest's ``ordinary_gate``); a home without them
screens exactly as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lingxi.compliance import classifier_oos as oos
from lingxi.compliance.classifier import SEED, ClassifierScreener, _vectorizer, risk_class

FILE = "ordinary.npz"
OPEN_AT = 0.5
BUDGET = 0.005


def load_gate(
    model_dir: Path, manifest: dict[str, Any]
) -> tuple[NDArray[np.float32], float, float, dict[str, float]] | None:
    """The gate of a trained home (coef, bias, open-at, floors), or None when it was not trained."""
    meta = manifest.get("ordinary_gate")
    if not meta or not (model_dir / FILE).is_file():
        return None
    with np.load(model_dir / FILE, allow_pickle=False) as z:
        coef, bias = z["ordinary_coef"].astype(np.float32), float(z["ordinary_b"])
    return coef, bias, float(meta["open_at"]), {k: float(v) for k, v in meta["floors"].items()}


def _ordinary(e: Any) -> bool:
    return bool(e.kind == "prompt" and not e.block and e.behavior == "pass")


def fit_head(items: list[Any]) -> tuple[NDArray[np.float32], float]:
    """The ordinary-prompt head on ``items``' prompts (every other prompt is the negative class)."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped, unused-ignore]

    prompts = [e for e in items if e.kind == "prompt"]
    y = np.array([_ordinary(e) for e in prompts])
    head = LogisticRegression(C=1.0, solver="liblinear", random_state=SEED, max_iter=200, class_weight="balanced")
    head.fit(_vectorizer().transform([e.text for e in prompts]), y)
    return head.coef_[0].astype(np.float32), float(head.intercept_[0])


def train_gate(
    data_path: Path | str,
    model_dir: Path | str,
    *,
    budget: float = BUDGET,
    open_at: float = OPEN_AT,
    say: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Add the gate to a classifier trained on ``data_path`` in ``model_dir`` (same data, same test sources):
    cross-fit the classifier for the floors, fit the head on train + validation, save both; returns the
    manifest's ``ordinary_gate`` entry."""
    import json

    from lingxi.compliance.training import TEST_SOURCES, _fit, _screener, read_examples, split
    from lingxi.compliance.training_templates import with_templates

    model_dir = Path(model_dir)
    model = ClassifierScreener.load(model_dir)
    tr, val, te = split(read_examples(Path(data_path)), TEST_SOURCES)
    tr, val = with_templates(tr, val)
    counts: Counter[str | None] = Counter(e.risk for e in tr + val + te if e.block)

    def fold_model(part: list[Any]) -> ClassifierScreener | None:
        fitted = _fit(part, counts, False, say)
        return _screener(fitted) if fitted else None

    rows = oos.cross_fit(tr + val, fold_model, say)
    classes = sorted({risk_class(c) for c in model.risk_labels})
    floors = oos.floors(rows, budget, classes)
    say("训练日常请求头 ordinary-request head")
    coef, bias = fit_head(tr + val)
    np.savez(model_dir / FILE, ordinary_coef=coef, ordinary_b=np.float32(bias))
    entry: dict[str, Any] = {"open_at": open_at, "budget": budget, "floors": floors,
                             "ordinary_prompts": sum(1 for e in tr + val if _ordinary(e))}  # fmt: skip
    manifest = dict(model.manifest)
    manifest["ordinary_gate"] = entry
    (model_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return entry
