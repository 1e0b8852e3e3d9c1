"""The bundled demo user: one fictional week of 林晓雨's phone, shipped as package data.

Features, the CLI demo and tests need realistic personal data without touching anyone's real data, so
the package carries ``lingxi/data/sample_user.jsonl``: about four hundred events written by the seeded
generator ``scripts/make_sample_user.py`` (regenerate with ``python scripts/make_sample_user.py``).
Everyone and everything in it is made up. The week runs from Monday 2026-11-16 07:00 to Sunday
2026-11-22 21:30 in Asia/Shanghai; demos pretend it is that Sunday evening (:data:`SAMPLE_NOW_MS`), so
"下周三下午有空吗？" has an answer in the calendar and the headphones ordered on Thursday are still on
their way.
"""

from __future__ import annotations

from datetime import datetime
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


@lru_cache(maxsize=1)
def _load() -> tuple[Event, ...]:
    text = files("lingxi.data").joinpath("sample_user.jsonl").read_text(encoding="utf-8")
    return tuple(parse_event(line) for line in text.splitlines() if line.strip())


def sample_events() -> list[Event]:
    """All sample events, validated, in ``ts`` order.

    Each line goes through :func:`parse_event`, the same gate as untrusted input, so a hand-edited data
    file fails loudly here instead of somewhere downstream. Parsed once per process (events are frozen);
    every call returns a fresh list the caller may reorder or filter.
    """
    return list(_load())
