"""Name readings the lexicon and grammar around them contradict (:mod:`lingxi.privacy.names_lexicon`), and the
compound-noun head of :mod:`lingxi.privacy.names_context` that stays a name only before a non-noun.

Runs on the seed (no names resource built); sentences written for these tests, not taken from any benchmark set:
each check has a case it rules out and a neighbouring case it must leave alone.
"""

from __future__ import annotations

import pytest

from lingxi.privacy.names_context import review
from lingxi.privacy.names_lexicon import filtered, noun_char
from lingxi.privacy.names_model import NameModel


@pytest.mark.parametrize(
    ("text", "spans", "want"),
    [
        # a place or organisation suffix after a surname and one character; not a suffix that starts a word
        ("宁远县今年降雨偏多", [(0, 2)], []),
        ("郑凯集团上半年营收增长", [(0, 2)], []),
        ("叶晨市场部的周报发了", [(0, 2)], [(0, 2)]),  # 市场 is a word: 市 is no suffix here
        ("孔亮县长下午到村里", [(0, 2)], [(0, 2)]),  # 县长 is a title
        # brand and clan forms: surname + 记 (a shop), surname + 氏 alone
        ("楼下新开的陈记肠粉很好吃", [(5, 8)], []),
        ("孙氏宗祠去年翻修过", [(0, 2)], []),
        ("阮氏香明天到河内", [(0, 3)], [(0, 3)]),  # 氏 in a three-character name is a Vietnamese given name
        # a conjunction read as a surname before a title or 老; not 和 at a clause's start
        ("主任和会计今天都请假", [(2, 3)], []),
        ("和老师说一声再走", [(0, 1)], [(0, 1)]),
        # a surname and a title that are one title
        ("保洁阿姨每天七点来", [(2, 3)], []),
        # a time word before a clock time; not before anything else
        ("傍晚六点在门口集合", [(0, 2)], []),
        # a classifier of things or animals before the span that heads the phrase; not before its head
        ("河边飞来一只白鹤", [(6, 8)], []),
        ("这章老师让我们抄三遍", [(1, 2)], []),
        ("那位白鹤老师教书法", [(2, 4)], [(2, 4)]),  # 位 counts people
        ("一首罗大佑的老歌", [(2, 5)], [(2, 5)]),  # the name modifies 歌, the phrase's head
        # financial numerals
        ("伍佰元整的收据丢了", [(0, 3)], []),
        # a surname that closes a common word with the character before it; not after a role or 小
        ("新任局长卢卫今天到岗", [(1, 2), (4, 6)], [(4, 6)]),
        ("收件人马丽娟已签收", [(3, 6)], [(3, 6)]),
        ("你找小马哥吧", [(3, 4)], [(3, 4)]),
    ],
)
def test_readings_the_words_around_contradict(
    seed: NameModel, text: str, spans: list[tuple[int, int]], want: list[tuple[int, int]]
) -> None:
    assert filtered(text, spans, seed) == want


@pytest.mark.parametrize(
    ("text", "spans", "want"),
    [
        ("我跟郑浩留一下电话", [(2, 5)], [(2, 4)]),  # 留 takes 一下: a verb, not a given name
        ("昨天和魏欣约了吃饭", [(3, 6)], [(3, 5)]),
        ("我已经通知张小明了", [(5, 8)], [(5, 8)]),  # 明了 is a word: 明 stays in the name
        ("快递员周建国来了", [(3, 6)], [(3, 6)]),  # 国 is a given-name character, not a verb
    ],
)
def test_a_verb_swallowed_by_a_name_is_given_back(
    seed: NameModel, text: str, spans: list[tuple[int, int]], want: list[tuple[int, int]]
) -> None:
    assert filtered(text, spans, seed) == want


def test_a_compound_nouns_head_stays_a_name_only_before_a_non_noun(seed: NameModel) -> None:
    assert noun_char("汁") and noun_char("酒") and not noun_char("称")
    assert review("杨梅酒泡了半年", [(0, 3)], seed) == []  # 杨梅 + 酒: a thing, although 杨梅 is tagged nr
    assert review("苏轼称赞过这座桥", [(0, 3)], seed) == [(0, 2)]  # 称 is a verb: 苏轼 stays


def test_nothing_to_filter(seed: NameModel) -> None:
    assert filtered("今天下雨", [], seed) == []
