from __future__ import annotations

import pytest

from lingxi.context.events import NotificationEvent
from lingxi.features.notifications import parse_summaries, urgency_reasons

NOW = 1_763_820_000_000
MIN = 60_000


def n(body: str, age_min: float, category: str = "", app: str = "x") -> NotificationEvent:
    return NotificationEvent(
        event_id="e", user_id="u", ts=int(NOW - age_min * MIN), source_app=app, body=body, category=category
    )


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (n("【招商银行】验证码 482913，5分钟内有效", 3, "verification"), "验证码（仍在有效期内）"),
        (n("您尾号8842的储蓄卡支出人民币68.00元", 60, "bank"), "银行账户资金变动"),
        (n("您的包裹已到菜鸟驿站，取件码 3-2-1108", 120, "delivery"), "快递派送中或待取件"),
        (n("骑手已取餐，预计12:35送达", 10, "food"), "外卖即将送达"),
        (n("快递员正在派送，预计30分钟内送达", 5, "delivery"), "快递派送中或待取件"),  # not also "外卖"
        (n("15:00 需求评审会 将在15分钟后开始", 5, "calendar"), "日程即将开始"),
    ],
)
def test_urgent_rules_fire_with_their_reason(event: NotificationEvent, reason: str) -> None:
    assert urgency_reasons(event, NOW) == [reason]


@pytest.mark.parametrize(
    "event",
    [
        n("【招商银行】验证码 482913，5分钟内有效", 30, "verification"),  # expired code
        n("骑手已取餐，预计12:35送达", 120, "food"),  # long delivered
        n("双十二预热：领券满300减50，快递包邮", 5, "promo"),  # marketing, even with delivery words
        n("本月收入账单已出", 5, "social"),  # bank words outside a bank notification
        n("验证码 123456", -5, "verification"),  # from the future (clock skew): not counted
    ],
)
def test_rules_do_not_fire(event: NotificationEvent) -> None:
    assert urgency_reasons(event, NOW) == []


def test_parse_summaries_reads_app_lines_and_ignores_the_rest() -> None:
    text = "以下是摘要：\n【微信】陈昊问晚上吃什么。\n  【招商银行】 两笔支出。 \n【微信】重复的一行\n无关内容"
    assert parse_summaries(text) == {"微信": "陈昊问晚上吃什么。", "招商银行": "两笔支出。"}
