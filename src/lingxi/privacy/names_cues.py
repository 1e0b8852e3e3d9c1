"""Where a rare surname (宦, 蒯, 邴… :attr:`.NameModel.rare`) may start a name although no role word stands
before it, and what after a field label is a filler rather than a name.

Why a separate pass: the general scan never proposes a rare surname (everywhere it would make more false hits
than names), and :mod:`.names` proposes one only right after a role or label (收件人：宦晓东). People mark a
person in more ways than that, and each is as strong as a role word before:

* a title or kinship term right after the surname, or after it and one or two given characters (蒯老师,
  邴少华先生), when the character before does not form a word with the surname (体育老师, 英语老师);
* an honorific frame before it (尊敬的…, 亲爱的…);
* the whole value of a field: any label and a colon before it, a separator or the end after it (签到：…、,
  主治医师：…) — the label need not be a known role word;
* the next item of a 、/和/及/与 list whose previous item was accepted as a name (…、妫天佑).

A cued candidate is scored by the same hand score, re-ranker and tagger; :data:`CUE` is added when its span
ends where the cue says a name ends (before the title, separator or end), making up for the rare surname's
low prior. None of this changes what a build trains on: the training reads :func:`.names._candidates`,
which is unchanged. CUE was chosen on the dev parts of the evaluation sets and the tests' own sentences only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING

import ahocorasick_rs

from lingxi.privacy import names_seed as seed

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

CUE = 2.0  # added to a cued rare-surname candidate whose span ends where the cue says (see module doc)
HONORIFIC = 3.0  # and this after 尊敬的: a frame before is worth a role word before (names.ROLE), which the
# hand score does not see there (it scores 的 as nothing)
HONORIFICS = ("尊敬的", "亲爱的", "敬爱的")
LIST_SEP = ("、", "和", "与", "及", "跟", "，", ",")
_LIST_SEP_CHAR = re.compile("[" + "".join(sorted(LIST_SEP)) + "]")  # each one character: one search
LIST_NEXT = frozenset("、和与及")  # after an accepted name, these propose a rare surname as the next item
_BEFORE = frozenset(seed.BEFORE)
_AFTER = frozenset(seed.AFTER)
_COLONS = frozenset("：:")
_SPACE = frozenset(" \t　")
_END = frozenset("，。！？；：,.!?;:、（）()【】[]「」“”\"' \t\n　~～…—-/|")
# What a field holds when nobody filled it in (姓名：未填, 联系人：不详): a closed class, not names. 未 and 空
# are rare surnames, and a filler after a role word scores like a name.
_FILLER_WORDS = "未填 未知 未定 未详 未到 未提供 不详 不明 待定 待补 待填 暂无 暂缺 空缺 空白 匿名 本人 同上 见附件"
FILLERS = frozenset(_FILLER_WORDS.split(" "))
_FILLER_HEADS = frozenset(w[0] for w in FILLERS)


def is_han(ch: str) -> bool:
    """A character of the basic CJK block (U+4E00–U+9FFF), the block the names model's characters are from
    (one test for the whole names package)."""
    return "\u4e00" <= ch <= "\u9fff"


def _title_len(text: str, j: int, model: NameModel) -> int:
    """Length of the title at ``j``; a one-character one (总, 姐, 老) only before punctuation or the end:
    otherwise it starts too many things (听老赵说: 老 is 老赵's)."""
    for n in (3, 2):
        if len(text[j : j + n]) == n and text[j : j + n] in model.titles:
            return n
    return 1 if text[j : j + 1] in model.titles and (j + 1 >= len(text) or text[j + 1] in _END) else 0


def bounded(text: str, e: int, model: NameModel) -> bool:
    """Whether a name may end at ``e``: the text's end, punctuation or a space, a list word, a title, or
    what a person does (说, 请假; not 的, which follows places as often)."""
    if e >= len(text) or text[e] in _END or text[e] in LIST_NEXT:
        return True
    after = text[e : e + 1] in _AFTER or text[e : e + 2] in _AFTER
    return _title_len(text, e, model) > 0 or (after and text[e] != "的")


def bonus(text: str, s: int, e: int, model: NameModel) -> float:
    """What a cue adds to the rare-surname candidate ``text[s:e]``; 0 (the candidate is dropped) unless a
    name may end at ``e``."""
    if not bounded(text, e, model):
        return 0.0
    return CUE + HONORIFIC if any(text[max(0, s - len(h)) : s] == h for h in HONORIFICS) else CUE


def _titled(text: str, i: int, model: NameModel) -> bool:
    """A title right after the surname at ``i`` (or after one or two given characters), the surname standing
    on its own at the left (a sentence edge, punctuation, a person-taking verb such as 请 or 谢谢 — not 是:
    可是真帅哥), and neither a word with the character before (体育老师) nor with the title (帅哥, 护工)."""
    n = next((n for n in (1, 2, 3) if _title_len(text, i + n, model)), 0)
    if not n or text[i : i + 2] in model.words or text[i - 1 : i + 1] in model.words:
        return False
    if i == 0 or not is_han(text[i - 1]):
        return True
    return any(text[i - k : i] in _BEFORE and text[i - k : i] != "是" for k in (1, 2) if i >= k)


def _field_value(text: str, i: int) -> bool:
    """Whether ``i`` starts a field's value: a label of CJK characters, a colon, optional spaces."""
    k = i
    while k > 0 and text[k - 1] in _SPACE:
        k -= 1
    return k >= 2 and text[k - 1] in _COLONS and is_han(text[k - 2])


@dataclass(frozen=True)
class Gate:
    """Where a text may hold a cue, found by C-speed scans: a colon (and a space) or an honorific right
    before a rare surname (one regular expression that starts with those small sets), or — with a build —
    a title with a rare surname at most three characters before it (an Aho–Corasick scan for the titles).
    A regular expression that tried the rare class at each of its positions cost 2–4 µs a text: the
    resource's rare surnames include everyday characters."""

    framed: re.Pattern[str]
    titles: ahocorasick_rs.AhoCorasick | None
    rare: frozenset[str]

    def positions(self, text: str) -> list[int]:
        """Where a cue may hold, in text order: after each frame, and up to three characters before each
        title; :func:`cue_positions` checks each."""
        # a search that finds nothing costs a third of an empty finditer's list, and nine texts in ten have no frame
        out = [m.end() - 1 for m in self.framed.finditer(text)] if self.framed.search(text) is not None else []
        if self.titles is not None:
            rare = self.rare
            for _, j, _ in self.titles.find_matches_as_indexes(text, overlapping=True):
                out.extend(i for i in range(max(0, j - 3), j) if text[i] in rare)
            if len(out) > 1:
                out = sorted(set(out))
        return out


def cue_gate(rare: str, model: NameModel) -> Gate:
    """The :class:`Gate` for the rare-surname class ``rare``; the title part only with a build."""
    frames = "|".join(re.escape(h) for h in HONORIFICS)
    # every branch opens with a literal character, so the engine skips to those characters instead of
    # trying the pattern at each position (a leading class such as [：:] in one branch prevents that)
    framed = re.compile(f"(?:：[ \t　]*|:[ \t　]*|{frames})[{rare}]")
    titles = ahocorasick_rs.AhoCorasick(sorted(model.titles)) if model.source != "seed" else None
    return Gate(framed, titles, frozenset(rare))


def cue_positions(text: str, model: NameModel, near: list[int]) -> Iterator[int]:
    """Positions of rare surnames with a title after, an honorific before, or at a field's value, of those
    :meth:`Gate.positions` put forward (``near``)."""
    for i in near:
        if is_filler(text, i):
            continue
        framed = any(text[max(0, i - len(h)) : i] == h for h in HONORIFICS) or _field_value(text, i)
        # without a build every uncommon character counts as rare, and a title alone then flags verbs (听老师,
        # 叫女士, 喊爸爸: 4,000 ordinary sentences of the re-ranker's negatives): the seed needs a frame
        if framed or (model.source != "seed" and _titled(text, i, model)):
            yield i


def next_in_list(text: str, accepted: list[tuple[int, int]], model: NameModel) -> list[int]:
    """Rare surnames right after an accepted name and a list word (王芳、妫天佑)."""
    out = []
    for _, b in accepted:
        if text[b : b + 1] in LIST_NEXT and text[b + 1 : b + 2] in model.rare and not is_filler(text, b + 1):
            out.append(b + 1)
    return out


def is_filler(text: str, s: int) -> bool:
    """Whether the candidate at ``s`` begins a filler word (未填, 不详, 暂无)."""
    return text[s : s + 1] in _FILLER_HEADS and (text[s : s + 2] in FILLERS or text[s : s + 3] in FILLERS)


_BRAND_PAIRS = frozenset(w[:2] for w in seed.BRANDS)
_BRAND_PAIR = re.compile("|".join(sorted(_BRAND_PAIRS)))
LIST_NEXT_CHAR = re.compile("[" + "".join(sorted(LIST_NEXT)) + "]")  # one search instead of four
_PERSON_NEXT = frozenset("说讲让叫问先女总老")  # 李宁说, 李宁先生: a person after all


def in_brand(text: str, s: int, e: int) -> bool:
    """Whether ``text[s:e]`` lies inside a brand of :data:`.names_seed.BRANDS` (王老吉, 康师傅), or is one
    with no person's cue after it (李宁的新款; not 李宁说). Speed: one search for a brand's first two characters
    among the possible starts (nearly every candidate has none), then one pair lookup per possible start."""
    lo = max(0, s - 3)
    if _BRAND_PAIR.search(text, lo, s + 2) is None:
        return False
    for a in range(lo, s + 1):
        if text[a : a + 2] in _BRAND_PAIRS:
            for b in range(max(a + 2, e), a + 5):
                if text[a:b] in seed.BRANDS:
                    return not (a == s and b == e and text[e : e + 1] in _PERSON_NEXT)
    return False


_VERB_HEADS = frozenset(w[0] for w in seed.BEFORE if len(w) <= 2) | frozenset("代")
_COUNTED = frozenset("一二两三四五六七八九十几")
_MEASURES = frozenset("人位个名")


def misread(text: str, s: int, e: int, model: NameModel) -> bool:
    """Whether the candidate ``text[s:e]`` is a misreading that a better one explains: it starts with a
    person-taking word whose next character is itself a surname (谢谢岳教练, 和凤晓梅, 代籍志红: the name
    starts after the word), or its last character counts the names before it (叶凡三人)."""
    if text[s] in _VERB_HEADS:
        for k in (2, 1):
            w = text[s : s + k]
            # a one-character word only where it can be one: not right after a list word (宁静和向阳: 向 starts)
            if k == 1 and (text[s - 1 : s] in LIST_NEXT or text[s - 1 : s] in _BEFORE):
                continue
            if (w in _BEFORE or w == "代") and s + k < e:
                nxt = text[s + k]
                if nxt in model.surnames or nxt in model.rare:
                    return True
    return e - s == 3 and text[e - 1] in _COUNTED and text[e : e + 1] in _MEASURES


def unfit(text: str, s: int, e: int, model: NameModel, brands: bool = True) -> bool:
    """Whether an accepted-by-score candidate is still not a name: a filler, a brand, a misreading.
    ``brands=False``: the caller knows ``text`` holds no brand's first two characters (no brand to be in)."""
    head = text[s]
    if head in _FILLER_HEADS and is_filler(text, s):
        return True
    if (head in _VERB_HEADS or (e - s == 3 and text[e - 1] in _COUNTED)) and misread(text, s, e, model):
        return True
    return brands and in_brand(text, s, e)


def accept(
    text: str, scored: list[tuple[float, int, int]], model: NameModel, threshold: float
) -> list[tuple[int, int]]:
    """Best-first, non-overlapping spans that clear ``threshold`` (fillers, brands, misreadings never do)."""
    scored.sort(key=itemgetter(0), reverse=True)  # stable as the negated key was, without a Python call each
    brands = _BRAND_PAIR.search(text) is not None  # one search per text instead of one per candidate
    accepted: list[tuple[int, int]] = []
    for score, s, e in scored:
        if not score >= threshold:
            continue
        for a, b in accepted:
            if s < b and a < e:
                break
        else:
            if not unfit(text, s, e, model, brands):
                accepted.append((s, e))
    return accepted


def in_list(text: str, s: int, e: int, accepted: list[tuple[int, int]]) -> bool:
    """Whether ``text[s:e]`` is joined to an accepted name by 、/和/与/及 (one separator, either side)."""
    for sep in LIST_SEP:
        n = len(sep)
        if text[e : e + n] == sep and any(a == e + n for a, _ in accepted):
            return True
        if text[s - n : s] == sep and any(b == s - n for _, b in accepted):
            return True
    return False


def grow(text: str, accepted: list[tuple[int, int]], rest: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """Add the candidates ``rest`` (under the threshold, over the list threshold) that stand in a list with an
    accepted name, until none is added; sorted spans."""
    if not rest or _LIST_SEP_CHAR.search(text) is None:
        return sorted(accepted)  # no separator anywhere: no candidate can stand in a list (see in_list)
    rest = [c for c in rest if not is_filler(text, c[1])]
    grew = True
    while grew and rest:
        grew = False
        for cand in list(rest):
            _, s, e = cand
            if any(s < b and a < e for a, b in accepted):
                rest.remove(cand)
            elif in_list(text, s, e, accepted):
                accepted.append((s, e))
                rest.remove(cand)
                grew = True
    return sorted(accepted)
