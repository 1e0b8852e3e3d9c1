"""Hand-written reply cases (variants "d" and "e" of the reply set): the case record, its data, the judge.

A :class:`Case` is one whole conversation as typed on WeChat, the user data it needs (``data``: calendar
entries, payments, contact aliases, orders, rides, trains) and its own accept/forbid patterns; the judge
patterns below were written with variant "d", before its first run, and are not changed after it.
:func:`make_hand` turns cases into :class:`reply_set.Item` with a generated user around each (background chats,
distractor entries, orders and payments).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from reply_set import Item, _Gen

# judge patterns of this file (written for it, not shared with reply_vocab)
NO = (
    r"不行|没空|有安排|有事|去不了|来不了|参加不了|赶不上|换个时间|改天|改到|另约|下次|抱歉|不好意思|"
    r"其他时间|哪天|不方便|晚点到|晚到"
)
YES = r"好|可以|行|没问题|有空|参加|来|去|一起|算我|报名|几点|哪|地址|接龙|\+1"
PAID = (
    r"(已经|已|刚|早就?|昨天|上午|早上)(就)?(转|付|交|给|打|A)|(转|付|交|给|打)过|查收|截图|查一下|看一下|看看|收到没"
)
PROMISE = (
    r"(这两天|马上|这就|晚点|稍后|回头|等下|等会|一会|明天|今天|现在|下班)就?(转|付|交|给|A|还)|还没(转|付|交)|忘了"
)
CLAIM_PAID = r"(已经|已|早就?)(转|付|交|给|还)|(转|付|交|给|还)过了|已付款"
WILL = r"转|付|还|给|A|好|没问题|马上|稍等|多少|谢谢"
THANKS = r"谢谢|感谢|谢啦|多谢|哈哈|同喜|请|客气"
BUSY_CLAIM = r"有安排|有事|没空|有会|在忙|没时间|去不了|来不了"
AT = r"(已经|我)到了|到啦|已到|我到门口|刚到"
MOVING = r"车上|路上|分钟|预计|快到|马上|\d{1,2}:\d{2}|\d点|出发"


def _yes_on_busy(title: str) -> str:
    """An answer that says yes with no refusal, other time or the conflicting entry anywhere in it."""
    no = rf"(不|没|改|换|别的|其他|{title}|抱歉|哪天|下次|晚)"
    return rf"^(?!.*{no}).*(好呀|好啊|好的|可以|没问题|参加|一定|准时|有空|行|走起|算我|\+1|来)"


@dataclass
class Case:
    scenario: str
    lines: list[tuple[str, float]]  # (text, minutes ago); 「我:」 starts an outgoing line; {me}: the user's name
    accept: list[str]
    forbid: list[str] = field(default_factory=list)
    data: list[tuple[Any, ...]] = field(default_factory=list)
    group: str = ""  # a group chat's name (the sender is then someone in it)
    no_stock: bool = True
    tie: bool = False  # the last two incoming lines share a timestamp (the later-arrived is answered)
    name: str = ""  # the one-to-one partner's shown name (default: a random name)


def _busy(title: str) -> tuple[list[str], list[str]]:
    return [NO, title], [_yes_on_busy(title)]


def _setup(g: _Gen, c: Case, shown: str) -> list[str]:
    """Write the case's data into the generated user; returns extra accept patterns (a train's arrival)."""
    extra: list[str] = []
    day0 = g.now.replace(second=0, microsecond=0)
    for d in c.data:
        if d[0] == "cal":
            _, plus, hour, minute, minutes, title, *status = d
            at = (day0 + timedelta(days=plus)).replace(hour=hour, minute=minute)
            if status:  # an active version, then the cancelled one
                g.calendar(title, at, minutes, entry_id="D1")
                g.calendar(title, at, minutes, entry_id="D1", status=status[0])
            else:
                g.calendar(title, at, minutes)
        elif d[0] == "pay":
            _, amount, payee, age, category = d
            g.payment(shown if payee == "partner" else payee, amount * 100, age, category)
        elif d[0] == "alias":
            contact = {"contact_id": "K1", "name": d[1], "aliases": [d[2]]}
            g.events.append(
                {"type": "contact", "event_id": g._id(), "user_id": g.user, "source_app": "通讯录",
                 "ts": g.now_ms - 90 * 86_400_000, **contact}
            )  # fmt: skip
        elif d[0] == "order":
            _, name, status = d
            g.order("D1", name, "paid", 4 * 1440)
            g.order("D1", name, "shipped", 3 * 1440, eta=g.now + timedelta(days=1))
            if status != "shipped":
                g.order("D1", name, "out_for_delivery", 300, eta=g.now)
            if status == "delivered":
                g.order("D1", name, "delivered", 90)
        elif d[0] in ("ride", "ride_done"):
            started = d[2] + 30 if d[0] == "ride_done" else d[2]
            eta = g.now + timedelta(minutes=d[3] if d[0] == "ride" else -d[2])
            g.action("滴滴出行", "ride_started", d[1], started, {"destination": d[1], "eta_ts": g.ms(eta)})
        elif d[0] == "train":
            _, a, b, dep, arr = d
            depart, arrive = g.now + timedelta(minutes=dep), g.now + timedelta(minutes=arr)
            no = f"G{g.rng.randrange(1000, 9999)}"
            params = {"train_no": no, "from": a, "to": b, "depart_ts": g.ms(depart), "arrive_ts": g.ms(arrive)}
            g.action("铁路12306", "ticket_booked", f"{a}→{b}", 1440, params)
            hh, mm = arrive.strftime("%H"), arrive.strftime("%M")
            extra.append(rf"{hh}:{mm}|{int(hh)}点{int(mm) or ''}")
    return extra


def make_hand(cases: list[Case], seed: int, per: int, salt: int) -> list[Item]:
    """Each case ``max(1, per // 6)`` times, each time a new generated user, day and background."""
    rng = random.Random(seed * 1000 + salt)
    items = []
    for k, c in enumerate(cases):
        for rep in range(max(1, per // 6)):
            g = _Gen(rng, k * 10 + rep, c.scenario, "a")
            sender = c.name or g.partner
            shown = c.group or sender
            extra = _setup(g, c, sender)
            fill = {"me": g.me, "nick": g.me[1:]}
            for text, age in c.lines:
                out = text.startswith("我:")
                g.msg(text.removeprefix("我:").format(**fill), age, out=out, name=sender)
                g.events[-1]["conversation_name"] = shown
            if c.tie:
                g.events[-1]["ts"] = g.events[-2]["ts"]
            accept = [p.replace("ARRIVE", extra[0]) if extra else p for p in c.accept]
            v2 = any(d[0] == "alias" or (d[0] == "cal" and len(d) > 6) for d in c.data)
            it = g.item(accept, list(c.forbid), c.no_stock, v2)
            it.item_id = f"{c.scenario}-{k:02d}-{rep}"
            items.append(it)
    return items
