"""Seeded generator of realistic users' 30 days as v2 events (EVENTS_V2.md), as plain JSON-ready dicts.

Each user: chats on WeChat and a work app with contacts (``contact`` events carry relations), SMS, takeout and
shopping orders with status chains (in_transit, ``eta_day``), Alipay/WeChat Pay payments (some with an
``order_id``, some without), calendar entries (moved, cancelled, tentative), reminders, browse/search/cart/
favorite, and message corrections/deletions. The window ends on the profile's "today" (21:30 local time) and
contains 中秋 and 国庆 2026 with their make-up workdays. Same seed → the same events, byte for byte.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from qa_eval.builder import Builder, Event, now_ms, window_days
from qa_eval.clock import is_workday, local_day, ms
from qa_eval.life import calendar, reminders, shopping_signals
from qa_eval.profiles import MENUS, PROFILES, Contact, Profile

__all__ = ["Event", "all_users", "fact_assignment", "generate", "now_ms"]

GOODS_CATEGORY = {"耳机": "数码", "键盘": "数码", "充电宝": "数码", "牙刷": "个护", "炸锅": "家电"}

CHAT = {
    "family": ("吃饭了吗", "天冷了多穿点", "周末回来吗", "记得按时吃饭", "最近工作忙不忙", "好的", "知道了"),
    "work": ("这个需求今天能评审吗", "文档我发你了", "下午同步一下进度", "收到", "好的我看下", "测试环境挂了"),
    "friend": ("晚上打游戏吗", "哈哈哈", "那家店不错", "改天约饭", "最近怎么样", "在吗"),
}
# Distinctive things people say once, so "谁说…" has one answer: (topic word, text).
FACTS = {
    "family": (
        ("排骨", "周日回家吃饭吧，我炖了排骨"),
        ("降温", "明天降温八度，出门带件外套"),
        ("红包", "给你发了个红包，生日快乐"),
    ),
    "work": (("会议室", "周四的评审换到三楼大会议室了"), ("报销", "上个月的报销单记得周五前交给财务")),
    "friend": (
        ("爬山", "下周六一起去爬山怎么样"),
        ("演唱会", "我抢到两张演唱会的票了"),
        ("火锅", "周五晚上吃火锅，我订好位子了"),
    ),
}


def fact_assignment(p: Profile) -> list[tuple[Contact, str, str]]:
    """Each contact says one distinctive thing (topics never repeat within a user)."""
    used: dict[str, int] = {}
    out = []
    for c in p.contacts:
        g = _group(c.relation, c.work)
        topic, text = FACTS[g][used.get(g, 0)]
        used[g] = used.get(g, 0) + 1
        out.append((c, topic, text))
    return out


def _group(relation: str, work: bool) -> str:
    return "work" if work else ("family" if relation in ("妈妈", "爸爸", "妻子", "女儿", "弟弟") else "friend")


def _contacts(b: Builder) -> None:
    t0 = ms(window_days(b.p)[0], 6, 0)
    for i, c in enumerate(b.p.contacts):
        handles = {c.app: f"{c.contact_id}-{c.app}"}
        if c.work:
            handles["微信"] = f"{c.contact_id}-wx"
        b.add(
            "contact",
            t0 + i * 1000,
            "通讯录",
            contact_id=c.contact_id,
            name=c.name,
            aliases=list(c.aliases),
            relation=c.relation,
            handles=handles,
            frequent=i < 3,
        )


def _chats(b: Builder) -> None:
    p, rng = b.p, b.rng
    facts = fact_assignment(p)
    rng.shuffle(facts)
    for di, d in enumerate(window_days(p)):
        for _ in range(rng.randint(2, 4)):
            c = rng.choice(p.contacts)
            if c.work and not is_workday(d):
                continue
            t = ms(d, rng.randint(8, 20), rng.randint(0, 59))
            conv = f"{c.app}-{c.contact_id}"
            pool = CHAT[_group(c.relation, c.work)]
            msg = b.add(
                "message",
                t,
                c.app,
                conversation_id=conv,
                conversation_name=c.name,
                sender=c.name,
                direction="in",
                text=rng.choice(pool),
                relation=c.relation,
            )
            b.add(
                "message",
                t + 60_000,
                c.app,
                conversation_id=conv,
                conversation_name=c.name,
                sender=p.name,
                direction="out",
                text=rng.choice(("好的", "嗯嗯", "收到", "行", "哈哈好")),
            )
            if di % 9 == 4:  # now and then the contact fixes or withdraws what they wrote
                if di % 2:
                    b.add(
                        "message_update",
                        t + 120_000,
                        c.app,
                        target_event_id=msg["event_id"],
                        op="correct",
                        text=msg["text"] + "（改一下：晚点再说）",
                    )
                else:
                    b.add("message_update", t + 120_000, c.app, target_event_id=msg["event_id"], op="delete", text="")
        if facts and di % 2 == 1 and di < 28:
            c, _, text = facts.pop()
            b.add(
                "message",
                ms(d, 19, rng.randint(0, 59)),
                c.app,
                conversation_id=f"{c.app}-{c.contact_id}",
                conversation_name=c.name,
                sender=c.name,
                direction="in",
                text=text,
                relation=c.relation,
            )


def _pay(b: Builder, ts: int, amount: int, merchant: str, category: str, order_id: str = "") -> Event:
    channel = b.rng.choice(b.p.channels)
    return b.add(
        "payment",
        ts,
        channel,
        amount_fen=amount,
        currency="CNY",
        direction="out",
        merchant=merchant,
        channel=channel,
        category=category,
        order_id=order_id,
    )


def _order(b: Builder, oid: str, ts: int, platform: str, items: list[dict[str, Any]], status: str, **kw: Any) -> None:
    total = sum(i["price_fen"] * i["quantity"] for i in items)
    b.add(
        "order",
        ts,
        platform,
        order_id=oid,
        platform=platform,
        items=items,
        total_fen=total,
        currency="CNY",
        status=status,
        **kw,
    )


def _takeout(b: Builder, now: int) -> None:
    p, rng = b.p, b.rng
    for d in window_days(p):
        for meal_hour in (12, 18):
            if rng.random() > 0.35:
                continue
            platform = rng.choice(p.takeout)
            name, price = rng.choice(MENUS["takeout"])
            t = ms(d, meal_hour, rng.randint(0, 40))
            if t > now - 3_600_000:
                continue
            oid = f"{p.user_id}-to-{b.n}"
            items = [{"name": name, "category": "外卖", "brand": "", "price_fen": price, "quantity": 1}]
            _order(b, oid, t, platform, items, "placed")
            _order(b, oid, t + 30_000, platform, items, "paid")
            _pay(b, t + 31_000, price, platform, "外卖", oid if rng.random() < 0.6 else "")
            _order(b, oid, t + 35 * 60_000, platform, items, "delivered")


def _shopping(b: Builder, now: int) -> None:
    p, rng = b.p, b.rng
    days = window_days(p)
    goods = list(MENUS["goods"])
    rng.shuffle(goods)
    for k in range(10):
        d = days[min(29, k * 3 + rng.randint(0, 2))]
        name, price = goods[k]
        platform = p.shops[k % len(p.shops)]
        t = ms(d, rng.randint(9, 22), rng.randint(0, 59))
        if t > now - 3_600_000:
            t = now - 4 * 3_600_000
        oid = f"{p.user_id}-o{k:02d}"
        cat = next((v for key, v in GOODS_CATEGORY.items() if key in name), "日用")
        items = [{"name": name, "category": cat, "brand": "", "price_fen": price, "quantity": 1}]
        _order(b, oid, t, platform, items, "placed")
        if k == 6:  # changed their mind before paying
            _order(b, oid, t + 600_000, platform, items, "cancelled")
            continue
        _order(b, oid, t + 60_000, platform, items, "paid")
        _pay(b, t + 61_000, price, platform, "购物", oid if k % 3 else "")
        eta = local_day(t) + timedelta(days=rng.randint(2, 4))
        carrier = {"京东": "京东物流"}.get(platform, rng.choice(("中通快递", "圆通速递", "韵达快递")))
        extra = {"carrier": carrier, "tracking_no": f"TN{p.user_id[-4:]}{k:04d}"}
        steps = [
            (t + 20 * 3_600_000, "shipped"),
            (t + 36 * 3_600_000, "in_transit"),
            (ms(eta, 9), "out_for_delivery"),
            (ms(eta, 15), "delivered"),
        ]
        for ts, status in steps:
            if ts > now - 3_600_000:
                break
            _order(b, oid, ts, platform, items, status, eta_day=eta.isoformat(), **extra)
            if status == "delivered":
                code = f"{rng.randint(1, 9)}-{rng.randint(1, 5)}-{rng.randint(1000, 9999)}"
                b.add(
                    "message",
                    ts + 600_000,
                    "短信",
                    conversation_id="sms-cainiao",
                    conversation_name="菜鸟驿站",
                    sender="菜鸟驿站",
                    direction="in",
                    text=f"【菜鸟驿站】您的{platform}包裹已到站，取件码{code}",
                )


def _offline_payments(b: Builder, now: int) -> None:
    p, rng = b.p, b.rng
    for d in window_days(p):
        if is_workday(d) and rng.random() < 0.6:
            _pay(b, ms(d, 8, rng.randint(30, 59)), rng.choice((1380, 1590, 990)), p.coffee, "咖啡")
        if rng.random() < 0.3:
            _pay(b, ms(d, rng.choice((9, 19, 22)), rng.randint(0, 59)), rng.randint(1500, 6800), p.taxi, "交通")
        if rng.random() < 0.2:
            _pay(
                b,
                ms(d, 12, rng.randint(0, 50)) + 3_000_000,
                rng.randint(4000, 32000),
                rng.choice(p.restaurants),
                "餐饮",
            )
        if not is_workday(d) and rng.random() < 0.5:
            _pay(b, ms(d, 17, rng.randint(0, 59)), rng.randint(3000, 18000), p.grocery, "超市")
    _pay(b, ms(window_days(p)[10], 10, 5), 10000, "中国移动", "话费")
    b.add(
        "message",
        ms(window_days(p)[10], 10, 6),
        "短信",
        conversation_id="sms-10086",
        conversation_name="中国移动",
        sender="中国移动",
        direction="in",
        text="您已成功充值100.00元",
    )
    # money received is not spending
    b.add(
        "payment",
        ms(window_days(p)[15], 20, 0),
        "微信支付",
        amount_fen=20000,
        currency="CNY",
        direction="in",
        merchant=p.contacts[0].name,
        channel="微信支付",
        category="转账",
        order_id="",
    )


def generate(p: Profile, seed: int = 13) -> list[Event]:
    """The user's events, in arrival order (by ``ts``; equal ``ts`` keep generation order)."""
    b = Builder(p, random.Random(f"{seed}-{p.user_id}"))
    now = now_ms(p)
    _contacts(b)
    _chats(b)
    _takeout(b, now)
    _shopping(b, now)
    _offline_payments(b, now)
    calendar(b, now)
    reminders(b, now)
    shopping_signals(b, now)
    events = [e for e in b.events if e["ts"] <= now - 3_600_000]
    return sorted(events, key=lambda e: e["ts"])


def all_users(seed: int = 13) -> dict[str, tuple[Profile, list[Event]]]:
    return {p.user_id: (p, generate(p, seed)) for p in PROFILES}
