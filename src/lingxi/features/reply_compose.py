"""Code-made reply candidates: one per distinct act (answer / accept / decline / ask / thank), chosen by the
message's intent and grounded in the gathered facts, each citing the facts it used.

Why a table of acts per intent rather than the lite tier's retrieval bank alone: the bank matches cue words,
so a question about where the user is got 「好的，收到」 and a congratulation got 「恭喜恭喜！」. Here the
intent decides what kinds of answer fit (a question gets an answer or a question back, never a bare
acknowledgement), and the facts decide what the answer says (the meeting that makes the slot busy, the
transfer already made, the parcel's status, the train's arrival). The bank stays only as filler for plain
information, where an acknowledgement is the right answer.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from lingxi.features.reply_facts import SENT_TO_USER as _SENT_TO_USER
from lingxi.features.reply_facts import Fact, Facts, about_entry, day_hhmm, first_window, yuan
from lingxi.features.reply_intent import FOR_USER, GROUP_BUY, MessageIntent

__all__ = ["FALLBACK", "Act", "Reply", "compose", "fact_answer", "guess_act", "is_stock", "slot_named"]

Act = Literal["answer", "accept", "decline", "ask", "thank", "ack"]


class Reply(BaseModel):
    text: str
    source: Literal["llm", "history", "template"]
    reason_zh: str
    act: Act = "answer"
    citations: list[str] = Field(default_factory=list, description="fact ids this candidate relies on")


_STOCK = re.compile(
    r"^(好的|好|嗯|嗯嗯|收到|知道了|了解|明白|ok|OK)[，,、。！!~～\s]*(收到|知道了|了解|明白)?[。！!~～\s]*$"
)


def is_stock(text: str) -> bool:
    """An acknowledgement that answers nothing (「好的，收到」): wrong for a question or an invitation."""
    return bool(_STOCK.match(re.sub(r"[呀啦哈哦呢😊🙂👌]+", "", text).strip()))


_AVAILABILITY = re.compile(r"有空|有时间|方便|忙吗|忙不忙|在家吗|能来|来得了")
_DECLINES = re.compile(r"去不了|来不了|不行|没空|有安排|改天|下次|不去了|参加不了|不用了|算了")
_ACCEPTS = re.compile(r"好呀|好啊|可以|没问题|行啊|我参加|一定|走起|安排上|这就")


_SLOT_MAX_MS = 4 * 3_600_000
#: a time named for the world or the sender alone, or news of a change, not a proposal to the user
#: (「明天下午三点停电」「我三点到北京」「会改到四点了」; as :mod:`reply_latest` reads news, reminders aside)
_NOT_PROPOSAL = re.compile(
    r"降温|下雨|下雪|停电|停水|放假|天气|气温|改到|改成|取消|推迟|延期|提前|迟到|晚到|请假|再聊|明天聊|回头聊|下线|先走|"
    r"先撤|睡了|我.{0,4}(要|得|会|在|去|出差|不在|回|到|请假|加班)"
)
#: settles a time named earlier in the conversation (「明天下午三点碰个头」…「就这么定了，不见不散」)
_SETTLED = re.compile(r"就这么(定|说)|说定了|定了啊|那就这样|不见不散|到时见|到时候见|老地方见|就这个时间")
#: 「你的快递在驿站放着呢，别忘了拿」 reminds, it asks nothing (「快递到哪了」 asks: 哪/吗/没/几)
_PARCEL_REMINDER = re.compile(r"记得|别忘|放着|放在|放门口|拿一下|取一下|去拿|去取")
_ASKS = re.compile(r"哪|吗|没|几|多久|什么|啥|[？?]")
#: 「台灯收到了吗？好用不」 asks about the delivery too: the order's status still comes first
_ASKS_DELIVERY = re.compile(r"收到|到了|到没|到货|发货|签收|寄")
#: asks whether the user is at a place (「你在公司吗」) — no location on record: neither yes nor no
_AT_PLACE_Q = re.compile(r"在(家|公司|单位|学校|宿舍|店里|办公室|楼下|附近)(吗|不|没|么)")
#: asks for a name, a shop, a contact (「你上次说的那个搬家公司叫啥」)
_NAME_Q = re.compile(r"叫(啥|什么)|什么名字|名字是|电话多少|号码多少|地址(是|在)|链接")
#: a call to gather (「明早七点集合，别迟到」「请准时到场」): its 「别迟到」 is part of the call, not news of a delay
_CALLED_THERE = re.compile(r"集合|到场|请.{0,4}参加|务必(来|到|参加)")


def _called_off(message: str) -> str:
    """``message`` without the 「别迟到」 of a call to gather (a bare 「明天九点的面试别迟到」 stays a reminder)."""
    return re.sub(r"(别|不要)迟到", "", message) if _CALLED_THERE.search(message) else message


_CHOICE = re.compile(r"[^，,。？?]{1,12}还是[^，,。？?]{1,12}([？?]|呢|好|吧)")
#: a shop asking after a delivered order (「您的包裹已签收，对商品还满意吗」), not a friend asking where it was bought
_SHOP_ASKS = re.compile(r"满意|商品|宝贝|签收|亲")
_TOWARD_YOU = re.compile(r"找你|你那|你家|接你|见你|陪你|带你|等你|叫你|一起|咱们|我们|你来|来一趟|过来|你在")


def slot_named(window: Fact | None, message: str) -> bool:
    """``message`` names (or settles, 「就这么定了」) a slot of a few hours (「明天下午两点开会，别忘了」) that is
    not the user's own entry, nor news of the world or the sender's own plans: a proposal for the user's time,
    whatever its intent — so an acknowledgement of it is an acceptance, and the calendar there binds every
    candidate."""
    return (
        window is not None
        and window.kind in ("busy", "free")
        and bool(window.phrase)
        and (window.phrase in message or bool(_SETTLED.search(message)))
        and window.end_ms - window.start_ms <= _SLOT_MAX_MS
        and not about_entry(window, message)
        and (
            not _NOT_PROPOSAL.search(_called_off(message))
            or bool(_TOWARD_YOU.search(message) or FOR_USER.search(message))
        )
    )


def guess_act(text: str) -> Act:
    """The act of a reply someone else wrote (the user's past reply, a model's line), for covering distinct acts."""
    if _DECLINES.search(text):
        return "decline"
    if "？" in text or "?" in text or re.search(r"吗[。！!～~]*$", text):
        return "ask"
    if re.search(r"谢谢|感谢|多谢", text):
        return "thank"
    if _ACCEPTS.search(text):
        return "accept"
    return "ack" if is_stock(text) else "answer"


def _r(text: str, act: Act, reason: str, *facts: Fact) -> Reply:
    return Reply(text=text, source="template", reason_zh=reason, act=act, citations=[f.fact_id for f in facts])


def fact_answer(fact: Fact, now_ms: int, tz: str) -> Reply:
    """The plain answer a fact gives (used first in a reply, and by the check to rewrite a contradiction)."""
    if fact.kind == "busy":
        return _r(
            f"{fact.phrase}我有「{fact.title}」（{fact.span_zh}），去不了，换个时间可以吗？",
            "decline",
            "日历：那个时间有安排",
            fact,
        )
    if fact.kind == "free" and fact.title:  # a long window with one short entry in it
        text = f"好呀，{fact.phrase}除了「{fact.title}」（{fact.span_zh}）都有空。"
        return _r(text, "accept", "日历：那段时间大部分空闲", fact)
    if fact.kind == "free":
        return _r(f"好呀，{fact.phrase}我有空。", "accept", "日历：那个时间空闲", fact)
    if fact.kind == "paid":
        day = day_hhmm(fact.start_ms, now_ms, tz).split(" ")[0]
        text = f"我{day}已经转给{fact.phrase}{yuan(fact.amount_fen)}元了，你查一下。"
        return _r(text, "answer", "付款记录：已经付过", fact)
    if fact.kind == "order":
        return _r(f"我买的{fact.phrase}{fact.title}。", "answer", "订单状态", fact)
    if fact.kind == "trip":
        eta = f"，预计{day_hhmm(fact.eta_ms, now_ms, tz)}到" if fact.eta_ms else ""
        to = f"去{fact.place}的" if fact.place else ""
        if fact.status == "ongoing":
            return _r(f"我在{to}{_vehicle(fact)}上{eta}。", "answer", "行程：正在路上", fact)
        if fact.status == "done":  # 「到了吗」 is answered yes first
            return _r(
                f"到了，我已经在{fact.place}了。" if fact.place else "我已经到了。", "answer", "行程：已到达", fact
            )
        return _r(f"我{day_hhmm(fact.start_ms, now_ms, tz)}出发{eta}。", "answer", "行程：还没出发", fact)
    return _r(f"我在{fact.place}。", "answer", "最近的位置", fact)


FALLBACK = [
    _r("稍等，我看一下。", "answer", "先回一声"),
    _r("我晚点回你。", "answer", "先回一声"),
    _r("具体是什么情况？", "ask", "问清楚"),
]
"""Neutral replies that claim nothing, for when the check leaves fewer than three."""


def _vehicle(trip: Fact) -> str:
    t = trip.title
    if re.match(r"[GDCZTK]\d", t) or "12306" in t or "铁路" in t:
        return "火车" if not t.startswith(("G", "D", "C")) else "高铁"
    if re.match(r"[A-Z0-9]{2}\d{3,4}", t) or "航" in t:
        return "飞机"
    return "车"


def compose(
    mi: MessageIntent, message: str, facts: Facts, now_ms: int, tz: str, *, calendar: bool, payments: bool
) -> list[Reply]:
    """Candidates for a message of intent ``mi``, best first, one per act where the intent allows several."""
    out: list[Reply] = []
    # a question about a parcel or a trip is answered from its state whatever form the question takes
    # (an order is among the facts only when the conversation names it or speaks of parcels)
    # an offer to fetch it is answered, not reported on; 「耳机哪买的，好用吗」 asks about the thing, not its delivery
    if (
        facts.orders
        and mi.intent in ("info", "whether")
        and _PARCEL_REMINDER.search(message)
        and not _ASKS.search(message)
    ):
        # 「你的快递在驿站放着呢，别忘了拿」 tells, it does not ask: thanks, not the order's status
        out.append(_r("好的，谢谢提醒，我一会儿去拿！", "thank", "对方在提醒你取快递"))
    elif facts.orders and mi.intent == "shop" and facts.orders[0].status == "delivered" and _SHOP_ASKS.search(message):
        out.append(_r("收到了，挺好的，谢谢～", "answer", "订单已签收", facts.orders[0]))
    elif (
        facts.orders
        and mi.intent not in ("money", "money_in", "offer", "thanks", "congrats", "sympathy")
        and (mi.intent != "shop" or _ASKS_DELIVERY.search(message))
    ):
        out.append(fact_answer(facts.orders[0], now_ms, tz))
    elif "parcel" in mi.topics and mi.question and mi.intent not in ("money", "offer"):  # none of the user's orders
        end = "，谢谢！" if _SENT_TO_USER.search(message) else "。"
        out.append(_r(f"我查一下快递，收到了跟你说{end}", "answer", "订单里没有对方说的这件，先不下结论"))
    if mi.intent in ("where", "when", "whether") and facts.trips and ("trip" in mi.topics or mi.intent == "where"):
        out.append(fact_answer(facts.trips[0], now_ms, tz))
    window = first_window(facts)
    if mi.intent in ("what", "whether") and window is None and _CHOICE.search(message):  # 「要A还是B？」
        out.append(_r("都行，你看着定吧～", "answer", "对方让你二选一（没有相关记录：交给对方定）"))
    if mi.intent in ("where", "when") and facts.trips and facts.trips[0].status == "ongoing" and window is None:
        out.append(fact_answer(facts.trips[0], now_ms, tz))  # 「还要多久」 on the way: the ride's ETA
    match mi.intent:
        case "invitation":
            if window is not None and about_entry(window, message):  # invited to the entry the user already has
                out += [
                    _r(f"好的，「{window.title}」我会到。", "accept", "日历上已有这个安排", window),
                    _r("好的，具体在哪儿？", "ask", "问清地点", window),
                    _r("我可能会晚一点到。", "answer", "日历上已有这个安排", window),
                ]
            elif window is None and _FEAST.search(message):  # 「下个月结婚，一定来喝喜酒」: congratulate, then come
                out += [_r(t, a, "喜事邀请") for t, a in _FEAST_LINES]
            elif window is None and GROUP_BUY.search(message):  # 「团购/拼单，要几份」: a share, not a time
                out += [_r(t, a, "团购/拼单") for t, a in _GROUP_BUY_LINES]
            else:
                out += _invitation(window, now_ms, tz, calendar)
        case "money":
            out += _money(facts, now_ms, tz, payments)
        case "where":
            out += [fact_answer(facts.places[0], now_ms, tz)] if facts.places else []
            if not facts.places and not facts.trips and _AT_PLACE_Q.search(message):  # 「你在公司吗？我过去找你」
                out.append(_r("你过来前说一声，我看看在不在。", "answer", "没有位置记录：不说在或不在"))
        case "what" if _NAME_Q.search(message):  # 「那家公司叫啥」: the user knows or can look it up
            out.append(_r("我找找，回头发你。", "answer", "对方问名字或出处（没有相关记录）"))
        case "when":
            out += [fact_answer(window, now_ms, tz)] if window is not None and mi.question else []
        case "whether":
            if window is not None and (_AVAILABILITY.search(message) or slot_named(window, message)):
                out += [fact_answer(window, now_ms, tz)]
        case "info" if slot_named(window, message):  # a plain plan (「明天下午两点开会，别忘了」) asks for that time
            out += _invitation(window, now_ms, tz, calendar)
    return out + [_r(text, act, reason) for text, act, reason in _LINES.get(mi.intent, ())]


#: the candidates each intent always offers after the fact-based ones, one per act where it allows several
#: (text, act, why): a table rather than one block per intent, so adding an intent is adding a row
_LINES: dict[str, tuple[tuple[str, Act, str], ...]] = {
    "congrats": (
        ("谢谢！", "thank", "对方在祝贺你"),
        ("谢谢～改天请你吃饭！", "thank", "对方在祝贺你"),
        ("哈哈谢谢，同喜同喜！", "thank", "对方在祝贺你"),
    ),
    "sympathy": (
        ("谢谢关心，我会照顾好自己的。", "thank", "对方在关心你"),
        ("谢谢你，有心了。", "thank", "对方在关心你"),
        ("还好，谢谢你惦记，别担心。", "answer", "对方在关心你"),
    ),
    "thanks": (
        ("不客气！", "answer", "对方在道谢"),
        ("小事，应该的。", "answer", "对方在道谢"),
        ("不用谢，随时找我。", "answer", "对方在道谢"),
    ),
    "offer": (
        ("好呀，麻烦你了，谢谢！", "accept", "对方主动帮忙"),
        ("不用啦，我自己来就行，谢谢～", "decline", "对方主动帮忙"),
        ("方便吗？不方便就不用麻烦了。", "ask", "对方主动帮忙"),
    ),
    "where": (
        ("我发个定位给你。", "answer", "对方问你在哪（没有位置记录，发定位最准）"),
        ("怎么了，找我有事吗？", "ask", "问清来意"),
        ("我晚点联系你。", "answer", "先回一声"),
    ),
    "when": (
        ("我确认一下时间再告诉你。", "answer", "对方问时间（没有相关记录）"),
        ("你那边什么时间方便？", "ask", "问对方的时间"),
        ("我看下安排，晚点回你。", "answer", "先回一声"),
    ),
    "what": (
        ("你想要什么样的？我帮你想想。", "ask", "问清需求"),
        ("这个我不太清楚，我问问再告诉你。", "answer", "对方在问事情（没有相关记录）"),
        ("你有推荐吗？", "ask", "反问对方"),
    ),
    "whether": (
        ("我确认一下再回你。", "answer", "是非问题（没有相关记录）"),
        ("你是说哪件事？", "ask", "问清问题"),
        ("稍等，我看一下。", "answer", "先回一声"),
    ),
    "greeting": (
        ("在的，请说。", "answer", "对方在打招呼"),
        ("在呢，怎么了？", "ask", "问清来意"),
        ("在，刚看到消息。", "answer", "对方在打招呼"),
    ),
    "arrived": (
        ("马上下来！", "answer", "对方已到，在等你"),
        ("好的，稍等，我这就来。", "answer", "对方已到，在等你"),
        ("辛苦等一下，两分钟就到。", "answer", "对方已到，在等你"),
    ),
    "request": (
        ("好的，没问题！", "accept", "对方请你帮个小忙"),
        ("可以，我等下弄好告诉你。", "accept", "对方请你帮个小忙"),
        ("稍等，我晚点弄。", "answer", "对方请你帮个小忙"),
    ),
    "call": (
        ("可以，你打过来吧。", "accept", "对方问现在能否通话"),
        ("稍等，我一会儿打给你。", "answer", "对方问现在能否通话"),
        ("现在不太方便，晚点我打给你。", "decline", "对方问现在能否通话"),
    ),
    "shop": (
        ("挺好用的，我找找链接发你。", "answer", "对方问在哪买的、好不好用"),
        ("网上买的，回头把链接发你～", "answer", "对方问在哪买的"),
        ("还不错，你也想入一个吗？", "ask", "反问对方"),
    ),
    "chat": (
        ("还行，老样子，你呢？", "answer", "对方在闲聊近况"),
        ("最近挺忙的，你最近怎么样？", "ask", "对方在闲聊近况"),
        ("没干嘛，在家休息了，你呢？", "answer", "对方在闲聊近况"),
    ),
    "money_in": (
        ("好的，谢谢～我查收一下。", "thank", "对方给你转钱（没有收款记录，不说已收到）"),
        ("太客气了，谢谢！", "thank", "对方给你转钱"),
        ("不用这么急的，谢谢～", "answer", "对方给你转钱"),
    ),
    "info": (
        ("好的，收到。", "ack", "对方在告知"),
        ("好的，谢谢告知！", "thank", "对方在告知"),
        ("明白，有需要再找你。", "ack", "对方在告知"),
    ),
}


def _money(facts: Facts, now_ms: int, tz: str, payments: bool) -> list[Reply]:
    """Already paid → say so with the payment; not paid (and payments readable) → pay or ask; unknown → check."""
    if facts.payments:
        paid = facts.payments[0]
        return [
            fact_answer(paid, now_ms, tz),
            _r("没收到吗？我截个图给你。", "ask", "付款记录：已经付过", paid),
            _r("我这边显示转过了，你那边看一下。", "answer", "付款记录：已经付过", paid),
        ]
    if payments:
        return [
            _r("好的，我这就转给你。", "accept", "付款记录里没有这笔"),
            _r("多少钱？我算一下转你。", "ask", "问清金额"),
            _r("稍等，我晚点转你。", "decline", "付款记录里没有这笔"),
        ]
    return [
        _r("我查一下转没转，稍后回你。", "ask", "没有读取付款记录的授权，先不下结论"),
        _r("多少钱？我确认一下。", "ask", "问清金额"),
    ]


_FEAST = re.compile(r"结婚|喜酒|婚礼|订婚|满月|升学宴|乔迁")
_FEAST_LINES: tuple[tuple[str, Act], ...] = (
    ("恭喜恭喜！到时候一定到！", "accept"),
    ("恭喜！具体哪天、在哪儿？", "ask"),
    ("恭喜恭喜！那天我看看安排，尽量过去。", "answer"),
)
_GROUP_BUY_LINES: tuple[tuple[str, Act], ...] = (
    ("好呀，算我一份！", "accept"),
    ("我要一份，怎么付款？", "ask"),
    ("这次先不要了，谢谢～", "decline"),
)

#: a decline that claims no conflict (the calendar may be free: 「去不了」 would be a false claim)
_NOT_THIS_TIME = "这次我先不去了，下次再约～"


def _invitation(window: Fact | None, now_ms: int, tz: str, calendar: bool) -> list[Reply]:
    if window is not None and window.kind == "busy":
        out = [
            fact_answer(window, now_ms, tz),
            _r("那天我有安排，改天行吗？你哪天方便？", "ask", "日历：那个时间有安排", window),
            _r("那个时间我参加不了，抱歉。", "decline", "日历：那个时间有安排", window),
        ]
        if window.alt_ms is not None:  # offer the first free hour after the conflict instead of a second decline
            when = day_hhmm(window.alt_ms, now_ms, tz)
            offer = _r(f"{when}以后我有空，改到那时可以吗？", "ask", "日历：冲突之后的第一个空闲时段", window)
            return [out[0], offer, out[1]]
        return out
    if window is not None:
        return [
            fact_answer(window, now_ms, tz),
            _r("好呀，几点、在哪儿？", "ask", "问清时间地点", window),
            _r(_NOT_THIS_TIME, "decline", "婉拒（日历上没有冲突：不说「去不了」）"),
        ]
    reason = "没有说时间，先问清楚" if calendar else "没有读取日历的授权，先问时间"
    return [
        _r("好呀，什么时间？", "ask", reason),
        _r("听起来不错，具体哪天？我看看安排。", "ask", reason),
        _r(_NOT_THIS_TIME, "decline", "婉拒（不编造冲突）"),
    ]
