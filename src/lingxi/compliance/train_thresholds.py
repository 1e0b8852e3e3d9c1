"""The classifier's per-class thresholds: main's rule on the validation split, and the operating point that goes
with training on everyday lines (the reference's out-of-source false-block budget, spent again, source by source).

Why a second rule for the lines: everyday lines trained on as must-pass prompts teach the classifier that an
assistant's ordinary requests (外卖, 请假, 避免被骗, 怎么做…) pass. On the validation split (near-copies of the
training prompts) main's rule then picks *higher* thresholds, and the model blocks fewer must-refuse prompts out of
source (0.6–2.2 points on dev: benchmarks/README.md, cls14 and cls15). Holding the must-refuse count itself failed
(cls15): the lines change *which* prompts are blocked. This rule holds the other side instead: out of source, the
model with the lines may wrongly block as many licensed must-pass prompts of each source as the same training
without them, and no more. The lines then buy recall back where they lowered the scores of ordinary text. No
must-refuse item is read by the rule; one uniform factor keeps main's relative class cuts. Measured (cls16): dev
must-refuse −0.8 point at 5× (−1.0 at 1×), everyday blocks −62 %; on the licensed test banks and new authors'
everyday sets (wave 13) must-refuse +0.4 point and wrong blocks −60 %, so it goes with the lines ``train`` learns by
default.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from lingxi.compliance import classifier_oos as oos
from lingxi.compliance.classifier import ClassifierScreener, risk_class

if TYPE_CHECKING:
    from lingxi.compliance.training import Example

GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(95))
SCALES = tuple(round(0.5 + 0.01 * i, 2) for i in range(101))  # the uniform factors the budget rule may pick


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


def scaled(thresholds: dict[str, float], s: float) -> dict[str, float]:
    """Every class's threshold times ``s`` (4 decimals); a class that never blocks alone (> 1) stays so."""
    return {c: t if t > 1.0 else round(t * s, 4) for c, t in thresholds.items()}


def budget_matched(
    thresholds: dict[str, float],
    reference: ClassifierScreener,
    with_lines: list[Example],
    without_lines: list[Example],
    fit: Callable[[list[Example]], ClassifierScreener | None],
    counted: Callable[[Example], bool],
    lines_source: str,
    say: Callable[[str], None] = lambda _m: None,
) -> tuple[dict[str, float], dict[str, object]]:
    """``thresholds`` (the model trained on ``with_lines``, main's rule) times the smallest factor of :data:`SCALES`
    at which, out of source, it wrongly blocks no more ``counted`` must-pass prompts of any source than ``reference``
    (the training on ``without_lines``, at its own thresholds) does; and the record of the choice for the manifest.

    Per source, because a pooled budget moved (cls16, dev): the lines freed it on task dialogues (CrossWOZ 153 → 68)
    and the lower cut spent it on reading passages and sensitive questions (DRCD 234 → 263), the kind of text the
    must-answer banks hold (wrongly blocked 5.3 → 6.2 %).

    Out of source: for each source group of :mod:`classifier_oos`, both are fitted without the group (the lines,
    source ``lines_source``, stay in every fold: they are never a held-out source) and score its ``counted`` items;
    each verdict uses that fold model's top code. Unchanged (factor 1) when a fold cannot be fitted."""
    items = [e for e in without_lines if counted(e) and not e.block and e.kind == "prompt"]
    groups = sorted({oos.group_of(e.source) for e in items})
    ref_blocked: Counter[str] = Counter()
    new_rows: list[tuple[float, str, str]] = []
    for g in groups:
        say(f"来源外误拦预算 out-of-source false-block budget, fold {g + 1}/{oos.N_GROUPS}")
        ref = fit([e for e in without_lines if oos.group_of(e.source) != g])
        new = fit([e for e in with_lines if oos.group_of(e.source) != g or e.source == lines_source])
        if ref is None or new is None:  # a fold with one class: no out-of-source evidence, main's rule stands
            return thresholds, {"factor": 1.0, "reason": "a fold could not be fitted"}
        ref.threshold, ref.thresholds = reference.threshold, reference.thresholds
        for e in (e for e in items if oos.group_of(e.source) == g):
            q, ref_risks = ref.score(e.text)
            ref_blocked[e.source] += q >= ref.threshold_for(ref.top_risk(ref_risks))
            p, risks = new.score(e.text)
            new_rows.append((p, risk_class(new.top_risk(risks)), e.source))

    def blocked(s: float) -> Counter[str]:
        cut = scaled(thresholds, s)
        return Counter(src for p, c, src in new_rows if p >= cut.get(c, reference.threshold))

    def within(s: float) -> bool:  # every source, not the pool: the budget may not move to another kind of text
        spent = blocked(s)
        return all(spent[src] <= ref_blocked[src] for src in spent)

    s = next((s for s in SCALES if within(s)), SCALES[-1])
    record = {"factor": s, "rule": thresholds, "reference": reference.thresholds, "must_pass_prompts": len(new_rows),
              "reference_blocked": dict(sorted(ref_blocked.items())), "blocked": dict(sorted(blocked(s).items())),
              "blocked_at_rule": dict(sorted(blocked(1.0).items()))}  # fmt: skip
    return scaled(thresholds, s), record


def counted_in(prompts: Sequence[Example]) -> Callable[[Example], bool]:
    """A predicate: the item is one of ``prompts`` (by text) — the licensed data's own, not templates or lines."""
    texts = {e.text for e in prompts}
    return lambda e: e.text in texts
