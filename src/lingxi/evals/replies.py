"""Quality checks for smart replies: three distinct replies, calendar awareness, the user's own style, and no
promise to pay what was already paid."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.context.events import CalendarEvent, Event, MessageEvent, PaymentEvent
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.evals.checks import CheckResult, QualityCheck
from lingxi.privacy.consent import Scope

if TYPE_CHECKING:
    from lingxi.facade import Lingxi

NOW = SAMPLE_NOW_MS  # Sunday 2026-11-22 21:30 Asia/Shanghai
_MIN = 60_000
_TOMORROW_15H = NOW + (17 * 60 + 30) * _MIN  # Monday 15:00


def _msg(user: str, n: int, age_min: int, text: str, out: bool = False, conv: str = "wx-friend") -> MessageEvent:
    return MessageEvent(
        event_id=f"{user}-m{n}", user_id=user, ts=NOW - age_min * _MIN, source_app="微信", conversation_id=conv,
        conversation_name="小周", sender="我" if out else "小周", direction="out" if out else "in", text=text,
    )  # fmt: skip


def _setup(lx: Lingxi, user: str, events: list[Event], *more: Scope) -> None:
    lx.ingest(events)
    lx.consents.grant(user, Scope.MESSAGES, Scope.CALENDAR, Scope.CLOUD_PROCESSING, *more, source="eval")


async def _three_distinct(lx: Lingxi, model: str | None) -> CheckResult:
    r = await lx.replies.asuggest(SAMPLE_USER_ID, "wx-mom", model=model, now_ms=NOW)
    texts = [c.text.strip() for c in r.candidates]
    ok = len(texts) == 3 and all(texts) and len(set(texts)) == 3
    return CheckResult(ok, f"candidates={texts}")


async def _calendar_conflict(lx: Lingxi, model: str | None) -> CheckResult:
    user = "eval-replies-busy"
    meeting = CalendarEvent(
        event_id=f"{user}-c1", user_id=user, ts=NOW - 3000 * _MIN, source_app="日历", title="季度复盘会",
        start_ts=_TOMORROW_15H, end_ts=_TOMORROW_15H + 90 * _MIN,
    )  # fmt: skip
    _setup(lx, user, [meeting, _msg(user, 1, 5, "明天下午三点有空吗？")])
    r = await lx.replies.asuggest(user, "wx-friend", model=model, now_ms=NOW)
    texts = [c.text for c in r.candidates]
    ok = any("季度复盘会" in t or "有安排" in t or "有会" in t or "没空" in t for t in texts)
    return CheckResult(ok and meeting.event_id in r.context_ids, f"candidates={texts}")


async def _style_particle(lx: Lingxi, model: str | None) -> CheckResult:
    user = "eval-replies-style"
    said = ["好呀", "可以呀", "我到啦", "收到呀", "没问题呀", "明天见呀", "谢谢呀"]
    events: list[Event] = [_msg(user, i, 900 - 10 * i, t, out=True, conv="wx-other") for i, t in enumerate(said)]
    _setup(lx, user, [*events, _msg(user, 99, 5, "周末一起去吃火锅吗")])
    r = await lx.replies.asuggest(user, "wx-friend", model=model, now_ms=NOW)
    texts = [c.text for c in r.candidates]
    ok = r.style is not None and r.style.particle == "呀" and any("呀" in t for t in texts)
    return CheckResult(ok, f"particle={r.style.particle if r.style else None} candidates={texts}")


async def _paid_not_promised(lx: Lingxi, model: str | None) -> CheckResult:
    user = "eval-replies-paid"
    rent = PaymentEvent(
        event_id=f"{user}-p1", user_id=user, ts=NOW - 2 * 1440 * _MIN, source_app="微信", amount_fen=320_000,
        merchant="小周", channel="微信转账", category="房租",
    )  # fmt: skip
    _setup(lx, user, [rent, _msg(user, 1, 5, "这个月房租3200记得转我哈")], Scope.PAYMENTS)
    r = await lx.replies.asuggest(user, "wx-friend", model=model, now_ms=NOW)
    texts = [c.text for c in r.candidates]
    promised = [t for t in texts if re.search(r"(这两天|马上|这就|晚点|稍后|回头|等下)\s*(转|付)|还没(转|付)", t)]
    said = any(re.search(r"已经?(转|付)|(转|付)过", t) for t in texts)
    return CheckResult(not promised and said and rent.event_id in r.context_ids, f"candidates={texts}")


CHECKS: list[QualityCheck] = [
    QualityCheck("replies.three_distinct", "replies.suggest", _three_distinct),
    QualityCheck("replies.calendar_conflict", "replies.suggest", _calendar_conflict),
    QualityCheck("replies.style_particle", "replies.suggest", _style_particle),
    QualityCheck("replies.paid_not_promised", "replies.suggest", _paid_not_promised),
]
