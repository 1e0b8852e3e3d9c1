"""Everyday confusions decided by the word's role in its phrase.

The pairs: 带/戴, 象/像, 必须/必需, 副/幅, 和/喝/合, 作/做, 做/作/坐, 以/已, 即/既.

These pairs sound alike and each member is a common word, so a word-frequency or character-bigram model cannot
tell them apart (带眼镜 and 戴眼镜 are both frequent strings; 必需 and 必须 are both dictionary words). The role
can: 戴 takes something worn (帽子, 眼镜, 口罩), 带 anything carried or led; 像 is a verb ("resemble", 长得真像)
while 象 ends nouns (印象, 现象, 大象); 必须 is an adverb before a verb, 必需 an adjective before 的/品; 幅 counts
pictures and measures change (一幅画, 涨幅, 大幅降价), 副 counts pairs and sets and marks deputies (一副眼镜,
副经理); 喝 takes a drink, 和 a companion, 合 makes 合理/合适/合并; 做 takes a concrete product (做饭, 做蛋糕), 坐 a
vehicle ridden (坐车, 坐了两个小时的火车);
已 ("already") comes before a finished action at a clause end (会议已结束); 既 opens 既…又 (既聪明又努力).

Each rule is a regular expression over the text with the wrong character in group ``x``; guards (look-behind
and look-ahead) leave the correct readings alone (领带, 大象是, 所以, 不得已, 一副对联, 牛奶和咖啡). The word
lists are written by hand for this project and are deliberately narrow: a miss is better than a false alarm.
This is a classical rule layer, not a language model.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_CJK = "\u4e00-\u9fff"
_STOP = "，。！？；、,.!?;\\s"

_WORN = (
    "安全帽|帽子|帽|老花镜|墨镜|眼镜|口罩|手表|头盔|耳环|戒指|项链|手套|围巾|耳机|面具|手镯|发卡|头巾|假发|胸针|"
    "红领巾|花环|首饰|领带"
)
_CARRIED = (
    "孩子|小孩|宝宝|妹妹|弟弟|哥哥|姐姐|女儿|儿子|老人|父母|学生|客人|狗|"
    "伞|雨伞|钱|东西|行李|充电器|身份证|护照|钥匙|书|朋友|衬衫|衣服|[一两几]件|回|到"
)
_DRINKS = "热水|开水|凉水|温水|水|茶|酒|咖啡|牛奶|汤|果汁|饮料|可乐|啤酒|奶茶|豆浆|粥|白酒|红酒"
_PEOPLE = "他们|她们|我们|你们|他|她|我|你|大家|别人|朋友|妈妈|爸爸|同事|家人|老师|同学|孩子|爷爷|奶奶"
_TOGETHER = "一起|说|聊|讲|商量|见面|吵架|去|玩|约|结婚|联系|打招呼|散步|逛|吃|谈"
_PICTURES = "山水画|油画|画|照片|相片|地图|字画|作品|海报|画面|刺绣|壁画|漫画|风景|标语|书法|图"
_SETS = (
    "眼镜|墨镜|手套|扑克|对联|耳环|担子|碗筷|球拍|牌|手镯|嗓子|心肠|面孔|模样|样子|架子|笑脸|表情|神情|口吻|腔调|"
    "嘴脸|德行"
)
_DEPUTY = (
    "总经理|总|校长|主任|院长|部长|市长|局长|经理|主席|教授|会长|组长|班长|董事长|厂长|所长|处长|科长|县长|省长|"
    "镇长|队长|秘书长|总裁|食品|作用|驾驶|标题|产品"
)
_PRODUCTS = (
    "蛋糕|饭|菜|家务|梦|作业|生意|手工|游戏|早餐|早饭|午饭|晚饭|饺子|面包|买卖|好事|坏事|运动|实验|练习|衣服|手术"
)
#: Vehicles one rides (坐车): 做/作 before them is 坐, unless what follows makes it a product or a job (做汽车生意,
#: 作公交司机, 做飞机模型).
_VEHICLES = "公共汽车|公交车|公交|汽车|出租车|出租|的士|地铁|火车|高铁|动车|飞机|轮船|船|大巴|巴士|班车|缆车|摩托车|车"
_NOT_RIDDEN = "模型|票|厂|生意|司机|广告|零件|维修|研究|设计|工作|行业|销售|身|厢|展|贴|牌|标|主|库|间|位"
_DONE = "结束|完成|售罄|到达|截止|关闭|过期|停止|取消|发货|签收|送达|付款|确认|下班|出发|离开|满员"


class Rule(NamedTuple):
    pattern: re.Pattern[str]
    replacement: str
    reason_zh: str


def _rule(pattern: str, replacement: str, reason_zh: str) -> Rule:
    return Rule(re.compile(pattern), replacement, reason_zh)


RULES: tuple[Rule, ...] = (
    # 带 → 戴: 带 (not inside 领带/腰带/带领/一带…) before something worn, in the same clause
    _rule(
        rf"(?<![领腰皮鞋表发丝绷胶磁录一携附顺捎连夹纽热地声音])(?P<x>带)(?![回到去来领])"
        rf"(?=(?:着|上|好|了)?[^{_STOP}带戴]{{0,8}}?(?:{_WORN}))",
        "戴",
        "穿戴在身上的东西（帽子、眼镜、口罩等）用「戴」",
    ),
    # 戴 → 带: 戴 (not 爱戴/拥戴/披星戴月) before something carried or a person led
    _rule(
        rf"(?<![爱拥披])(?P<x>戴)(?=(?:着|了|上)?(?:{_CARRIED}))(?![^{_STOP}]{{0,6}}(?:{_WORN}))",
        "带",
        "携带、带领用「带」，「戴」只用于穿戴",
    ),
    # 象 → 像: the verb "resemble" (长得真像, 好像, 就像, 象个大人, 偶像)
    _rule(r"(?:(?<=[很也都更就好太偶])|(?<=得真))(?P<x>象)(?![棋征牙形])", "像", "表示相似、比如的「像」不写作「象」"),
    _rule(
        r"(?<![大对印形现气景想抽意万物表迹星图假具龙巨乱幻卦天])(?P<x>象)(?=[个你我他她它]|是|一样|这样|那样)",
        "像",
        "表示相似、比如的「像」不写作「象」",
    ),
    # 像 → 象: nouns ending in 象 (印象, 现象, 景象, 抽象, 气象台, 形象, 一头大象)
    _rule(r"(?<=[印景抽])(?P<x>像)(?![一个是你我他她它样])", "象", "「印象」「现象」等词中应为「象」"),
    _rule(r"(?<=现)(?P<x>像)(?=在|很|越来越|的|[，。！？])", "象", "「现象」中应为「象」"),
    _rule(r"(?<=形)(?P<x>像)(?=[，。！？；、的]|$)", "象", "「形象」中应为「象」"),
    _rule(r"(?<=气)(?P<x>像)(?=台|局|预报|卫星|学|站|部门)", "象", "「气象」中应为「象」"),
    _rule(r"(?<=[头只]大)(?P<x>像)", "象", "动物「大象」应为「象」"),
    # 必需 → 必须 before a verb; 必须 → 必需 before 的 + noun or 品
    _rule(
        rf"(?<=必)(?P<x>需)(?![的品之{_STOP}]|用品|物资|营养|条件)(?=[{_CJK}])",
        "须",
        "表示「一定要」的副词是「必须」",
    ),
    _rule(r"(?<=必)(?P<x>须)(?=品|的[\u4e00-\u9fff])", "需", "表示「必不可少的」是「必需」"),
    # 副 ↔ 幅: 幅 counts pictures and measures change; 副 counts sets and marks deputies
    _rule(
        rf"(?<=[一这那两几每整])(?P<x>副)(?=[^{_STOP}]{{0,4}}?(?:{_PICTURES}))",
        "幅",
        "画、照片等用量词「幅」",
    ),
    _rule(
        rf"(?<=[一这那两几每整])(?P<x>幅)(?=[^{_STOP}]{{0,6}}?(?:{_SETS}))",
        "副",
        "成对成套的东西或表情样子用量词「副」",
    ),
    _rule(rf"(?P<x>幅)(?={_DEPUTY})", "副", "表示辅助、第二位的职务或附带的用「副」"),
    _rule(r"(?<=[涨跌增降振篇])(?P<x>副)", "幅", "「涨幅」「篇幅」等词中应为「幅」"),
    _rule(r"(?<=大)(?P<x>副)(?=[度降提上下增减缩改调涨跌回攀])", "幅", "「大幅」表示幅度大，应为「幅」"),
    _rule(r"(?P<x>副)(?=度)", "幅", "「幅度」中应为「幅」"),
    # 和 → 喝 before a drink; 喝/合 → 和 before a companion; 和 → 合 in 合理/合适/合并/合作
    _rule(
        rf"(?<=[多少只不没别要想爱再先还都也常能会去来请快])(?P<x>和)(?=(?:了|点|口|杯|一杯|一口|点儿|些|完|过){{0,2}}"
        rf"(?:{_DRINKS})(?![果平产电库泥手兵店馆厂具叶精桌]))",
        "喝",
        "饮用用「喝」",
    ),
    _rule(
        rf"(?<![结配融联组集综混适整符吻契缝凑])(?P<x>[喝合])(?=(?:{_PEOPLE})(?:{_TOGETHER}))",
        "和",
        "表示「跟、同」用「和」",
    ),
    _rule(
        r"(?<=[不很太挺较最更正])(?P<x>和)(?=理(?![解想论发财])|适|身(?![体上边份])|格(?![式局外])|算(?![术法]))",
        "合",
        "「合理」「合适」「合身」等词中应为「合」",
    ),
    _rule(
        r"(?P<x>和)(?=并(?![且列不非没无])|作(?:了|过|愉快|伙伴|关系|项目|多年|共赢|协议))",
        "合",
        "「合并」「合作」中应为「合」",
    ),
    # 作 → 做 before a concrete product (做饭, 做蛋糕, 做梦, 做作业)
    _rule(
        rf"(?<![工合创写动著操振当叫看称视装化制作协])(?P<x>作)(?=(?:了|过|着|一个|个)?(?:{_PRODUCTS}))",
        "做",
        "制作具体的东西、从事具体的活动用「做」",
    ),
    # 做/作 → 坐 before a vehicle ridden (坐公交车, 坐了五个小时的火车)
    _rule(
        rf"(?<![工合创写动著操振当叫看称视装化制作协])(?P<x>[做作])"
        rf"(?=(?:了|过|着)?(?:[一两几半\d二三四五六七八九十]+个?(?:小时|钟头|分钟|天|夜|站)的?)?"
        rf"(?:{_VEHICLES})(?!{_NOT_RIDDEN}))",
        "坐",
        "乘坐交通工具用「坐」",
    ),
    # 以 → 已 before a finished action at a clause end; 已 → 以 in 以前/以后/以便/可以/所以/难以
    _rule(
        rf"(?<![可所难加予给用借得足])(?P<x>以)(?=(?:{_DONE})(?:[{_STOP}了]|$))",
        "已",
        "表示「已经」用「已」",
    ),
    _rule(r"(?P<x>已)(?=前(?![往进来去])|后(?!悔)|便|免(?![除费税单]))", "以", "「以前」「以后」「以便」中应为「以」"),
    _rule(r"(?<=[可所难加予足])(?P<x>已)(?![经有是知])", "以", "「可以」「所以」「难以」中应为「以」"),
    # 即 → 既 in 既…又 (既聪明又努力, 既便宜又好看); 即使, 即便, 即将, 立即, 随即 … are other words
    _rule(
        rf"(?<![立随旋亦意])(?P<x>即)(?!使|便(?!宜)|将|可|刻|时|日|席|兴)(?=[^{_STOP}]{{1,8}}?又)",
        "既",
        "「既……又……」连接两个并列的性质或动作，应为「既」",
    ),
)


class EverydayFix(NamedTuple):
    start: int
    original: str
    replacement: str
    reason_zh: str


def find(text: str) -> list[EverydayFix]:
    """Every everyday-pair fix the rules are sure of, in text order (offsets are ``str`` indices)."""
    fixes: dict[int, EverydayFix] = {}
    for rule in RULES:
        for m in rule.pattern.finditer(text):
            start = m.start("x")
            if m["x"] != rule.replacement:
                fixes.setdefault(start, EverydayFix(start, m["x"], rule.replacement, rule.reason_zh))
    return [fixes[k] for k in sorted(fixes)]


#: Each rule with the right member in its slot: where it matches, the text as written is what the role asks for
#: (戴 before something worn: 一定要戴头盔).
_AFFIRMING = tuple(re.compile(re.sub(r"\(\?P<x>[^)]*\)", f"(?P<x>{r.replacement})", r.pattern.pattern)) for r in RULES)


def affirmed(text: str) -> frozenset[int]:
    """Offsets where a pair's member stands in the slot its role rule gives it (戴头盔, 很像, 可以). The checks that
    read statistics — the language model and the confusable classifiers — leave these alone: their evidence is
    the surface string (要带头 is frequent), the role rule's is what the word does."""
    return frozenset(m.start("x") for pattern in _AFFIRMING for m in pattern.finditer(text))
