"""Word-bounded unigrams: the classifier's character 1-grams only for characters that stand outside a word.

Why: the classifier's everyday and must-answer blocks are mostly a risky *character* read outside its harmful
word — 卖 in 外卖, 险 in 保险, 假 in 请假, 杀 in 杀价 — and the same character's syllable in the homophone key
(cls11's and cls13's dev breakdowns, benchmarks/README.md). A character's sense is carried by the word it sits
in, so here the 1-gram of a character inside a multi-character dictionary word (jieba, no HMM guessing of new
words) is not emitted, nor is its syllable's 1-gram in the key; a character standing as a word of its own
(卖 | 毒品, 杀 | 人) keeps both. Every 2- and 3-gram of the text and of the key is kept as before, so the word
itself (外卖, 毒品) and the phrases across words still count.

Opt-in per model (``train --word-bounded``; the manifest's ``features.unigrams`` says which view a model was
trained on, so a home trained before keeps its features and verdicts). The grams are hashed exactly as
scikit-learn's ``HashingVectorizer`` hashes analyzer tokens (signed MurmurHash3 of the UTF-8 bytes, seed 0), so
training (vectorizer with :func:`grams` as its analyzer) and screening (:func:`hashed`) put every gram in the
same bucket; the tests compare both.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lingxi.compliance.ngram_hash import _WHITE_SPACES, buckets, char_ngrams, signed_hashes
from lingxi.compliance.screen import homophone_key, is_han, normalize, sound_keys

SEP = "\x00"  # between the text and its key, as in the char view


@functools.cache
def _cut() -> Any:
    import jieba  # ~1 s to load its dictionary: once per process that scores with this view

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba.dt


def in_words(text: str) -> str:
    """The characters of ``text`` that lie inside a multi-character dictionary word holding a Han character."""
    inside: list[str] = []
    for w in _cut().cut(text, HMM=False):
        if len(w) > 1 and any(is_han(c) for c in w):
            inside.extend(w)
    return "".join(inside)


def _parts(text: str) -> tuple[str, list[str]]:
    """(text + SEP + key for the 2-3-grams, the 1-grams left after the in-word characters are taken out)."""
    n = _WHITE_SPACES.sub(" ", normalize(text))
    key = _WHITE_SPACES.sub(" ", homophone_key(n))
    inside = in_words(n)
    if not inside:
        return n + SEP + key, [*n, SEP, *key]
    drop = Counter(inside) + Counter(sound_keys()(inside))
    kept: list[str] = []
    for ch in (*n, SEP, *key):
        if drop[ch] > 0 and ch != SEP:
            drop[ch] -= 1
        else:
            kept.append(ch)
    return n + SEP + key, kept


def grams(text: str) -> list[str]:
    """The tokens of one text (an analyzer for scikit-learn's ``HashingVectorizer``)."""
    joined, unigrams = _parts(text)
    return unigrams + char_ngrams(joined, 2, 3)


@functools.lru_cache(maxsize=65536)  # bounded: keys are single characters of user text
def _hash1(ch: str) -> int:
    from sklearn.utils import murmurhash3_32  # type: ignore[import-untyped, unused-ignore]

    return int(murmurhash3_32(ch, 0))


def hashed(text: str, n_features: int) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """(bucket indices ascending, L2-normalized float32 counts) of :func:`grams`, without the vectorizer."""
    joined, unigrams = _parts(text)
    ones = np.fromiter((_hash1(c) for c in unigrams), dtype=np.int64, count=len(unigrams))
    return buckets(np.concatenate([ones, signed_hashes(joined, 2, 3)]), n_features, l2=True)
