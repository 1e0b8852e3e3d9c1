"""Everyday Chinese questions over a generated user, each with its spec, gold answer and shape label.

Phrasings vary on purpose (several templates per shape, colloquial forms); the gold comes from
:func:`qa_eval.gold.evaluate` on the user's events at "now". Shapes: ``category_spend``, ``sum``, ``first_last``,
``count``, ``list``, ``exists``, ``field``, ``free_busy``, ``who_said``, ``not_found``.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from qa_eval.clock import Window, days, hour_phrase, local_day, md, ms
from qa_eval.gold import evaluate, latest
from qa_eval.profiles import CATEGORY_WORDS, Profile
from qa_eval.users import Event, fact_assignment, now_ms
from qa_eval.windows import makeup_day, phrases

Item = dict[str, Any]


def _w(w: Window) -> dict[str, int]:
    return {"start": w.start_ms, "end": w.end_ms}


class Gen:
    def __init__(self, p: Profile, events: list[Event], seed: int) -> None:
        self.p, self.events, self.now = p, events, now_ms(p)
        self.rng = random.Random(f"q-{seed}-{p.user_id}")
        self.items: list[Item] = []

    def win(self) -> tuple[str, Window]:
        return self.rng.choice(phrases(self.p.today, self.now, self.rng))

    def add(self, shape: str, text: str, spec: dict[str, Any]) -> None:
        if any(i["question"] == text for i in self.items):
            return
        gold = evaluate(spec, self.events, self.now)
        shape = "not_found" if gold["kind"] == "none" else shape
        qid = f"{self.p.user_id}-q{len(self.items):03d}"
        self.items.append(
            {"qid": qid, "user_id": self.p.user_id, "shape": shape, "question": text, "spec": spec, "gold": gold}
        )

    def pick(self, *templates: str, **slots: str) -> str:
        return self.rng.choice(templates).format(**slots)

    # -- payments -----------------------------------------------------------------------------------
    def category_spend(self, n: int) -> None:
        for _ in range(n):
            cat = self.rng.choice(list(CATEGORY_WORDS))
            word = self.rng.choice(CATEGORY_WORDS[cat])
            wp, w = self.win()
            if self.rng.random() < 0.3:
                text = self.pick(
                    "{w}一共花了多少钱（不含{c}）？", "除了{c}，{w}还花了多少？", "{w}不算{c}花了多少", w=wp, c=word
                )
                self.add("category_spend", text, {"op": "sum_pay", "exclude_category": cat, **_w(w)})
                continue
            text = self.pick(
                "{w}{c}花了多少钱？", "{w}我{c}一共花了多少", "{c}{w}花了我多少钱", "{w}在{c}上花了多少？", w=wp, c=word
            )
            self.add("category_spend", text, {"op": "sum_pay", "category": cat, **_w(w)})

    def merchant_sum(self, n: int) -> None:
        merchants = [self.p.coffee, self.p.taxi, self.p.grocery, *self.p.restaurants, *self.p.takeout, *self.p.shops]
        for _ in range(n):
            m = self.rng.choice(merchants)
            wp, w = self.win()
            text = self.pick("{w}在{m}花了多少？", "{w}我在{m}一共消费了多少钱", "{m}{w}花了多少", w=wp, m=m)
            self.add("sum", text, {"op": "sum_pay", "merchant": m, **_w(w)})

    def first_last(self, n: int) -> None:
        merchants = [self.p.coffee, self.p.taxi, self.p.grocery, *self.p.restaurants[:2]]
        all_time = days(self.p.today - timedelta(400), self.p.today, self.now)
        for i in range(n):
            m = self.rng.choice(merchants)
            kind = ("last", "first", "max", "min")[i % 4]
            if kind == "last":
                text = self.pick("上一次在{m}花了多少？", "最近一次去{m}花了多少钱", "我最后一次在{m}付了多少", m=m)
                self.add("first_last", text, {"op": "pick_pay", "which": "last", "merchant": m, **_w(all_time)})
                continue
            wp, w = self.win()
            if kind == "first":
                text = self.pick("{w}第一次在{m}花了多少？", "{w}头一回去{m}付了多少钱", w=wp, m=m)
            elif kind == "max":
                text = self.pick("{w}在{m}最贵的一笔是多少？", "{w}{m}花得最多的一次多少钱", w=wp, m=m)
            else:
                text = self.pick("{w}在{m}最便宜的一次花了多少？", "{w}{m}最少的一笔多少钱", w=wp, m=m)
            self.add("first_last", text, {"op": "pick_pay", "which": kind, "merchant": m, **_w(w)})

    def pay_counts(self, n: int) -> None:
        for i in range(n):
            wp, w = self.win()
            if i % 2:
                text = self.pick("{w}打了几次车？", "{w}我坐了几回出租车", "{w}打车打了多少次", w=wp)
                self.add("count", text, {"op": "count_pay", "category": "交通", **_w(w)})
            else:
                m = self.rng.choice((self.p.coffee, self.p.grocery))
                text = self.pick("{w}去了几次{m}？", "{w}在{m}消费了几次", "{m}{w}我买了几次", w=wp, m=m)
                self.add("count", text, {"op": "count_pay", "merchant": m, **_w(w)})

    # -- orders -------------------------------------------------------------------------------------
    def orders(self, n: int) -> None:
        p = self.p
        for i in range(n):
            wp, w = self.win()
            if i % 3 == 0:
                text = self.pick("{w}点了几次外卖？", "{w}叫了几回外卖", "{w}我外卖点了几单", w=wp)
                self.add("count", text, {"op": "count_orders", "platforms": list(p.takeout), **_w(w)})
            elif i % 3 == 1:
                s = self.rng.choice(p.shops)
                text = self.pick("{w}在{s}买了什么？", "{w}我在{s}下单了哪些东西", "列一下{w}{s}的订单", w=wp, s=s)
                self.add("list", text, {"op": "list_orders", "platforms": [s], **_w(w)})
            else:
                s = self.rng.choice([*p.shops, *p.takeout])
                text = self.pick("{w}在{s}买过东西吗？", "{w}我有没有在{s}下过单", "{w}用过{s}吗", w=wp, s=s)
                self.add("exists", text, {"op": "exists_orders", "platforms": [s], **_w(w)})

    def order_fields(self) -> None:
        state = latest(self.events, "order", "order_id", self.now)
        goods = [(oid, e) for oid, (e, _) in state.items() if "-o" in oid]
        for oid, e in goods:
            item = e["items"][0]["name"]
            text = self.pick(
                "我在{s}买的{i}到哪了？", "{i}现在什么状态？", "{s}上那个{i}的订单怎么样了", s=e["platform"], i=item
            )
            self.add("field", text, {"op": "order_status", "order_id": oid})
            if e["status"] not in ("delivered", "cancelled") and e.get("eta_day"):
                text = self.pick("{i}什么时候到？", "我买的{i}预计哪天送到", "{i}哪天能到货", i=item)
                self.add("field", text, {"op": "order_eta", "order_id": oid})

    # -- calendar -----------------------------------------------------------------------------------
    def free_busy(self, n: int) -> None:
        entries = [e for e, _ in latest(self.events, "calendar", "entry_id", self.now).values()]
        versions = [e for e in self.events if e["type"] == "calendar"]
        for i in range(n):
            anchor = self.rng.choice(versions if i % 2 else entries)  # old slots of moved/cancelled entries too
            start = local_day(anchor["start_ts"])
            hour = (
                self.rng.choice((9, 10, 11, 14, 15, 16))
                if i % 5 == 4
                else (anchor["start_ts"] - ms(start)) // 3_600_000
            )
            delta = (start - self.p.today).days
            dp = {0: "今天", 1: "明天", 2: "后天", -1: "昨天"}.get(delta, md(start))
            a, b = hour_phrase(hour), hour_phrase(hour + 1)
            b_short = b[2:] if a[:2] == b[:2] else b
            text = self.pick(
                "{d}{a}到{b}有空吗？", "{d}{a}到{b}我有没有安排", "{d}{a}至{b}忙不忙？", d=dp, a=a, b=b_short
            )
            self.add("free_busy", text, {"op": "free", "start": ms(start, hour), "end": ms(start, hour + 1)})

    def calendar_lists(self, n: int) -> None:
        for i in range(n):
            d = self.p.today + timedelta(self.rng.randint(-10, 6))
            dp = {0: "今天", 1: "明天", 2: "后天", -1: "昨天"}.get((d - self.p.today).days, md(d))
            w = days(d, d)
            if i % 2:
                self.add(
                    "list",
                    self.pick("{d}有什么安排？", "{d}的日程有哪些", "{d}我都要干嘛", d=dp),
                    {"op": "list_cal", **_w(w)},
                )
            else:
                self.add("count", self.pick("{d}有几个日程？", "{d}我有几项安排", d=dp), {"op": "count_cal", **_w(w)})
        md_day = makeup_day(self.p.today)
        self.add(
            "count",
            self.pick("国庆调休上班那天我有几个日程？", "十一调休的那个周末上班日有几项安排"),
            {"op": "count_cal", **_w(days(md_day, md_day))},
        )

    def calendar_fields(self, n: int) -> None:
        entries = [
            e
            for e, _ in latest(self.events, "calendar", "entry_id", self.now).values()
            if e["attendees"] and e.get("status") != "cancelled"
        ]
        for e in self.rng.sample(entries, min(n, len(entries))):
            d = local_day(e["start_ts"])
            if self.rng.random() < 0.5:
                text = self.pick("{d}的{t}都有谁参加？", "{d}那个{t}有哪些人", d=md(d), t=e["title"])
                self.add("field", text, {"op": "attendees", "entry_id": e["entry_id"]})
            else:
                text = self.pick("{d}的{t}几点开始？", "{d}{t}是几点的", d=md(d), t=e["title"])
                self.add("field", text, {"op": "start_time", "entry_id": e["entry_id"]})

    # -- messages -----------------------------------------------------------------------------------
    def chats(self, n: int) -> None:
        cs = self.p.contacts
        for i in range(n):
            c = self.rng.choice(cs)
            call = self.rng.choice((c.name, *c.aliases, c.relation if c.relation in ("妈妈", "老板") else c.name))
            wp, w = self.win()
            if i % 2:
                text = self.pick("{c}{w}给我发了几条消息？", "{w}{c}发了多少条消息给我", c=call, w=wp)
                self.add("count", text, {"op": "count_msgs", "sender": c.name, **_w(w)})
            else:
                text = self.pick(
                    "{c}最后一次跟我说了什么？", "{c}上次说啥了", "{c}最近给我发的最后一条消息是什么", c=call
                )
                self.add("who_said", text, {"op": "last_msg", "sender": c.name})
        for c, topic, _ in fact_assignment(self.p):
            text = self.pick("谁跟我说{t}的事？", "{t}那事是谁说的", "是谁提到了{t}？", t=topic)
            self.add("who_said", text, {"op": "who_said", "needle": topic, "names": [c.name, *c.aliases]})
        self.add("field", self.pick("最近的取件码是多少？", "菜鸟驿站最后发的取件码是啥"), {"op": "pickup_code"})

    # -- reminders, cart, favorites, and what the data cannot answer ---------------------------------
    def misc(self) -> None:
        self.add("list", self.pick("我还有哪些提醒没完成？", "待办里还剩什么"), {"op": "open_reminders"})
        rems = latest(self.events, "reminder", "reminder_id", self.now)
        for rid, (e, _) in list(rems.items())[:3]:
            self.add(
                "field",
                self.pick("{t}的提醒是哪天？", "{t}定的是几号", t=e["title"]),
                {"op": "reminder_due", "reminder_id": rid},
            )
        self.add("list", self.pick("我购物车里现在有什么？", "购物车里都有啥"), {"op": "cart"})
        for item in ("加湿器", "瑜伽垫", "登山包"):
            self.add(
                "exists",
                self.pick("我收藏过{i}吗？", "{i}我有没有收藏", i=item),
                {"op": "favorited", "item_name": item},
            )

    def not_found(self) -> None:
        wp, w = self.win()
        m = self.p.never_merchant
        self.add("not_found", f"{wp}在{m}花了多少？", {"op": "sum_pay", "merchant": m, **_w(w)})
        self.add(
            "not_found",
            f"上一次在{m}花了多少钱？",
            {
                "op": "pick_pay",
                "which": "last",
                "merchant": m,
                **_w(days(self.p.today - timedelta(400), self.p.today, self.now)),
            },
        )
        for text in (
            "我下周的航班几点起飞？",
            "我的体检报告出来了吗？",
            "我在唯品会买的大衣到哪了？",
            "上次住的酒店叫什么？",
            "我的信用卡账单是多少？",
            "谁跟我说过滑雪的事？",
        ):
            self.add(
                "not_found",
                text,
                {"op": "none"} if "滑雪" not in text else {"op": "who_said", "needle": "滑雪", "names": []},
            )


def questions(p: Profile, events: list[Event], seed: int = 13) -> list[Item]:
    g = Gen(p, events, seed)
    g.category_spend(18)
    g.merchant_sum(8)
    g.first_last(8)
    g.pay_counts(6)
    g.orders(9)
    g.order_fields()
    g.free_busy(14)
    g.calendar_lists(7)
    g.calendar_fields(5)
    g.chats(8)
    g.misc()
    g.not_found()
    return g.items
