"""A small hand-made user for the query engine's tests (not the demo user): every answer is worked out by hand.

Now is Wednesday 2026-10-14 20:00 in Shanghai. National Day 2026 is 10-01..10-07 with make-up workdays on
Sunday 09-20 and Saturday 10-10; last week is Monday 10-05 .. Sunday 10-11.
"""

from __future__ import annotations

from lingxi.context.events import ContactEvent, Event, MessageUpdateEvent, OrderItem
from query_build import TZ, Builder, ms

USER = "qe-user"
_B = Builder(USER)
_pay, _cal, _msg, _order = _B.pay, _B.cal, _B.msg, _B.order
__all__ = ["NOW", "TZ", "USER", "events", "ms"]


NOW = ms(10, 14, 20)


POWER_BANK = OrderItem(name="小米充电宝 20000mAh", category="数码", brand="小米", price_fen=29900)
TISSUE = OrderItem(name="维达抽纸 24包", category="日用", brand="维达", price_fen=4990)


def events() -> list[Event]:
    """The user's events (some arrive out of order on purpose: entities must not depend on it)."""
    return [
        _pay("p1", ms(10, 2, 12), "瑞幸咖啡(西湖店)", 1290, "餐饮", "微信支付"),
        _pay("p2", ms(10, 3, 19), "海底捞(湖滨店)", 35800, "餐饮"),
        _pay("p3", ms(10, 8, 8, 30), "滴滴出行", 2350, "交通"),
        _pay("p4", ms(10, 9, 18, 10), "滴滴出行", 3120, "交通", "微信支付"),
        _pay("p5", ms(10, 10, 12), "老乡鸡(美团外卖)", 4550, "外卖"),
        _pay("p6", ms(10, 12, 9), "瑞幸咖啡(西湖店)", 1590, "餐饮", "微信支付"),
        _pay("p7", ms(10, 13, 12, 30), "沙县小吃", 3800, "外卖"),
        _pay("p8", ms(10, 13, 20), "京东", 29900, "购物"),  # no order id: linked to o1 by code
        _pay("p9", ms(9, 30, 10), "瑞幸咖啡(西湖店)", 990, "餐饮", "微信支付"),
        _pay("p10", ms(10, 14, 8), "杭州地铁", 400, "交通"),
        _pay("p11", ms(10, 10, 9), "张伟", 5000, "转账", "微信支付", direction="in"),
        _pay("p12", ms(10, 15, 9), "瑞幸咖啡(西湖店)", 1890, "餐饮", "微信支付"),  # tomorrow: not known yet
        _order("o1a", ms(10, 13, 19, 58), "o1", "京东", POWER_BANK, "placed"),
        _order(
            "o1c",
            ms(10, 14, 15),
            "o1",
            "京东",
            POWER_BANK,
            "in_transit",
            carrier="顺丰",
            tracking_no="SF1001",
            eta_day="2026-10-17",
        ),
        _order(
            "o1b",
            ms(10, 14, 9),
            "o1",
            "京东",
            POWER_BANK,
            "shipped",
            carrier="顺丰",
            tracking_no="SF1001",
            eta_day="2026-10-16",
        ),
        _order("o2a", ms(10, 5, 10), "o2", "淘宝", TISSUE, "placed"),
        _order("o2b", ms(10, 7, 16), "o2", "淘宝", TISSUE, "delivered"),
        _cal("c1a", ms(10, 9), "e-weekly", "周会", ms(10, 15, 10), ms(10, 15, 11)),
        _cal("c1b", ms(10, 14, 10), "e-weekly", "周会", ms(10, 15, 10), ms(10, 15, 11), "cancelled"),
        _cal("c2a", ms(10, 12), "e-review", "项目评审", ms(10, 15, 14), ms(10, 15, 15)),
        _cal("c2b", ms(10, 13), "e-review", "项目评审", ms(10, 16, 14), ms(10, 16, 15)),
        _cal("c3", ms(10, 11), "", "看牙医", ms(10, 15, 16), ms(10, 15, 17)),
        _cal("c4", ms(10, 8), "", "补班例会", ms(10, 10, 9, 30), ms(10, 10, 10, 30)),
        ContactEvent(
            event_id="k1",
            user_id=USER,
            ts=ms(9, 1),
            source_app="通讯录",
            contact_id="mom",
            name="王秀英",
            aliases=["老妈"],
            relation="妈妈",
            handles={"微信": "mom_wx"},
        ),
        _msg("m1", ms(10, 13, 20), "微信", "王秀英", "王秀英", "周末回家吃饭吗"),
        _msg("m2", ms(10, 13, 20, 5), "微信", "王秀英", "我", "回，周六中午到", out=True),
        _msg("m3", ms(10, 14, 9), "钉钉", "项目群", "张伟", "周报今天下班前交"),
        _msg("m4", ms(10, 14, 9, 10), "钉钉", "项目群", "李娜", "收到，周报我来汇总"),
        _msg("m5", ms(10, 14, 11), "微信", "张伟", "张伟", "明天评审改到周四了"),
        MessageUpdateEvent(
            event_id="u5",
            user_id=USER,
            ts=ms(10, 14, 11, 1),
            source_app="微信",
            target_event_id="m5",
            op="correct",
            text="明天评审改到周五下午两点了",
        ),
        _msg("m6", ms(10, 12, 10), "微信", "张伟", "张伟", "借你的钱已经转了"),
        MessageUpdateEvent(
            event_id="u6", user_id=USER, ts=ms(10, 12, 10, 2), source_app="微信", target_event_id="m6", op="delete"
        ),
    ]
