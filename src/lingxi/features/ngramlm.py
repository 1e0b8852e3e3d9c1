"""A character n-gram language model with interpolated Kneser-Ney smoothing, small enough to ship as a build step.

Why written here: the well-kept n-gram libraries either need compiling (``kenlm``, whose query side alone is C++)
or keep every n-gram as a Python object (``nltk.lm``: hundreds of MB and seconds per sentence at this size).
The proofreader only needs one thing — the log-probability of a few characters in context, for thousands of
candidate swaps a second — so the counts live in sorted ``numpy`` arrays (an n-gram is a 64-bit key: its order
and up to four 15-bit character ids) and every query of a sentence is answered by one vectorised lookup.

Smoothing is interpolated Kneser-Ney (Chen & Goodman 1998) with one discount per order, D = n1 / (n1 + 2 n2),
as KenLM does it: the highest order and n-grams that start at the sentence start use raw counts, the lower
orders use continuation counts (in how many contexts a string was seen), so a character that only follows one
word does not look likely everywhere. Text is split into runs at punctuation; each run is one sentence with a
start and an end mark, digits fold to ``0`` and Latin letters to ``a``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ORDER = 4
BITS = 15
_MASK = (1 << BITS) - 1
BOS, EOS, UNK, WORD = 1, 2, 0, 3  # WORD opens a dictionary word: its prefixes get a left context
_FIRST_ID = 4
RUN = re.compile(r"[\u4e00-\u9fff0-9A-Za-z０-９]+")
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]


def fold(ch: str) -> str:
    """The symbol a character counts as: digits are one symbol, Latin letters another."""
    if ch.isdigit():
        return "0"
    return "a" if ch.isascii() and ch.isalpha() else ch


def runs(text: str) -> list[tuple[int, str]]:
    """(offset, run) for each stretch of text between punctuation and spaces."""
    return [(m.start(), m.group()) for m in RUN.finditer(text)]


def _pack(grams: npt.NDArray[np.int64], order_tag: int) -> U64:
    """Keys of n-grams (rows of character ids): the order tag in the top bits, ids from the low bits up."""
    key = np.full(len(grams), order_tag << 60, dtype=np.uint64)
    for j in range(grams.shape[1]):
        key |= grams[:, j].astype(np.uint64) << np.uint64(BITS * j)
    return key


def _strip(keys: U64, n: int, *, first: bool) -> U64:
    """Keys of the (n-1)-grams left when the first (``first``) or the last id of each n-gram is dropped."""
    body = keys & np.uint64((1 << (BITS * n)) - 1)
    body = body >> np.uint64(BITS) if first else body & np.uint64((1 << (BITS * (n - 1))) - 1)
    return body | np.uint64((n - 1) << 60)


@dataclass(frozen=True)
class NgramLM:
    """Adjusted counts per n-gram; total and distinct followers per context; the per-order discounts."""

    vocab: dict[str, int]
    gram_keys: U64  # sorted; tag = order
    gram_counts: npt.NDArray[np.float64]
    ctx_keys: U64  # sorted; tag = context length (0 … ORDER-1)
    ctx_total: npt.NDArray[np.float64]
    ctx_types: npt.NDArray[np.float64]
    discounts: tuple[float, ...]

    def encode(self, run: str) -> list[int]:
        return [BOS, *(self.vocab.get(fold(c), UNK) for c in run), EOS]

    def _lookup(self, keys: U64, table: U64) -> npt.NDArray[np.intp]:
        """Index of each key in ``table``, or -1 when absent (sorted first: far fewer cache misses)."""
        order = np.argsort(keys)
        at = np.empty(len(keys), dtype=np.intp)
        at[order] = np.searchsorted(table, keys[order])
        at = np.minimum(at, len(table) - 1)
        return np.where(table[at] == keys, at, -1)

    def logprobs(self, queries: Sequence[tuple[Sequence[int], int]]) -> F64:
        """ln P(seq[pos] | what precedes it) for each (encoded run, position) query, all at once."""
        win = np.full((len(queries), ORDER), -1, dtype=np.int64)
        for q, (seq, pos) in enumerate(queries):
            part = seq[max(0, pos - ORDER + 1) : pos + 1]
            win[q, ORDER - len(part) :] = part
        return self.window_logprobs(win)

    def window_logprobs(self, win: npt.NDArray[np.int64]) -> F64:
        """ln P(last id | the ids before it) for each row of ``win`` (ORDER ids, -1 where the run had none).

        Every order's n-grams and contexts are looked up in two batched searches, then interpolated bottom-up.
        """
        rows = [np.flatnonzero(win[:, ORDER - n] >= 0) for n in range(1, ORDER + 1)]
        grams = [_pack(win[r, ORDER - n :], n) for n, r in enumerate(rows, start=1)]
        ctxs = [_pack(win[r, ORDER - n : ORDER - 1], n - 1) for n, r in enumerate(rows, start=1)]
        gi = self._lookup(np.concatenate(grams), self.gram_keys)
        ci = self._lookup(np.concatenate(ctxs), self.ctx_keys)
        count = np.where(gi >= 0, self.gram_counts[gi], 0.0)
        total = np.where(ci >= 0, self.ctx_total[ci], 0.0)
        types = np.where(ci >= 0, self.ctx_types[ci], 0.0)
        prob = np.full(len(win), 1.0 / (len(self.vocab) + 2))  # uniform over the characters, UNK and EOS
        at = 0
        for n, r in enumerate(rows, start=1):
            part = slice(at, at + len(r))
            at += len(r)
            d, lower = self.discounts[n - 1], prob[r]
            safe = np.maximum(total[part], 1.0)
            mixed = np.maximum(count[part] - d, 0.0) / safe + d * types[part] / safe * lower
            prob[r] = np.where(total[part] > 0, mixed, lower)
        out: F64 = np.log(prob)
        return out

    def counts(self, grams: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """The adjusted count of each n-gram (rows of ids), 0 when unseen."""
        at = self._lookup(_pack(grams, grams.shape[1]), self.gram_keys)
        found: npt.NDArray[np.float64] = np.where(at >= 0, self.gram_counts[at], 0.0)
        return found

    def windows(self, ids: Sequence[int]) -> npt.NDArray[np.int64]:
        """The query windows of every position of an encoded run after its start mark (row i: position i+1)."""
        arr = np.asarray(ids, dtype=np.int64)
        padded = np.concatenate([np.full(ORDER - 1, -1, dtype=np.int64), arr])
        view = np.lib.stride_tricks.sliding_window_view(padded, ORDER)
        return np.array(view[1 : len(arr)])

    def save(self, path: Path) -> None:
        chars = np.array([c for c, _ in sorted(self.vocab.items(), key=lambda kv: kv[1])])
        np.savez(
            path,
            chars=chars,
            gram_keys=self.gram_keys,
            gram_counts=self.gram_counts.astype(np.float32),
            ctx_keys=self.ctx_keys,
            ctx_total=self.ctx_total.astype(np.float32),
            ctx_types=self.ctx_types.astype(np.float32),
            discounts=np.array(self.discounts),
        )


def load(path: Path) -> NgramLM:
    with np.load(path, allow_pickle=False) as data:
        chars = [str(c) for c in data["chars"]]
        return NgramLM(
            vocab={c: i + _FIRST_ID for i, c in enumerate(chars)},
            gram_keys=data["gram_keys"],
            gram_counts=data["gram_counts"].astype(np.float64),
            ctx_keys=data["ctx_keys"],
            ctx_total=data["ctx_total"].astype(np.float64),
            ctx_types=data["ctx_types"].astype(np.float64),
            discounts=tuple(float(d) for d in data["discounts"]),
        )


def _windows(stream: npt.NDArray[np.int64], n: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Every n-gram of the id stream and whether it stays in one sentence or word (marks only at its ends)."""
    if len(stream) < n:
        return np.zeros((0, n), dtype=np.int64), np.zeros(0, dtype=bool)
    grams = np.lib.stride_tricks.sliding_window_view(stream, n)
    ok = np.ones(len(grams), dtype=bool)
    if n == 1:  # the marks that open a sentence or a word are never predicted
        ok &= (grams[:, 0] != BOS) & (grams[:, 0] != WORD)
    for j in range(n):
        if j > 0:
            ok &= (grams[:, j] != BOS) & (grams[:, j] != WORD)
        if j < n - 1:
            ok &= grams[:, j] != EOS
    return grams, ok


def _aggregate(keys: U64, weights: npt.NDArray[np.float64]) -> tuple[U64, npt.NDArray[np.float64]]:
    uniq, inverse = np.unique(keys, return_inverse=True)
    return uniq, np.bincount(inverse, weights=weights, minlength=len(uniq)).astype(np.float64)


def train(sentences: Iterable[str], words: Iterable[tuple[str, float]] = ()) -> NgramLM:
    """Count ``sentences`` (split into runs) and ``words`` (the n-grams inside each word, with the word's weight).

    A word is counted as ``WORD w1 w2 …``: the mark gives its first characters a left context, so that Kneser-Ney's
    continuation counts see dictionary words that the sentences lack; the mark itself is never queried.
    """
    vocab: dict[str, int] = {}
    text_ids: list[int] = []
    for text in sentences:
        for _, run in runs(text):
            text_ids += [BOS, *(vocab.setdefault(fold(c), len(vocab) + _FIRST_ID) for c in run), EOS]
    word_ids: list[int] = []
    word_weights: list[float] = []
    for w, weight in words:
        ids = [WORD, *(vocab.setdefault(fold(c), len(vocab) + _FIRST_ID) for c in w)]
        word_ids += ids
        word_weights += [weight] * len(ids)
    if len(vocab) + _FIRST_ID > _MASK:
        raise ValueError("too many distinct characters for the key layout")
    stream = np.asarray(text_ids + word_ids, dtype=np.int64)
    per_id = np.concatenate([np.ones(len(text_ids)), np.asarray(word_weights, dtype=np.float64)])
    raw: dict[int, tuple[U64, npt.NDArray[np.float64]]] = {}
    for n in range(1, ORDER + 1):
        grams, ok = _windows(stream, n)
        raw[n] = _aggregate(_pack(np.asarray(grams[ok]), n), per_id[: len(ok)][ok])
    return _kneser_ney(vocab, raw)


def _kneser_ney(vocab: dict[str, int], raw: dict[int, tuple[U64, npt.NDArray[np.float64]]]) -> NgramLM:
    """Adjusted counts, context totals and discounts from the raw counts of every order."""
    gram_keys, gram_counts, ctx_keys, ctx_total, ctx_types, discounts = [], [], [], [], [], []
    for n in range(1, ORDER + 1):
        keys, counts = raw[n]
        if n < ORDER:
            # continuation count: in how many distinct one-character contexts the n-gram was seen
            longer, _ = raw[n + 1]
            suffix = _strip(longer, n + 1, first=True)
            uniq, seen = np.unique(suffix, return_counts=True)
            at = np.minimum(np.searchsorted(uniq, keys), max(len(uniq) - 1, 0))
            cont = np.where((len(uniq) > 0) & (uniq[at] == keys), seen[at], 0).astype(np.float64)
            first = keys & np.uint64(_MASK)
            starts = (first == np.uint64(BOS)) | (first == np.uint64(WORD))
            counts = np.where(starts, counts, cont)
        n1, n2 = float(np.sum(np.isclose(counts, 1.0))), float(np.sum(np.isclose(counts, 2.0)))
        discounts.append(min(max(n1 / (n1 + 2 * n2), 0.1), 0.95) if n1 + n2 else 0.5)
        keep = counts > 0
        keys, counts = keys[keep], counts[keep]
        gram_keys.append(keys)
        gram_counts.append(counts)
        ctx = _strip(keys, n, first=False) if n > 1 else np.zeros(len(keys), dtype=np.uint64)
        uniq, inverse = np.unique(ctx, return_inverse=True)
        ctx_keys.append(uniq)
        ctx_total.append(np.bincount(inverse, weights=counts, minlength=len(uniq)).astype(np.float64))
        ctx_types.append(np.bincount(inverse, minlength=len(uniq)).astype(np.float64))
    gk, gc = np.concatenate(gram_keys), np.concatenate(gram_counts).astype(np.float64)
    ck, ct, cy = np.concatenate(ctx_keys), np.concatenate(ctx_total), np.concatenate(ctx_types)
    go, co = np.argsort(gk), np.argsort(ck)
    return NgramLM(vocab, gk[go], gc[go], ck[co], ct[co], cy[co], tuple(discounts))
