"""Quality checks for the notification digest and per-conversation ranking (any tier, including lite).

Each check ingests its own small week under its own user id, so the sample user stays untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lingxi.context.events import Event, MessageEvent, NotificationEvent
from lingxi.context.sample import SAMPLE_NOW_MS
from lingxi.evals.checks import CheckResult, QualityCheck
from lingxi.privacy.consent import Scope

if TYPE_CHECKING:
    from lingxi.facade import Lingxi

NOW = SAMPLE_NOW_MS
_MIN = 60_000


def _note(user: str, n: int, age_min: int, app: str, body: str, category: str, title: str = "") -> NotificationEvent:
    return NotificationEvent(
        event_id=f"{user}-n{n}", user_id=user, ts=NOW - age_min * _MIN, source_app=app, body=body,
        category=category, title=title,
    )  # fmt: skip


def _msg(user: str, n: int, age_min: int, conv: str, sender: str, text: str, out: bool = False) -> MessageEvent:
    return MessageEvent(
        event_id=f"{user}-m{n}", user_id=user, ts=NOW - age_min * _MIN, source_app="微信", conversation_id=conv,
        conversation_name=conv, sender="我" if out else sender, direction="out" if out else "in", text=text,
    )  # fmt: skip


def _setup(lx: Lingxi, user: str, events: list[Event]) -> None:
    lx.ingest(events)
    lx.consents.grant(user, Scope.NOTIFICATIONS, Scope.MESSAGES, Scope.CLOUD_PROCESSING, source="eval")


async def _digest_mentions_urgent(lx: Lingxi, model: str | None) -> CheckResult:
    user = "eval-notify-urgent"
    events: list[Event] = [
        _note(user, 1, 2, "招商银行", "【招商银行】验证码 482913，5分钟内有效，请勿泄露", "verification"),
        _note(user, 2, 50, "招商银行", "您尾号8842的储蓄卡支出人民币2,680.00元，商户：盒马鲜生", "bank", "动账通知"),
        _note(user, 3, 30, "拼多多", "验证码专享：限时领券满300减50", "promo"),
        _note(user, 4, 90, "天气", "明天有小雨，出门记得带伞", "weather"),
        _msg(user, 5, 20, "产品组", "张伟", "周报记得交"),
    ]
    _setup(lx, user, events)
    d = await lx.notifications.adigest(user, NOW - 24 * 60 * _MIN, NOW, model=model)
    ids = {i.event_id for i in d.urgent}
    want = {f"{user}-n1", f"{user}-n2"}
    ok = ids == want and d.headline.startswith("你错过了 2 条紧急通知") and "1 条消息" in d.headline
    return CheckResult(ok, f"urgent={sorted(ids)} headline={d.headline}")


async def _frequent_contact_above_group(lx: Lingxi, model: str | None) -> CheckResult:
    user = "eval-notify-rank"
    history: list[Event] = []
    for i in range(8):  # a week of chatting with 陈昊: a frequent contact
        history.append(_msg(user, 100 + 2 * i, 3000 + 300 * i, "陈昊", "陈昊", f"今天第{i}件事办好了"))
        history.append(_msg(user, 101 + 2 * i, 2990 + 300 * i, "陈昊", "", "好的", out=True))
    window: list[Event] = [
        _msg(user, 1, 100, "羽毛球群", "老李", "周六场地订好了"),
        _msg(user, 2, 90, "羽毛球群", "小周", "我带球"),
        _msg(user, 3, 80, "羽毛球群", "老李", "记得带水"),
        _msg(user, 4, 120, "陈昊", "陈昊", "晚上回来吃饭"),
    ]
    _setup(lx, user, history + window)
    d = await lx.notifications.aconversations(user, model=model, now_ms=NOW)
    order = [g.name for g in d.conversations]
    ok = order[:2] == ["陈昊", "羽毛球群"] and any("常联系" in r for r in d.conversations[0].reasons)
    return CheckResult(ok, f"order={order} reasons={d.conversations[0].reasons if d.conversations else []}")


async def _question_and_mention_rank_high(lx: Lingxi, model: str | None) -> CheckResult:
    user = "eval-notify-ask"
    events: list[Event] = [
        _msg(user, 1, 400, "闲聊群", "小王", "今天天气不错"),
        _msg(user, 2, 300, "项目群", "主管", "@我 方案今天能发出来吗？"),
        _msg(user, 3, 200, "快递群", "驿站", "今日到件较多"),
    ]
    _setup(lx, user, events)
    d = await lx.notifications.aconversations(user, model=model, now_ms=NOW)
    top = d.conversations[0] if d.conversations else None
    ok = top is not None and top.name == "项目群" and "有人@了你" in top.reasons and "有问题在等你回复" in top.reasons
    return CheckResult(ok, f"top={top.name if top else None} reasons={top.reasons if top else []}")


async def _every_conversation_summarized(lx: Lingxi, model: str | None) -> CheckResult:
    d = await lx.notifications.aconversations("demo-user", model=model, now_ms=NOW)
    empty = [g.name for g in d.conversations if not g.summary.strip()]
    return CheckResult(bool(d.conversations) and not empty, f"{len(d.conversations)} conversations, empty={empty}")


CHECKS: list[QualityCheck] = [
    QualityCheck("notifications.digest.urgent_items", "notifications.digest", _digest_mentions_urgent),
    QualityCheck(
        "notifications.rank.frequent_over_group", "notifications.conversations", _frequent_contact_above_group
    ),
    QualityCheck("notifications.rank.mention_question", "notifications.conversations", _question_and_mention_rank_high),
    QualityCheck(
        "notifications.conversations.summarized", "notifications.conversations", _every_conversation_summarized
    ),
]
