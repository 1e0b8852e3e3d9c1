"""Chinese time expressions in a query → a ``[start_ms, end_ms)`` window in the user's zone.

"昨天妈妈说了什么", "下周三下午有会吗", "最近三天的外卖" name a time as well as a topic: retrieval filters by
the window and searches the rest. Written here rather than taken from dateparser or jionlp: dateparser's
Chinese support is thin and it pulls in regex/tzlocal/language data, jionlp is large and barely maintained,
and the phrases a personal assistant meets are a small, closed set that a table of patterns covers and a
table-driven test pins down.

Conventions (each documented where it is decided):

* Weeks start on Monday; "周三" alone is this week's Wednesday, "上周三"/"下周三" the previous/next week's.
* "最近N天" counts today: ``[today − (N−1) days 00:00, tomorrow 00:00)``; "最近N周" is 7·N days; "最近N个月"
  and "最近N年" start the day after the same date N months/years back.
* "N月N日"/"N号" without a year mean the current year/month.
* A part of day (上午, 下午, 晚上…) narrows a single-day window ("下周三下午", "昨天晚上"); alone, or after a
  multi-day window, it is not a time expression (one window cannot say "every evening last week").
* When several expressions appear, the earliest one wins (the longest at the same position).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["TimeWindow", "cn_number", "parse_time"]

DEFAULT_TZ = "Asia/Shanghai"

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(\d{1,3}|[零〇一二两三四五六七八九十百几]{1,4})"


def cn_number(text: str) -> int | None:
    """``"12"``, ``"十二"``, ``"二十一"``, ``"两"``, ``"几"`` (≈3) → int; None if it is not a number below 1000."""
    if text.isdigit():
        return int(text)
    if text == "几":
        return 3
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in "十百":
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
        else:
            return None
    return total + current


@dataclass(frozen=True)
class TimeWindow:
    """A time expression found in a query: the window it means, and where it was (to remove it)."""

    start_ms: int
    end_ms: int
    phrase: str
    span: tuple[int, int]

    def strip(self, query: str) -> str:
        """``query`` without the phrase (replaced by a space so neighbouring words do not fuse)."""
        return query[: self.span[0]] + " " + query[self.span[1] :]


_Days = tuple[date, date]  # [first day, day after the last)
_Resolver = Callable[[re.Match[str], date], _Days | None]

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_WEEKDAY.update({str(i + 1): i for i in range(7)})
_WEEK_SHIFT = {"上上": -2, "上": -1, "这": 0, "本": 0, "": 0, "下": 1, "下下": 2}
_DAY_WORDS = {
    "大前天": (-3, None), "前天": (-2, None), "昨天": (-1, None), "昨日": (-1, None), "昨晚": (-1, "晚上"),
    "今天": (0, None), "今日": (0, None), "今晚": (0, "晚上"), "明天": (1, None), "明日": (1, None),
    "明晚": (1, "晚上"), "后天": (2, None), "大后天": (3, None), "今早": (0, "早上"), "明早": (1, "早上"),
    "明儿": (1, None),
}  # fmt: skip
_YEAR_WORDS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2}
_PARTS = {
    "凌晨": (0, 6), "早上": (5, 10), "早晨": (5, 10), "清晨": (5, 9), "上午": (6, 12), "中午": (11, 14),
    "下午": (12, 18), "傍晚": (17, 20), "晚上": (18, 24), "夜里": (20, 24), "夜间": (20, 24),
}  # fmt: skip
_PART_RE = re.compile("的?(" + "|".join(sorted(_PARTS, key=len, reverse=True)) + ")")


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, the day clamped to the target month's length (3-31 − 1 month = 2-28)."""
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    m += 1
    last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)).day
    return date(y, m, min(d.day, last))


def _month(y: int, m: int) -> _Days | None:
    if not 1 <= m <= 12:
        return None
    first = date(y, m, 1)
    return first, _add_months(first, 1)


def _day(y: int, m: int, d: int) -> _Days | None:
    try:
        first = date(y, m, d)
    except ValueError:
        return None
    return first, first + timedelta(days=1)


def _year_of(word: str | None, digits: str | None, today: date) -> int:
    if digits:
        return int(digits)
    return today.year + _YEAR_WORDS.get(word or "今年", 0)


def _day_word(m: re.Match[str], today: date) -> _Days:
    d = today + timedelta(days=_DAY_WORDS[m[1]][0])
    return d, d + timedelta(days=1)


def _week(m: re.Match[str], today: date) -> _Days:
    monday = _monday(today) + timedelta(weeks=_WEEK_SHIFT[m[1]])
    if m[2]:  # a weekday of that week
        d = monday + timedelta(days=_WEEKDAY[m[2]])
        return d, d + timedelta(days=1)
    return monday, monday + timedelta(weeks=1)


def _weekend(m: re.Match[str], today: date) -> _Days:
    saturday = _monday(today) + timedelta(weeks=_WEEK_SHIFT[m[1] or ""], days=5)
    return saturday, saturday + timedelta(days=2)


def _weekday(m: re.Match[str], today: date) -> _Days:
    d = _monday(today) + timedelta(days=_WEEKDAY[m[1]])
    return d, d + timedelta(days=1)


def _month_rel(m: re.Match[str], today: date) -> _Days | None:
    first = _add_months(today.replace(day=1), _WEEK_SHIFT[m[1]])
    return _month(first.year, first.month)


def _recent(m: re.Match[str], today: date) -> _Days | None:
    n = cn_number(m[1])
    if n is None or not 1 <= n <= 3660:
        return None
    end = today + timedelta(days=1)
    unit = m[2]
    if unit in ("天", "日"):
        return today - timedelta(days=n - 1), end
    if unit in ("周", "星期", "个星期", "礼拜", "个礼拜"):
        return today - timedelta(days=7 * n - 1), end
    months = n * 12 if unit == "年" else n
    return _add_months(today, -months) + timedelta(days=1), end


def _year(m: re.Match[str], today: date) -> _Days:
    y = today.year + _YEAR_WORDS[m[1]]
    return date(y, 1, 1), date(y + 1, 1, 1)


def _month_day(m: re.Match[str], today: date) -> _Days | None:
    y = _year_of(m[2], m[1], today)
    month, day = cn_number(m[3]), cn_number(m[4]) if m[4] else None
    if month is None:
        return None
    if m[4] is None:
        return _month(y, month)
    return None if day is None else _day(y, month, day)


def _day_of_month(m: re.Match[str], today: date) -> _Days | None:
    day = cn_number(m[1])
    return None if day is None else _day(today.year, today.month, day)


# The table: pattern → resolver. Order does not matter (the earliest, then longest, match wins).
_RULES: tuple[tuple[re.Pattern[str], _Resolver], ...] = (
    (re.compile("(" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + ")"), _day_word),
    (re.compile(r"(上上|下下|上|这|本|下)个?(?:周|星期|礼拜)(?!末)([一二三四五六日天1-7])?"), _week),
    (re.compile(r"(上上|下下|上|这|本|下)?个?周末"), _weekend),
    (re.compile(r"(?:周|星期|礼拜)([一二三四五六日天1-7])"), _weekday),
    (re.compile(r"(上上|上|这|本|下)个?月"), _month_rel),
    (re.compile(r"(?:最近|近|过去|这)" + _NUM + r"(天|日|周|个星期|星期|个礼拜|礼拜|个月|月|年)"), _recent),
    (re.compile("(" + "|".join(_YEAR_WORDS) + ")(?![\\d一二三四五六七八九十]+月)"), _year),
    (
        re.compile(
            r"(?:(\d{4})年|(" + "|".join(_YEAR_WORDS) + r"))?(\d{1,2}|[一二三四五六七八九十]{1,3})月份?"
            r"(?:(\d{1,2}|[一二三四五六七八九十]{1,3})[日号])?"
        ),
        _month_day,
    ),
    (re.compile(r"(?<![\d月])(\d{1,2}|[一二三四五六七八九十]{1,3})[号日](?![线楼门院房床位桌机车店])"), _day_of_month),
)


def _to_ms(d: date, hour: int, zone: ZoneInfo) -> int:
    return int((datetime(d.year, d.month, d.day, tzinfo=zone) + timedelta(hours=hour)).timestamp() * 1000)


def parse_time(query: str, now_ms: int, tz: str = DEFAULT_TZ) -> TimeWindow | None:
    """The first time expression in ``query`` as a window relative to ``now_ms`` in ``tz``, or None."""
    zone = ZoneInfo(tz)
    today = datetime.fromtimestamp(now_ms / 1000, zone).date()
    best: tuple[int, int, _Days] | None = None
    for pattern, resolve in _RULES:
        for m in pattern.finditer(query):
            if best is not None and (m.start() > best[0] or (m.start() == best[0] and m.end() <= best[1])):
                continue
            days = resolve(m, today)
            if days is not None:
                best = (m.start(), m.end(), days)
    if best is None:
        return None
    start, end, (first, after) = best
    hours = (0, 24 * (after - first).days)
    implied = _DAY_WORDS.get(query[start:end], (0, None))[1]
    part = _PART_RE.match(query, end)
    if hours[1] == 24 and (part or implied):
        if part:
            end = part.end()
        hours = _PARTS[part[1] if part else implied or ""]
    return TimeWindow(_to_ms(first, hours[0], zone), _to_ms(first, hours[1], zone), query[start:end], (start, end))
