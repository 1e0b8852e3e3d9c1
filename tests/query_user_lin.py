"""A second hand-made user for the query engine's everyday-phrasing tests (not the demo user, not query_user).

林晓 lives in Hangzhou. Now is Thursday 2026-11-19 20:00 (Shanghai): this week is Monday 11-16 .. Sunday 11-22,
last week 11-09 .. 11-15, today 11-19, yesterday 11-18, tomorrow 11-20. Every gold answer in
tests/test_query_phrasings.py is worked out by hand from the events below.
"""

from __future__ import annotations

from lingxi.context.events import ContactEvent, Event, OrderItem
from query_build import TZ, Builder, ms

USER = "lin-xiao"
_B = Builder(USER)
_pay, _cal, _msg, _order = _B.pay, _B.cal, _B.msg, _B.order
__all__ = ["NOW", "TZ", "USER", "events", "ms"]


NOW = ms(11, 19, 20)


NOTEBOOK = OrderItem(name="得力笔记本 5本装", category="文具", brand="得力", price_fen=2500)
DOWN_JACKET = OrderItem(name="优衣库羽绒服", category="服装", brand="优衣库", price_fen=39900)
HEADPHONES = OrderItem(name="索尼降噪耳机", category="数码", brand="索尼", price_fen=129900)


def events() -> list[Event]:
    """林晓's month: payments, three orders, four calendar entries (one moved, one cancelled), chats."""
    return [
        _pay("p13", ms(10, 28, 18), "盒马鲜生", 8800, "超市"),
        _pay("p1", ms(11, 2, 12), "喜茶(万象城店)", 1900, "餐饮", "微信支付"),
        _pay("p2", ms(11, 5, 8, 40), "曹操出行", 2600, "交通"),
        _pay("p3", ms(11, 9, 19), "万达影城", 9800, "娱乐", "微信支付"),
        _pay("p4", ms(11, 10, 21), "拼多多", 2500, "购物"),
        _pay("p5", ms(11, 12, 12, 10), "麦当劳(美团外卖)", 3650, "外卖"),
        _pay("p6", ms(11, 14, 10), "永辉超市", 12830, "超市"),
        _pay("p7", ms(11, 16, 9), "中国移动", 10000, "话费"),
        _pay("p8", ms(11, 16, 20, 30), "淘宝", 39900, "购物"),
        _pay("p9", ms(11, 17, 12), "奈雪的茶", 2800, "餐饮", "微信支付"),
        _pay("p10", ms(11, 18, 8, 30), "曹操出行", 3100, "交通", "微信支付"),
        _pay("p11", ms(11, 18, 22), "京东", 129900, "购物"),
        _pay("p12", ms(11, 19, 12), "喜茶(万象城店)", 2100, "餐饮", "微信支付"),
        _order("o1a", ms(11, 10, 20, 58), "o1", "拼多多", NOTEBOOK, "placed"),
        _order("o1b", ms(11, 13, 15), "o1", "拼多多", NOTEBOOK, "delivered"),
        _order("o2a", ms(11, 16, 20, 25), "o2", "淘宝", DOWN_JACKET, "placed"),
        _order(
            "o2b",
            ms(11, 17, 10),
            "o2",
            "淘宝",
            DOWN_JACKET,
            "shipped",
            carrier="中通",
            tracking_no="ZT2001",
            eta_day="2026-11-20",
        ),
        _order(
            "o2c",
            ms(11, 18, 15),
            "o2",
            "淘宝",
            DOWN_JACKET,
            "in_transit",
            carrier="中通",
            tracking_no="ZT2001",
            eta_day="2026-11-21",
        ),
        _order("o3a", ms(11, 18, 21, 55), "o3", "京东", HEADPHONES, "placed"),
        _order("o3b", ms(11, 19, 9), "o3", "京东", HEADPHONES, "cancelled"),
        _cal(
            "k1",
            ms(11, 15),
            "e-weekly",
            "产品周会",
            ms(11, 20, 10),
            ms(11, 20, 11),
            location="3楼会议室",
            attendees=["陈静", "刘洋"],
        ),
        _cal("k2", ms(11, 12), "e-dentist", "牙科复查", ms(11, 21, 15), ms(11, 21, 16), location="瑞尔齿科"),
        _cal("k3a", ms(11, 17), "e-dinner", "和赵磊吃饭", ms(11, 21, 18), ms(11, 21, 20), location="外婆家(西溪店)"),
        _cal(
            "k3b",
            ms(11, 18, 21, 10),
            "e-dinner",
            "和赵磊吃饭",
            ms(11, 22, 18),
            ms(11, 22, 20),
            location="外婆家(西溪店)",
        ),
        _cal("k4a", ms(11, 10), "e-quarter", "季度汇报", ms(11, 23, 14), ms(11, 23, 15)),
        _cal("k4b", ms(11, 19, 10), "e-quarter", "季度汇报", ms(11, 23, 14), ms(11, 23, 15), status="cancelled"),
        ContactEvent(
            event_id="f1",
            user_id=USER,
            ts=ms(9, 1),
            source_app="通讯录",
            contact_id="dad",
            name="林国栋",
            aliases=["老爸"],
            relation="爸爸",
            handles={"微信": "lin_gd"},
        ),
        _msg("m7", ms(11, 17, 12), "微信", "赵磊", "赵磊", "推荐一部电影：沙丘，周末可以去看"),
        _msg("m1", ms(11, 18, 10), "钉钉", "产品群", "陈静", "明天周会改在3楼会议室"),
        _msg("m2", ms(11, 18, 21), "微信", "赵磊", "赵磊", "吃饭改到周日晚上，外婆家见"),
        _msg("m3", ms(11, 18, 21, 5), "微信", "赵磊", "我", "好的，六点到", out=True),
        _msg("m4", ms(11, 19, 8), "微信", "林国栋", "林国栋", "降温了多穿点"),
        _msg("m5", ms(11, 19, 9, 30), "钉钉", "陈静", "陈静", "方案今天发我一下"),
        _msg("m6", ms(11, 19, 11), "钉钉", "产品群", "刘洋", "方案我看过了，没问题"),
    ]
