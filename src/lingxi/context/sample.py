"""The bundled demo user: one fictional week of 林晓雨's phone, shipped as package data.

Features, the CLI demo and tests need realistic personal data without touching anyone's real data, so
the package carries ``lingxi/data/sample_user.jsonl``: about four hundred events written by the seeded
generator ``scripts/make_sample_user.py`` (regenerate with ``python scripts/make_sample_user.py``). Since
event model v2 the week ends with the updates apps send later: a meeting moved and one cancelled (calendar
entries carry ``entry_id``), the headphones in transit with an ETA day, cart and favourites, the contact list
with relations, a corrected and a recalled message, a reminder.
Everyone and everything in it is made up. The week runs from Monday 2026-11-16 07:00 to Sunday
2026-11-22 21:30 in Asia/Shanghai; demos pretend it is that Sunday evening (:data:`SAMPLE_NOW_MS`), so
"下周三下午有空吗？" has an answer in the calendar and the headphones ordered on Thursday are still on
their way.

A fixed week goes stale: asked on a real day, "这个月外卖花了多少钱？" found nothing. So the week can be
*moved* (:func:`week_shift_ms`): every timestamp, and every 「11月24日」 date in the texts, by a whole number of
weeks, so weekdays and times of day stay as written. The shift puts the week's end at or shortly before
the given time, inside one calendar month (questions about "this month" then see the whole week); the
CLI treats the moved Sunday evening as "now" for the sample user (:meth:`Lingxi.sample_now_ms`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib.resources import files
from zoneinfo import ZoneInfo

from lingxi.context.events import Event, parse_event

SAMPLE_USER_ID = "demo-user"
"""The ``user_id`` of every sample event."""

SAMPLE_TZ = "Asia/Shanghai"
"""The sample user's time zone; timestamps themselves are UTC epoch milliseconds."""


def _shanghai_ms(year: int, month: int, day: int, hour: int, minute: int) -> int:
    # Via zoneinfo rather than "minus eight hours" arithmetic, so the constants cannot drift from the zone.
    return int(datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(SAMPLE_TZ)).timestamp() * 1000)


SAMPLE_WEEK_START_MS = _shanghai_ms(2026, 11, 16, 7, 0)
"""Monday 2026-11-16 07:00 Asia/Shanghai: no sample event is earlier."""

SAMPLE_NOW_MS = _shanghai_ms(2026, 11, 22, 21, 30)
"""Sunday 2026-11-22 21:30 Asia/Shanghai: the "current time" of the demo; no sample event is later
(calendar entries may still *start* in the following week)."""


WEEK_MS = 7 * 24 * 3600 * 1000
#: The event whose stored timestamp tells how far a loaded sample was moved.
ANCHOR_EVENT_ID = "demo-000001"
_TEXT_DATE = re.compile(r"(\d{1,2})月(\d{1,2})日")
_SAMPLE_YEAR = 2026


def _month(ms: int) -> tuple[int, int]:
    moment = datetime.fromtimestamp(ms / 1000, ZoneInfo(SAMPLE_TZ))
    return moment.year, moment.month


def week_shift_ms(now_ms: int) -> int:
    """How far to move the sample so its week ends at or before ``now_ms``, within one month (whole weeks)."""
    weeks = (now_ms - SAMPLE_NOW_MS) // WEEK_MS
    while _month(SAMPLE_WEEK_START_MS + weeks * WEEK_MS) != _month(SAMPLE_NOW_MS + weeks * WEEK_MS):
        weeks -= 1  # a week across a month boundary would split "this month" answers
    return weeks * WEEK_MS


def _shift_text(text: str, days: int) -> str:
    def moved(m: re.Match[str]) -> str:
        d = date(_SAMPLE_YEAR, int(m[1]), int(m[2])) + timedelta(days=days)
        day = f"{d.day:02d}" if len(m[2]) == 2 else str(d.day)  # 「12月05日」 keeps its zero
        return f"{d.month}月{day}日"

    return _TEXT_DATE.sub(moved, text)


def _shift(event: Event, offset_ms: int) -> Event:
    days = offset_ms // (24 * 3600 * 1000)
    update: dict[str, object] = {}
    for name, value in event:
        if name == "ts" or (name.endswith("_ts") and isinstance(value, int)):
            update[name] = value + offset_ms
        elif name == "eta_day" and isinstance(value, str):  # a day, not an instant: moves by whole days
            update[name] = (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        elif name in ("body", "title", "text") and isinstance(value, str):
            update[name] = _shift_text(value, days)
    return event.model_copy(update=update)


@lru_cache(maxsize=1)
def _load() -> tuple[Event, ...]:
    text = files("lingxi.data").joinpath("sample_user.jsonl").read_text(encoding="utf-8")
    return tuple(parse_event(line) for line in text.splitlines() if line.strip())


def sample_events(offset_ms: int = 0) -> list[Event]:
    """All sample events, validated, in ``ts`` order; moved by ``offset_ms`` (see :func:`week_shift_ms`).

    Each line goes through :func:`parse_event`, the same gate as untrusted input, so a hand-edited data
    file fails loudly here instead of somewhere downstream. Parsed once per process (events are frozen);
    every call returns a fresh list the caller may reorder or filter.
    """
    return [_shift(e, offset_ms) for e in _load()] if offset_ms else list(_load())


def original_ts(event_id: str) -> int | None:
    """The unmoved timestamp of a sample event (None: not a sample event)."""
    return next((e.ts for e in _load() if e.event_id == event_id), None)
