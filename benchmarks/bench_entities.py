"""Event model v2: free/busy, order status and message text after fresh updates — v1 reading vs entities.

Run by hand::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_entities.py            # 3 users, seed 13
    PYTHONPATH=src .venv/bin/python benchmarks/bench_entities.py --users 5 --seed 7

The set is generated here, independently of the entity rules: a seeded simulator writes, per user, 30 days
of calendar entries (then moves ~30 % of them, cancels ~20 %), orders whose status advances with an ETA
day that slips, and messages of which some are recalled or corrected — and it *remembers the truth it
created* (each meeting's final slot and whether it still stands, each order's final status and ETA day,
each message's final text or its absence). Gold answers are that memory, never recomputed from events.

Questions per user: for every meeting, "is its original slot busy?" and "is its final slot busy?"; for
every order, "what is its status and ETA day?"; for every message, "what does it say now (or is it gone)?".
Slots are chosen so that no two simulated meetings overlap, so a slot is busy exactly when its meeting stands
there. Events are shuffled before reading (arrival order is not time order).

"v1 reading" is how features read events before v2 (the code main had): a slot is busy if *any* calendar
event overlaps it; an order is its newest event (no ``eta_day``: it shows the last ``eta_ts``, none here);
messages are read as sent. "v2" is :mod:`lingxi.context.entities`. Also timed: the entity functions over
one user's events (p50/p95 ms over repeated runs; wall-clock, this machine, for scale only).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from lingxi.context.entities import busy, calendar_entries, effective_messages, orders
from lingxi.context.events import CalendarEvent, Event, MessageEvent, OrderEvent, parse_event

H = 3_600_000
T0 = 1_793_000_000_000  # 2026-10-27 (UTC)
CHAIN = ["placed", "paid", "shipped", "in_transit", "out_for_delivery", "delivered"]


@dataclass
class Truth:
    """What the simulator made true: each meeting's (first slot, final slot, stands), orders, messages."""

    meetings: list[tuple[tuple[int, int], tuple[int, int], bool]] = field(default_factory=list)
    orders: dict[str, tuple[str, str]] = field(default_factory=dict)  # order_id -> (status, eta_day)
    messages: dict[str, str | None] = field(default_factory=dict)  # event_id -> final text, None: recalled


def simulate(user: str, rng: random.Random) -> tuple[list[Event], Truth]:
    truth, out = Truth(), []
    n = iter(range(1_000_000))

    def ev(kind: str, ts: int, **fields: Any) -> Event:
        out.append(parse_event({"type": kind, "event_id": f"{user}-{next(n)}", "user_id": user, "ts": ts,
                                "source_app": "app", **fields}))  # fmt: skip
        return out[-1]

    # meetings on a 2-hour grid over 30 days; moves go to unused grid slots, so no two meetings overlap
    grid = list(range(T0 + 24 * H, T0 + 31 * 24 * H, 2 * H))
    rng.shuffle(grid)
    for i in range(30):
        start = grid.pop()
        created = start - rng.randrange(24, 240) * H
        ev("calendar", created, entry_id=f"e{i}", title=f"会议{i}", start_ts=start, end_ts=start + H)
        final, stands = (start, start + H), True
        roll = rng.random()
        if roll < 0.3:
            new = grid.pop()
            final = (new, new + H)
            ev("calendar", created + H, entry_id=f"e{i}", title=f"会议{i}", start_ts=new, end_ts=new + H)
        elif roll < 0.5:
            stands = False
            ev("calendar", created + H, entry_id=f"e{i}", title=f"会议{i}", start_ts=start, end_ts=start + H,
               status="cancelled")  # fmt: skip
        truth.meetings.append(((start, start + H), final, stands))
    for i in range(15):
        placed, day = T0 + rng.randrange(0, 20 * 24) * H, 20 + rng.randrange(0, 5)
        steps = CHAIN[: rng.randrange(2, len(CHAIN) + 1)]
        item = [{"name": f"商品{i}", "price_fen": 1000 + i}]
        status, eta = "", ""
        for k, status in enumerate(steps):
            if status == "in_transit" and rng.random() < 0.5:
                day += 1  # the ETA slips
            eta = f"2026-11-{day:02d}"
            ev("order", placed + k * 6 * H, order_id=f"o{i}", platform="京东", items=item, total_fen=1000 + i,
               status=status, eta_day=eta)  # fmt: skip
        truth.orders[f"o{i}"] = (status, eta)
    for i in range(40):
        ts = T0 + rng.randrange(0, 30 * 24) * H
        m = ev("message", ts, conversation_id="c", sender="张伟", direction="in", text=f"原话{i}")
        roll, final = rng.random(), f"原话{i}"
        if roll < 0.15:
            ev("message_update", ts + 60_000, target_event_id=m.event_id, op="delete")
            final = None
        elif roll < 0.3:
            ev("message_update", ts + 60_000, target_event_id=m.event_id, op="correct", text=f"改正{i}")
            final = f"改正{i}"
        truth.messages[m.event_id] = final
    rng.shuffle(out)
    return out, truth


def v1_busy(events: list[Event], slot: tuple[int, int]) -> bool:
    return any(isinstance(e, CalendarEvent) and e.start_ts < slot[1] and e.end_ts > slot[0] for e in events)


def v1_order(events: list[Event], order_id: str) -> tuple[str, str]:
    mine = [e for e in events if isinstance(e, OrderEvent) and e.order_id == order_id]
    newest = max(mine, key=lambda e: e.ts)
    return newest.status, ""  # v1 has no ETA day (its eta_ts is an instant; the apps here give a day)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    score = {k: [0, 0, 0] for k in ("free/busy", "order status", "order ETA day", "message text")}  # v1, v2, n
    timings: list[float] = []
    sizes = []
    for u in range(args.users):
        events, truth = simulate(f"u{u}", rng)
        sizes.append(len(events))
        entries = calendar_entries(events)
        for first, final, stands in truth.meetings:
            for slot, want in ((first, stands and first == final), (final, stands)):
                row = score["free/busy"]
                row[0] += v1_busy(events, slot) == want
                row[1] += bool(busy(entries, *slot)) == want
                row[2] += 1
        states = {o.order_id: (o.status, o.eta_day or "") for o in orders(events)}
        for order_id, want in truth.orders.items():
            for k, shape in enumerate(("order status", "order ETA day")):
                row = score[shape]
                row[0] += v1_order(events, order_id)[k] == want[k]
                row[1] += states[order_id][k] == want[k]
                row[2] += 1
        now = {m.event_id: m.text for m in effective_messages(events)}
        sent = {e.event_id: e.text for e in events if isinstance(e, MessageEvent)}
        for event_id, want in truth.messages.items():
            row = score["message text"]
            row[0] += sent.get(event_id) == want
            row[1] += now.get(event_id) == want
            row[2] += 1
        for _ in range(50):
            t = time.perf_counter()
            busy(calendar_entries(events), T0, T0 + 30 * 24 * H)
            orders(events)
            effective_messages(events)
            timings.append((time.perf_counter() - t) * 1000)
    print(f"users={args.users} seed={args.seed} events/user={statistics.mean(sizes):.0f}")
    print(f"{'question shape':<24}{'v1 reading':>12}{'v2 entities':>13}{'n':>6}")
    for shape, (old, new, n) in score.items():
        print(f"{shape:<24}{old / n:>12.3f}{new / n:>13.3f}{n:>6}")
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"entity functions per user: p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
