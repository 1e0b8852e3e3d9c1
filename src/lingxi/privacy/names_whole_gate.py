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


class _Weights:
    """The tagger's weights as ``(B - O, I - O)`` per attribute (only differences between labels reach a
    marginal), its transitions as ``exp``, and numpy tables of the class pairs and dictionary words."""

    def __init__(self, path: str, model: NameModel) -> None:
        tagger = open_tagger(path)
        info = tagger.info()
        state: dict[str, list[float]] = {}
        for (attr, label), w in info.state_features.items():
            state.setdefault(attr, [0.0, 0.0, 0.0])[_LABELS.index(label)] += w
        self.w = {a: (v[1] - v[0], v[2] - v[0]) for a, v in state.items()}
        self.trans = np.exp(np.array([[info.transitions.get((a, b), 0.0) for b in _LABELS] for a in _LABELS]))
        pair_keys: dict[int, int] = {}
        rows: list[list[tuple[float, float]]] = []
        for attr, v in self.w.items():
            if attr[:3] in _PAIRS and len(attr) == 5:
                k = (ord(attr[3]) << _SHIFT) | ord(attr[4])
                if k not in pair_keys:
                    pair_keys[k] = len(rows)
                    rows.append([(0.0, 0.0)] * 4)
                rows[pair_keys[k]][_PAIRS.index(attr[:3])] = v
        self.pair_keys = pair_keys
        self.pair_w = np.array(rows, dtype=np.float64).reshape(-1, 4, 2)
        self.model = model
        self.words = {n: self._word_table(n) for n in (2, 3)}
        self.heads3 = {self._key(w[:3]): 0 for w in model.words if len(w) == 4}
        self.compound = {self._key(s): 0 for s in model.surnames if len(s) == 2}
        self.heads2 = frozenset(s[0] for s in model.surnames if len(s) == 2)
        self.title_heads = frozenset(t[0] for t in model.titles)
        self.chars: dict[str, int] = {}
        self.rows: list[tuple[float, float, float, float, float, float, int, int, bool]] = []
        self.table = np.zeros((0, 9))
        self.cue: dict[str, tuple[float, float]] = {}
        self.edge_p = self._sum("p=^", "pg=x")
        self.edge_n = self._sum("n=$", "ng=x")
        self.s2 = np.array(self.w.get("s2", (0.0, 0.0)))

    @staticmethod
    def _key(w: str) -> int:
        k = 0
        for ch in w:
            k = (k << _SHIFT) | ord(ch)
        return k

    def _sum(self, *attrs: str) -> _Arr:
        z = (0.0, 0.0)
        return np.array([sum(self.w.get(a, z)[0] for a in attrs), sum(self.w.get(a, z)[1] for a in attrs)])

    def word_w(self, w: str, v: float) -> tuple[_Arr, _Arr]:
        """The start (ws + wt) and end (we) weights of dictionary word ``w`` (log10 frequency ``v``)."""
        b = int(np.floor(v))
        tag = self.model.tags.get(w, "-")[:2]
        return self._sum(f"ws{len(w)}={b}", f"wt={tag}"), self._sum(f"we{len(w)}={b}")

    def _word_table(self, n: int) -> tuple[dict[int, int], _Arr, _Arr]:
        found = [(self._key(w), w, v) for w, v in self.model.words.items() if len(w) == n]
        keys = {k: i for i, (k, _, _) in enumerate(found)}
        pairs = [self.word_w(w, v) for _, w, v in found]
        starts = np.array([p[0] for p in pairs]).reshape(-1, 2)
        ends = np.array([p[1] for p in pairs]).reshape(-1, 2)
        return keys, starts, ends

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

    def _char_row(self, ch: str) -> tuple[float, float, float, float, float, float, int, int, bool]:
        """A character's own weights (c= and its static features), as the one before (p=, pg=) and as the one
        after (n=, ng=), its class's code point, its cue bits and whether it is a one-character surname."""
        model = self.model
        cls, static, c, p, n, pg, ng, bits = _entry(ch, model, self.heads2, self.title_heads)
        own, prev, nxt = self._sum(c, *static), self._sum(p, pg), self._sum(n, ng)
        return (*own, *prev, *nxt, ord(cls), bits, ch in model.surnames)


@lru_cache(maxsize=4)
def weights(path: str, model: NameModel) -> _Weights:
    """The tables of the tagger at ``path`` for ``model`` (read once per process)."""
    return _Weights(path, model)


def _lookup(keys: _Arr, rows: dict[int, int]) -> tuple[_Arr, _Arr]:
    """Each key's row in ``rows`` (0 where absent) and whether it is there: a dict lookup per key at C speed
    (``np.searchsorted`` over the dictionary's 300k keys was slower by a cache miss per step)."""
    at = np.fromiter(map(rows.get, keys.tolist(), repeat(-1)), dtype=np.int64, count=len(keys))
    hit = at >= 0
    return np.where(hit, at, 0), hit


def _cues(pieces: list[tuple[int, str]], t_all: _Arr, W: _Weights, out: _Arr) -> None:
    """Add the role/bef/ttl/aft weights at the positions ``t_all`` (of the joined clauses) that may have one."""
    model = W.model
    titles = model.titles
    bounds = np.cumsum([0] + [len(p) for _, p in pieces])
    which: list[int] = (np.searchsorted(bounds, t_all, side="right") - 1).tolist()
    for g, k0 in zip(t_all.tolist(), which, strict=True):
        piece, t = pieces[k0][1], g - int(bounds[k0])
        n = len(piece)
        feats: list[str] = []
        if t and W.rows[W.chars[piece[t - 1]]][7] & _ROLE_T:
            for k in (5, 4, 3, 2, 1):
                if t >= k and piece[t - k : t] in _ROLES:
                    feats.append("role")
                    break
        if t and W.rows[W.chars[piece[t - 1]]][7] & _BEF_T:
            for k in (3, 2, 1):
                if t >= k and piece[t - k : t] in _BEFORE:
                    feats.append(f"bef={piece[t - k : t]}")
                    break
        if t + 1 < n:
            nb = W.rows[W.chars[piece[t + 1]]][7]
            if nb & _TTL_H:
                for k in (3, 2, 1):
                    if piece[t + 1 : t + 1 + k] in titles and t + k < n:
                        feats.append(f"ttl={k}")
                        break
            if nb & _AFT_H:
                for k in (2, 1):
                    if piece[t + 1 : t + 1 + k] in _AFTER and t + k < n:
                        feats.append(f"aft={piece[t + 1 : t + 1 + k]}")
                        break
        for f in feats:
            out[g] += W.w.get(f, (0.0, 0.0))


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
    prev = np.zeros((L, 2))
    prev[1:] = tab[:-1, 2:4]
    prev[first] = W.edge_p
    nxt = np.zeros((L, 2))
    nxt[:-1] = tab[1:, 4:6]
    nxt[last] = W.edge_n
    e = tab[:, 0:2] + prev + nxt
    # class pairs: ^ before a clause, $ after it
    cls = tab[:, 6].astype(np.int64)
    c1 = np.full(L, ord("^"), dtype=np.int64)
    c1[1:] = cls[:-1]
    c1[pos < 1] = ord("^")
    c2 = np.full(L, ord("^"), dtype=np.int64)
    c2[2:] = cls[:-2]
    c2[pos < 2] = ord("^")
    n1 = np.full(L, ord("$"), dtype=np.int64)
    n1[:-1] = cls[1:]
    n1[left < 1] = ord("$")
    n2 = np.full(L, ord("$"), dtype=np.int64)
    n2[:-2] = cls[2:]
    n2[left < 2] = ord("$")
    keys = np.concatenate([(c2 << _SHIFT) | c1, (c1 << _SHIFT) | cls, (cls << _SHIFT) | n1, (n1 << _SHIFT) | n2])
    at, hit = _lookup(keys, W.pair_keys)
    for j in range(4):
        sl = slice(j * L, (j + 1) * L)
        e[hit[sl]] += W.pair_w[at[sl][hit[sl]], j]
    # dictionary words starting and ending at each position (the longest of each), compound surnames
    cp = np.array([ord(ch) for ch in joined], dtype=np.int64) if L else np.zeros(0, dtype=np.int64)
    k2 = np.zeros(L, dtype=np.int64)
    k2[:-1] = (cp[:-1] << _SHIFT) | cp[1:]
    k3 = np.zeros(L, dtype=np.int64)
    k3[:-2] = (k2[:-2] << _SHIFT) | cp[2:]
    start_w, end_w = np.zeros((L, 2)), np.zeros((L, 2))
    end_len = np.zeros(L, dtype=np.int64)
    for n, k in ((2, k2), (3, k3)):
        keys_n, sw, ew = W.words[n]
        at, hit = _lookup(k, keys_n)
        hit &= left >= n - 1
        idx = np.nonzero(hit)[0]
        start_w[idx] = sw[at[idx]]  # a longer word starting here overwrites (3 after 2)
        end_at = idx + n - 1
        end_w[end_at] = ew[at[idx]]  # the longer word ending there overwrites (its start is earlier)
        end_len[end_at] = n
    at, hit = _lookup(k3, W.heads3)
    for t in np.nonzero(hit & (left >= 3))[0].tolist():
        w = joined[t : t + 4]
        v = W.model.words.get(w)
        if v is not None:
            s, en = W.word_w(w, v)
            start_w[t], end_w[t + 3] = s, en
    e += start_w + end_w
    at, hit = _lookup(k2, W.compound)
    e[hit & (left >= 1)] += W.s2
    e[last & (tab[:, 8] > 0)] += W.s2
    # cue words: only where a neighbour's bits allow one
    bits = tab[:, 7].astype(np.int64)
    pb = np.zeros(L, dtype=np.int64)
    pb[1:] = bits[:-1]
    nb = np.zeros(L, dtype=np.int64)
    nb[:-1] = bits[1:]
    maybe = ((pb & (_ROLE_T | _BEF_T)) * (pos > 0) > 0) | ((nb & (_TTL_H | _AFT_H)) * (left > 0) > 0)
    if maybe.any():
        _cues(pieces, np.nonzero(maybe)[0], W, e)
    return e, pos


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
