"""The per-model index :mod:`.names` scans with: one regular expression for every surname followed by a
possible given character, the cue words' sets, and the caches of scores per context window.

Why apart from :mod:`.names`: it is built once per model (``lru_cache``) and read by the recognizer, the
tagger's training (:mod:`.names_crf_train`) and the tests; the scoring itself stays in :mod:`.names`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_cues import Gate, cue_gate
from lingxi.privacy.names_model import NameModel

G_MIN = -4.0  # a surname followed by a character scoring below this (的, 是) is not even considered
NOT_GIVEN = frozenset(
    "的了是在和与跟及说讲要想去来到吗呢吧啊呀哦嘛哈您你我他她们这那就也都还很请让给对把被已会能先今昨女总仟佰"
)

_LABEL_SEP = frozenset("：: \t　")
# a surname's context window (see names._add_scored): this many characters before it and from it
_BEFORE_SPAN, _AFTER_SPAN = 5, 8


def window_start(text: str, i: int) -> int:
    """Where the context window of a surname at ``i`` starts (it ends ``_AFTER_SPAN`` after ``i``): back over
    label separators, then :data:`_BEFORE_SPAN` characters. Training the tagger cuts the same windows."""
    k = i
    while k > 0 and text[k - 1] in _LABEL_SEP:
        k -= 1
    return k - _BEFORE_SPAN if k > _BEFORE_SPAN else 0


# What a surname's first three characters settle: the surname's length (a compound's is 2), its weight, the
# first given character's score, how much the surname and that character read as a word, whether that
# character may start a given name, and whether the pair is too word-like to be a name (PRUNE).
_Head = tuple[int, float, float, float, bool, bool]


@dataclass(frozen=True)
class _Index:
    finder: re.Pattern[str]
    nick: re.Pattern[str]  # 小王, 老李 where no given character follows (the finder has the rest)
    compounds: frozenset[str]
    roles: frozenset[str]
    before: frozenset[str]
    after: frozenset[str]
    title_heads: frozenset[str]
    # first/last characters of the cue words: one set lookup rejects most positions before any slicing
    role_tails: frozenset[str]
    before_tails: frozenset[str]
    after_heads: frozenset[str]
    # scores per context window (see _add_scored); cleared when full rather than kept LRU: cheaper per miss
    windows: dict[tuple[str, int], list[tuple[float, int, int]]] = field(default_factory=dict)
    heads: dict[str, _Head] = field(default_factory=dict)  # see _head
    kin: frozenset[str] = frozenset()  # the titles that count before a name (see KIN), and their last characters
    kin_tails: frozenset[str] = frozenset()
    cued: re.Pattern[str] | None = None  # a rare surname right after a role or label (see find_names)
    rare_gate: Gate | None = None  # where a rare surname may have a cue of :mod:`.names_cues`


def person_nouns(model: NameModel) -> frozenset[str]:
    """Dictionary nouns of three or four characters for a person in a role, the ones ending in 人 (被执行人,
    委托人, 候选人, 继承人): a name right after one is that person, as after the seed's roles. Only the plain noun
    tag: the dictionary's person-name tag also covers idioms (平易近人) and 王夫人."""
    return frozenset(w for w in model.words if len(w) in (3, 4) and w[-1] == "人" and model.tags.get(w) == "n")


@lru_cache(maxsize=8)
def _index(model: NameModel) -> _Index:
    """One scan finds every surname (or a compound's first character) followed by a possible given
    character, a second one (only when the text has 小 or 老) 小王/老李; the rest is lookups per hit."""
    heads = "".join(sorted({s[0] for s in model.surnames}))
    title_heads = frozenset(t[0] for t in model.titles)
    follow = "".join(sorted(({c for c, g in model.given.items() if g >= G_MIN} - NOT_GIVEN) | title_heads))
    finder = re.compile(f"[{heads}](?=[{follow}])")
    nick = re.compile(f"(?<=[小老])[{heads}](?![{follow}])")
    compounds = frozenset(s for s in model.surnames if len(s) > 1)
    rare = "".join(sorted(set(model.rare) - set(heads) - NOT_GIVEN))
    # one character class before and after; whether a whole role word stands there is checked per hit
    tails = "".join(sorted({w[-1] for w in seed.ROLES} | {"@"}))
    cued = re.compile(f"[{tails}][：: \t　]*([{rare}])(?=[{follow}])") if rare else None
    kin = frozenset(t for t in model.titles if len(t) > 1)
    return _Index(
        finder,
        nick,
        compounds,
        frozenset(seed.ROLES) | person_nouns(model),
        frozenset(seed.BEFORE),
        frozenset(seed.AFTER),
        title_heads,
        frozenset(w[-1] for w in seed.ROLES),
        frozenset(w[-1] for w in seed.BEFORE),
        frozenset(w[0] for w in seed.AFTER),
        kin=kin,
        kin_tails=frozenset(t[-1] for t in kin),
        cued=cued,
        rare_gate=cue_gate(rare, model) if rare else None,
    )
