"""Phrasings "f" of the reply set: hand-written conversations written after the rules of this round were frozen
(after dev set "e" round 2), run once — HELD OUT, never tune on it.

Why another held-out set: "d" was run three times while the rules changed (its first run before any change,
then after each dev round, without its items being inspected), and its author wrote the rules, so a set written
once the rules were frozen and run once is the cleaner figure. Same case format and judge patterns
(:mod:`reply_hand`), other texts and data.
"""

from __future__ import annotations

from reply_hand import AT, BUSY_CLAIM, CLAIM_PAID, MOVING, PAID, PROMISE, THANKS, WILL, YES, Case, _busy, make_hand
from reply_set import Item

# fmt: off
CASES: list[Case] = [
    Case("inv_busy", [("明天晚上有空不？新开了家川菜馆", 7)], *_busy("读书会"),
         data=[("cal", 1, 19, 0, 120, "读书会")]),
    Case("inv_busy", [("后天中午出来吃个饭？我在你公司附近", 9)], *_busy("午餐会"),
         data=[("cal", 2, 12, 0, 60, "午餐会")]),
    Case("inv_busy", [("好久不见", 70), ("我:是啊", 68), ("今晚七点老地方喝一杯", 60)], *_busy("加班"),
         data=[("cal", 0, 18, 0, 180, "加班")]),
    Case("inv_busy", [("明天下午三点陪我去看房好不好", 5)], *_busy("客户会议"),
         data=[("cal", 1, 14, 30, 120, "客户会议")]),
    Case("inv_free", [("明晚要不要一起去夜跑", 6)], [YES], [BUSY_CLAIM], data=[("cal", 1, 8, 0, 60, "早会")]),
    Case("inv_free", [("后天下午有个展，一起去看看？", 8)], [YES], [BUSY_CLAIM], data=[("cal", 2, 9, 0, 60, "站会")]),
    Case("group_inv_busy", [("@{me} 明晚八点开黑，缺一个", 6)], *_busy("夜跑训练"),
         data=[("cal", 1, 19, 30, 90, "夜跑训练")], group="开黑群"),
    Case("group_inv_free", [("后天中午聚餐，@{me} 来不", 10)], [YES], [BUSY_CLAIM],
         data=[("cal", 2, 16, 0, 60, "评审")], group="老乡群"),
    Case("aa_paid", [("周末露营的钱一人150，转我就行", 6)], [PAID], [PROMISE],
         data=[("pay", 150, "partner", 600, "转账")]),
    Case("aa_paid", [("@{me} 生日礼物份子钱50，记得给我", 7)], [PAID], [PROMISE],
         data=[("pay", 50, "partner", 300, "转账")], group="宿舍群"),
    Case("aa_unpaid", [("外卖一共96，你转我48就好", 5)], [WILL], [CLAIM_PAID]),
    Case("rent_paid", [("这个月房租3000麻烦转一下", 7)], [PAID], [PROMISE],
         data=[("alias", "周建平", "周哥"), ("pay", 3000, "周建平", 2 * 1440, "房租")], name="周哥"),
    Case("loan_unpaid", [("上回借你的800，月底能还吗", 8)], [WILL + r"|月底|能|可以"], [CLAIM_PAID]),
    Case("parcel_transit", [("你那个运动鞋发货了没", 6)], [r"路上|发货|运输|派送|还没|没到|预计|明天|后天"],
         [r"已经?(到|收到|签收)|签收了|收到了|(?<![快没])到了"], data=[("order", "运动鞋", "shipped")]),
    Case("parcel_delivered", [("行李箱到了吗？下周出差要用", 5)],
         [r"(已经?|都|早)(到|收到|签收)|签收了|收到了|到了(?!吗|没)|拿到"],
         [r"还没|在路上|派送|运输|没到|没收到|快到"], data=[("order", "行李箱", "delivered")]),
    Case("parcel_pickup", [("你的快递我先帮你收着了哈", 5)], [r"谢谢|麻烦|好|辛苦"], [r"还没到|在路上|运输"],
         data=[("order", "咖啡机", "delivered")]),
    Case("ride_live", [("到哪儿啦，菜都上齐了", 2)], [MOVING], [AT], data=[("ride", "湖滨步行街", 9, 18)]),
    Case("ride_live", [("还得多久？", 2)], [r"分钟|预计|\d{1,2}:\d{2}|\d点"], [AT, r"马上到|就到|快到了"],
         data=[("ride", "万象城", 6, 42)]),
    Case("train_eta", [("几点到杭州？我开车去接你", 5)], ["ARRIVE"], [AT],
         data=[("train", "上海虹桥", "杭州东", -35, 40)]),
    Case("train_up", [("开车了吗", 3)], [r"还没|出发|\d{1,2}:\d{2}|\d点|待会|等会"],
         [r"车上|路上|已经上车|上车了(?![吗没])"],
         data=[("train", "苏州北", "上海虹桥", 50, 80)]),
    Case("where_none", [("你现在方便接电话吗", 3)], [r"方便|可以|稍等|等下|晚点|怎么了|打吧|在"], [r"路上|车上|到了"]),
    Case("congrats", [("听说你要结婚了！恭喜恭喜", 5)], [THANKS]),
    Case("congrats", [("宝宝百天快乐🎉", 5)], [THANKS]),
    Case("condolence", [("奶奶的事我刚听说，节哀顺变", 6)], [r"谢谢|感谢|有心"], [r"哈哈|恭喜|不客气"]),
    Case("condolence", [("你感冒好点了吗", 5)], [r"谢谢|好多了|还好|好点|关心|没事"], [r"哈哈|恭喜|不客气"]),
    Case("thanks", [("谢谢你帮我占座", 5)], [r"不客气|客气|应该|小事|没事|不用谢"]),
    Case("ask", [("你那个蓝牙耳机哪买的，好用吗", 5)], [r"淘宝|好用|推荐|还行|不错|链接|发你|可以"]),
    Case("info", [("我把会议纪要发群里了", 5)], [r"好|收到|谢谢|看|嗯"], no_stock=False),
    Case("tie", [("在忙吗", 3), ("明晚七点吃饭，来不来", 3)], *_busy("家教课"), tie=True,
         data=[("cal", 1, 19, 0, 120, "家教课")]),
    Case("tie", [("哈喽", 3), ("恭喜你考上研究生！", 3)], [THANKS], tie=True),
]
# fmt: on


def make_items_f(seed: int, per: int) -> list[Item]:
    return make_hand(CASES, seed, per, 6)
