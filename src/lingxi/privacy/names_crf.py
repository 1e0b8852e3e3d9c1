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


@lru_cache(maxsize=4096)
def _char_static(ch: str, model: NameModel) -> tuple[tuple[str, ...], str]:
    """What a character contributes wherever it stands: its surname class and given-name bucket (cached:
    feature extraction is most of the tagger's cost at redaction time)."""
    s = model.surnames.get(ch)
    g = str(_bucket(model.given.get(ch, -5.0)))
    return ((f"s={_bucket(s / 2)}", f"g={g}") if s is not None else (f"g={g}",)), g


def char_features(text: str, model: NameModel) -> list[list[str]]:
    """Features of every character of ``text`` (a window; ^ and $ mark its edges, as in training).

    The whole window is tagged, not only from the surname on: a sequence starting one character before
    the surname was 1.3x faster but flagged twice as many hard negatives on the dev parts."""
    n = len(text)
    chars = ["^", "^"] + [char_class(c) for c in text] + ["$", "$"]
    surnames, words, titles, tags = model.surnames, model.words, model.titles, model.tags
    static = [_char_static(c, model) for c in text]
    starts: list[tuple[int, str] | None] = [None] * n  # the longest dictionary word starting at each position
    ends: list[tuple[int, str] | None] = [None] * n  # and ending there
    for t in range(n):
        for k in (4, 3, 2):
            w = text[t : t + k]
            if len(w) == k and w in words:
                starts[t] = (k, w)
                break
        for k in (4, 3, 2):
            if t + 1 >= k and (w := text[t + 1 - k : t + 1]) in words:
                ends[t] = (k, w)
                break
    out: list[list[str]] = []
    for t in range(n):
        c = t + 2
        c0, p1, p2, n1, n2 = chars[c], chars[c - 1], chars[c - 2], chars[c + 1], chars[c + 2]
        f = [f"c={c0}", f"p={p1}", f"n={n1}", f"pp={p2}{p1}", f"pc={p1}{c0}", f"cn={c0}{n1}", f"nn={n1}{n2}"]
        f.extend(static[t][0])
        if text[t : t + 2] in surnames:
            f.append("s2")
        f.append(f"pg={static[t - 1][1] if t else 'x'}")
        f.append(f"ng={static[t + 1][1] if t + 1 < n else 'x'}")
        if (st := starts[t]) is not None:
            f.append(f"ws{st[0]}={_bucket(words[st[1]])}")
            f.append(f"wt={tags.get(st[1], '-')[:2]}")
        if (en := ends[t]) is not None:
            f.append(f"we{en[0]}={_bucket(words[en[1]])}")
        if t and text[t - 1] in _ROLE_TAILS:  # a role word or label just before
            for k in (5, 4, 3, 2, 1):
                if t >= k and text[t - k : t] in _ROLES:
                    f.append("role")
                    break
        if t and text[t - 1] in _BEFORE_TAILS:
            for k in (3, 2, 1):
                if t >= k and text[t - k : t] in _BEFORE:
                    f.append(f"bef={text[t - k : t]}")
                    break
        if t + 1 < n:
            for k in (3, 2, 1):  # a title starting right after this character
                if text[t + 1 : t + 1 + k] in titles and t + k < n:
                    f.append(f"ttl={k}")
                    break
            if text[t + 1] in _AFTER_HEADS:
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
