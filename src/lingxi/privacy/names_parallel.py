"""Names in parallel clauses: once one clause of a roster holds a clear name, its sister clauses built the same
way hold names too (第一棒秦朗，第二棒袁梦，第三棒侯宇航，最后一棒严冬; 学生蒋雨桐，家长蒋国平; 原告郄建国，被告鄢小平;
交接人：聂小雨；接收人：卢卡斯; 值班表：周一范晓东，周二任静，…周五黎明).

Why: a roster, relay order, duty table, party list or family line repeats one frame — a lead (an order word, a
day, a role, a kinship word) and the name that closes the clause. The frame is the evidence, and it is strong:
its slots are filled with one kind of thing. The score of :mod:`.names` misses such items when they are also
words (严冬, 黎明, 江山) or when their surname is rare or their given characters weak; :mod:`.names_lists`
only reaches items parted by 、 or spaces. Two leads count as one frame when they end in the same character
(第二棒 / 最后一棒, 交接人 / 接收人, 原告 / 被告, 甲方代表 / 乙方代表) or are as long and differ only in the
last (周一 / 周五, 我爸 / 我妈, 孝子 / 孝女), or are both a word for a person in a role (学生 / 家长) — and
neither ends in a verb or function word that any sentence may repeat (是, 给, 说, 的: 这是臭椿，有怪味的是石楠).

What is taken: a whole clause end of two or three characters (four with a compound surname) after a lead that
is parallel to the lead of a clause closed by a *strong* name (a score of at least :data:`.names_lists.ANCHOR`,
as for lists: a margin acceptance is as often a thing), when it could be a name (:func:`.names_lists.name_like`:
a surname of the model or clearly name-like given characters, not a role, title, place, organisation or time
word). Leads are short (one to five characters, all CJK, a label's colon allowed at the end): a longer stretch
before the name is a sentence, not a roster's lead, and sentences seldom repeat their frame.

Opt-in (``lingxi privacy names build --recall-passes``, :attr:`.names_model.NameModel.recall_passes`): see
benchmarks/README.md (2026-12-08, wave 13, names16) for why it is not on by default.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_address import PERSON_NOUNS
from lingxi.privacy.names_cues import is_han
from lingxi.privacy.names_index import NOT_GIVEN
from lingxi.privacy.names_lists import ANCHOR, name_like

if TYPE_CHECKING:
    from lingxi.privacy.names_model import NameModel

CLAUSE_ENDS = frozenset("，,；;。！？!?\n")
_CLAUSE_END = re.compile(f"[{''.join(sorted(CLAUSE_ENDS))}]")
_COLONS = frozenset("：:")
MAX_LEAD = 5  # characters before the name in a roster's clause (最后一棒, 甲方代表, 交接人：)


def _lead(text: str, c0: int, s: int) -> str | None:
    """The lead of a clause from ``c0`` to a name at ``s``: after a label's colon inside the clause when there is
    one with text after it (值班表：周一 → 周一), else the whole (交接人：); None when it is no roster lead."""
    lead = text[c0:s].strip(" 　")
    cut = max(lead.rfind("："), lead.rfind(":"))
    if 0 <= cut < len(lead) - 1:
        lead = lead[cut + 1 :]
    body = lead[:-1] if lead[-1:] in _COLONS else lead
    if not 1 <= len(body) <= MAX_LEAD or not all(is_han(c) for c in body):
        return None
    return lead


def _parallel(a: str, b: str, model: NameModel) -> bool:
    """Whether two leads are one frame: the same colon, and the same last character, or the same length and all
    but the last character the same, or both a word for a person in a role (学生蒋雨桐，家长蒋国平)."""
    if (a[-1:] in _COLONS) != (b[-1:] in _COLONS):
        return False
    a, b = a.rstrip("：:"), b.rstrip("：:")
    if a[-1] in NOT_GIVEN or b[-1] in NOT_GIVEN:
        return False  # 这是臭椿，有怪味的是石楠; 我说…，我想…: a verb or function word ends a sentence's frame
    if a == b or a[-1] == b[-1] or (len(a) == len(b) >= 2 and a[:-1] == b[:-1]):
        return True
    return _person(a, model) and _person(b, model)


def _person(lead: str, model: NameModel) -> bool:
    return lead in seed.ROLES or lead in PERSON_NOUNS or (len(lead) > 1 and lead in model.titles)


def _clauses(text: str) -> list[tuple[int, int]]:
    """Each clause's (start, end), parted by :data:`CLAUSE_ENDS`."""
    out, c0 = [], 0
    for m in _CLAUSE_END.finditer(text):
        out.append((c0, m.start()))
        c0 = m.end()
    out.append((c0, len(text)))
    return out


def parallel_items(
    text: str, spans: list[tuple[int, int]], scored: list[tuple[float, int, int]], model: NameModel
) -> list[tuple[int, int]]:
    """``spans`` plus the names closing clauses parallel to one closed by a strong span (scored at least
    :data:`.names_lists.ANCHOR` in ``scored``); sorted."""
    if not any(e == len(text) or text[e] in CLAUSE_ENDS for _, e in spans):
        return spans  # most texts: no name closes a clause
    strong = {(s, e) for c, s, e in scored if c >= ANCHOR}
    clauses = _clauses(text)
    if len(clauses) < 2:
        return spans
    out = list(spans)
    leads: list[str] = []
    anchored: set[int] = set()
    for n, (c0, c1) in enumerate(clauses):
        for s, e in spans:
            if e == c1 and c0 < s and (s, e) in strong and (lead := _lead(text, c0, s)) is not None:
                leads.append(lead)
                anchored.add(n)
    if not leads:
        return spans
    for n, (c0, c1) in enumerate(clauses):
        if n in anchored or any(c0 <= s < c1 for s, _ in out):
            continue
        for size in (2, 3, 4):
            s = c1 - size
            if s <= c0:
                break
            item = text[s:c1]
            if size == 4 and item[:2] not in model.surnames:
                continue
            lead = _lead(text, c0, s)
            if lead is not None and any(_parallel(x, lead, model) for x in leads) and name_like(item, model):
                out.append((s, c1))
                break
    return sorted(out)
