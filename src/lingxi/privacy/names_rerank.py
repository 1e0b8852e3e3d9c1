"""Re-ranking name candidates with a linear model over their context (the runtime half; training is in
:mod:`.names_train`).

Why: the hand-weighted score of :mod:`.names` knows surnames, given-name characters and a few hundred cue
words, but a name that is also a word (宁静, 卓越, 高峰) or stands with no listed cue (焦阳在哪个科室) needs
the *context* to decide, and the useful contexts are too many to list by hand. A logistic regression over a
few sparse features per candidate — its hand score, the characters on either side, how word-like the span
and its edges are, the given characters' scores — learns them from synthetic sentences (names drawn from
the built names resource, put into frames we wrote) and from ordinary text (every candidate there is a
negative). A linear model and not a CRF: candidates already come from the hand-written generator, so the
model has only to accept or reject a handful of spans per surname, and a sum of dictionary lookups keeps
redaction fast (the scores are cached per context window in :mod:`.names`).

Without a built resource there are no weights and :mod:`.names` uses its hand score alone (the seed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

BIAS = "<bias>"
BASE = "<base>"  # the one numeric feature: the hand score, clipped and scaled (see base_value)
_BASE_CLIP, _BASE_UNIT = 12.0, 4.0


def base_value(base: float) -> float:
    """The hand score as the re-ranker sees it: clipped to ±12 and divided by 4, so one weight scales it."""
    return max(-_BASE_CLIP, min(_BASE_CLIP, base)) / _BASE_UNIT


def char_class(ch: str) -> str:
    """A context character as a feature value: CJK and punctuation as themselves, digits, Latin letters and
    whitespace as a class (so a tab never reaches the weights file)."""
    if "\u4e00" <= ch <= "\u9fff":
        return ch
    if ch.isdigit():
        return "0"
    if ch.isascii() and ch.isalpha():
        return "a"
    if ch.isspace():
        return "_"
    return ch


def features(text: str, s: int, e: int, model: NameModel) -> list[str]:
    """Sparse binary features of the candidate ``text[s:e]`` (its hand score is :func:`base_value`'s)."""
    surnames, words, given = model.surnames, model.words, model.given
    span = text[s:e]
    short = span in surnames
    n = "s" if short else str(e - s)
    l1 = char_class(text[s - 1]) if s > 0 else "^"
    l2 = char_class(text[s - 2]) if s > 1 else "^"
    r1 = char_class(text[e]) if e < len(text) else "$"
    r2 = char_class(text[e + 1]) if e + 1 < len(text) else "$"
    feats = [
        BIAS,
        f"t{n}{model.tags.get(span, '-')}",
        f"n{n}",
        f"l{l1}",
        f"L{l2}{l1}",
        f"r{r1}",
        f"R{r1}{r2}",
        f"nl{n}{l1}",
        f"nr{n}{r1}",
        f"lr{l1}{r1}",
        f"w{n}{round(words.get(span, 0.0))}",
        f"el{round(words.get(text[s - 1 : s + 1], 0.0)) if s > 0 else 0}",
        f"er{round(words.get(text[e - 1 : e + 1], 0.0))}",
    ]
    if not short:
        sur = 2 if len(span) > 2 and span[:2] in surnames else 1
        feats.append(f"s{round(surnames.get(span[:sur], -10.0))}")
        for k, ch in enumerate(span[sur:]):
            feats.append(f"g{k}{round(given.get(ch, -4.0))}")
        if e - s == 3:
            feats.append(f"wh{round(words.get(span[:2], 0.0))}")
    return feats


def margin(weights: Mapping[str, float], feats: list[str], base: float) -> float:
    """The model's log-odds that the candidate with hand score ``base`` is a name (positive: accept)."""
    get = weights.get
    return sum([get(f, 0.0) for f in feats]) + get(BASE, 0.0) * base_value(base)
