"""A third hand-made user for the query engine (not the demo user, not query_user, not query_user_lin).

张建国, 63, retired, lives in Chengdu with his wife 李桂芳; daughter 张丽 and grandson 小宝 nearby. He buys
vegetables at the wet market, drinks tea at 鹤鸣茶社, goes fishing with 老王, takes calligraphy at the
seniors' university, sees the doctor at 华西医院 and shops a little on 拼多多/淘宝/京东.

Now is Thursday 2026-12-17 20:00 (Shanghai): this week is Monday 12-14 .. Sunday 12-20, last week 12-07 ..
12-13, today 12-17, yesterday 12-16, 前天 12-15, this month 12-01.., last month November. The events cover
11-18 .. 12-17 (and one payment tomorrow morning, not yet known at now).

``PAYMENTS`` keeps, beside each payment, *tags* written by hand (what the payment is, in plain words:
``veg`` wet-market food, ``tea`` teahouse, ``taxi``…). The gold answers of tests/query_cases_zhang.py are
computed from these tags by a few lines of independent code, never by the engine.
"""

from __future__ import annotations

from lingxi.context.events import ContactEvent, Event, MessageUpdateEvent, OrderItem
from query_build import TZ, Builder, ms

__all__ = ["NOW", "PAYMENTS", "TZ", "USER", "events", "ms"]

USER = "zhang-jianguo"
_B = Builder(USER)
NOW = ms(12, 17, 20)

#: (id, (month, day, hour, minute), merchant, fen, category, channel, direction, tags)
PAYMENTS: list[tuple[str, tuple[int, int, int, int], str, int, str, str, str, frozenset[str]]] = [
    (i, t, m, f, c, ch, d, frozenset(tags.split()))
    for i, t, m, f, c, ch, d, tags in [
        ("q01", (11, 18, 8, 10), "青石桥菜市场", 3560, "买菜", "微信支付", "out", "veg food_all"),
        ("q02", (11, 19, 15, 0), "鹤鸣茶社", 2000, "休闲", "微信支付", "out", "tea leisure"),
        ("q03", (11, 20, 9, 30), "太极大药房", 8650, "医疗", "支付宝", "out", "medicine medical"),
        ("q04", (11, 22, 11, 40), "红旗连锁", 1280, "超市", "微信支付", "out", "market"),
        ("q05", (11, 24, 18, 30), "陈麻婆豆腐", 12800, "餐饮", "支付宝", "out", "eat food_all"),
        ("q06", (11, 25, 10, 0), "国网四川电力", 15620, "生活缴费", "支付宝", "out", "power utility"),
        ("q07", (11, 26, 8, 0), "成都地铁", 400, "交通", "支付宝", "out", "metro transit"),
        ("q08", (11, 27, 16, 20), "滴滴出行", 2850, "交通", "微信支付", "out", "taxi transit"),
        ("q09", (11, 28, 9, 10), "青石桥菜市场", 4210, "买菜", "微信支付", "out", "veg food_all"),
        ("q10", (11, 30, 20, 0), "中国移动", 5000, "通讯", "支付宝", "out", "phone"),
        ("q11", (12, 1, 7, 50), "青石桥菜市场", 2890, "买菜", "微信支付", "out", "veg food_all"),
        ("q12", (12, 2, 15, 30), "鹤鸣茶社", 2000, "休闲", "微信支付", "out", "tea leisure"),
        ("q13", (12, 3, 10, 15), "四川大学华西医院", 3500, "医疗", "支付宝", "out", "hospital medical"),
        ("q14", (12, 3, 11, 20), "太极大药房", 15680, "医疗", "支付宝", "out", "medicine medical"),
        ("q15", (12, 4, 12, 0), "老麻抄手", 3200, "餐饮", "微信支付", "out", "eat food_all"),
        ("q16", (12, 5, 9, 0), "成都燃气", 9800, "生活缴费", "支付宝", "out", "gas utility"),
        ("q17", (12, 6, 18, 0), "红旗连锁", 2350, "超市", "微信支付", "out", "market"),
        ("q18", (12, 7, 10, 30), "拼多多", 3990, "购物", "微信支付", "out", "online glasses"),
        ("q19", (12, 8, 8, 20), "成都地铁", 400, "交通", "支付宝", "out", "metro transit"),
        ("q20", (12, 8, 17, 40), "滴滴出行", 3260, "交通", "微信支付", "out", "taxi transit"),
        ("q21", (12, 9, 7, 45), "青石桥菜市场", 5120, "买菜", "微信支付", "out", "veg food_all"),
        ("q22", (12, 10, 14, 0), "金牛区老年大学", 60000, "教育", "支付宝", "out", "school"),
        ("q23", (12, 11, 19, 0), "伊藤洋华堂", 26800, "购物", "支付宝", "out", "mall"),
        ("q24", (12, 12, 10, 0), "小宝", 20000, "转账", "微信支付", "out", "redpacket"),
        ("q25", (12, 13, 16, 0), "鹤鸣茶社", 2500, "休闲", "微信支付", "out", "tea leisure"),
        ("q26", (12, 14, 8, 0), "青石桥菜市场", 3370, "买菜", "微信支付", "out", "veg food_all"),
        ("q27", (12, 14, 11, 30), "淘宝", 18800, "购物", "支付宝", "out", "online fishing"),
        ("q28", (12, 15, 9, 40), "太极大药房", 4280, "医疗", "支付宝", "out", "medicine medical"),
        ("q29", (12, 15, 12, 10), "钟水饺", 2600, "餐饮", "微信支付", "out", "eat food_all"),
        ("q30", (12, 16, 9, 0), "张记理发店", 2500, "生活服务", "微信支付", "out", "haircut"),
        ("q31", (12, 16, 15, 20), "成都公交", 200, "交通", "支付宝", "out", "bus transit"),
        ("q32", (12, 17, 8, 10), "青石桥菜市场", 4680, "买菜", "微信支付", "out", "veg food_all"),
        ("q33", (12, 17, 10, 20), "京东", 29900, "购物", "支付宝", "out", "online bpmeter"),
        ("q34", (12, 5, 9, 0), "成都市社保局", 420000, "养老金", "银行卡", "in", "pension"),
        ("q35", (12, 12, 20, 0), "张丽", 100000, "转账", "微信支付", "in", "gift_in"),
        ("q36", (12, 18, 8, 0), "青石桥菜市场", 3100, "买菜", "微信支付", "out", "veg food_all future"),
    ]
]

GLASSES = OrderItem(name="老花镜 +200度", category="眼镜", brand="明月", price_fen=3990)
ROD = OrderItem(name="光威碳素钓鱼竿 4.5米", category="户外", brand="光威", price_fen=18800)
BP_METER = OrderItem(name="欧姆龙电子血压计", category="医疗器械", brand="欧姆龙", price_fen=29900)
CUP = OrderItem(name="象印保温杯", category="日用", brand="象印", price_fen=8900)


def events() -> list[Event]:
    """张建国's month: 36 payments, four orders (one cancelled), six calendar entries (one moved, one
    cancelled), four contacts, chats on WeChat and SMS (one corrected)."""
    b, o = _B, _B.order
    pays: list[Event] = [
        b.pay(i, ms(*t), m, f, c, ch, direction=d) for i, t, m, f, c, ch, d, _ in PAYMENTS
    ]  # fmt: skip
    jd = {"carrier": "京东快递", "tracking_no": "JD4001"}
    yd = {"carrier": "韵达", "tracking_no": "YD3001"}
    return [
        *pays,
        o("r1a", ms(12, 7, 10, 29), "r1", "拼多多", GLASSES, "placed"),
        o("r1b", ms(12, 9, 15), "r1", "拼多多", GLASSES, "delivered"),
        o("r2a", ms(12, 14, 11, 29), "r2", "淘宝", ROD, "placed"),
        o("r2b", ms(12, 15, 16), "r2", "淘宝", ROD, "shipped", eta_day="2026-12-18", **yd),
        o("r2c", ms(12, 17, 9), "r2", "淘宝", ROD, "in_transit", eta_day="2026-12-19", **yd),
        o("r3a", ms(12, 17, 10, 19), "r3", "京东", BP_METER, "placed"),
        o("r3b", ms(12, 17, 18), "r3", "京东", BP_METER, "shipped", eta_day="2026-12-18", **jd),
        o("r4a", ms(11, 29, 21), "r4", "淘宝", CUP, "placed"),
        o("r4b", ms(11, 30, 9), "r4", "淘宝", CUP, "cancelled"),
        b.cal("c1a", ms(12, 1), "e-checkup", "华西医院复查", ms(12, 18, 9), ms(12, 18, 11), location="华西医院门诊楼"),
        b.cal(
            "c1b", ms(12, 16, 10), "e-checkup", "华西医院复查", ms(12, 21, 9), ms(12, 21, 11), location="华西医院门诊楼"
        ),
        b.cal("c2", ms(12, 1), "e-cal-15", "书法课", ms(12, 15, 14), ms(12, 15, 16), location="金牛区老年大学"),
        b.cal("c3", ms(12, 1), "e-cal-22", "书法课", ms(12, 22, 14), ms(12, 22, 16), location="金牛区老年大学"),
        b.cal("c4a", ms(12, 9, 19, 10), "e-fish", "和老王钓鱼", ms(12, 19, 7), ms(12, 19, 12), location="三岔湖"),
        b.cal(
            "c4b",
            ms(12, 17, 18, 30),
            "e-fish",
            "和老王钓鱼",
            ms(12, 19, 7),
            ms(12, 19, 12),
            "cancelled",
            location="三岔湖",
        ),
        b.cal(
            "c5",
            ms(12, 17, 8, 40),
            "e-ptm",
            "小宝家长会",
            ms(12, 18, 16),
            ms(12, 18, 17),
            location="龙江路小学",
            attendees=["张丽"],
        ),
        b.cal("c6", ms(12, 5), "e-exam", "社区体检", ms(12, 10, 8), ms(12, 10, 10), location="社区卫生服务中心"),
        _contact("f1", "daughter", "张丽", ["丽丽"], "女儿", "zhangli_wx"),
        _contact("f2", "wife", "李桂芳", ["老伴"], "老伴", "lgf_wx"),
        _contact("f3", "laowang", "王德明", ["老王"], "朋友", "wdm_wx"),
        _contact("f4", "grid", "刘芳", ["刘姐"], "社区网格员", "liufang_wx"),
        b.msg("n1", ms(11, 28, 10), "微信", "张丽", "张丽", "爸，降温了记得穿秋裤"),
        b.msg("n2", ms(12, 3, 20), "微信", "书法班群", "刘老师", "下周二书法课带毛毡和宣纸"),
        b.msg("n3", ms(12, 9, 19), "微信", "钓友群", "王德明", "周六去三岔湖钓鱼，早上七点出发"),
        MessageUpdateEvent(
            event_id="u3",
            user_id=USER,
            ts=ms(12, 9, 19, 2),
            source_app="微信",
            target_event_id="n3",
            op="correct",
            text="周六去三岔湖钓鱼，早上六点半出发",
        ),
        b.msg("n4", ms(12, 9, 19, 5), "微信", "钓友群", "我", "好，我带饵料", out=True),
        b.msg("n14", ms(12, 11, 9), "微信", "书法班群", "刘老师", "本周作业：临摹兰亭序"),
        b.msg("n5", ms(12, 12, 20, 5), "微信", "张丽", "张丽", "给你转了一千，买点好吃的"),
        b.msg("n6", ms(12, 14, 9), "短信", "华西医院", "华西医院", "您预约的12月18日心内科复查请按时就诊"),
        b.msg("n13", ms(12, 15, 11), "微信", "张丽", "我", "血压计我自己在京东买", out=True),
        b.msg("n7", ms(12, 16, 10, 5), "短信", "华西医院", "华西医院", "您的心内科复查已改至12月21日上午9:00"),
        b.msg("n8", ms(12, 16, 18), "微信", "李桂芳", "李桂芳", "晚上回来带瓶酱油"),
        b.msg("n9", ms(12, 16, 18, 10), "微信", "李桂芳", "我", "好的", out=True),
        b.msg("n10", ms(12, 17, 8, 30), "微信", "张丽", "张丽", "周五小宝家长会，你帮我去一下"),
        b.msg("n11", ms(12, 17, 18, 20), "微信", "钓友群", "王德明", "周六下雨，钓鱼取消了"),
        b.msg("n12", ms(12, 17, 19), "微信", "社区群", "刘芳", "明天上午社区发放防诈骗宣传册"),
    ]


def _contact(i: str, cid: str, name: str, aliases: list[str], relation: str, wx: str) -> ContactEvent:
    return ContactEvent(
        event_id=i, user_id=USER, ts=ms(11, 1), source_app="通讯录", contact_id=cid, name=name, aliases=aliases,
        relation=relation, handles={"微信": wx},
    )  # fmt: skip
