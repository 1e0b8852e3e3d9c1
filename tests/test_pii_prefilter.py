"""The one-character-class prefilter in front of the recognizers' gates changes speed, never results.

``find_pii`` skips every gate when a text has none of the characters the gates declare (``firsts``). Each
test compares against the same recognizers planned without a prefilter: one extra recognizer with no gate
(which can never match) makes the plan search every gate, as before the prefilter existed.
"""

from __future__ import annotations

import dataclasses
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pii_cases
import pii_structured_set
from lingxi.context.sample import sample_events
from lingxi.privacy import pii, pii_table
from lingxi.privacy.names_model import seed_model
from lingxi.privacy.pii_table import RECOGNIZERS
from lingxi.privacy.pii_types import Keywords, Recognizer, RegexGate

_NEVER = Recognizer("测试", re.compile(r"(?!)"), 1)  # no gate, so no prefilter; matches nothing
UNFILTERED = (*RECOGNIZERS, _NEVER)
MODEL = seed_model()


def spans(text: str, recognizers: tuple[Recognizer, ...]) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s.type, s.text) for s in pii.find_pii(text, recognizers=recognizers, names=MODEL)]


def test_the_builtin_plan_has_a_prefilter_and_a_gate_without_firsts_turns_it_off() -> None:
    assert pii._plan(RECOGNIZERS)[0] is not None
    assert pii._plan(UNFILTERED)[0] is None


def test_gates_declare_the_characters_every_match_contains() -> None:
    assert Keywords(["扣扣", "Q", "@"]).firsts == frozenset("扣Q@")
    gate = RegexGate(r"[0-9]{4}", "0123456789")
    assert gate.search("尾号1234") and not gate.search("三点开会")


def test_labeled_sentences_and_sample_events_give_identical_spans() -> None:
    texts = [text for text, _ in pii_cases.ALL_CASES] + [text for _, text in pii_cases.HARD_NEGATIVES]
    texts += [text for text, _ in pii_structured_set.ALL_CASES]
    texts += [text for _, text in pii_structured_set.HARD_NEGATIVES]
    texts += [e.search_text() for e in sample_events()]
    skipped = 0
    for text in texts:
        assert spans(text, RECOGNIZERS) == spans(text, UNFILTERED), text
        skipped += pii._plan(RECOGNIZERS)[0].search(text) is None  # type: ignore[union-attr]
    assert skipped  # the prefilter does skip some of them, so this compares both paths


# Pieces that make every gate fire (digits, letters, 省市区, the app and document words) and pieces of plain
# Chinese that make none fire, glued in any order.
_GATE_PIECES = ["13912345678", "1234", "浙A", "Q", "扣扣", "支付宝", "@", "护照", "微信", "杭州市西湖区文三路", "8号"]
_PLAIN_PIECES = ["王芳", "你好", "明天", "，", "收件人", "地址", "号码", "的", "张", "小李", " ", "5室"]
_PIECES = st.sampled_from(_GATE_PIECES + _PLAIN_PIECES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=8))
def test_any_mix_of_gate_words_and_plain_text_gives_identical_spans(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert spans(text, RECOGNIZERS) == spans(text, UNFILTERED)


# Address-like text: place characters, part endings, digits, separators and stop characters in any order.
_ADDRESS_PIECES = st.sampled_from(
    [
        *("杭州", "市", "西湖", "区", "文三", "路", "188", "号", "晓风", "小区", "3", "幢", "1201", "室", "自治区"),
        *(
            "胡同",
            "街道",
            "新城",
            "广场",
            "5",
            "单元",
            "A",
            "座",
            " ",
            "，",
            "的",
            "在",
            "寄到",
            "影院",
            "16:20",
            "北段",
        ),
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ADDRESS_PIECES, max_size=12))
def test_the_address_lookahead_keeps_every_non_empty_match(pieces: list[str]) -> None:
    text = "".join(pieces)
    plain = re.compile(pii_table.ADDRESS_BODY)
    want = [(m.span(), m.groupdict()) for m in plain.finditer(text) if m.end() > m.start()]
    got = [(m.span(), m.groupdict()) for m in pii_table._ADDRESS.finditer(text) if m.end() > m.start()]
    assert got == want


# The ten-digit gate and the suppressors' first-character lookahead: same spans as the old four-digit gate and
# the plain alternation, on the labeled sets and on digit runs with every separator the patterns accept.
_OLD_DIGITS = RegexGate(r"[0-9]{4}", "0123456789")
FOUR_DIGIT_GATE = tuple(
    dataclasses.replace(r, gate=_OLD_DIGITS) if r.gate is not None and r.gate.search("1234567890") else r
    for r in RECOGNIZERS
)
_PLAIN_SUPPRESS = re.compile(pii_table.SUPPRESS.pattern.split(")(?:", 1)[1][:-1])


def test_the_digit_gate_changes_no_span_on_the_labeled_sets() -> None:
    texts = [text for text, _ in pii_cases.ALL_CASES + pii_structured_set.ALL_CASES]
    texts += [text for _, text in pii_cases.HARD_NEGATIVES + pii_structured_set.HARD_NEGATIVES]
    texts += [e.search_text() for e in sample_events()]
    assert sum(1 for r in FOUR_DIGIT_GATE if r.gate is _OLD_DIGITS) == 6  # the six digit-based recognizers
    for text in texts:
        assert spans(text, RECOGNIZERS) == spans(text, FOUR_DIGIT_GATE), text
        assert [m.span() for m in pii_table.SUPPRESS.finditer(text)] == [
            m.span() for m in _PLAIN_SUPPRESS.finditer(text)
        ], text


_DIGIT_PIECES = st.sampled_from(
    ["1", "3", "8", "0", "4", "9", "2", "X", " ", "-", ".", ")", "）", "(", "（", "号", "转"]
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_DIGIT_PIECES, max_size=26))
def test_every_digit_recognizer_match_passes_the_digit_gate(pieces: list[str]) -> None:
    text = "".join(pieces)
    digit_based = [r for r in FOUR_DIGIT_GATE if r.gate is _OLD_DIGITS]
    if any(m.end() > m.start() for r in digit_based for m in r.pattern.finditer(text)):
        assert pii_table._DIGITS.search(text), text
    assert [m.span() for m in pii_table.SUPPRESS.finditer(text)] == [m.span() for m in _PLAIN_SUPPRESS.finditer(text)]


# The Keywords gates are searched in one merged Aho-Corasick scan (pii._plan); a subclass of Keywords is
# searched on its own, as every gate was before, so the same gates as subclasses give the old path.
class _OwnScan(Keywords):
    pass


_OWN = {r.gate: _OwnScan(r.gate.words) for r in RECOGNIZERS if type(r.gate) is Keywords}
SEPARATE = tuple(dataclasses.replace(r, gate=_OWN.get(r.gate, r.gate)) for r in RECOGNIZERS)


def test_the_merged_keyword_scan_gives_the_spans_of_one_scan_per_gate() -> None:
    assert pii._plan(RECOGNIZERS)[1] is not None and pii._plan(SEPARATE)[1] is None
    texts = [text for text, _ in pii_cases.ALL_CASES] + [text for _, text in pii_cases.HARD_NEGATIVES]
    texts += [text for text, _ in pii_structured_set.ALL_CASES]
    texts += [text for _, text in pii_structured_set.HARD_NEGATIVES]
    for text in texts:
        assert spans(text, RECOGNIZERS) == spans(text, SEPARATE), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*_GATE_PIECES, *_PLAIN_PIECES, "QQ", "qq号", "wx", "护照号", "通行证"]), max_size=8))
def test_any_mix_of_keywords_gives_the_spans_of_one_scan_per_gate(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert spans(text, RECOGNIZERS) == spans(text, SEPARATE)


# The address gate as first written (two branches, each opening with its own class); the table's opens with one
# class so the engine can skip to it. Whether a text passes must not change.
_ADDRESS_GATE_AS_WRITTEN = re.compile(
    r"[0-9](?:号|弄|栋|幢|座|单元|室|房)" r"|[省市区县镇乡][^，。！？\s]{0,12}?(?:路|街|巷|弄|胡同)"
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ADDRESS_PIECES, max_size=12))
def test_the_address_gate_passes_the_texts_it_passed_as_written(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert bool(pii_table._ADDRESS_GATE.search(text)) == bool(_ADDRESS_GATE_AS_WRITTEN.search(text))
