"""An evaluation set for the structured PII types in the forms people and input methods really produce.

Written for issue 15 apart from the recognizers (and before measuring them): the sentences below are my
own chat lines, form fields and notices, phrased the way such values are passed around, not built from
the recognizer's cue lists. What it stresses is *form*: full-width digits and letters (Chinese input
methods type them), zero-width and other invisible characters pasted inside numbers, and separators
(spaces, dashes, dots, ideographic spaces) between digit groups — for every structured type — plus the
passport and permit formats in use, QQ in its many phrasings, Alipay accounts and 400/800 numbers.

Values are random but well-formed (seeded, so the set is the same on every run): resident IDs carry the
GB 11643 check digit, bank cards pass Luhn. Each sentence is built from one template and one rendering of
the value; the labeled span is the rendered value (with its +86 prefix, separators and invisible
characters), never its label. ``HARD_NEGATIVES`` hold digit groups and codes that are not personal data.

Protocol (fixed before the first run): exact span and type for a hit; recall per type, precision over
every span predicted on the whole set, and the share of hard-negative sentences with any span flagged.
"""

from __future__ import annotations

import random
from collections.abc import Callable

ZW = "\u200b"  # zero-width space
ZWJ = "\u200d"
WJ = "\u2060"  # word joiner
BOM = "\ufeff"
IDEO = "\u3000"  # ideographic space
FW = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@.-+",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ＠．－＋",
)

_rng = random.Random(20261206)


def _digits(n: int) -> str:
    return "".join(_rng.choice("0123456789") for _ in range(n))


def _mobile() -> str:
    return "1" + _rng.choice("3456789") + _digits(9)


def _resident_id() -> str:
    area = _rng.choice(["110105", "310104", "330106", "440305", "510107", "320582", "420111", "610113"])
    born = f"{_rng.randint(1950, 2005)}{_rng.randint(1, 12):02d}{_rng.randint(1, 28):02d}"
    body = area + born + _digits(3)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _bank_card(n: int) -> str:
    body = _rng.choice(["622848", "621700", "622202", "623052", "436742"]) + _digits(n - 7)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # doubled: these positions become odd once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def _groups(value: str, sizes: tuple[int, ...], sep: str) -> str:
    out, pos = [], 0
    for size in sizes:
        out.append(value[pos : pos + size])
        pos += size
    if pos < len(value):
        out.append(value[pos:])
    return sep.join(out)


def _zw(value: str, at: tuple[int, ...], mark: str = ZW) -> str:
    chars = list(value)
    for i in sorted(at, reverse=True):
        chars.insert(i, mark)
    return "".join(chars)


Render = Callable[[str], str]


def _fullwidth(value: str) -> str:
    return value.translate(FW)


MOBILE_FORMS: list[Render] = [
    lambda v: v,
    lambda v: _groups(v, (3, 4), " "),
    lambda v: _groups(v, (3, 4), "-"),
    lambda v: _groups(v, (3, 4), "."),
    lambda v: "+86 " + _groups(v, (3, 4), " "),
    lambda v: "+86-" + v,
    lambda v: "0086 " + v,
    lambda v: v.translate(FW),
    lambda v: _groups(v, (3, 4), " ").translate(FW),
    lambda v: _zw(v, (3, 7)),
    lambda v: _zw(v, (5,), WJ),
    lambda v: _groups(v, (3, 4), IDEO),
    lambda v: _groups(v, (3, 3), "-"),
    lambda v: ("+86" + v).translate(FW),
]
ID_FORMS: list[Render] = [
    lambda v: v,
    lambda v: _groups(v, (6, 8), " "),
    lambda v: _groups(v, (6, 4, 4), " "),
    lambda v: _groups(v, (6, 8), "-"),
    lambda v: v.translate(FW),
    lambda v: _zw(v, (6, 14)),
    lambda v: _zw(v, (9,), BOM),
    lambda v: _groups(v, (6, 8), IDEO),
]
CARD_FORMS: list[Render] = [
    lambda v: v,
    lambda v: _groups(v, (4, 4, 4, 4), " "),
    lambda v: _groups(v, (4, 4, 4, 4), "-"),
    lambda v: v.translate(FW),
    lambda v: _groups(v, (4, 4, 4, 4), " ").translate(FW),
    lambda v: _zw(v, (4, 8, 12)),
    lambda v: _zw(v, (6,), ZWJ),
]
LANDLINE_FORMS: list[Render] = [
    lambda v: v,
    lambda v: v.replace("-", " "),
    lambda v: v.replace("-", "."),
    lambda v: "(" + v.replace("-", ")"),
    lambda v: v.translate(FW),
    lambda v: _zw(v, (v.index("-") + 3,)),
    lambda v: v[: v.index("-") + 5] + " " + v[v.index("-") + 5 :],
]
SERVICE_FORMS: list[Render] = [
    lambda v: _groups(v, (3, 3), "-"),
    lambda v: _groups(v, (3, 3), " "),
    lambda v: v,
    lambda v: _groups(v, (4, 3), "-"),
    lambda v: _groups(v, (3, 3), "-").translate(FW),
    lambda v: _zw(v, (3, 6)),
    lambda v: _groups(v, (3, 3), "—"),
]


def _landline() -> str:
    area = _rng.choice(["010", "021", "020", "0571", "0755", "028", "0512", "0731"])
    local = _rng.choice("23456789") + _digits(7 if len(area) == 3 else 6 + _rng.randint(0, 1))
    return f"{area}-{local}"


def _service() -> str:
    return _rng.choice(["400", "800"]) + _rng.choice("16789") + _digits(6)


def _passport() -> str:
    kind = _rng.choice(["E8", "E8", "EA", "G8", "D8", "S8", "P8"])
    if kind == "EA":
        return "E" + _rng.choice("ABCDEFGHJK") + _digits(7)
    return kind[0] + _digits(8)


def _permit() -> str:
    kind = _rng.choice(["C8", "CL", "H8", "M8", "H10", "T8", "L8"])
    if kind == "CL":
        return "C" + _rng.choice("ABCDEFGHJK") + _digits(7)
    return kind[0] + _digits(int(kind[1:]))


def _qq() -> str:
    return _rng.choice("123456789") + _digits(_rng.randint(5, 9))


def _email() -> str:
    user = _rng.choice(["xiaolin", "chen.hao", "wy_2020", "summer88", "zhaoyun"]) + _digits(2)
    return f"{user}@{_rng.choice(['163.com', 'qq.com', 'foxmail.com', 'outlook.com', '126.com'])}"


MOBILE_T = [
    "有事直接打我电话{v}，白天都在",
    "新号码{v}，旧的那个停机了",
    "麻烦让师傅到了联系{v}",
    "紧急联系人电话：{v}",
    "你把这个号{v}转给她，她会帮你",
    "刚才打过来的{v}是谁呀？",
    "预约成功，门店会通过{v}与您确认时间",
    "联系方式 {v}（微信同号）",
    "我爸手机{v}，你下午四点给他打",
    "请拨{v}找前台",
    "收件电话写的{v}对吗",
    "换了个手机号：{v}",
    "报名表里手机那栏填{v}",
    "这是房东的号码 {v} 你存一下",
]
ID_T = [
    "办卡要身份证，我的是{v}",
    "乘客证件号码：{v}",
    "帮我核一下这个身份证号{v}对不对",
    "实名信息 {v} 已提交审核",
    "她的证件号{v}，明天体检要用",
    "投保人身份证号码：{v}",
    "我表弟身份证{v}，帮他挂个号",
    "核验失败：{v} 与姓名不一致",
    "证件号：{v}（居民身份证）",
    "登记一下孩子的身份证，{v}",
]
CARD_T = [
    "工资卡号{v}，开户行是建行",
    "钱打到这张卡上：{v}",
    "退款账户 {v}，户名写我的名字",
    "我的银行卡是{v}，你转过来就行",
    "收款卡号：{v}",
    "绑定的储蓄卡{v}已经注销了",
    "房租请转账到 {v}",
    "卡号{v}，农行的",
]
LANDLINE_T = [
    "办公室电话{v}，工作日九点到五点",
    "座机：{v}",
    "有问题打我们前台{v}",
    "家里电话是{v}，晚上有人",
    "传真和电话都是{v}",
    "联系电话 {v}（总机）",
    "医院挂号处的电话{v}打不通",
]
SERVICE_T = [
    "客服热线{v}，24小时有人接",
    "售后请拨打{v}",
    "有疑问可致电{v}咨询",
    "全国统一服务电话：{v}",
    "投诉的话打{v}",
    "官方热线 {v} 转人工",
]
PASSPORT_T = [
    "护照号{v}，下个月到期",
    "我的护照是{v}，签证材料里要填",
    "出境用的护照号码：{v}",
    "Passport number: {v}",
    "机票上护照信息填{v}就行",
    "因公护照{v}在单位保管",
    "换了新护照，号码是{v}",
    "外交护照号 {v}",
]
PERMIT_T = [
    "港澳通行证号{v}，去香港要带",
    "回乡证{v}过期了，得去换",
    "我的台胞证号码是{v}",
    "往来台湾通行证：{v}",
    "通行证号码 {v}，签注还有两次",
    "澳门居民来往内地通行证{v}",
]
QQ_T = [
    "我QQ号{v}，有空加一下",
    "加我扣扣{v}",
    "qq：{v}",
    "企鹅号{v}，备注一下名字",
    "有事Q我，{v}",
    "我的Q号是{v}",
    "加Q {v} 拉你进群",
    "QQ {v}（同微信名）",
    "扣扣号码 {v}",
    "小号qq是{v}",
    "企鹅{v}，晚上在线",
]
ALIPAY_PHONE_T = [
    "转我支付宝吧，账号{v}",
    "支付宝：{v}",
    "我支付宝是{v}，实名是我",
    "退款到支付宝账号{v}",
]
ALIPAY_MAIL_T = [
    "支付宝账号 {v}",
    "钱打到我支付宝{v}上",
    "收款支付宝：{v}",
]


def _cases() -> list[tuple[str, list[tuple[str, str]]]]:
    plan: list[tuple[str, list[str], list[Render], Callable[[], str]]] = [
        ("手机号", MOBILE_T, MOBILE_FORMS, _mobile),
        ("身份证号", ID_T, ID_FORMS, _resident_id),
        ("银行卡号", CARD_T, CARD_FORMS, lambda: _bank_card(_rng.choice([16, 19]))),
        ("座机", LANDLINE_T, LANDLINE_FORMS, _landline),
        ("400电话", SERVICE_T, SERVICE_FORMS, _service),
        ("护照号", PASSPORT_T, [lambda v: v, lambda v: v.translate(FW), lambda v: _zw(v, (1,))], _passport),
        ("通行证号", PERMIT_T, [lambda v: v, lambda v: v.translate(FW)], _permit),
        ("QQ号", QQ_T, [lambda v: v, lambda v: v.translate(FW), lambda v: _zw(v, (3,))], _qq),
        (
            "支付宝账号",
            ALIPAY_PHONE_T,
            [lambda v: v, lambda v: _groups(v, (3, 4), " "), lambda v: v.translate(FW)],
            _mobile,
        ),
        ("支付宝账号", ALIPAY_MAIL_T, [lambda v: v, lambda v: v.translate(FW)], _email),
    ]
    cases = []
    for typ, templates, forms, make in plan:
        for i, template in enumerate(templates):
            for j in range(3):  # three renderings per template, walking through the forms
                value = forms[(i * 3 + j) % len(forms)](make())
                cases.append((template.format(v=value), [(typ, value)]))
    return cases


CASES = _cases()

HARD_NEGATIVES: list[tuple[str, str]] = [
    ("order", "订单号 4008 2088 2012 3456 已发货"),
    ("tracking", "快递单号：SF 1402 3388 5120，请注意查收"),
    ("money", "本月账单合计 1,380.50 元，最低还款 138.05 元"),
    ("time", "会议改到 13:30－15:00，地点不变"),
    ("date", "有效期 2025.03.01－2030.02.28"),
    ("date", "出生日期：１９９０年１０月０１日"),
    ("version", "请升级到 v13.8.0 以上版本"),
    ("ip", "服务器地址 192.168.100.138，端口 8000"),
    ("code", "取件码 8-3-1205，到驿站报码即可"),
    ("code", "验证码 ４８２９１３，五分钟内有效"),
    ("score", "比分 3-1，第二局 25-23"),
    ("flight", "航班 CA 1501 延误，新的起飞时间 21:40"),
    ("train", "G1234 次列车 05 车 13F"),
    ("room", "房间号 1308，楼层 13"),
    ("zip", "邮编 310000，区号 0571"),
    ("company", "统一社会信用代码 91330106MA2H3X5Q8P"),
    ("invoice", "发票号码 04400180 0111，开票日期 2026-11-20"),
    ("count", "已有 13800 人报名，名额剩 1380 个"),
    ("percent", "同比增长 13.8%，环比下降 0.5%"),
    ("isbn", "ISBN 978-7-5322-1234-5"),
    ("model", "型号 ZW-1380-800，功率 400 W"),
    ("qq", "QQ音乐会员 15 元一个月"),
    ("qq", "加入 QQ 群聊，群里 2000 人"),
    ("alipay", "支付宝到账 138.00 元"),
    ("alipay", "支付宝余额宝收益 4.00 元"),
    ("passport", "护照办理需要 7 到 15 个工作日，费用 120 元"),
    ("permit", "港澳通行证签注 15 元一次"),
    ("service", "拨打 12306 或 95588 查询"),
    ("service", "满 400 减 80，800 以上包邮"),
    ("phone_like", "编号 1380-0138-000 的零件已入库"),
    ("id_like", "资产编号 11010519900307 号柜"),
    ("card_like", "批次 6222 0212 3456 7890 12 号待检"),
    ("fullwidth", "第３组共１３８００人，Ｂ区"),
    ("zw", "温度 2\u200b3 度，湿度 6\u200b0%"),
    ("sep", "坐标 30.2741, 120.1551"),
    ("sep", "尺寸 138 x 80 x 40 cm"),
    ("phone_like", "工号 13800 号，部门 138 组"),
    ("range", "价格区间 1380-13800 元"),
    ("series", "第 1 3 8 0 0 1 期彩票"),
    ("year", "2013-2014 赛季，2015-2016 赛季"),
]

ALL_CASES: list[tuple[str, list[tuple[str, str]]]] = CASES + [(text, []) for _, text in HARD_NEGATIVES]
