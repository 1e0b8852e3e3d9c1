"""Given names standing alone at a sentence's start (:mod:`lingxi.privacy.names_given`) and compound
surnames the resource under-counts.

Runs on the seed (no names resource built); sentences written for these tests, not taken from any
benchmark set.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from lingxi.privacy.names_bare import bare_surnames
from lingxi.privacy.names_given import given_only
from lingxi.privacy.names_model import NameModel
from test_names import names


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("婷婷，周六的补习班别忘了", ["婷婷"]),
        ("欣欣你把药吃了没", ["欣欣"]),
        ("小芳，记得回个消息", ["小芳"]),
        ("阿强说他晚点过来", ["阿强"]),
        ("晓燕的作业我放桌上了", ["晓燕"]),
        ("哥，婉婷到了吗", ["婉婷"]),  # after a family member called first
    ],
)
def test_given_name_alone_at_the_start(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


@pytest.mark.parametrize(
    "text",
    [
        "今天，我们去公园",
        "其实你说得对",
        "恩恩，找个便宜点的酒店",
        "妈，今天说好的事别忘了",
        "刚刚说的事别忘了",
        "小心地滑",
        "明天的会议取消了",
        "大家好，我是新来的",
    ],
)
def test_ordinary_words_at_a_sentence_start_are_not_given_names(seed: NameModel, text: str) -> None:
    assert given_only(text, seed) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("梓涵奶奶明天来接她", ["梓涵"]),  # a kinship term after: the person's relative
        ("俊杰他爸打电话来了", ["俊杰"]),
        ("婷婷妹妹家附近有个公园", ["婷婷"]),
        ("雨涵昨晚发烧了", ["雨涵"]),  # a time word after the subject
        ("哎雨桐你到哪了", ["雨桐"]),  # after an interjection
        ("雨涵发烧住院了", ["雨涵"]),  # no cue, but two strong given characters before a verb
        ("客服丽娜，很高兴为您服务", ["丽娜"]),  # right after a role, mid-text
        ("我和雨桐在门口等你", ["雨桐"]),  # after a person-taking word: any of a person's words after counts
        ("我妈说雨涵小时候很乖", ["雨涵"]),
    ],
)
def test_given_name_with_weaker_cues(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


@pytest.mark.parametrize(
    "text",
    [
        "莎莉公司成立于哪一年",  # a noun after, not a verb: a trade name reads the same
        "萌新黑人问号",
        "东芝在哪一年上市",  # 在 alone follows a firm as readily as a person
        "瑞芳工业区在哪",  # 工 is a title after a surname (王工), not after a given name
        "鹤庆县的面积",
        "哎呀今天好热",
        "我和朋友在门口等你",
        "客服说明天到货",
    ],
)
def test_weaker_cues_leave_firms_places_and_words(seed: NameModel, text: str) -> None:
    assert names(text, seed) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("大伟，明天记得带伞", ["大伟"]),  # 大/二 + a character: a familiar name by birth order
        ("二丫，你的快递到了", ["二丫"]),  # 丫 is rare in registered names, common in familiar ones
        ("哎，阿木！等等我", ["阿木"]),
        ("喂，阿勇啊，晚上一起吃饭", ["阿勇"]),  # a calling particle, then a break
    ],
)
def test_familiar_names(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


@pytest.mark.parametrize("text", ["大家，明天记得带伞", "大雪，今天路滑", "二手，九成新"])
def test_familiar_prefixes_before_words(seed: NameModel, text: str) -> None:
    assert names(text, seed) == []


def test_a_given_name_needs_a_cue_after_it(seed: NameModel) -> None:
    assert given_only("志华公司新开了一家店", seed) == []  # a noun after, and nothing a person does


def test_small_plus_surname_stays_a_surname(seed: NameModel) -> None:
    assert given_only("小王，把门关上", seed) == []  # names.py labels 王 in 小王


def test_compound_surname_with_a_person_word(seed: NameModel) -> None:
    assert names("诸葛明今天请假了", seed) == ["诸葛明"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("楼下新开了一家李宁专卖店", []),
        ("冰箱里还剩三瓶王老吉", []),
        ("李宁说他下午到", ["李宁"]),  # a person's cue after a brand-like name: a person after all
        ("谢谢岳教练的指导", ["岳"]),  # 谢谢 is the verb; 岳 with its title is the name
        ("赵晴、孙悦三人明天值班", ["赵晴", "孙悦"]),  # 三人 counts the names, it is not a given character
    ],
)
def test_brands_and_misreadings(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("我刚到家，婉清说她晚点到", ["婉清"]),  # a clause's start, then speech
        ("周末我让雨涵说两句", ["雨涵"]),  # after a verb that takes a person
        ("昨天碰见婉婷的妈妈了", ["婉婷"]),  # ... then the person's relative
    ],
)
def test_given_name_in_a_person_slot_mid_text(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, replace(seed, slots=True)) == want
    assert names(text, seed) == []  # opt-in (names build --person-slots): off by default


@pytest.mark.parametrize(
    "text",
    [
        "我刚到家，婉清在楼下",  # mid-text, only a weak cue after (在 also follows a firm or a place)
        "我到了，婉清啊，你呢",  # mid-text, a calling particle and a comma: no stronger than a comma
        "求求你别说了",  # a doubled verb before 你 (grammatical reduplication, no pet name)
        "哄哄他就好了",
        "恩恩，好的",  # an interjection doubled
    ],
)
def test_weak_slots_and_doubled_words_are_not_given_names(seed: NameModel, text: str) -> None:
    assert given_only(text, replace(seed, slots=True)) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("蒋家的孩子考上了大学", [(0, 1)]),  # surname + 家 + 的: the family
        ("好消息，蒋家那孩子考上了", [(4, 5)]),  # at a clause's start mid-text
        ("欧阳主任在吗", [(0, 2)]),  # a two-character surname before a title
    ],
)
def test_a_surname_alone_before_a_title_or_family(seed: NameModel, text: str, want: list[tuple[int, int]]) -> None:
    assert [(s, e) for _, s, e in bare_surnames(text, seed, 2.0)] == want
    assert names(text, replace(seed, slots=True))[:1] == [text[want[0][0] : want[0][1]]]


@pytest.mark.parametrize("text", ["国家的政策", "全家的照片", "和老师一起去", "我们蒋家的人"])
def test_words_and_function_characters_are_no_bare_surnames(seed: NameModel, text: str) -> None:
    assert bare_surnames(text, seed, 2.0) == []  # 国家, 全家 are words; 和 is the conjunction; not a clause start
