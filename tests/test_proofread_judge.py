"""The learned judge of the language model's swaps and the word bigram model it reads, without /work/shared."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from lingxi.features import confusion, lmaccept, lmaccept_build, lmcheck, ngramlm, wordlm

_SENTENCES = ["我们明天再见面吧。", "他在学校门口等你。", "妈妈在厨房里做饭。", "我们下次再来这家饭馆吃饭。"] * 3


TREES = 5  # enough to test the storing of trees, fast to fit


def _toy() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.random((1000, len(lmaccept.FEATURES)))
    return x, x[:, 0] + 0.2 * x[:, 1] > 0.7


@lru_cache(maxsize=1)
def _judge() -> lmaccept.Judge:
    return lmaccept_build.fit(*_toy(), trees=TREES)


def test_the_stored_trees_give_scikit_learns_probabilities_and_survive_a_round_trip(tmp_path: Path) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y = _toy()
    judge = _judge()
    same = HistGradientBoostingClassifier(max_iter=TREES, **lmaccept_build.TREE_PARAMS).fit(x, y)
    assert np.allclose(judge.probability(x), same.predict_proba(x)[:, 1], atol=1e-9)
    assert judge.probability(np.array([[0.95] * len(lmaccept.FEATURES)]))[0] > 0.5
    judge.save(tmp_path / "judge.npz")
    again = lmaccept._load(str(tmp_path / "judge.npz"))
    assert again is not None and np.allclose(again.probability(x), judge.probability(x))


def test_a_judge_built_over_other_features_or_without_its_word_model_is_not_used(tmp_path: Path) -> None:
    home = tmp_path / "home"
    lmaccept.judge_path(home).parent.mkdir(parents=True)
    _judge().save(lmaccept.judge_path(home))
    assert lmaccept.load(home) is None  # no word model beside it
    wordlm.train(_SENTENCES).save(wordlm.path(home))
    assert lmaccept.load(home) is not None
    with np.load(lmaccept.judge_path(home)) as z:
        arrays = {k: z[k] for k in z.files}
    np.savez(lmaccept.judge_path(home), **(arrays | {"features": np.array(["gain"])}))
    lmaccept.forget()
    assert lmaccept.load(home) is None


def test_a_judged_swap_under_its_margin_is_taken_but_never_within_reach_of_a_swap_the_margins_take() -> None:
    margins = lmcheck.LMMargins(8.0, 10.0, 10.0, 10.0, 0.0, 8.0, 6.0)
    sure = lmcheck.LMFix(2, "在", "再", "trusted", 12.0)
    judged = lmcheck.LMFix(10, "门", "们", "sound", 5.0, judged=0.9)
    beside = lmcheck.LMFix(4, "见", "件", "sound", 5.0, judged=0.99)
    weak = lmcheck.LMFix(20, "吧", "把", "sound", 5.0, judged=0.5)
    assert lmcheck.select([sure, judged, beside, weak], margins) == [sure]  # no judge: the margins alone
    assert lmcheck.select([sure, judged, beside, weak], margins, 0.8) == [sure, judged]


def test_the_threshold_never_alarms_more_clean_dev_sentences_than_the_margins_alone() -> None:
    alone = {"threshold": float("inf"), "f05": 0.80, "clean_alarmed": 9}

    def point(threshold: float, f05: float, alarmed: int) -> dict[str, float]:
        return {"threshold": threshold, "f05": f05, "clean_alarmed": alarmed}

    best_but_noisy, kept = point(0.7, 0.90, 10), point(0.85, 0.85, 9)
    assert lmaccept_build.choose(alone, [best_but_noisy, kept, point(0.95, 0.82, 8)]) == kept
    assert lmaccept_build.choose(alone, [point(0.9, 0.85, 7), point(0.95, 0.85, 9)]) == point(0.95, 0.85, 9)
    assert lmaccept_build.choose(alone, [best_but_noisy, point(0.9, 0.79, 5)]) is None  # nothing helps


def test_weighting_the_swaps_on_clean_text_makes_the_judge_surer_before_it_accepts() -> None:
    x, y = _toy()
    weight = np.where(y, 1.0, 10.0)  # every negative, as if each came from a clean text
    plain, wary = _judge(), lmaccept_build.fit(x, y, trees=TREES, weight=weight)
    assert wary.probability(x)[y].mean() < plain.probability(x)[y].mean()


def test_the_word_bigram_model_prefers_pairs_it_has_seen_and_round_trips(tmp_path: Path) -> None:
    words = wordlm.train(_SENTENCES)
    seen, unseen = wordlm.segment("在学校门口"), wordlm.segment("在饭馆门口")
    assert words.logprob(seen) > words.logprob(unseen)
    words.save(tmp_path / wordlm.FILE)
    again = wordlm._load(str(tmp_path / wordlm.FILE))
    assert again.logprob(seen) == pytest.approx(words.logprob(seen))


def test_features_describe_every_candidate_and_an_untrained_home_judges_nothing() -> None:
    lm = ngramlm.train(_SENTENCES)
    checker = lmcheck.LMChecker(lm, confusion.load(None), confusion.sound_alikes_wide(), {}, {}, lmcheck.LMMargins())
    found = [f for f in lmcheck.candidates("我们明天在见面吧。", checker) if f.gain > lmaccept.FLOOR]
    assert found
    x = lmaccept.features("我们明天在见面吧。", found, checker, wordlm.train(_SENTENCES))
    assert x.shape == (len(found), len(lmaccept.FEATURES)) and np.isfinite(x).all()
    assert lmcheck.judged("我们明天在见面吧。", found, checker) == found  # no judge: probabilities stay 0
    judge = dataclasses.replace(_judge(), words=wordlm.train(_SENTENCES))
    scored = lmcheck.judged("我们明天在见面吧。", found, dataclasses.replace(checker, judge=judge))
    assert all(0.0 <= f.judged <= 1.0 for f in scored) and len(scored) == len(found)
