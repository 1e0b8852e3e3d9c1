"""Three question shapes beyond one filter and one window, read by the rule parser (:mod:`lingxi.query.rules`):

* **amount bounds** — 「超过200块」「100元以上」「不到10块」「低于5块钱」「不超过50」 → inclusive bounds in integer
  fen (超过 200 is ≥ ¥200.01: money is whole fen, so a strict bound is the next fen);
* **comparison of two periods** — 「这个月比上个月多花了多少」「和上个月比怎么样」「上周比这周多吗」: the question's
  second time phrase becomes :attr:`~lingxi.query.plan.Plan.versus`; the difference is computed by code;
* **breakdown** — 「各类花了多少」(category)「每家店」(merchant)「每天」(day)「X和Y各花了多少 / 分别」(one group
  per word named).

Each reader returns what it found and the words that said it, so the parser takes them out of the question
(they name nothing to match). Kept as tables of patterns, like :mod:`lingxi.query.cues`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from lingxi.context.timeparse import cn_number
from lingxi.query.plan import GroupBy

__all__ = ["COMPARE", "amount_bounds", "group_by"]

_NUM = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)"
_UNIT = r"\s*(?:块钱|块|元钱|元|rmb|RMB)?"
#: (pattern, which bound, strict): the number is group 1.
_BOUNDS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"(?:不少于|不低于|至少|起码)\s*" + _NUM + _UNIT), "min", False),
    (re.compile(r"(?:不超过|不高于|不多于|最多|至多)\s*" + _NUM + _UNIT), "max", False),
    (re.compile(r"(?:超过|大于|高于|多于|超出|过)\s*" + _NUM + _UNIT), "min", True),
    (re.compile(r"(?:不到|低于|少于|小于|不足|未满)\s*" + _NUM + _UNIT), "max", True),
    (re.compile(_NUM + _UNIT + r"\s*(?:及)?(?:以上|往上)"), "min", False),
    (re.compile(_NUM + _UNIT + r"\s*(?:及)?(?:以下|以内)"), "max", False),
)
#: A comparison between the question's two periods (the second period is what follows 比 / 和…比).
COMPARE = re.compile(r"比(?!较)|(?:和|跟|与|同)(?=\S{1,6}?(?:比|相比|比较|对比))")
#: Words that only say "compare" (taken out with the second period).
COMPARE_WORDS = re.compile(
    r"相比|比较|对比|比(?!萨)|多还是少|少还是多|怎么样|花得|花的|(?:多|少)花了?|(?:多|少)了|(?:多|少)(?:吗|么|不|没有)"
)
_GROUPS: tuple[tuple[re.Pattern[str], GroupBy], ...] = (
    (re.compile(r"各类|每类|每一类|每个类别|每个分类|各个类别|各项|按类别|按分类|分类|类别"), "category"),
    (re.compile(r"每家店?|各家店?|每个商家|各个商家|按商家|哪些店各"), "merchant"),
    (re.compile(r"每天|每一天|按天|逐日|每日"), "day"),
    (re.compile(r"各(?=花|付|用|消费|支出|是)|各自|分别"), "each"),
)


def _fen(said: str) -> int | None:
    if said[0].isdigit():
        try:
            return int(Decimal(said) * 100)
        except InvalidOperation:
            return None
    n = cn_number(said)
    return None if n is None else n * 100


def amount_bounds(q: str) -> tuple[int, int, list[str]]:
    """``(min_fen, max_fen, phrases)``: inclusive bounds (0: none) and the words that said them."""
    low = high = 0
    said: list[str] = []
    for pattern, bound, strict in _BOUNDS:
        for m in pattern.finditer(q):
            if any(m[0] in s or s in m[0] for s in said) or (fen := _fen(m[1])) is None or fen <= 0:
                continue
            said.append(m[0])
            if bound == "min":
                low = fen + 1 if strict else fen
            else:
                high = fen - 1 if strict else fen
    return low, high, said


def group_by(q: str) -> tuple[GroupBy, list[str]]:
    """How a money question groups its answer (the first kind found: 「每类…分别」 is by category), and every
    grouping word said (``""`` and none when it does not group)."""
    found = [(how, m[0]) for pattern, how in _GROUPS for m in pattern.finditer(q)]
    return (found[0][0], [w for _, w in found]) if found else ("", [])
