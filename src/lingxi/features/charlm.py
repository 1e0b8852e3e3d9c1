"""How natural a short stretch of Chinese reads: the scores context proofreading compares.

Two models, both classical and small:

* a word unigram model over jieba's bundled dictionary (MIT, ~350k words with corpus frequencies): the
  log-probability of the best segmentation, as jieba itself computes it. A typo usually breaks a word into
  rare single characters (以经 → 以 + 经) and its correction restores a frequent word (已经), so the
  difference between the two segmentations is a strong, general signal — it covers idioms too, since the
  dictionary holds some 20k of them.
* a character bigram model trained at build time on the correct side of a licensed spelling corpus
  (``lingxi features proofread build``), stored as counts in ``<home>/proofread/current/bigrams.json``;
  it adds the local context the unigram model lacks (再 vs 在 before a verb). Absent, its score is 0.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], float]:
    import jieba

    jieba.setLogLevel(60)  # jieba prints its cache messages on stderr otherwise
    jieba.dt.check_initialized()
    return jieba.dt.FREQ, math.log(jieba.dt.total)


def word_freq() -> dict[str, int]:
    """jieba's dictionary: word → frequency (prefixes of words appear with frequency 0)."""
    return _dictionary()[0]


def segment_logprob(text: str) -> tuple[float, list[str]]:
    """Log-probability of ``text``'s best segmentation under jieba's unigram model, and that segmentation."""
    freq, log_total = _dictionary()
    n = len(text)
    best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        end = i + 1
        while end <= n:
            piece = text[i:end]
            if piece not in freq:
                break
            if freq[piece] or end == i + 1:
                options.append((math.log(freq[piece] or 1) - log_total + best[end][0], end))
            end += 1
        if not options:
            options.append((-log_total + best[i + 1][0], i + 1))
        best[i] = max(options)
    words, i = [], 0
    while i < n:
        words.append(text[i : best[i][1]])
        i = best[i][1]
    return best[0][0], words


@dataclass(frozen=True)
class Bigrams:
    """Character bigram counts with add-one-smoothed conditional log-probabilities."""

    unigrams: dict[str, int]
    pairs: dict[str, int]

    def logprob(self, text: str) -> float:
        vocab = len(self.unigrams) + 1
        total = 0.0
        for a, b in itertools.pairwise(text):
            total += math.log((self.pairs.get(a + b, 0) + 1) / (self.unigrams.get(a, 0) + vocab))
        return total


def bigrams_path(home: Path) -> Path:
    return home / "proofread" / "current" / "bigrams.json"


def load_bigrams(home: Path | None) -> Bigrams | None:
    """The bigram model built into ``home``, or None when none was built."""
    if home is None or not bigrams_path(home).is_file():
        return None
    data = json.loads(bigrams_path(home).read_text(encoding="utf-8"))
    return Bigrams(unigrams=data["unigrams"], pairs=data["pairs"])


def train_bigrams(sentences: list[str]) -> Bigrams:
    unigrams: dict[str, int] = {}
    pairs: dict[str, int] = {}
    for s in sentences:
        for a in s:
            unigrams[a] = unigrams.get(a, 0) + 1
        for a, b in itertools.pairwise(s):
            pairs[a + b] = pairs.get(a + b, 0) + 1
    return Bigrams(unigrams=unigrams, pairs=pairs)
