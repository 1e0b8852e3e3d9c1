"""A surname standing alone before a title or 家 at a clause's start: 辛主编把…, 庹阿姨说…, 皇甫家的双胞胎….

Why a separate pass: the surname-anchored scan of :mod:`.names` only opens windows at surnames over its
frequency floor, and rare ones (``NameModel.rare``) only after a role or label cue; but a title or 家 right after
is itself the cue that the character before it is a surname (the person is named by surname + title, the family
by surname + 家, as 王总 or 王家). Only where a clause starts (nothing before the surname that could make it part of
a longer word: 国家, 大家), and only when neither the surname + title nor the surname + its next character is a
dictionary word (包工头, 全家, 管家 are words, not a surname and a title).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

BARE = 0.5  # over the acceptance threshold: the title or 家 after a clause-initial surname is strong evidence
_STARTS = re.compile("(?:^|(?<=[，,。！!？?；;\\n]))[ \\t　]*([\\u4e00-\\u9fff])")
_FAMILY = "家"
_FAMILY_NEXT = frozenset("的那这")  # 翟家的, 翟家那丫头: the family, then what of it
# surnames that are also prepositions, conjunctions or adverbs opening a clause (和老师一起…, 向主任汇报…, 但老师
# 说…): before a title they are read as those words
_FUNCTION = frozenset("和与同跟向于从把将被给对为以及由在自让叫比连就也还都又但而或令")


def _surname_len(text: str, i: int, model: NameModel) -> int:
    """The length of the surname at ``i`` (a two-character one of the list first), else 0."""
    if text[i : i + 2] in model.surnames:
        return 2
    c = text[i : i + 1]
    return 1 if c not in _FUNCTION and (c in model.surnames or c in model.rare) else 0


def _title_len(text: str, j: int, model: NameModel) -> int:
    """The length of the longest title of two or more characters at ``j``, or of 家 + 的/那/这 (1), else 0."""
    for n in (3, 2):
        if text[j : j + n] in model.titles and len(text[j : j + n]) == n:
            return n
    return 1 if text[j : j + 1] == _FAMILY and text[j + 1 : j + 2] in _FAMILY_NEXT else 0


def bare_surnames(text: str, model: NameModel, threshold: float) -> list[tuple[float, int, int]]:
    """(score, start, end) of each surname alone before a title or 家 at a clause's start; the score is
    ``threshold`` + :data:`BARE`."""
    out: list[tuple[float, int, int]] = []
    words = model.words
    for m in _STARTS.finditer(text):
        i = m.start(1)
        n = _surname_len(text, i, model)
        if not n:
            continue
        t = _title_len(text, i + n, model)
        if not t or words.get(text[i : i + n + 1], 0.0) > 0 or words.get(text[i : i + n + t], 0.0) > 0:
            continue
        out.append((threshold + BARE, i, i + n))
    return out
