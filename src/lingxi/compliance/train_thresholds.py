"""The classifier's per-class thresholds on the validation split: main's rule, and the recall hold that goes with
training on everyday lines.

Why a recall hold: everyday lines trained on as must-pass prompts teach the classifier that an assistant's
ordinary requests (外卖, 请假, 避免被骗, 怎么做…) pass, and they lower the scores of risky requests written the same
way; with main's rule alone the thresholds then block 0.9–1.6 points fewer must-refuse prompts of the training
sources scored out of source (benchmarks/README.md, cls14). The hold lowers each class's threshold until the model
blocks as many block-worthy prompts *out of source* as the same training without the lines did, so the lines buy
fewer wrong blocks, not a lower recall. Out of source, because on the validation split (near-copies of training
prompts) both block nearly all: a hold measured there lowered A.1 from 0.26 to 0.17 and still lost 1.5 points
out of source (cls15's V1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lingxi.compliance import classifier_oos as oos
from lingxi.compliance.classifier import ClassifierScreener, risk_class

if TYPE_CHECKING:
    from lingxi.compliance.training import Example

PASS_LINES = "everyday:lines"  # the source of the must-pass lines (never a licensed source's name)
GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(95))


def choose_thresholds(model: ClassifierScreener, val: list[Example], budget: float) -> dict[str, float]:
    """Per risk class (of the top code): among the grid thresholds whose wrongly blocked must-pass *prompts*
    on ``val`` stay within an even share of ``budget``, the one with the best F1 on that class's items."""
    rows = []
    for e in val:
        p, r = model.score(e.text)
        rows.append((e.block, e.kind == "prompt", p, risk_class(model.top_risk(r))))
    n_prompts = sum(1 for block, prompt, _, _ in rows if prompt and not block) or 1
    classes = sorted({c for *_, c in rows})
    allowed = budget * n_prompts / max(1, len(classes))
    out: dict[str, float] = {}
    for c in classes:
        mine = [(block, prompt, p) for block, prompt, p, k in rows if k == c]
        best = (-1.0, GRID[-1])
        for t in GRID:
            if sum(1 for block, prompt, p in mine if prompt and not block and p >= t) > allowed:
                continue
            tp = sum(1 for block, _, p in mine if block and p >= t)
            fp = sum(1 for block, _, p in mine if not block and p >= t)
            fn = sum(1 for block, _, p in mine if block and p < t)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            best = max(best, (f1, -t))
        out[c] = abs(best[1])
    return out


def held_out_of_source(
    thresholds: dict[str, float],
    reference: ClassifierScreener,
    with_lines: list[Example],
    without_lines: list[Example],
    fit: Callable[[list[Example]], ClassifierScreener | None],
    scored: Callable[[Example], bool],
    say: Callable[[str], None] = lambda _m: None,
) -> dict[str, float]:
    """``thresholds`` (the model trained on ``with_lines``, main's rule), each class's lowered — never raised — to the
    highest grid value at which it blocks, out of source, at least as many ``scored`` prompts as ``reference`` (the
    training on ``without_lines``, at its own thresholds). Out of source: for each source group of
    :mod:`classifier_oos`, both are fitted without the group (the lines, source ``everyday:lines``, stay in every
    fold: they are never a test source) and score its ``scored`` items; the class is the new fold model's."""
    groups = sorted({oos.group_of(e.source) for e in without_lines if scored(e)})
    pairs: list[tuple[str, float, bool]] = []
    for g in groups:
        say(f"来源外召回 out-of-source recall fold {g + 1}/{oos.N_GROUPS}")
        ref = fit([e for e in without_lines if oos.group_of(e.source) != g])
        new = fit([e for e in with_lines if oos.group_of(e.source) != g or e.source == PASS_LINES])
        if ref is None or new is None:  # a fold with one class: no out-of-source evidence, main's rule stands
            return thresholds
        ref.threshold, ref.thresholds = reference.threshold, reference.thresholds
        for e in (e for e in without_lines if oos.group_of(e.source) == g and scored(e)):
            q, ref_risks = ref.score(e.text)
            p, risks = new.score(e.text)
            pairs.append((risk_class(new.top_risk(risks)), p, q >= ref.threshold_for(ref.top_risk(ref_risks))))
    need: dict[str, int] = {}
    have: dict[str, list[float]] = {}
    for c, p, blocked in pairs:
        have.setdefault(c, []).append(p)
        need[c] = need.get(c, 0) + int(blocked)
    out = dict(thresholds)
    for c, scores in have.items():
        if c in out:
            reach = [t for t in GRID if t <= out[c] and sum(1 for p in scores if p >= t) >= need[c]]
            out[c] = max(reach) if reach else GRID[0]
    return out
