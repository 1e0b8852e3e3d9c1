"""A linear-chain CRF over the characters around a surname (the runtime half; training is in
:mod:`.names_crf_train`).

Why a sequence model on top of the hand score and the re-ranker: the misses that are left are names that
are also words (宁静, 高峰, 夏天) or stand with no listed cue (焦阳在哪个科室); whether 宁静 is a person
depends on the characters and words on both sides *and* on where the span begins and ends, which a tagger
decides jointly (B/I/O per character) instead of scoring one candidate at a time. Its features are the
characters and their pairs, how common each character is as a surname and inside a given name, which
dictionary words start and end at each position, the cue words (roles, person-taking verbs, titles, what a
person does) and punctuation. It is trained only on sentences generated from frames we wrote, filled with
names drawn from the built names resource, plus ordinary text (all negative).

Speed: the tagger sees only the window :mod:`.names` already caches scores by (a few characters before a
surname, eight from it), and only for candidates the hand score left in a grey band; scores are cached per
window like the rest, so redaction pays for it once per distinct context.

The tagger is python-crfsuite (MIT, CRFsuite's binding); without a built ``crf.model`` nothing here runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_rerank import char_class

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

CRF_FILE = "crf.model"
_ROLES = frozenset(seed.ROLES)
_BEFORE = frozenset(seed.BEFORE)
_AFTER = frozenset(seed.AFTER)


def _bucket(x: float) -> int:
    return math.floor(x)


_ROLE_TAILS = frozenset(w[-1] for w in _ROLES)
_BEFORE_TAILS = frozenset(w[-1] for w in _BEFORE)
_AFTER_HEADS = frozenset(w[0] for w in _AFTER)
_PER_CHAR_MAX = 65536  # characters remembered per model (keys come from user text: bounded)


# A character's entry in the per-model table (:func:`_tables`): its class (see :func:`char_class`), its static
# features (surname class, given-name bucket), the strings of its c=/p=/n=/pg=/ng= features, and bits saying
# which rarer features it can open (a compound surname's first character; a role word's or a verb's last; a
# title's or an act's first), so most positions skip those checks with one bit test.
_Entry = tuple[str, tuple[str, ...], str, str, str, str, str, int]
_S2, _ROLE_T, _BEF_T, _TTL_H, _AFT_H = 1, 2, 4, 8, 16


def _entry(ch: str, model: NameModel, compound_heads: frozenset[str], title_heads: frozenset[str]) -> _Entry:
    """What a character contributes wherever it stands (cached per model: feature extraction is most of the
    tagger's cost at redaction time)."""
    s = model.surnames.get(ch)
    g = str(_bucket(model.given.get(ch, -5.0)))
    static = (f"s={_bucket(s / 2)}", f"g={g}") if s is not None else (f"g={g}",)
    cls = char_class(ch)
    bits = (
        (_S2 if ch in compound_heads else 0)
        | (_ROLE_T if ch in _ROLE_TAILS else 0)
        | (_BEF_T if ch in _BEFORE_TAILS else 0)
        | (_TTL_H if ch in title_heads else 0)
        | (_AFT_H if ch in _AFTER_HEADS else 0)
    )
    return cls, static, f"c={cls}", f"p={cls}", f"n={cls}", f"pg={g}", f"ng={g}", bits


@lru_cache(maxsize=8)
def _tables(
    model: NameModel,
) -> tuple[
    dict[str, _Entry], frozenset[str], frozenset[str], frozenset[str], frozenset[str], dict[str, tuple[str, str, str]]
]:
    """Per model: a per-character table of :func:`_entry` (one dict lookup per character), the first two and
    three characters of the dictionary's longer words (most character pairs in text start none, so their 3- and
    4-character slices need no lookup in the 300k-word dictionary), the titles' and the compound surnames' first
    characters, and the ws/wt/we feature strings of each dictionary word met so far."""
    heads2 = frozenset(w[:2] for w in model.words if len(w) > 2)
    heads3 = frozenset(w[:3] for w in model.words if len(w) > 3)
    compound_heads = frozenset(s[0] for s in model.surnames if len(s) == 2)
    return {}, heads2, heads3, frozenset(t[0] for t in model.titles), compound_heads, {}


def _rows(text: str, model: NameModel) -> list[_Entry]:
    """Each character's entry, from the per-model table (filled on first sight, up to its bound)."""
    per_char, _, _, title_heads, compound_heads, _ = _tables(model)
    # one map over the table (the loop is C); a character not yet in it is rare once a model has been in use
    found = list(map(per_char.get, text))
    if all(found):  # every entry is a non-empty tuple: no character was missing
        return found  # type: ignore[return-value]
    rows: list[_Entry] = []
    for ch, known in zip(text, found, strict=True):
        if known is None:
            known = _entry(ch, model, compound_heads, title_heads)
            if len(per_char) < _PER_CHAR_MAX:
                per_char[ch] = known
        rows.append(known)
    return rows


def _word_feats(w: str, v: float, model: NameModel, cache: dict[str, tuple[str, str, str]]) -> tuple[str, str, str]:
    """The ws (starts here: length, frequency bucket), wt (its tag) and we (ends here) strings of word ``w``."""
    hit = cache.get(w)
    if hit is None:
        b = _bucket(v)
        hit = (f"ws{len(w)}={b}", f"wt={model.tags.get(w, '-')[:2]}", f"we{len(w)}={b}")
        if len(cache) < _PER_CHAR_MAX:
            cache[w] = hit
    return hit


def char_features(text: str, model: NameModel, lo: int = 0, hi: int | None = None) -> list[list[str]]:
    """Features of every character of ``text`` (a window; ^ and $ mark its edges, as in training); with ``lo``
    and ``hi``, of the characters ``lo`` to ``hi - 1`` only (the same lists, in the same window).

    The whole window is tagged, not only from the surname on: a sequence starting one character before
    the surname was 1.3x faster but flagged twice as many hard negatives on the dev parts.

    Hot at redaction time (every window the tagger sees), so it works from per-model tables
    (:func:`_tables`): each character's feature strings are made once, the context features are built a
    column at a time, and the rarer features (word starts and ends, cue words) are looked for only where a
    character's bits say one can stand. The order of the features in each list is the tagger's training order."""
    n = len(text)
    hi = n if hi is None else hi
    rows = _rows(text, model)
    cls = ["^", "^", *[r[0] for r in rows], "$", "$"]
    pairs = [a + b for a, b in pairwise(cls)]  # pairs[k]: classes k and k+1 of the padded row
    out = [
        [r[2], p, nx, "pp=" + a, "pc=" + b, "cn=" + c, "nn=" + d, *r[1]]
        for r, p, nx, a, b, c, d in zip(
            rows[lo:hi],
            ["p=^", *[r[3] for r in rows]][lo:hi],
            [*[r[4] for r in rows[1:]], "n=$"][lo:hi],
            pairs[lo:hi],
            pairs[lo + 1 :],
            pairs[lo + 2 :],
            pairs[lo + 3 :],
            strict=False,  # the pairs run on past hi
        )
    ]
    surnames = model.surnames
    for t in range(lo, min(hi, n - 1)):
        if rows[t][7] & _S2 and text[t : t + 2] in surnames:
            out[t - lo].append("s2")
    if lo < hi == n and text[n - 1] in surnames:  # the last slice is one character: a single surname counts
        out[-1].append("s2")
    _add_context(text, model, rows, lo, hi, out, True)
    return out


def _add_context(
    text: str, model: NameModel, rows: list[_Entry], lo: int, hi: int, out: list[list[str]], edges: bool
) -> None:
    """Append to ``out[t - lo]`` the features of position ``t`` (``lo`` to ``hi - 1``) that depend on more than
    a character and its neighbours: dictionary words starting and ending there and cue words around it; first,
    when ``edges``, its neighbours' given-name buckets (pg, ng). :func:`char_features` and :func:`b_bound` share it."""
    n = len(text)
    _, heads2, heads3, _, _, word_strs = _tables(model)
    words, titles = model.words, model.titles
    get, strs = words.get, word_strs.get
    # one pass: the pg/ng features, then the longest dictionary word starting at each position and the one
    # ending there (a word ending at a position that started earlier is longer: the first one recorded there
    # stays; every word ending at ``t`` started before ``t``, so ``ends[t]`` is complete when ``t`` is reached)
    # Before lo only the words that reach lo are looked up (a 2-character word from lo - 1, a 3-character one
    # from lo - 2, a 4-character one from lo - 3): the dictionary is large, and each lookup a cache miss
    ends: list[tuple[str, str, str] | None] = [None] * (n + 3)
    for t in range(max(0, lo - 3), hi):  # from three before lo: the words that end in lo..lo+2 start there
        st = None
        if t + 1 < n:
            w = text[t : t + 2]
            if t + 1 >= lo and (v := get(w)) is not None:
                st = strs(w) or _word_feats(w, v, model, word_strs)
                if ends[t + 1] is None:
                    ends[t + 1] = st
            if w in heads2 and t + 3 <= n:
                w = text[t : t + 3]
                if t + 2 >= lo and (v := get(w)) is not None:
                    st = strs(w) or _word_feats(w, v, model, word_strs)
                    if ends[t + 2] is None:
                        ends[t + 2] = st
                if t + 4 <= n and w in heads3 and (v := get(w := text[t : t + 4])) is not None:
                    st = ends[t + 3] = strs(w) or _word_feats(w, v, model, word_strs)
        if t < lo:
            continue
        f = out[t - lo]
        if edges:
            f.append(rows[t - 1][5] if t else "pg=x")
            f.append(rows[t + 1][6] if t + 1 < n else "ng=x")
        if st is not None:
            f.append(st[0])
            f.append(st[1])
        if (en := ends[t]) is not None:
            f.append(en[2])
        prev_bits = rows[t - 1][7] if t else 0
        if prev_bits & _ROLE_T:  # a role word or label just before
            for k in (5, 4, 3, 2, 1):
                if t >= k and text[t - k : t] in _ROLES:
                    f.append("role")
                    break
        if prev_bits & _BEF_T:
            for k in (3, 2, 1):
                if t >= k and text[t - k : t] in _BEFORE:
                    f.append(f"bef={text[t - k : t]}")
                    break
        if t + 1 < n:
            next_bits = rows[t + 1][7]
            if next_bits & _TTL_H:
                for k in (3, 2, 1):  # a title starting right after this character
                    if text[t + 1 : t + 1 + k] in titles and t + k < n:
                        f.append(f"ttl={k}")
                        break
            if next_bits & _AFT_H:
                for k in (2, 1):  # what a person does or has, right after
                    if text[t + 1 : t + 1 + k] in _AFTER and t + k < n:
                        f.append(f"aft={text[t + 1 : t + 1 + k]}")
                        break


@lru_cache(maxsize=4)
def open_tagger(path: str) -> Any:
    """The CRFsuite tagger of ``path``, opened once per process (ValueError for a damaged file)."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def span_probs(path: str, text: str, spans: list[tuple[int, int]], model: NameModel) -> list[float]:
    """For each ``(s, e)`` in ``text``, the tagger's marginal probability that exactly that span is a name:
    B at ``s``, I up to ``e``, and no I right after (a product of marginals, a close approximation)."""
    tagger = open_tagger(path)
    tagger.set(char_features(text, model))
    return [span_prob(tagger.marginal, s, e, len(text)) for s, e in spans]


def span_prob(marginal: Callable[[str, int], float], s: int, e: int, n: int) -> float:
    """The probability that exactly ``s..e`` of a tagged sequence of length ``n`` is a name, from the tagger's
    ``marginal(label, position)``: B at ``s``, I up to ``e``, and no I right after."""
    p = marginal("B", s)
    for t in range(s + 1, e):
        p *= marginal("I", t)
    if e < n:
        p *= 1.0 - marginal("I", e)
    return float(p)


# An upper bound of the tagger's marginal P(B at s), from the characters near ``s`` only. Why: nearly every
# candidate the hand score leaves in the grey band is an ordinary word that the tagger rejects (98 % of them on
# ordinary text, most far under the acceptance floor), and tagging a window (its features in Python, then
# CRFsuite) was more than half of what redacting new text cost. By the chain's Markov property, P(B at s) is a
# mixture over the labels just outside ``lo..hi`` of P(B at s | those two labels), and each of those depends only
# on the states in ``lo..hi`` and the transitions: so the largest of the nine is an upper bound. The weights are
# read from CRFsuite's dump (six decimals): BOUND_MARGIN (absolute) covers that rounding many times over (a few
# 1e-5 in all over the positions read, i.e. a relative 1e-4 of the probability at most).
# Positions read before and after s: a wider reach bounds tighter, at more cost (on the shared texts 1, 2 let
# 83 % of the windows go untagged, 2, 3 93 %, but the bound's own cost then ate the gain).
BOUND_BEFORE, BOUND_AFTER = 1, 2
BOUND_MARGIN = 1e-3
_LABELS = ("O", "B", "I")
_Vec = tuple[float, float, float]
_Trans = tuple[_Vec, ...]
_Weights = tuple[
    dict[str, complex],
    _Trans,
    dict[str, tuple[complex, complex, complex]],
    dict[str, tuple[complex, complex, complex, complex]],
]


@lru_cache(maxsize=4)
def _weights(path: str) -> _Weights | None:
    """The tagger's state weights per attribute, as ``complex(B - O, I - O)`` (only differences between labels
    matter to a marginal, and one complex addition sums both), and its transition matrix as ``exp`` of the
    weights; None when the model's labels are not exactly O, B and I or its dump does not read back whole, or
    when the file does not open (then :func:`span_probs` reports why)."""
    try:
        tagger = open_tagger(path)
    except (OSError, ValueError):
        return None
    info = tagger.info()
    if sorted(tagger.labels()) != sorted(_LABELS) or len(info.attributes) != int(info.header.get("num_attrs", -1)):
        return None
    state: dict[str, list[float]] = {}
    for (attr, label), w in info.state_features.items():
        state.setdefault(attr, [0.0, 0.0, 0.0])[_LABELS.index(label)] += w
    trans = tuple(
        (
            math.exp(info.transitions.get((a, "O"), 0.0)),
            math.exp(info.transitions.get((a, "B"), 0.0)),
            math.exp(info.transitions.get((a, "I"), 0.0)),
        )
        for a in _LABELS
    )
    return {a: complex(w[1] - w[0], w[2] - w[0]) for a, w in state.items()}, trans, {}, {}


def b_bound(path: str, text: str, s: int, model: NameModel) -> float:
    """An upper bound (see :data:`BOUND_MARGIN`) of the tagger's marginal probability of B at ``s`` in the window
    ``text``, from the features of ``s - BOUND_BEFORE`` to ``s + BOUND_AFTER``; 1.0 when the weights cannot be
    read (no bound). The states are summed from weights, not from :func:`char_features`' strings: a character's
    own features (c, static, and what it gives its neighbours: p, pg to the next, n, ng to the one before) once
    per character and model, the class pairs and :func:`_add_context`'s features by lookup."""
    weights = _weights(path)
    if weights is None:
        return 1.0
    w, m, cols, pair_ws = weights
    get = w.get
    n = len(text)
    lo, hi = max(0, s - BOUND_BEFORE), min(n, s + BOUND_AFTER + 1)
    rows = _rows(text[: hi + 2], model)  # nothing past hi + 1 is read (the last class pair)
    col: list[tuple[complex, complex, complex]] = []
    first = max(0, lo - 1)
    for ch, r in zip(text[first : hi + 1], rows[first : hi + 1], strict=True):
        c = cols.get(ch)
        if c is None:
            c = (
                get(r[2], 0j) + sum(get(x, 0j) for x in r[1]),
                get(r[3], 0j) + get(r[5], 0j),
                get(r[4], 0j) + get(r[6], 0j),
            )
            if len(cols) < _PER_CHAR_MAX:
                cols[ch] = c
        col.append(c)
    # the classes of positions lo - 2 to hi + 1, ^ and $ past the window's edges (char_features' padded row)
    pad = [rows[p][0] if 0 <= p < n else "^" if p < 0 else "$" for p in range(lo - 2, hi + 2)]
    pq: list[tuple[complex, complex, complex, complex]] = []  # the pp, pc, cn, nn weights of each class pair
    for left, right in pairwise(pad):
        q = pair_ws.get(x := left + right)
        if q is None:
            q = (get("pp=" + x, 0j), get("pc=" + x, 0j), get("cn=" + x, 0j), get("nn=" + x, 0j))
            if len(pair_ws) < _PER_CHAR_MAX:
                pair_ws[x] = q
        pq.append(q)
    extra: list[list[str]] = [[] for _ in range(lo, hi)]
    _add_context(text, model, rows, lo, hi, extra, False)
    surnames = model.surnames
    ex: list[tuple[float, float, float]] = []  # exp of each position's states, scaled (ratios unchanged)
    for t in range(lo, hi):
        v = col[t - first][0]
        v += col[t - 1 - first][1] if t else get("p=^", 0j) + get("pg=x", 0j)
        v += col[t + 1 - first][2] if t + 1 < n else get("n=$", 0j) + get("ng=x", 0j)
        j = t - lo  # pair j of pq is classes t - 2 and t - 1
        v += pq[j][0] + pq[j + 1][1] + pq[j + 2][2] + pq[j + 3][3]
        if (t + 1 < n and rows[t][7] & _S2 and text[t : t + 2] in surnames) or (t + 1 == n and text[t] in surnames):
            v += get("s2", 0j)
        for attr in extra[t - lo]:
            v += get(attr, 0j)
        b, i = v.real, v.imag
        top = max(0.0, b, i)
        ex.append((math.exp(-top), math.exp(b - top), math.exp(i - top)))
    return _chain_bound(ex, s - lo, lo == 0, hi == n, m)


def _chain_bound(ex: list[_Vec], k: int, at_start: bool, at_end: bool, m: _Trans) -> float:
    """The largest P(B at ``k`` of ``ex``) over the labels just outside ``ex`` (none where ``ex`` reaches the
    window's start or end): forward from ``ex[0]`` to ``ex[k]`` for each label before, backward from the last to
    ``ex[k]`` for each label after, each vector scaled to sum 1 at every step.

    The transition matrix is read into nine locals once, and the chains are loops in one function: a call per
    chain and two subscripts per matrix entry were a third of :func:`b_bound`'s time."""
    (m00, m01, m02), (m10, m11, m12), (m20, m21, m22) = m
    fronts: list[_Vec] = []
    for s0, s1, s2 in ((1.0, 1.0, 1.0),) if at_start else m:
        e0, e1, e2 = ex[0]
        a0, a1, a2 = s0 * e0, s1 * e1, s2 * e2
        for t in range(1, k + 1):
            eo, eb, ei = ex[t]
            o = eo * (a0 * m00 + a1 * m10 + a2 * m20)
            b = eb * (a0 * m01 + a1 * m11 + a2 * m21)
            i = ei * (a0 * m02 + a1 * m12 + a2 * m22)
            z = o + b + i
            a0, a1, a2 = o / z, b / z, i / z
        fronts.append((a0, a1, a2))
    backs: list[_Vec] = []
    last = len(ex) - 1
    for g0, g1, g2 in ((1.0, 1.0, 1.0),) if at_end else ((m00, m10, m20), (m01, m11, m21), (m02, m12, m22)):
        for t in range(last, k, -1):
            eo, eb, ei = ex[t]
            x, y, w = eo * g0, eb * g1, ei * g2
            o = m00 * x + m01 * y + m02 * w
            b = m10 * x + m11 * y + m12 * w
            i = m20 * x + m21 * y + m22 * w
            z = o + b + i
            g0, g1, g2 = o / z, b / z, i / z
        backs.append((g0, g1, g2))
    best = 0.0
    for fo, fb, fi in fronts:
        for go, gb, gi in backs:
            p = fb * gb / (fo * go + fb * gb + fi * gi)
            if p > best:
                best = p
    return best
