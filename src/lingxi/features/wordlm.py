"""A word bigram model from jieba-segmented licensed text: does a swap make the words follow one another better?

Why: the character 4-gram sees three characters back, and jieba's unigram segmentation scores each word alone; a
typo often leaves every character n-gram plausible but makes two words that are never seen together (买了很多水果
→ 卖了很多水果 reads as 卖 + 了 + 很多 + 水果, each common). Word pairs reach further than a character 4-gram and
carry the collocations a role rule would otherwise list by hand. Counts only (Witten–Bell interpolation with the
word unigram), trained by ``lingxi features proofread build`` on the same text as the character model; used as
evidence by the judge of :mod:`lingxi.features.lmaccept`.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]
FILE = "wordlm.npz"


def segment(text: str) -> list[str]:
    """jieba's dictionary segmentation (no HMM guessing of new words: a typo must not become one)."""
    import jieba

    jieba.setLogLevel(60)
    return [w for w in jieba.lcut(text, HMM=False) if w.strip()]


@dataclass(frozen=True)
class WordLM:
    words: dict[str, int]
    unigram: F64  # count per word id
    keys: U64  # sorted bigram keys: first id << 32 | second id
    pair_counts: F64
    followers: F64  # distinct words seen after each word id
    total: float

    def _unigram(self, w: int) -> float:
        count = self.unigram[w] if w >= 0 else 0.0
        return math.log((count + 0.5) / (self.total + 0.5 * (len(self.unigram) + 1)))

    def pair_count(self, a: int, b: int) -> float:
        if a < 0 or b < 0:
            return 0.0
        key = np.uint64(a) << np.uint64(32) | np.uint64(b)
        at = int(np.searchsorted(self.keys, key))
        return float(self.pair_counts[at]) if at < len(self.keys) and self.keys[at] == key else 0.0

    def logprob(self, tokens: Sequence[str]) -> float:
        """ln P of the word sequence: the first word by its unigram, each next one given the word before it."""
        ids = [self.words.get(w, -1) for w in tokens]
        if not ids:
            return 0.0
        out = self._unigram(ids[0])
        for a, b in itertools.pairwise(ids):
            uni = math.exp(self._unigram(b))
            seen = self.unigram[a] if a >= 0 else 0.0
            if seen <= 0:
                out += math.log(uni)
                continue
            types = max(self.followers[a], 1.0)  # a word seen only at the end still backs off
            out += math.log((self.pair_count(a, b) + types * uni) / (seen + types))
        return out

    def save(self, path: Path) -> None:
        order = sorted(self.words, key=self.words.__getitem__)
        np.savez(
            path,
            words=np.array(order),
            unigram=self.unigram,
            keys=self.keys,
            pair_counts=self.pair_counts,
            followers=self.followers,
        )


def train(sentences: Iterable[str]) -> WordLM:
    unigram: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for s in sentences:
        tokens = segment(s)
        unigram.update(tokens)
        pairs.update(itertools.pairwise(tokens))
    words = {w: i for i, w in enumerate(sorted(unigram))}
    counts = np.array([unigram[w] for w in sorted(unigram)], dtype=np.float64)
    keys = np.array([words[a] << 32 | words[b] for a, b in pairs], dtype=np.uint64)
    values = np.array(list(pairs.values()), dtype=np.float64)
    order = np.argsort(keys)
    followers = np.bincount((keys >> np.uint64(32)).astype(np.int64), minlength=len(words)).astype(np.float64)
    return WordLM(words, counts, keys[order], values[order], followers, float(counts.sum()))


def path(home: Path) -> Path:
    return home / "proofread" / "current" / FILE


def load(home: Path | None) -> WordLM | None:
    if home is None or not path(home).is_file():
        return None
    return _load(str(path(home)))


def forget() -> None:
    _load.cache_clear()


@lru_cache(maxsize=2)
def _load(file: str) -> WordLM:
    with np.load(file) as z:
        words = {str(w): i for i, w in enumerate(z["words"])}
        unigram, followers = z["unigram"], z["followers"]
        return WordLM(words, unigram, z["keys"], z["pair_counts"], followers, float(unigram.sum()))
