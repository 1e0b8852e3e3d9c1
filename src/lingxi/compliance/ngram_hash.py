"""Hashed character n-grams of one short text, as scikit-learn's ``HashingVectorizer`` computes them, fast.

Why not call the vectorizer: on a single prompt, ``HashingVectorizer.transform`` spends most of its time in
parameter validation, ``check_array`` and scipy matrix construction (~1 ms of a screening call's ~2 ms,
profiled over the must-answer and everyday sets), not in hashing. Screening scores one text at a time, so
this module does the same arithmetic on plain numpy arrays:

* the same n-grams (``analyzer="char"``: runs of 2+ whitespace become one space, then every 1…n-gram);
* the same bucket per n-gram (signed MurmurHash3 of its UTF-8 bytes, seed 0, ``abs(h) % n_features``;
  scikit-learn's rule for ``h == -2**31`` gives the same bucket), ~0.15 µs each, so nothing is memoized;
* counts summed per bucket in ascending bucket order, float32, and the optional L2 row norm in float64 then
  divided in float32 — the order and precision of scikit-learn's ``sum_duplicates`` and ``normalize``.

Training keeps using scikit-learn (whole corpora at once, where its overhead is nothing); the tests check
that both give the same buckets and values, so a model trained with one is scored identically by the other.
"""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray

_WHITE_SPACES = re.compile(r"\s\s+")


def char_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Character ``lo``…``hi``-grams of ``text``, in scikit-learn's ``_char_ngrams`` order."""
    text = _WHITE_SPACES.sub(" ", text)
    n_chars = len(text)
    grams: list[str] = list(text) if lo == 1 else []
    for n in range(max(lo, 2), min(hi + 1, n_chars + 1)):
        grams.extend(text[i : i + n] for i in range(n_chars - n + 1))
    return grams


def hashed(text: str, lo: int, hi: int, n_features: int, *, l2: bool) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """(bucket indices ascending, float32 counts — L2-normalized when ``l2``) of one text's char n-grams."""
    # imported here: scikit-learn costs ~1 s at import and most `lingxi` processes never score a text
    from sklearn.utils import murmurhash3_32  # type: ignore[import-untyped, unused-ignore]

    grams = char_ngrams(text, lo, hi)
    if not grams:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
    signed = np.fromiter((murmurhash3_32(g, 0) for g in grams), dtype=np.int64, count=len(grams))
    # abs() of an int64 is exact for -2**31 too, and 2**31 % n is what scikit-learn's special case yields
    idx, counts = np.unique(np.abs(signed) % n_features, return_counts=True)
    values = counts.astype(np.float32)
    if l2:
        norm = np.sqrt(float(np.dot(values.astype(np.float64), values.astype(np.float64))))
        values = (values / norm).astype(np.float32)
    return idx.astype(np.intp), values


def dot_rows(idx: NDArray[np.intp], values: NDArray[np.float32], weights: NDArray[np.float32]) -> NDArray[np.float32]:
    """``x @ weights`` for one sparse row (``idx``, ``values``) and a C-contiguous (features × k) matrix,
    accumulated in float32 in bucket order like scipy's CSR product."""
    acc = np.zeros(weights.shape[1], dtype=np.float32)
    if len(idx):
        acc += (values[:, None] * weights[idx]).sum(axis=0, dtype=np.float32)
    return acc
