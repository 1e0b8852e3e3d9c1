"""Query engine latency on the lite tier: a 30-day, ~400-event user (generated here, seeded; not the demo user).

Reports p50/p95 per question of (1) the rule parser, (2) the executor over the user's events in memory, and (3)
a whole lite-tier ``lx.assistant.ask`` through the request path (consent, SQLite read, executor, screening,
label, audit), and the ratio of the p95 to the issue's 50 ms goal. Old vs new accuracy is not measured here:
that is the independent evaluation set's job.

Run: ``.venv/bin/python benchmarks/bench_query.py [--rounds 5] [--seed 7]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from lingxi import Lingxi
from lingxi.context.events import CalendarEvent, Event, MessageEvent, OrderEvent, OrderItem, PaymentEvent
from lingxi.privacy.consent import Scope
from lingxi.query.execute import TYPES, Context, execute
from lingxi.query.rules import parse
from lingxi.query.synonyms import Synonyms

TZ = "Asia/Shanghai"
USER = "bench-user"
NOW = int(datetime(2026, 11, 30, 21, tzinfo=ZoneInfo(TZ)).timestamp() * 1000)
DAY = 86_400_000
#: (merchant, category, lowest and highest amount in fen)
SHOPS = [
    ("瑞幸咖啡", "餐饮", 900, 2000), ("滴滴出行", "交通", 1200, 6000), ("老乡鸡", "外卖", 2500, 6000),
    ("盒马鲜生", "超市", 3000, 20000), ("杭州地铁", "交通", 200, 800), ("海底捞", "餐饮", 15000, 40000),
]  # fmt: skip
PEOPLE = ["妈妈", "张伟", "李娜", "王芳", "项目群"]
QUESTIONS = [
    "上周打车几次？", "这个月外卖花了多少钱", "这个月吃饭花了多少（不含外卖）", "上一次在瑞幸花了多少",
    "这个月最贵的一笔", "上个月平均每笔外卖多少钱", "国庆花了多少", "11月12日到15日花了多少",
    "明天上午十点到十一点有空吗", "下周三下午有空吗", "我的耳机什么时候到", "这个月下了几单",
    "妈妈说了什么", "张伟发了几条消息", "谁提到了周报", "昨天有什么安排",
    "这个月比上个月多花了多少", "这个月各类花了多少", "这个月超过100块的支出有哪些", "这个月打车和外卖各花了多少",
]  # fmt: skip


def user_events(seed: int) -> list[Event]:
    """~400 events over 30 days: payments, chats, orders with status changes, calendar entries with edits."""
    rnd = random.Random(seed)
    out: list[Event] = []
    base = NOW - 30 * DAY

    def ts() -> int:
        return base + rnd.randrange(30 * DAY)

    for i in range(160):
        shop, cat, lo, hi = rnd.choice(SHOPS)
        out.append(PaymentEvent(event_id=f"b-p{i}", user_id=USER, ts=ts(), source_app="支付宝", merchant=shop,
                                amount_fen=rnd.randrange(lo, hi), category=cat, channel="支付宝"))  # fmt: skip
    for i in range(170):
        who = rnd.choice(PEOPLE)
        text = rnd.choice(["周报今天交", "晚上吃什么", "明天开会", "记得带伞", "到家了吗", "周末回家吗"])
        out.append(MessageEvent(event_id=f"b-m{i}", user_id=USER, ts=ts(), source_app="微信", conversation_id=who,
                                conversation_name=who, sender=who, direction="in", text=text))  # fmt: skip
    for i in range(15):
        placed = ts()
        item = OrderItem(name=rnd.choice(["降噪耳机", "充电宝", "抽纸", "猫粮"]), price_fen=rnd.randrange(1000, 90000))
        for k, status in enumerate(["placed", "paid", "shipped", "in_transit"][: rnd.randrange(1, 5)]):
            out.append(OrderEvent(event_id=f"b-o{i}-{k}", user_id=USER, ts=placed + k * 3_600_000, source_app="京东",
                                  order_id=f"o{i}", platform="京东", items=[item], total_fen=item.price_fen,
                                  status=status, eta_day="2026-12-03"))  # fmt: skip
    for i in range(20):
        start = NOW - 25 * DAY + rnd.randrange(30) * DAY + 10 * 3_600_000
        for k, status in enumerate(["confirmed", "cancelled"][: rnd.randrange(1, 3)]):
            out.append(CalendarEvent(event_id=f"b-c{i}-{k}", user_id=USER, ts=start - DAY + k, source_app="日历",
                                     entry_id=f"e{i}", title=rnd.choice(["周会", "评审", "看牙医"]), start_ts=start,
                                     end_ts=start + 3_600_000, status=status))  # fmt: skip
    return out


def pct(times: list[float]) -> tuple[float, float]:
    ms = sorted(t * 1000 for t in times)
    return statistics.median(ms), ms[max(0, int(len(ms) * 0.95) - 1)]


def timed(fn: Callable[[str], object], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for q in QUESTIONS:
            start = time.perf_counter()
            fn(q)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    events = user_events(args.seed)
    table = Synonyms()
    with tempfile.TemporaryDirectory() as home:
        lx = Lingxi(home)
        lx.ingest(events)
        lx.consents.grant(USER, Scope.PAYMENTS, Scope.SHOPPING, Scope.MESSAGES, Scope.CALENDAR, source="bench")
        for q in QUESTIONS:  # warm up (jieba dictionary, first SQLite reads)
            lx.assistant.ask(USER, q, now_ms=NOW)

        def run_plan(q: str) -> object:
            plan = parse(q, NOW, TZ, table)
            pool = [e for e in events if e.type in TYPES[plan.subject]]
            return execute(plan, Context(pool, NOW, TZ, table))

        rows = [
            ("rule parser", timed(lambda q: parse(q, NOW, TZ, table), args.rounds)),
            ("parser + executor (in memory)", timed(run_plan, args.rounds)),
            (
                "assistant.ask, lite tier (end to end)",
                timed(lambda q: lx.assistant.ask(USER, q, now_ms=NOW), args.rounds),
            ),
        ]
    print(f"user: {len(events)} events over 30 days; {len(QUESTIONS)} questions × {args.rounds} rounds")
    print(f"{'stage':40} {'p50 ms':>8} {'p95 ms':>8} {'p95 / 50 ms goal':>17}")
    for name, times in rows:
        p50, p95 = pct(times)
        print(f"{name:40} {p50:8.2f} {p95:8.2f} {p95 / 50:17.2f}")


if __name__ == "__main__":
    main()
