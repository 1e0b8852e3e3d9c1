"""Content screening for input and output: the same code screens both.

This module holds the keyword layer: terms from versioned TSV libraries are normalized and compiled into
one Aho-Corasick automaton (pyahocorasick), so a scan is linear in the text whatever the library size.
Normalization (NFKC folds full-width forms; lowercasing; separators such as ``敏*感`` or ``敏 感`` removed)
runs on both the terms and the text, so simple evasions match. A hit blocks and reports the risk codes of
TC260-003 and the layer that fired.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, Protocol

import ahocorasick

from lingxi.compliance.taxonomy import RISKS
from lingxi.errors import InvalidInput

# Characters inserted between letters to dodge filters; removed before matching.
_SEPARATORS = re.compile(r"[\s*＊_\-—·.。,，/\\|~!！@#$%^&+=`'\"“”‘’<>()（）\[\]【】{}]+")


def normalize(text: str) -> str:
    """Fold width and case and strip separator characters (the same on terms and on text)."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).lower())


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
    term: str
    risk: str
    source: str


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
    """Aho-Corasick keyword layer over normalized text."""

    layer = "keyword"

    def __init__(self, terms: list[Term]) -> None:
        self._automaton = ahocorasick.Automaton()
        self._longest = 1
        for t in terms:
            key = normalize(t.term)
            if not key:
                continue
            risks = self._automaton.get(key, ())
            self._automaton.add_word(key, tuple(sorted({*risks, t.risk})))
            self._longest = max(self._longest, len(t.term))
        self.size = len(self._automaton)
        if self.size:
            self._automaton.make_automaton()

    @property
    def lookbehind(self) -> int:
        # separators may pad a term in the raw text, so keep a generous margin
        return self._longest * 4

    def screen(self, text: str) -> ScreenResult:
        if not self.size:
            return PASS
        hits: dict[str, int] = {}
        for _end, risks in self._automaton.iter(normalize(text)):
            for code in risks:
                hits[code] = hits.get(code, 0) + 1
        if not hits:
            return PASS
        codes = tuple(sorted(hits))
        return ScreenResult("block", codes, {c: 1.0 for c in codes}, self.layer)
