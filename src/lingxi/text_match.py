"""Many literal keys found in one pass: the project's one Aho–Corasick library, ``ahocorasick-rs``.

Why this library (``benchmarks/bench_ahocorasick.py``: both libraries on the automata lingxi builds, over
Chinese everyday text and the sample events): on the keyword screen's ~14k-key lexicon it matches 4.6–10× faster
than pyahocorasick (three runs), on the deletion check's byte needles ~95× (bytes searched as they are, no
latin-1 copy), and as fast on the small automata (PII gate words, typed pinyin); its automata take less memory
(~1.3× in all, though a small one costs ~0.2 MB) and build in about the same time. It has every mode lingxi
uses: overlapping matches, leftmost-longest, a key index per match (the caller keeps each key's payload in a
list), and byte haystacks (:class:`BytesAhoCorasick`). It cannot pickle an automaton: none is saved, each is
rebuilt from its keys when loaded (about 25 ms for the largest).

Why a helper: the library encodes a ``str`` to UTF-8 and so raises on a lone surrogate (``"\\ud800"``,
which ``json.loads`` and any Python caller can produce). A surrogate never occurs in a key, so it is read
as U+FFFD, one code point for one: offsets stay those of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ahocorasick_rs import AhoCorasick, BytesAhoCorasick

__all__ = ["AhoCorasick", "BytesAhoCorasick", "automaton", "matches"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def automaton(keys: Sequence[str]) -> AhoCorasick | None:
    """An automaton of ``keys`` (non-empty strings; a match reports its key's index), None for no keys."""
    return AhoCorasick(list(keys)) if keys else None


def matches(found: AhoCorasick, text: str) -> list[tuple[int, int, int]]:
    """Every occurrence of every key in ``text``, overlapping ones too (so no key hides inside a longer
    one), as ``(key index, start, end)`` in characters."""
    try:
        return found.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:
        return found.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)
