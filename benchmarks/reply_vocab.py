"""Vocabulary of the generated reply set (:mod:`reply_set`): names, activities, entries, items, places, slots,
and the judge's shared patterns (what an acceptable decline, "already paid" or "will pay" looks like). Written
for issue 17 apart from the reply rules; see :mod:`bench_replies` for the judging protocol.
"""

from __future__ import annotations

SURNAMES = "赵钱孙李吴郑冯陈褚卫蒋沈韩杨朱秦许何吕施孔曹严华金魏陶姜谢邹喻柏水窦章云苏潘葛范彭鲁韦马苗方俞任袁柳"
GIVEN = [
    "子涵",
    "浩然",
    "梓萱",
    "宇轩",
    "欣怡",
    "俊杰",
    "思远",
    "雨桐",
    "嘉怡",
    "明哲",
    "一诺",
    "佳琪",
    "天佑",
    "若曦",
    "泽宇",
    "可馨",
]
ACTIVITIES = ["吃火锅", "看电影", "打羽毛球", "喝咖啡", "逛街", "爬山", "吃烤肉", "去看展", "打球", "吃日料"]
TITLES = ["部门周会", "客户拜访", "牙医复诊", "驾校练车", "家长会", "项目评审", "瑜伽课", "体检", "面试", "培训课"]
ITEMS = ["蓝牙耳机", "空气炸锅", "运动鞋", "保温杯", "机械键盘", "羽绒服", "电动牙刷", "台灯", "行李箱", "咖啡机"]
PLACES = ["万象城", "西湖银泰", "湖滨步行街", "来福士", "龙湖天街", "武林广场"]
STATIONS = [("杭州东", "上海虹桥"), ("南京南", "杭州东"), ("上海虹桥", "苏州北"), ("宁波", "杭州东")]
# (part of day, hour, how it is said)
SLOTS = [("上午", 10, "十点"), ("下午", 15, "三点"), ("下午", 14, "两点"), ("晚上", 19, "七点"), ("晚上", 20, "8点")]
DAYS = [("明天", 1), ("后天", 2)]
PAST_OUT = ["好嘞", "收到～", "可以的", "哈哈好", "没事没事", "行，回头说", "我看看哈", "好的呀", "嗯嗯"]

YES_ACCEPT = r"好|可以|行|没问题|有空|参加|一起|走|去|几点|哪|地址|定"
DECLINE = (
    r"不行|没空|有安排|有事|去不了|来不了|参加不了|换个时间|改天|改到|改成|另约|下次|抱歉|不好意思|"
    r"其他时间|别的时间|哪天"
)
PAID_SAYS = r"(已经|已|刚|早就?)(转|付|交|给|打)|(转|付|交|给|打)过|查收|截图|查一下|看一下|看看"
WILL_PAY = r"(这两天|马上|这就|晚点|稍后|回头|等下|等会|一会|明天|今天|现在)就?(转|付|交|给)|还没(转|付|交)|忘了"
SAYS_PAID = r"(已经|已|早就?)(转|付|交|给)|(转|付|交|给)过|已付款"
