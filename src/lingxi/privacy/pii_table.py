"""The built-in recognizers as data: one :class:`~lingxi.privacy.pii_types.Recognizer` per way to find a type.

See :mod:`lingxi.privacy.pii` for why they are hand-written and how they run. Patterns see text that
:func:`~lingxi.privacy.pii_normalize.normalize` folded (ASCII digits and letters, plain dashes and spaces).
"""

from __future__ import annotations

import re
import string

from lingxi.privacy import pii_words as words
from lingxi.privacy.pii_checks import has_digit_or_sep, is_bank_card, is_id15, is_id18, is_plate, one_separator
from lingxi.privacy.pii_types import Keywords, Recognizer, RegexGate, predicate


def _cjk_except(stop: str) -> str:
    """Body of a character class: the CJK block without ``stop`` (re has no class subtraction)."""
    ranges, lo = [], 0x4E00
    for cp in sorted({ord(c) for c in stop}):
        if cp > lo:
            ranges.append(f"\\u{lo:04x}-\\u{cp - 1:04x}")
        lo = cp + 1
    ranges.append(f"\\u{lo:04x}-\\u9fff")
    return "".join(ranges)


# --- addresses ----------------------------------------------------------------------------------------

_PLACE = f"[{_cjk_except('在到是住寄送址的了我你他她们与及请把给从去来往为就也还很要想帮找、')}]"
# Every part of an address starts with a digit or letter (building, unit, room, a numbered road), or is
# place characters whose last one, at most 10 characters on, is one of these (the last characters of 省, 自治区,
# 市, 街道, 胡同, 小区, 广场…). A position with neither can only give the empty match, so the lookahead below
# rejects it before the nine optional groups are tried there: the same non-empty matches, found faster.
_PART_ENDS = "省区市州盟县旗道镇乡街路巷同弄园府里庄村苑寓厦场城"
ADDRESS_LOOKAHEAD = rf"(?=[0-9A-Za-z]|{_PLACE}{{0,10}}[{_PART_ENDS}])"
ADDRESS_BODY = (
    rf"(?P<prov>{_PLACE}{{2,6}}?(?:省|自治区))?"
    rf"(?P<city>{_PLACE}{{1,6}}?(?:市|自治州|地区|盟))?"
    rf"(?P<dist>{_PLACE}{{1,6}}?(?:区|县|旗))?"
    rf"(?P<town>{_PLACE}{{1,6}}?(?:街道|镇|乡))?"
    rf"(?:(?P<road>[0-9]?{_PLACE}{{1,8}}?(?:大道|大街|路|街|巷|胡同|弄)(?:[东西南北中]段)?)(?P<num>[0-9]{{1,5}}(?:-[0-9]{{1,4}})?(?:号院|号|弄))?)?"
    rf"(?P<comm>{_PLACE}{{2,8}}?(?:小区|花园|家园|公寓|大厦|广场|新村|新城|苑|府|里|庄|村|园))?"
    r"(?P<bldg>[0-9A-Za-z]{1,3}(?:号楼|栋|幢|座))?"
    r"(?P<unit>[0-9]{1,2}单元)?"
    r"(?P<room>[0-9]{3,5}(?:室|房)?(?![0-9]))?"
)
_ADDRESS = re.compile(ADDRESS_LOOKAHEAD + ADDRESS_BODY)
# Every address _address accepts has a house-level part after a digit, or 市/区/县… then a road.
# One character class first, then the branch for it (a lookbehind): a pattern that opens with a class lets the
# engine skip to those characters, where two branches opening with different classes made it try every position.
_ADDRESS_GATE = RegexGate(
    r"[0-9省市区县镇乡](?:(?<=[0-9])(?:号|弄|栋|幢|座|单元|室|房)|(?<=[省市区县镇乡])[^，。！？\s]{0,12}?(?:路|街|巷|弄|胡同))",
    "0123456789省市区县镇乡",  # each match has a digit or one of these
)
_ADMIN = ("prov", "city", "dist", "town")
_DETAIL = ("num", "comm", "bldg", "unit", "room")


# Where the address starts is the hard part in a language without spaces ("快递放杭州市…"): when the first
# part is a province or city whose name ends in a well-known one (words.KNOWN_PLACES), the span starts there.


def _address(m: re.Match[str], s: int, e: int) -> tuple[int, int] | None:
    """At least three parts, or two with one a house-level detail (门牌号, 小区, 栋, 单元, 室)."""
    first = m.group("prov") or m.group("city")
    if first and m.start() == s:
        name = first[:-1]
        s += next((len(name) - len(k) for k in words.KNOWN_PLACES if name.endswith(k) and len(name) > len(k)), 0)
    parts = [g for g in (*_ADMIN, "road", *_DETAIL) if m.group(g)]
    detail = any(g in _DETAIL for g in parts)
    if m.group("room") and not (m.group("bldg") or m.group("unit") or m.group("room").endswith(("室", "房"))):
        return None
    ok = len(parts) >= 3 or (len(parts) == 2 and detail and parts != ["road", "comm"])
    return (s, e) if ok else None


# --- the recognizers ------------------------------------------------------------------------------------

_B = r"(?<![0-9A-Za-z])"  # boundaries: digit runs must not continue into more digits or letters
_E = r"(?![0-9A-Za-z])"
# Every digit-based type has ten digits or more (a landline 0xx+7, 400/800 and the rest longer), each next to
# the following one or one separator apart — two for a landline's ")" and space after the area code. A date,
# a time or an amount has fewer, so the six patterns behind this gate are not run on it (most digits in
# everyday messages are those).
DIGITS_GATE = r"[0-9](?:[ .)）-]{0,2}[0-9]){9}"
_DIGITS = RegexGate(DIGITS_GATE, "0123456789")
_SEP = "[ .-]?"  # an optional separator between digits (normalize() made every space and dash one of these)
_MOBILE = rf"1{_SEP}[3-9](?:{_SEP}[0-9]){{9}}"
_EMAIL = (
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,10}(?![A-Za-z])"
)
_PROVINCE_ABBR = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Za-hj-np-z"
_WX = r"(?<![A-Za-z])(?:" + "|".join(words.WX_WORDS) + ")"
_QQ = (
    r"(?:(?<![A-Za-z])(?:[Qq]{2}|[Qq](?![A-Za-z0-9&]))|扣扣|企鹅)"
    r"(?!\s*(?:群|音乐|空间|会员|邮箱|钱包|飞车|阅读|浏览器|游戏|币|电竞|号外))"
)


# One gate for every type that needs an @ or a context word: fewer gates is fewer scans per text.
# Passports and permits are only PII beside their document's name: one gate of those names runs both.
_DOC_WORDS = (
    "护照",
    "Passport",
    "passport",
    "PASSPORT",
    "通行证",
    "回乡证",
    "台胞证",
    "旅行证",
    "Home Return",
    "home return",
)
_DOCS = Keywords(_DOC_WORDS)
_WORDS = Keywords(["@", *words.WX_WORDS, *words.QQ_WORDS])
# QQ numbers and Alipay accounts are only PII beside their app's name (Q alone included: 加Q, Q我).
_ACCOUNTS = Keywords(["Q", "q", "扣扣", "企鹅", "支付宝"])

RECOGNIZERS: tuple[Recognizer, ...] = (
    Recognizer(
        "身份证号",
        re.compile(_B + rf"[1-9](?:{_SEP}[0-9]){{16}}{_SEP}[0-9Xx]" + _E),
        100,
        predicate(lambda v: one_separator(v) and is_id18(v)),
        gate=_DIGITS,
    ),
    Recognizer(
        "身份证号",
        re.compile(_B + rf"[1-9](?:{_SEP}[0-9]){{14}}" + _E),
        60,
        predicate(lambda v: one_separator(v) and is_id15(v)),
        gate=_DIGITS,
    ),
    Recognizer(
        "支付宝账号",  # an Alipay account is a phone number or an e-mail address named as one
        re.compile(rf"(?P<v>(?<![0-9A-Za-z+])(?:(?:\+|00)86[ .-]?)?{_MOBILE}(?![0-9A-Za-z])|{_EMAIL})"),
        96,
        context=re.compile("支付宝"),
        before=12,
        gate=_ACCOUNTS,
    ),
    Recognizer(
        "邮箱",
        re.compile(_EMAIL),
        95,
        gate=_WORDS,
    ),
    Recognizer(
        "银行卡号",
        re.compile(_B + rf"[3-6](?:{_SEP}[0-9]){{15,18}}" + _E),
        90,
        predicate(lambda v: one_separator(v) and is_bank_card(v)),
        gate=_DIGITS,
    ),
    Recognizer(
        "手机号",
        re.compile(r"(?<![0-9A-Za-z+])(?:(?:\+|00)86[ .-]?|86-|[(（]\+?86[)）] ?)?(?P<n>" + _MOBILE + ")" + _E),
        85,
        lambda m, s, e: (s, e) if one_separator(m.group("n")) else None,
        gate=_DIGITS,
    ),
    Recognizer(
        "座机",
        re.compile(
            _B + rf"(?:[(（]0[1-9][0-9]{{1,2}}[)）] ?|0(?:10|2[0-9]|[3-9][0-9]{{2}})[ .-]?)[2-9](?:{_SEP}[0-9]){{6,7}}"
            r"(?:(?: ?(?:转|分机|ext\.?|EXT\.?) ?|-)[0-9]{1,5})?" + _E
        ),
        80,
        gate=_DIGITS,
    ),
    Recognizer(
        "400电话",  # 400/800 service numbers: ten digits, grouped any way
        re.compile(_B + rf"[48]00(?:{_SEP}[0-9]){{7}}" + _E),
        78,
        predicate(one_separator),
        gate=_DIGITS,
    ),
    Recognizer(
        "护照号",  # ordinary E+8 digits or E+letter+7, old G, diplomatic D, service S, public-affairs P
        re.compile(_B + r"[A-Z]{1,2}[0-9]{7,8}" + _E),
        75,
        context=re.compile(r"护照|[Pp]assport|PASSPORT"),
        before=20,
        after=8,
        gate=_DOCS,
    ),
    Recognizer(
        "通行证号",  # to HK/Macau C…, home-return H/M…, to Taiwan L/T…, Taiwan compatriots' 8 (or 10+letter) digits
        re.compile(_B + r"(?:[CHMLTW][A-Z]?[0-9]{7,8}(?:[0-9]{2})?|[0-9]{8}(?:[0-9]{2}[A-Z]?)?)" + _E),
        74,
        context=re.compile(r"通行证|回乡证|台胞证|旅行证|[Hh]ome [Rr]eturn"),
        before=16,
        after=8,
        gate=_DOCS,
    ),
    Recognizer(
        "车牌",
        re.compile(
            f"[{_PROVINCE_ABBR}][{_PLATE_LETTER}][·•・ -]?"
            f"(?:[{_PLATE_LETTER}0-9]{{5,6}}|[{_PLATE_LETTER}0-9]{{4}}[挂学警港澳领])" + _E
        ),
        70,
        predicate(is_plate),
        gate=RegexGate(f"[{_PROVINCE_ABBR}][{_PLATE_LETTER}]", string.ascii_letters),  # the letter is rarer
    ),
    Recognizer(
        "微信号",
        re.compile(_WX + r"号?\s*(?:[：:]|是|为|号是)?\s*(?P<v>[A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9@.])"),
        65,
        gate=_WORDS,
    ),
    Recognizer(
        "微信号",
        re.compile(r"(?<![-_A-Za-z0-9@.])[A-Za-z][-_A-Za-z0-9]{5,19}(?![-_A-Za-z0-9@])"),
        64,
        predicate(has_digit_or_sep),
        context=re.compile(_WX),
        before=12,
        gate=_WORDS,
    ),
    Recognizer(
        "QQ号",
        re.compile(_B + r"[1-9][0-9]{4,10}(?![0-9A-Za-z@])"),
        55,
        context=re.compile(_QQ),
        before=12,
        gate=_ACCOUNTS,
    ),
    Recognizer("地址", _ADDRESS, 50, _address, gate=_ADDRESS_GATE),
)

# Look-alikes: any candidate inside one of these is not PII (see the module docstring). Every form starts
# with one of SUPPRESS_FIRSTS (its cue word's first character, a currency sign, a courier prefix letter, v/版 or
# a digit): the lookahead rejects any other position with one test instead of trying all eight forms there,
# which made the scan ~2.5x faster; it cannot change a match.
SUPPRESS_FIRSTS = "订运快物包单编批序型验校动取提核兑券JSYZEDT人¥￥RC尾末后vV版0-9"
SUPPRESS = re.compile(
    f"(?=[{SUPPRESS_FIRSTS}])(?:"
    + "|".join(
        (
            r"(?:(?:订单|运单|快递单|物流单|包裹|单)(?:号|编号)码?|(?<![证照卡户])编号|批次号?|批号|序列号|型号)[^0-9A-Za-z]{0,4}"
            r"[A-Za-z0-9](?:[A-Za-z0-9-]|[ .](?=[A-Za-z0-9]))*",
            r"(?:验证码|校验码|动态码|取件码|取餐码|提货码|核销码|兑换码|券码)[^0-9A-Za-z]{0,8}[A-Za-z0-9-]{4,12}",
            _B + r"(?:JDV?|JDX|SF|YT|YTO|ZTO|ZT|STO|YD|EMS|JT|DPK|TB)[0-9]{8,20}(?![0-9])",
            r"(?:人民币|¥|￥|RMB|CNY)\s*[0-9][0-9,]*(?:\.[0-9]+)?|[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:元|块钱|万元|美元)",
            r"[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?|[0-9]{1,2}[:：][0-9]{2}(?:[:：][0-9]{2})?|[0-9]{1,2}月[0-9]{1,2}[日号]",
            _B + r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?:[0-9]{6})?(?![0-9])",
            r"(?:尾号|末四位|后四位|末尾)(?:为|是)?[：:\s]*[0-9]{4}",
            _B + r"(?:[vV]|版本号?\s*[：:]?\s*)[0-9]+(?:\.[0-9]+)+|[0-9]{1,3}(?:\.[0-9]{1,3}){2,}(?![0-9])",
        )
    )
    + ")"
)
# Every SUPPRESS form holds an ASCII letter, digit or hyphen: a text with none skips the long alternation.
SUPPRESS_NEEDS = re.compile(r"[0-9A-Za-z-]")
