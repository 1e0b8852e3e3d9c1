"""Readings of a found span that the general lexicon and grammar around it contradict.

Why a last look of its own: the scorer (:mod:`.names`), its trained re-ranker and tagger weigh evidence *for* a
name — statistics of surnames and given-name characters, cues — and the word penalties only say how common the
span is as a word. Some readings are not a matter of degree: what stands around the span makes it a word of
another class, whatever its characters. Each check below is a fact of Chinese grammar or word formation, not a
list of examples:

* **A place or organisation suffix after a surname and one character** (覃塘区发布…, 冯氏集团): an
  administrative division (省市县区镇乡村) or a company word (集团, 公司) right after the span makes the span
  the proper noun it qualifies, unless the suffix begins a word of its own (王芳市场部: 市场; 李明县长: 县长).
* **A brand or clan form**: a surname + 记 (黄记煌, 陈记肠粉: a shop named after its owner's family) or + 氏 (冯氏,
  李氏宗祠: a clan or a firm), no personal name.
* **A conjunction read as a surname before a title or 老** (经理、副经理和会计…; 牛肉面和老坛酸菜): 和, 与, 跟,
  及 between two words joins them.
* **A surname and a title that together are one title** (护士阿姨: 阿 + 姨 is 阿姨, a form of address).
* **A time word before a clock time** (凌晨三点才睡): 凌晨, 傍晚 before a numeral and a unit of time.
* **A classifier before the span**: a numeral or demonstrative and a classifier of animals or things (一只白鹭,
  两条鱼) make a noun phrase, and a person takes 个 or 位, not 只 or 条; after a demonstrative a
  one-character "surname" that is itself such a classifier is the classifier (这章老师说…: this chapter).
* **Financial numerals** (伍拾元): 伍 and 陆 are surnames, but 伍 + 拾/佰/仟 is a written amount.

And one used by :mod:`.names_context` when a three-character span opening a clause is a compound noun
(石榴籽, 杨梅汁): its first two characters stay a name only when the third character is no noun
(:func:`noun_char`: 苏轼称 keeps 苏轼; 杨梅汁, 杨梅酒 are things).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

_DIVISIONS = frozenset("省市县区镇乡村")
_ORG_WORDS = ("集团", "公司")
_JOINERS = frozenset("和与跟及")
_NUMERALS = frozenset("一二三四五六七八九十两0123456789０１２３４５６７８９")
_CLOCK_UNITS = frozenset("点时")
# classifiers of animals and things; 个 and 位 (people too) and 张 (a top surname: 那张总) are not among them
_THING_CLASSIFIERS = frozenset("只条头匹本棵朵辆台部件块瓶杯碗盘章篇首枚颗粒根支")
_QUANTIFIERS = _NUMERALS | frozenset("这那哪每几半")
_DEMONSTRATIVES = frozenset("这那哪每")
_MONEY = frozenset("壹贰叁肆伍陆柒捌玖拾佰仟")
_TIME_TAG = "t"
_EDGES = frozenset("，。！？；,.!?;…~～ \n")
_NOUN_TAGS = ("n", "ng", "nz")
_ASPECT = frozenset("了着过来去")
_VERB_TAGS = ("v", "d")
# what any check needs after a span, or as its second character (the fast test of :func:`filtered`)
_AFTER_ANY = _DIVISIONS | _NUMERALS | _ASPECT | frozenset("集公一")
_SECOND_ANY = _MONEY | frozenset("记氏")
_ONE_ANY = _JOINERS | _THING_CLASSIFIERS  # what a one-character span may itself be
EDGE_WORD = 2.5  # log10 frequency of such a word (新任 2.5): :data:`.names_context.EDGE_WORD`, the same measure


def _char_tags() -> dict[str, str]:
    """The dictionary's part-of-speech tag of each one-character word (汁 ng, 酒 n, 称 v, 曾 d), read with the
    word frequencies every model loads (:func:`.names_model.text_stats`, cached)."""
    from lingxi.privacy.names_model import text_stats

    return text_stats().char_tags


def noun_char(ch: str) -> bool:
    """Whether the dictionary tags ``ch`` alone as a noun (汁, 酒, 季: a compound's head after a noun)."""
    return _char_tags().get(ch, "") in _NOUN_TAGS


def _hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def contradicted(text: str, s: int, e: int, model: NameModel) -> bool:
    """Whether the words around ``text[s:e]`` make it no person's name (the module doc's checks)."""
    n = e - s
    after, before = text[e : e + 1], text[s - 1 : s]
    if n >= 2 and (text[s + 1] == "记" or (text[s] in _MONEY and text[s + 1] in _MONEY)):
        return True
    if n == 2:
        if text[s + 1] == "氏":  # not in three characters: 阮氏秋, a Vietnamese woman's name, has 氏 in its middle
            return True
        if after in _DIVISIONS and model.words.get(text[e : e + 2], 0.0) == 0.0:
            return True
        if text[e : e + 2] in _ORG_WORDS:
            return True
        if model.tags.get(text[s:e]) == _TIME_TAG and after in _NUMERALS and text[e + 1 : e + 2] in _CLOCK_UNITS:
            return True
    if n == 1:
        if text[s] in _JOINERS and _hanzi(before) and before not in "小老":
            return True
        if before in _DEMONSTRATIVES and text[s] in _THING_CLASSIFIERS:
            return True
        if text[s : s + 2] in model.titles:
            return True
    if before in _THING_CLASSIFIERS and text[s - 2 : s - 1] in _QUANTIFIERS and (e == len(text) or after in _EDGES):
        return True  # the span heads the phrase (一只白鹭。), not a name before its head (一首周杰伦的歌)
    return _closes_word(text, s, model)


def _closes_word(text: str, s: int, model: NameModel) -> bool:
    """Whether the span's first character closes a common word with the one before it (新任部长卓越: 新任),
    and that one is not itself the end of a longer word (收件人马思远: 收件人 takes 人, so 马 starts the name)
    nor a conjunction (和田野: 和 joins, 和田 is not read), nor 小/老 of a familiar name (小马哥)."""
    if s == 0 or text[s - 1] in _JOINERS or text[s - 1] in "小老" or text[s : s + 2] in model.surnames:
        return False
    if model.words.get(text[s - 1 : s + 1], 0.0) < EDGE_WORD:
        return False
    return text[s - 2 : s] not in model.words and text[s - 3 : s] not in model.words


def _verb_last(text: str, s: int, e: int, model: NameModel) -> bool:
    """Whether a three-character span's last character is a verb, not a given name's: the dictionary tags it a
    verb or adverb, it is no given-name character (score under 0), and an aspect particle (了, 着, 过), 一下 or a
    direction (来, 去) follows it without making a word with it (邢鹏留一下, 阿杰约了; not 张小明了: 明了)."""
    last = text[e - 1]
    return (
        e - s == 3
        and (text[e : e + 1] in _ASPECT or text[e : e + 2] == "一下")
        and _char_tags().get(last, "") in _VERB_TAGS
        and model.given.get(last, -4.0) < 0.0
        and text[e - 1 : e + 1] not in model.words
    )


def filtered(text: str, spans: list[tuple[int, int]], model: NameModel) -> list[tuple[int, int]]:
    """``spans`` without those :func:`contradicted` rules out, and without a verb they swallowed. Speed: runs on
    every text with a span, so a few character tests and one word lookup per span first say whether any of
    them needs the checks at all (most names have none of those characters around them)."""
    words, titles = model.words, model.titles
    for s, e in spans:
        if (
            (e - s == 1 and (text[s] in _ONE_ANY or text[s : s + 2] in titles))
            or text[e : e + 1] in _AFTER_ANY
            or text[s - 1 : s] in _THING_CLASSIFIERS
            or text[s + 1 : s + 2] in _SECOND_ANY
            or (s and text[s - 1 : s + 1] in words)
        ):
            break
    else:
        return spans
    out = []
    for s, e in spans:
        if contradicted(text, s, e, model):
            continue
        out.append((s, e - 1) if _verb_last(text, s, e, model) else (s, e))
    return out


def settled(
    text: str,
    scored: list[tuple[float, int, int]],
    model: NameModel,
    accept: Callable[[list[tuple[float, int, int]]], list[tuple[int, int]]],
) -> list[tuple[int, int]]:
    """The spans ``accept`` takes from ``scored``, taken again without the readings :func:`contradicted` rules out
    when it rules out any. Why: :func:`filtered` drops such a span only after acceptance, when the reading it
    overlapped — often the right one — has already lost to it (谢谢萱萱妈妈: 谢萱萱 wins over 萱萱, then 谢谢 rules
    it out and nothing is left). With those candidates gone, the next reading can stand."""
    spans = accept(scored)
    if not spans or filtered(text, spans, model) == spans:
        return spans
    gone = {(s, e) for s, e in spans if contradicted(text, s, e, model)}
    if not gone:
        return spans
    rest = [c for c in scored if (c[1], c[2]) not in gone]
    return accept(rest) if rest else []
