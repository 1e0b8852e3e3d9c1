"""The whole-text gates of the name scorer say no only where the check they guard would find nothing.

Why: the wave-9 speed work put one search per text in front of checks that used to look at every position
or candidate (a table's person cell, brand pairs, list separators). A gate that says no where the check
would have said yes silently drops a name, so each gate is compared here with the check as it was written
before, on texts made to sit on the gates' edges (a cell at the text's start, after a tab, a pipe or a
newline; a brand at the start, the end, overlapping a candidate). benchmarks/check_pii_same.py compares
whole results on ~10k texts; these pin the edges.
"""

from __future__ import annotations

import pytest

from lingxi.privacy import names_seed
from lingxi.privacy.names_cues import _BRAND_PAIRS, grow, in_brand
from lingxi.privacy.names_lists import _PERSON_CELL, _SEP_CELL

CELL_TEXTS = [
    "男 张伟 32岁",
    "女",
    "张伟\t女\t32岁",
    "1 韩梅 女 32岁\n2 李雷 男 30岁",
    "韩梅|女|13812345678",
    "韩梅\n女 其他",  # a cell after a newline alone is no cell (the lookbehind wants a separator)
    "韩梅男 32岁的人",
    "编号 0571-88886666 座机",
    "张伟 13812345678",
    "张伟 1381234567",
    "年龄：32岁",
    " 32岁",
    "",
]


@pytest.mark.parametrize("text", CELL_TEXTS)
def test_person_cell_gate_agrees_with_the_cell_pattern(text: str) -> None:
    gate = _PERSON_CELL.match(text) is not None or _SEP_CELL.search(text) is not None
    assert gate == (_PERSON_CELL.search(text) is not None)


def _in_brand_before(text: str, s: int, e: int) -> bool:
    """in_brand as written before its pair search (wave 8)."""
    for a in range(max(0, s - 3), s + 1):
        if text[a : a + 2] in _BRAND_PAIRS:
            for b in range(max(a + 2, e), a + 5):
                if text[a:b] in names_seed.BRANDS:
                    return not (a == s and b == e and text[e : e + 1] in frozenset("说讲让叫问先女总老"))
    return False


BRAND_TEXTS = [
    "周大福",
    "我去周大福买了金子",
    "李宁说",
    "李宁的新款",
    "王老吉凉茶",
    "去吃周黑鸭吧周",
    "周生生和周大福",
    "张伟",
]


@pytest.mark.parametrize("text", BRAND_TEXTS)
def test_brand_gate_agrees_with_the_pair_loop(text: str) -> None:
    for s in range(len(text)):
        for e in range(s + 1, min(len(text), s + 4) + 1):
            assert in_brand(text, s, e) == _in_brand_before(text, s, e), (text, s, e)


def test_grow_without_a_separator_keeps_what_was_accepted() -> None:
    text = "张伟王芳李娜今天来"
    assert grow(text, [(2, 4), (0, 2)], [(1.5, 4, 6)]) == [(0, 2), (2, 4)]
    # with a separator the candidate beside an accepted name joins it (the gate must not hide this)
    assert grow("张伟、李娜今天来", [(0, 2)], [(1.5, 3, 5)]) == [(0, 2), (3, 5)]
