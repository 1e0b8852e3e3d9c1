"""Whether a character swap completes a long dictionary word: the word-level evidence of the language-model check.

Why: the swaps the 4-gram scores under its class margins are mostly a second fluent reading of clean text, and a
few real typos; counts of characters and word pairs could not tell them apart (waves 5–13 in
``benchmarks/README.md``). A swap that puts the character into a dictionary word of four or more characters —
longer than any word that covers it as written — is different evidence: 身体建康 → 身体健康, 很感性趣 → 很感兴趣,
通货膨涨 → 通货膨胀, 一丝不够 → 一丝不苟. A clean sentence is seldom one character away from a longer word than the
one it holds (the held-out dev sets: 16 right swaps, none wrong). Only exact sounds take it: a known mix-up, a
look-alike, or a same-sound swap whose characters share their *usual* reading (a rare second reading — 食 yì for
医 — is no input-method typo). Used by :mod:`lingxi.features.lmcheck`, which gives such swaps a lower margin.
"""

from __future__ import annotations

from functools import lru_cache

from lingxi.features.charlm import word_freq

#: The shortest word that counts as long: two- and three-character words lie one swap away from clean text too
#: often (on the dev sets 7 right swaps for 23 wrong at three characters).
LONG = 4
#: The longest dictionary word looked for around the swap (jieba holds idioms and set phrases up to about this).
LONGEST = 8


def _longest_cover(text: str, pos: int, lo: int, hi: int) -> int:
    """Length of the longest dictionary word (jieba frequency > 0, two characters or more) inside ``text[lo:hi]``
    that covers position ``pos``; 0 when none does."""
    freq = word_freq()
    for size in range(min(LONGEST, hi - lo), 1, -1):
        for start in range(max(lo, pos - size + 1), min(pos, hi - size) + 1):
            if freq.get(text[start : start + size], 0) > 0:
                return size
    return 0


@lru_cache(maxsize=4096)
def usual_reading(ch: str) -> str:
    """The toneless reading pypinyin gives ``ch`` outside any word (its most common one)."""
    from pypinyin import Style, lazy_pinyin

    return str(lazy_pinyin(ch, style=Style.NORMAL)[0])


def completes(text: str, pos: int, new: str, lo: int, hi: int) -> bool:
    """Whether putting ``new`` at ``pos`` makes the character part of a dictionary word of :data:`LONG` characters
    or more, within the run ``text[lo:hi]``, longer than the longest word covering it as written."""
    swapped = text[:pos] + new + text[pos + 1 :]
    made = _longest_cover(swapped, pos, lo, hi)
    return made >= LONG and made > _longest_cover(text, pos, lo, hi)
