"""What people call a kind of spending, a merchant or an app → the words the data uses for it.

A payment says 「瑞幸咖啡」 and category 「餐饮」; the user asks about 「咖啡」, 「吃饭」 or 「喝的」. A
question's word matches an event when any of the word's *terms* occurs in the event's merchant, category,
platform, app or (for a payment linked to an order) the order's items. The defaults cover everyday words and
the major merchants and apps; a deployer extends them with ``<home>/synonyms.toml``::

    [categories]            # a word → more terms (added to the defaults; a new word is a new category)
    "健身" = ["健身", "Keep", "超级猩猩", "乐刻"]
    [merchants]             # a merchant/brand/app the user may name → the names it appears under
    "瑞幸" = ["瑞幸", "luckin"]

(TOML bare keys are ASCII only: quote Chinese words.)
Kept as a plain table (not a knowledge base or embeddings) so an answer's filter is explainable: the
facts name the terms that matched.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from lingxi.errors import InvalidInput

__all__ = ["CATEGORIES", "MERCHANTS", "Synonyms"]

_FOOD = ("餐饮", "外卖", "美团外卖", "饿了么", "餐厅", "饭店", "面馆", "食堂", "麦当劳", "肯德基", "必胜客", "海底捞")
_COFFEE = ("咖啡", "瑞幸", "星巴克", "Manner", "库迪", "Tims", "Costa")
_TEA = ("奶茶", "一点点", "喜茶", "奈雪", "蜜雪", "霸王茶姬", "茶百道", "古茗", "沪上阿姨", "CoCo")
_TAXI = ("滴滴", "出租", "T3", "曹操", "高德打车", "花小猪", "网约车", "打车")
_TRANSIT = ("交通", "地铁", "公交", "12306", "铁路", "航空", "机票", "加油", "停车", "高速", *_TAXI)
_DINE_OUT = ("餐饮", "餐厅", "饭店", "饭馆", "面馆", "酒楼", "火锅", "小吃", "海底捞", "麦当劳", "肯德基", "必胜客")
_TEAHOUSE = ("茶社", "茶馆", "茶楼", "茶坊", "茶室", "茶舍")
_PHARMACY = ("药房", "药店", "大药房", "医药")
_CLINIC = ("医院", "诊所", "门诊", "挂号", "卫生院", "卫生服务中心", *_PHARMACY)
_UTILITIES = ("生活缴费", "水费", "电费", "燃气", "天然气", "水务", "电力", "物业")
_SCHOOL = ("教育", "学费", "培训", "学校", "课程", "老年大学", "辅导")
_HAIR = ("理发", "美发", "发型", "剪发")
_PENSION = ("养老金", "退休金", "社保")
_GROCERY = ("超市", "便利店", "盒马", "永辉", "物美", "沃尔玛", "家乐福", "山姆", "全家", "罗森", "7-Eleven", "美宜佳")

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
    "日用": (*_GROCERY, "日用", "日用品", "百货", "纸巾", "洗衣"),
    "买菜": ("买菜", "生鲜", "叮咚", "盒马", "朴朴", "菜市场"),
    "菜钱": ("买菜", "生鲜", "叮咚", "盒马", "朴朴", "菜市场"),
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


@dataclass
class Synonyms:
    """The table in use: the defaults, extended by the deployer's file."""

    categories: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(CATEGORIES))
    merchants: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(MERCHANTS))

    @classmethod
    def load(cls, home: Path | None) -> Synonyms:
        """Defaults plus ``<home>/synonyms.toml`` when it exists (a malformed file is an error, not ignored)."""
        table = cls()
        path = home / "synonyms.toml" if home else None
        if path is None or not path.is_file():
            return table
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInput(f"{path}: not valid TOML: {exc}", message_zh=f"同义词文件格式错误：{path}") from exc
        for section, target in (("categories", table.categories), ("merchants", table.merchants)):
            entries = raw.get(section, {})
            if not isinstance(entries, dict) or not all(
                isinstance(v, list) and all(isinstance(t, str) and t for t in v) for v in entries.values()
            ):
                raise InvalidInput(
                    f"{path}: [{section}] must map words to lists of strings",
                    message_zh=f'同义词文件 {path} 的 [{section}] 应为「词 = ["词1", "词2"]」',
                )
            for word, terms in entries.items():
                target[word] = tuple(dict.fromkeys((*target.get(word, (word,)), *terms)))
        return table

    def terms(self, word: str) -> tuple[str, ...]:
        """What ``word`` matches in the data: the word itself and its category or merchant terms (「吃饭」 finds a
        message that says 吃饭 as well as a payment at 餐厅)."""
        found = self.categories.get(word) or self.merchants.get(word) or ()
        return found if word in found else (word, *found)

    def words(self) -> list[str]:
        """Every known word, longest first (so 「美团外卖」 is found before 「美团」)."""
        return sorted({*self.categories, *self.merchants}, key=len, reverse=True)

    def find(self, text: str) -> list[tuple[int, str]]:
        """Known words in ``text`` with their positions, without overlaps (longest first)."""
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for word in self.words():
            start = text.find(word)
            while start >= 0:
                end = start + len(word)
                if not any(s < end and start < e for s, e in taken):
                    taken.append((start, end))
                    found.append((start, word))
                start = text.find(word, end)
        return sorted(found)
