"""A small rule-based intent router: a Chinese question → a typed :class:`~lingxi.features.facts.Query`.

Classical (no language model): regular expressions over the question, jieba words for keywords
(:func:`lingxi.text.tokenize`) and :func:`lingxi.context.timeparse.parse_time` for the time range. The set of
things a personal assistant is asked about its own data is small and closed, so a table of cues routes it
predictably and explainably; anything else falls back to retrieval (``search``). Requests to *do* something
(remind me, add to cart, create an event, message someone) become an ``action`` query naming a tool and its
arguments — the same tool call a tool-calling model would make, so both go through the same confirmation.

A follow-up that points back (「那它现在到哪了？」) reuses the previous query's subject.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lingxi.context.timeparse import TimeWindow, cn_number, parse_time
from lingxi.features.facts import Query
from lingxi.text import tokenize

PLATFORMS = ("京东", "淘宝", "天猫", "拼多多", "美团", "饿了么", "抖音", "唯品会")
CATEGORIES = ("外卖", "餐饮", "交通", "购物", "娱乐", "超市", "生活缴费", "医疗", "通讯")
#: What people call a kind of spending → the words its merchants go by (a payment matches any of them in its
#: merchant, category or the items of the order it paid). Anything else asked about is searched as said.
SPENDING_TERMS: dict[str, tuple[str, ...]] = {
    "打车": ("滴滴", "出租", "T3", "曹操", "高德打车", "花小猪", "网约车"),
    "咖啡": ("咖啡", "瑞幸", "星巴克", "Manner", "库迪", "Tims"),
    "奶茶": ("奶茶", "一点点", "喜茶", "奈雪", "蜜雪", "霸王茶姬", "茶百道", "古茗", "沪上阿姨"),
    "电影": ("电影", "影院", "猫眼", "淘票票", "影城"),
    "话费": ("话费", "中国移动", "中国联通", "中国电信"),
    "电费": ("电费", "电力"),
    "水费": ("水费", "水务"),
    "火车": ("12306", "铁路"),
    "高铁": ("12306", "铁路"),
}
SPENDING_TERMS["出租车"] = SPENDING_TERMS["网约车"] = SPENDING_TERMS["打车"]
#: Words of a spending question that name nothing to filter by.
_SPENDING_WORDS = frozenset(
    {"花", "花了", "花费", "消费", "支出", "开销", "多少", "多少钱", "钱", "共", "一共", "总共", "买", "买的"}
)
_STOP = frozenset(
    [
        "我",
        "我的",
        "的",
        "了",
        "吗",
        "呢",
        "啊",
        "吧",
        "在",
        "买",
        "买的",
        "什么",
        "时候",
        "什么时候",
        "到",
        "多少",
        "钱",
        "花",
        "花了",
        "最近",
        "说",
        "说了",
        "给",
        "跟",
        "和",
        "是",
        "有",
        "现在",
        "帮",
        "帮我",
        "查",
        "查一下",
        "一下",
        "那",
        "它",
        "这个",
        "那个",
        "哪",
        "哪里",
        "到哪",
        "到哪了",
        "了吗",
        "订单",
        "东西",
    ]
)

_SPENDING = re.compile(r"花了|花费|消费|支出|开销|花多少|多少钱")
#: Words of a delivery question that name no item: with only these left, the question is about every order.
_LOGISTICS = frozenset(
    {"快递", "包裹", "快件", "物流", "派送", "送到", "派", "哪", "哪儿", "哪里", "到哪", "到货", "发货", "送达"}
    | {"到了", "订单", "东西", "单号", "运单", "寄", "件"}
)
_ORDER = re.compile(r"到哪|什么时候到|到了吗|物流|快递|发货|送达|订单|买的|买了|买过|下单|网购|包裹")
_FREE = re.compile(r"有空|空闲|有时间|忙不忙|有会|有安排|日程|什么安排|哪些安排|行程")
_FOLLOW = re.compile(r"它|那个|这个|那笔|这笔")
_MERCHANT = re.compile(r"在(\S{2,12}?)(?:花|消费|买)")
_CLOCK = re.compile(
    r"(早上|上午|中午|下午|晚上|傍晚)?(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:点|:|：)(半|(\d{1,2})分?)?"
)
_SENT_TO = re.compile(r"我.{0,4}?(?:给|跟|对|和)(\S{1,6}?)(?:说|讲|发)")
_REMIND = re.compile(r"提醒我(.+)")
_CART = re.compile(r"把(.+?)(?:加入|加到|放进|放到)购物车")
_CALENDAR = re.compile(r"(?:创建|新建|添加|加|建)(?:一个)?日程[:：，,]?(.*)")
_DRAFT = re.compile(r"(?:给|跟)(\S{1,8}?)(?:发|回)(?:个|一条)?(?:消息|微信|短信)[，,:：]?(?:说)?(.+)")


def keywords(text: str) -> list[str]:
    """Content words of ``text`` (jieba), without platform names and question words."""
    for p in PLATFORMS:
        text = text.replace(p, " ")
    return [w for w in tokenize(text) if w not in _STOP]


def _clock_ms(text: str, window: TimeWindow | None, now_ms: int, tz: str) -> int | None:
    """「明天早上8点」→ that instant; the day from the time window (today when none), the hour from the text."""
    m = _CLOCK.search(text)
    if m is None:
        return None
    hour = cn_number(m[2])
    if hour is None or hour > 24:
        return None
    if m[1] in ("下午", "晚上", "傍晚") and hour < 12:
        hour += 12
    minute = 30 if m[3] == "半" else int(m[4]) if m[4] else 0
    zone = ZoneInfo(tz)
    day = datetime.fromtimestamp((window.start_ms if window else now_ms) / 1000, zone).date()
    at = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(hours=hour, minutes=minute)
    return int(at.timestamp() * 1000)


def _strip_time(text: str, window: TimeWindow | None) -> str:
    if window:
        text = text.replace(window.phrase, "")
    return _CLOCK.sub("", text).strip(" ，,。？?")


def _draftable(to: str, text: str, question: str) -> bool:
    """「给张伟发消息说…」 asks for a draft; 「昨天谁给我发消息了」 asks about messages, and must not become one."""
    return to not in ("我", "我们") and "谁" not in question and len(text.strip(" 了吗呢吧？?。")) >= 2


def _action(question: str, window: TimeWindow | None, now_ms: int, tz: str) -> Query | None:
    """A request to do something, as the tool call it maps to (None: not an action)."""
    if m := _REMIND.search(question):
        at = _clock_ms(question, window, now_ms, tz)
        if at is None and window is not None:
            at = window.start_ms + 9 * 3_600_000 if window.end_ms - window.start_ms >= 86_400_000 else window.start_ms
        text = _strip_time(m[1], window) or "待办"
        return Query(kind="action", tool="set_reminder", args={"text": text, "at_ms": at or now_ms + 3_600_000})
    if m := _CART.search(question):
        item = m[1].strip()
        platform = next((p for p in PLATFORMS if p in question), "淘宝")
        item = re.sub(r"^(?:帮我|请)?(?:在)?(?:" + "|".join(PLATFORMS) + ")?(?:上|里)?(?:的)?", "", item) or m[1]
        return Query(kind="action", tool="add_to_cart", args={"item": item, "platform": platform})
    if m := _CALENDAR.search(question):
        start = _clock_ms(question, window, now_ms, tz) or (window.start_ms if window else None)
        if start is None:
            return None
        title = _strip_time(m[1], window) or "日程"
        return Query(
            kind="action",
            tool="create_calendar_event",
            args={"title": title, "start_ms": start, "end_ms": start + 3_600_000},
        )
    if (m := _DRAFT.search(question)) and _draftable(m[1], m[2], question):
        return Query(kind="action", tool="draft_message", args={"to": m[1], "text": m[2].strip()})
    return None


def route(question: str, now_ms: int, tz: str, previous: Query | None = None) -> Query:
    """Map ``question`` to a typed query (rules, no model); ``previous`` resolves 「它」-style follow-ups."""
    window = parse_time(question, now_ms, tz)
    rest = window.strip(question) if window else question
    span: dict[str, object] = (
        {"since_ms": window.start_ms, "until_ms": window.end_ms, "range_phrase": window.phrase} if window else {}
    )
    if action := _action(question, window, now_ms, tz):
        return action
    words = keywords(rest)
    platform = next((p for p in PLATFORMS if p in question), "")
    if previous is not None and previous.kind != "action" and _FOLLOW.search(question) and len(words) <= 1:
        kind = "order_status" if _ORDER.search(question) else previous.kind
        return previous.model_copy(update={"kind": kind, **span})
    if _SPENDING.search(question):
        category = next((c for c in CATEGORIES if c in question), "")
        merchant = "" if category else (m[1] if (m := _MERCHANT.search(rest)) else "")
        asked = [] if category or merchant else [w for w in words if w not in _SPENDING_WORDS]
        terms = sorted({t for w in asked for t in SPENDING_TERMS.get(w, (w,))})
        what = "、".join(asked)
        return Query.model_validate(
            {"kind": "spending", "category": category, "merchant": merchant, "terms": terms, "what": what, **span}
        )
    if _ORDER.search(question):
        items = [w for w in words if w not in _LOGISTICS]  # 「快递」「包裹」 say what kind of question, not which order
        return Query.model_validate({"kind": "order_status", "keywords": items, "platform": platform, **span})
    if _FREE.search(question):
        return Query.model_validate({"kind": "free_busy", **span})
    sent = _SENT_TO.search(rest)
    return Query.model_validate(
        {"kind": "search", "keywords": words or [rest.strip()], "sent_to": sent[1] if sent else "", **span}
    )
