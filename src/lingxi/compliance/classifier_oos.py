"""Out-of-source thresholds for the classifier layer: cross-fit over source groups, then pick per-class cuts.

Why: the classifier's thresholds used to come from a hash split of its own training sources. On banks it never
saw, its wrong blocks ran 3–10× the validation rate (5.4 % on the held-out must-answer banks at a 2 % budget,
and all 7 everyday sentences the screen blocked). A threshold that must hold on a new bank has to be chosen on
scores that look like a new bank: each training item is scored by a model trained *without its source group*
(cross-fitting), the protocol :mod:`lingxi.compliance.semantic_train` already uses.

Protocol (fixed before the test banks were run with it):

* Groups: the training sources fall into :data:`GROUPS` (each group holds risky prompts, benign prompts and
  comments); a source not listed goes to a group by the hash of its name (whole sources, never split).
* For each group, the same fit as the final model (heads, augmentation, weights) on the other groups' items;
  the group's own (unaugmented) items are scored whole and clause by clause, exactly as the screen scores.
* Per risk class of the top code: among the grid thresholds whose out-of-source must-pass *prompts* blocked
  under that class stay within an even share of ``budget`` (1 % over all classes, shared by the classes that
  have block-worthy items), the one with the best F1
  on that class's items. A class that has no block-worthy out-of-source item cannot be calibrated and gets
  :data:`NEVER` — it never blocks alone; nor does ``other`` (no TC260 code, the catch-all).

The same rows also give *floors* (:func:`floors`), which the validation-split thresholds can be raised to (opt-in):
per class, the lowest threshold at which out-of-source *ordinary* must-pass prompts (expected behaviour ``pass``:
chat, shopping dialogue, reading questions; not the sensitive-topic hard negatives) stay within
:data:`BENIGN_BUDGET`. Why: the validation budget is spent on the sensitive hard negatives (safety-prompts'
``safe_response`` items: 61 of the 70 wrong blocks), while ordinary prompts of the training sources almost never
block there (9 of 5,244), so nothing held the thresholds up against ordinary text from a new source. Out of
source, those prompts were blocked at 1.5 % (401 of 26,032), as was the everyday dev sample (16 of 1,000).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from lingxi.compliance.classifier import ClassifierScreener, risk_class

BUDGET = 0.01  # out-of-source must-pass prompts that may be blocked, over all risk classes (fixed in advance)
BENIGN_BUDGET = 0.01  # out-of-source ordinary must-pass prompts that may be blocked (the floors), over all classes
NEVER = 1.01  # a threshold no probability reaches: the class never blocks on the classifier alone
_GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(95))
GROUPS: dict[str, int] = {
    "jade-db v2-easy": 0, "CrossWOZ": 0, "CMRC2018": 0, "COLD train": 0,
    "safety-prompts(via XSafety zh)": 1, "DRCD (OpenCC t2s)": 1, "XQuAD zh": 1, "SWSR SexComment": 1,
    "jade-db t2i v1 zh": 2, "jade-db rag demo questions": 2, "KdConv": 2, "CHBias": 2,
}  # fmt: skip
N_GROUPS = 3


@dataclass(frozen=True)
class Row:
    """One training item's out-of-source verdict inputs."""

    block: bool
    prompt: bool
    p: float
    cls: str
    source: str
    ordinary: bool = False  # a must-pass prompt whose expected behaviour is plain ``pass`` (no sensitive topic)


def group_of(source: str) -> int:
    if source in GROUPS:
        return GROUPS[source]
    return int.from_bytes(hashlib.sha256(source.encode()).digest()[:4], "big") % N_GROUPS


class _Item(Protocol):  # the fields of training.Example this module reads (structural: no import cycle)
    @property
    def text(self) -> str: ...
    @property
    def block(self) -> bool: ...
    @property
    def source(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def behavior(self) -> str: ...


T = TypeVar("T", bound=_Item)


def cross_fit(
    items: Sequence[T],
    fit: Callable[[list[T]], ClassifierScreener | None],
    say: Callable[[str], None] = lambda _m: None,
) -> list[Row]:
    """Score every item with a model fitted without its source group. Empty when a group cannot be fitted
    (one group only, or a fold with a single class): the caller then falls back to its validation split."""
    groups = [group_of(e.source) for e in items]
    present = sorted(set(groups))
    if len(present) < 2:
        return []
    rows: list[Row] = []
    for g in present:
        say(f"来源外交叉拟合 out-of-source fold {g + 1}/{N_GROUPS}")
        model = fit([e for e, k in zip(items, groups, strict=True) if k != g])
        if model is None:
            return []
        for e in (e for e, k in zip(items, groups, strict=True) if k == g):
            p, risks = model.score(e.text)
            rows.append(
                Row(e.block, e.kind == "prompt", p, risk_class(model.top_risk(risks)), e.source, e.behavior == "pass")
            )
    return rows


def choose(rows: list[Row], budget: float = BUDGET, classes: Sequence[str] = ()) -> dict[str, float]:
    """Per risk class: the best-F1 grid threshold within the class's even share of the wrong-block budget;
    :data:`NEVER` for ``other`` and for classes (of ``classes`` or the rows) without a block-worthy row."""
    n_pass = sum(1 for r in rows if r.prompt and not r.block) or 1
    names = sorted({r.cls for r in rows} | set(classes))
    calibrated = [c for c in names if c != "other" and any(r.block for r in rows if r.cls == c)]
    allowed = budget * n_pass / max(1, len(calibrated))  # shared by the classes that can block
    out: dict[str, float] = {}
    for c in names:
        mine = [r for r in rows if r.cls == c]
        if c == "other" or not any(r.block for r in mine):
            out[c] = NEVER
            continue
        best = (-1.0, NEVER)
        for t in _GRID:
            if sum(1 for r in mine if r.prompt and not r.block and r.p >= t) > allowed:
                continue
            tp = sum(1 for r in mine if r.block and r.p >= t)
            fp = sum(1 for r in mine if not r.block and r.p >= t)
            fn = sum(1 for r in mine if r.block and r.p < t)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            best = max(best, (f1, -t))
        out[c] = abs(best[1]) if best[0] > 0 else NEVER
    return out


def floors(rows: list[Row], budget: float = BENIGN_BUDGET, classes: Sequence[str] = ()) -> dict[str, float]:
    """Per risk class (of ``classes`` and the rows): the lowest grid threshold at which the out-of-source
    ordinary must-pass prompts blocked under that class stay within an even share of ``budget``
    (:data:`NEVER` when no grid threshold does); empty without ordinary must-pass prompts."""
    ordinary = [r for r in rows if r.prompt and not r.block and r.ordinary]
    if not ordinary:
        return {}
    names = sorted({r.cls for r in ordinary} | set(classes))
    allowed = budget * len(ordinary) / len(names)
    out: dict[str, float] = {}
    for c in names:
        scores = [r.p for r in ordinary if r.cls == c]
        out[c] = next((t for t in _GRID if sum(1 for p in scores if p >= t) <= allowed), NEVER)
    return out


def raised(thresholds: dict[str, float], floors: dict[str, float], default: float) -> dict[str, float]:
    """Each class's threshold (``default`` where it has none) raised to its floor: a floor never lowers one."""
    names = sorted(set(thresholds) | set(floors))
    return {c: max(thresholds.get(c, default), floors.get(c, 0.0)) for c in names}


def rates(rows: list[Row], thresholds: dict[str, float]) -> dict[str, dict[str, float]]:
    """Out-of-source blocked shares per source at ``thresholds`` (for the manifest): risky and must-pass."""
    out: dict[str, dict[str, float]] = {}
    for src in sorted({r.source for r in rows}):
        mine = [r for r in rows if r.source == src]
        hit = [r.p >= thresholds.get(r.cls, NEVER) for r in mine]
        risky = [h for r, h in zip(mine, hit, strict=True) if r.block]
        safe = [h for r, h in zip(mine, hit, strict=True) if not r.block]
        out[src] = {"n": len(mine), "risky_blocked": round(sum(risky) / len(risky), 4) if risky else -1.0,
                    "pass_blocked": round(sum(safe) / len(safe), 4) if safe else -1.0}  # fmt: skip
    return out
