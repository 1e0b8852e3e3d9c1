"""The opt-in recall passes (``names build --recall-passes``): parallel roster clauses
(:mod:`lingxi.privacy.names_parallel`), vocatives and a naming 叫 (:mod:`lingxi.privacy.names_address`), interpunct
names of the wider transliteration table (:mod:`lingxi.privacy.names_forms`), rare surnames before clear given
characters (:mod:`lingxi.privacy.names_rare`).

Runs on the seed (no names resource built); sentences written for these tests, not taken from any benchmark set.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from lingxi.privacy.names_model import NameModel
from lingxi.privacy.names_parallel import _parallel
from test_names import names


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a relay order: the clear names make the frame, its first slot is a word-like name
        ("接力第一棒韩冬，第二棒周晓梅，最后一棒吴昊天。", ["韩冬", "周晓梅", "吴昊天"]),
        ("钱多多，你的快递到了。", ["钱多多"]),  # a vocative: a clause spoken to the person follows
        ("我表哥也叫成龙。", ["成龙"]),  # naming 叫 after a noun for a person
        ("约瑟夫·洛克移居檀香山。", ["约瑟夫·洛克"]),  # 夫 of the wider table, only beside a dot
        ("列夫·托尔斯泰写了很多书。", ["列夫·托尔斯泰"]),
    ],
)
def test_recall_passes_find_names_without_a_score(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, replace(seed, recall_passes=True)) == want
    assert names(text, seed) != want  # opt-in: the default path does not find them all


@pytest.mark.parametrize(
    "text",
    [
        "谢谢，你帮了大忙。",  # an interjection or verdict in the vocative slot
        "真好，你终于来了。",
        "那好，你先走吧。",
        "哇呜，你太厉害了",
        "宝贝，你吃饭了吗？",  # a term of address, no name
        "我家狗叫旺财。",  # a naming 叫 after no person: a pet, a dish, a question
        "这道菜叫宫保鸡丁。",
        "他叫什么？",
        "我说你好，我想回家。",  # a sentence frame, no roster
        "中国·杭州",  # a heading with a dot
    ],
)
def test_recall_passes_leave_ordinary_text_alone(seed: NameModel, text: str) -> None:
    assert names(text, replace(seed, recall_passes=True)) == names(text, seed) == []


def test_a_false_anchor_does_not_spread_over_a_sentence_frame(seed: NameModel) -> None:
    text = "这是臭椿，有怪味的是石楠。"  # 石楠 (a shrub) reads as a name; 是 ends a sentence's frame, not a lead
    assert names(text, replace(seed, recall_passes=True)) == names(text, seed)


def test_a_rare_surname_needs_clear_given_characters_and_a_word_that_takes_a_person(seed: NameModel) -> None:
    model = replace(seed, rare={**seed.rare, "糜": -7.0, "真": -7.0})  # as a build ranks them: rare
    on = replace(model, recall_passes=True)
    assert names("我和糜晓岚约了周六爬山", on) == ["糜晓岚"]  # 和 takes a person; 晓 and 岚 are name characters
    assert names("我和糜晓岚约了周六爬山", model) == []  # opt-in
    assert names("周末糜晓岚来吗", on) == []  # no word that takes a person before it
    assert names("她说我媳妇真贤惠啊", on) == []  # an adverb that is also a rare surname, before no name characters


@pytest.mark.parametrize(
    ("a", "b", "want"),
    [
        ("第二棒", "最后一棒", True),  # the same last character
        ("周一", "周五", True),  # as long, all but the last the same
        ("交接人：", "接收人：", True),
        ("交接人：", "接收人", False),  # one is a label, the other not
        ("这是", "有怪味的是", False),  # a verb ends both
        ("我说", "我想", False),
        ("第二棒", "今天", False),
    ],
)
def test_leads_of_one_frame(seed: NameModel, a: str, b: str, want: bool) -> None:
    assert _parallel(a, b, seed) is want
