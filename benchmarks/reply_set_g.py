"""Phrasings "g" of the reply set: hand-written conversations in other voices, HELD OUT — never tune on them.

Why another set: "d", "e" and "f" share one author voice (friends inviting each other, one-to-one). Here the
senders are a family group (parents, aunts), a landlord, a delivery rider, a colleague from another
department, a teacher in a parents' group, a neighbour; the mix is the same (questions, plans, invitations,
money, location, congratulations and condolences, small talk). Written for wave 4 before any rule of that
round changed; main and the tree were run on it once first and that number recorded. Its individual failures
are never read (only totals and per-scenario rates), so it stays held out across rounds. Same case format
and judge patterns as :mod:`reply_hand`.
"""

from __future__ import annotations

from reply_hand import AT, BUSY_CLAIM, CLAIM_PAID, MOVING, PAID, PROMISE, THANKS, WILL, YES, Case, _busy, make_hand
from reply_set import Item

CALL_OK = r"方便|可以|稍等|等下|晚点|怎么了|打吧|在|回你|一会"
# fmt: off
CASES: list[Case] = [
    # family group chats
    Case("group_inv_busy", [("后天中午都回来吃饭啊，你爸炖了排骨", 20), ("@{me} 你几点能到", 15)],
         *_busy("公司团建"), data=[("cal", 2, 10, 0, 420, "公司团建")], group="相亲相爱一家人"),
    Case("group_inv_free", [("明天晚上去外婆家吃饭，@{me} 你来吗", 12)], [YES], [BUSY_CLAIM],
         data=[("cal", 1, 9, 30, 60, "周会")], group="相亲相爱一家人"),
    Case("group_inv_free", [("后天下午大家去看电影，@{me} 给你也买张票？", 30)], [YES], [BUSY_CLAIM],
         data=[("cal", 2, 10, 0, 60, "面试")], group="家族群"),
    Case("group_inv_busy", [("明早八点去给爷爷扫墓，@{me} 别迟到", 25)], *_busy("早班"),
         data=[("cal", 1, 7, 30, 240, "早班")], group="家族群"),
    Case("congrats", [("@{me} 听你妈说你升职了，真给咱家长脸👍", 40)], [THANKS], group="相亲相爱一家人"),
    Case("condolence", [("你姥爷走了，大家都很难过，你也别太伤心", 15)], [r"谢谢|感谢|有心|知道|嗯"],
         [r"哈哈|恭喜|不客气"]),
    Case("ask", [("你上次给我买的那个泡脚桶在哪个店买的？你二姨也想要", 10)],
         [r"淘宝|京东|拼多多|链接|发你|店|找找|查|回头"]),
    Case("small", [("天冷了多穿点，别光顾着工作", 8)], [r"知道|嗯|好|放心|你们也|注意"], no_stock=False),
    Case("aa_paid", [("@{me} 给奶奶过寿的钱每家500，发我就行", 60)], [PAID], [PROMISE],
         data=[("pay", 500, "partner", 200, "转账")], group="家族群"),
    Case("aa_unpaid", [("你弟学费还差两千，你先转我一下", 9)], [WILL], [CLAIM_PAID]),
    # landlord
    Case("rent_paid", [("小伙子，这个月房租该交了哈", 30)], [PAID], [PROMISE],
         data=[("alias", "刘桂兰", "刘阿姨"), ("pay", 2600, "刘桂兰", 3 * 1440, "房租")], name="刘阿姨"),
    Case("rent_unpaid", [("这个月房租2600，记得月底前转我", 20)], [WILL + r"|月底|知道"], [CLAIM_PAID],
         name="房东张姐"),
    Case("plan_busy", [("明天下午两点我带师傅过去修热水器，你在家吧？", 30)], *_busy("项目评审"),
         data=[("cal", 1, 13, 30, 150, "项目评审")], name="房东张姐"),
    Case("plan_free", [("后天上午十点物业来查燃气，你在家不", 45)], [YES + r"|在"], [BUSY_CLAIM],
         data=[("cal", 2, 15, 0, 60, "周会")], name="房东张姐"),
    Case("where_none", [("现在方便接个电话不，说下续租的事", 4)], [CALL_OK], [r"路上|车上|到了"], name="房东张姐"),
    # delivery rider
    Case("parcel_pickup", [("您好，您的快递放门口了，记得拿一下", 5)], [r"谢谢|麻烦|好|辛苦"],
         [r"还没到|在路上|运输"], data=[("order", "电饭煲", "delivered")]),
    Case("where_none", [("你好外卖到楼下了，你在家吗", 2)], [r"在|下来|马上|稍等|放|谢谢|麻烦|门口"], [r"到了吗"]),
    Case("parcel_delivered", [("姐，上次那个空气炸锅收到没？", 20)],
         [r"(已经?|都|早)(到|收到|签收)|签收了|收到了|到了(?!吗|没)|拿到"],
         [r"还没|在路上|派送|运输|没到|没收到|快到"], data=[("order", "空气炸锅", "delivered")]),
    Case("parcel_transit", [("你买的那个书架到了吗？我周末过去帮你装", 15)],
         [r"路上|发货|运输|派送|还没|没到|预计|明天|后天"],
         [r"已经?(到|收到|签收)|签收了|收到了|(?<![快没])到了"], data=[("order", "书架", "shipped")]),
    # colleague across departments
    Case("plan_busy", [("明天上午十点能来我们这边对一下接口吗", 25)], *_busy("季度汇报"),
         data=[("cal", 1, 9, 30, 120, "季度汇报")], name="财务部小陈"),
    Case("plan_busy", [("今天下午四点开个短会，讨论下预算", 30)], *_busy("客户拜访"),
         data=[("cal", 0, 15, 0, 180, "客户拜访")], name="市场部李姐"),
    Case("plan_free", [("明天下午三点拉个会过一下需求，你有空吧", 20)], [YES], [BUSY_CLAIM],
         data=[("cal", 1, 9, 0, 30, "站会")], name="产品部老周"),
    Case("info", [("报销单我已经签了，你去财务那拿就行", 10)], [r"好|收到|谢谢|辛苦|麻烦"], no_stock=False),
    Case("thanks", [("上次那个数据多亏你帮忙，不然要挨骂了", 15)], [r"不客气|客气|应该|小事|没事|不用谢"]),
    Case("ask", [("你们组那个新来的实习生叫什么来着？", 6)], [r"叫|名字|问|查|回头|等下|不清楚|我看看"]),
    Case("inv_busy", [("后天晚上部门聚餐，你们组要不要一起？", 40)], *_busy("年会彩排"),
         data=[("cal", 2, 18, 0, 180, "年会彩排")], name="市场部李姐"),
    # teacher in a parents' group
    Case("group_inv_busy", [("各位家长，明天下午三点开家长会，@{me} 请准时参加", 60)], *_busy("出差"),
         data=[("cal", 1, 8, 0, 600, "出差")], group="三年级二班家长群"),
    Case("group_inv_free", [("@{me} 周四下午学校运动会，需要家长志愿者，您能来吗？", 90)], [YES], [BUSY_CLAIM],
         data=[("cal", 3, 9, 0, 60, "周会")], group="三年级二班家长群"),
    Case("aa_paid", [("@{me} 班费每人200，请尽快交给我", 120)], [PAID], [PROMISE],
         data=[("pay", 200, "partner", 300, "转账")], group="三年级二班家长群"),
    Case("aa_unpaid", [("@{me} 春游的费用80元，还没收到您的", 30)], [WILL], [CLAIM_PAID],
         group="三年级二班家长群"),
    Case("congrats", [("@{me} 您家孩子这次作文比赛拿了一等奖，恭喜！", 45)], [THANKS], group="三年级二班家长群"),
    # neighbour
    Case("parcel_pickup", [("你家快递我帮你拿上来了，放我家了", 12)], [r"谢谢|麻烦|好|辛苦"],
         [r"还没到|在路上|运输"], data=[("order", "猫粮", "delivered")]),
    Case("inv_free", [("明天下午我们几家带孩子去公园，一起不？", 30)], [YES], [BUSY_CLAIM],
         data=[("cal", 1, 9, 0, 60, "例会")]),
    Case("inv_busy", [("今晚七点楼下烧烤，你来不来", 20)], *_busy("加班"),
         data=[("cal", 0, 18, 30, 180, "加班")]),
    Case("condolence", [("听说你摔了一跤，腿好点没", 8)], [r"谢谢|好多了|还好|好点|关心|没事"], [r"哈哈|恭喜|不客气"]),
    # travel: rides and trains
    Case("ride_live", [("你到哪了，大家都到了", 3)], [MOVING], [AT], data=[("ride", "西湖银泰", 8, 15)]),
    Case("ride_live", [("还有多久到啊？孩子饿了", 2)], [r"分钟|预计|\d{1,2}:\d{2}|\d点"], [AT, r"马上到|就到"],
         data=[("ride", "外婆家", 10, 25)]),
    Case("train_eta", [("高铁几点到站？我让你爸去接", 10)], ["ARRIVE"], [AT],
         data=[("train", "北京南", "济南西", -60, 50)]),
    Case("train_eta", [("明天几点的车？到了说一声", 30)], [r"\d{1,2}:\d{2}|\d点|G\d+"], [AT],
         data=[("train", "广州南", "长沙南", 900, 1050)]),
    Case("train_up", [("上车了没，别落东西", 5)], [r"还没|出发|\d{1,2}:\d{2}|\d点|待会|等会"],
         [r"车上|路上|已经上车|上车了(?![吗没])"], data=[("train", "南京南", "合肥南", 40, 100)]),
    Case("ride_live", [("到公司了吗？", 4)], [MOVING + r"|还没"], [AT], data=[("ride", "科技园", 12, 10)]),
    # money from friends / colleagues
    Case("loan_unpaid", [("上个月借你的1500，这周能还我吗", 20)], [WILL + r"|这周|能|可以"], [CLAIM_PAID]),
    Case("aa_paid", [("昨天打车的钱，你给我转30就行", 15)], [PAID], [PROMISE],
         data=[("pay", 30, "partner", 400, "转账")]),
    Case("money_in", [("红包收一下，给孩子的压岁钱", 5)], [r"谢谢|太客气|不用|收|感谢"], [r"转你|还你"]),
    # invitations with no time / plain plans
    Case("inv_busy", [("后天晚上一起去看演唱会呗，我多了张票", 25)], *_busy("夜班"),
         data=[("cal", 2, 18, 0, 360, "夜班")]),
    Case("plan_busy", [("明早九点我把钥匙送过来，你在吧", 15)], *_busy("体检"),
         data=[("cal", 1, 8, 30, 120, "体检")], name="房东张姐"),
    Case("plan_busy", [("那就定明天晚上八点，视频会议", 10)], *_busy("飞机"),
         data=[("cal", 1, 19, 0, 180, "飞机")], name="财务部小陈"),
    Case("inv_free", [("周末要不要一起去钓鱼", 20)], [YES], [BUSY_CLAIM]),
    # small talk, questions, ties
    Case("ask", [("你用的那个电动牙刷是什么牌子的，好用不", 7)], [r"好用|推荐|还行|不错|链接|发你|可以|牌子"]),
    Case("small", [("最近忙啥呢，好久没你消息了", 20)], [r"忙|还好|还行|老样子|你呢|最近|工作"],
         [r"好的，收到"]),
    Case("where_none", [("你在公司吗？我给你送点水果过去", 10)], [r"在|不在|谢谢|麻烦|不用"], [r"路上|车上"]),
    Case("tie", [("在不", 4), ("明天中午一起吃饭，我请客", 4)], *_busy("午餐会"), tie=True,
         data=[("cal", 1, 11, 30, 120, "午餐会")]),
    Case("tie", [("早啊", 6), ("听说你家添了个闺女，恭喜恭喜！", 6)], [THANKS], tie=True),
    Case("thanks", [("谢谢你帮我接孩子，改天请你吃饭", 10)], [r"不客气|客气|应该|小事|没事|不用谢|好"]),
]
# fmt: on


def make_items_g(seed: int, per: int) -> list[Item]:
    return make_hand(CASES, seed, per, 7)
