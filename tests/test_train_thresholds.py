"""The operating point of a classifier trained on everyday lines (:mod:`lingxi.compliance.train_thresholds`):
out of source it may wrongly block as many licensed must-pass prompts as the same training without the lines,
no more, with one factor on main's thresholds. Stub fold models with fixed scores: no fitting, milliseconds."""

from __future__ import annotations

from lingxi.compliance.train_thresholds import budget_matched, counted_in, scaled
from lingxi.compliance.training import Example

LINES = "everyday:lines"


class Stub:
    """A fold model: fixed P(block) per text, every text under A.1 (the two methods the rule reads)."""

    def __init__(self, p: dict[str, float], t: float = 0.5) -> None:
        self.p, self.threshold, self.thresholds = p, t, {"A.1": t}

    def score(self, text: str) -> tuple[float, dict[str, float]]:
        return self.p.get(text, 0.0), {"A.1.8": 1.0}

    @staticmethod
    def top_risk(risks: dict[str, float]) -> str | None:
        return max(risks, key=risks.__getitem__) if risks else None

    def threshold_for(self, code: str | None) -> float:
        return self.thresholds["A.1"]


# two sources in two classifier_oos groups (0 and 1), must-pass prompts with scores that both sides give
DATA = [Example(f"问题{i}", False, None, "pass", src) for i, src in enumerate(["CrossWOZ", "KdConv"] * 5)]
RISKY = [Example("危险请求", True, "A.1.8", "refuse", "CrossWOZ")]
LINE = [Example("帮我点外卖", False, None, "pass", LINES)]
REF_P = {e.text: 0.2 + 0.1 * i for i, e in enumerate(DATA)}  # 0.2 … 1.1: at the reference's 0.6, 6 of 10 block
NEW_P = {e.text: 0.15 + 0.05 * i for i, e in enumerate(DATA)}  # the lines lowered every must-pass score


def fit(part: list[Example]) -> Stub:
    return Stub(NEW_P if any(e.source == LINES for e in part) else REF_P)


def test_the_lines_spend_the_references_out_of_source_false_block_budget_and_no_more() -> None:
    reference = Stub(REF_P, 0.6)
    cut, record = budget_matched({"A.1": 0.6}, reference, DATA + RISKY + LINE, DATA + RISKY, fit,
                                 counted_in(DATA + RISKY), LINES)  # fmt: skip
    # 0.2 + 0.1·i ≥ 0.6: i = 4 … 9, three of each source
    assert record["reference_blocked"] == {"CrossWOZ": 3, "KdConv": 3} and record["blocked_at_rule"] == {"KdConv": 1}
    # the smallest factor whose cut (0.6·s) blocks at most 3 + 3 of 0.15 + 0.05·i: cut above 0.30 (i = 3), s = 0.51
    assert record["factor"] == 0.51 and cut == {"A.1": 0.306} and record["blocked"] == {"CrossWOZ": 3, "KdConv": 3}
    assert record["must_pass_prompts"] == len(DATA)  # the risky prompt and the lines are never counted


def test_a_model_that_blocks_more_than_the_reference_has_its_thresholds_raised() -> None:
    worse = {t: min(1.0, p + 0.2) for t, p in REF_P.items()}  # 0.4 … 1.0: at 0.6 eight block

    def fit_worse(part: list[Example]) -> Stub:
        return Stub(worse if any(e.source == LINES for e in part) else REF_P)

    cut, record = budget_matched({"A.1": 0.6}, Stub(REF_P, 0.6), DATA + LINE, DATA, fit_worse, counted_in(DATA), LINES)
    assert record["blocked_at_rule"] == {"CrossWOZ": 4, "KdConv": 4}  # 0.4 + 0.1·i ≥ 0.6: i = 2 … 9
    assert record["blocked"] == record["reference_blocked"] == {"CrossWOZ": 3, "KdConv": 3} and cut["A.1"] > 0.6


def test_the_budget_may_not_move_from_one_source_to_another() -> None:
    """The lines clear one source (CrossWOZ) and raise another (KdConv): pooled, 5 of 6 would fit at the lowest
    factor; per source, KdConv may not pass its 3, so the cut rises above main's rule."""
    moved = {e.text: 0.0 if e.source == "CrossWOZ" else REF_P[e.text] + 0.1 for e in DATA}

    def fit_moved(part: list[Example]) -> Stub:
        return Stub(moved if any(e.source == LINES for e in part) else REF_P)

    cut, record = budget_matched({"A.1": 0.6}, Stub(REF_P, 0.6), DATA + LINE, DATA, fit_moved, counted_in(DATA), LINES)
    assert record["blocked_at_rule"] == {"KdConv": 4}  # 0.3 + 0.1·i ≥ 0.6 for i = 3, 5, 7, 9
    assert record["factor"] == 1.01 and cut == {"A.1": 0.606} and record["blocked"] == {"KdConv": 3}


def test_scaling_keeps_a_class_that_never_blocks_alone() -> None:
    assert scaled({"A.1": 0.2, "other": 1.01}, 0.9) == {"A.1": 0.18, "other": 1.01}
