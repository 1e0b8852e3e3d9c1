"""Time windows of a question: Chinese time words → ``[start_ms, end_ms)`` in the user's zone.

Builds on :func:`lingxi.context.timeparse.parse_time` (今天/昨天/前天/大前天, 这周/上周 Monday–Sunday, 这个月/
上个月/今年, 最近N天/过去N天, 10月12日, 周三/下周三, parts of day) and adds what a question over one's own data
also says:

* date ranges 「10月12日到15日」「10月12日至11月2日」 (both days included);
* named holidays 「国庆」「春节」「五一」「中秋」… and make-up workdays 「国庆调休」「补班」 from the
  ``chinese-calendar`` package (the State Council's yearly schedule, maintained upstream; no hand list here).
  It covers 2004 to its release's last year (2026 for 1.11); a holiday asked for outside that raises
  :class:`WindowError` (「没有 2027 年的节假日数据」) instead of guessing;
* clock times, exactly: 「上午十点到十一点」 is [10:00, 11:00), 「下午三点」 the hour [15:00, 16:00),
  「三点半」 the half hour, on the day the rest of the question names (today when none).

A holiday name alone means its most recent occurrence that has begun (「国庆花了多少」 in December: this
year's); 「去年国庆」 names the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from pydantic import BaseModel

from lingxi.context.timeparse import cn_number, parse_time

__all__ = ["HOLIDAYS", "Window", "WindowError", "parse_window"]


class Window(BaseModel):
    """A resolved window and the words that said it (for answers: 「上周」)."""

    start_ms: int
    end_ms: int
    phrase: str


class WindowError(ValueError):
    """A time the question names that cannot be resolved (message in Chinese, for the answer)."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


#: Everyday names → chinese-calendar's holiday names.
HOLIDAYS: dict[str, str] = {
    "元旦": "New Year's Day", "春节": "Spring Festival", "过年": "Spring Festival", "清明": "Tomb-sweeping Day",
    "五一": "Labour Day", "劳动节": "Labour Day", "端午": "Dragon Boat Festival", "中秋": "Mid-autumn Festival",
    "国庆": "National Day", "十一": "National Day",
}  # fmt: skip
_YEAR = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
_HOLIDAY_RE = re.compile(
    r"(?:(\d{4})年|(前年|去年|今年|明年))?(" + "|".join(sorted(HOLIDAYS, key=len, reverse=True)) + r")"
    r"(?<![提说讲问聊去来看用听见]过年)"  # 「提过年会」: 过 after a verb, then 年会 — no New Year
    r"节?(?:放假|假期|长假|小长假|黄金周|期间)?(调休上班|调休|补班)?(?:的?那个)?(?:周末)?(?:上班日?)?"
    r"(?:那天|那几天|那些天|的时候|期间)?"
)
_MAKEUP_RE = re.compile(r"(调休上班|补班)(?:那天|那几天|日)?")
_DAY = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_RANGE_RE = re.compile(_DAY + r"月" + _DAY + r"[日号]?\s*(?:到|至|-|~|—)\s*(?:" + _DAY + r"月)?" + _DAY + r"[日号]")
_PART = r"(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上)?"
_CLOCK = _PART + r"(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:点|:|：)(半|(\d{1,2})分?|[一二三四五]刻)?"
_CLOCK_RE = re.compile(_CLOCK + r"(?:\s*(?:到|至|-|~|—)\s*" + _CLOCK + r")?")
_PM = {"下午", "傍晚", "晚上"}
_ONE_IN_TOTAL = re.compile(r"(周|星期|礼拜)一共")


@dataclass(frozen=True)
class _Clock:
    minutes: int  # since midnight
    exact_hour: bool  # 「三点」 (an hour long), not 「三点半」


def _clock(part: str | None, hour_s: str, rest: str | None, minute_s: str | None, inherit: str | None) -> _Clock | None:
    hour = cn_number(hour_s)
    if hour is None or hour > 24:
        return None
    part = part or inherit
    if (part in _PM and hour < 12) or (part == "中午" and hour < 3):
        hour += 12
    if rest == "半":
        minute = 30
    elif rest and rest.endswith("刻"):
        minute = 15 * (cn_number(rest[0]) or 0)
    else:
        minute = int(minute_s) if minute_s else 0
    if minute >= 60:
        return None
    return _Clock(hour * 60 + minute, not rest)


def _ms(d: date, minutes: int, zone: ZoneInfo) -> int:
    return int((datetime(d.year, d.month, d.day, tzinfo=zone) + timedelta(minutes=minutes)).timestamp() * 1000)


def _covered(year: int) -> None:
    years = sorted({d.year for d in chinese_calendar.holidays})
    if not years[0] <= year <= years[-1]:
        raise WindowError(f"没有 {year} 年的节假日数据（节假日库覆盖 {years[0]}–{years[-1]} 年）")


def _holiday_days(name: str, year: int, makeup: bool) -> list[date]:
    _covered(year)
    table = chinese_calendar.workdays if makeup else chinese_calendar.holidays
    days = sorted(d for d, n in table.items() if d.year == year and n == name)
    if name == "New Year's Day" and not makeup:  # the New Year run may start in late December
        days = [d for d in days if d.month == 1] or days
    return days


def _holiday(m: re.Match[str], today: date) -> tuple[date, date, bool] | None:
    name = HOLIDAYS[m[3]]
    makeup = bool(m[4])
    if m[3] == "十一" and not (m[1] or m[2] or m[4]) and not re.search(r"假|节|黄金周", m[0]):
        return None  # 「十一月」「十一点」: a number, not National Day
    if m[1] or m[2]:
        year = int(m[1]) if m[1] else today.year + _YEAR[m[2]]
        days = _holiday_days(name, year, makeup)
    else:
        days = _holiday_days(name, today.year, makeup)
        if not days or days[0] > today:
            days = _holiday_days(name, today.year - 1, makeup)
    if not days:
        raise WindowError(f"节假日库里没有这一年的「{m[3]}{'调休上班日' if makeup else ''}」")
    return days[0], days[-1] + timedelta(days=1), makeup


def _range(m: re.Match[str], today: date) -> tuple[date, date] | None:
    m1, d1, m2, d2 = (cn_number(x) if x else None for x in m.groups())
    if m1 is None or d1 is None or d2 is None:
        return None
    try:
        first, last = date(today.year, m1, d1), date(today.year, m2 or m1, d2)
    except ValueError:
        return None
    return (first, last + timedelta(days=1)) if last >= first else None


def parse_window(question: str, now_ms: int, tz: str) -> Window | None:
    """The window ``question`` names, relative to ``now_ms``; None when it names no time.

    Raises :class:`WindowError` for a time it names but that cannot be resolved (a holiday outside the
    holiday library's years).
    """
    zone = ZoneInfo(tz)
    today = datetime.fromtimestamp(now_ms / 1000, zone).date()
    question = _ONE_IN_TOTAL.sub(r"\1 共", question)  # 「这周一共几个会」: 一共 (in all), not 周一 (Monday)
    days: tuple[date, date] | None = None
    phrase = ""
    rest = question
    if (h := _HOLIDAY_RE.search(question)) and (found := _holiday(h, today)):
        first, after, makeup = found
        days, phrase, rest = (first, after), h[0], question.replace(h[0], " ")
        if makeup:  # several make-up days are not one window: the latest one so far (else the first)
            dates = [d for d in _holiday_days(HOLIDAYS[h[3]], first.year, True) if d <= today] or [first]
            days = (dates[-1], dates[-1] + timedelta(days=1))
    elif mk := _MAKEUP_RE.search(question):  # 「上次补班」: the latest make-up workday so far
        _covered(today.year)
        past = sorted(d for d in chinese_calendar.workdays if d <= today and d.year >= today.year - 1)
        if not past:
            raise WindowError("没有找到最近的调休上班日")
        days, phrase, rest = (past[-1], past[-1] + timedelta(days=1)), mk[0], question.replace(mk[0], " ")
    elif (r := _RANGE_RE.search(question)) and (rng := _range(r, today)):
        days, phrase, rest = rng, r[0], question.replace(r[0], " ")
    clock = _CLOCK_RE.search(rest)
    window = None
    if days is None:
        tw = parse_time(rest if clock is None else rest.replace(clock[0], " "), now_ms, tz)
        if tw is not None:
            window = Window(start_ms=tw.start_ms, end_ms=tw.end_ms, phrase=tw.phrase)
    else:
        window = Window(start_ms=_ms(days[0], 0, zone), end_ms=_ms(days[1], 0, zone), phrase=phrase)
    if clock is None:
        return window
    if clock[1] is None and clock[2] == "一" and not clock[6]:
        return window  # 「多花一点」: a quantity, not one o'clock
    start = _clock(clock[1], clock[2], clock[3], clock[4], None)
    end = _clock(clock[5], clock[6], clock[7], clock[8], clock[1]) if clock[6] else None
    if start is None:
        return window
    day = datetime.fromtimestamp((window.start_ms if window else now_ms) / 1000, zone).date()
    if end is None:
        length = 60 if start.exact_hour else 30
        end = _Clock(start.minutes + length, False)
    if end.minutes <= start.minutes:
        return window
    said = (window.phrase if window else "") + clock[0]
    return Window(start_ms=_ms(day, start.minutes, zone), end_ms=_ms(day, end.minutes, zone), phrase=said)
