"""Requests to *do* something, by rules: 「提醒我…」「把X加入购物车」「建日程…」「给张伟发消息说…」 → a tool call.

Questions about the user's data are planned by :mod:`lingxi.query` (rules or a language model); requests to
act become the same tool call a tool-calling model would make (tool name and validated arguments), so both go
through the same confirmation. Classical: regular expressions and
:func:`lingxi.context.timeparse.parse_time` for the day.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from lingxi.context.timeparse import TimeWindow, cn_number, parse_time

PLATFORMS = ("京东", "淘宝", "天猫", "拼多多", "美团", "饿了么", "抖音", "唯品会")
_CLOCK = re.compile(
    r"(早上|上午|中午|下午|晚上|傍晚)?(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:点|:|：)(半|(\d{1,2})分?)?"
)
_REMIND = re.compile(r"提醒我(.+)")
_CART = re.compile(r"把(.+?)(?:加入|加到|放进|放到)购物车")
_CALENDAR = re.compile(r"(?:创建|新建|添加|加|建)(?:一个)?日程[:：，,]?(.*)")
_DRAFT = re.compile(r"(?:给|跟)(\S{1,8}?)(?:发|回)(?:个|一条)?(?:消息|微信|短信)[，,:：]?(?:说)?(.+)")


def _clock_ms(text: str, window: TimeWindow | None, now_ms: int, tz: str) -> int | None:
    """「明天早上8点」→ that instant; the day from the time window (today when none), the hour from the text."""
    m = _CLOCK.search(text)
    if m is None:
        return None
    hour = cn_number(m[2])
    if hour is None or hour > 24:
        return None
    if m[1] in ("下午", "晚上", "傍晚") and hour < 12:
        hour += 12
    minute = 30 if m[3] == "半" else int(m[4]) if m[4] else 0
    zone = ZoneInfo(tz)
    day = datetime.fromtimestamp((window.start_ms if window else now_ms) / 1000, zone).date()
    at = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(hours=hour, minutes=minute)
    return int(at.timestamp() * 1000)


def _strip_time(text: str, window: TimeWindow | None) -> str:
    if window:
        text = text.replace(window.phrase, "")
    return _CLOCK.sub("", text).strip(" ，,。？?")


def _draftable(to: str, text: str, question: str) -> bool:
    """「给张伟发消息说…」 asks for a draft; 「昨天谁给我发消息了」 asks about messages, and must not become one."""
    return to not in ("我", "我们") and "谁" not in question and len(text.strip(" 了吗呢吧？?。")) >= 2


class Action(BaseModel):
    """A request to do something: the tool it maps to and its (not yet validated) arguments."""

    tool: str
    args: dict[str, object] = Field(default_factory=dict)


def action(question: str, now_ms: int, tz: str) -> Action | None:
    """A request to do something, as the tool call it maps to (None: not an action, e.g. a question)."""
    window = parse_time(question, now_ms, tz)
    if m := _REMIND.search(question):
        at = _clock_ms(question, window, now_ms, tz)
        if at is None and window is not None:
            at = window.start_ms + 9 * 3_600_000 if window.end_ms - window.start_ms >= 86_400_000 else window.start_ms
        text = _strip_time(m[1], window) or "待办"
        return Action(tool="set_reminder", args={"text": text, "at_ms": at or now_ms + 3_600_000})
    if m := _CART.search(question):
        item = m[1].strip()
        platform = next((p for p in PLATFORMS if p in question), "淘宝")
        item = re.sub(r"^(?:帮我|请)?(?:在)?(?:" + "|".join(PLATFORMS) + ")?(?:上|里)?(?:的)?", "", item) or m[1]
        return Action(tool="add_to_cart", args={"item": item, "platform": platform})
    if m := _CALENDAR.search(question):
        start = _clock_ms(question, window, now_ms, tz) or (window.start_ms if window else None)
        if start is None:
            return None
        title = _strip_time(m[1], window) or "日程"
        return Action(
            tool="create_calendar_event",
            args={"title": title, "start_ms": start, "end_ms": start + 3_600_000},
        )
    if (m := _DRAFT.search(question)) and _draftable(m[1], m[2], question):
        return Action(tool="draft_message", args={"to": m[1], "text": m[2].strip()})
    return None
