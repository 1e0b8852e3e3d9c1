"""A name before a kinship term: 和平叔, 秋月婶子, 海燕姐, 萱萱妈妈, 黄金花阿姨.

Why a pass of its own: Chinese calls relatives, neighbours and elders by the given name (or the whole name)
and a kinship term — 春生叔 is "Uncle Chunsheng", 秀兰阿姨 "Auntie Xiulan". Before such a term a two-character
span that is otherwise an ordinary word (和平, 胜利, 海燕) or a given name with no surname to anchor it (春生,
萱萱) is a person's name: the term has no other reading with a name-like word in front of it. The other scorers
read the span by its own characters and word frequency, and so lose exactly these names.

What stands in that place and is no name, and how it is refused:

* a place or a role: 上海阿姨, 东北大哥, 邻居阿姨, 房东阿姨, 警察叔叔, 保安大叔 — every character must be a
  given-name character (:func:`.names_given.given_char`; 警, 邻, 司 are not), or the first a listed surname with the
  pair no ordinary word (房东 is one); the pair is no place, time-less locative, verb or adjective of the
  dictionary (清洁阿姨, 理发姐姐, 上海阿姨), no title, role or kinship word itself (表哥, 老板);
* a modifier with 大/小/老 in the term (东北大哥, 四川大姐): only terms that attach to a name directly count;
* a word going on through the term (哥们, 姐妹, 姑娘): those readings are excluded;
* mid-sentence, where the span could be the end of a longer word (快乐哥): only at a clause's start (the text's
  start, after a clause mark or a space) or after a word that takes a person (和, 谢谢, 跟, 给 —
  :data:`.names_seed.BEFORE`).

Three characters when the first is a listed surname and the other two are given-name characters (黄金花阿姨).
Scored just over the acceptance threshold plus :data:`KIN_NAME`, so that it wins over a shorter or longer
surname-anchored reading of the same place (海燕 against 海燕姐).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_given import KIN_CHARS, NOT_GIVEN_CHARS, given_char

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

# over the threshold: a kinship term after a name-like span is strong evidence (see the module doc); high enough to
# win over a surname reading that takes the last character of the word before (谢谢海燕姐: not 谢海燕)
KIN_NAME = 3.0
# kinship terms that attach to a name directly (春生叔, 秀兰阿姨); not 大哥, 大姐, 大叔 (东北大哥: a modifier
# fits there as well as a name), and no titles of office (数学老师, 英语老师: a subject fits there)
_TERMS = frozenset(
    {"叔叔", "叔", "婶子", "婶婶", "婶", "阿姨", "姨", "哥哥", "哥", "姐姐", "姐", "嫂子", "嫂", "伯伯", "伯"}
    | {"奶奶", "爷爷", "妈妈", "妈", "爸爸", "爸", "姥姥", "姥爷", "外婆", "外公", "舅舅", "姑姑"}
)
_TERM_LENS = sorted({len(t) for t in _TERMS}, reverse=True)
_GOES_ON = frozenset({"哥们", "姐妹", "姑娘", "妈的", "爸妈"})  # the term is part of another word here
_KIN_HEAD = re.compile(f"[{''.join(sorted({t[0] for t in _TERMS}))}]")
# dictionary tags a name is not read from: places, locatives and times, verbs, adjectives, numerals, pronouns,
# function words (上海, 隔壁, 明天, 清洁, 理发, 保洁, 一些); a doubled given-name character is read as a familiar
# name whatever its tag (乐乐 a: 乐乐妈妈)
_NOT_NAME_TAGS = ("ns", "s", "f", "t", "v", "a", "m", "q", "r", "p", "c", "d", "u")
_NOT_NAME_WORDS = frozenset(seed.ROLES) | seed.TITLES
_NOT_IN_NAME = KIN_CHARS | NOT_GIVEN_CHARS
_EDGES = seed.CLAUSE_EDGES
_BEFORE_LENS = sorted({len(w) for w in seed.BEFORE}, reverse=True)


def _term_at(text: str, k: int) -> bool:
    """Whether a kinship term of :data:`_TERMS` starts at ``k`` and is not part of a longer word there."""
    return any(text[k : k + n] in _TERMS for n in _TERM_LENS) and text[k : k + 2] not in _GOES_ON


def _left_ok(text: str, s: int) -> bool:
    """A clause's start or a word that takes a person right before ``s``."""
    if s == 0 or text[s - 1] in _EDGES:
        return True
    return any(s >= n and text[s - n : s] in seed.BEFORE for n in _BEFORE_LENS)


def _tag_ok(span: str, model: NameModel) -> bool:
    """Whether the dictionary's reading of ``span`` leaves room for a name (see :data:`_NOT_NAME_TAGS`)."""
    if span in _NOT_NAME_WORDS:
        return False
    tag = model.tags.get(span, "")
    return (
        not tag or not tag.startswith(_NOT_NAME_TAGS) or (span[0] == span[1] and given_char(span[0], model) is not None)
    )


def _person(span: str, model: NameModel) -> bool:
    """Whether the dictionary reads ``span`` as a person's name (蓝天 nr, 海燕 nr)."""
    return span in model.person_words or model.tags.get(span, "").startswith("nr")


def _pair_ok(pair: str, model: NameModel) -> bool:
    """Two characters that can be a given name (春生, 萱萱, 海燕) or a surname and one (和平: 和 + 平)."""
    a, b = pair[0], pair[1]
    if a in _NOT_IN_NAME or b in _NOT_IN_NAME or given_char(b, model) is None:
        return False
    if given_char(a, model) is None and (
        a not in model.surnames or (model.words.get(pair, 0.0) and not _person(pair, model))
    ):
        return False  # 房东, 警察: the first is no given character and the pair is an ordinary word (not a name's)
    return _tag_ok(pair, model)


def _three_ok(span: str, model: NameModel) -> bool:
    """A listed surname and two given-name characters, together no ordinary word."""
    a, b, c = span[0], span[1], span[2]
    return (
        a in model.surnames
        and not {b, c} & _NOT_IN_NAME
        and given_char(c, model) is not None
        and (given_char(b, model) is not None or b in model.surnames)
        and model.words.get(span, 0.0) == 0.0
        and _tag_ok(span[1:], model)
    )


def kin_named(text: str, model: NameModel, threshold: float) -> list[tuple[float, int, int]]:
    """Candidates ``(score, start, end)`` for a name right before a kinship term (see the module doc)."""
    out: list[tuple[float, int, int]] = []
    hit = _KIN_HEAD.search(text, 2) if model.kin_names else None  # search, not finditer: most texts have none
    while hit is not None:
        k = hit.start()
        if _term_at(text, k):
            if k >= 3 and _three_ok(text[k - 3 : k], model) and _left_ok(text, k - 3):
                out.append((threshold + KIN_NAME, k - 3, k))  # 黄金花阿姨: a surname before the given name
            elif _pair_ok(text[k - 2 : k], model) and _left_ok(text, k - 2):
                out.append((threshold + KIN_NAME, k - 2, k))
        hit = _KIN_HEAD.search(text, k + 1)
    return out
