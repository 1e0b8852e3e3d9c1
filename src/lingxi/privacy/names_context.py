"""Last look at the spans :func:`.names.find_names` found: readings that the words around a span contradict,
and names written in pinyin.

Applied after every other pass, to the final spans, so that it sees what they decided:

* **Time words are not names** (周一 唐俊杰; 请于周五前到…; 周六和李涛去…). 周, 于, 和 are surnames, and a weekday
  or other dictionary time word (tag ``t``: 周一, 周末) after them reads like a given name. A span that *is* a
  time word, or a surname followed by one (于周五), is dropped; a name that merely ends before one (王伟明天…) is
  another candidate and is not affected.
* **A surname that closes a word with the character before it** (上周桂芳在群里问…; 谢谢宁姐). The scan tries
  every surname character, and 周 in 上周 or 谢 in 谢谢 reads as the start of a name when the characters after
  it are name-like; the word before has taken that character, so the name starts one later: two given
  characters (桂芳), or a surname before a title (宁 in 宁姐). Only a time word or a doubled word that the
  dictionary knows well (:data:`EDGE_WORD`): a role's last character may itself be a surname's (收件人马思远:
  人马 is a word, and 马 starts the name), and a word that takes a person may end before one (跟上官雪).
* **Names in pinyin** (签名：Wang Fang; Dear Li Na; 联系人Zhang Lei): forms, e-mails and chats with foreign
  colleagues write Chinese names in pinyin, surname first, each part capitalized. A pair of capitalized words
  is one when the first is the pinyin of a common surname of the model and the second one or two pinyin
  syllables, in a text that also holds Chinese (an English sentence's "He Said" is not looked at) and not
  inside a run of capitalized words (a title such as "The Long Men Inn"). English words that are also a
  surname's pinyin (He, An, Long, Fan, Sun, Man…) do not start one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from lingxi.privacy.names_given import given_pair

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

EDGE_WORD = 2.5  # log10 frequency of the word a surname closes with the character before it (上周 2.8, 谢谢 3.0)
_TIME_TAG = "t"
_NUMERALS = frozenset("一二三四五六七八九十日末")
_PREPOSITIONS = frozenset("于在和与至到从自")  # surnames that are also prepositions or 和 before a time
_TIME_HEADS = frozenset("上下本每这前")  # the first characters of the time words that end in a surname (上周)
# Surname pinyin that are also common English words: a capitalized pair starting with one is as often English
_ENGLISH = frozenset({"He", "An", "Long", "Fan", "Sun", "Man", "Pan", "Ding", "Tang", "Mo", "Bo", "Bi", "Lu", "Mi"})
# Two capitalized words, not after a third (a salutation aside: Dear Li Na) nor before one
_TITLE_CASE = re.compile(
    r"(?:(?<=\b(?:Dear|From) )|(?<![A-Za-z] )(?<![A-Za-z]))([A-Z][a-z]{0,5}) ([A-Z][a-z]{1,11})\b(?! [A-Z])"
)
_PAIR_HINT = re.compile("[A-Z][a-z]{0,5} [A-Z]")  # a pattern led by a class lets the engine skip ahead
_CJK = re.compile("[\u4e00-\u9fff]")
_SURNAME_LIMIT = 200  # the commonest surnames of the model: rarer ones' pinyin collide with more English


def _time_word(text: str, s: int, e: int, model: NameModel) -> bool:
    """Whether ``text[s:e]`` is a date — a time word ending in a numeral (周一, 周六) — or a preposition that is
    also a surname before a time word (于周五, 在周末). Other time words stay possible names (夏天, 国庆, 明月)."""
    if e - s == 2:
        return text[e - 1] in _NUMERALS and model.tags.get(text[s:e]) == _TIME_TAG
    return e - s == 3 and text[s] in _PREPOSITIONS and model.tags.get(text[s + 1 : e]) == _TIME_TAG


def _after_edge_word(text: str, s: int, e: int, model: NameModel) -> tuple[int, int] | None:
    """For a span whose first character closes a common word with the one before it: the reading that starts
    one later — ``(s + 1, e)`` for two given characters after it, ``(s + 1, s + 2)`` for a surname before a
    title — or ``(s, s)`` (drop it) when neither fits; None when the span's start is not inside such a word."""
    if s == 0 or e - s < 2 or text[s : s + 2] in model.surnames:
        return None  # a compound surname (上官) is its own reading
    left = text[s - 1 : s + 1]
    if model.words.get(left, 0.0) < EDGE_WORD or not (left[0] == left[1] or model.tags.get(left) == _TIME_TAG):
        return None  # only a time word (上周) or a doubled word (谢谢): a role (收件人马思远) takes a name after it
    if e - s == 3 and given_pair(text[s + 1 : e], model):
        return (s + 1, e)
    if e - s == 2 and text[s + 1] in model.surnames and _titled(text, e, model):
        return (s + 1, s + 2)
    return (s, s)


def _titled(text: str, e: int, model: NameModel) -> bool:
    return any(text[e : e + n] in model.titles for n in (1, 2, 3))


@lru_cache(maxsize=4)
def _pinyin_tables(model: NameModel) -> tuple[frozenset[str], frozenset[str]]:
    """(capitalized pinyin of the model's commonest surnames, every pinyin syllable of its given characters)."""
    from pypinyin import Style, lazy_pinyin  # large tables: loaded only when a text needs them

    common = sorted(model.surnames, key=lambda k: -model.surnames[k])[:_SURNAME_LIMIT]
    surnames = {"".join(lazy_pinyin(k, style=Style.NORMAL)).capitalize() for k in common if len(k) == 1}
    syllables = {p for ch in model.given for p in lazy_pinyin(ch, style=Style.NORMAL) if p.isalpha()}
    return frozenset(surnames - _ENGLISH), frozenset(syllables)


def _syllables(word: str, table: frozenset[str], parts: int = 2) -> bool:
    """Whether ``word`` (lower case) splits into one to ``parts`` pinyin syllables of ``table``."""
    if word in table:
        return True
    return parts > 1 and any(word[:k] in table and _syllables(word[k:], table, parts - 1) for k in range(1, 7))


def pinyin_names(text: str, model: NameModel) -> list[tuple[int, int]]:
    """Spans of pinyin names (Wang Fang, Li Xiaoming) in a text that also holds Chinese."""
    if _PAIR_HINT.search(text) is None or _CJK.search(text) is None:
        return []  # most texts have no two capitalized words: one class-led search, not the lookbehinds
    surnames, syllables = _pinyin_tables(model)
    out = []
    for m in _TITLE_CASE.finditer(text):
        if m.group(1) in surnames and _syllables(m.group(2).lower(), syllables):
            out.append(m.span())
    return out


def review(text: str, spans: list[tuple[int, int]], model: NameModel) -> list[tuple[int, int]]:
    """``spans`` without time words, with readings moved past a word before them, plus pinyin names. Speed: runs
    on every text, so one character test per span decides whether any span needs a second look."""
    for s, e in spans:
        n = e - s
        if (
            (n == 2 and text[e - 1] in _NUMERALS)
            or (n == 3 and text[s] in _PREPOSITIONS)
            or (s and (text[s - 1] == text[s] or text[s - 1] in _TIME_HEADS))
        ):
            spans = _reread(text, spans, model)
            break
    if " " not in text or _PAIR_HINT.search(text) is None:
        return spans  # a pinyin name has a space in it: most texts have none, and `in` is cheaper than a search
    extra = [sp for sp in pinyin_names(text, model) if not any(a < sp[1] and sp[0] < b for a, b in spans)]
    return sorted(spans + extra) if extra else spans


def _reread(text: str, spans: list[tuple[int, int]], model: NameModel) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if _time_word(text, s, e, model):
            continue
        moved = _after_edge_word(text, s, e, model)
        if moved is None:
            out.append((s, e))
        elif moved[0] < moved[1]:
            out.append(moved)
    return out
