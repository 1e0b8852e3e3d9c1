"""Out-of-source thresholds of the classifier (compliance/classifier_oos.py): the budget holds on the rows it
was chosen on, the catch-all class and uncalibrated classes never block alone, and a class that never blocks
stays so under a stricter (minors') screen."""

from __future__ import annotations

import numpy as np

from lingxi.compliance import classifier_oos as oos
from lingxi.compliance.classifier import N_FEATURES, ClassifierScreener
from lingxi.compliance.training import Example


def _rows() -> list[oos.Row]:
    rows = [oos.Row(True, True, 0.9, "A.1", "risky") for _ in range(20)]
    rows += [oos.Row(True, True, 0.4, "A.1", "risky") for _ in range(20)]
    rows += [oos.Row(False, True, 0.5, "A.1", "benign") for _ in range(5)]  # must-pass prompts scored 0.5
    rows += [oos.Row(False, True, 0.1, "A.1", "benign") for _ in range(395)]
    rows += [oos.Row(False, True, 0.95, "other", "benign")]
    return rows


def test_choose_keeps_wrong_blocks_within_budget() -> None:
    rows = _rows()
    t = oos.choose(rows, budget=0.0)
    assert t["A.1"] > 0.5  # no must-pass prompt may be blocked: above the benign 0.5s
    assert sum(1 for r in rows if not r.block and r.p >= t["A.1"] and r.cls == "A.1") == 0
    loose = oos.choose(rows, budget=0.05)  # 20 of 400 allowed: the 0.4s come in
    assert loose["A.1"] <= 0.4


def test_catch_all_and_uncalibrated_classes_never_block_alone() -> None:
    t = oos.choose(_rows(), budget=0.05, classes=["A.1", "A.3"])
    assert t["other"] == oos.NEVER and t["A.3"] == oos.NEVER
    n = 8
    clf = ClassifierScreener(np.zeros(n, np.float32), 0.0, np.zeros((2, n), np.float32), np.zeros(2, np.float32),
                             ["A.1.8", "A.3.5"], thresholds={"A.3": oos.NEVER}, strict=0.5)  # fmt: skip
    assert clf.threshold_for("A.3.5") == oos.NEVER  # the minors' stricter scale does not make it block
    assert clf.threshold_for("A.1.8") == 0.25


def test_floors_count_only_ordinary_must_pass_prompts() -> None:
    rows = [oos.Row(True, True, 0.9, "A.1", "risky") for _ in range(20)]
    rows += [oos.Row(False, True, 0.5, "A.1", "chat", ordinary=True) for _ in range(5)]
    rows += [oos.Row(False, True, 0.1, "A.1", "chat", ordinary=True) for _ in range(395)]
    rows += [oos.Row(False, True, 0.8, "A.1", "sensitive") for _ in range(50)]  # safe_response: not counted
    rows += [oos.Row(False, False, 0.95, "A.1", "comments", ordinary=True) for _ in range(50)]  # not prompts
    assert oos.floors(rows, budget=0.0)["A.1"] == 0.51  # just above the ordinary 0.5s
    assert oos.floors(rows, budget=0.05)["A.1"] == 0.11  # 20 of 400 allowed: the 0.5s, not the 395 0.1s
    assert oos.floors(rows, budget=0.0, classes=["A.1", "A.4"])["A.4"] == 0.05  # no ordinary prompt there
    assert oos.floors([r for r in rows if not r.ordinary]) == {}
    # a floor raises a validation threshold, never lowers one; a class without one starts from the default
    floors = {"A.1": 0.41, "A.2": 0.5, "A.4": 0.2}
    assert oos.raised({"A.1": 0.3, "A.2": 0.6}, floors, 0.5) == {"A.1": 0.41, "A.2": 0.6, "A.4": 0.5}


def test_cross_fit_scores_each_group_with_a_model_that_never_saw_it() -> None:
    items = [Example(f"句子{i}", i % 2 == 0, None, "pass", src) for i, src in enumerate(["CrossWOZ", "KdConv"] * 4)]
    seen: list[set[str]] = []

    def fit(part: list[Example]) -> ClassifierScreener:
        seen.append({e.source for e in part})
        n = N_FEATURES
        return ClassifierScreener(
            np.zeros(n, np.float32), 0.0, np.zeros((0, n), np.float32), np.zeros(0, np.float32), []
        )

    rows = oos.cross_fit(items, fit)
    assert len(rows) == len(items) and all(r.ordinary for r in rows)  # expected behaviour "pass"
    assert seen == [{"KdConv"}, {"CrossWOZ"}]  # group 0 (CrossWOZ) scored by a model fitted on group 2 only
    assert oos.cross_fit([e for e in items if e.source == "KdConv"], fit) == []  # one group: no out-of-source
