"""A labeled set for smart replies: generated users, their data, a conversation, and what an answer may say.

Written for issue 17 apart from the reply rules (other names, phrasings and scenarios than the tests and the
sample user; the judge patterns below say what a person would accept, not what the rules emit). Each item is
one generated user (random name, a few past chats that give a style, distractor calendar entries, orders and
payments) plus one conversation whose latest incoming message is to be answered, and:

* ``accept``: regular expressions; a candidate that matches one (and no ``forbid``) is acceptable;
* ``forbid``: regular expressions for replies that contradict the user's data (accepting a busy slot,
  promising to pay what was paid, "on the way" for a delivered parcel, "I've arrived" in a moving car…);
* ``no_stock``: a bare acknowledgement (「好的，收到」) is not an answer to this message.

Events are v1 kinds except in items marked ``v2`` (a cancelled or moved calendar entry, an ``in_transit``
order, a contact alias), which main cannot ingest in full. ``make_items(seed)`` is deterministic. Variant "d"
(:mod:`reply_set_d`, hand-written, HELD OUT: never tune on it) and dev set "e" (:mod:`reply_set_e`) are apart.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reply_vocab import (
    ACTIVITIES,
    DAYS,
    DECLINE,
    GIVEN,
    ITEMS,
    PAID_SAYS,
    PAST_OUT,
    PLACES,
    SAYS_PAID,
    SLOTS,
    STATIONS,
    SURNAMES,
    TITLES,
    WILL_PAY,
    YES_ACCEPT,
)

ZONE, MIN = ZoneInfo("Asia/Shanghai"), 60_000
BASE = datetime(2026, 10, 12, 12, 30, tzinfo=ZONE)  # a Monday, 12:30


@dataclass
class Item:
    item_id: str
    scenario: str
    user_id: str
    conversation_id: str
    now_ms: int
    events: list[dict[str, Any]]
    accept: list[str]
    forbid: list[str] = field(default_factory=list)
    no_stock: bool = True
    v2: bool = False


class _Gen:
    def __init__(self, rng: random.Random, n: int, scenario: str, variant: str) -> None:
        self.rng, self.n, self.scenario, self.variant = rng, n, scenario, variant
        self.user = f"gen-{scenario}-{n:03d}"
        self.now = BASE + timedelta(days=rng.randrange(0, 21), minutes=rng.randrange(0, 90))
        self.now_ms = int(self.now.timestamp() * 1000)
        self.me = rng.choice(SURNAMES) + rng.choice(GIVEN)
        self.partner = rng.choice(SURNAMES) + rng.choice(GIVEN)
        self.conv = f"wx-{n:03d}"
        self.events: list[dict[str, Any]] = []
        self.seq = 0
        self._background()

    def pick(self, a: list[str], b: list[str], c: list[str]) -> str:
        """A phrasing from template set ``a``, ``b`` or ``c`` (see :func:`make_items`)."""
        return self.rng.choice({"a": a, "b": b, "c": c}[self.variant])

    def _id(self) -> str:
        self.seq += 1
        return f"{self.user}-{self.seq:04d}"

    def ms(self, dt: datetime) -> int:
        return int(dt.timestamp() * 1000)

    def msg(self, text: str, age_min: float, out: bool = False, conv: str = "", name: str = "") -> None:
        self.events.append(
            {"type": "message", "event_id": self._id(), "user_id": self.user, "source_app": "微信",
             "ts": self.now_ms - int(age_min * MIN), "conversation_id": conv or self.conv,
             "conversation_name": name or self.partner, "sender": self.me if out else (name or self.partner),
             "direction": "out" if out else "in", "text": text}
        )  # fmt: skip

    def calendar(self, title: str, start: datetime, minutes: int, **extra: Any) -> str:
        eid = self._id()
        self.events.append(
            {"type": "calendar", "event_id": eid, "user_id": self.user, "source_app": "日历",
             "ts": self.now_ms - 3 * 86_400_000, "title": title, "start_ts": self.ms(start),
             "end_ts": self.ms(start + timedelta(minutes=minutes)), **extra}
        )  # fmt: skip
        return eid

    def order(self, oid: str, item: str, status: str, age_min: int, eta: datetime | None = None, **extra: Any) -> None:
        self.events.append(
            {"type": "order", "event_id": self._id(), "user_id": self.user, "source_app": "淘宝",
             "ts": self.now_ms - age_min * MIN, "order_id": oid, "platform": extra.pop("platform", "淘宝"),
             "items": [{"name": item, "price_fen": 9900}], "total_fen": 9900, "status": status,
             "carrier": "中通快递", "eta_ts": self.ms(eta) if eta else None, **extra}
        )  # fmt: skip

    def payment(self, merchant: str, fen: int, age_min: int, category: str = "转账", channel: str = "微信转账") -> None:
        self.events.append(
            {"type": "payment", "event_id": self._id(), "user_id": self.user, "source_app": "微信",
             "ts": self.now_ms - age_min * MIN, "amount_fen": fen, "merchant": merchant, "direction": "out",
             "channel": channel, "category": category}
        )  # fmt: skip

    def action(self, app: str, action: str, target: str, age_min: int, params: dict[str, Any]) -> None:
        self.events.append(
            {"type": "app_action", "event_id": self._id(), "user_id": self.user, "source_app": app,
             "ts": self.now_ms - age_min * MIN, "app": app, "action": action, "target": target, "params": params}
        )  # fmt: skip

    def _background(self) -> None:
        """Past chats in other conversations (the user's style), and data that must not be confused with the
        conversation's: an entry in three days, an old delivered order, a payment to a shop."""
        rng = self.rng
        friend = rng.choice(SURNAMES) + rng.choice(GIVEN)
        for i in range(rng.randrange(4, 8)):
            self.msg(rng.choice(["周末干嘛呢", "在忙吗", "那个文件看了吗", "晚上吃啥", "明天降温了"]), 3000 - 30 * i,
                     conv="wx-bg", name=friend)  # fmt: skip
            self.msg(rng.choice(PAST_OUT), 2995 - 30 * i, out=True, conv="wx-bg", name=friend)
        day3 = (self.now + timedelta(days=4)).replace(hour=9, minute=0)
        self.calendar(rng.choice(TITLES), day3, 60)
        self.order(f"BG{self.n}", rng.choice(ITEMS) + " 旧款", "delivered", 20 * 1440)
        self.payment(
            rng.choice(["瑞幸咖啡", "美团外卖", "全家便利店"]), rng.randrange(900, 4000), 600, "餐饮", "支付宝"
        )

    def item(self, accept: list[str], forbid: list[str] | None = None, no_stock: bool = True, v2: bool = False) -> Item:
        return Item(f"{self.scenario}-{self.n:03d}", self.scenario, self.user, self.conv, self.now_ms, self.events,
                    accept, forbid or [], no_stock, v2)  # fmt: skip


def _slot(g: _Gen) -> tuple[str, str, datetime]:
    """(day and part of day, the hour as said, the instant): 「明天下午」「三点」."""
    (day, plus), (part, hour, said) = g.rng.choice(DAYS), g.rng.choice(SLOTS)
    at = (g.now + timedelta(days=plus)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return f"{day}{part}", said, at


def _accepts_without_no(title: str) -> str:
    """Accepting (好呀/可以/我参加…) with no refusal, other time or the conflicting entry anywhere in the reply."""
    refusal = rf"(不|没|改|换|别的|其他|{title}|抱歉|哪天|周.|星期|下次)"
    return rf"^(?!.*{refusal}).*(好呀|好啊|好的|可以|没问题|我参加|一定到|准时|有空|行啊|走起|去！)"


def invite_busy(g: _Gen, earlier: bool) -> Item:
    day, hour, at = _slot(g)
    phrase = day + hour
    title, act = g.rng.choice(TITLES), g.rng.choice(ACTIVITIES)
    g.calendar(title, at - timedelta(minutes=g.rng.choice([0, 30, 60])), 120)
    if earlier:
        g.msg(
            g.pick([f"{day}有空不？"], [f"{day}忙不忙？", f"{day}你在不在家"], [f"{day}有安排吗", f"{day}有时间不"]), 40
        )
        g.msg(g.pick(["咋啦"], ["怎么了", "有事？"], ["嗯？", "啥事"]), 35, out=True)
        g.msg(
            g.pick(
                [f"想约你一起{act}", f"好久没聚了，一起{act}呗", f"我这有两张票，一起{act}？"],
                [f"大家想{act}，你来吗", f"叫上你一块儿{act}", f"{act}缺一个人，来凑个数？"],
                [f"想拉你去{act}", f"{act}去不去", f"带你去{act}啊"],
            ),
            30,
        )
    else:
        g.msg(
            g.pick(
                [f"{phrase}一起{act}不？", f"{phrase}有空吗？想约你{act}", f"{phrase}{act}，来不来？"],
                [f"{phrase}出来{act}呗", f"{phrase}我们几个去{act}，你也来吧", f"{phrase}能一起{act}吗？"],
                [f"{phrase}约个{act}？", f"{phrase}{act}，算你一个", f"{phrase}空出来，{act}走起"],
            ),
            10,
        )
    return g.item([DECLINE, title], [_accepts_without_no(title)])


def invite_free(g: _Gen, how: str) -> Item:
    day, hour, at = _slot(g)
    phrase = day + hour
    title, act = g.rng.choice(TITLES), g.rng.choice(ACTIVITIES)
    v2 = how != "plain"
    if how == "cancelled":  # the entry at that time was cancelled: free again
        g.calendar(title, at, 60, entry_id="E1")
        g.calendar(title, at, 60, entry_id="E1", status="cancelled")
    elif how == "moved":  # moved away from that time
        g.calendar(title, at, 60, entry_id="E1")
        g.calendar(title, at + timedelta(days=2), 60, entry_id="E1")
    else:
        g.calendar(title, at + timedelta(hours=g.rng.choice([-5, 4])), 60)
    g.msg(
        g.pick(
            [f"{phrase}一起{act}怎么样？", f"{phrase}有空没，{act}去？", f"约不约，{phrase}{act}"],
            [f"{phrase}出来{act}呗", f"{phrase}我们去{act}，你也来吧", f"{phrase}能一起{act}吗？"],
            [f"{phrase}约个{act}？", f"{phrase}{act}，算你一个", f"{phrase}有兴趣{act}不"],
        ),
        8,
    )
    return g.item([YES_ACCEPT], [r"有安排|有事|没空|有会|在忙|没时间"], v2=v2)


def money(g: _Gen, paid: bool, alias: bool) -> Item:
    amt = g.rng.choice([35, 88, 120, 260, 1800, 2600, 3200])
    kind = g.rng.choice(["rent", "aa", "loan"]) if amt < 1000 else "rent"
    shown = f"房东{g.partner[0]}姐" if alias else g.partner
    if paid:
        merchant = g.partner if alias else shown
        g.payment(merchant, amt * 100, g.rng.randrange(60, 4 * 1440), "房租" if kind == "rent" else "转账")
    if alias:
        g.events.append(
            {
                "type": "contact",
                "event_id": g._id(),
                "user_id": g.user,
                "source_app": "通讯录",
                "ts": g.now_ms - 90 * 86_400_000,
                "contact_id": "K1",
                "name": g.partner,
                "aliases": [shown],
            }
        )
    text = {
        "rent": [f"这个月房租{amt}记得转一下哈", "房租该交啦，别忘了哦", f"月底了，房租{amt}元麻烦转我"],
        "aa": [f"上次吃饭AA，每人{amt}，转我就行", f"聚餐的钱一人{amt}，方便时转我下", "AA的钱你转了吗？"],
        "loan": [f"上回借你的{amt}块方便还一下吗", f"之前垫付的{amt}元记得给我哈", "借你的钱啥时候还呀"],
    }[kind]
    text_b = {
        "rent": [f"房租{amt}该交了", "这月房租您看什么时候方便给一下", f"下个月的房租{amt}，麻烦转下哈"],
        "aa": [f"昨晚的饭钱{amt}，微信转我就好", f"KTV的钱摊下来每人{amt}", f"门票钱{amt}你转我下"],
        "loan": [f"前两天帮你垫的{amt}块，有空还我哈", f"上周借你的{amt}还记得不", "借的那笔钱什么时候方便还"],
    }[kind]
    text_c = {
        "rent": ["房租的事别忘啦", f"本月租金{amt}，记得打给我", f"该交房租了，{amt}"],
        "aa": [f"周末烧烤人均{amt}，记得给我", f"电影票{amt}一张，回头转我", f"蛋糕钱{amt}，大家都转了就差你"],
        "loan": [f"那{amt}块啥时候还我呀", f"上个月借的{amt}，方便的话还我吧", "钱的事你别忘了哈"],
    }[kind]
    g.msg(g.pick(text, text_b, text_c), 6, name=shown)
    for e in g.events:
        if e["type"] == "message" and e["conversation_id"] == g.conv:
            e["conversation_name"] = shown
    if paid:
        return g.item([PAID_SAYS], [WILL_PAY], v2=alias)
    return g.item([r"转|付|还|给|好|没问题|稍等|多少|马上"], [SAYS_PAID], v2=alias)


def parcel(g: _Gen, delivered: bool, v2: bool) -> Item:
    item, oid = g.rng.choice(ITEMS), f"P{g.n}"
    g.order(oid, item, "paid", 4 * 1440)
    g.order(oid, item, "shipped", 3 * 1440, eta=g.now + timedelta(days=1))
    if delivered:
        g.order(oid, item, "out_for_delivery", 400, eta=g.now)
        g.order(oid, item, "delivered", 120)
    else:
        g.order(oid, item, "in_transit" if v2 else "shipped", 300, eta=g.now + timedelta(days=1))
    g.msg(
        g.pick(
            [f"你上次买的{item}到了没？", f"{item}到货了吗，好用不", "你那个快递收到没", f"{item}寄到了吗"],
            [f"{item}收到没呀", f"你网购的{item}到了吗", f"{item}的快递到哪了", f"你新买的{item}怎么样，到手了吗"],
            [f"{item}签收了没？", f"上回你说买了{item}，到手没", f"{item}物流到哪了", f"{item}送到没"],
        ),
        7,
    )
    if delivered:
        return g.item(
            [r"(已经?|都|早)(到|收到|签收)|签收了|收到了|到了(?!吗|没)|拿到"],
            [r"还没|在路上|派送|运输|没到|没收到|快到"],
        )
    return g.item(
        [r"路上|发货|运输|派送|还没到|没到|预计|明天|后天|快到"],
        [r"已经?(到|收到|签收)|签收了|收到了|(?<![快没])到了"],
        v2=v2,
    )


def where_ride(g: _Gen, moving: bool) -> Item:
    place = g.rng.choice(PLACES)
    if moving:
        eta = g.now + timedelta(minutes=g.rng.choice([12, 25, 40]))
        g.action("滴滴出行", "ride_started", place, 10, {"destination": place, "eta_ts": g.ms(eta)})
    b = [f"我在{place}门口了，你呢？", "还要多久到？", "到了吗？就等你了"] if moving else []
    b = b or ["你在哪儿呢", "你人在哪", "现在在哪里啊", "在公司还是在家？"]
    c = (
        ["快到了没？", "还有多远？", "你现在到哪儿了"]
        if moving
        else ["你现在在干嘛呢，在哪", "人在哪儿呢", "你在外面吗？"]
    )
    g.msg(g.pick([f"我到{place}了，你到哪了？", "人呢？我们都到了", "你现在在哪呀", "到哪儿啦"], b, c), 3)
    if moving:
        return g.item([r"车上|路上|快到|分钟|预计|\d{1,2}:\d{2}|马上"], [r"(已经|我)到了|到啦|已到"])
    return g.item([r"定位|位置|在|怎么了|什么事|有事"], [r"(已经|我)到了|到啦|已到|车上|路上"])


def when_train(g: _Gen) -> Item:
    a, b = g.rng.choice(STATIONS)
    # not arrived yet (a first draft had trains that had arrived, labeled as if they had not: fixed on seed 7)
    depart = g.now + timedelta(minutes=g.rng.choice([-30, -20, 60, 150]))
    arrive = depart + timedelta(minutes=g.rng.choice([45, 70, 95]))
    no = f"G{g.rng.randrange(1000, 9999)}"
    g.action(
        "铁路12306",
        "ticket_booked",
        f"{a}→{b}",
        1440,
        {"train_no": no, "from": a, "to": b, "depart_ts": g.ms(depart), "arrive_ts": g.ms(arrive)},
    )
    g.msg(
        g.pick(
            ["你几点到站？我去接你", "高铁几点到啊", f"几点到{b}？", "大概啥时候到？"],
            ["火车几点进站？", f"几点能到{b}啊？我开车去接", "你那班车几点到", "大概几点到呀，我好安排"],
            ["几点的车到？", f"到{b}大概几点", "车几点到站啊", "啥时候能到，晚饭等你"],
        ),
        4,
    )
    hh, mm = arrive.strftime("%H"), arrive.strftime("%M")
    return g.item([rf"{hh}:{mm}|{int(hh)}点{int(mm) or ''}"], [r"(已经|我)到了|到啦|已到"])


def congrats(g: _Gen) -> Item:
    a = ["恭喜升职呀！", "听说你拿到offer了，恭喜恭喜！", "新婚快乐！", "祝贺你考试通过！", "乔迁之喜，恭喜！"]
    b = ["恭喜恭喜，宝宝满月快乐！", "听说你中标了，太厉害了！", "祝贺乔迁新居！", "恭喜你顺利毕业！"]
    c = ["恭喜你当爸爸啦！", "祝贺你拿了一等奖！", "升职加薪，恭喜！", "恭喜你买房啦"]
    g.msg(g.pick(a, b, c), 5)
    return g.item([r"谢谢|感谢|谢啦|多谢|同喜|哈哈"])


def thanks(g: _Gen) -> Item:
    a = ["谢谢你昨天帮我搬家", "太感谢了，文件收到了", "多谢你的推荐，很好吃", "谢啦，礼物很喜欢"]
    b = ["谢谢你的礼物，太贴心了", "感谢帮忙，请你喝奶茶", "多谢你帮我照顾猫", "谢谢你今天来接我"]
    c = ["谢谢你的红包", "辛苦你跑一趟，谢谢", "谢谢你帮我改简历", "感谢你的建议"]
    g.msg(g.pick(a, b, c), 5)
    return g.item([r"不客气|客气|应该的|小事|不用谢|没事|喜欢就好|开心"])


def ask_what(g: _Gen) -> Item:
    a = ["附近有什么好吃的推荐吗？", "晚上吃什么好", "那家新开的火锅店怎么样？", "周末去哪玩比较好？"]
    b = ["有啥好看的电影推荐不？", "这周末去哪儿玩好呢", "送女朋友什么礼物好？", "你觉得这家店怎么样？"]
    c = ["有没有好用的记账App推荐？", "中午吃啥", "你觉得我该买哪款手机", "附近哪家理发店好？"]
    g.msg(g.pick(a, b, c), 5)
    return g.item([r"推荐|试试|要不|问问|不清楚|不太确定|想吃|什么|哪|口味|看看|想想"])


def tie(g: _Gen) -> Item:
    """Two messages with the same timestamp: the one that arrived later (greater id) is the one to answer."""
    ts = g.now_ms - 4 * MIN
    first = g.pick(["对了，明天记得带伞"], ["我明天出差", "晚点把照片发你"], ["我刚到家", "明天开会别迟到"])
    for text in [
        first,
        g.pick(
            ["恭喜你升职！", "听说你升职了，恭喜！"],
            ["恭喜你拿到驾照！", "祝贺你升职！"],
            ["恭喜你通过面试！", "恭喜乔迁！"],
        ),
    ]:
        g.msg(text, 4)
        g.events[-1]["ts"] = ts
    return g.item([r"谢谢|感谢|谢啦|多谢|同喜"])


def info(g: _Gen) -> Item:
    a = ["文件我发你邮箱了", "明天降温，多穿点", "会议改到下午了", "我先下线了，明天聊"]
    b = ["我先走了，你们慢慢吃", "今天下午停电，注意一下", "群里发了新的排班表", "孩子我接回来了"]
    c = ["我把钥匙放门卫了", "车我停地下二层了", "明天的会取消了", "我到家了"]
    g.msg(g.pick(a, b, c), 5)
    return g.item([r"好|收到|谢谢|知道|明白|看|嗯|行"], no_stock=False)


def make_items(seed: int = 7, per: int = 12, variant: str = "a") -> list[Item]:
    """``per`` items per scenario; phrasings "a" (tuned on), "b", "c" (held out once, then fixed on)."""
    rng = random.Random(seed)
    makers = {
        "invite_busy": lambda g: invite_busy(g, earlier=False),
        "invite_busy_earlier": lambda g: invite_busy(g, earlier=True),
        "invite_free": lambda g: invite_free(g, "plain"),
        "invite_free_cancelled": lambda g: invite_free(g, "cancelled"),
        "invite_free_moved": lambda g: invite_free(g, "moved"),
        "money_paid": lambda g: money(g, paid=True, alias=False),
        "money_paid_alias": lambda g: money(g, paid=True, alias=True),
        "money_unpaid": lambda g: money(g, paid=False, alias=False),
        "parcel_delivered": lambda g: parcel(g, delivered=True, v2=False),
        "parcel_transit": lambda g: parcel(g, delivered=False, v2=g.rng.random() < 0.5),
        "where_ride": lambda g: where_ride(g, moving=True),
        "where_nothing": lambda g: where_ride(g, moving=False),
        "when_train": when_train,
        "congrats": congrats,
        "thanks": thanks,
        "ask_what": ask_what,
        "tie": tie,
        "info": info,
    }
    return [make(_Gen(rng, n, name, variant)) for name, make in makers.items() for n in range(per)]
