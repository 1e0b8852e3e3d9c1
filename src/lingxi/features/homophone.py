"""Homophone typos judged in context: swap a character for one that sounds alike, keep the swap if it reads better.

For every character with confusion candidates (:mod:`lingxi.features.confusion`), the window of up to
:data:`WINDOW` characters either side (within one run of Chinese characters) is scored as written and with the
candidate (jieba's word unigram model, :mod:`lingxi.features.charlm`). A swap is proposed only when

* the candidate joins a dictionary word of two or more characters that the written character was not part of
  (以经 → 已经, 现再 → 现在, 一股作气 → 一鼓作气): a typo breaks a word, its fix restores one; and
* the swapped window scores higher by a margin — larger for same-sound pairs than for the seed pairs, since
  those are the mix-ups people actually make.

This check runs only while no language model is built (:mod:`lingxi.features.proofread`): once one is, its lower
margin for a swap that makes a word (:mod:`lingxi.features.lmcheck`) does this work with a stronger model. So it
uses shipped data alone — the seed confusions and same-sound characters, and the margins of :class:`Margins` —
and reads nothing a build writes (homes built before this still hold a ``bigrams.json`` and homophone margins in
their manifest; both are ignored). The margins are the seed-only model's best on the validation split of the
spelling corpus with at most 2 % false alarms on clean sentences (P 0.78, R 0.07 on that domain text: law,
medicine, official documents).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from lingxi.features import charlm, confusion

#: Characters either side of the candidate that are scored.
WINDOW = 4
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


class Margins(NamedTuple):
    """Log-probability gain a swap must show: for trusted pairs and for same-sound pairs."""

    trusted: float = 3.0
    sound: float = 8.0


class Fix(NamedTuple):
    start: int
    original: str
    replacement: str
    trusted: bool
    gain: float


class Candidate(NamedTuple):
    """One possible swap with its measured evidence (before any margin is applied)."""

    start: int
    original: str
    replacement: str
    trusted: bool
    word_gain: float  # unigram-segmentation log-probability gain


@dataclass(frozen=True)
class ContextModel:
    confusions: confusion.Confusions
    margins: Margins


def _word_at(words: list[str], pos: int) -> str:
    at = 0
    for w in words:
        if at <= pos < at + len(w):
            return w
        at += len(w)
    return ""


def candidates(text: str, model: ContextModel) -> list[Candidate]:
    """Every swap that restores a dictionary word, with its score gains (offsets index ``text``)."""
    out: list[Candidate] = []
    for run in _CJK_RUN.finditer(text):
        chunk, base = run.group(), run.start()
        for i, ch in enumerate(chunk):
            options = model.confusions.candidates(ch)
            if not options:
                continue
            lo = max(0, i - WINDOW)
            window, pos = chunk[lo : i + WINDOW + 1], i - lo
            before, old_words = charlm.segment_logprob(window)
            if len(_word_at(old_words, pos)) != 1:
                continue  # the written character is part of a word: leave it
            for cand, trusted in options:
                swapped = window[:pos] + cand + window[pos + 1 :]
                after, new_words = charlm.segment_logprob(swapped)
                if len(_word_at(new_words, pos)) < 2:
                    continue
                out.append(Candidate(base + i, ch, cand, trusted, after - before))
    return out


def select(found: list[Candidate], margins: Margins) -> list[Fix]:
    """The best swap per position whose gain clears its margin."""
    best: dict[int, Fix] = {}
    for c in found:
        clears = c.word_gain > (margins.trusted if c.trusted else margins.sound)
        if clears and (c.start not in best or c.word_gain > best[c.start].gain):
            best[c.start] = Fix(c.start, c.original, c.replacement, c.trusted, c.word_gain)
    # two swaps side by side are one word rebuilt twice (依举 → 一举 and → 依据): keep the stronger
    kept = [f for f in best.values() if not any(abs(o.start - f.start) == 1 and o.gain > f.gain for o in best.values())]
    return sorted(kept)


def find(text: str, model: ContextModel) -> list[Fix]:
    """Every swap the model is sure of, in text order (offsets are ``str`` indices into ``text``)."""
    return select(candidates(text, model), model.margins)


@lru_cache(maxsize=1)
def load_model() -> ContextModel:
    """The model of shipped data: seed and same-sound confusions, the margins of :class:`Margins`."""
    return ContextModel(confusion.load(None), Margins())
