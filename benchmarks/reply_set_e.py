"""Phrasings "e" of the reply set: hand-written conversations like "d", written after d's first run, and the
DEV set — the reply rules were changed on what its errors showed, so its numbers are not held out.

Why a dev set at all: a/b/c were already fixed to 100 % before this round, and "d" must stay held out, so the
fixes of this round (fact check by construction, intents of condolences, parcel hand-offs, ride/train ETAs…)
needed cases of their own. Same families as "d", other texts, other data; same judge patterns
(:mod:`reply_hand`).
"""

from __future__ import annotations

from reply_hand import AT, BUSY_CLAIM, CLAIM_PAID, MOVING, PAID, PROMISE, THANKS, WILL, YES, Case, _busy, make_hand
from reply_set import Item

# fmt: off
CASES: list[Case] = [
    Case("inv_busy", [("明天下午三点半有空吗，想找你帮个忙", 8)], *_busy("项目评审"),
         data=[("cal", 1, 15, 0, 120, "项目评审")]),
    Case("inv_busy", [("晚上好", 60), ("我:晚上好呀", 58), ("后天晚上来我家吃火锅吧，人多热闹", 50)],
         *_busy("培训课"), data=[("cal", 2, 18, 30, 150, "培训课")]),
    Case("inv_busy", [("今晚7点半健身房见？", 4)], *_busy("客户饭局"), data=[("cal", 0, 19, 0, 120, "客户饭局")]),
    Case("inv_busy", [("明早十点陪我去趟医院行不", 6)], *_busy("周例会"), data=[("cal", 1, 9, 30, 90, "周例会")]),
    Case("inv_busy", [("明天中午一起吃饭吧，我请", 9)], *_busy("面试"), data=[("cal", 1, 11, 30, 120, "面试")]),
    Case("inv_busy", [("明天下午你忙吗", 30), ("我:还好，怎么了", 28), ("那我四点去你那拿下钥匙？", 25)],
         *_busy("家访"), data=[("cal", 1, 15, 30, 120, "家访")]),
    Case("inv_free", [("后天你有空吗", 40), ("我:有啥事", 38), ("两点一起去看房？", 30)], [YES], [BUSY_CLAIM],
         data=[("cal", 2, 9, 0, 60, "晨会")]),
    Case("inv_free", [("明天下午四点打球不", 7)], [YES], [BUSY_CLAIM], data=[("cal", 1, 9, 0, 60, "站会")]),
    Case("inv_free", [("今晚来我这吃饺子不？我包了好多", 5)], [YES], [BUSY_CLAIM],
         data=[("cal", 0, 15, 0, 60, "评审")]),
    Case("inv_free", [("后天晚上有个音乐会，去不去", 10)], [YES], [BUSY_CLAIM], data=[("cal", 2, 10, 0, 60, "体检")]),
    Case("group_inv_busy", [("@{me} 明晚唱K，来吗", 9)], *_busy("夜班"), data=[("cal", 1, 18, 0, 300, "夜班")],
         group="大学室友"),
    Case("group_inv_free", [("明天中午谁一起吃饭？@{me}", 12)], [YES], [BUSY_CLAIM],
         data=[("cal", 1, 16, 0, 60, "周会")], group="饭搭子"),
    Case("group_inv_free", [("@{me} 后天下午三点开个短会，你有空吗", 15)], [YES], [BUSY_CLAIM],
         data=[("cal", 2, 9, 0, 60, "晨会")], group="项目组"),
    Case("aa_paid", [("打车费一人23，记得转我", 6)], [PAID], [PROMISE], data=[("pay", 23, "partner", 30, "转账")]),
    Case("aa_paid", [("@{me} 团建费200，还差你没交", 8)], [PAID], [PROMISE],
         data=[("pay", 200, "partner", 300, "转账")], group="市场部"),
    Case("aa_paid", [("上次烧烤的钱你给我了没？我记不清了", 7)], [PAID], [PROMISE],
         data=[("pay", 76, "partner", 1440, "转账")]),
    Case("aa_unpaid", [("蛋糕88，咱俩一人一半，44转我哈", 5)], [WILL], [CLAIM_PAID]),
    Case("aa_unpaid", [("@{me} 班费每人100，周五前交给我", 9)], [WILL], [CLAIM_PAID], group="家长群"),
    Case("rent_paid", [("下个月房租记得交哈", 7)], [PAID], [PROMISE],
         data=[("alias", "李建华", "李叔"), ("pay", 2800, "李建华", 3 * 1440, "房租")], name="李叔"),
    Case("loan_unpaid", [("之前借你的两千，这周能还不", 9)], [WILL + r"|这周|周末|下周"], [CLAIM_PAID]),
    Case("parcel_pickup", [("你快递在门卫那，我顺路帮你带回来？", 5)], [r"好|麻烦|谢谢|帮|不用"],
         [r"还没到|在路上|运输|没发货"], data=[("order", "电动牙刷", "delivered")]),
    Case("parcel_pickup", [("快递员打你电话没人接，让我帮你签收行吗", 4)], [r"好|麻烦|谢谢|帮|可以|行"],
         [r"已经?(收到|签收)|拿到了|签收了"], data=[("order", "台灯", "out_for_delivery")]),
    Case("parcel_transit", [("你说的那个保温杯寄出来没", 6)], [r"路上|发货|运输|派送|还没|没到|预计|明天|后天|寄出"],
         [r"已经?(到|收到|签收)|签收了|收到了|(?<![快没])到了"], data=[("order", "保温杯", "shipped")]),
    Case("parcel_delivered", [("给你买的书收到了吧", 6)], [r"到了|收到|谢谢|签收"],
         [r"还没|在路上|派送|运输|没到|没收到"], data=[("order", "小说套装", "delivered")], name="姐姐"),
    Case("ride_live", [("快到了吗？电影要开始了", 2)], [MOVING], [AT], data=[("ride", "万象城", 6, 10)]),
    Case("ride_live", [("人呢？等你半天了", 2)], [MOVING], [AT], data=[("ride", "湖滨", 12, 25)]),
    Case("ride_live", [("你还要多久", 2)], [r"分钟|预计|\d{1,2}:\d{2}|\d点"], [AT, r"马上到|就到|快到了"],
         data=[("ride", "西湖银泰", 3, 45)]),
    Case("train_eta", [("明天几点到家？", 6)], ["ARRIVE"], [AT], data=[("train", "上海虹桥", "杭州东", -10, 60)]),
    Case("train_eta", [("车到哪了", 3)], [r"车上|路上|预计|还没|ARRIVE"], [AT],
         data=[("train", "苏州北", "南京南", -50, 40)]),
    Case("train_up", [("出发了没", 3)], [r"还没|出发|\d{1,2}:\d{2}|\d点|待会|等会"],
         [r"车上|路上|已经上车|上车了(?![吗没])"],
         data=[("train", "杭州东", "宁波", 120, 180)]),
    Case("condolence", [("听说你家狗狗走了，别太难过", 6)], [r"谢谢|还好|没事|关心|有心"], [r"哈哈|恭喜|不客气"]),
    Case("condolence", [("阿姨身体好点没？", 5)], [r"谢谢|关心|好多了|还好|放心|有心|在恢复"], [r"哈哈|恭喜|不客气"]),
    Case("condolence", [("生病了？多喝热水，好好休息", 5)], [r"谢谢|好|会的|嗯|知道"], [r"哈哈|恭喜|不客气"]),
    Case("congrats", [("新年快乐！祝你新的一年顺顺利利", 4)], [THANKS + r"|新年快乐|也祝你|同乐"]),
    Case("congrats", [("@{me} 恭喜拿到年度优秀员工！", 5)], [THANKS], group="公司群"),
    Case("thanks", [("你推荐的那家店真不错，谢啦", 5)], [r"不客气|客气|应该|小事|没事|喜欢就好|开心|哈哈"]),
    Case("ask", [("最近有什么好看的剧吗", 5)], [r"推荐|试试|要不|可以看|问问|不清楚|看看|想想|哪|什么"]),
    Case("info", [("到家跟我说一声", 5)], [r"好|嗯|行|一定|会的|到家"], no_stock=False),
    Case("tie", [("哈哈", 4), ("生日快乐！！", 4)], [THANKS], tie=True),
    # round 2 (written after d's second run, in the families whose d lines were weak; d items not inspected)
    Case("inv_busy", [("今晚九点开黑？", 5)], *_busy("线上课"), data=[("cal", 0, 20, 0, 120, "线上课")]),
    Case("inv_busy", [("后天上午能陪我去趟4S店吗", 8)], *_busy("部门例会"),
         data=[("cal", 2, 10, 0, 60, "部门例会")]),
    Case("inv_busy", [("今天晚上一起吃饭不", 6)], *_busy("羽毛球课"), data=[("cal", 0, 19, 0, 90, "羽毛球课")]),
    Case("group_inv_free", [("@{me} 明晚七点火锅，来不来", 7)], [YES], [BUSY_CLAIM],
         data=[("cal", 1, 10, 0, 60, "例会")], group="吃货群"),
    Case("group_inv_free", [("明天下午三点开会，@{me} 你能参加吗", 9)], [YES], [BUSY_CLAIM],
         data=[("cal", 1, 9, 0, 60, "站会")], group="项目组"),
    Case("group_inv_free", [("@{me} 你去吗，后天晚上聚餐", 11)], [YES], [BUSY_CLAIM],
         data=[("cal", 2, 9, 0, 60, "站会")], group="同事群"),
    Case("aa_paid", [("@{me} 聚餐费每人88，没转的抓紧哈", 8)], [PAID], [PROMISE],
         data=[("pay", 88, "partner", 120, "转账")], group="部门群"),
    Case("aa_paid", [("上周的电影票钱45你还没给我吧？", 6)], [PAID], [PROMISE],
         data=[("pay", 45, "partner", 3 * 1440, "转账")]),
    Case("aa_paid", [("上次你欠我那30块呢", 6)], [PAID], [PROMISE], data=[("pay", 30, "partner", 1440, "转账")]),
    Case("parcel_unknown", [("爸给你寄的茶叶到了没", 6)], [r"收到|还没|查|看看|看一下|谢谢|没注意|确认"], [],
         name="妈妈"),
    Case("parcel_delivered", [("你姐给你寄的杯子收到没", 6)], [r"到了|收到|谢谢|签收"],
         [r"还没|在路上|派送|运输|没到|没收到"], data=[("order", "保温杯", "delivered")]),
    Case("ride_live", [("出发了吗？", 3)], [r"出门|车上|路上|出发|分钟|预计"], [r"还没出门|在家|没出发"],
         data=[("ride", "武林广场", 7, 20)]),
    Case("ride_live", [("你到哪儿了？", 2)], [MOVING], [AT], data=[("ride", "来福士", 5, 30)]),
    Case("ride_live", [("还要多长时间", 2)], [r"分钟|预计|\d{1,2}:\d{2}|\d点"], [AT, r"马上到|就到|快到了"],
         data=[("ride", "龙湖天街", 4, 35)]),
    Case("train_up", [("上车没", 3)], [r"还没|出发|\d{1,2}:\d{2}|\d点|待会|等会"],
         [r"车上|路上|已经上车|上车了(?![吗没])"],
         data=[("train", "杭州东", "上海虹桥", 70, 130)]),
    Case("train_up", [("火车开了没", 3)], [r"还没|出发|\d{1,2}:\d{2}|\d点|待会|等会"],
         [r"车上|路上|已经上车|开了(?![吗没])"],
         data=[("train", "南京南", "杭州东", 45, 120)]),
    Case("train_eta", [("列车几点到？晚点了没", 4)], ["ARRIVE"], [AT], data=[("train", "宁波", "杭州东", -25, 35)]),
]
# fmt: on


def make_items_e(seed: int, per: int) -> list[Item]:
    return make_hand(CASES, seed, per, 5)
