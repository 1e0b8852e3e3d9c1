"""The fact check every candidate passes, whoever wrote it (rules, the user's past replies, a language model).

A candidate is read for the claims it makes — accepting or saying "free", promising to pay later or saying
"already paid", saying a parcel is on its way or has arrived, saying "I'm here" or "almost there" — and each
claim is compared with the gathered :class:`~lingxi.features.reply_facts.Facts`. A candidate that
contradicts a fact is rewritten into what the fact says (accept on a busy slot → decline naming the entry and
asking for another time; "这两天转您" after the transfer → 「已经转过了」 with the payment; "在路上" for a
delivered parcel → its status), or dropped when there is nothing to say instead (a made-up conflict on a free
slot; "already paid" with no payment on record). Each note says what was changed and why, and the rewritten
candidate cites the fact it now rests on.

The claims are read with patterns because the check must hold for any writer, including a model that
ignores its instructions; they are deliberately broad (a false "contradiction" only costs a candidate that is
rewritten into the fact's own answer).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from lingxi.features.reply_compose import Reply, fact_answer, is_stock, slot_named
from lingxi.features.reply_facts import Fact, Facts, about_entry, first_window, hhmm, time_windows
from lingxi.features.reply_intent import MessageIntent

__all__ = ["CheckNote", "check", "cite"]

_DECLINE = re.compile(
    r"去不了|来不了|不行|没空|有安排|有事|改天|换个时间|下次|不去了|参加不了|赶不上|有「|不太方便|没时间"
)
_ACCEPT = re.compile(
    r"我参加|参加|有空|可以|好呀|好啊|好的|没问题|行啊|行！|一定到|准时|我去|我来|走起|安排上|约起|没事"
)
#: any sign of "yes" (deliberately broad: on a busy slot a candidate with one of these and no decline is an accept)
_YES = re.compile(r"好|行|可以|没问题|有空|参加|一定|准时|走起|安排上|约起|来|算我|\+1|ok|OK|收到")
_BUSY = re.compile(r"(有安排|有会|没空|有事|在忙|没时间|有约|去不了|来不了|参加不了|赶不上)(?![吗嘛么没？?])")
_PAID = re.compile(r"已经?(转|付|交|给|打)|(转|付|交|给|打)过|(转|付|交|打)(了|好了)|已付款|付款了|请查收")
_WILL_PAY = re.compile(
    r"(这两天|马上|这就|晚点|稍后|回头|等下|等会|一会儿?|明天|现在|下午|晚上|今天|下班)\s*(就)?(转|付|交|给|打|还)|"
    r"还没(转|付|交|给)|忘了(转|付|交)|转你|转给你|给你转|还你|我来付"
)
_ON_WAY = re.compile(r"还没到|在路上|派送|已发货|运输|快到了|没收到|还没收|没到")
_ARRIVED = re.compile(r"到了|签收|收到了|拿到了|已送达|到啦|到手")
_AT_PLACE = re.compile(r"已经到|我到了|到啦|已到|刚到")
_SOON = re.compile(r"马上到|快到了|就到|很快到|五分钟|5分钟|十分钟|10分钟")
_MOVING = re.compile(r"在路上|在车上|车上|快到|马上到|出发了|高铁上|火车上|上车了")
_NOT_LEFT = re.compile(r"还没(出发|出门|走|上车)|没出发|在家|在公司|在单位")
_ARRIVE_AT = re.compile(r"(\d{1,2})[:：](\d{2})\s*(?:左右|前后)?\s*(?:能|就|才|会)?到")
_SOON_MS = 30 * 60_000
_JOKE = re.compile(r"哈哈|😂|🤣|恭喜|同喜|开心")
#: a bare 「好的，收到」 answers none of these (it is a fine "yes" to an invitation or a yes/no question)
_NEEDS_ANSWER = frozenset(
    {"where", "when", "what", "congrats", "sympathy", "money", "call", "shop", "chat", "money_in", "arrived", "request"}
)


class CheckNote(BaseModel):
    """What the check did to one candidate: ``dropped`` or ``rewritten``, the original text and why."""

    action: Literal["dropped", "rewritten"]
    original: str
    reason_zh: str
    fact_id: str = ""


def _other_time(text: str, window: Fact, now_ms: int, tz: str) -> bool:
    """``text`` proposes a time that does not overlap ``window`` (「周四可以吗」 is a counter-proposal), or the
    first free hour after the conflict inside it (「15:00以后我有空」)."""
    free_from = window.alt_ms if window.alt_ms is not None else window.end_ms  # the first free hour after it
    return any(
        end <= window.start_ms or start >= window.end_ms or start == free_from
        for _, start, end in time_windows(text, now_ms, tz)
    )


def _wrong_clock(text: str, eta_ms: int, tz: str) -> bool:
    """``text`` gives an arrival clock time (「13:40到」) more than 10 minutes from the trip's ETA."""
    eta = hhmm(eta_ms, tz)
    eta_min = int(eta[:2]) * 60 + int(eta[3:])
    gaps = (abs(int(h) * 60 + int(m) - eta_min) % 1440 for h, m in _ARRIVE_AT.findall(text))
    return any(min(g, 1440 - g) > 10 for g in gaps)


def _contradiction(
    text: str, message: str, mi: MessageIntent, facts: Facts, now_ms: int, tz: str, *, payments: bool
) -> tuple[Fact | None, str] | None:
    """The fact ``text`` contradicts and why (fact None: no fact to rewrite into, drop it), or None."""
    window = first_window(facts)
    declines = bool(_DECLINE.search(text))
    # a busy slot binds an invitation or a question about that time (a question that names the time, whatever it
    # was taken for) — unless the message is about the busy entry itself (「明天周会我晚到」 is no invitation)
    # — and a plain plan naming a slot (「明天下午两点开会，别忘了」) whatever its intent: 「好的，收到」 is a yes
    named = window is not None and window.phrase in message and mi.question
    asked = mi.intent in ("invitation", "whether", "when") or named or slot_named(window, message)
    busy = window is not None and window.kind == "busy" and asked and not about_entry(window, message)
    # by construction: on a busy slot only a decline, another time, the entry itself or a line with no "yes" in
    # it at all passes — 「好的，收到」「我晚点到」 read as yes too
    if (
        window is not None
        and busy
        and (_ACCEPT.search(text) or _YES.search(text))
        and not declines
        and window.title not in text
        and not _other_time(text, window, now_ms, tz)
    ):
        return window, f"那个时间日历上有「{window.title}」，不能答应"
    if window is not None and window.kind == "free" and _BUSY.search(text) and "「" not in text:
        return None, "日历上那个时间没有安排，不能说有事"
    if facts.payments and _WILL_PAY.search(text) and not _PAID.search(text):
        return facts.payments[0], "付款记录显示已经付过了"
    if (mi.intent == "money" or "money" in mi.topics) and not facts.payments and _PAID.search(text):
        why = "付款记录里没有这笔，不能说已经付了" if payments else "没有授权读取付款记录，无法确认已经付了"
        return None, why
    if facts.orders:  # an order is a fact only when the conversation names it or speaks of parcels
        order = facts.orders[0]
        if order.status == "delivered" and _ON_WAY.search(text):
            return order, "订单已签收，不能说还在路上"
        if order.status != "delivered" and _ARRIVED.search(text) and not _ON_WAY.search(text):
            return order, "订单还没签收，不能说到了"
    if facts.trips:  # whatever the message asked: the user is where the trip says
        trip = facts.trips[0]
        far = trip.eta_ms is not None and trip.eta_ms - now_ms > _SOON_MS
        if trip.status != "done" and _AT_PLACE.search(text):
            return trip, "行程还没到达，不能说已经到了"
        if trip.status == "ongoing" and far and _SOON.search(text):
            return trip, "行程预计到达还要一段时间，不能说马上到"
        if trip.status == "ongoing" and _NOT_LEFT.search(text):
            return trip, "行程已经开始，不能说还没出发"
        if trip.status == "done" and (_SOON.search(text) or _MOVING.search(text)) and not _AT_PLACE.search(text):
            return trip, "行程已经到达，不能说还在路上"
        if trip.status == "upcoming" and _MOVING.search(text):
            return trip, "还没出发，不能说在路上"
        if trip.status != "done" and trip.eta_ms is not None and _wrong_clock(text, trip.eta_ms, tz):
            return trip, "说的到达时间和行程的预计到达时间不符"
    if mi.intent == "sympathy" and _JOKE.search(text):
        return None, "对方在慰问你，不宜说笑或道喜"
    if mi.intent in _NEEDS_ANSWER and is_stock(text):
        return None, "对方在问具体的事（或在祝贺你），「收到」答非所问"
    return None


def check(
    candidates: list[Reply], message: str, mi: MessageIntent, facts: Facts, now_ms: int, tz: str, *, payments: bool
) -> tuple[list[Reply], list[CheckNote]]:
    """``candidates`` with every contradiction rewritten into its fact's answer or dropped, and the notes."""
    kept: list[Reply] = []
    notes: list[CheckNote] = []
    for c in candidates:
        found = _contradiction(c.text, message, mi, facts, now_ms, tz, payments=payments)
        if found is None:
            kept.append(c)
            continue
        fact, why = found
        if fact is None:
            notes.append(CheckNote(action="dropped", original=c.text, reason_zh=why))
            continue
        fixed = fact_answer(fact, now_ms, tz)
        notes.append(CheckNote(action="rewritten", original=c.text, reason_zh=why, fact_id=fact.fact_id))
        kept.append(fixed.model_copy(update={"reason_zh": f"{fixed.reason_zh}（已改写：{why}）"}))
    return kept, notes


def _marks(fact: Fact) -> list[str]:
    """The words that show a candidate speaks of ``fact`` (its entry title, payee and amount, item, place)."""
    marks = [fact.title, fact.place]
    if fact.kind in ("paid", "order"):
        marks.append(fact.phrase)
    if fact.kind == "paid":
        marks.append(f"{fact.amount_fen // 100}元" if fact.amount_fen % 100 == 0 else f"{fact.amount_fen / 100:.2f}元")
    return [m for m in marks if m and len(m) >= 2]


def cite(reply: Reply, facts: Facts) -> Reply:
    """``reply`` citing, besides what it already cites, every fact whose words it uses (a model's line that
    names the meeting or the amount relied on that fact)."""
    found = [f.fact_id for f in facts.all() if any(m in reply.text for m in _marks(f))]
    extra = [f for f in found if f not in reply.citations]
    return reply.model_copy(update={"citations": [*reply.citations, *extra]}) if extra else reply
