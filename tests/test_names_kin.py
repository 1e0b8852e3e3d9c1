"""A name before a kinship term (:mod:`lingxi.privacy.names_kin`), and a second reading after the lexicon rules
out the first (:func:`lingxi.privacy.names_lexicon.settled`).

Runs on the seed (no names resource built); sentences written for these tests, not taken from any benchmark set.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from lingxi.privacy import names as names_module
from lingxi.privacy.names import find_names
from lingxi.privacy.names_kin import kin_named
from lingxi.privacy.names_model import NameModel
from test_names import names


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("春生叔把牛牵回来了", ["春生"]),  # a given name alone, no surname to anchor it
        ("谢谢萱萱妈妈带的水果", ["萱萱"]),  # after 谢谢: not 谢萱萱 (谢谢 rules that reading out)
        ("跟晓峰哥说一声，我晚点到", ["晓峰"]),
        ("明明爸爸来开家长会了", ["明明"]),  # a doubled given-name character, whatever the dictionary's tag (明明 d)
    ],
)
def test_a_name_before_a_kinship_term(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


@pytest.mark.parametrize(
    "text",
    [
        "邻居阿姨送了一袋橘子",  # a role
        "上海阿姨说话很快",  # a place
        "清洁阿姨每天早上来",  # a verb or adjective
        "明天姐姐来接你",  # a time word
        "东北大哥都很热情",  # 大哥: a modifier fits before it as well as a name
        "我们哥们几个周末聚一下",  # 哥们 goes on past the term
        "警察叔叔好",  # characters no given name has
    ],
)
def test_words_before_a_kinship_term_are_left_alone(seed: NameModel, text: str) -> None:
    assert names(text, seed) == []
    assert kin_named(text, seed, 2.0) == []


def test_the_kinship_pass_is_what_finds_them(seed: NameModel) -> None:
    off = replace(seed, kin_names=False)
    assert names("春生叔把牛牵回来了", off) == []


def test_a_reading_the_lexicon_rules_out_leaves_room_for_the_next(
    seed: NameModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "谢谢萱萱妈妈带的水果"  # 谢萱萱 scores higher, then 谢谢 rules it out
    assert find_names(text, seed) == [(2, 4)]
    monkeypatch.setattr(names_module, "settled", lambda text, scored, model, accept: accept(scored))
    assert find_names(text, seed) == []
