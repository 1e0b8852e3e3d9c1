"""Local days, windows and holidays in Asia/Shanghai, kept deliberately simple.

Holidays and make-up workdays come from ``chinese-calendar`` (a maintained table of the State Council's
announcements), not a hand list. A window is ``[start_ms, end_ms)``; windows that include today end at "now".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

TZ = ZoneInfo("Asia/Shanghai")
DAY_MS = 86_400_000
CN_DIGITS = "零一二三四五六七八九十"


def ms(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    """Epoch ms of a local wall-clock time on ``day``."""
    return int(datetime.combine(day, time(hour, minute, second), TZ).timestamp() * 1000)


def local_day(ts_ms: int) -> date:
    return datetime.fromtimestamp(ts_ms / 1000, TZ).date()


def local_dt(ts_ms: int) -> datetime:
    return datetime.fromtimestamp(ts_ms / 1000, TZ)


@dataclass(frozen=True)
class Window:
    """A half-open time window ``[start_ms, end_ms)`` and how a question may say it."""

    start_ms: int
    end_ms: int


def days(first: date, last: date, now_ms: int | None = None) -> Window:
    """Whole local days ``first``..``last`` inclusive, cut at ``now_ms`` when it falls inside."""
    end = ms(last + timedelta(days=1))
    if now_ms is not None:
        end = min(end, now_ms)
    return Window(ms(first), end)


def this_week(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def last_week(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def this_month(today: date) -> tuple[date, date]:
    return today.replace(day=1), today


def last_month(today: date) -> tuple[date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def holiday_days(year: int, name: str) -> list[date]:
    """The days off of a named holiday (``chinese_calendar.Holiday`` value, e.g. "National Day") in ``year``."""
    out = []
    d = date(year, 1, 1)
    while d.year == year:
        is_off, detail = chinese_calendar.get_holiday_detail(d)
        if is_off and detail == name:
            out.append(d)
        d += timedelta(days=1)
    return out


def makeup_workdays(year: int, name: str) -> list[date]:
    """Weekend days that are workdays because of the named holiday (调休上班)."""
    out = []
    d = date(year, 1, 1)
    while d.year == year:
        is_off, detail = chinese_calendar.get_holiday_detail(d)
        if not is_off and detail == name and d.weekday() >= 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def is_workday(d: date) -> bool:
    return bool(chinese_calendar.is_workday(d))


def cn_number(n: int) -> str:
    """0..99 in Chinese numerals (十一, 二十, 两 is not used here)."""
    if n <= 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return f"{head}十{CN_DIGITS[ones] if ones else ''}"


def md(d: date) -> str:
    return f"{d.month}月{d.day}日"


def hour_phrase(hour: int, minute: int = 0, colloquial: bool = True) -> str:
    """10 → 上午十点, 14:30 → 下午两点半 (colloquial) or 14:30 (digits)."""
    if not colloquial:
        return f"{hour}:{minute:02d}"
    part = "上午" if hour < 12 else ("中午" if hour == 12 else "下午" if hour < 18 else "晚上")
    h12 = hour if hour <= 12 else hour - 12
    word = "两" if h12 == 2 else cn_number(h12)
    tail = "半" if minute == 30 else (f"{cn_number(minute)}分" if minute else "")
    return f"{part}{word}点{tail}"
