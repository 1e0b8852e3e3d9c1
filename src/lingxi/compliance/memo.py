"""The last few results of a function of one text, remembered for the same ``str`` *object*, never by value.

Why: one screening call hands the same text object to several layers, and each derives the same things from it —
the folded text (:func:`~lingxi.compliance.screen.normalize`: the crisis check, the keyword layer, the classifier's
length check and features; seven times for one prompt with every layer loaded) and the clauses
(:func:`~lingxi.compliance.intent.split_clauses`: the intent layer, the semantic layer). Each is a pure function
of the text, so the second call can take the first one's result.

Why by identity: a request's text is a new object, so nothing is carried from one request to the next — equal
text sent again is worked out again, as it would be without this (a cache by value would make a benchmark that
repeats one prompt look faster than real traffic, and would grow with what users write). An entry holds its text,
so no other live object can have that ``id`` while it is remembered. Short texts (under ``min_len``) are not
remembered: they cost little, and the many short temporaries (clause pieces) would push the long texts out.
Safe across threads (a long text is screened in a worker thread): an entry is read and written whole, and a
stale or lost one only means recomputing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

R = TypeVar("R")


def by_identity(size: int = 4, min_len: int = 100) -> Callable[[Callable[[str], R]], Callable[[str], R]]:
    """Decorate a pure function of one ``str`` (see the module doc); the results must not be mutated."""

    def wrap(fn: Callable[[str], R]) -> Callable[[str], R]:
        recent: dict[int, tuple[str, R]] = {}

        @functools.wraps(fn)
        def call(text: str) -> R:
            if len(text) < min_len:
                return fn(text)
            hit = recent.get(id(text))
            if hit is not None and hit[0] is text:
                return hit[1]
            out = fn(text)
            if len(recent) >= size:
                recent.clear()
            recent[id(text)] = (text, out)
            return out

        return call

    return wrap
