"""Content screening for input and output: the same code screens both.

This module holds the keyword layer: terms from versioned TSV libraries are normalized and compiled into
Aho-Corasick automata (``ahocorasick-rs``, a Rust implementation: ~9× pyahocorasick's scan speed on CJK text
with a 30k-key library, measured here), so a scan is linear in the text whatever the library size.

Why normalization looks the way it does: people dodge filters with full-width letters, case, separators
(``敏*感``, ``敏 感``, ``敏.感``), Traditional characters, pinyin (``zhi du pei fang``) and homophone characters.
All single-character folds (NFKC, lowercase, OpenCC Traditional→Simplified, separator removal) are
precomputed into one ``str.translate`` table, so normalizing is one C-level pass instead of four; terms and
text go through the same function. Pinyin and homophones are matched only for long terms (≥ 3 syllables for
typed pinyin, ≥ 4 Han characters for homophones): two-syllable keys collide with ordinary words (``zhidu`` is
制度 as well as 制毒), and false blocks break the standard's ≤ 5 % wrong-refusal limit.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, Protocol

import opencc
from pypinyin import lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

from lingxi.compliance.memo import by_identity
from lingxi.compliance.taxonomy import RISKS
from lingxi.errors import InvalidInput
from lingxi.text_match import automaton, matches

# Characters inserted between letters to dodge filters; removed before matching. Besides these, every
# character in _FILLER_CATEGORIES is removed (zero-width and other format characters, punctuation, symbols
# and emoji, combining marks), and the filler strokes in FILLER_HAN (丶 between characters is a common dodge).
_SEPARATORS = frozenset(" \t\r\n\u3000\u00a0*＊_-—·.。,，、/\\|~!！@#$%^&+=`'\"“”‘’<>()（）[]【】{}?？:：;；…")
_FILLER_CATEGORIES = frozenset(
    {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "So", "Sk"}
)
FILLER_HAN = "丶丨丿乀亅乚\u115f\u1160\u3164\uffa0"  # filler strokes, and Hangul fillers (blank glyphs)
# Emoji, pictographs, skin tones, tags and variation selectors outside the BMP (the table covers these too).
_ASTRAL_FILLER = ((0x1F000, 0x1FB00), (0xE0000, 0xE0080), (0xE0100, 0xE01F0))
HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_MIN_PINYIN_SYLLABLES = 3
_MIN_PINYIN_LETTERS = 8
_MIN_HOMOPHONE_CHARS = 4
_HOMOPHONE_BASE = 0xF0000  # supplementary private use area: one code point per toneless syllable


def is_han(ch: str) -> bool:
    c = ord(ch)
    return any(lo <= c < hi for lo, hi in HAN_RANGES)


@functools.cache
def fold_table() -> dict[int, str | None]:
    """Every BMP character whose fold differs from itself, mapped to its fold (None deletes a separator)."""
    t2s = opencc.OpenCC("t2s")
    han = [chr(c) for lo, hi in HAN_RANGES for c in range(lo, hi)]
    simplified = t2s.convert("\n".join(han)).split("\n")
    table: dict[int, str | None] = {}
    for ch, simple in zip(han, simplified, strict=True):
        if len(simple) == 1 and simple != ch:
            table[ord(ch)] = simple
    for lo, hi in _ASTRAL_FILLER:
        table.update(dict.fromkeys(range(lo, hi)))
    for c in range(0x10000):
        ch = chr(c)
        if ch in _SEPARATORS or ch in FILLER_HAN or ch.isspace() or unicodedata.category(ch) in _FILLER_CATEGORIES:
            table[c] = None
            continue
        if c in table or 0xD800 <= c < 0xE000:
            continue
        folded = unicodedata.normalize("NFKC", ch).lower()
        folded = "".join(x for x in folded if x not in _SEPARATORS and not x.isspace())
        folded = t2s.convert(folded) if folded and any(is_han(x) for x in folded) else folded
        if folded != ch:
            table[c] = folded or None
    return table


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _identity() -> list[str | int | None]:
    return list(range(0x10000))  # an int maps a character to chr(int): itself


def translator(table: Mapping[int, str | int | None]) -> Callable[[str], str]:
    """``text.translate(table)`` as a function, about twice as fast on Chinese text.

    Why: with a dict, ``str.translate`` raises and catches a ``KeyError`` inside for every character the table
    does not list (most Han characters for the fold table), ~55 ns a character: 19 µs for the gateway benchmark's
    340-character prompt, which the screen normalizes in several layers. A list of the 65,536 BMP code points
    (those the table lists, the rest mapped to themselves; 0.5 MB, the identity entries shared) is indexed
    without a miss. A text with a character beyond the BMP is translated with the dict itself, as before."""
    bmp = _identity().copy()
    for code, value in table.items():
        if code < 0x10000:
            bmp[code] = value

    def translate(text: str) -> str:
        return text.translate(table if _ASTRAL.search(text) else bmp)

    return translate


@functools.cache
def _fold() -> Callable[[str], str]:
    return translator(fold_table())


@by_identity()  # several layers fold the same text (memo.py)
def normalize(text: str) -> str:
    """Fold width, case and Traditional script and strip separators (the same on terms and on text)."""
    return _fold()(text)


@functools.cache
def sound_tables() -> tuple[dict[int, int], dict[str, str]]:
    """(Han character → one private-use code point per toneless syllable (its first reading),
    typed syllable → that code point as a character)."""
    syllables: dict[str, int] = {}
    table: dict[int, int] = {}
    for code, readings in pinyin_dict.items():
        if code > sys.maxunicode or not is_han(chr(code)):
            continue
        first = readings.split(",")[0]
        bare = "".join(x for x in unicodedata.normalize("NFD", first) if not unicodedata.combining(x))
        table[code] = _HOMOPHONE_BASE + syllables.setdefault(bare, len(syllables))
    return table, {syl: chr(_HOMOPHONE_BASE + n) for syl, n in syllables.items()}


@functools.cache
def sound_keys() -> Callable[[str], str]:
    """``text.translate(sound_tables()[0])``: each Han character replaced by its syllable's code point
    (:func:`translator`)."""
    return translator(sound_tables()[0])


_LATIN_RUN = re.compile(r"[a-z]{4,40}")
_LATIN = re.compile(r"[a-z]")


def _typed_pinyin(run: str) -> str | None:
    """``zhidupeifang`` → the syllable code points of 制毒配方, or None if the run is not all pinyin."""
    sounds = sound_tables()[1]

    @functools.cache
    def split(i: int) -> str | None:
        if i == len(run):
            return ""
        for j in range(min(len(run), i + 6), i, -1):
            if (head := sounds.get(run[i:j])) is not None and (rest := split(j)) is not None:
                return head + rest
        return None

    out = split(0)
    return out if out is not None and len(out) >= 2 else None


@by_identity()  # the keyword layer and the classifier key the same folded text (memo.py)
def homophone_key(normalized: str) -> str:
    """Normalized text with each Han character, and each run of typed pinyin, replaced by its syllables,
    so homophones and pinyin compare equal to the characters they stand for."""
    key = sound_keys()(normalized)
    if _LATIN.search(key):  # a regex, not a generator over the characters: ~4× faster on every streamed window
        key = _LATIN_RUN.sub(lambda m: _typed_pinyin(m.group()) or m.group(), key)
    return key


@functools.lru_cache(maxsize=8192)  # bounded: its keys come from user text
def all_syllables(word: str) -> bool:
    """True when ``word`` (lowercase letters) splits into typed syllables, any number of them."""
    sounds = sound_tables()[1]
    ok = [True] + [False] * len(word)
    for j in range(1, len(word) + 1):
        ok[j] = any(ok[i] and word[i:j] in sounds for i in range(max(0, j - 6), j))
    return ok[-1]


_WORD = re.compile(r"[A-Za-z]{2,}")


def pinyin_view(text: str) -> str:
    """``text`` with each Latin word that is not typed pinyin replaced by a digit, before normalization.

    Why: normalization drops spaces, so English prose becomes one run of letters in which a pinyin key can
    match by chance across words (「How do I track my package」 held a key of a blocked term). Typed pinyin
    (zha yao, ZhaYao) is kept whole; a lone letter (z h a y a o, a spaced-out dodge) is kept too."""
    return _WORD.sub(lambda m: m.group() if all_syllables(m.group().lower()) else "0", text)


def pinyin_key(normalized: str) -> str | None:
    """The toneless full pinyin of an all-Han term long enough that typed pinyin cannot be an ordinary word."""
    if len(normalized) < _MIN_PINYIN_SYLLABLES or not all(is_han(ch) for ch in normalized):
        return None
    key = "".join(lazy_pinyin(normalized))
    return key if len(key) >= _MIN_PINYIN_LETTERS and key.isascii() and key.isalpha() else None


@dataclass(frozen=True)
class ScreenResult:
    """One screening verdict. ``layer`` says which layer fired (None on pass)."""

    verdict: Literal["pass", "block"]
    risks: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)
    layer: str | None = None

    @property
    def blocked(self) -> bool:
        return self.verdict == "block"


PASS = ScreenResult("pass")


class Screener(Protocol):
    """Anything that can judge one text."""

    def screen(self, text: str) -> ScreenResult: ...

    @property
    def lookbehind(self) -> int:
        """How many characters before new text a streaming re-screen must include."""
        ...


@dataclass(frozen=True)
class Term:
    """One keyword. ``fuzzy=False``: match the exact (normalized) term only, no pinyin or homophone key —
    set by the library build where those keys collide with an everyday word (孔布煮意 ~ 恐怖主义)."""

    term: str
    risk: str
    source: str
    fuzzy: bool = True


def parse_library(text: str, source: str) -> list[Term]:
    """Parse ``term<TAB>risk[<TAB>note]`` lines; ``#`` lines are comments. Bad lines raise with a line number."""
    terms: list[Term] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or parts[1] not in RISKS:
            raise InvalidInput(
                f"{source}:{n}: expected 'term<TAB>risk code', got {line[:60]!r}",
                message_zh=f"词库 {source} 第 {n} 行格式错误",
            )
        terms.append(Term(parts[0].strip(), parts[1], source))
    return terms


def read_library(path: Path) -> list[Term]:
    """A deployer's library file; its file name is recorded as the source of each term."""
    return parse_library(path.read_text(encoding="utf-8"), path.name)


def seed_library() -> list[Term]:
    """The small seed library lingxi ships, written by its authors."""
    text = resources.files("lingxi.data").joinpath("lexicon/seed.tsv").read_text(encoding="utf-8")
    return parse_library(text, "lingxi-seed")


class KeywordScreener:
    """Aho-Corasick keyword layer over normalized text, plus typed-pinyin and homophone keys of long terms.

    ``fuzzy=False`` turns off the pinyin and homophone keys (exact normalized matching only).
    """

    layer = "keyword"

    def __init__(self, terms: list[Term], *, fuzzy: bool = True) -> None:
        exact: dict[str, set[str]] = {}
        typed: dict[str, set[str]] = {}  # pinyin keys: matched on the pinyin view of the text (pinyin_view)
        homophone: dict[str, set[str]] = {}
        self._longest = 1
        for t in terms:
            key = normalize(t.term)
            if not key:
                continue
            exact.setdefault(key, set()).add(t.risk)
            self._longest = max(self._longest, len(t.term))
            if not (fuzzy and t.fuzzy):
                continue
            pinyin = pinyin_key(key)
            if pinyin is not None:
                typed.setdefault(pinyin, set()).add(t.risk)
                self._longest = max(self._longest, len(pinyin))
            if len(key) >= _MIN_HOMOPHONE_CHARS and all(is_han(ch) for ch in key):
                homophone.setdefault(homophone_key(key), set()).add(t.risk)
        self.size = len(exact) + len(typed)
        self._exact = _Matcher(exact)
        self._typed = _Matcher(typed)
        self._homophone = _Matcher(homophone)

    @property
    def lookbehind(self) -> int:
        # separators may pad a term in the raw text, so keep a generous margin
        return self._longest * 4

    def screen(self, text: str) -> ScreenResult:
        if not self.size:
            return PASS
        normalized = normalize(text)
        latin = _LATIN.search(normalized) is not None  # typed pinyin and whole-word Latin keys need letters
        hits = self._exact.risks(normalized, latin_edges(text) if latin else None)
        return self._verdict(hits or self._fuzzy(text, normalized, latin))

    def _fuzzy(self, text: str, normalized: str, latin: bool) -> set[str]:
        """Risks of the typed-pinyin and homophone keys (read when no exact key matched)."""
        hits: set[str] = set()
        if latin:
            normalized = normalize(pinyin_view(text))  # English words out: the typed and homophone keys read this
            hits = self._typed.risks(normalized)
        if not hits and self._homophone.size:
            hits = self._homophone.risks(homophone_key(normalized))
        return hits

    def _verdict(self, hits: set[str]) -> ScreenResult:
        if not hits:
            return PASS
        codes = tuple(sorted(hits))
        return ScreenResult("block", codes, {c: 1.0 for c in codes}, self.layer)


class _Matcher:
    """Keys → risk codes, matched all at once (overlapping matches, so no shorter key hides in a longer one)."""

    def __init__(self, keys: dict[str, set[str]]) -> None:
        self.size = len(keys)
        self.keys = list(keys)
        self._risks = [tuple(sorted(r)) for r in keys.values()]
        self._latin = [k.isascii() and k.isalnum() and not k.isdigit() for k in keys]
        self._automaton = automaton(list(keys))

    def risks(self, text: str, edges: tuple[set[int], set[int]] | None = None) -> set[str]:
        """``edges``: (word starts, word ends) of ``text`` (:func:`latin_edges`); a Latin key must span whole
        words there, so ``helong`` is not found in "the long" nor ``party`` in "partying"."""
        return {r for *_, risks in self.spans(text, edges) for r in risks}

    def spans(
        self, text: str, edges: tuple[set[int], set[int]] | None = None
    ) -> list[tuple[str, int, int, tuple[str, ...]]]:
        """Each match as (key, start, end, risk codes); ``edges`` as in :meth:`risks`."""
        if self._automaton is None:
            return []
        return [
            (self.keys[index], start, end, self._risks[index])
            for index, start, end in matches(self._automaton, text)
            if not (edges is not None and self._latin[index] and (start not in edges[0] or end not in edges[1]))
        ]


_HYPHENS = frozenset("-\u2010\u2011")


def latin_edges(text: str) -> tuple[set[int], set[int]]:
    """Offsets in ``normalize(text)`` where a Latin word (letters and digits) starts and where one ends.

    Separators are dropped by normalization but end a word here, so a term spelled out with separators
    (``f.a.l.u.n``) still spans whole words. A hyphen between two letters joins one word (``bomb-shaped``,
    ``e-mail``): the keyword ``make a bomb`` is not found in "make a bomb-shaped cake"."""
    table = fold_table()
    starts: set[int] = set()
    ends: set[int] = set()
    pos, inside = 0, False
    for i, ch in enumerate(text):
        out = ch.translate(table)
        if not out and inside and ch in _HYPHENS and text[i + 1 : i + 2].isascii() and text[i + 1 : i + 2].isalpha():
            continue  # a compound word goes on
        if not out and inside:
            ends.add(pos)
            inside = False
        for folded in out:
            word = folded.isascii() and folded.isalnum()
            if word and not inside:
                starts.add(pos)
            elif inside and not word:
                ends.add(pos)
            inside = word
            pos += 1
    if inside:
        ends.add(pos)
    return starts, ends
