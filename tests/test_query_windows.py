"""Time windows of questions: relative days, Monday–Sunday weeks, month edges, ranges, holidays, clock ranges."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from lingxi.query.windows import WindowError, parse_window

TZ = "Asia/Shanghai"
Z = ZoneInfo(TZ)


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> int:
    return int(datetime(y, mo, d, h, mi, tzinfo=Z).timestamp() * 1000)


def span(q: str, now: int) -> tuple[datetime, datetime]:
    w = parse_window(q, now, TZ)
    assert w is not None, q
    return datetime.fromtimestamp(w.start_ms / 1000, Z), datetime.fromtimestamp(w.end_ms / 1000, Z)


def d(y: int, mo: int, day: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, day, h, mi, tzinfo=Z)


WED = at(2026, 10, 14, 20)  # a Wednesday


@pytest.mark.parametrize(
    ("q", "start", "end"),
    [
        ("今天花了多少", d(2026, 10, 14), d(2026, 10, 15)),
        ("昨天", d(2026, 10, 13), d(2026, 10, 14)),
        ("前天", d(2026, 10, 12), d(2026, 10, 13)),
        ("大前天", d(2026, 10, 11), d(2026, 10, 12)),
        ("这周", d(2026, 10, 12), d(2026, 10, 19)),
        ("本周", d(2026, 10, 12), d(2026, 10, 19)),
        ("上周", d(2026, 10, 5), d(2026, 10, 12)),
        ("周三", d(2026, 10, 14), d(2026, 10, 15)),
        ("下周三", d(2026, 10, 21), d(2026, 10, 22)),
        ("这个月", d(2026, 10, 1), d(2026, 11, 1)),
        ("上个月", d(2026, 9, 1), d(2026, 10, 1)),
        ("今年", d(2026, 1, 1), d(2027, 1, 1)),
        ("最近3天", d(2026, 10, 12), d(2026, 10, 15)),
        ("过去七天", d(2026, 10, 8), d(2026, 10, 15)),
        ("10月12日", d(2026, 10, 12), d(2026, 10, 13)),
        ("10月12日到15日", d(2026, 10, 12), d(2026, 10, 16)),
        ("9月28日至10月3日", d(2026, 9, 28), d(2026, 10, 4)),
        ("国庆花了多少", d(2026, 10, 1), d(2026, 10, 8)),
        ("国庆期间", d(2026, 10, 1), d(2026, 10, 8)),
        ("五一", d(2026, 5, 1), d(2026, 5, 6)),
        ("去年春节", d(2025, 1, 28), d(2025, 2, 5)),
        ("国庆调休上班那天", d(2026, 10, 10), d(2026, 10, 11)),  # the latest of 09-20 and 10-10 so far
        ("上午十点到十一点", d(2026, 10, 14, 10), d(2026, 10, 14, 11)),
        ("明天上午十点到十一点有空吗", d(2026, 10, 15, 10), d(2026, 10, 15, 11)),
        ("下周三下午三点", d(2026, 10, 21, 15), d(2026, 10, 21, 16)),
        ("明天下午两点半", d(2026, 10, 15, 14, 30), d(2026, 10, 15, 15)),
        ("下午三点到五点", d(2026, 10, 14, 15), d(2026, 10, 14, 17)),
        ("明天14:00到15:30", d(2026, 10, 15, 14), d(2026, 10, 15, 15, 30)),
        ("下周三下午", d(2026, 10, 21, 12), d(2026, 10, 21, 18)),
    ],
)
def test_windows(q: str, start: datetime, end: datetime) -> None:
    assert span(q, WED) == (start, end)


def test_holidays_come_from_the_library_not_a_hand_list() -> None:
    start, end = span("国庆", WED)
    days = [start.date().fromordinal(start.date().toordinal() + i) for i in range((end - start).days)]
    assert all(chinese_calendar.is_holiday(x) for x in days)
    makeup = span("国庆调休上班那天", WED)[0].date()
    assert makeup.weekday() == 5 and chinese_calendar.is_workday(makeup)  # a Saturday that is a workday


def test_a_holiday_not_yet_begun_this_year_means_last_years() -> None:
    assert span("国庆", at(2026, 3, 1, 12)) == (d(2025, 10, 1), d(2025, 10, 9))


@pytest.mark.parametrize(
    ("q", "now", "start", "end"),
    [
        ("这周", at(2026, 10, 18, 23, 59), d(2026, 10, 12), d(2026, 10, 19)),  # Sunday night: still this week
        ("上周", at(2026, 10, 19, 0, 1), d(2026, 10, 12), d(2026, 10, 19)),  # Monday just after midnight
        ("上周", at(2026, 1, 2, 12), d(2025, 12, 22), d(2025, 12, 29)),  # across a year
        ("上个月", at(2026, 3, 31, 12), d(2026, 2, 1), d(2026, 3, 1)),
        ("这个月", at(2026, 12, 31, 23), d(2026, 12, 1), d(2027, 1, 1)),
        ("上个月", at(2026, 1, 1, 0, 30), d(2025, 12, 1), d(2026, 1, 1)),
    ],
)
def test_week_and_month_boundaries(q: str, now: int, start: datetime, end: datetime) -> None:
    assert span(q, now) == (start, end)


def test_a_holiday_outside_the_librarys_years_is_an_error_not_a_guess() -> None:
    last = max(x.year for x in chinese_calendar.holidays)
    with pytest.raises(WindowError, match=f"没有 {last + 1} 年的节假日数据"):
        parse_window(f"{last + 1}年国庆花了多少", WED, TZ)


@pytest.mark.parametrize("q", ["十一月花了多少", "十一点有空吗", "多花一点", "外卖花了多少"])
def test_numbers_that_are_not_holidays_or_clock_times(q: str) -> None:
    w = parse_window(q, WED, TZ)
    assert w is None or "国庆" not in w.phrase
    if q.startswith("十一月"):
        assert span(q, WED) == (d(2026, 11, 1), d(2026, 12, 1))
    if q == "十一点有空吗":
        assert span(q, WED) == (d(2026, 10, 14, 11), d(2026, 10, 14, 12))
    if q in ("多花一点", "外卖花了多少"):
        assert w is None
