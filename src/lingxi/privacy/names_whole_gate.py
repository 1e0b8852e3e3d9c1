"""Which clauses the whole-text tagger (:mod:`.names_whole`) must tag at all: an upper bound of every position's
marginal probability of B, from the tagger's own weights, in numpy over the whole text at once.

Why: the tagger keeps a span only when its probability — a product of marginals that starts with P(B at its
first character) — clears :data:`.names_whole.FLOOR`; on ordinary text fewer than 2 % of clauses hold any position
with P(B) ≥ 0.4, yet building CRFsuite's feature strings and tagging cost ~7 µs per character of every clause
(0.44× the redactor's speed without the tagger). This module reads the model's weights once
(``Tagger.info()``) into numpy tables keyed like :func:`.names_crf.char_features`' features — a character's own
features, what it gives its neighbours (p=/pg=, n=/ng=), class pairs (pp/pc/cn/nn), the dictionary words starting
and ending at each position (ws/wt/we), compound surnames (s2) and the cue words (role/bef/ttl/aft, looked up in
Python only where a character's bits allow one) — and sums each position's state weights from them. Then, by the
chain's Markov property, P(B at s) is a mixture over the labels at ``s - 1`` and ``s + 2`` of P(B at s | those),
each computable from the states at ``s`` and ``s + 1`` and the transitions, so the largest of the nine is an upper
bound. A clause whose every bound is under the floor yields no span the tagger would keep: it is not tagged.
The clauses that remain are tagged by CRFsuite exactly as before, so the spans kept do not change.

Rounding: CRFsuite's dump holds six decimals per weight; :data:`GATE_SLACK` (relative) covers that many times over.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from lingxi.privacy.names_crf import _AFT_H, _AFTER, _BEF_T, _BEFORE, _ROLE_T, _ROLES, _TTL_H, _entry, open_tagger

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

GATE_SLACK = 0.98  # a clause is tagged when a bound reaches this share of the floor (rounding: see the module doc)
_LABELS = ("O", "B", "I")
_SHIFT = 21  # bits of one code point in an n-gram key
_PAIRS = ("pp=", "pc=", "cn=", "nn=")
_Arr = Any  # numpy arrays (numpy's stubs are not precise enough to help here)
_Key = int | tuple[int, int]


def _key(w: str) -> _Key:
    """A string of one to five characters as a key: an int of its code points up to three, else a pair of them
    (the same keys :func:`_grams` builds from a text)."""
    if len(w) > 3:
        return (_int_key(w[:-2]), _int_key(w[-2:]))
    return _int_key(w)


def _int_key(w: str) -> int:
    k = 0
    for ch in w:
        k = (k << _SHIFT) | ord(ch)
    return k


class _Weights:
    """The tagger's weights as ``(B - O, I - O)`` per attribute (only differences between labels reach a
    marginal), its transitions as ``exp``, and tables keyed like :func:`_grams`: class pairs, dictionary words,
    compound surnames and cue words. A table's rows end with a row of zeros, the row of every key it lacks."""

    def __init__(self, path: str, model: NameModel) -> None:
        info = open_tagger(path).info()
        state: dict[str, list[float]] = {}
        for (attr, label), w in info.state_features.items():
            state.setdefault(attr, [0.0, 0.0, 0.0])[_LABELS.index(label)] += w
        self.w = {a: (v[1] - v[0], v[2] - v[0]) for a, v in state.items()}
        self.trans = np.exp(np.array([[info.transitions.get((a, b), 0.0) for b in _LABELS] for a in _LABELS]))
        pairs: dict[_Key, list[tuple[float, float]]] = {}
        for attr, v in self.w.items():
            if attr[:3] in _PAIRS and len(attr) == 5:
                pairs.setdefault(_key(attr[3:]), [(0.0, 0.0)] * 4)[_PAIRS.index(attr[:3])] = v
        self.pairs = self._table(pairs, 8)
        self.model = model
        self.words = {
            n: self._table({_key(w): [*self.word_w(w, v)] for w, v in model.words.items() if len(w) == n}, 4)
            for n in (2, 3, 4)
        }
        self.compound = self._table({_key(s): [self.w.get("s2", (0.0, 0.0))] for s in model.surnames if len(s) == 2}, 2)
        self.roles = {
            n: self._table({_key(r): [self.w.get("role", (0.0, 0.0))] for r in _ROLES if len(r) == n}, 2)
            for n in range(1, 6)
        }
        self.before = {
            n: self._table({_key(b): [self.w.get(f"bef={b}", (0.0, 0.0))] for b in _BEFORE if len(b) == n}, 2)
            for n in (1, 2, 3)
        }
        self.after = {
            n: self._table({_key(a): [self.w.get(f"aft={a}", (0.0, 0.0))] for a in _AFTER if len(a) == n}, 2)
            for n in (1, 2)
        }
        self.titles = {
            n: self._table({_key(t): [self.w.get(f"ttl={n}", (0.0, 0.0))] for t in model.titles if len(t) == n}, 2)
            for n in (1, 2, 3)
        }
        self.heads2 = frozenset(s[0] for s in model.surnames if len(s) == 2)
        self.title_heads = frozenset(t[0] for t in model.titles)
        self.chars: dict[str, int] = {}
        self.rows: list[tuple[float, ...]] = []
        self.table = np.zeros((0, 9))
        self.edge_p = np.array(self._sum("p=^", "pg=x"))
        self.edge_n = np.array(self._sum("n=$", "ng=x"))
        self.s2 = np.array(self.w.get("s2", (0.0, 0.0)))

    @staticmethod
    def _table(rows: dict[_Key, list[tuple[float, float]]], width: int) -> tuple[dict[_Key, int], _Arr]:
        """Each key's row and the rows (``width`` numbers and a 1), a last row of zeros for keys not there."""
        index = {k: i for i, k in enumerate(rows)}
        values = np.zeros((len(rows) + 1, width + 1))  # the last column: 1 where the key is there
        for k, i in index.items():
            values[i, :width] = np.ravel(rows[k])
            values[i, width] = 1.0
        return index, values

    def _sum(self, *attrs: str) -> tuple[float, float]:
        z = (0.0, 0.0)
        return sum(self.w.get(a, z)[0] for a in attrs), sum(self.w.get(a, z)[1] for a in attrs)

    def word_w(self, w: str, v: float) -> tuple[tuple[float, float], tuple[float, float]]:
        """The start (ws + wt) and end (we) weights of dictionary word ``w`` (log10 frequency ``v``)."""
        b = int(np.floor(v))
        tag = self.model.tags.get(w, "-")[:2]
        return self._sum(f"ws{len(w)}={b}", f"wt={tag}"), self._sum(f"we{len(w)}={b}")

    def ids(self, text: str) -> _Arr:
        """Each character's row of :attr:`table` (rows are added for characters not seen before)."""
        found = list(map(self.chars.get, text))
        if None in found:
            new = set(text) - self.chars.keys()
            for ch in new:
                self.chars[ch] = len(self.rows)
                self.rows.append(self._char_row(ch))
            if len(self.rows) > len(self.table):  # grown by doubling: a new character seldom copies the table
                table = np.zeros((2 * len(self.rows), 9))
                table[: len(self.rows)] = self.rows
                self.table = table
            else:
                for ch in new:
                    self.table[self.chars[ch]] = self.rows[self.chars[ch]]
            found = list(map(self.chars.get, text))
        return np.array(found, dtype=np.int64)

    def _char_row(self, ch: str) -> tuple[float, ...]:
        """A character's own weights (c= and its static features), as the one before (p=, pg=) and as the one
        after (n=, ng=), its class's code point, its cue bits and whether it is a one-character surname."""
        model = self.model
        cls, static, c, p, n, pg, ng, bits = _entry(ch, model, self.heads2, self.title_heads)
        return (*self._sum(c, *static), *self._sum(p, pg), *self._sum(n, ng), ord(cls), bits, ch in model.surnames)


@lru_cache(maxsize=4)
def weights(path: str, model: NameModel) -> _Weights:
    """The tables of the tagger at ``path`` for ``model`` (read once per process)."""
    return _Weights(path, model)


def _rows(keys: list[_Key], table: tuple[dict[_Key, int], _Arr]) -> _Arr:
    """The rows of ``table`` for ``keys`` (its zero row where a key is absent): one dict lookup per key at C speed
    (``np.searchsorted`` over the dictionary's keys was slower by a cache miss per step)."""
    index, values = table
    at = np.fromiter(map(index.get, keys, repeat(len(values) - 1)), dtype=np.int64, count=len(keys))
    return values[at]


class _Grams:
    """The keys of the n-grams of a text (one to five characters) starting at given positions."""

    def __init__(self, text: str) -> None:
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        self.k = [np.zeros(0, dtype=np.int64), cp, np.zeros(len(cp), dtype=np.int64), np.zeros(len(cp), dtype=np.int64)]
        self.k[2][:-1] = (cp[:-1] << _SHIFT) | cp[1:]
        self.k[3][:-2] = (self.k[2][:-2] << _SHIFT) | cp[2:]

    def at(self, n: int, starts: _Arr) -> list[_Key]:
        """The keys of the ``n``-grams starting at ``starts`` (each inside the text)."""
        if n <= 3:
            return list(self.k[n][starts].tolist())
        head = self.k[n - 2][starts].tolist()
        return list(zip(head, self.k[2][starts + n - 2].tolist(), strict=True))


def emissions(pieces: list[tuple[int, str]], W: _Weights) -> tuple[_Arr, _Arr]:
    """The state weights ``(B - O, I - O)`` of every character of the clauses ``pieces`` (joined), as
    :func:`.names_crf.char_features` and the tagger would sum them, and each character's position in its clause."""
    joined = "".join(p for _, p in pieces)
    L = len(joined)
    lens = np.array([len(p) for _, p in pieces])
    starts = np.repeat(np.cumsum(lens) - lens, lens)
    pos = np.arange(L) - starts
    left = np.repeat(lens, lens) - pos - 1  # characters after this one in its clause
    ids = W.ids(joined)  # first: it may grow the table
    tab = W.table[ids]
    first, last = pos == 0, left == 0
    prev = np.vstack([W.edge_p, tab[:-1, 2:4]])
    prev[first] = W.edge_p
    nxt = np.vstack([tab[1:, 4:6], W.edge_n])
    nxt[last] = W.edge_n
    e = tab[:, 0:2] + prev + nxt
    # class pairs over the clauses padded as in char_features (^^ before each, $$ after)
    clause = np.repeat(np.arange(len(lens)), lens)
    padded = np.full(L + 4 * len(lens), ord("$"), dtype=np.int64)
    at = np.arange(L) + 2 + 4 * clause
    padded[at] = tab[:, 6]
    heads = np.cumsum(lens + 4) - lens - 2
    padded[heads - 1] = padded[heads - 2] = ord("^")
    pair = _rows(list(((padded[:-1] << _SHIFT) | padded[1:]).tolist()), W.pairs)[:, :8].reshape(-1, 4, 2)
    e += pair[at - 2, 0] + pair[at - 1, 1] + pair[at, 2] + pair[at + 1, 3]
    # dictionary words starting and ending at each position (the longest of each), compound surnames, cue words
    g = _Grams(joined)
    start_w, end_w = np.zeros((L, 2)), np.zeros((L, 2))
    for n in (2, 3, 4):  # a longer word overwrites a shorter one starting or ending at the same place
        idx = np.nonzero(left >= n - 1)[0]
        rows = _rows(g.at(n, idx), W.words[n])
        hit = rows[:, 4] > 0
        start_w[idx[hit]] = rows[hit, 0:2]
        end_w[idx[hit] + n - 1] = rows[hit, 2:4]
    e += start_w + end_w
    idx = np.nonzero(left >= 1)[0]
    e[idx] += _rows(g.at(2, idx), W.compound)[:, :2]
    e[last & (tab[:, 8] > 0)] += W.s2
    _cues(e, g, tab[:, 7].astype(np.int64), pos, left, W)
    return e, pos


def _longest(idx: _Arr, sizes: tuple[int, ...], room: _Arr, shift: int, g: _Grams, tables: dict[int, Any]) -> _Arr:
    """At each position of ``idx``, the weights of the longest n-gram (``sizes``, longest first) that ``tables[n]``
    holds, starting ``shift`` after the position (``shift`` < 0: ending right before it), where ``room`` ≥ n."""
    out = np.zeros((len(idx), 2))
    done = np.zeros(len(idx), dtype=bool)
    for n in sizes:
        mask = np.nonzero(~done & (room >= n))[0]
        if not len(mask):
            continue
        rows = _rows(g.at(n, idx[mask] + (shift if shift > 0 else -n)), tables[n])
        hit = rows[:, 2] > 0
        out[mask[hit]] = rows[hit, :2]
        done[mask[hit]] = True
    return out


def _cues(e: _Arr, g: _Grams, bits: _Arr, pos: _Arr, left: _Arr, W: _Weights) -> None:
    """Add the cue features of :func:`.names_crf._add_context` (a role word or a word of ``BEFORE`` ending right
    before a position, a title or a word of ``AFTER`` starting right after it, the longest of each), looked up
    only where the neighbour's bits say one can stand."""
    prev_bits = np.r_[0, bits[:-1]] * (pos > 0)
    next_bits = np.r_[bits[1:], 0] * (left > 0)
    idx = np.nonzero(prev_bits & _ROLE_T)[0]
    if len(idx):  # any role word gives the same feature: the longest found is as good as any
        e[idx] += _longest(idx, (5, 4, 3, 2, 1), pos[idx], -1, g, W.roles)
    idx = np.nonzero(prev_bits & _BEF_T)[0]
    if len(idx):
        e[idx] += _longest(idx, (3, 2, 1), pos[idx], -1, g, W.before)
    idx = np.nonzero(next_bits & _TTL_H)[0]
    if len(idx):
        e[idx] += _longest(idx, (3, 2, 1), left[idx], 1, g, W.titles)
    idx = np.nonzero(next_bits & _AFT_H)[0]
    if len(idx):
        e[idx] += _longest(idx, (2, 1), left[idx], 1, g, W.after)


def _scan(m: _Arr, reverse: bool) -> _Arr:
    """Prefix products ``m[0] @ … @ m[t]`` (or, ``reverse``, suffix products ``m[t] @ … @ m[-1]``) of a stack of
    3×3 matrices laid out ``(3, 3, len)``, in log2(len) steps, each product scaled to the sum of its entries (a
    marginal is a ratio). Broadcast products, not ``np.matmul``: its cost per 3×3 product was most of the gate's."""
    p = m.copy()
    d = 1
    n = p.shape[2]
    while d < n:
        a, b = p[:, :, :-d], p[:, :, d:]
        prod = (a[:, :, None, :] * b[None, :, :, :]).sum(axis=1)
        prod /= prod.sum(axis=(0, 1))
        if reverse:
            p[:, :, :-d] = prod
        else:
            p[:, :, d:] = prod
        d *= 2
    return p


def b_marginals(e: _Arr, pos: _Arr, trans: _Arr) -> _Arr:
    """P(B at each position) in its clause, by forward–backward over all clauses at once: the transition into a
    clause's first position counts as all ones, which makes each clause's labels independent of the others'."""
    L = len(e)
    ex = np.ones((3, L))
    ex[1:] = np.exp(np.clip(e.T, -200.0, 200.0))
    m = np.repeat(trans[:, :, None], L, axis=2)  # m[:, :, t] = edge into t, times the states at t
    m[:, :, pos == 0] = 1.0
    m *= ex[None, :, :]
    alpha = _scan(m, False).sum(axis=0)  # a row of ones times the prefix product
    beta = np.ones((3, L))
    if L > 1:
        beta[:, :-1] = _scan(m[:, :, 1:], True).sum(axis=1)  # the suffix product from t + 1 times ones
    joint = alpha * beta
    return np.asarray(joint[1] / joint.sum(axis=0))


def clauses_to_tag(pieces: list[tuple[int, str]], model: NameModel, floor: float) -> list[bool]:
    """For each clause of ``pieces``, whether any of its positions may have P(B) ≥ ``floor`` (then it is tagged)."""
    if not pieces:
        return []
    W = weights(model.whole, model)
    e, pos = emissions(pieces, W)
    bound = b_marginals(e, pos, W.trans) >= floor * GATE_SLACK
    lens = [len(p) for _, p in pieces]
    cuts = np.cumsum([0, *lens])
    hits = np.add.reduceat(bound.astype(np.int64), cuts[:-1]) if len(bound) else np.zeros(0)
    return [bool(h) for h in hits.tolist()]
