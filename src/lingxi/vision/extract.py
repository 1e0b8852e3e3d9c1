"""From recognized text to what it is and what to do: invitation, parcel notice, receipt/bill or chat.

Pure functions over the OCR text (no I/O, no model): :func:`classify` names the kind of picture from
keywords, and :func:`extract` pulls that kind's fields (:mod:`lingxi.vision.fields`). What the user's data
gains from them is decided in :mod:`lingxi.vision.proposals`, always as a proposal to confirm.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from lingxi.vision import fields as f

Kind = Literal["invitation", "parcel", "receipt", "chat", "other"]

KIND_NAMES_ZH: dict[str, str] = {
    "invitation": "邀请/活动通知",
    "parcel": "快递/取件通知",
    "receipt": "小票/账单",
    "chat": "聊天截图",
    "other": "图片文字",
}

_PARCEL = ("取件码", "取货码", "快递", "驿站", "运单", "派送", "包裹", "快递柜", "丰巢", "揽收", "物流")
_RECEIPT = ("实付", "合计", "小票", "收款", "支付成功", "账单", "应付", "总计", "付款金额", "收银", "交易成功")
_INVITE = ("邀请", "诚邀", "邀您", "敬请", "届时", "出席", "参加", "欢迎光临", "婚礼", "宴")
_CHAT_LINE = re.compile(r"^\s*[\w\u4e00-\u9fff]{1,12}\s*[:：]\s*\S")


def classify(text: str) -> Kind:
    """The picture's kind from its words: parcel, receipt, invitation, chat (rows like 「张伟：…」), other."""
    t = f.normalize(text)

    def score(words: tuple[str, ...]) -> int:
        return sum(1 for w in words if w in t)

    parcel, receipt, invite = score(_PARCEL), score(_RECEIPT), score(_INVITE)
    if parcel >= 2 or (parcel and f.find_pickup_code(t)):
        return "parcel"
    if receipt and f.find_amount_fen(t) is not None and receipt >= invite:
        return "receipt"
    if invite and (f.find_date(t, date(2000, 1, 1)) or f.find_times(t)):
        return "invitation"
    rows = [r for r in t.splitlines() if r.strip()]
    if rows and sum(1 for r in rows if _CHAT_LINE.match(r)) >= max(2, len(rows) // 3):
        return "chat"
    return "other"


class Extracted(BaseModel):
    """The fields found (None: the picture does not say)."""

    kind: Kind
    kind_zh: str
    title: str | None = None
    date: str | None = Field(default=None, description="YYYY-MM-DD")
    time: str | None = Field(default=None, description="HH:MM, start")
    end_time: str | None = Field(default=None, description="HH:MM")
    place: str | None = None
    amount_fen: int | None = None
    merchant: str | None = None
    channel: str | None = None
    pickup_code: str | None = None
    tracking_no: str | None = None
    carrier: str | None = None
    parcel_status: Literal["in_transit", "out_for_delivery", "awaiting_pickup", "delivered"] | None = None
    station: str | None = Field(default=None, description="pickup point (驿站/快递柜)")
    messages: list[tuple[str, str]] = Field(default_factory=list, description="chat: (speaker, text) in order")


_TITLE = re.compile(r"(?:邀请您?参加|诚邀您?参加|邀您参加|诚邀您?出席|敬请光临|主题|活动名称|会议名称)\s*[:：]?\s*(.+)")
_CHANNELS = ("微信支付", "支付宝", "云闪付", "银行卡", "信用卡", "现金", "Apple Pay")
_MERCHANT = re.compile(r"(?:商户名称|商户|商家|收款方|门店|店名)\s*[:：]?\s*(.+)")
_STATION = re.compile(
    r"(?:已到|已放入|送达|到达)\s*(?:您的)?\s*([\w\u4e00-\u9fff()（）#号]{2,30}?(?:驿站|快递柜|丰巢|代收点|服务站|快递超市))"
)


def _status(t: str) -> Literal["in_transit", "out_for_delivery", "awaiting_pickup", "delivered"] | None:
    if re.search(r"已签收|已取件|签收成功", t):
        return "delivered"
    if re.search(r"取件码|取货码|待取件|请凭|已到.{0,20}(驿站|快递柜|代收点)|已放入", t):
        return "awaiting_pickup"
    if re.search(r"派送中|正在派送|派件中|快递员.{0,6}(派送|配送)|即将送达", t):
        return "out_for_delivery"
    if re.search(r"运输中|已发货|已揽收|到达.{0,12}(中心|分拨|转运)|发往", t):
        return "in_transit"
    return None


def _first_row(text: str) -> str | None:
    for row in text.splitlines():
        row = row.strip()
        if len(row) >= 2 and not re.fullmatch(r"[\d:：%. ]+|.*(中国移动|中国联通|中国电信|4G|5G).*", row):
            return row
    return None


_STATUS_BAR = re.compile(r"^\s*\d{1,2}:\d{2}(?:[^\u4e00-\u9fff]|中国移动|中国联通|中国电信)*$")


def strip_status_bar(text: str) -> str:
    """Drop a phone screenshot's status bar (a first row that is its clock, signal and battery): its clock
    is not the time of anything in the picture."""
    rows = text.split("\n")
    return "\n".join(rows[1:]) if rows and _STATUS_BAR.match(rows[0]) else text


def _event_times(t: str) -> list[str]:
    """Times on a row that says 时间 or carries a date, else anywhere."""
    for row in t.splitlines():
        if "时间" in row or f.find_date(row, date(2000, 1, 1)):
            found = f.find_times(row)
            if found:
                return found
    return f.find_times(t)


def extract(text: str, today: date, kind: Kind | None = None) -> Extracted:
    """Classify (unless ``kind`` is given) and extract that kind's fields from OCR ``text``."""
    t = strip_status_bar(f.normalize(text))
    k = kind or classify(t)
    out = Extracted(kind=k, kind_zh=KIND_NAMES_ZH[k])
    if k == "invitation":
        m = _TITLE.search(t)
        out.title = m[1].strip() if m else _first_row(t)
        out.date = f.find_date(t, today)
        times = _event_times(t)
        out.time = times[0] if times else None
        out.end_time = times[1] if len(times) > 1 and times[1] > times[0] else None
        out.place = f.find_place(t)
    elif k == "parcel":
        out.pickup_code = f.find_pickup_code(t)
        out.tracking_no = f.find_tracking_no(t)
        out.carrier = f.find_carrier(t, out.tracking_no)
        out.parcel_status = _status(t)
        m = _STATION.search(t.replace(" ", ""))
        out.station = m[1] if m else None
        out.date = f.find_date(t, today)
    elif k == "receipt":
        out.amount_fen = f.find_amount_fen(t)
        m = _MERCHANT.search(t)
        out.merchant = m[1].strip() if m else _first_row(t)
        out.channel = next((c for c in _CHANNELS if c in t), None)
        out.date = f.find_date(t, today)
        times = _event_times(t)
        out.time = times[0] if times else None
    elif k == "chat":
        for row in t.splitlines():
            m = re.match(r"^\s*([\w\u4e00-\u9fff]{1,12})\s*[:：]\s*(.+)$", row)
            if m:
                out.messages.append((m[1], m[2].strip()))
    return out
