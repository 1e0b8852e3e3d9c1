"""The parts PII recognition is made of: a recognized :class:`Span`, a :class:`Recognizer`, and its gates.

Separate from :mod:`lingxi.privacy.pii` (the matching loop) and :mod:`lingxi.privacy.pii_table` (the
recognizers themselves) so that plug-ins can build recognizers from these types without importing either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from lingxi.text_match import automaton, matches

Check = Callable[["re.Match[str]", int, int], "tuple[int, int] | None"]
"""Validates a candidate ``match.string[start:end]`` (the match gives access to named parts); returns the
span to keep, possibly narrowed, or None to reject."""


class Span(NamedTuple):
    """One recognized value: character offsets into the scanned text, the Chinese type label, the value.

    A named tuple, not a frozen dataclass: one is made for every value found, and a frozen dataclass's
    ``__init__`` (four ``object.__setattr__`` calls) cost about 1 µs each — a tenth of redacting a message.
    """

    start: int
    end: int
    type: str
    text: str


class Gate(Protocol):
    """A cheap prefilter: ``re.Pattern``, :class:`Keywords` or :class:`RegexGate`.

    A gate that also has ``firsts`` (characters at least one of which every match of it contains) can join
    the one character-class search that skips every gate at once when none of them can match.
    """

    def search(self, text: str, /) -> object: ...


class RegexGate:
    """A regular-expression gate that declares ``firsts``: every match contains one of these characters."""

    def __init__(self, pattern: str, firsts: str) -> None:
        self.pattern = re.compile(pattern)
        self.firsts = frozenset(firsts)
        self.search = self.pattern.search  # bound once: a gate is called for nearly every text


@dataclass(frozen=True)
class Recognizer:
    """One way to find one PII type. The value is the pattern's group ``v`` if it has one, else the match.

    ``context`` must match within ``before`` characters before the value or ``after`` characters after it;
    ``gate`` must match somewhere in the text for the recognizer to run at all (a speed-only prefilter).
    """

    type: str
    pattern: re.Pattern[str]
    priority: int
    check: Check | None = None
    context: re.Pattern[str] | None = None
    before: int = 0
    after: int = 0
    gate: Gate | None = None


class Keywords:
    """A gate of literal words found in one Aho-Corasick pass; re's alternation is ~6x slower here."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(words)  # what :func:`lingxi.privacy.pii._plan` merges into one scan for all such gates
        self._automaton = automaton(self.words)
        self.firsts = frozenset(w[0] for w in self.words)  # every word found starts with one of these

    def search(self, text: str) -> bool:
        return self._automaton is not None and bool(matches(self._automaton, text))


# --- validators (the checks themselves live in pii_checks) --------------------------------------------


def predicate(ok: Callable[[str], bool]) -> Check:
    """Lift a test on the value's text into a :data:`Check` that keeps the span as it is."""
    return lambda m, s, e: (s, e) if ok(m.string[s:e]) else None
