from __future__ import annotations

from dataclasses import replace

import pytest

from lingxi.context.events import NotificationEvent
from lingxi.features.notifications import parse_summaries, urgency_reasons
from lingxi.features.urgency import (
    DEFAULT_THRESHOLD,
    MAX_THRESHOLD,
    THRESHOLD_STEP,
    Meeting,
    UrgencyContext,
    decide,
    tuned_threshold,
)

NOW = 1_763_820_000_000
MIN = 60_000


def n(body: str, age_min: float, app: str = "x", title: str = "", relation: str = "") -> NotificationEvent:
    return NotificationEvent(
        event_id="e", user_id="u", ts=int(NOW - age_min * MIN), source_app=app, title=title, body=body,
        relation=relation,
    )  # fmt: skip


# the user's own data the rules may read: a meeting in 12 minutes, a contact's relation, a frequent contact, a mark
CTX = UrgencyContext(
    meetings=[Meeting("季度预算评审", NOW + 12 * MIN), Meeting("团建", NOW + 5 * 60 * MIN)],
    relations={"周玉兰": "妈妈"},
    frequent={"孙浩": 28},
    marked=frozenset({"周总", "交管12123"}),
)


@pytest.mark.parametrize(
    ("event", "code", "phrase"),
    [
        (n("【招商银行】验证码 482913，5分钟内有效", 3), "verification_code", "验证码"),
        (n("账号于 09:12 在新设备 Mi 14 上登录，非本人操作请改密", 20), "account_security", "新设备 Mi 14 上登录"),
        (n("您的支付密码已修改成功", 5), "account_security", "密码已修改"),
        (n("【反诈提醒】对方可能冒充客服，请勿转账", 2), "account_security", "反诈"),
        (n("您尾号8842的储蓄卡转出人民币8,600.00元，余额12.00元", 30), "money_large", "转出 8,600.00 元"),
        (n("您的信用卡在境外商户消费 USD 35.00", 30), "money_unusual", "境外"),
        (n("包裹已放入3号楼智能柜，取件码 22018", 120), "delivery", "已放入3号楼智能柜"),
        (n("您的快件今日送达，快递员 13812345678", 60), "delivery", "今日送达"),
        (n("骑手距你 200 米，请准备取餐", 3), "delivery_food", "请准备取餐"),
        (n("季度预算评审 · 会议室 B", 2, "日历"), "meeting_soon", "季度预算评审"),
        (n("[语音]", 4, "微信", "周玉兰"), "family", "周玉兰"),
        (n("今晚回不回来", 4, "微信", "二姨", relation="小姨"), "family", "二姨"),  # relation sent with the event
        (n("在吗，急事", 4, "微信", "孙浩"), "frequent_contact", "孙浩"),
        (n("合同改好了吗", 30, "钉钉", "周总"), "user_marked", "周总"),
        (n("您的机动车有一条新的违法记录", 300, "交管12123", "交管12123"), "user_marked", "交管12123"),
    ],
)  # fmt: skip
def test_urgent_classes_with_code_and_phrase(event: NotificationEvent, code: str, phrase: str) -> None:
    d = decide(event, NOW, CTX)
    assert d.urgent and d.reasons, d
    assert (code, phrase) in {(s.code, s.phrase) for s in d.signals}
    assert urgency_reasons(event, NOW, CTX) == d.reasons


@pytest.mark.parametrize(
    ("event", "code"),
    [
        (n("⏰最后3小时！年货节爆款直降，错过等一年", 5, "淘宝"), "promotion"),
        (n("紧急提醒：你的 20 元红包今晚 24 点过期", 5, "支付宝"), "promotion"),  # coupon from a payment app
        (n("直播马上开始！主播带你抢 1 元秒杀", 1, "抖音"), "promotion"),  # imitates "starting soon"
        (n("您的包裹已到驿站？不，是您的专属优惠券已到账", 5, "菜鸟"), "promotion"),  # imitates a pickup
        (n("【某银行】尊敬的客户，您的信用卡额度可提升，回复1办理，退订回T", 5), "promotion"),
        (n("您尾号8842的储蓄卡支出人民币68.00元，余额10,400.00元", 30), "routine"),  # small debit, big balance
        (n("腾讯视频 VIP 自动续费成功，扣款 ¥30.00", 30), "routine"),
        (n("您的快递已签收，签收人：本人", 30), "routine"),
        (n("【招商银行】验证码 482913，5分钟内有效", 30), "stale"),  # expired code
        (n("季度预算评审 · 会议室 B", 2 * 60, "日历"), ""),  # that reminder is long past
        (n("团建 · 17:00 集合", 2, "日历"), ""),  # on the calendar, but five hours away
        (n("验证码 123456", -5), "future"),  # clock skew: not counted
    ],
)  # fmt: skip
def test_not_urgent_and_why(event: NotificationEvent, code: str) -> None:
    d = decide(event, NOW, CTX)
    assert not d.urgent and urgency_reasons(event, NOW, CTX) == []
    assert code in {s.code for s in d.signals} or (not code and not any(s.points > 0 for s in d.signals)), d


def test_promotion_words_do_not_demote_a_known_person() -> None:
    d = decide(n("超市鸡蛋限时特价，下班帮我带两盒", 5, "微信", "周玉兰"), NOW, CTX)
    assert d.urgent and [s.code for s in d.signals] == ["family"]


def test_reactions_tune_the_threshold() -> None:
    assert tuned_threshold([]) == DEFAULT_THRESHOLD
    frequent = decide(n("在吗", 1, "微信", "孙浩"), NOW, CTX).score
    assert tuned_threshold([(frequent, False)]) == DEFAULT_THRESHOLD + THRESHOLD_STEP  # one step at a time
    up = tuned_threshold([(frequent, False)] * 2)  # dismissed a frequent contact's urgent notes twice
    assert up > frequent and not decide(n("在吗", 1, "微信", "孙浩"), NOW, replace(CTX, threshold=up)).urgent
    assert decide(n("[语音]", 1, "微信", "周玉兰"), NOW, replace(CTX, threshold=up)).urgent  # family still is
    assert tuned_threshold([(frequent, False)] * 2 + [(frequent, True)]) <= frequent  # opened again: back down
    assert tuned_threshold([(100, False)] * 20) == MAX_THRESHOLD < 100  # codes and security always urgent
    assert tuned_threshold([(40, True)] * 20) == 40 and tuned_threshold([(0, True)] * 5) == DEFAULT_THRESHOLD


def test_parse_summaries_reads_app_lines_and_ignores_the_rest() -> None:
    text = "以下是摘要：\n【微信】陈昊问晚上吃什么。\n  【招商银行】 两笔支出。 \n【微信】重复的一行\n无关内容"
    assert parse_summaries(text) == {"微信": "陈昊问晚上吃什么。", "招商银行": "两笔支出。"}
