"""Who the generated users are: names, cities, apps, contacts and habits (none of them is the demo user)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Contact:
    contact_id: str
    name: str
    relation: str
    app: str  # where they usually write: 微信 / 钉钉 / 飞书
    aliases: tuple[str, ...] = ()
    work: bool = False


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str
    city: str
    today: date  # "now" is today 21:30 local time
    work_app: str
    takeout: tuple[str, ...]
    shops: tuple[str, ...]
    channels: tuple[str, ...]
    contacts: tuple[Contact, ...]
    restaurants: tuple[str, ...]
    coffee: str
    grocery: str
    taxi: str
    meetings: tuple[str, ...]
    personal: tuple[str, ...]
    never_merchant: str  # a merchant this user never paid (a question about it has no answer)
    extra: dict[str, str] = field(default_factory=dict)


PROFILES: tuple[Profile, ...] = (
    Profile(
        user_id="qa-zhaozihao",
        name="赵子豪",
        city="武汉",
        today=date(2026, 10, 12),
        work_app="钉钉",
        takeout=("饿了么",),
        shops=("京东", "淘宝"),
        channels=("支付宝",),
        contacts=(
            Contact("c-zh-mom", "老妈", "妈妈", "微信", ("妈",)),
            Contact("c-zh-dad", "老爸", "爸爸", "微信"),
            Contact("c-zh-liuyang", "刘洋", "同事", "钉钉", work=True),
            Contact("c-zh-sun", "孙建国", "老板", "钉钉", ("孙总",), work=True),
            Contact("c-zh-maxiao", "马骁", "朋友", "微信"),
            Contact("c-zh-xujing", "许静", "女朋友", "微信", ("静静",)),
        ),
        restaurants=("蔡林记", "户部巷热干面", "海底捞", "西贝莜面村"),
        coffee="瑞幸咖啡",
        grocery="中百超市",
        taxi="滴滴出行",
        meetings=("周会", "需求评审", "技术分享", "客户电话", "1对1沟通", "上线复盘"),
        personal=("羽毛球", "看电影", "理发"),
        never_merchant="星巴克",
    ),
    Profile(
        user_id="qa-chensiqi",
        name="陈思琪",
        city="深圳",
        today=date(2026, 10, 16),
        work_app="飞书",
        takeout=("美团",),
        shops=("淘宝", "拼多多"),
        channels=("微信支付",),
        contacts=(
            Contact("c-cs-mom", "妈妈", "妈妈", "微信", ("老妈",)),
            Contact("c-cs-bro", "陈思远", "弟弟", "微信", ("弟弟",)),
            Contact("c-cs-huang", "黄敏", "同事", "飞书", work=True),
            Contact("c-cs-zheng", "郑浩然", "老板", "飞书", ("郑总",), work=True),
            Contact("c-cs-wuyue", "吴悦", "朋友", "微信"),
            Contact("c-cs-yang", "杨柳", "室友", "微信"),
        ),
        restaurants=("陶陶居", "太二酸菜鱼", "喜茶", "潮汕牛肉火锅"),
        coffee="Manner咖啡",
        grocery="盒马鲜生",
        taxi="高德打车",
        meetings=("站会", "设计评审", "周报会", "用户访谈", "季度规划会", "供应商沟通"),
        personal=("瑜伽课", "牙医复诊", "看话剧"),
        never_merchant="麦当劳",
    ),
    Profile(
        user_id="qa-zhoujianhua",
        name="周建华",
        city="南京",
        today=date(2026, 10, 20),
        work_app="钉钉",
        takeout=("美团", "饿了么"),
        shops=("京东", "拼多多"),
        channels=("支付宝", "微信支付"),
        contacts=(
            Contact("c-zj-wife", "李红", "妻子", "微信", ("老婆",)),
            Contact("c-zj-daughter", "周小萌", "女儿", "微信", ("萌萌",)),
            Contact("c-zj-wang", "王刚", "同事", "钉钉", work=True),
            Contact("c-zj-qian", "钱立新", "老板", "钉钉", ("钱总",), work=True),
            Contact("c-zj-zheng", "郑卫东", "朋友", "微信", ("老郑",)),
            Contact("c-zj-mom", "母亲", "妈妈", "微信", ("妈",)),
        ),
        restaurants=("南京大牌档", "鸭血粉丝汤", "老乡鸡", "小龙坎火锅"),
        coffee="星巴克",
        grocery="苏果超市",
        taxi="滴滴出行",
        meetings=("部门例会", "预算评审", "安全检查", "供应商谈判", "月度总结", "招聘面试"),
        personal=("家长会", "钓鱼", "体检"),
        never_merchant="瑞幸咖啡",
    ),
)

# Everyday words → the payment category the apps record (the questions use the words, gold uses the category).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "外卖": ("点外卖", "叫外卖", "外卖"),
    "餐饮": ("在外面吃饭", "下馆子", "堂食"),
    "交通": ("打车", "坐车出行"),
    "咖啡": ("喝咖啡", "买咖啡"),
    "超市": ("买菜", "逛超市"),
    "购物": ("网购", "网上买东西"),
    "话费": ("充话费",),
}

MENUS: dict[str, tuple[tuple[str, int], ...]] = {
    "takeout": (
        ("黄焖鸡米饭", 2280),
        ("麻辣香锅", 3560),
        ("酸菜鱼套餐", 4290),
        ("牛肉拉面", 1990),
        ("沙县小吃拌面", 1450),
        ("烤肉饭", 2630),
        ("轻食沙拉", 3180),
        ("煲仔饭", 2750),
    ),
    "goods": (
        ("无线降噪耳机", 59900),
        ("电动牙刷", 19900),
        ("保温杯", 8900),
        ("运动鞋", 39900),
        ("洗衣凝珠", 4990),
        ("空气炸锅", 29900),
        ("机械键盘", 34900),
        ("羽绒服", 69900),
        ("儿童绘本套装", 12800),
        ("抽纸", 3990),
        ("充电宝", 12900),
        ("猫粮", 15800),
    ),
}
