"""The language model's lower margin for a swap that completes a long dictionary word, without /work/shared.

The model is trained here on a few sentences written for this test; jieba's bundled dictionary supplies the words.
"""

from __future__ import annotations

import dataclasses

from lingxi.features import confusion, lmcheck, longword, ngramlm

_SENTENCES = [
    "物价涨得比工资快，通货膨胀谁顶得住。",
    "通货膨胀让大家的钱不值钱了。",
    "我们明天再见面吧。",
    "他在学校门口等你。",
] * 3


def _checker(
    margins: lmcheck.LMMargins, sound: dict[str, frozenset[str]], near: dict[str, frozenset[str]]
) -> lmcheck.LMChecker:
    lm = ngramlm.train(_SENTENCES, [("通货膨胀", 5.0)])
    return lmcheck.LMChecker(lm, confusion.load(None), sound, near, {}, margins)


def test_a_swap_completes_a_long_word_only_when_it_is_longer_than_the_one_written() -> None:
    """通货膨涨 → 胀 makes 通货膨胀 where only 膨涨 (two characters) covered 涨; 身体健康 → 建 makes no long word."""
    text = "通货膨涨谁顶得住"
    assert longword.completes(text, 3, "胀", 0, len(text))
    assert not longword.completes(text, 3, "账", 0, len(text))
    assert not longword.completes("为了身体健康", 4, "建", 0, 6)
    # the run bounds the word: with the run cut before 通, no four-character word fits
    assert not longword.completes(text, 3, "胀", 1, len(text))


def test_a_same_sound_swap_counts_only_by_the_characters_usual_reading() -> None:
    """性/兴 are both xing; 食 reads yi only in rare names, so 食 → 医 is no input-method typo; 怕/拍 differ."""
    assert lmcheck._exact_sound("性", "兴", 1)
    assert not lmcheck._exact_sound("食", "医", 1)
    assert not lmcheck._exact_sound("怕", "拍", 1)
    assert lmcheck._exact_sound("食", "医", 0) and lmcheck._exact_sound("住", "往", 3)  # a known mix-up, a look-alike
    assert not lmcheck._exact_sound("涨", "胀", 2)  # a near sound is a wide net


def test_a_swap_that_completes_a_long_word_takes_its_own_margin() -> None:
    """通货膨涨 → 通货膨胀 clears the long-word margin where every other margin is out of reach; offered as a near
    sound, the same swap keeps its class's margin."""
    table = {"涨": frozenset("胀"), "胀": frozenset("涨")}
    margins = lmcheck.LMMargins(99.0, 99.0, 99.0, 99.0, 0.0, 99.0, 99.0, 99.0, long_word=1.0)
    checker = _checker(margins, table, {})
    text = "大家都说通货膨涨谁顶得住。"
    [swap] = [f for f in lmcheck.candidates(text, checker) if f.replacement == "胀"]
    assert swap.kind == "sound" and swap.long_word and swap.gain > 1.0 and swap.word_gain >= lmcheck.LONG_WORD_GAIN
    assert [(f.start, f.replacement) for f in lmcheck.find(text, checker)] == [(7, "胀")]
    assert lmcheck.find(text, dataclasses.replace(checker, margins=margins._replace(long_word=99.0))) == []
    near = _checker(margins, {}, table)
    [wide] = [f for f in lmcheck.candidates(text, near) if f.replacement == "胀"]
    assert wide.kind == "near" and not wide.long_word
    assert lmcheck.find(text, near) == []


def test_the_long_word_margin_is_opt_in() -> None:
    """Off by default (it alarmed one more clean ECSpell test sentence, wave 15); a manifest written before it
    existed (eight margins) reads as off too, and ``build --long-words`` records :data:`lmcheck.LONG_WORD_MARGIN`."""
    assert lmcheck.LMMargins().long_word >= 99.0
    assert lmcheck.LMMargins(10.0, 10.0, 10.0, 10.0, 0.0, 8.0, 6.0, 5.0).long_word >= 99.0
    assert lmcheck.LMMargins().exact_word > lmcheck.LONG_WORD_MARGIN
