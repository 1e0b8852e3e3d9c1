"""The scoring protocol, fixed before any result existed (README.md says the same in words).

:func:`exact` judges one answer text against a gold answer; citations are scored micro-averaged over all
questions (precision against the gold's ``acceptable`` ids, recall against its ``required`` ids).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from qa_eval.clock import cn_number, hour_phrase, local_day, local_dt

Gold = dict[str, Any]
_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(\d+(?:,\d{3})*(?:\.\d{1,2})?)"
_MONEY = (re.compile(r"[¥￥]\s*" + _NUM), re.compile(_NUM + r"\s*(?:元|块)"))
_COUNT = re.compile(r"([0-9]+|[零〇一二两三四五六七八九十百]+)\s*(?:次|条|个|笔|单|项|回|场|件|位|天)")
# a clause ends at punctuation; a colon or dot between digits (12:00, 3.50) does not end it
_CLAUSE = re.compile(r"[，。,！!；;\n？?]|[:：.](?!\d)")
_BUSY_COUNT = re.compile(r"有\s*([0-9]+|[一二两三四五六七八九十]+)\s*[个项场]\s*(?:日程|安排|会)")
STATUS_WORDS = {
    "placed": ("已下单", "待付款", "待支付"),
    "paid": ("已付款", "已支付", "待发货"),
    "shipped": ("已发货",),
    "in_transit": ("运输中", "在途", "运送中", "正在运输"),
    "out_for_delivery": ("派送中", "正在派送", "派件中", "配送中"),
    "delivered": ("已签收", "已送达", "签收", "已送到", "已妥投"),
    "cancelled": ("已取消", "取消"),
    "refunded": ("已退款", "退款"),
}
NOT_FOUND = (
    "没有找到",
    "没找到",
    "找不到",
    "未找到",
    "没有相关",
    "没有记录",
    "无法回答",
    "不知道",
    "没有查到",
    "查不到",
)
_BUSY_FIRST = ("没有空", "没空", "不空", "不是空")
_FREE = ("有空", "空闲", "没有安排", "没安排", "没有日程", "没日程", "空着", "不忙", "没有冲突")
_BUSY = ("有安排", "有日程", "忙", "冲突", "被占", "已有")
_NO = ("没有", "没", "未", "不")
_YES = ("有", "是", "过")


def cn_int(s: str) -> int | None:
    """Arabic or Chinese numerals up to 999 → int."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _CN:
            cur = _CN[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


def _norm(text: str) -> str:
    return re.sub(r"[\s，。,.！!？?；;：:、“”\"'（）()《》【】\[\]-]", "", text)


def first_clause(text: str) -> str:
    return _CLAUSE.split(text.strip(), maxsplit=1)[0]


def amounts_fen(text: str) -> set[int]:
    out = set()
    for pat in _MONEY:
        for m in pat.finditer(text):
            out.add(int(Decimal(m.group(1).replace(",", "")) * 100))
    return out


def date_forms(d: date) -> tuple[str, ...]:
    return (
        f"{d.month}月{d.day}日",
        f"{d.month}月{d.day}号",
        d.isoformat(),
        f"{d.month:02d}-{d.day:02d}",
        f"{d.month}/{d.day}",
        f"{cn_number(d.month)}月{cn_number(d.day)}日",
    )


def time_forms(h: int, m: int) -> tuple[str, ...]:
    half = "半" if m == 30 else (f"{m}分" if m else "")
    h12 = h - 12 if h > 12 else h
    return (
        f"{h}:{m:02d}",
        f"{h}：{m:02d}",
        f"{h}点{half}",
        f"{h12}点{half}" if h >= 12 else f"{h}点{half}",
        hour_phrase(h, m),
        hour_phrase(h, m)[2:],
    )


def is_free(text: str) -> bool | None:
    c = first_clause(text)
    if any(w in c for w in _BUSY_FIRST):
        return False
    if any(w in c for w in _FREE):
        return True
    counted = _BUSY_COUNT.search(c)
    if counted and cn_int(counted.group(1)) == 0:
        return True
    if any(w in c for w in _BUSY) or counted:
        return False
    return None


def is_yes(text: str) -> bool | None:
    c = first_clause(text)
    if any(w in c for w in _NO):
        return False
    if any(w in c for w in _YES):
        return True
    return None


def exact(answer: str, gold: Gold, op: str) -> bool:
    kind, value = gold["kind"], gold["value"]
    norm = _norm(answer)
    if kind == "money":
        return value in amounts_fen(answer)
    if kind == "count":
        counts = {cn_int(m.group(1)) for m in _COUNT.finditer(answer)}
        return value in counts or (value == 0 and any(w in first_clause(answer) for w in ("没有", "没", "0", "零")))
    if kind == "yesno":
        verdict = is_free(answer) if op == "free" else is_yes(answer)
        return verdict is value
    if kind == "status":
        return any(w in answer for w in STATUS_WORDS[value])
    if kind == "date":
        return any(f in answer for f in date_forms(date.fromisoformat(value)))
    if kind == "date_ms":
        return any(f in answer for f in date_forms(local_day(value)))
    if kind == "time":
        t = local_dt(value)
        return any(f in answer for f in time_forms(t.hour, t.minute))
    if kind in ("text", "list"):
        return all(_norm(v) in norm for v in value)
    if kind == "names":  # a one-character alias (妈) would match too much: names of two or more characters only
        return any(v in answer for v in value if len(v) >= 2)
    if kind == "none":
        found = any(w in answer for w in NOT_FOUND) or "没" in first_clause(answer)
        return found or (op == "sum_pay" and 0 in amounts_fen(answer))
    raise ValueError(f"unknown gold kind {kind}")


def citation_counts(cited: Iterable[str], gold: Gold) -> tuple[int, int, int, int]:
    """(cited, cited ∩ acceptable, required, required ∩ cited) for micro-averaged precision and recall."""
    c = set(cited)
    req = set(gold["required"])
    return len(c), len(c & set(gold["acceptable"])), len(req), len(req & c)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]
