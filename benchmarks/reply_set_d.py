"""Phrasings "d" of the reply set: hand-written everyday WeChat conversations, HELD OUT — never tune on them.

Why a fourth set written differently: variants a/b/c fill slot templates from :mod:`reply_vocab` (one
activity, one time phrase, one item), and the rules were fixed on each after its first run, so they no longer
measure anything held out. Here every case is a whole conversation written by hand as people type on WeChat
(several turns, colloquial time words such as 「明晚」「今晚」「明早」, group chats with @mentions, small talk
around the question), with its own judge patterns written per case before the first run, and scenarios the
templates lack: ride/train ETA, AA splits and 红包, a parcel collected by a neighbour, invitations in a group,
congratulations and condolences. The user data a case needs (calendar, payments, orders, rides, trains,
contact aliases) is declared beside it; the background (other chats, distractor entries) is the generator's.

Protocol (fixed before the first run): each case is instantiated ``max(1, per // 6)`` times (different random
users, days and backgrounds); judged by :mod:`bench_replies` exactly like a/b/c. The first run of main and of
this tree on seed 13 is recorded in benchmarks/README.md before any rule change; the rules are never changed
to pass a case of this file (a dev set for that is variant "e", :mod:`reply_set_e`).
"""

from __future__ import annotations

from reply_hand import AT, BUSY_CLAIM, CLAIM_PAID, MOVING, PAID, PROMISE, THANKS, WILL, YES, Case, _busy, make_hand
from reply_set import Item

CASES: list[Case] = [
    # invitations, one to one
    Case(
        "inv_busy",
        [("在吗", 30), ("我:在，咋了", 28), ("明晚七点一起吃个饭呗，好久没见了", 25)],
        *_busy("家长会"),
        data=[("cal", 1, 19, 0, 90, "家长会")],
    ),
    Case(
        "inv_busy",
        [("明天中午有空吗？公司楼下新开了家面馆，听说不错", 6)],
        *_busy("客户午餐"),
        data=[("cal", 1, 12, 0, 90, "客户午餐")],
    ),
    Case(
        "inv_busy",
        [("后天下午两点有个讲座，挺有意思的，一起去听听？", 12)],
        *_busy("牙医复诊"),
        data=[("cal", 2, 13, 30, 120, "牙医复诊")],
    ),
    Case(
        "inv_busy",
        [("今晚八点有球赛，来我家看不？我买了啤酒", 9)],
        *_busy("加班评审"),
        data=[("cal", 0, 19, 30, 150, "加班评审")],
    ),
    Case(
        "inv_busy",
        [("下周见", 2000), ("我:好嘞", 1990), ("明早九点去爬山，你要不要一起？", 15)],
        *_busy("体检"),
        data=[("cal", 1, 8, 30, 120, "体检")],
    ),
    Case(
        "inv_busy",
        [("明天下午你在家不？", 40), ("我:应该在吧，怎么了", 38), ("那我三点过去找你喝茶，顺便把书还你", 35)],
        *_busy("驾校练车"),
        data=[("cal", 1, 15, 0, 120, "驾校练车")],
    ),
    Case("inv_free", [("明晚一起撸串？老地方", 7)], [YES], [BUSY_CLAIM], data=[("cal", 1, 9, 0, 60, "晨会")]),
    Case(
        "inv_free",
        [("后天上午十点去宜家逛逛，要不要一块", 11)],
        [YES],
        [BUSY_CLAIM],
        data=[("cal", 2, 15, 0, 60, "瑜伽课")],
    ),
    Case("inv_free", [("今晚看电影去不去，我有两张券", 5)], [YES], [BUSY_CLAIM], data=[("cal", 0, 15, 0, 60, "周会")]),
    Case(
        "inv_free",
        [("明天下午三点喝个咖啡？聊聊那个项目", 14)],
        [YES],
        [BUSY_CLAIM],
        data=[("cal", 1, 10, 0, 60, "面试"), ("cal", 1, 15, 0, 60, "面试", "cancelled")],
    ),
    Case("inv_notime", [("下次一起去钓鱼啊，我新买了竿", 8)], [YES + r"|什么时候|哪天|啥时候"], []),
    # invitations in a group
    Case(
        "group_inv_busy",
        [("@{me} 明晚七点聚餐，来不来？要订位了", 10)],
        *_busy("孩子家长会"),
        data=[("cal", 1, 18, 30, 120, "孩子家长会")],
        group="老同学群",
    ),
    Case(
        "group_inv_busy",
        [("下周的事回头说", 500), ("@{me} 后天晚上部门团建，能来吗？统计人数", 20)],
        *_busy("航班"),
        data=[("cal", 2, 18, 0, 240, "航班")],
        group="产品部",
    ),
    Case(
        "group_inv_free",
        [("明晚八点老地方打球，@{me} 来吗", 13)],
        [YES],
        [BUSY_CLAIM],
        data=[("cal", 1, 10, 0, 60, "周会")],
        group="羽毛球群",
    ),
    Case(
        "group_inv_free",
        [("后天晚上团建吃烤鸭，@{me} 你去吗，接龙报名", 18)],
        [YES],
        [BUSY_CLAIM],
        data=[("cal", 2, 9, 0, 60, "站会")],
        group="市场部",
    ),
    # money: AA, 红包, rent, loans
    Case(
        "aa_paid",
        [("昨晚一共540，四个人一人135，直接转我哈", 300), ("@{me} 就差你了哦", 4)],
        [PAID],
        [PROMISE],
        data=[("pay", 135, "partner", 200, "转账")],
        group="周五饭局",
    ),
    Case("aa_paid", [("奶茶钱18，你转我一下", 5)], [PAID], [PROMISE], data=[("pay", 18, "partner", 20, "转账")]),
    Case(
        "aa_paid",
        [("这个月水电燃气一共286，你那份143", 6)],
        [PAID],
        [PROMISE],
        data=[("pay", 143, "partner", 90, "转账")],
    ),
    Case("aa_unpaid", [("电影票我先垫了，一人45，微信转我就行", 7)], [WILL], [CLAIM_PAID]),
    Case("aa_unpaid", [("车费32我先付了，你回头A我一半", 9)], [WILL], [CLAIM_PAID]),
    Case("aa_unpaid", [("份子钱我帮你一起随了哈，500", 12)], [WILL + r"|谢"], [CLAIM_PAID]),
    Case(
        "rent_paid",
        [("小{nick}，这个月房租还没收到哦", 8)],
        [PAID],
        [PROMISE],
        data=[("alias", "王秀英", "王阿姨"), ("pay", 3200, "王秀英", 2 * 1440, "房租")],
        name="王阿姨",
    ),
    Case(
        "rent_paid",
        [("物业费交了吗？这个月1280", 5)],
        [PAID],
        [PROMISE],
        data=[("pay", 1280, "绿城物业", 1440, "物业费")],
        name="老婆",
    ),
    Case("loan_unpaid", [("上次借你的500周转开了吗？不急哈", 10)], [WILL + r"|周转|快了|下周"], [CLAIM_PAID]),
    Case("money_in", [("生活费打你卡上了，注意查收", 10)], [r"收到|谢谢|好|嗯"], [], no_stock=False, name="妈妈"),
    # parcels
    Case(
        "parcel_pickup",
        [("你的快递到楼下驿站了，要不要我帮你拿上来？", 6)],
        [r"好|麻烦|谢谢|帮|不用"],
        [r"还没到|在路上|运输|没发货"],
        data=[("order", "空气炸锅", "delivered")],
    ),
    Case(
        "parcel_pickup",
        [("我今天在家，你那个快递要我帮你收吗", 10)],
        [r"好|麻烦|谢谢|帮|不用"],
        [r"已经?(收到|签收)|拿到了|签收了"],
        data=[("order", "行李箱", "out_for_delivery")],
    ),
    Case(
        "parcel_transit",
        [("买的那个空气炸锅到了吗？周末想用", 6)],
        [r"路上|发货|运输|派送|还没|没到|预计|明天|后天"],
        [r"已经?(到|收到|签收)|签收了|收到了|(?<![快没])到了"],
        data=[("order", "空气炸锅", "shipped")],
    ),
    Case(
        "parcel_delivered",
        [("耳机收到没，音质咋样", 5)],
        [r"(已经?|都|早)(到|收到|签收)|签收了|收到了|到了(?!吗|没)|拿到"],
        [r"还没|在路上|派送|运输|没到|没收到|快到"],
        data=[("order", "蓝牙耳机", "delivered")],
    ),
    Case(
        "parcel_delivered",
        [("给你寄的那箱橙子应该到了吧", 9)],
        [r"到了|收到|谢谢|签收"],
        [r"还没|在路上|派送|运输|没到|没收到"],
        data=[("order", "赣南脐橙", "delivered")],
        name="大姨",
    ),
    Case(
        "parcel_unknown",
        [("妈给你寄的腊肉收到没？", 6)],
        [r"收到|还没|查|看看|看一下|谢谢|没注意|确认"],
        [],
        name="妈妈",
    ),
    # rides and trains
    Case("ride_live", [("你到哪了？我们已经点菜了", 2)], [MOVING], [AT], data=[("ride", "万象城", 10, 15)]),
    Case(
        "ride_live",
        [("还有多久到啊，外面好冷", 2)],
        [r"分钟|预计|\d{1,2}:\d{2}|\d点"],
        [AT, r"马上到|就到|快到了"],
        data=[("ride", "来福士", 5, 40)],
    ),
    Case(
        "ride_live",
        [("出门了没？别又迟到", 3)],
        [r"出门|车上|路上|出发|分钟|预计"],
        [r"还没出门|在家|没出发"],
        data=[("ride", "龙湖天街", 8, 20)],
    ),
    Case(
        "ride_done",
        [("你到了没？我在门口", 2)],
        [r"到了|我在|已到|来福士|进来"],
        [r"路上|车上|快到|分钟"],
        data=[("ride_done", "来福士", 6)],
    ),
    Case("train_eta", [("几点到站，我去接你", 5)], ["ARRIVE"], [AT], data=[("train", "杭州东", "上海虹桥", -40, 50)]),
    Case(
        "train_eta",
        [("你那趟高铁晚点没？大概几点能到", 4)],
        ["ARRIVE"],
        [AT],
        data=[("train", "南京南", "杭州东", -20, 70)],
    ),
    Case(
        "train_up",
        [("上车了吗", 3)],
        [r"还没|出发|\d{1,2}:\d{2}|\d点|待会|等会"],
        [r"车上|路上|已经上车|上车了(?![吗没])"],
        data=[("train", "宁波", "杭州东", 90, 150)],
    ),
    Case(
        "train_eta",
        [("到上海了没", 3)],
        [r"还没|车上|路上|预计|ARRIVE"],
        [AT],
        data=[("train", "杭州东", "上海虹桥", -30, 30)],
    ),
    # where, with no data
    Case(
        "where_none",
        [("你在哪呢，电话也不接", 3)],
        [r"在|定位|怎么了|什么事|刚才|开会|没听到|回你"],
        [r"路上|车上|到了"],
    ),
    Case("where_none", [("在公司吗？我给你送个东西过去", 6)], [r"在|不在|定位|送|谢谢|怎么了|好"], [r"路上|车上"]),
    # congratulations, condolences, thanks
    Case("congrats", [("恭喜恭喜！听说你家添了个千金", 5)], [THANKS]),
    Case("congrats", [("生日快乐呀🎂 今年要开开心心的", 4)], [THANKS]),
    Case("congrats", [("@{me} 恭喜转正！请客请客", 6)], [THANKS + r"|没问题|安排"], group="项目组"),
    Case(
        "condolence",
        [("听说叔叔住院了，没事吧？需要帮忙说一声", 7)],
        [r"谢谢|关心|没事|好多了|还好|放心|有心"],
        [r"恭喜|哈哈|太好了|不客气"],
    ),
    Case("condolence", [("节哀，有什么需要帮忙的随时说", 5)], [r"谢谢|感谢|有心|麻烦"], [r"哈哈|恭喜|不客气|小事"]),
    Case("condolence", [("外婆的事我听说了，你还好吗", 8)], [r"谢谢|还好|没事|关心|有心"], [r"哈哈|恭喜|不客气"]),
    Case("thanks", [("昨天多亏你帮我带娃，太感谢了", 6)], [r"不客气|客气|应该|小事|没事|不用谢|随时"]),
    Case("thanks", [("红包收到啦，谢谢老板", 5)], [r"不客气|客气|应该|小事|没事|开心|哈哈|辛苦"]),
    # questions and information
    Case(
        "ask", [("你觉得周末带孩子去哪玩好？", 5)], [r"推荐|试试|要不|可以去|问问|不清楚|公园|博物馆|看看|想想|哪|什么"]
    ),
    Case("ask", [("上次你说的那个牙医叫啥来着", 6)], [r"问问|找找|查|发你|不记得|想想|稍等|回头"]),
    Case("info", [("我到家了，你早点休息", 5)], [r"好|晚安|早点|休息|嗯"], no_stock=False),
    Case(
        "info",
        [("@所有人 明天上午十点开会，别迟到", 9)],
        [r"收到|好|OK|明白|知道"],
        no_stock=False,
        data=[("cal", 1, 10, 0, 60, "部门周会")],
        group="产品部",
    ),
    Case(
        "info",
        [("@{me} 明天下午三点的评审改到四点了", 7)],
        [r"收到|好|OK|明白|知道"],
        no_stock=False,
        data=[("cal", 1, 15, 0, 60, "评审")],
        group="项目组",
    ),
    # two lines with one timestamp: the later-arrived one is answered
    Case("tie", [("刚看到群消息", 4), ("恭喜你中签了！", 4)], [THANKS], tie=True),
    Case(
        "tie",
        [("我下楼了", 3), ("对了明晚七点吃饭你来吗", 3)],
        *_busy("健身课"),
        tie=True,
        data=[("cal", 1, 19, 0, 60, "健身课")],
    ),
]


def make_items_d(seed: int, per: int) -> list[Item]:
    return make_hand(CASES, seed, per, 4)
