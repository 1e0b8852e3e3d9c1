"""Fields in recognized text: dates, clock times, places, money, pickup codes, tracking numbers, carriers.

Rules over OCR output, so they tolerate what OCR does to a line: spaces dropped or added, full-width
punctuation (``：`` ``￥``), a label and its value on one row. Each function returns ``None`` when the text
does not say; nothing is guessed beyond the stated rules (a date without a year is the next such day).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


#: full-width digits and Latin letters, and the punctuation that carries numbers (：－／．￥), to ASCII;
#: Chinese punctuation (，（）【】) is kept, since extracted values (a merchant, a title) are shown to people
_HALF = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF10, 0xFF5B) if chr(c).isalnum()}
_HALF.update({ord("："): ":", ord("－"): "-", ord("／"): "/", ord("．"): ".", ord("￥"): "¥", 0x3000: " "})


def normalize(text: str) -> str:
    """Full-width digits, letters and number punctuation to ASCII (see ``_HALF``); the rest as it is."""
    return text.translate(_HALF)


def cn_number(s: str) -> int | None:
    """``12``, ``十二``, ``二十三``, ``两`` → int (up to 99); None when not a number."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_DIGITS and c != "十" for c in s):
        return None
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[s] if len(s) == 1 else None


_NUM = r"\d{1,2}|[一二两三四五六七八九十]{1,3}"
_DATE_YMD = re.compile(r"(20\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*[日号]?")
_DATE_MD = re.compile(rf"(?<![\d.])({_NUM})\s*月\s*({_NUM})\s*[日号]")
_DATE_SLASH = re.compile(r"(?<![\d./-])(\d{1,2})[/-](\d{1,2})(?![\d/-])")
_PERIOD = r"(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|晚)?"
_CLOCK = re.compile(rf"{_PERIOD}\s*(\d{{1,2}})\s*[:：]\s*(\d{{2}})")
_CN_CLOCK = re.compile(rf"{_PERIOD}\s*({_NUM})\s*[点時时]\s*(半|一刻|({_NUM})\s*分?)?")


def find_date(text: str, today: date) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD``; a month and day without a year is the next one from today."""
    t = normalize(text)
    m = _DATE_YMD.search(t)
    if m:
        return _ymd(int(m[1]), int(m[2]), int(m[3]))
    m = _DATE_MD.search(t) or _DATE_SLASH.search(t)
    if m:
        month, day = cn_number(m[1]), cn_number(m[2])
        if month is None or day is None:
            return None
        year = today.year
        found = _ymd(year, month, day)
        if found and found < today.isoformat():
            found = _ymd(year + 1, month, day)
        return found
    return None


def _ymd(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _hour(period: str | None, hour: int) -> int:
    if period in ("下午", "傍晚", "晚上", "晚") and hour < 12:
        return hour + 12
    if period == "中午" and hour < 6:
        return hour + 12
    return hour


def find_times(text: str) -> list[str]:
    """Clock times in ``text`` in order, as ``HH:MM`` (``下午3点半`` → 15:30; a range gives both ends).

    A period word (下午) carries over to a later time without one, as in ``下午2:00-4:30``.
    """
    t = normalize(text)
    found: list[tuple[int, str]] = []
    period: str | None = None
    spans: list[tuple[int, int]] = []
    for m in _CLOCK.finditer(t):
        period = m[1] or period
        h, mi = int(m[2]), int(m[3])
        if h < 24 and mi < 60:
            found.append((m.start(), f"{_hour(period, h):02d}:{mi:02d}"))
            spans.append(m.span())
    period = None
    for m in _CN_CLOCK.finditer(t):
        if any(s <= m.start() < e for s, e in spans):
            continue
        hour = cn_number(m[2])
        if hour is None or hour > 24:
            continue
        period = m[1] or period
        minute: int | None = 30 if m[3] == "半" else 15 if m[3] == "一刻" else (cn_number(m[4]) if m[4] else 0)
        if minute is None or minute >= 60:
            continue
        found.append((m.start(), f"{_hour(period, hour) % 24:02d}:{minute:02d}"))
    return [v for _, v in sorted(found)]


_LABEL_VALUE = r"\s*[:：]?\s*(.+)"
_PLACE = re.compile(r"(?:地点|地址|会场|场地|位置|举办地|宴会地点)" + _LABEL_VALUE)


def find_place(text: str) -> str | None:
    """The value after a place label (地点/地址/会场…), up to the end of its row."""
    for row in normalize(text).splitlines():
        m = _PLACE.search(row)
        if m:
            value = m[1].strip(" ：:")
            if value:
                return value
    return None


_AMOUNT = r"[¥Y]?\s*(\d{1,7}(?:,\d{3})*(?:\.\d{1,2})?)\s*元?"
#: labels of the amount actually paid, strongest first
_PAID_LABELS = (
    "实付款",
    "实付金额",
    "实付",
    "实收",
    "支付金额",
    "付款金额",
    "应付金额",
    "应付",
    "合计",
    "总计",
    "总金额",
    "金额",
)


def find_amount_fen(text: str) -> int | None:
    """The amount paid, in fen: the value after the strongest label present, else a lone ``¥`` amount."""
    t = normalize(text)
    rows = t.splitlines()
    for label in _PAID_LABELS:
        for i, row in enumerate(rows):
            pos = row.find(label)
            if pos < 0:
                continue
            m = re.search(_AMOUNT, row[pos + len(label) :])
            if m is None and i + 1 < len(rows):  # the value on the next row (two-column layouts)
                m = re.fullmatch(r"\s*" + _AMOUNT + r"\s*", rows[i + 1])
            if m:
                return _fen(m[1])
    yen = re.findall(r"¥\s*(\d{1,7}(?:,\d{3})*(?:\.\d{1,2})?)", t)
    return _fen(yen[-1]) if len(set(yen)) == 1 else None


def _fen(value: str) -> int | None:
    try:
        return int(Decimal(value.replace(",", "")) * 100)
    except InvalidOperation:
        return None


#: a shelf code (8-3-2051, A12-3-0456) or a plain one (827090, A2056); the dashed form is tried first
_CODE = r"([0-9A-Z]{1,4}(?:-[0-9A-Z]{1,6}){1,3}|[0-9A-Z]{3,10})(?![0-9A-Z-])"
_PICKUP = re.compile(r"(?:取件码|取货码|提货码|取餐码)\s*[:：为是]?\s*" + _CODE)
_PICKUP_INLINE = re.compile(r"凭\s*" + _CODE + r"\s*(?:取件|取货|领取)")


def find_pickup_code(text: str) -> str | None:
    t = normalize(text).replace(" ", "")
    m = _PICKUP.search(t) or _PICKUP_INLINE.search(t)
    return m[1] if m else None


_TRACKING = re.compile(r"(?:运单号|快递单号|物流单号|运单编号|单号)\s*[:：]?\s*([A-Z]{0,4}\d{8,22})")
CARRIERS = (
    "顺丰", "京东", "中通", "圆通", "申通", "韵达", "极兔", "邮政", "EMS", "德邦", "百世", "菜鸟", "丰网",
)  # fmt: skip
_PREFIX_CARRIER = {"SF": "顺丰", "JD": "京东", "JT": "极兔", "YT": "圆通", "ZTO": "中通", "STO": "申通", "DPK": "德邦"}


def find_tracking_no(text: str) -> str | None:
    t = normalize(text).replace(" ", "")
    m = _TRACKING.search(t)
    return m[1] if m else None


def find_carrier(text: str, tracking_no: str | None = None) -> str | None:
    """A carrier named in the text, else one known from the tracking number's prefix."""
    t = normalize(text)
    for c in CARRIERS:
        if c in t and c != "菜鸟":
            return c
    if tracking_no:
        for prefix, name in _PREFIX_CARRIER.items():
            if tracking_no.startswith(prefix):
                return name
    return None
