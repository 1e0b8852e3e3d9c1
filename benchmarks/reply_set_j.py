"""Phrasings "j" of the reply set: hand-written conversations, the DEV set of wave 5 (rules were changed on it).

Written after the held-out "i" (:mod:`reply_set_i`) had been run once, and used the other way round: its
failures were read and the rules generalised from them, weighted to the scenarios "g" showed weak by rate
(group invitations on a busy slot, AA already paid, ride ETAs, thanks, congratulations). Its numbers are
optimistic; "i" is the figure. Senders: a running club, a book club, a moving company, a landlady's son, a
school-parents' WeChat group, a cousin, a team lead, a florist, a driving school. Same case format and judge
patterns as :mod:`reply_hand`.
"""

from __future__ import annotations

from reply_hand import AT, BUSY_CLAIM, CLAIM_PAID, MOVING, PAID, PROMISE, THANKS, WILL, YES, Case, _busy, make_hand
from reply_set import Item

THANKED = r"不客气|客气|应该|小事|没事|不用谢|辛苦|谢谢|加油|你也"
ETA = r"分钟|预计|\d{1,2}:\d{2}|\d点|路上|车上"
COMING = r"马上|稍等|来了|下来|下楼|这就|等我|出来|就到"
GOT_IT = r"(已经?|都|早)(取|拿|到|收到|签收)|取了|拿了|拿到|收到了|取走"
NOT_GOT = r"还没(取|拿|收到|到)|马上(去|来)?取|这就去|没收到|在路上"
# fmt: off
CASES: list[Case] = [
    # group invitations on a busy slot (time in the latest or an earlier line, @ or not)
    Case("group_inv_busy", [("@{me} 明晚八点约跑十公里，来吗", 20)], *_busy("部门晚宴"),
         data=[("cal", 1, 19, 0, 180, "部门晚宴")], group="晨跑团"),
    Case("group_inv_busy", [("下周读书会定在后天晚上七点", 80), ("@{me} 这次你来领读吧", 15)], *_busy("客户饭局"),
         data=[("cal", 2, 18, 30, 180, "客户饭局")], group="读书会"),
    Case("group_inv_busy", [("@{me} 今晚九点五排，上号", 10)], *_busy("视频面试"),
         data=[("cal", 0, 20, 30, 120, "视频面试")], group="王者小分队"),
    Case("group_inv_busy", [("明天中午十二点公司楼下聚餐，给小李送行", 60), ("@{me} 你也来哈", 5)], *_busy("医院复查"),
         data=[("cal", 1, 11, 0, 180, "医院复查")], group="研发一组"),
    Case("group_inv_busy", [("@{me} 后天下午三点球场集合，友谊赛缺个后卫", 30)], *_busy("驾校练车"),
         data=[("cal", 2, 14, 0, 180, "驾校练车")], group="周末足球群"),
    Case("group_inv_busy", [("明天上午十点社区大扫除，每户出一人", 50), ("@{me} 你家谁来？", 10)], *_busy("雅思考试"),
         data=[("cal", 1, 9, 0, 240, "雅思考试")], group="3号楼业主群"),
    Case("group_inv_busy", [("@{me} 明早七点半体育馆门口集合，别迟到", 20)], *_busy("早班"),
         data=[("cal", 1, 7, 0, 180, "早班")], group="晨跑团"),
    Case("group_inv_busy", [("@{me} 后天下午两点年级开放日，请准时到场", 30)], *_busy("外地培训"),
         data=[("cal", 2, 8, 0, 600, "外地培训")], group="二年级家长群"),
    Case("group_inv_busy", [("活动挪到明晚七点了", 40), ("@{me} 你几点能到？", 10)], *_busy("值班"),
         data=[("cal", 1, 18, 0, 300, "值班")], group="读书会"),
    Case("group_inv_busy", [("@{me} 明天晚上七点包厢订好了，到时候见", 30)], *_busy("年会"),
         data=[("cal", 1, 18, 30, 180, "年会")], group="大学舍友"),
    Case("group_inv_busy", [("明天下午三点去养老院做义工", 50), ("@{me} 你那天能去吧", 10)], *_busy("答辩"),
         data=[("cal", 1, 14, 0, 180, "答辩")], group="志愿者协会"),
    Case("group_inv_busy", [("明晚六点火锅局，@{me} 给你留了位置", 25)], *_busy("夜校上课"),
         data=[("cal", 1, 18, 0, 180, "夜校上课")], group="吃货联盟"),
    Case("group_inv_busy", [("@{me} 今晚的饭局别缺席啊，七点半", 15)], *_busy("孩子家长会"),
         data=[("cal", 0, 19, 0, 120, "孩子家长会")], group="大学舍友"),
    Case("group_inv_busy", [("明天中午大家一起给王姐过生日", 40), ("@{me} 记得来", 10)], *_busy("外出见客户"),
         data=[("cal", 1, 11, 0, 180, "外出见客户")], group="研发一组"),
    Case("group_inv_busy", [("后天上午九点出发去爬山", 30), ("@{me} 几点到集合点？", 5)], *_busy("加班"),
         data=[("cal", 2, 8, 0, 300, "加班")], group="户外小队"),
    Case("group_inv_busy", [("各位，明晚七点开会讨论年会节目，请大家务必参加", 45)], *_busy("航班"),
         data=[("cal", 1, 17, 0, 300, "航班")], group="行政部"),
    Case("group_inv_free", [("@{me} 明晚七点约跑，来不来", 20)], [YES], [BUSY_CLAIM],
         data=[("cal", 1, 9, 0, 60, "早会")], group="晨跑团"),
    Case("group_inv_free", [("周末去露营，@{me} 带上帐篷一起呀", 30)], [YES], [BUSY_CLAIM], group="露营群"),
    # AA / fees already paid
    Case("aa_paid", [("@{me} 上周聚餐人均156，还差你没转", 30)], [PAID], [PROMISE],
         data=[("pay", 156, "partner", 2 * 1440, "转账")], group="读书会"),
    Case("aa_paid", [("搬家费一共650，尾款记得结一下", 20)], [PAID], [PROMISE],
         data=[("pay", 650, "partner", 300, "转账")], name="蚂蚁搬家王师傅"),
    Case("aa_paid", [("哥们，KTV的钱你A一下，一人88", 40)], [PAID], [PROMISE],
         data=[("pay", 88, "partner", 600, "转账")]),
    Case("aa_paid", [("@{me} 班服的钱68，麻烦转我", 15)], [PAID], [PROMISE],
         data=[("alias", "陈晓燕", "家委会陈姐"), ("pay", 68, "陈晓燕", 1440, "转账")], group="二年级家长群",
         name="家委会陈姐"),
    Case("aa_paid", [("水电费这个月一共320，你那份160转我下", 30)], [PAID], [PROMISE],
         data=[("pay", 160, "partner", 200, "水电")], name="室友阿杰"),
    Case("aa_paid", [("花篮的钱200，你方便时给我就行", 60)], [PAID], [PROMISE],
         data=[("pay", 200, "partner", 3 * 1440, "转账")], name="花店小林"),
    Case("aa_paid", [("@{me} 门票钱150，你那份还没给我哦", 30)], [PAID], [PROMISE],
         data=[("pay", 150, "partner", 1440, "转账")], group="大学舍友"),
    Case("aa_paid", [("@{me} 年夜饭每家800，发我就行", 60)], [PAID], [PROMISE],
         data=[("pay", 800, "partner", 3 * 60, "转账")], group="老王家"),
    Case("aa_paid", [("打车钱分一下哈，你出25", 20)], [PAID], [PROMISE],
         data=[("pay", 25, "partner", 100, "转账")], name="同事小何"),
    Case("aa_paid", [("那个红包你还没接龙呢", 20)], [PAID], [PROMISE],
         data=[("pay", 100, "partner", 50, "红包")], name="二姑", group="老王家"),
    Case("aa_unpaid", [("@{me} 团建费每人200，今天之内转我", 20)], [WILL], [CLAIM_PAID], group="研发一组"),
    Case("loan_unpaid", [("上回垫的油钱300，方便时还我下", 30)], [WILL + r"|还"], [CLAIM_PAID], name="表哥"),
    # rides: where / how long / arrived
    Case("ride_live", [("到哪儿了？菜都上齐了", 3)], [MOVING], [AT], data=[("ride", "海底捞", 6, 12)]),
    Case("ride_live", [("大概还要多久？", 2)], [ETA], [AT, r"马上到|就到"], data=[("ride", "体育中心", 10, 25)]),
    Case("ride_live", [("@{me} 你几点能到？我们先进场了", 5)], [ETA], [AT],
         data=[("ride", "奥体中心", 8, 20)], group="晨跑团"),
    Case("ride_live", [("人呢，快开会了", 2)], [MOVING], [AT], data=[("ride", "公司", 5, 15)], name="组长老钱"),
    Case("ride_live", [("还有几分钟到？我下楼接你", 3)], [ETA], [AT], data=[("ride", "表姐家", 15, 8)], name="表姐"),
    Case("ride_done", [("到家了没？", 4)], [r"到了|到家|已到|刚到"], [r"路上|车上|还没到|快到|分钟"],
         data=[("ride_done", "家", 10)], name="妈"),
    # thanks
    Case("thanks", [("昨天搬家多亏你了，累坏了吧", 20)], [THANKED]),
    Case("thanks", [("谢谢你推荐的那个医生，看完好多了", 30)], [THANKED]),
    Case("thanks", [("收到你寄的特产了，太感谢了", 10)], [THANKED]),
    Case("thanks", [("上次的事真的麻烦你了，改天请你吃饭", 20)], [THANKED + r"|好"]),
    Case("thanks", [("@{me} 谢谢你帮忙占座", 10)], [THANKED], group="读书会"),
    # congratulations
    Case("congrats", [("听说你要当爸爸了！", 15)], [THANKS]),
    Case("congrats", [("@{me} 马拉松跑进四小时了，牛啊", 20)], [THANKS], group="晨跑团"),
    Case("congrats", [("科目三一把过，可以啊", 10)], [THANKS], name="驾校刘教练"),
    Case("congrats", [("新店开业大吉！生意兴隆", 30)], [THANKS]),
    Case("congrats", [("看到你拿到offer了，替你开心", 20)], [THANKS]),
    # plans on busy / free slots
    Case("plan_busy", [("明天下午两点来驾校约考", 20)], *_busy("项目上线"),
         data=[("cal", 1, 13, 0, 240, "项目上线")], name="驾校刘教练"),
    Case("plan_busy", [("今晚八点过一下周报", 10)], *_busy("孩子接种疫苗"),
         data=[("cal", 0, 19, 30, 90, "孩子接种疫苗")], name="组长老钱"),
    Case("plan_busy", [("后天上午九点我们上门搬家，记得提前打包", 40)], *_busy("述职答辩"),
         data=[("cal", 2, 8, 30, 180, "述职答辩")], name="蚂蚁搬家王师傅"),
    Case("plan_free", [("明天下午四点把花送过去，家里有人吧", 20)], [YES + r"|在|有人"], [BUSY_CLAIM],
         data=[("cal", 1, 9, 0, 60, "早会")], name="花店小林"),
    Case("inv_busy", [("今晚去看电影不，九点那场", 15)], *_busy("加班上线"),
         data=[("cal", 0, 20, 0, 240, "加班上线")]),
    Case("inv_free", [("明天中午一起吃个饭呗", 20)], [YES], [BUSY_CLAIM], data=[("cal", 1, 16, 0, 60, "评审")]),
    # trains
    Case("train_eta", [("车几点到？我在出站口等你", 6)], ["ARRIVE"], [AT],
         data=[("train", "北京南", "天津", -20, 15)], name="表哥"),
    Case("train_booked", [("明天回来的票订了没", 20)], [r"订了|买了|订好|已经|\d{1,2}:\d{2}|\d点|G\d+"],
         [r"还没(买|订)|没买|没订"], data=[("train", "深圳北", "广州南", 1300, 1340)], name="妈"),
    Case("train_up", [("发车了没", 3)], [r"还没|出发|\d{1,2}:\d{2}|\d点|待会|等会"],
         [r"车上|已经上车|上车了(?![吗没])"], data=[("train", "长沙南", "武汉", 50, 130)]),
    # parcels
    Case("parcel_delivered", [("您好，上次买的绿萝收到了吗", 20)], [r"收到|到了|签收|拿到"],
         [r"还没|在路上|派送|运输|没到|没收到"], data=[("order", "绿萝", "delivered")], name="花店小林"),
    Case("parcel_transit", [("跑步鞋到了没？周六比赛要穿", 10)], [r"路上|发货|运输|派送|还没|没到|预计|明天|后天"],
         [r"已经?(到|收到|签收)|签收了|收到了|(?<![快没])到了"], data=[("order", "跑步鞋", "shipped")]),
    # new situations (wave 5): a driver at the door, a group buy, a clinic's notice, a parcel locker, tickets
    Case("ride_driver", [("师傅到了，在东门等您，黑色大众", 1)], [COMING], [r"路上|车上|(已经|我)到了"],
         name="网约车司机"),
    Case("ride_driver", [("您好，我是您叫的车，已经到上车点了", 2)], [COMING], [r"路上|车上|(已经|我)到了"],
         name="出租车师傅"),
    Case("where_none", [("我到你公司楼下了，你下来一下", 2)], [COMING], [r"路上|车上"], name="表姐"),
    Case("group_buy", [("@{me} 赣南橙子团购明天截单，要的接龙", 30)], [r"要|来|算我|份|不用|不要|先不|\+1|好|接龙"],
         group="业主团购群"),
    Case("group_buy", [("拼单买抽纸，还差一个人，你要不", 15)], [r"要|来|算我|份|不用|不要|先不|\+1|好|可以"],
         name="同事小何"),
    Case("parcel_delivered", [("快递柜里的快递取了没？要超时收费了", 10)], [GOT_IT], [NOT_GOT],
         data=[("order", "台灯", "delivered")], name="快递员"),
    Case("parcel_delivered", [("亲，您的包裹已签收，请问对商品还满意吗", 40)], [r"收到|满意|不错|好|挺|还行|谢谢"],
         [r"还没(到|收到)|在路上|没收到"], data=[("order", "保温杯", "delivered")], name="店铺客服"),
    Case("plan_busy", [("您好，您的体检改到明天上午八点半，请空腹前来", 30)], *_busy("项目评审"),
         data=[("cal", 1, 8, 0, 180, "项目评审")], name="体检中心"),
    Case("train_booked", [("后天回老家的车票买好了吗", 20)], [r"订了|买了|买好|订好|已经|\d{1,2}:\d{2}|\d点|G\d+"],
         [r"还没(买|订)|没买|没订"], data=[("train", "杭州东", "合肥南", 2 * 1440 + 60, 2 * 1440 + 200)],
         name="爸"),
    Case("loan_ask", [("兄弟，能借我两千周转下不", 10)], [r"好|可以|行|转|多少|怎么了|没问题|什么时候"],
         [CLAIM_PAID]),
    Case("plan_busy", [("今晚得留下来加个班，你能行吧", 15)], *_busy("相亲"),
         data=[("cal", 0, 18, 30, 180, "相亲")], name="组长老钱"),
    Case("rent_paid", [("业主您好，今年的物业费2400还没交哦", 30)], [PAID], [PROMISE],
         data=[("alias", "万科物业服务中心", "物业小陈"), ("pay", 2400, "万科物业服务中心", 5 * 1440, "物业费")],
         name="物业小陈"),
    Case("aa_paid", [("您好，保养的钱680，扫码或者转我都行", 20)], [PAID], [PROMISE],
         data=[("pay", 680, "partner", 60, "转账")], name="汽修店阿强"),
    Case("info", [("@{me} 请把孩子的户口本复印件明天带到学校", 40)], [r"好|知道|明天|带|收到|谢谢"],
         no_stock=False, group="二年级家长群", name="李老师"),
    Case("rsvp", [("哥，我国庆后结婚，到时候一定来喝喜酒啊", 30)], [r"恭喜|一定|来|参加|到|好"], name="堂弟"),
    Case("ask", [("亲，麻烦给个好评呀，谢谢支持～", 60)], [r"好|可以|行|没问题|评|嗯"], no_stock=False,
         name="店铺客服"),
    Case("where_none", [("我在你家楼下了，门禁怎么开", 2)], [r"马上|稍等|下来|来了|开|等"], [r"路上|车上"],
         name="钟点工阿姨"),
    Case("where_none", [("现在能通个电话吗？报价的事", 5)], [r"方便|可以|稍等|等下|晚点|怎么了|打吧|在|回你|一会"],
         [r"路上|车上|到了"], name="装修公司小吴"),
    Case("train_up", [("检完票上车了吧？", 4)], [r"还没|出发|\d{1,2}:\d{2}|\d点|待会|等会"],
         [r"车上|已经上车|上车了(?![吗没])"], data=[("train", "西安北", "郑州东", 40, 150)], name="爸"),
    Case("ride_done", [("到机场了吧？", 3)], [r"到了|已到|刚到|我在"], [r"路上|车上|还没到|快到|分钟"],
         data=[("ride_done", "机场", 5)], name="老婆"),
    Case("condolence", [("听说你出车祸了，人没事吧？", 10)], [r"谢谢|没事|还好|不严重|关心|放心"],
         [r"哈哈|恭喜|不客气"]),
    Case("plan_busy", [("师傅下午五点上门装空调，家里留个人", 20)], *_busy("部门会议"),
         data=[("cal", 0, 16, 0, 180, "部门会议")], name="苏宁售后"),
    Case("money_in", [("姐，借你的钱我转回给你了", 5)], [r"谢谢|收到|好|不急|没事|嗯"], [r"转你|还你|已经?转"],
         name="弟弟"),
    Case("ask", [("蛋糕要巧克力的还是水果的？", 10)], [r"巧克力|水果|都行|随便|你定|你看"], name="花店小林"),
    Case("ask", [("轮胎也磨平了，要不要一起换了？四条1600", 15)], [r"换|好|可以|行|不用|先不|多少|贵|考虑|再说"],
         name="汽修店阿强"),
    Case("small", [("天热了，家里空调还好用吗", 10)], [r"好用|还行|还好|挺好|没问题|放心|谢谢|有点"], name="妈"),
    # other
    Case("ask", [("你上次说的那个搬家公司叫啥", 10)], [r"叫|名字|发你|找找|查|回头|我看看|蚂蚁"]),
    Case("where_none", [("你在公司吗？我过去找你签个字", 5)], [r"在|不在|来吧|过来|稍等"], [r"路上|车上"]),
    Case("info", [("材料我放你桌上了", 5)], [r"好|谢谢|收到|辛苦|看"], no_stock=False),
    Case("small", [("周末过得咋样", 10)], [r"还行|还好|不错|挺好|休息|你呢|老样子|忙"]),
    Case("condolence", [("听说你家狗狗走了，节哀", 10)], [r"谢谢|有心|嗯|知道"], [r"哈哈|恭喜|不客气"]),
    Case("tie", [("在吗", 5), ("@{me} 明晚七点部门聚餐，来吗", 5)], *_busy("夜间巡检"), tie=True,
         data=[("cal", 1, 18, 0, 240, "夜间巡检")], group="研发一组"),
    Case("tie", [("嘿", 4), ("恭喜乔迁新居！", 4)], [THANKS], tie=True),
]
# fmt: on


def make_items_j(seed: int, per: int) -> list[Item]:
    return make_hand(CASES, seed, per, 10)
