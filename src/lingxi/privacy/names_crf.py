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
from functools import lru_cache
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


@lru_cache(maxsize=4096)
def _char_static(ch: str, model: NameModel) -> tuple[tuple[str, ...], str]:
    """What a character contributes wherever it stands: its surname class and given-name bucket (cached:
    feature extraction is most of the tagger's cost at redaction time)."""
    s = model.surnames.get(ch)
    g = str(_bucket(model.given.get(ch, -5.0)))
    return ((f"s={_bucket(s / 2)}", f"g={g}") if s is not None else (f"g={g}",)), g


_Static = tuple[tuple[tuple[str, ...], str], str]  # _char_static's answer and the character's class


@lru_cache(maxsize=8)
def _tables(model: NameModel) -> tuple[dict[str, _Static], frozenset[str], frozenset[str], frozenset[str]]:
    """Per model: a per-character table of what :func:`_char_static` and :func:`char_class` say (one dict
    lookup instead of two calls), the first two and three characters of the dictionary's longer words (most
    character pairs in text start none, so their 3- and 4-character slices need no lookup in the 300k-word
    dictionary), and the titles' first characters."""
    heads2 = frozenset(w[:2] for w in model.words if len(w) > 2)
    heads3 = frozenset(w[:3] for w in model.words if len(w) > 3)
    return {}, heads2, heads3, frozenset(t[0] for t in model.titles)


def char_features(text: str, model: NameModel) -> list[list[str]]:
    """Features of every character of ``text`` (a window; ^ and $ mark its edges, as in training).

    The whole window is tagged, not only from the surname on: a sequence starting one character before
    the surname was 1.3x faster but flagged twice as many hard negatives on the dev parts.

    Hot at redaction time (every window the tagger sees), so it works from per-model tables
    (:func:`_tables`) and finds the dictionary words starting and ending at each position in one pass."""
    n = len(text)
    per_char, heads2, heads3, title_heads = _tables(model)
    chars = ["^", "^"]
    static: list[tuple[tuple[str, ...], str]] = []
    for ch in text:
        known = per_char.get(ch)
        if known is None:
            known = (_char_static(ch, model), char_class(ch))
            if len(per_char) < _PER_CHAR_MAX:
                per_char[ch] = known
        static.append(known[0])
        chars.append(known[1])
    chars += ["$", "$"]
    surnames, words, titles, tags = model.surnames, model.words, model.titles, model.tags
    # the longest dictionary word starting at each position, and ending there (a word ending at a position
    # that started earlier is longer: the first one recorded there stays)
    starts: list[tuple[int, str, float] | None] = [None] * n
    ends: list[tuple[int, str, float] | None] = [None] * n
    get = words.get
    for t in range(n - 1):
        w = text[t : t + 2]
        if (v := get(w)) is not None:
            starts[t] = (2, w, v)
            if ends[t + 1] is None:
                ends[t + 1] = starts[t]
        if w in heads2 and t + 3 <= n:
            w = text[t : t + 3]
            if (v := get(w)) is not None:
                starts[t] = (3, w, v)
                if ends[t + 2] is None:
                    ends[t + 2] = starts[t]
            if t + 4 <= n and w in heads3 and (v := get(w := text[t : t + 4])) is not None:
                starts[t] = ends[t + 3] = (4, w, v)
    out: list[list[str]] = []
    for t in range(n):
        c0, p1, p2, n1, n2 = chars[t + 2], chars[t + 1], chars[t], chars[t + 3], chars[t + 4]
        f = [f"c={c0}", f"p={p1}", f"n={n1}", f"pp={p2}{p1}", f"pc={p1}{c0}", f"cn={c0}{n1}", f"nn={n1}{n2}"]
        f.extend(static[t][0])
        if text[t : t + 2] in surnames:
            f.append("s2")
        f.append(f"pg={static[t - 1][1] if t else 'x'}")
        f.append(f"ng={static[t + 1][1] if t + 1 < n else 'x'}")
        if (st := starts[t]) is not None:
            f.append(f"ws{st[0]}={_bucket(st[2])}")
            f.append(f"wt={tags.get(st[1], '-')[:2]}")
        if (en := ends[t]) is not None:
            f.append(f"we{en[0]}={_bucket(en[2])}")
        if t:
            prev = text[t - 1]
            if prev in _ROLE_TAILS:  # a role word or label just before
                for k in (5, 4, 3, 2, 1):
                    if t >= k and text[t - k : t] in _ROLES:
                        f.append("role")
                        break
            if prev in _BEFORE_TAILS:
                for k in (3, 2, 1):
                    if t >= k and text[t - k : t] in _BEFORE:
                        f.append(f"bef={text[t - k : t]}")
                        break
        if t + 1 < n:
            nxt = text[t + 1]
            if nxt in title_heads:
                for k in (3, 2, 1):  # a title starting right after this character
                    if text[t + 1 : t + 1 + k] in titles and t + k < n:
                        f.append(f"ttl={k}")
                        break
            if nxt in _AFTER_HEADS:
                for k in (2, 1):  # what a person does or has, right after
                    if text[t + 1 : t + 1 + k] in _AFTER and t + k < n:
                        f.append(f"aft={text[t + 1 : t + 1 + k]}")
                        break
        out.append(f)
    return out


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
    marginal = tagger.marginal
    out = []
    for s, e in spans:
        p = marginal("B", s)
        for t in range(s + 1, e):
            p *= marginal("I", t)
        if e < len(text):
            p *= 1.0 - marginal("I", e)
        out.append(float(p))
    return out
