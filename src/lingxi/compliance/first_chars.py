"""A regex's matches found by trying it only where a match can start: at a character that can begin one.

Why: Python's ``re`` skips ahead to a possible first character by itself only when every branch of a pattern
starts with a plain literal or character class. The intent layer's action patterns start with groups
(``(?:制造|制作|…)(?:炸弹|…)``), so ``re`` tried each one at every position of every clause: ~15 µs per
pattern over the gateway benchmark's 340-character prompt, 0.1 ms for the eleven of them, where a match could
start at a handful of positions. :class:`Scanner` reads the pattern's possible first characters off its parse
tree into one character class (compiled with the pattern's flags, so case-insensitive letters match the same
characters), finds the positions holding one (a C-level scan) and tries the pattern there only. The matches
are those of ``pattern.finditer`` exactly: a match must begin at such a position, ``pattern.match(text, pos)``
is what ``finditer`` tries at each position (look-behinds still see the text before ``pos``), and after a
match the next search starts at its end as ``finditer``'s does (no pattern here can match the empty string).

A pattern whose first characters cannot be read this way (an empty match possible, ``.``, a negated class, a
back-reference, inline flags, an ``re`` whose parse tree looks different) keeps plain ``finditer``.
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Iterator
from typing import Any

_c: Any = None
_p: Any = None
# the parser of the standard library's ``re`` (private: a Python whose ``re`` is laid out differently, or anything
# unexpected in a parse tree, turns the fast path off)
with contextlib.suppress(ImportError):
    _c, _p = importlib.import_module("re._constants"), importlib.import_module("re._parser")

_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}  # fmt: skip


class _Unreadable(Exception):
    """The pattern's first characters cannot be listed as one class."""


def _class_items(items: Any) -> list[str]:
    """A character class's items (``IN``'s argument) as regex source."""
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is _c.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _c.CATEGORY and str(av) in _CATEGORIES:
            out.append(_CATEGORIES[str(av)])
        else:  # NEGATE and the rest
            raise _Unreadable(op)
    return out


def _sequence(items: Any) -> tuple[list[str], bool]:
    """(what the first character of a match of this sequence can be, whether it can match the empty string)."""
    out: list[str] = []
    for op, av in items:
        first, empty = _item(op, av)
        out += first
        if not empty:
            return out, False
    return out, True


def _item(op: Any, av: Any) -> tuple[list[str], bool]:
    if op is _c.LITERAL:
        return [re.escape(chr(av))], False
    if op is _c.IN:
        return _class_items(av), False
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise _Unreadable("inline flags")
        return _sequence(sub.data)
    if op is _c.BRANCH:
        out: list[str] = []
        empty = False
        for branch in av[1]:
            first, e = _sequence(branch.data)
            out += first
            empty = empty or e
        return out, empty
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        first, empty = _sequence(sub.data)
        return first, empty or low == 0
    if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):  # zero-width: they only narrow where a match may start
        return [], True
    raise _Unreadable(op)


def first_chars(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """One character class of every character a match of ``pattern`` can start with, or None when that cannot be
    read off the pattern (see the module doc)."""
    if _p is None or not isinstance(pattern.pattern, str):
        return None
    try:
        first, empty = _sequence(_p.parse(pattern.pattern, pattern.flags).data)
    except (_Unreadable, AttributeError, TypeError, ValueError):
        return None
    if empty or not first:
        return None
    return re.compile(f"[{''.join(first)}]", pattern.flags)


class Scanner:
    """``pattern.finditer`` tried only where a match can start (see the module doc)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.first = first_chars(pattern)

    def may_match(self, starts: str) -> bool:
        """Whether a match can start in a text whose characters that can start one of a group's patterns are
        ``starts`` (:func:`starts`, over the first characters of a group of scanners that includes this one)."""
        return self.first is None or self.first.search(starts) is not None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self.first is None:
            yield from self.pattern.finditer(text)
            return
        search, match = self.first.search, self.pattern.match
        pos = 0
        while (hit := search(text, pos)) is not None:
            at = hit.start()
            if (m := match(text, at)) is None:
                pos = at + 1
                continue
            yield m
            pos = m.end()  # > at: no pattern read here matches the empty string


def starts(scanners: list[Scanner]) -> re.Pattern[str] | None:
    """The union of the scanners' first characters, to find in one scan what in a text can start any match, or
    None when one scanner has none or their flags differ (then every scanner is tried)."""
    firsts = [s.first for s in scanners]
    if not firsts or any(f is None for f in firsts) or len({f.flags for f in firsts if f is not None}) != 1:
        return None
    return re.compile("|".join(f.pattern for f in firsts if f is not None), firsts[0].flags if firsts[0] else 0)
