"""Hashed character n-grams of one short text, as scikit-learn's ``HashingVectorizer`` computes them, fast.

Why not call the vectorizer: on a single prompt, ``HashingVectorizer.transform`` spends most of its time in
parameter validation, ``check_array`` and scipy matrix construction (~1 ms of a screening call's ~2 ms,
profiled over the must-answer and everyday sets), not in hashing. Screening scores one text at a time, so
this module does the same arithmetic on plain numpy arrays:

* the same n-grams (``analyzer="char"``: runs of 2+ whitespace become one space, then every 1…n-gram);
* the same bucket per n-gram (signed MurmurHash3 of its UTF-8 bytes, seed 0, ``abs(h) % n_features``;
  scikit-learn's rule for ``h == -2**31`` gives the same bucket): scikit-learn's ``murmurhash3_32`` one n-gram at a
  time for a short text; for a longer one (:data:`VECTOR_FROM` n-grams and up) the same MurmurHash3_x86_32 over
  every n-gram at once in numpy (:func:`murmur_ngrams`), without making a string of each n-gram — the gateway
  benchmark's prompt has ~1,900 (text and homophone key), 0.45 ms one by one (0.13 of it making the strings),
  ~0.1 ms at once; the tests compare both with scikit-learn's;
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
#: from this many n-grams on, :func:`murmur_ngrams` hashes them at once (below, numpy's per-call cost dominates)
VECTOR_FROM = 400
_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)
_MAX_GRAM_BYTES = 16  # zero bytes after the text: the last n-gram's tail word reads past its end


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
    return buckets(signed_hashes(text, lo, hi), n_features, l2=l2)


def signed_hashes(text: str, lo: int, hi: int) -> NDArray[np.int64]:
    """Signed MurmurHash3 (seed 0) of each of the text's char ``lo``…``hi``-grams, in no particular order."""
    # imported here: scikit-learn costs ~1 s at import and most `lingxi` processes never score a text
    from sklearn.utils import murmurhash3_32  # type: ignore[import-untyped, unused-ignore]

    if hi <= 3 and _count(len(text), lo, hi) >= VECTOR_FROM and (signed := murmur_ngrams(text, lo, hi)) is not None:
        return signed
    grams = char_ngrams(text, lo, hi)
    return np.fromiter((murmurhash3_32(g, 0) for g in grams), dtype=np.int64, count=len(grams))


def buckets(signed: NDArray[np.int64], n_features: int, *, l2: bool) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """:func:`hashed` from the n-grams' :func:`signed_hashes` (any order)."""
    if not len(signed):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
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


def _count(n_chars: int, lo: int, hi: int) -> int:
    return sum(max(0, n_chars - n + 1) for n in range(lo, hi + 1))


def _rotl(x: NDArray[np.uint32], r: int) -> NDArray[np.uint32]:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def murmur_ngrams(text: str, lo: int, hi: int) -> NDArray[np.int64] | None:
    """Signed MurmurHash3_x86_32 (seed 0) of the UTF-8 bytes of each of :func:`char_ngrams`' n-grams, all at once,
    in no particular order (bucket counts need none); None for a text UTF-8 cannot encode (a lone surrogate: the
    one-by-one path raises for it).

    Every little-endian 4-byte word of the text's bytes is read once (``word[i]``: bytes i…i+3); an n-gram
    starting at byte ``s`` mixes ``word[s + 4b]`` for each of its whole blocks ``b``, then its tail word (the 0–3
    bytes after them, the rest masked to zero: with no tail byte the step changes nothing, as in the C code's
    switch), its length and the final mix. The n-grams are ordered by their number of blocks, most first, so
    each block step is one slice. uint32 arithmetic wraps as the C code's does."""
    text = _WHITE_SPACES.sub(" ", text)
    try:
        raw = np.frombuffer(text.encode("utf-8") + bytes(_MAX_GRAM_BYTES), dtype=np.uint8).astype(np.uint32)
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        return None
    offsets = np.zeros(len(codes) + 1, dtype=np.intp)
    np.cumsum(1 + (codes >= 0x80).astype(np.intp) + (codes >= 0x800) + (codes >= 0x10000), out=offsets[1:])
    sizes = [n for n in range(lo, hi + 1) if n <= len(codes)]
    if not sizes:
        return np.zeros(0, dtype=np.int64)
    first = np.concatenate([offsets[: len(codes) - n + 1] for n in sizes])
    length = np.concatenate([offsets[n:] - offsets[: len(offsets) - n] for n in sizes])
    order = np.argsort(-(length >> 2), kind="stable")
    first, length = first[order], length[order]
    words = raw[:-3] | (raw[1:-2] << 8) | (raw[2:-1] << 16) | (raw[3:] << 24)
    h = np.zeros(len(first), dtype=np.uint32)
    blocks = length >> 2
    for b in range(int(blocks[0])):
        n = int(np.count_nonzero(blocks > b))
        k = _rotl(words[first[:n] + 4 * b] * _C1, 15) * _C2
        h[:n] = _rotl(h[:n] ^ k, 13) * np.uint32(5) + np.uint32(0xE6546B64)
    tail = words[first + (length & ~3)] & ((np.uint32(1) << (8 * (length & 3)).astype(np.uint32)) - np.uint32(1))
    h ^= _rotl(tail * _C1, 15) * _C2
    h ^= length.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32).astype(np.int64)
