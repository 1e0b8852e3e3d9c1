"""The character n-gram language model and the context check built on it, without /work/shared.

The model is trained here on a few sentences written for this test; the learner-style set
(``tests/data/proofread_learner.txt``) is checked for its shape only — its scores are the benchmark's
(``benchmarks/bench_proofread.py``), measured on its test half with a model built from the licensed corpora.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest

from lingxi.features import (
    confusion,
    lmaccept,
    lmcheck,
    lmguard,
    ngramlm,
    proofread,
    proofread_build,
    proofread_lm,
    proofread_synth,
    wordlm,
)
from lingxi.features.proofread import rule_edits
from proofread_cases import LEARNER, halves, load

_SENTENCES = [
    "我们明天再见面吧。",
    "明天再说吧，我先回家了。",
    "我在家里看书，你再等一会儿。",
    "他在学校门口等你。",
    "我们下次再来这家饭馆吃饭。",
    "你先回去，我们明天再见。",
    "妈妈在厨房里做饭。",
] * 3


def _lm() -> ngramlm.NgramLM:
    return ngramlm.train(_SENTENCES, [("见面", 5.0), ("学校", 5.0)])


def test_kneser_ney_probabilities_sum_to_one_in_every_context() -> None:
    lm = _lm()
    symbols = [ngramlm.EOS, ngramlm.UNK, *lm.vocab.values()]
    for context in ("明天", "我们明天", "", "家"):
        ids = lm.encode(context)[:-1]  # BOS + context, no end mark
        total = float(np.exp(lm.logprobs([([*ids, s], len(ids)) for s in symbols])).sum())
        assert math.isclose(total, 1.0, rel_tol=1e-6), (context, total)


def test_seen_context_is_more_probable_and_the_model_round_trips(tmp_path: Path) -> None:
    lm = _lm()

    def score(text: str, model: ngramlm.NgramLM) -> float:
        ids = model.encode(text)
        return float(model.logprobs([(ids, i) for i in range(1, len(ids))]).sum())

    assert score("明天再见面", lm) > score("明天在见面", lm) + 2
    lm.save(tmp_path / "lm.npz")
    again = ngramlm.load(tmp_path / "lm.npz")
    assert again.vocab == lm.vocab
    assert score("明天在见面", again) == pytest.approx(score("明天在见面", lm), abs=1e-4)


def test_checker_fixes_a_swap_the_model_is_sure_of_and_leaves_right_text_alone() -> None:
    checker = lmcheck.LMChecker(
        _lm(), confusion.load(None), {}, {}, confusion.shape_alikes(), lmcheck.LMMargins(2.0, 2.0, 2.0, 2.0)
    )
    assert [(f.start, f.replacement) for f in lmcheck.find("我们明天在见面吧。", checker)] == [(4, "再")]
    assert lmcheck.find("妈妈在厨房里做饭。", checker) == []


def test_a_swap_that_puts_a_common_character_back_into_a_word_takes_the_lower_margin() -> None:
    """学笑 → 学校: 笑 stands alone as written and 校 makes a dictionary word, the shape of an input-method typo."""
    sound = {"笑": frozenset("校"), "校": frozenset("笑")}
    wide = lmcheck.LMMargins(99.0, 99.0, 99.0, 99.0, 0.0, makes_word=99.0, restores_word=99.0)
    checker = lmcheck.LMChecker(_lm(), confusion.load(None), sound, {}, {}, wide)
    text = "他在学笑门口等你。"
    [swap] = [f for f in lmcheck.candidates(text, checker) if f.replacement == "校"]
    assert swap.makes_word and swap.gain > 1.0
    assert lmcheck.find(text, checker) == []  # no class margin is cleared
    lower = lmcheck.LMChecker(_lm(), confusion.load(None), sound, {}, {}, wide._replace(makes_word=1.0))
    assert [(f.start, f.replacement) for f in lmcheck.find(text, lower)] == [(3, "校")]
    # the same swap offered as a look-alike is a wide net: it keeps its class's margin
    shape = lmcheck.LMChecker(_lm(), confusion.load(None), {}, {}, sound, wide._replace(makes_word=1.0))
    assert lmcheck.find(text, shape) == []


def test_a_swap_that_restores_a_word_takes_a_lower_margin_still_when_the_written_character_is_a_stranger() -> None:
    """学笑 → 学校: besides making a word, 笑 is never seen beside 学 or 门 in the training text and 学校 is a frequent
    dictionary word; once the training text holds 学笑门口 (a name, a pun) the same swap is no stranger's."""
    sound = {"笑": frozenset("校"), "校": frozenset("笑")}
    margins = lmcheck.LMMargins(99.0, 99.0, 99.0, 99.0, 0.0, makes_word=99.0, restores_word=1.0)
    text = "他在学笑门口等你。"
    checker = lmcheck.LMChecker(_lm(), confusion.load(None), sound, {}, {}, margins)
    [swap] = [f for f in lmcheck.candidates(text, checker) if f.replacement == "校"]
    assert swap.makes_word and swap.restores_word and swap.gain > 1.0
    assert [(f.start, f.replacement) for f in lmcheck.find(text, checker)] == [(3, "校")]
    assert lmcheck.find(text, dataclasses.replace(checker, margins=margins._replace(restores_word=99.0))) == []
    named = ["小明学笑门", "我在学笑门", "你去学笑门", "他们学笑门"]  # 学笑 after four different characters
    seen = ngramlm.train([*_SENTENCES, *named], [("见面", 5.0), ("学校", 5.0)])
    familiar = lmcheck.LMChecker(seen, confusion.load(None), sound, {}, {}, margins)
    [again] = [f for f in lmcheck.candidates(text, familiar) if f.replacement == "校"]
    assert again.makes_word and not again.restores_word
    # the pair a swap makes must be a frequent word: 笑 → 晓 makes 学晓, no word
    words = {"学校": 5000}
    assert lmcheck._restored_pair(text, 3, "校", words) and not lmcheck._restored_pair(text, 3, "晓", words)


def test_the_older_homophone_check_runs_only_without_a_language_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a language model built, its lower margin for swaps that make a word takes the older check's typos."""
    from lingxi.features import proofread

    text = "即然你不想去，那就算了。"
    assert [(e.start, e.replacement) for e in proofread._homophones(text, None)] == [(0, "既")]
    checker = lmcheck.LMChecker(_lm(), confusion.load(None), {}, {}, {}, lmcheck.LMMargins())
    monkeypatch.setattr(lmcheck, "load_checker", lambda home: checker if home else None)
    assert proofread._homophones(text, tmp_path) == []


def test_fuzzy_pinyin_and_shapes() -> None:
    assert confusion._fuzzy("zhi") == {"zi"} and confusion._fuzzy("ling") == {"lin", "ning"}
    assert confusion._fuzzy("an") == {"ang"} and "已" in confusion.shape_alikes()["己"]


def test_without_a_built_model_the_rules_run_alone(tmp_path: Path) -> None:
    assert lmcheck.load_checker(None) is None and lmcheck.load_checker(tmp_path) is None
    assert [e.replacement for e in rule_edits("我以经到了。", home=tmp_path)] == ["已经"]


def test_build_trains_the_language_model_and_skips_share_alike_text(tmp_path: Path) -> None:
    rows = []
    for i in range(40):
        right = f"第{i}天我们明天再见面"
        wrong = right.replace("再", "在") if i % 2 else right
        edits = [{"offset": right.index("再"), "length": 1, "wrong": "在", "right": "再"}] if i % 2 else []
        rows.append({"text": wrong, "edits": edits, "corrected": right, "has_error": bool(edits), "domain": "t"})
    (tmp_path / proofread_build.CORPUS_FILE).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    extra = tmp_path / "extra.jsonl"
    records = [{"text": s, "license": "MIT"} for s in _SENTENCES] + [{"text": "维基", "license": "CC BY-SA 4.0"}]
    extra.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    manifest = proofread_build.build(tmp_path, tmp_path / "home", [extra], judge=True, long_words=True)
    assert manifest["lm"]["extra_text_licences"] == {"MIT": len(_SENTENCES)}
    assert len(manifest["lm_margins"]) == len(lmcheck.LMMargins._fields)
    assert lmcheck.LMMargins(*manifest["lm_margins"]).long_word == lmcheck.LONG_WORD_MARGIN  # opt-in, asked for
    assert lmcheck.LMMargins(*manifest["lm_margins"]).unkin == lmcheck.UNKIN_MARGIN  # set after the grid
    assert "own_false_alarm_rate" in manifest["lm_validation"]
    # the judge of the swaps the margins leave: too little text here to learn one, so none is saved or used
    assert manifest["lm_judge"]["dev"] is None and not lmaccept.judge_path(tmp_path / "home").exists()
    assert wordlm.path(tmp_path / "home").is_file()
    checker = lmcheck.load_checker(tmp_path / "home")
    assert checker is not None and checker.margins == lmcheck.LMMargins(*manifest["lm_margins"])
    held = len(_SENTENCES) // proofread_lm.HOLD_OUT_EVERY  # every 20th permissive record measures false alarms
    assert manifest["lm"]["held_out_clean"] == held
    assert manifest["lm"]["training_sentences"] == manifest["sizes"]["build"] + len(_SENTENCES) - held


def test_margin_grid_is_ordered_and_budget_is_the_projects() -> None:
    assert all(m.sound >= m.trusted for m in proofread_lm.GRID)
    assert proofread_lm.MAX_OWN_FALSE_ALARMS <= 0.02


def test_learner_set_is_well_formed_and_split_in_halves() -> None:
    cases = load(LEARNER)
    wrong, clean = [c for c in cases if c.gold], [c for c in cases if not c.gold]
    assert len(wrong) >= 150 and len(clean) >= 100
    assert len({c.text for c in cases}) == len(cases)
    assert all(c.text[p] != r for c in wrong for p, r in c.gold)  # every label changes something
    dev, test = halves(cases)
    assert abs(len(dev) - len(test)) <= 8 and not {c.text for c in dev} & {c.text for c in test}


def test_everyday_dev_set_puts_one_typo_in_each_sentence_and_records_the_right_character() -> None:
    texts = ["我们明天再见面吧。", "他在学校门口等你。", "，。", "今天天气很好，我们去公园散步。"]
    typed = proofread_synth.with_typos(texts)
    assert typed == proofread_synth.with_typos(texts)  # seeded: the same set every build
    assert 1 <= len(typed) <= 3
    for text, gold in typed:
        ((at, right),) = gold
        original = next(t for t in texts if len(t) == len(text) and t[:at] + t[at + 1 :] == text[:at] + text[at + 1 :])
        assert original[at] == right != text[at] and text[at] not in confusion.EXCLUDED


def test_margins_are_chosen_on_both_dev_sets_within_the_false_alarm_budget() -> None:
    checker = proofread_lm.checker(_lm(), confusion.load(None))
    validation = [("我们明天在见面吧。", {(4, "再")}), ("妈妈在厨房里做饭。", set())]
    everyday = [("你先回去，我们明天在见。", {(9, "再")}, set[tuple[int, str]]())]
    margins, scores = proofread_lm.choose_margins(checker, validation, ["他在学校门口等你。"], [set(), set()], everyday)
    assert margins in proofread_lm.GRID and scores["own_false_alarm_rate"] <= proofread_lm.MAX_OWN_FALSE_ALARMS
    assert {"f05", "everyday_f05", "everyday_recall"} <= scores.keys()
    alone, only = proofread_lm.choose_margins(checker, validation, ["他在学校门口等你。"], [set(), set()])
    assert "everyday_f05" not in only and alone in proofread_lm.GRID


def test_the_language_model_reads_the_text_with_the_rules_fixes_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """A swap beside a character a rule fixed is judged in the corrected context (offsets kept: same-length
    fixes only; a punctuation fix that drops a mark is not applied)."""
    seen: list[str] = []
    monkeypatch.setattr(proofread, "_language_model", lambda text, home: seen.append(text) or [])
    assert [e.replacement for e in proofread.rule_edits("我以经到了。。", home=None)] == ["已经", "。"]
    assert seen == ["我已经到了。。"]


def test_a_swap_that_breaks_a_dictionary_word_is_dropped_unless_the_model_is_sure() -> None:
    """口服 → 口胡 breaks a word and builds none: clean text read as an error, at the gains such swaps reach; a
    swap the model is sure of is kept (jieba lists 卖东西, not 买东西); a magnitude after a digit never changes."""
    assert lmguard.breaks_word("可以口服退黄药物", 3, "胡", 10.5)
    assert not lmguard.breaks_word("去超市卖东西", 3, "买", 13.4) and lmguard.breaks_word("去超市卖东西", 3, "买", 9.0)
    assert lmguard.breaks_word("一共5百元", 3, "万", 20.0)


def test_the_head_of_a_complement_is_never_swapped_for_a_word_of_another_class() -> None:
    """我包得不太好看: 包得 is verb + complement, which a 4-gram reads as a broken 不得(不) — dropped at any gain; a
    predicate put for a predicate (泡得快 → 跑得快) is what a typo there looks like, and 得 as a verb (得到) is none."""
    assert lmguard.breaks_word("我包得不太好看", 1, "不", 20.0)
    assert not lmguard.breaks_word("他泡得很快", 1, "跑", 9.0)
    assert not lmguard._breaks_complement("我包得到了", 1, "不")


def test_an_exact_sound_that_clears_its_margin_wins_over_a_near_sound_at_the_same_place() -> None:
    """钢到家: 刚 (same sound, over its margin) over 感 (a near sound with more gain); a look-alike still competes on
    its excess, and a same-sound swap that clears only a lower word margin does not push a near sound aside."""
    margins = lmcheck.LMMargins(8.0, 10.0, 10.0, 10.0, 0.0, makes_word=8.0, restores_word=6.0)
    near, sound = lmcheck.LMFix(1, "钢", "感", "near", 11.4), lmcheck.LMFix(1, "钢", "刚", "sound", 10.4)
    assert lmcheck.select([near, sound], margins) == [sound]
    shape = lmcheck.LMFix(1, "未", "末", "shape", 12.0)
    assert lmcheck.select([shape, lmcheck.LMFix(1, "未", "围", "sound", 10.5)], margins) == [shape]
    word = lmcheck.LMFix(1, "印", "一", "sound", 6.3, makes_word=True, restores_word=True)
    assert lmcheck.select([word, lmcheck.LMFix(1, "印", "影", "near", 16.5)], margins)[0].replacement == "影"


def test_traditional_and_variant_forms_are_never_candidates() -> None:
    wide = confusion.sound_alikes_wide()
    assert "洩" not in wide["泄"] and "於" not in wide["于"] and "泄" in wide["谢"]


def test_both_verbs_of_a_tentative_form_are_left_alone() -> None:
    """躲一躲: the repetition vouches for 躲 (a 4-gram gained 8.5 nats from 度一躲); 一一, 躲一度 are no such form."""
    assert lmcheck._tentative("我们在屋檐下躲一躲。") == frozenset({6, 8})
    assert lmcheck._tentative("一一对应，躲一度") == frozenset()
    sound = {"笑": frozenset("校"), "校": frozenset("笑")}
    checker = lmcheck.LMChecker(_lm(), confusion.load(None), sound, {}, {}, lmcheck.LMMargins(0.0, 0.0, 0.0, 0.0))
    assert all(f.start not in {3, 5} for f in lmcheck.find("他在学笑一笑门口等你。", checker))


def test_a_known_mix_up_of_the_exact_syllable_that_restores_a_word_takes_its_own_margin() -> None:
    """炼习 → 练习: 炼/练 are a known mix-up (the seed) of one syllable with its tone (lian4), and the swap puts a
    dictionary word back; 即然 → 既然 is a known mix-up too, but ji2 is not ji4, so it keeps its class's margin."""
    assert confusion.same_syllable("炼", "练") and not confusion.same_syllable("即", "既")
    assert not confusion.same_syllable("买", "卖")
    lm = ngramlm.train([*_SENTENCES, "我每天练习写字。", "既然来了，就练习一下。"] * 3, [("练习", 5.0), ("既然", 5.0)])
    margins = lmcheck.LMMargins(99.0, 99.0, 99.0, 99.0, 0.0, makes_word=99.0, restores_word=99.0, exact_word=1.0)
    checker = lmcheck.LMChecker(lm, confusion.load(None), {}, {}, {}, margins)
    text = "我每天炼习写字。"
    [swap] = [f for f in lmcheck.candidates(text, checker) if f.replacement == "练"]
    assert swap.kind == "trusted" and swap.exact_word and swap.gain > 1.0
    assert [(f.start, f.replacement) for f in lmcheck.find(text, checker)] == [(3, "练")]
    assert lmcheck.find(text, dataclasses.replace(checker, margins=margins._replace(exact_word=99.0))) == []
    [other] = [f for f in lmcheck.candidates("即然来了。", checker) if f.replacement == "既"]
    assert other.kind == "trusted" and not other.exact_word
