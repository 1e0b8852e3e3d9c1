"""The default synonym table (data only): everyday Chinese words for kinds of spending, merchants and apps → the
terms the data uses for them. Read through :class:`lingxi.query.synonyms.Synonyms`, which a deployer extends
with ``<home>/synonyms.toml``.

A term matches as a substring of a payment's merchant/category/channel, an order's platform/items or a
browsing record, so terms are chosen to be specific (「大学」 alone would find 「四川大学华西医院」). Several words
share one tuple when they mean the same spending (「吃饭」「餐饮」).
"""

from __future__ import annotations

__all__ = ["APPS", "CATEGORIES", "MERCHANTS", "PAY_CHANNELS", "SAID"]

_FOOD = (
    "餐饮", "外卖", "美团外卖", "饿了么", "餐厅", "饭店", "面馆", "食堂", "麦当劳", "肯德基", "必胜客", "海底捞",
    "汉堡王", "老乡鸡", "西贝", "快餐", "小吃",
)  # fmt: skip
_COFFEE = ("咖啡", "瑞幸", "星巴克", "Manner", "库迪", "Tims", "Costa", "幸运咖", "挪瓦", "Seesaw", "Peet")
_TEA = (
    "奶茶", "一点点", "喜茶", "奈雪", "蜜雪", "霸王茶姬", "茶百道", "古茗", "沪上阿姨", "CoCo", "茶颜悦色", "书亦",
    "益禾堂", "甜啦啦", "乐乐茶", "7分甜",
)  # fmt: skip
_TAXI = ("滴滴", "出租", "T3", "曹操", "高德打车", "花小猪", "网约车", "打车", "首汽", "享道", "如祺", "嘀嗒")
_TRANSIT = ("交通", "地铁", "公交", "12306", "铁路", "航空", "机票", "加油", "停车", "高速", *_TAXI)
_DINE_OUT = ("餐饮", "餐厅", "饭店", "饭馆", "面馆", "酒楼", "火锅", "小吃", "海底捞", "麦当劳", "肯德基", "必胜客")
_TEAHOUSE = ("茶社", "茶馆", "茶楼", "茶坊", "茶室", "茶舍")
_PHARMACY = ("药房", "药店", "大药房", "医药")
_CLINIC = ("医院", "诊所", "门诊", "挂号", "卫生院", "卫生服务中心", *_PHARMACY)
_UTILITIES = ("生活缴费", "水费", "电费", "燃气", "天然气", "水务", "电力", "物业")
_SCHOOL = ("教育", "学费", "培训", "学校", "课程", "老年大学", "辅导")
_HAIR = ("理发", "美发", "发型", "剪发")
_PENSION = ("养老金", "退休金", "社保")
_GROCERY = (
    "超市", "便利店", "盒马", "永辉", "物美", "沃尔玛", "家乐福", "山姆", "全家", "罗森", "7-Eleven", "美宜佳",
    "便利蜂", "大润发", "华润万家", "Ole",
)  # fmt: skip
_FRESH = ("生鲜", "盒马", "叮咚", "朴朴", "钱大妈", "美团优选", "多多买菜", "菜市场", "买菜")
_SNACK = ("零食", "三只松鼠", "良品铺子", "百草味", "卫龙", "来伊份", "坚果", "薯片")
_PET = ("宠物", "猫粮", "狗粮", "猫砂", "猫罐头", "宠物医院")
_FRUIT = ("水果", "百果园", "鲜丰水果", "果切")
_BAKERY = ("面包", "烘焙", "蛋糕", "85度C", "好利来", "面包新语", "甜品", "鲍师傅")
_HOTPOT = ("火锅", "海底捞", "呷哺", "小龙坎", "巴奴", "凑凑")
_BREAKFAST = ("早餐", "早点", "包子", "豆浆")
_MEMBER = ("会员", "连续包月", "爱奇艺", "腾讯视频", "优酷", "芒果TV", "哔哩哔哩", "网易云音乐", "QQ音乐", "订阅")
_BIKE = ("单车", "哈啰", "青桔", "美团单车")
_FUEL = ("加油", "中石化", "中石油", "加油站", "油费")
_HOTEL = ("酒店", "宾馆", "住宿", "民宿", "如家", "汉庭", "全季", "亚朵")
_TRAVEL = ("旅游", "旅行", "门票", "景区", "携程", "飞猪", "去哪儿", "同程", *_HOTEL)
_RENT = ("房租", "租金", "自如", "贝壳", "链家")
_BEAUTY = ("美妆", "化妆品", "护肤", "口红", "面膜", "丝芙兰", "屈臣氏")
_BABY = ("母婴", "奶粉", "尿不湿", "纸尿裤", "孩子王", "婴儿")
_BOOK = ("图书", "书店", "当当", "书籍", "西西弗", "新华书店")
_SPORT = ("运动", "健身", "Keep", "超级猩猩", "乐刻", "游泳", "羽毛球", "瑜伽", "迪卡侬")
_APPLIANCE = ("家电", "电器", "空调", "冰箱", "洗衣机", "电视", "吸尘器", "扫地机")
_GAME = ("游戏", "Steam", "王者荣耀", "原神", "点券")
_INSURANCE = ("保险", "保费", "人寿", "财险")
_CREDIT = ("还款", "信用卡", "花呗", "白条", "借呗")
_POSTAGE = ("快递费", "寄件", "顺丰速运", "菜鸟", "邮费", "运费")
_SHOES = ("鞋", "耐克", "阿迪达斯", "Nike", "adidas", "李宁", "安踏")
_KTV = ("KTV", "唱歌", "量贩", "麦乐迪", "好乐迪")
_LAUNDRY = ("洗衣", "干洗")

#: Everyday category words → terms. Several words share a tuple (「吃饭」「餐饮」 mean the same spending).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "餐饮": (*_FOOD, *_COFFEE, *_TEA),
    "吃饭": (*_FOOD, *_COFFEE, *_TEA),
    "吃的": (*_FOOD, *_COFFEE, *_TEA, "零食", "食品", "生鲜"),
    "吃喝": (*_FOOD, *_COFFEE, *_TEA),
    "饮料": (*_COFFEE, *_TEA, "饮料", "饮品", "果汁"),
    "喝的": (*_COFFEE, *_TEA, "饮料", "饮品", "果汁"),
    "外卖": ("外卖", "美团外卖", "饿了么"),
    "下馆子": _DINE_OUT,
    "外面吃饭": _DINE_OUT,
    "出去吃饭": _DINE_OUT,
    "外出就餐": _DINE_OUT,
    "喝茶": _TEAHOUSE,
    "茶馆": _TEAHOUSE,
    "茶楼": _TEAHOUSE,
    "咖啡": _COFFEE,
    "奶茶": _TEA,
    "打车": _TAXI,
    "出租车": _TAXI,
    "出租": _TAXI,
    "的士": _TAXI,
    "交通": _TRANSIT,
    "出行": _TRANSIT,
    "坐车": _TRANSIT,
    "车费": _TRANSIT,
    "地铁": ("地铁", "轨道交通", "Metro"),
    "公交": ("公交",),
    "火车": ("12306", "铁路", "火车"),
    "高铁": ("12306", "铁路", "高铁"),
    "机票": ("机票", "航空", "航班"),
    "超市": _GROCERY,
    "生鲜": _FRESH,
    "零食": _SNACK,
    "宠物": _PET,
    "猫粮": _PET,
    "狗粮": _PET,
    "水果": _FRUIT,
    "面包": _BAKERY,
    "蛋糕": _BAKERY,
    "甜品": _BAKERY,
    "烘焙": _BAKERY,
    "火锅": _HOTPOT,
    "早餐": _BREAKFAST,
    "早饭": _BREAKFAST,
    "会员": _MEMBER,
    "视频会员": _MEMBER,
    "订阅": _MEMBER,
    "单车": _BIKE,
    "共享单车": _BIKE,
    "骑车": _BIKE,
    "停车": ("停车",),
    "停车费": ("停车",),
    "加油": _FUEL,
    "油费": _FUEL,
    "酒店": _HOTEL,
    "住宿": _HOTEL,
    "旅游": _TRAVEL,
    "旅行": _TRAVEL,
    "房租": _RENT,
    "租房": _RENT,
    "美妆": _BEAUTY,
    "化妆品": _BEAUTY,
    "护肤品": _BEAUTY,
    "母婴": _BABY,
    "奶粉": _BABY,
    "尿不湿": _BABY,
    "图书": _BOOK,
    "买书": _BOOK,
    "健身": _SPORT,
    "运动": _SPORT,
    "家电": _APPLIANCE,
    "电器": _APPLIANCE,
    "游戏": _GAME,
    "红包": ("红包",),
    "转账": ("转账",),
    "保险": _INSURANCE,
    "还款": _CREDIT,
    "信用卡": _CREDIT,
    "快递费": _POSTAGE,
    "寄快递": _POSTAGE,
    "运费": _POSTAGE,
    "鞋": _SHOES,
    "鞋子": _SHOES,
    "KTV": _KTV,
    "唱歌": _KTV,
    "洗衣": _LAUNDRY,
    "日用": (*_GROCERY, "日用", "日用品", "百货", "纸巾", "洗衣"),
    "买菜": _FRESH,
    "菜钱": _FRESH,
    "饭钱": (*_FOOD, *_COFFEE, *_TEA),
    "车钱": _TRANSIT,
    "茶钱": _TEAHOUSE,
    "购物": ("购物", "淘宝", "天猫", "京东", "拼多多", "唯品会", "抖音商城"),
    "网购": ("淘宝", "天猫", "京东", "拼多多", "唯品会", "抖音商城", "网购"),  # a mall is shopping, not 网购
    "娱乐": ("娱乐", "电影", "影院", "影城", "猫眼", "淘票票", "KTV", "游戏"),
    "电影": ("电影", "影院", "影城", "猫眼", "淘票票"),
    "话费": ("话费", "通讯", "中国移动", "中国联通", "中国电信"),
    "通讯": ("通讯", "话费", "中国移动", "中国联通", "中国电信"),
    "水电": _UTILITIES,
    "水电费": _UTILITIES,
    "水电煤": _UTILITIES,
    "生活缴费": _UTILITIES,
    "生活费用": _UTILITIES,
    "缴费": _UTILITIES,
    "燃气": ("燃气", "天然气", "煤气"),
    "燃气费": ("燃气", "天然气", "煤气"),
    "天然气": ("燃气", "天然气", "煤气"),
    "煤气": ("燃气", "天然气", "煤气"),
    "电费": ("电费", "电力"),
    "水费": ("水费", "水务"),
    "医疗": ("医疗", "医院", "药房", "药店", "诊所", "大药房"),
    "看病": _CLINIC,  # places, not the label 医疗 (a blood-pressure meter's category says 医疗器械)
    "看医生": _CLINIC,
    "医院": ("医院", "卫生院", "门诊", "挂号"),
    "就医": _CLINIC,
    "医药费": ("医疗", *_CLINIC),
    "买药": _PHARMACY,
    "药": (*_PHARMACY, "药品"),
    "药店": _PHARMACY,
    "药房": _PHARMACY,
    "药费": _PHARMACY,
    "药钱": _PHARMACY,
    "学费": _SCHOOL,
    "教育": _SCHOOL,
    "培训": _SCHOOL,
    "理发": _HAIR,
    "剪头发": _HAIR,
    "剪头": _HAIR,
    "美发": _HAIR,
    "养老金": _PENSION,
    "退休金": _PENSION,
    "数码": ("数码", "电子", "手机", "耳机", "电脑"),
    "衣服": ("服装", "服饰", "衣服", "女装", "男装", "鞋"),
    "会议": ("会", "评审", "汇报", "面试", "讨论", "培训"),  # calendar titles: 「这周几个会」
}

#: Merchants, brands and apps people name → the names they appear under in the data.
MERCHANTS: dict[str, tuple[str, ...]] = {
    "美团": ("美团",),
    "饿了么": ("饿了么", "饿了吗"),
    "淘宝": ("淘宝",),
    "天猫": ("天猫",),
    "京东": ("京东", "JD"),
    "拼多多": ("拼多多",),
    "抖音": ("抖音",),
    "唯品会": ("唯品会",),
    "支付宝": ("支付宝",),
    "微信": ("微信",),
    "钉钉": ("钉钉",),
    "飞书": ("飞书",),
    "短信": ("短信", "SMS", "sms"),
    "滴滴": ("滴滴",),
    "瑞幸": ("瑞幸", "luckin"),
    "星巴克": ("星巴克", "Starbucks"),
    "麦当劳": ("麦当劳",),
    "肯德基": ("肯德基", "KFC"),
    "盒马": ("盒马",),
    "山姆": ("山姆",),
    "12306": ("12306", "铁路"),
}
#: Of the names above, those that are apps a message or an order can come from (「微信上谁…」).
APPS = ("微信", "钉钉", "飞书", "短信", "淘宝", "天猫", "京东", "拼多多", "美团", "饿了么", "支付宝", "抖音", "唯品会")
#: Apps that pay, rather than sell: 「用支付宝花了多少」 filters by the payment channel.
PAY_CHANNELS = ("支付宝", "微信")

_PLACE = ("地方", "地点", "地址", "会议室", "位置", "改在", "在哪")
_DELAY = ("改期", "改到", "推迟", "延期", "挪到", "延后", "往后推")
#: Words about what a message says → what a message may write instead (matched in message text only).
SAID: dict[str, tuple[str, ...]] = {
    "地方": _PLACE,
    "地点": _PLACE,
    "地址": ("地址", "位置", "定位"),
    "改期": _DELAY,
    "推迟": _DELAY,
    "延期": _DELAY,
    "取消": ("取消", "不去了", "不开了", "不办了"),
    "迟到": ("迟到", "晚点", "晚到", "晚一点", "堵车"),
}
