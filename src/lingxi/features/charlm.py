"""How natural a short stretch of Chinese reads by word: the segmentation score context proofreading compares.

A word unigram model over jieba's bundled dictionary (MIT, ~350k words with corpus frequencies): the
log-probability of the best segmentation, as jieba itself computes it. A typo usually breaks a word into rare
single characters (以经 → 以 + 经) and its correction restores a frequent word (已经), so the difference between
the two segmentations is a strong, general signal — it covers idioms too, since the dictionary holds some 20k of
them. The character context lives in the build's n-gram language model (:mod:`lingxi.features.ngramlm`); the
character bigram counts the build once wrote (``bigrams.json``) are no longer written or read.
"""

from __future__ import annotations

import math
from functools import lru_cache


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
