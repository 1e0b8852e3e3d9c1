"""Given names with no surname: the addressee at a text's start (婷婷，…; 小芳，…; 志强你…) or the
subject of what a person does there (阿强说…, 晓燕的作业…).

Why a separate pass: :mod:`.names` anchors every candidate on a surname, but family and friends' chats name
people by their given name alone, by a reduplicated one (丽丽, 欣欣) or by 小/阿 + one given character (小芳,
阿强). Without a surname nothing in the text marks such a name as a name but *where* it stands and *what* its
characters are, so a candidate is proposed only where both speak for it:

* it starts the text (a message or a line: 婷婷，…), or follows a family member called first (妈，小军…) —
  after a comma or a full stop inside a text it is not looked for, which kept the scan cheap enough for
  redaction's hot path — and
* it is followed by a vocative mark (a comma, colon or 你/您 right after: the person is being spoken to) or
  by something a person does or has (说, 让, 请假, 的作业 … the cue words of :mod:`.names_seed`);
* its characters are likely in given names (:attr:`.NameModel.given`, or the seed's modern given-name
  characters), and the span is not an ordinary word (今天，…; 其实你…; 刚刚说 — the word penalty of
  :mod:`.names`), nor a word with the character after it.

Kept conservative on purpose: text-initial words are the commonest thing in that position, so the
threshold is high and ordinary words lose (建国你… is missed: 建国 is a frequent word). The constants were
chosen on the decision split of the dev sets only (see ``benchmarks/README.md``, wave 6).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.privacy import names_seed as seed

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

GIVEN_THRESHOLD = 3.0  # the score below which a given-name-only candidate is never accepted
CHAR_MIN = 1.2  # each character's given-name score (log-likelihood ratio) must reach this
MODERN = 1.5  # a character of the seed's modern given-name list counts at least this much
OTHER_MAX = 1.5  # and any other at most this: the historical statistics over-rate rare characters (胃炎, 贤惠)
PREFIX = 1.0  # 小/阿 + a given character: the prefix itself says "a person's familiar name"
VOCATIVE = 2.0  # a comma, colon or exclamation mark, or 你/您, right after: being spoken to
DOES = 1.5  # something a person does or has right after (说, 请假, 的作业)
START = 0.5  # at the text's start: a message that opens with a name mostly speaks to that person
WORD = 1.6  # per log10 of the frequency of an ordinary word the span is (as names.WORD_PENALTY)
EDGE = 0.9  # per log10 of a word the span's last character forms with the next one
_VOCATIVE = frozenset("，,：:！!~～")
_ADDRESS = frozenset("你您")
_NOT_GIVEN = frozenset(
    "的了是在和与跟及说讲要想去来到吗呢吧啊呀哦嘛哈您你我他她们这那就也都还很请让给对把被已会能先今昨女总"
    "一二三四五六七八九十百千万个位点号年月日天时分"
)
# what a person does right after the name: speech and a few of the commonest acts (a short list keeps the
# scan's cue class small: nine texts in ten then have no hit at all)
_DOES = frozenset(seed.SPEECH | set("也还已刚回到给把") | {"已经", "刚才", "今天", "明天", "请假", "请你"})
_CUE_HEADS = "".join(sorted(_VOCATIVE | _ADDRESS | {"的"} | {w[0] for w in _DOES}))
# Speed: one anchored match of two CJK characters with a possible cue after them at the text's start (most
# texts have none); the characters and the cue are then checked.
_PAIR = f"[ \\t　]*([\\u4e00-\\u9fff]{{2}})(?=[{re.escape(_CUE_HEADS)}])"
# a family member called first (妈，小军回来没): the name then opens the second clause
_KIN = "妈|爸|妈妈|爸爸|哥|姐|老婆|老公|奶奶|爷爷|姥姥|姥爷|外婆|外公|宝贝|亲爱的"
_AT_START = re.compile(f"(?:(?:{_KIN})[，,] ?)?{_PAIR}")
# what such a text can start with: one set lookup turns most texts away before the match (redaction's hot path)
_FIRST = frozenset(seed.MODERN_GIVEN_CHARS | set("小阿") | {k[0] for k in _KIN.split("|")})


def _char(ch: str, model: NameModel) -> float | None:
    """How much ``ch`` reads as a given-name character; None when it cannot be one."""
    if ch in _NOT_GIVEN or not "\u4e00" <= ch <= "\u9fff":
        return None
    g = model.given.get(ch, -4.0)
    g = max(g, MODERN) if ch in seed.MODERN_GIVEN_CHARS else min(g, OTHER_MAX)
    return g if g >= CHAR_MIN else None


def _right(text: str, e: int) -> float:
    """Evidence after the span ending at ``e``: a vocative mark, or what a person does or has."""
    nxt = text[e : e + 1]
    if nxt in _VOCATIVE:
        return VOCATIVE
    if nxt in _ADDRESS and text[e + 1 : e + 2] != "们":
        return VOCATIVE
    if nxt == "的":
        two, one = text[e + 1 : e + 3], text[e + 1 : e + 2]
        return DOES if two in seed.POSSESSED or one in seed.POSSESSED else 0.0
    if text[e : e + 2] in _DOES or nxt in _DOES:
        return DOES
    return 0.0


def _forms(text: str, i: int, model: NameModel) -> list[tuple[float, int]]:
    """(score of the characters, end) for the forms starting at ``i``: 小X/阿X, XX, XY."""
    first, second = text[i : i + 1], text[i + 1 : i + 2]
    g2 = _char(second, model) if second else None
    if g2 is None:
        return []
    if first in ("小", "阿"):
        # 小王 is a surname with 小 (names.py labels the surname); only a given character here
        return [] if first == "小" and second in model.surnames else [(PREFIX + g2, i + 2)]
    g1 = _char(first, model)
    if g1 is None or first in model.surnames or first not in seed.MODERN_GIVEN_CHARS:
        return []  # a surname first: the surname-anchored scan proposes it; and a name starts with a common character
    if first == second and first not in seed.MODERN_GIVEN_CHARS:
        return []  # pet names double a common given character (婷婷); 恩恩, 哦哦 are interjections
    return [(g1 + g2, i + 2)]


def given_only(text: str, model: NameModel, threshold: float = GIVEN_THRESHOLD) -> list[tuple[float, int, int]]:
    """Given-name-only candidates at the text's start at or over :data:`GIVEN_THRESHOLD`, their scores shifted
    so that it maps onto ``threshold`` (that of :mod:`.names`: they compete with surname candidates)."""
    m = _AT_START.match(text) if text[:1] in _FIRST else None
    if m is None:
        return []
    words, i, out = model.words, m.start(1), []
    for chars, e in _forms(text, i, model):
        right = _right(text, e)
        if not right:
            continue
        score = chars + right + START - WORD * words.get(text[i:e], 0.0) - EDGE * words.get(text[e - 1 : e + 1], 0.0)
        score -= WORD * max(words.get(text[i : e + 1], 0.0), words.get(text[i : e + 2], 0.0))
        if score >= GIVEN_THRESHOLD:
            out.append((score - GIVEN_THRESHOLD + threshold, i, e))
    return out
