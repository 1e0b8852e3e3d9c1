"""The other items of an explicit list beside an accepted name: 中奖名单：聂平、章程、鲁迅; 新生名单：钭雨涵、妫天佑、
刘子轩; 霍思燕和薄一鸣一组，危小龙和计佳宁一组; a roster parted by spaces, 签到：施雯雯 卢进 孟繁星 (see
:func:`_whole_items`: a space is weaker evidence than 、, so such a run needs three items that start with a surname).

The first cell of a table row is the name when the row also holds a gender, an age or a phone number
(:func:`row_names`: 1  韩志强  男  138xxxx1234).

Why: a list separated by 、 holds items of one kind, so once one item is a name (accepted by the score of
:mod:`.names`), a neighbouring item that is a *whole* item — two or three characters between separators —
and could be a name is one. The score alone misses such items when they are also words (章程, 文静, 田甜) or
start with a surname the resource does not rank (妫, 蓟, 过): there the list is the only evidence, and it is
strong. :func:`.names_cues.grow` already adds a neighbour joined by a list word when its own score is near the
threshold; this adds whole items whatever their score, chained outwards from each accepted name.

What a whole item must look like to be taken: CJK only; its first one or two characters a surname of the
model (any single character when its given characters are clearly name-like, see :data:`GIVEN_ALONE`); no
given character that never starts or ends a given name (的, 是, numbers: :data:`.names_index.NOT_GIVEN`); not a
title or role word (经理, 同事), not a dictionary word tagged as a place, organisation, time or function word,
not a place by its last character (张家村), not a filler (待定). Lists of things (水杯、毛巾) have no accepted
name, so nothing here starts. Beside 和/与/及/跟 (a pair of any two things) the item must also start with a
surname and be no dictionary word. ； is no separator here: it ends clauses (周一伍强；周二…) more often than it
parts bare items; with it, dev gained one name and the validation set (wave6b, aggregate only) one false hit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_acts import NOT_NAME_TAGS
from lingxi.privacy.names_cues import FILLERS, is_han
from lingxi.privacy.names_index import NOT_GIVEN

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

SEPARATORS = frozenset("、 　")  # not ；: it ends clauses more often than it parts bare items
SPACES = frozenset(" 　")  # a roster's separators (签到：施雯雯 卢进 孟繁星): see _whole_items
SPACE_ITEMS = 3  # whole items a run parted by spaces needs, the anchor included, to be a list
_LABEL_END = frozenset("：:")  # an item before a colon is a field's label (考场：…, 金额：…), no list item
LIST_WORDS = frozenset("和与及跟")  # a pair: the item beside it must be whole too (危小龙和计佳宁一组)
LIST_CHARS = SEPARATORS | LIST_WORDS
LIST_CHAR = re.compile("[" + "".join(sorted(LIST_CHARS)) + "]")  # whether a text has any of them, in one search
ANCHOR = 3.0  # the score (of names.THRESHOLD 2.0) an accepted name needs to make its list a list of names
GIVEN_ALONE = 1.5  # mean given-name score of the given characters when the first is no surname of the model
_NOT_ITEM_TAGS = NOT_NAME_TAGS | frozenset(("ns", "nt", "nz", "s", "j", "b", "z"))
_ITEM_END = frozenset("，。！？：,.!?:（）()【】[]「」『』“”\"' \t\n　~～…—-/|和与及跟等") | SEPARATORS
_PEOPLE = frozenset(seed.ROLES) | frozenset(seed.TITLES)


def name_like(item: str, model: NameModel) -> bool:
    """Whether a whole list item could be a person's name (see the module doc)."""
    n = 2 if item[:2] in model.surnames else 1
    given = item[n:]
    if not 1 <= len(given) <= 2 or not all(is_han(c) for c in item) or any(c in NOT_GIVEN for c in given):
        return False
    if item in _PEOPLE or item in model.titles or item in FILLERS or model.tags.get(item, "") in _NOT_ITEM_TAGS:
        return False
    if len(item) > 2 and item[-1] in seed.PLACE_ENDS:
        return False
    if item[:n] in model.surnames or item[:n] in model.rare:
        return True
    return sum(model.given.get(c, -4.0) for c in given) / len(given) >= GIVEN_ALONE


def _item_right(text: str, b: int) -> tuple[int, int] | None:
    """The whole item after the separator at ``b`` (its span), if it ends at a separator or a clause's end."""
    e = b + 1
    while e < len(text) and e - b <= 5 and text[e] not in _ITEM_END:
        e += 1
    if not 2 <= e - b - 1 <= 4 or (e < len(text) and (text[e] not in _ITEM_END or text[e] in _LABEL_END)):
        return None
    if text[b] in SPACES and e < len(text) and text[e] not in SPACES and text[e] != "\n":
        return None  # after a space, an item ends at the next space or the line's end (黄彬 国学生，… is prose)
    return (b + 1, e)


def _item_left(text: str, a: int) -> tuple[int, int] | None:
    """The whole item before the separator at ``a - 1`` (its span), if it starts after a separator, a label's
    colon, a clause's start or the text's start."""
    s = a - 1
    while s > 0 and a - 1 - s <= 4 and text[s - 1] not in _ITEM_END:
        s -= 1
    n = a - 1 - s
    return (s, a - 1) if 2 <= n <= 4 and (s == 0 or text[s - 1] in _ITEM_END) else None


def _whole_items(text: str, anchor: tuple[int, int]) -> dict[tuple[int, int], bool]:
    """The whole items chained outwards from ``anchor`` over 、, spaces and list words, each with whether a list
    word or a space (rather than 、) joins it to the chain; a part of the text that is no whole item ends the chain.

    A space parts the words of ordinary prose too (a line break in a pasted text, 皮克 林辞职), so items parted by
    spaces count only in a run of at least :data:`SPACE_ITEMS` (a roster: 党卫东 战小军 隋玉), and a list keeps
    one kind of separator: a space after a 、 list ends it (作词者 李宗恩、严云农: 作词者 is a label)."""
    items: dict[tuple[int, int], bool] = {}
    spaced = (text[anchor[1] : anchor[1] + 1] or text[anchor[0] - 1 : anchor[0]]) in SPACES
    b = anchor[1]
    while text[b : b + 1] in LIST_CHARS and (text[b] in SPACES) == spaced and (span := _item_right(text, b)):
        items[span] = text[b] in LIST_WORDS or spaced
        b = span[1]
    a = anchor[0]
    while a > 0 and text[a - 1] in LIST_CHARS and (text[a - 1] in SPACES) == spaced and (span := _item_left(text, a)):
        items[span] = text[a - 1] in LIST_WORDS or spaced
        a = span[0]
    return {} if spaced and len(items) + 1 < SPACE_ITEMS else items


def _fits(item: str, joined_by_word: bool, model: NameModel) -> bool:
    """Whether a whole item may be taken as a name: beside 和/与 (a pair of any two things) or a space (审判长 鲍国强
    审判员 …: labels and names alternate) only a surname and no dictionary word (王芳和孩子), else
    :func:`name_like`."""
    if joined_by_word and (item in model.words or item[:1] not in model.surnames):
        return False
    return name_like(item, model)


def list_items(
    text: str, accepted: list[tuple[int, int]], strong: set[tuple[int, int]], model: NameModel
) -> list[tuple[int, int]]:
    """``accepted`` plus the whole items of each 、/和 list that holds a ``strong`` name (accepted with a score
    of at least :data:`ANCHOR`), when every whole item of it not accepted yet fits (:func:`_fits`); sorted.

    Only a strong anchor starts a list: one the tagger accepted at its margin is as often a thing in a list of
    things (公秤、私秤、米秤), and every item beside it would then be flagged too. And one item that cannot be
    a name (潘晓东、毛巾、水杯) says the list is not one of names."""
    out = list(accepted)
    for anchor in [span for span in accepted if span in strong]:
        items = _whole_items(text, anchor)
        fresh = [span for span in items if span not in out]
        if not fresh or any(s < sp[1] and sp[0] < e for sp in fresh for s, e in out):
            continue
        if all(_fits(text[sp[0] : sp[1]], items[sp], model) for sp in fresh):
            out.extend(fresh)
    return sorted(out)


# A table row, one per line: cells parted by tabs, | or spaces. Its first cell of CJK characters (after an index
# such as 1, 2. or ①) is the name when another cell of the same line holds what only a person's row has: a
# gender, an age, a mobile or landline number (masked or not).
_ROW = re.compile(r"^[ \t|]*(?:(?:\d{1,3}|[①-⑳])[.、．)]?[ \t|]+)?([\u4e00-\u9fff]{2,4})(?=[ \t|])", re.M)
_PERSON_CELL = re.compile(
    r"(?<![^ \t|])(?:男|女|\d{1,3}岁|1[3-9]\d[\d*xX]{4}\d{4}|0\d{2,3}-?\d{7,8})(?=[ \t|]|$)", re.M
)
# The same cell for the whole-text check, found through the separator before it (or at the text's start):
# a pattern that opens with a lookbehind is tried at every position, one that opens with a character class
# lets the engine skip to the separators. A cell after a separator at p-1 is exactly a _PERSON_CELL match at p.
_SEP_CELL = re.compile(r"[ \t|](?:男|女|\d{1,3}岁|1[3-9]\d[\d*xX]{4}\d{4}|0\d{2,3}-?\d{7,8})(?=[ \t|]|$)", re.M)
ROW = 3.0  # the score of such a cell (names.THRESHOLD is 2.0): a table's name column is as clear as a label


def row_names(text: str, model: NameModel) -> list[tuple[float, int, int]]:
    """Scored first cells of the table rows of ``text`` that may be names (:func:`name_like`, surname first)."""
    if _PERSON_CELL.match(text) is None and _SEP_CELL.search(text) is None:
        return []  # no gender, age or phone cell anywhere: most texts with a space, and cheaper than the rows
    out = []
    for m in _ROW.finditer(text):
        s, e = m.span(1)
        line_end = text.find("\n", e)
        cell = _PERSON_CELL.search(text, e, line_end if line_end >= 0 else len(text))
        item = text[s:e]
        if cell is not None and (item[:1] in model.surnames or item[:2] in model.surnames) and name_like(item, model):
            out.append((ROW, s, e))
    return out
