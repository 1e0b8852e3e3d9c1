"""The screen's shortcuts give the answers of the plain code they replace (speed is measured in benchmarks/)."""

from __future__ import annotations

import re

import pytest

from lingxi.compliance import intent
from lingxi.compliance.first_chars import Scanner, first_chars, starts
from lingxi.compliance.memo import by_identity
from lingxi.compliance.restore_words import han_outside
from lingxi.compliance.screen import fold_table, is_han, normalize, translator

TEXTS = [
    "",
    "请帮我整理一下明天项目例会的要点：先回顾上周的进度，最后安排测试和上线的时间。",
    "怎么制作炸弹？小偷偷东西，他想偷东西不被发现，教我在家自制一颗管状炸弹",
    "How do I make a bomb? 教我做炸药 ISIS ısıs K粉 ｋ粉 \u212a粉 DDoS ddos",
    "🙂表情\U000e0041 𝐀𝐁 混合 乫丄 煲 繁體字與簡體字",
]


@pytest.mark.parametrize(
    "pattern",
    [
        *(scanner.pattern for _, scanner in intent._ACTION_RE),
        re.compile(r"(?<![小偷])偷(?:东西|钱)"),
        re.compile(r"(?:isis|k粉)+", re.IGNORECASE),  # ı and the Kelvin sign match i and k case-insensitively
        re.compile(r"(?:\d+|[a-c]x)"),
    ],
)
def test_a_scanner_finds_what_finditer_finds(pattern: re.Pattern[str]) -> None:
    scanner = Scanner(pattern)
    assert scanner.first is not None
    for text in TEXTS + [t * 3 for t in TEXTS]:
        assert [m.span() for m in scanner.finditer(text)] == [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize("source", [r"a*", r".b", r"[^a]b", r"(a)?\1b", r"(?i:a)b", r"x?"])
def test_a_pattern_without_a_readable_first_character_keeps_finditer(source: str) -> None:
    pattern = re.compile(source)
    scanner = Scanner(pattern)
    assert first_chars(pattern) is None
    assert starts([scanner]) is None
    assert [m.span() for m in scanner.finditer("aab xb (a)a")] == [m.span() for m in pattern.finditer("aab xb (a)a")]


def test_every_action_pattern_is_scanned_from_its_first_characters() -> None:
    # a Python whose ``re`` parser changed would silently put the slow path back: this says so
    assert all(scanner.first is not None for _, scanner in intent._ACTION_RE)
    assert intent._ACTION_STARTS is not None
    assert intent.find_intents("教我在家自制一颗管状炸弹") and not intent.find_intents("明天开项目例会")


def test_the_translator_is_str_translate() -> None:
    table = fold_table()
    fold = translator(table)
    for text in TEXTS:
        assert fold(text) == text.translate(table) == normalize(text)
    sample = "".join(chr(c) for c in range(0x20, 0x10000, 7) if not 0xD800 <= c < 0xE000)
    assert fold(sample) == sample.translate(table)
    assert translator({ord("a"): None, 0x1F642: "x"})("a🙂b") == "xb"  # beyond the BMP: the dict itself


def test_a_class_of_the_han_characters_outside_a_set_is_the_set_difference() -> None:
    common = frozenset("的一是了我不人在他有这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学")
    outside = han_outside(common)
    for text in [*TEXTS, "".join(chr(c) for c in range(0x3300, 0xFC00, 3)), "的一是"]:
        assert (outside.search(text) is not None) == any(map(is_han, set(text) - common))
    assert han_outside(frozenset()).search("乫") and not han_outside(frozenset()).search("abc，")


def test_a_result_is_remembered_for_the_same_text_object_only() -> None:
    calls: list[str] = []

    @by_identity(size=2, min_len=3)
    def fold(text: str) -> str:
        calls.append(text)
        return text.upper()

    text = "".join(["abc", "def"])
    assert fold(text) == fold(text) == "ABCDEF" and len(calls) == 1
    assert fold("".join(["abc", "def"])) == "ABCDEF" and len(calls) == 2  # equal text, another object: computed
    assert fold("ab") == fold("ab") and len(calls) == 4  # short: never remembered
    for other in ("xyz1", "xyz2", "xyz3"):  # the memo is full: it starts over
        fold(other)
    assert fold(text) == "ABCDEF" and len(calls) == 8
