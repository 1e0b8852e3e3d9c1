"""Fresh items: a question, then 1–3 new events (cancellation, reschedule, delay, delivery, new payment, corrected or
deleted message, reminder done), then the same question again with a new gold.

Items are applied in order on top of each other: item k's "before" gold sees the base events plus the fresh
events of items 0..k-1, its "after" gold also its own. Fresh events happen in the half hour before "now".
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from qa_eval.clock import hour_phrase, local_day, md, ms
from qa_eval.gold import evaluate, latest, messages
from qa_eval.profiles import Profile
from qa_eval.users import Event, fact_assignment, now_ms

Item = dict[str, Any]


def _day_phrase(p: Profile, ts: int) -> str:
    d = local_day(ts)
    return {0: "今天", 1: "明天", 2: "后天"}.get((d - p.today).days, md(d))


def _slot_question(p: Profile, start_ts: int, rng: random.Random) -> tuple[str, dict[str, Any]]:
    d = local_day(start_ts)
    hour = (start_ts - ms(d)) // 3_600_000
    a, b = hour_phrase(hour), hour_phrase(hour + 1)
    tpl = rng.choice(("{d}{a}到{b}有空吗？", "{d}{a}到{b}我有安排吗", "{d}{a}到{b}还空着吗？"))
    return tpl.format(d=_day_phrase(p, start_ts), a=a, b=b), {
        "op": "free",
        "start": ms(d, hour),
        "end": ms(d, hour + 1),
    }


class Fresh:
    def __init__(self, p: Profile, events: list[Event], seed: int) -> None:
        self.p, self.events, self.now = p, list(events), now_ms(p)
        self.rng = random.Random(f"f-{seed}-{p.user_id}")
        self.items: list[Item] = []
        self.k = 0

    def ev(self, kind: str, app: str, **fields: Any) -> Event:
        self.k += 1
        ts = self.now - 30 * 60_000 + self.k * 10_000
        return {
            "event_id": f"{self.p.user_id}-f{self.k:03d}",
            "user_id": self.p.user_id,
            "ts": ts,
            "source_app": app,
            "type": kind,
            **fields,
        }

    def item(self, shape: str, text: str, spec: dict[str, Any], fresh: list[Event], what: str) -> None:
        before = evaluate(spec, self.events, self.now)
        after_events = [*self.events, *fresh]
        after = evaluate(spec, after_events, self.now)
        if before == after:
            return  # a fresh item must change the answer
        self.events = after_events
        self.items.append(
            {
                "qid": f"{self.p.user_id}-f{len(self.items):03d}",
                "user_id": self.p.user_id,
                "shape": shape,
                "question": text,
                "spec": spec,
                "what": what,
                "before": before,
                "fresh_events": fresh,
                "after": after,
            }
        )

    def calendar(self) -> None:
        cur = [
            e
            for e, _ in latest(self.events, "calendar", "entry_id", self.now).values()
            if e["start_ts"] > self.now and e.get("status") != "cancelled"
        ]
        self.rng.shuffle(cur)
        for e in cur[:3]:
            text, spec = _slot_question(self.p, e["start_ts"], self.rng)
            self.item(
                "free_busy",
                text,
                spec,
                [self.ev("calendar", e["source_app"], **{**_cal(e), "status": "cancelled"})],
                "cancel",
            )
        for e in cur[3:6]:
            text, spec = _slot_question(self.p, e["start_ts"], self.rng)
            moved = {**_cal(e), "start_ts": e["start_ts"] + 2 * 3_600_000, "end_ts": e["end_ts"] + 2 * 3_600_000}
            self.item("free_busy", text, spec, [self.ev("calendar", e["source_app"], **moved)], "reschedule")
        for e in cur[6:8]:
            spec = {"op": "start_time", "entry_id": e["entry_id"]}
            text = f"{md(local_day(e['start_ts']))}的{e['title']}几点开始？"
            moved = {**_cal(e), "start_ts": e["start_ts"] + 3_600_000, "end_ts": e["end_ts"] + 3_600_000}
            self.item("field", text, spec, [self.ev("calendar", e["source_app"], **moved)], "reschedule")
        tomorrow = self.p.today + timedelta(1)
        for hour in (8, 19):
            text, spec = _slot_question(self.p, ms(tomorrow, hour), self.rng)
            new = {
                "entry_id": f"{self.p.user_id}-new{hour}",
                "title": "临时加的会",
                "start_ts": ms(tomorrow, hour),
                "end_ts": ms(tomorrow, hour) + 3_600_000,
                "location": "",
                "attendees": [],
                "status": "confirmed",
            }
            self.item("free_busy", text, spec, [self.ev("calendar", "日历", **new)], "new entry")

    def orders(self) -> None:
        open_orders = [
            e
            for oid, (e, _) in latest(self.events, "order", "order_id", self.now).items()
            if "-o" in oid and e["status"] not in ("delivered", "cancelled", "refunded") and e.get("eta_day")
        ]
        for i, e in enumerate(open_orders):
            name = e["items"][0]["name"]
            keep = {k: v for k, v in e.items() if k not in ("event_id", "user_id", "ts", "source_app", "type")}
            if i % 2 == 0:
                later = (local_day(ms(self.p.today)) + timedelta(3)).isoformat()
                self.item(
                    "field",
                    f"{name}什么时候到？",
                    {"op": "order_eta", "order_id": e["order_id"]},
                    [self.ev("order", e["platform"], **{**keep, "status": "in_transit", "eta_day": later})],
                    "delay",
                )
            else:
                self.item(
                    "field",
                    f"我买的{name}到哪了？",
                    {"op": "order_status", "order_id": e["order_id"]},
                    [
                        self.ev("order", e["platform"], **{**keep, "status": "out_for_delivery"}),
                        self.ev("order", e["platform"], **{**keep, "status": "delivered"}),
                    ],
                    "delivered",
                )

    def payments(self) -> None:
        p = self.p
        pay = {"currency": "CNY", "direction": "out", "channel": p.channels[0], "order_id": ""}
        self.item(
            "sum",
            f"今天在{p.coffee}花了多少？",
            {"op": "sum_pay", "merchant": p.coffee, "start": ms(p.today), "end": self.now},
            [self.ev("payment", p.channels[0], amount_fen=2150, merchant=p.coffee, category="咖啡", **pay)],
            "new payment",
        )
        self.item(
            "first_last",
            "最近一次打车花了多少？",
            {
                "op": "pick_pay",
                "which": "last",
                "category": "交通",
                "start": ms(p.today - timedelta(400)),
                "end": self.now,
            },
            [self.ev("payment", p.channels[0], amount_fen=4670, merchant=p.taxi, category="交通", **pay)],
            "new payment",
        )
        plat = p.takeout[0]
        items = [{"name": "牛腩饭", "category": "外卖", "brand": "", "price_fen": 3280, "quantity": 1}]
        oid = f"{p.user_id}-fresh-to"
        order = {"order_id": oid, "platform": plat, "items": items, "total_fen": 3280, "currency": "CNY"}
        self.item(
            "count",
            "今天点了几次外卖？",
            {"op": "count_orders", "platforms": list(p.takeout), "start": ms(p.today), "end": self.now},
            [
                self.ev("order", plat, **order, status="placed"),
                self.ev("order", plat, **order, status="paid"),
                self.ev("payment", p.channels[0], amount_fen=3280, merchant=plat, category="外卖", **pay),
            ],
            "new order and payment",
        )
        self.item(
            "category_spend",
            "今天一共花了多少钱（不含外卖）？",
            {"op": "sum_pay", "exclude_category": "外卖", "start": ms(p.today), "end": self.now},
            [self.ev("payment", p.channels[0], amount_fen=8800, merchant=p.grocery, category="超市", **pay)],
            "new payment",
        )

    def chats(self) -> None:
        msgs = messages(self.events, self.now)
        for c in self.p.contacts[:3]:
            mine = [m for m, _ in msgs if m["sender"] == c.name and m["direction"] == "in"]
            if not mine:
                continue
            last = max(mine, key=lambda m: m["ts"])
            self.item(
                "who_said",
                f"{c.name}最后一次跟我说了什么？",
                {"op": "last_msg", "sender": c.name},
                [
                    self.ev(
                        "message_update",
                        last["source_app"],
                        target_event_id=last["event_id"],
                        op="correct",
                        text="更正一下：改到后天下午四点见",
                    )
                ],
                "corrected message",
            )
        for c, topic, _ in fact_assignment(self.p)[:2]:
            hit = [m for m, _ in messages(self.events, self.now) if topic in m["text"]]
            if hit:
                self.item(
                    "who_said",
                    f"谁跟我说{topic}的事？",
                    {"op": "who_said", "needle": topic, "names": [c.name, *c.aliases]},
                    [
                        self.ev(
                            "message_update",
                            hit[0]["source_app"],
                            target_event_id=hit[0]["event_id"],
                            op="delete",
                            text="",
                        )
                    ],
                    "deleted message",
                )
        c = self.p.contacts[0]
        self.item(
            "who_said",
            f"{c.name}最新一条消息说了什么？",
            {"op": "last_msg", "sender": c.name},
            [
                self.ev(
                    "message",
                    c.app,
                    conversation_id=f"{c.app}-{c.contact_id}",
                    conversation_name=c.name,
                    sender=c.name,
                    direction="in",
                    text="到家了给我回个电话",
                    relation=c.relation,
                )
            ],
            "new message",
        )

    def reminders(self) -> None:
        rems = [
            e for e, _ in latest(self.events, "reminder", "reminder_id", self.now).values() if e["status"] == "open"
        ]
        for e in rems[:2]:
            fields = {k: e[k] for k in ("reminder_id", "title", "due_ts")}
            self.item(
                "list",
                "我还有哪些提醒没完成？",
                {"op": "open_reminders"},
                [self.ev("reminder", "提醒事项", **fields, status="done")],
                "reminder done",
            )


def _cal(e: Event) -> dict[str, Any]:
    return {k: e[k] for k in ("entry_id", "title", "start_ts", "end_ts", "location", "attendees", "status")}


def fresh_items(p: Profile, events: list[Event], seed: int = 13) -> list[Item]:
    f = Fresh(p, events, seed)
    f.calendar()
    f.orders()
    f.payments()
    f.chats()
    f.reminders()
    return f.items
