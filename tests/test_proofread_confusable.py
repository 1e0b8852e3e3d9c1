"""The confusion-set classifiers (:mod:`lingxi.features.confusable`), trained here on sentences written for this
test, without /work/shared; their scores on real text are the benchmark's (``benchmarks/bench_proofread.py``)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from lingxi.features import confusable, confusable_build, ngramlm
from lingxi.features.proofread import rule_edits

# 在 before a place word, 再 before a verb with no aspect marker: the context alone decides
_TEXTS = [
    f"{who}{zai}{rest}"
    for who in ("我", "他", "我们", "妈妈", "老师", "朋友")
    for zai, rest in (
        ("在", "家里看书。"),
        ("在", "学校门口等你。"),
        ("在", "公园里散步。"),
        ("再", "说一遍吧。"),
        ("再", "想一想。"),
        ("再", "来一次。"),
    )
]


def _model() -> confusable.ConfusableModel:
    model, info = confusable_build.train_group(_TEXTS, _TEXTS[::5], "在再")
    assert info["examples"] == {"在": 18, "再": 18}
    return confusable.from_groups([model]).with_thresholds({"在再": 0.8})


def test_features_never_see_the_slot() -> None:
    assert confusable.features("我在家里看书。", 1) == confusable.features("我再家里看书。", 1)
    assert "qword" in confusable.features("你那天有空吗？", 1)


def test_classifier_learns_the_context_and_flags_only_the_wrong_member() -> None:
    model = _model()
    assert [(f.start, f.replacement) for f in confusable.find("老师再家里看书。", model)] == [(2, "在")]
    assert [(f.start, f.replacement) for f in confusable.find("朋友在说一遍吧。", model)] == [(2, "再")]
    assert confusable.find("老师在家里看书。", model) == []
    assert confusable.find("no Chinese here", model) == []


def test_language_model_can_veto_a_swap() -> None:
    model = _model()
    text = "老师再家里看书。"
    likes_wrong = ngramlm.train(["老师再家里看书。"] * 20)  # a model that has only seen the wrong text
    assert confusable.lm_gain(likes_wrong, text, 2, "在") < 0
    assert confusable.find(text, model, likes_wrong) == []
    likes_right = ngramlm.train(_TEXTS * 3)
    assert [f.replacement for f in confusable.find(text, model, likes_right)] == ["在"]


def test_model_round_trips_and_thresholds_are_chosen_within_the_budget(tmp_path: Path) -> None:
    model = _model()
    path = tmp_path / confusable.MODEL_FILE
    model.save(path)
    again = confusable.load(path)
    group = again.groups["在"]
    assert group.members == "在再" and group.threshold == 0.8 and again.groups["再"] is group
    feats = confusable.features("我再家里看书。", 1)
    assert np.allclose(group.probabilities(feats), model.groups["在"].probabilities(feats), atol=1e-2)
    # the choice: a model that is always right and sure gets the lowest threshold; one that is always wrong, none
    sure = np.array([[0.999, 0.001]] * 50 + [[0.001, 0.999]] * 50)
    labels = np.array([0] * 50 + [1] * 50)
    assert confusable_build.choose(sure, labels)[0] == confusable_build.GRID[0]
    assert confusable_build.choose(sure, 1 - labels)[0] == confusable_build.OFF


def test_without_a_built_model_nothing_is_flagged(tmp_path: Path) -> None:
    assert confusable.load_model(None) is None and confusable.load_model(tmp_path) is None
    assert rule_edits("他住再三楼。", home=tmp_path) == rule_edits("他住再三楼。", home=None)


def test_fixed_expressions_are_left_alone() -> None:
    inside = confusable._in_fixed_words("我们要再接再厉。")
    assert {3, 4, 5, 6} <= inside and 0 not in inside
    assert "的" not in "".join(confusable.GROUPS)  # 的/地/得: the syntactic rules' job (see GROUPS)


def test_the_same_input_builds_byte_identical_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trained twice (the solver's order is seeded) and saved at two different clock times (numpy stamps the
    members of an ``.npz`` with a fixed date, not the time): the classifier and language model files are the
    same bytes, so two builds of the same input can be compared with ``cmp``."""
    for n in range(2):
        model, _ = confusable_build.train_group(_TEXTS, _TEXTS[::5], "在再")
        with monkeypatch.context() as m:
            m.setattr(time, "time", lambda n=n: 1.8e9 + 86400.0 * n)  # a day apart
            confusable.from_groups([model]).save(tmp_path / f"confusable{n}.npz")
            ngramlm.train(_TEXTS).save(tmp_path / f"charlm{n}.npz")
    for name in ("confusable", "charlm"):
        assert (tmp_path / f"{name}0.npz").read_bytes() == (tmp_path / f"{name}1.npz").read_bytes()
    assert confusable.load(tmp_path / "confusable0.npz").groups["在"].members == "在再"


def test_below_its_threshold_a_swap_is_flagged_only_when_the_language_model_backs_it() -> None:
    model = _model().with_thresholds({"在再": 0.99})
    text = "老师再家里看书。"
    likes_right, likes_wrong = ngramlm.train(_TEXTS * 3), ngramlm.train([text] * 20)
    assert confusable.lm_gain(likes_right, text, 2, "在") >= confusable.BACKED_GAIN

    def flagged(p_right: float, lm: ngramlm.NgramLM | None) -> list[str]:
        found = [(2, "再", np.array([p_right, 1 - p_right]))]
        return [f.replacement for f in confusable.decide(text, found, model, lm)]

    assert flagged(0.85, likes_right) == ["在"]  # over BACKED_PROBABILITY, with a large gain
    assert flagged(0.85, likes_wrong) == [] and flagged(0.85, None) == []  # no backing
    assert flagged(0.7, likes_right) == []  # under BACKED_PROBABILITY
    assert (
        confusable.decide(text, [(2, "再", np.array([0.85, 0.15]))], model.with_thresholds({"在再": 2.0}), likes_right)
        == []
    )
