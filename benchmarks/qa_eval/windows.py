"""How questions name time windows, with the window each phrase means (fixed here, documented in README)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from qa_eval.clock import Window, days, holiday_days, last_month, last_week, makeup_workdays, md, this_month, this_week


def phrases(today: date, now: int, rng: random.Random) -> list[tuple[str, Window]]:
    """Window phrases for a user whose "now" is ``now`` on ``today``; ranges end at now when they include today."""
    y = today.year
    out: list[tuple[str, Window]] = [
        (rng.choice(("今天", "今儿")), days(today, today, now)),
        ("昨天", days(today - timedelta(1), today - timedelta(1))),
        ("前天", days(today - timedelta(2), today - timedelta(2))),
        (rng.choice(("这周", "本周", "这个星期")), days(*this_week(today), now_ms=now)),
        (rng.choice(("上周", "上个星期", "上礼拜")), days(*last_week(today))),
        (rng.choice(("这个月", "本月")), days(*this_month(today), now_ms=now)),
        (rng.choice(("上个月", "上月")), days(*last_month(today))),
    ]
    for n in rng.sample((3, 7, 10, 14), 2):
        out.append((f"{rng.choice(('最近', '近', '过去'))}{n}天", days(today - timedelta(n - 1), today, now)))
    d = today - timedelta(rng.randint(3, 20))
    out.append((md(d), days(d, d)))
    a = today - timedelta(rng.randint(12, 25))
    b = a + timedelta(rng.randint(3, 8))
    tail = f"{b.day}日" if a.month == b.month and rng.random() < 0.5 else md(b)
    out.append((f"{md(a)}到{tail}", days(a, b, now)))
    natl = holiday_days(y, "National Day")
    out.append((rng.choice(("国庆期间", "国庆假期", "十一长假", "国庆节放假那几天")), days(natl[0], natl[-1])))
    mid = holiday_days(y, "Mid-autumn Festival")
    out.append((rng.choice(("中秋假期", "中秋节放假那几天")), days(mid[0], mid[-1])))
    return out


def makeup_day(today: date) -> date:
    """The make-up workday (调休上班) of 国庆 that lies in the user's window."""
    cands = [d for d in makeup_workdays(today.year, "National Day") if today - timedelta(29) <= d <= today]
    return cands[-1]
