"""Wave-15 (proof2) guards against wrong edits: each names the general cause it removes (see benchmarks/README.md,
"wave 15 (proof2)"). The sentences are written for these tests, not taken from a benchmark set."""

from __future__ import annotations

import pytest

from lingxi.features import dedide, idioms, lmcheck, proofread_lm, whichna, zaizai


def test_an_idiom_jieba_lists_misspelt_is_never_a_target() -> None:
    # jieba lists 记忆忧新 (3) beside 记忆犹新 (104): the fix goes to the right idiom, not the misspelling
    assert idioms.misspelt("记忆忧新") and not idioms.misspelt("记忆犹新") and idioms.misspelt("留恋忘返")
    assert [(f.original, f.replacement) for f in idioms.find("那次旅行至今记忆尤新。")] == [("尤", "犹")]
    # 留恋忘返 (3) differs from 流连忘返 (181) in two same-sound places: only the real typo is fixed
    assert [(f.original, f.replacement) for f in idioms.find("湖边的夜景让人流恋忘返。")] == [("恋", "连")]


@pytest.mark.parametrize(
    "text", ["他们说得对，所以大部分人都同意了。", "老家在深圳不知道吗？", "他以此为优势找了工作。"]
)
def test_a_window_that_straddles_two_words_is_no_idiom(text: str) -> None:
    assert idioms.find(text) == [], text


def test_an_idiom_typo_at_a_window_edge_is_still_fixed() -> None:
    assert [(f.original, f.replacement) for f in idioms.find("祝你早日康付。")] == [("付", "复")]


@pytest.mark.parametrize(
    ("text", "fixed"),
    [("这个西瓜甜的像蜜一样。", "得"), ("他的成绩好的让我吃惊。", "得"), ("枫叶红的像一团火似的。", "得")],
)
def test_a_state_reaching_a_likeness_or_a_person_takes_de2(text: str, fixed: str) -> None:
    assert [f.replacement for f in dedide.find(text)] == [fixed], text


@pytest.mark.parametrize("text", ["跑完五公里，累得满头大汗。", "他开心的让我进去。"])
def test_a_set_phrase_after_a_state_keeps_de2_and_a_manner_keeps_di(text: str) -> None:
    found = dedide.find(text)
    assert all(f.original != "得" for f in found) and all(f.replacement != "得" for f in found), text


def test_hao_zai_opening_a_clause_is_fortunately() -> None:
    assert zaizai.find("雨下得很大，好在我带了伞。") == []
    assert [f.replacement for f in zaizai.find("东西准备好在出发。")] == ["再"]


def test_a_learned_pair_of_no_kin_that_restores_no_word_needs_the_unkin_margin() -> None:
    margins = lmcheck.LMMargins(10.0, 10.0, 10.0, 10.0, 0.0, 8.0)
    antonym = lmcheck.LMFix(5, "大", "小", "trusted", 12.6, -1.7, unkin=True)
    assert lmcheck.select([antonym], margins) == []
    assert lmcheck.select([antonym._replace(gain=lmcheck.UNKIN_MARGIN + 1)], margins) != []
    # a lower word tier still applies, and a kin pair keeps its class margin
    assert lmcheck.select([antonym._replace(makes_word=True)], margins) != []
    assert lmcheck.select([antonym._replace(unkin=False)], margins) != []
    # the build's grid runs with the floor off (0: the class's margin) and sets it after
    assert lmcheck.select([antonym], margins._replace(unkin=0.0)) != []
    assert all(m.unkin == 0.0 for m in proofread_lm.GRID) and lmcheck.LMMargins().unkin == lmcheck.UNKIN_MARGIN


def test_kinship_is_sound_or_shape() -> None:
    checker = lmcheck.LMChecker(
        lm=None,  # type: ignore[arg-type]
        confusions=None,  # type: ignore[arg-type]
        sound={"锅": frozenset("国")},
        near={},
        shape={"未": frozenset("末")},
        margins=lmcheck.LMMargins(),
    )
    assert lmcheck._kin(checker, "锅", "国") and lmcheck._kin(checker, "未", "末")
    assert not lmcheck._kin(checker, "大", "小")


@pytest.mark.parametrize("text", ["她唱歌唱的非常好听。", "他跳舞跳的很好。"])
def test_a_copied_verb_however_jieba_cuts_it_takes_de2(text: str) -> None:
    # jieba cuts 唱歌唱 as 唱 + 歌唱: the copy is found in the characters
    assert [(f.original, f.replacement) for f in dedide.find(text)] == [("的", "得")], text
    assert dedide.find("你说的很对。") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("你那天方便？我请你吃饭。", [1]),
        ("钥匙放那儿了？我找不到。", [3]),
        ("那个人是谁？", []),  # a question word already asks
        ("那你什么时候到？", []),
        ("你那天没去？", []),  # a negation: an echo of what was said
        ("合着那些人就是对的？", []),  # 那些 is rhetorical
        ("我说的关于这件事的那句话和那个例子就是这个意思？", []),  # too long for a plain question
        ("我那天去了公园。", []),  # no question
    ],
)
def test_na_for_na3_in_a_question_with_no_question_word(text: str, found: list[int]) -> None:
    assert [f.start for f in whichna.find(text)] == found, text
    assert all(f.replacement == "哪" for f in whichna.find(text))


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("下周我们在聊这个问题。", ["再"]),
        ("改天早上我在给你打电话。", ["再"]),
        # a past sequence, a place, or no time to come: 在 is right
        ("然后我在想这个问题。", []),
        ("明天我在公司开会。", []),
        ("我在给你打电话。", []),
    ],
)
def test_a_time_to_come_before_the_subject_asks_for_zai_again(text: str, fixed: list[str]) -> None:
    """明天我在跟你确认: the subject between a time to come and 在 + verb does not change what the time asks."""
    assert [f.replacement for f in zaizai.find(text)] == fixed


@pytest.mark.parametrize(
    ("text", "fixed"),
    [("在这样下去可不行。", ["再"]), ("你在这么下去会累坏的。", ["再"]), ("他在这样下去的路上。", [])],
)
def test_zai_zheyang_xiaqu_is_if_it_goes_on(text: str, fixed: list[str]) -> None:
    """再这样下去: 在 + 这样 + 下去 names no place, unless a noun follows."""
    assert [f.replacement for f in zaizai.find(text)] == fixed
