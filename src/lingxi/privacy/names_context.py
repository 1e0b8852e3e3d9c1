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
* **A span inside a longer dictionary word** (肩周炎, 拾金不昧, 万马奔腾, 法兰克福) is part of that word, unless
  the word is itself a person's (its tag ``nr``). Only spans of two or more characters: a surname read with a
  title or with 小/老 (小金, 老牛) is read by those, not by the word they make.
* **A one-character kinship title swallowed by a three-character span** (明杰哥你到了吗) is cut off: 哥, 姐, 叔,
  姨, 婶 are rare in given names and common after them.
* **和, 与, 跟, 及 read as a surname** between two names (昊天和梓萱): the second name is the two given
  characters after it, when the word before is Chinese (so 、和春燕, a list item, keeps its surname 和).
* **Names in pinyin** (签名：Wang Fang; Dear Li Na; 联系人Zhang Lei): forms, e-mails and chats with foreign
  colleagues write Chinese names in pinyin, surname first, each part capitalized. A pair of capitalized words
  is one when the first is the pinyin of a common surname of the model and the second one or two pinyin
  syllables, in a text that also holds Chinese (an English sentence's "He Said" is not looked at) and not
  inside a run of capitalized words (a title such as "The Long Men Inn"). English words that are also a
  surname's pinyin (He, An, Long, Fan, Sun, Man…) do not start one.
* **Famous people** (杜甫的诗…, 令狐冲是…里的主角, 蔡伦发明了…): the score penalizes a candidate that is a
  frequent dictionary word, and a famous name *is* frequent — that is what fame means in a corpus. The
  dictionary tags such words as person names (``nr``), but it tags some ordinary words so too (明白, 文明), so
  the tag alone decides nothing. Taken together with what is said only of a person, and of a famous one, right
  after the word at the text's start: a life (出生于, 逝世, 原名, 称帝), works (的诗, 的小说, 发明了, 主演的),
  a memorial (故居, 墓), or being a character or a figure of some kind (是…里的人物, 是…的主角).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_cues import is_han
from lingxi.privacy.names_given import given_pair
from lingxi.privacy.names_lexicon import noun_char

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

EDGE_WORD = 2.5  # log10 frequency of the word a surname closes with the character before it (上周 2.8, 谢谢 3.0)
_TIME_TAG = "t"
_NUMERALS = frozenset("一二三四五六七八九十日末")
_DIGITS = frozenset("一二三四五六七八九十两")
_UNITS = frozenset("点时号月日年岁天周")  # a numeral before one is a clock time, a date or an age (九点, 三号)
_PREPOSITIONS = frozenset("于在和与至到从自")  # surnames that are also prepositions or 和 before a time
_TIME_HEADS = frozenset("上下本每这前")  # the first characters of the time words that end in a surname (上周)
_KIN_ONE = frozenset("哥姐叔姨婶")  # a one-character kinship title after a given name (明杰哥; not 伯: 艾梅伯)
_JOINERS = frozenset("和与跟及")
_BREAKS = frozenset("，。！？；,.!?;\n")  # a clause's start after one of these (not a label's colon: 收件人：房子轩)
COMPOUND_HEAD = 1.5  # log10 frequency from which the first two characters are a common word (石榴 2.3, 龙舟 2.4)
COMPOUND_TAIL = 3.0  # a third character under this given-name score, and not a modern one, heads no name there
_THREE_HEADS = _PREPOSITIONS | _JOINERS  # what a three-character span starting with which needs a second look
# Surname pinyin that are also common English words: a capitalized pair starting with one is as often English
_ENGLISH = frozenset({"He", "An", "Long", "Fan", "Sun", "Man", "Pan", "Ding", "Tang", "Mo", "Bo", "Bi", "Lu", "Mi"})
# Two capitalized words, not after a third (a salutation aside: Dear Li Na) nor before one
_TITLE_CASE = re.compile(
    r"(?:(?<=\b(?:Dear|From) )|(?<![A-Za-z] )(?<![A-Za-z]))([A-Z][a-z]{0,5}) ([A-Z][a-z]{1,11})\b(?! [A-Z])"
)
_PAIR_HINT = re.compile("[A-Z][a-z]{0,5} [A-Z]")  # a pattern led by a class lets the engine skip ahead
_SPACE_CAP = re.compile(" [A-Z]")  # what every pinyin pair holds; led by a literal, the cheapest search
_CJK = re.compile("[\u4e00-\u9fff]")
_SURNAME_LIMIT = 200  # the commonest surnames of the model: rarer ones' pinyin collide with more English


def _time_word(text: str, s: int, e: int, model: NameModel) -> bool:
    """Whether ``text[s:e]`` is a date — a time word ending in a numeral (周一, 周六), or a surname and a numeral
    before a unit of time or age (于九点, 和三号) — or a preposition that is also a surname before a time word
    (于周五, 在周末). Other time words stay possible names (夏天, 国庆, 明月)."""
    if e - s == 2:
        if text[e - 1] in _DIGITS and text[e : e + 1] in _UNITS:
            return True  # 请于九点前…: the numeral reads with the unit after it (a time), not as a given name
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


# What is said of a famous person right after the name (see the module doc); "是 … 人物" is matched separately
_FAMOUS_TEXT = (
    "的故事 的故居 故居 的诗 的词 的名言 的名句 的小说 的作品 的画 的歌 的演唱会 的电影 的传记 纪念馆 墓 "
    "原名 本名 发明了 写了 写的 创作了 主演的 演的 唱的 说过 出生于 生于 死于 去世 逝世 退役 称帝 登基"
)
FAMOUS_AFTER = frozenset(_FAMOUS_TEXT.split())
_FAMOUS_HEADS = frozenset(w[0] for w in FAMOUS_AFTER)
_AFTER_HEADS = _FAMOUS_HEADS | {"是"}
_FIGURE = re.compile("是[^，。！？,.!?]{0,12}?(?:人物|主角|角色|皇帝|诗人|作家|名相|名将|将军|科学家|歌手|演员|思想家)")
_PERSON_TAGS = frozenset(("nr", "nrfg"))


@lru_cache(maxsize=4)
def _tables(model: NameModel) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Per model: the dictionary's person words of 2–3 characters that start with a surname (what may be a
    famous name), their first two characters (one lookup at a text's start), and the parts of two or more
    characters of its longer words that are no person's (what a span inside such a word looks like, see
    :func:`_inside_word`). One set lookup then turns nearly every text and span away (the parts kept start
    with a surname, rare ones too, or a common given-name character)."""
    surnames, tags = model.surnames, model.tags
    words = [
        w for w, tag in tags.items() if tag in _PERSON_TAGS and len(w) <= 3 and (w[:1] in surnames or w[:2] in surnames)
    ]
    famous = frozenset(words)
    parts: set[str] = set()
    for w in model.words:
        if len(w) >= 3 and tags.get(w) not in _PERSON_TAGS:
            for a in range(len(w) - 1):
                if w[a] in surnames or w[a] in model.rare or w[a] in seed.MODERN_GIVEN_CHARS:
                    parts.update(w[a:b] for b in range(a + 2, len(w) + 1) if b - a < len(w))
    return famous, frozenset(w[:2] for w in words), frozenset(parts)


def _famous_at(text: str, p: int, famous: frozenset[str]) -> tuple[int, int] | None:
    """The famous name at ``p`` (the text's start), if a dictionary person word is followed by FAMOUS_AFTER."""
    for n in (3, 2):
        if text[p : p + n] not in famous:
            continue
        e = p + n
        head = text[e : e + 1]
        if head == "是" and _FIGURE.match(text, e) is not None:
            return (p, e)
        if head in _FAMOUS_HEADS:
            for k in (1, 2, 3, 4):
                if text[e : e + k] in FAMOUS_AFTER:
                    return (p, e)
    return None


def famous_names(text: str, model: NameModel) -> list[tuple[int, int]]:
    """A famous name at the text's start with a famous person's predicate after it (module doc)."""
    span = _famous_at(text, 0, _tables(model)[0])
    return [span] if span is not None else []


class _Last:
    """The last model's tables: one identity test per text instead of a cached call (review runs on every text)."""

    model: NameModel | None = None
    tables: tuple[frozenset[str], frozenset[str], frozenset[str]] = (frozenset(), frozenset(), frozenset())


def review(text: str, spans: list[tuple[int, int]], model: NameModel) -> list[tuple[int, int]]:
    """``spans`` without time words and parts of words, with readings moved past a word before them, plus
    famous and pinyin names. Speed: runs on every text, so a few character tests and one set lookup per span
    decide whether any span needs a second look, and one lookup of the text's start whether a famous name may."""
    if model is not _Last.model:
        _Last.tables, _Last.model = _tables(model), model
    famous, heads, suspect = _Last.tables
    for s, e in spans:
        w = text[s:e]
        if (
            # inside a longer word only with a Chinese character beside it (not 张伟 between spaces)
            (("\u4e00" <= text[e : e + 1] <= "\u9fff" or "\u4e00" <= text[s - 1 : s] <= "\u9fff") and w in suspect)
            or (e - s == 2 and w[1] in _NUMERALS)
            or (e - s == 3 and (w[0] in _THREE_HEADS or w[2] in _KIN_ONE))
            or (e - s == 3 and (not s or text[s - 1] in _BREAKS) and w[2] not in seed.MODERN_GIVEN_CHARS)
            or (s and (text[s - 1] in _TIME_HEADS or text[s - 1] == w[0]))
        ):
            spans = _reread(text, spans, model)
            break
    # a famous name at the start, unless the scan already has a name there (name-dense texts start with one)
    # (what follows a two- or three-character name first: a small set, where the large one misses the CPU's cache)
    span = (
        _famous_at(text, 0, famous)
        if (text[2:3] in _AFTER_HEADS or text[3:4] in _AFTER_HEADS) and text[:2] in heads and (not spans or spans[0][0])
        else None
    )
    pinyin = " " in text and _SPACE_CAP.search(text) is not None  # a pinyin name has a space: `in` first, in C
    if span is None and not pinyin:
        return spans  # the common case, with nothing allocated (review runs on every text)
    extra = [span] if span is not None else []
    if pinyin:
        extra += pinyin_names(text, model)
    extra = [sp for sp in extra if not any(a < sp[1] and sp[0] < b for a, b in spans)]
    return sorted(spans + extra)


def _inside_word(text: str, s: int, e: int, model: NameModel) -> bool:
    """Whether ``text[s:e]`` lies inside a longer dictionary word that is no person's name (肩周炎, 拾金不昧,
    万马奔腾): the characters around it make it part of that word."""
    n = e - s
    if n < 2:
        return False  # a surname before a title or after 小/老 (小金, 老牛) is read with those, not as a word
    words, tags = model.words, model.tags
    for a in range(max(0, s - 2), s + 1):
        for b in range(e, min(len(text), e + 2) + 1):
            if (a, b) != (s, e) and b - a <= 4 and b - a > n:
                w = text[a:b]
                if w in words and tags.get(w) not in _PERSON_TAGS:
                    return True
    return False


def _compound_noun(text: str, s: int, e: int, model: NameModel) -> bool:
    """Whether a three-character span that opens a clause is a compound noun: its first two characters a common
    dictionary word (石榴, 龙舟; not a compound surname, 端木青, a transliterated name, 巴特尔, or a place, 金城武)
    and its third no given-name character (籽, 赛) — 石榴籽可以…, 龙舟赛下周…: the topic is a thing. With a cue
    before it (收件人：房子轩) or a given-name character last (方志远, 刘家豪) the span stays a name. When the
    dictionary calls the two characters a person (刘裕曾于…, 苏轼称), :func:`_reread` keeps those two."""
    if e - s != 3 or (s and text[s - 1] not in _BREAKS) or text[e - 1] in seed.MODERN_GIVEN_CHARS:
        return False
    head = text[s : s + 2]
    return (
        head not in seed.COMPOUND_SURNAMES
        and model.words.get(head, 0.0) >= COMPOUND_HEAD
        and model.tags.get(head, "") not in ("nrt", "ns")
        and model.given.get(text[e - 1], -4.0) < COMPOUND_TAIL
    )


def _kin_trimmed(text: str, s: int, e: int) -> int:
    """The end of ``text[s:e]`` without a one-character kinship title it swallowed (明杰哥你到了吗 → 明杰)."""
    return e - 1 if e - s == 3 and text[e - 1] in _KIN_ONE else e


def _reread(text: str, spans: list[tuple[int, int]], model: NameModel) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if _time_word(text, s, e, model) or _inside_word(text, s, e, model):
            continue
        if _compound_noun(text, s, e, model):
            if model.tags.get(text[s : s + 2], "") in _PERSON_TAGS and not noun_char(text[e - 1]):
                out.append((s, s + 2))  # 刘裕曾于…, 苏轼称：the dictionary's person, and a word after it
            continue
        e = _kin_trimmed(text, s, e)
        if e - s == 3 and text[s] in _JOINERS and s and is_han(text[s - 1]) and given_pair(text[s + 1 : e], model):
            out.append((s + 1, e))  # 昊天和梓萱: 和 joins two names, the second a given name alone
            continue
        moved = _after_edge_word(text, s, e, model)
        if moved is None:
            out.append((s, e))
        elif moved[0] < moved[1]:
            out.append(moved)
    return out
