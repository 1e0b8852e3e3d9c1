"""The sample week lives in the present: moved by whole weeks when the demo loads it, the README's commands
give the same answers on any day as on the sample's own Sunday evening (here: a fake "today" in 2031)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lingxi import Lingxi
from lingxi.context.events import CalendarEvent, NotificationEvent, OrderEvent
from lingxi.context.sample import (
    SAMPLE_NOW_MS,
    SAMPLE_TZ,
    SAMPLE_USER_ID,
    SAMPLE_WEEK_START_MS,
    WEEK_MS,
    sample_events,
    week_shift_ms,
)
from test_cli import cli

TZ = ZoneInfo(SAMPLE_TZ)
TODAY = "2031-03-05T10:00:00+08:00"  # a Wednesday, far from November 2026 and just after a month boundary


def _local(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, TZ)


@pytest.mark.parametrize(
    "today", ["2031-03-05T10:00:00+08:00", "2026-12-06T19:00:00+08:00", "2025-01-01T00:00:00+08:00"]
)
def test_the_shift_is_whole_weeks_ending_before_today_inside_one_month(today: str) -> None:
    now = int(datetime.fromisoformat(today).timestamp() * 1000)
    shift = week_shift_ms(now)
    assert shift % WEEK_MS == 0
    end, start = _local(SAMPLE_NOW_MS + shift), _local(SAMPLE_WEEK_START_MS + shift)
    assert SAMPLE_NOW_MS + shift <= now < SAMPLE_NOW_MS + shift + 6 * WEEK_MS
    assert (start.year, start.month) == (end.year, end.month)
    assert end.weekday() == _local(SAMPLE_NOW_MS).weekday() and end.strftime("%H:%M") == "21:30"


def test_moved_events_keep_their_clock_and_their_texts_follow() -> None:
    shift = week_shift_ms(int(datetime.fromisoformat(TODAY).timestamp() * 1000))
    pairs = list(zip(sample_events(), sample_events(shift), strict=True))
    assert all(b.ts - a.ts == shift and a.event_id == b.event_id for a, b in pairs)
    meetings = [(a, b) for a, b in pairs if isinstance(a, CalendarEvent) and isinstance(b, CalendarEvent)]
    assert all(b.start_ts - a.start_ts == shift for a, b in meetings)
    parcel = next(
        b for a, b in pairs if isinstance(b, NotificationEvent) and "预计11月24日送达" in getattr(a, "body", "")
    )
    due = _local(SAMPLE_NOW_MS + shift + 2 * 24 * 3600 * 1000)  # the sample's 11月24日 is its Tuesday after
    assert f"预计{due.month}月{due.day}日送达" in parcel.body
    in_transit = [b for _, b in pairs if isinstance(b, OrderEvent) and b.eta_day]
    assert in_transit and all(b.eta_day == due.date().isoformat() for b in in_transit)  # the ETA day moves too


def _takeout_total(text: str) -> str:
    found = re.search(r"合计 (¥[\d,.]+)", text)
    assert found, text
    return found[1]


def test_readme_commands_on_a_fake_today(tmp_path: Path) -> None:
    reference = Lingxi(tmp_path / "ref")  # the sample on its own dates, asked on its own Sunday
    reference.load_sample()
    expected = reference.assistant.ask(SAMPLE_USER_ID, "这个月外卖花了多少钱？", now_ms=SAMPLE_NOW_MS).text
    assert _takeout_total(expected) != "¥0.00"

    home = tmp_path / "h"
    demo = cli("demo", "--today", TODAY, home=home)
    assert demo.returncode == 0, demo.stderr
    assert "2031-02-23 21:30" in demo.stdout  # the moved Sunday evening, in the same month as its Monday
    assert "None" not in demo.stdout
    digest = cli("features", "digest", SAMPLE_USER_ID, home=home)  # right after the demo: not empty
    assert digest.returncode == 0 and "紧急" in digest.stdout and "没有错过" not in digest.stdout
    ask = cli("features", "ask", SAMPLE_USER_ID, "这个月外卖花了多少钱？", home=home)
    assert _takeout_total(ask.stdout) == _takeout_total(expected)
    busy = cli("features", "ask", SAMPLE_USER_ID, "下周三下午有空吗？", home=home)
    assert "版本上线评审" in busy.stdout
    replies = cli("features", "replies", SAMPLE_USER_ID, "wx-zhangwei", home=home)
    first = next(line for line in replies.stdout.splitlines() if line.strip().startswith("1."))
    assert "有空" not in first and "评审" in replies.stdout  # the meeting that Wednesday afternoon
    shop = cli("features", "shop", SAMPLE_USER_ID, "-k", "3", home=home)
    assert "个性化" in shop.stdout and "¥" in shop.stdout
    empty = cli("features", "digest", SAMPLE_USER_ID, home=home)  # a second digest: nothing new since
    assert "没有错过" in empty.stdout and "None" not in empty.stdout

    held = sum(Lingxi(home).events.count(SAMPLE_USER_ID).values())  # the week plus the demo's live events
    again = cli("demo", "--today", TODAY, home=home)
    assert "新增 0 条" in again.stdout  # re-run: the same week, nothing doubled
    later = cli("demo", "--today", "2031-06-18T09:00:00+08:00", home=home)
    assert "新增 426 条" in later.stdout  # a later day: the sample user is reset to the newly moved week
    assert sum(Lingxi(home).events.count(SAMPLE_USER_ID).values()) == held  # one week, not two


def test_http_answers_the_moved_sample_at_its_evening(tmp_path: Path) -> None:
    import httpx

    from lingxi.server.app import create_app
    from live_server import serve

    reference = Lingxi(tmp_path / "ref")
    reference.load_sample()
    expected = reference.assistant.ask(SAMPLE_USER_ID, "这个月外卖花了多少钱？", now_ms=SAMPLE_NOW_MS).text
    lx = Lingxi(tmp_path / "h")
    lx.load_sample(now_ms=int(datetime.fromisoformat(TODAY).timestamp() * 1000))
    with serve(create_app(lx)) as (url, _):  # the console and apps ask without a "now": the sample's clock
        r = httpx.post(
            url + "/v1/features/assistant", json={"user_id": SAMPLE_USER_ID, "question": "这个月外卖花了多少钱？"}
        )
        assert r.status_code == 200, r.text
        assert _takeout_total(r.text) == _takeout_total(expected)
        shop = httpx.get(url + "/v1/features/shopping/recommendations", params={"user_id": SAMPLE_USER_ID, "k": 3})
        assert shop.status_code == 200 and shop.json()["mode"] == "personalized"
