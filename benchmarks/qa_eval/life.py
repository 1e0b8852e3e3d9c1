"""Calendar entries (moved, cancelled, tentative), reminders and shopping signals (search, browse, cart, favorite)."""

from __future__ import annotations

from datetime import timedelta

from qa_eval.builder import Builder, window_days
from qa_eval.clock import is_workday, ms


def calendar(b: Builder, now: int) -> None:
    p, rng = b.p, b.rng
    colleagues = [c.name for c in p.contacts if c.work]
    all_days = [*window_days(p), *[p.today + timedelta(days=i) for i in range(1, 8)]]
    k = 0
    for d in all_days:
        slots = [(10, 0, 60), (14, 30, 60), (16, 0, 90)] if is_workday(d) else [(15, 0, 120)]
        for hour, minute, length in slots:
            if rng.random() > (0.55 if is_workday(d) else 0.4):
                continue
            k += 1
            title = rng.choice(p.meetings if is_workday(d) else p.personal)
            start = ms(d, hour, minute)
            created = max(ms(all_days[0], 7), start - rng.randint(1, 4) * 86_400_000)
            created = min(created, now - 2 * 3_600_000)
            entry = f"{p.user_id}-cal{k:03d}"
            att = rng.sample(colleagues, k=rng.randint(1, 2)) if is_workday(d) else []
            status = "tentative" if k % 10 == 3 else "confirmed"
            fields = {"title": title, "location": "", "attendees": att, "entry_id": entry}
            b.add(
                "calendar",
                created,
                p.work_app if att else "日历",
                start_ts=start,
                end_ts=start + length * 60_000,
                status=status,
                **fields,
            )
            change = created + rng.randint(1, 12) * 3_600_000
            if k % 7 == 2 and change < now - 3_600_000:  # moved one hour later
                b.add(
                    "calendar",
                    change,
                    p.work_app if att else "日历",
                    start_ts=start + 3_600_000,
                    end_ts=start + (length + 60) * 60_000,
                    status=status,
                    **fields,
                )
            elif k % 9 == 5 and change < now - 3_600_000:
                b.add(
                    "calendar",
                    change,
                    p.work_app if att else "日历",
                    start_ts=start,
                    end_ts=start + length * 60_000,
                    status="cancelled",
                    **fields,
                )


def reminders(b: Builder, now: int) -> None:
    p = b.p
    todo = (
        ("交房租", 3, "open"),
        ("还信用卡", 5, "open"),
        ("给妈妈买生日礼物", 8, "done"),
        ("续签合同", 2, "cancelled"),
        ("取干洗的衣服", -2, "done"),
        ("交物业费", 6, "open"),
    )
    for i, (title, ahead, final) in enumerate(todo):
        created = now - (20 - i * 3) * 86_400_000
        rid = f"{p.user_id}-rem{i}"
        due = ms(p.today + timedelta(days=ahead), 9)
        b.add("reminder", created, "提醒事项", reminder_id=rid, title=title, due_ts=due, status="open")
        if final != "open":
            b.add("reminder", created + 86_400_000, "提醒事项", reminder_id=rid, title=title, due_ts=due, status=final)


def shopping_signals(b: Builder, now: int) -> None:
    p, rng = b.p, b.rng
    wish = [
        ("蓝牙音箱", "数码", 29900),
        ("瑜伽垫", "运动", 8900),
        ("电热毯", "家电", 15900),
        ("加湿器", "家电", 19900),
        ("登山包", "运动", 25900),
    ]
    for i, d in enumerate(window_days(p)):
        name, cat, price = wish[i % len(wish)]
        platform = p.shops[i % len(p.shops)]
        iid = f"item-{i % len(wish)}"
        t = ms(d, 21, rng.randint(0, 20))
        b.add("search", t, platform, query=name, platform=platform)
        b.add(
            "browse",
            t + 30_000,
            platform,
            item_id=iid,
            item_name=name,
            category=cat,
            brand="",
            price_fen=price,
            currency="CNY",
            platform=platform,
            dwell_ms=rng.randint(3_000, 90_000),
        )
        if i in (3, 9, 14):
            b.add(
                "cart",
                t + 60_000,
                platform,
                item_id=iid,
                item_name=name,
                category=cat,
                brand="",
                price_fen=price,
                currency="CNY",
                platform=platform,
                quantity=1,
                action="add",
            )
        if i in (5, 11):
            b.add(
                "favorite",
                t + 90_000,
                platform,
                item_id=iid,
                item_name=name,
                category=cat,
                brand="",
                price_fen=price,
                currency="CNY",
                platform=platform,
                action="add",
            )
        if i == 20:  # took the 蓝牙音箱-type first cart item out again
            first = wish[3 % len(wish)]
            b.add(
                "cart",
                t + 120_000,
                platform,
                item_id=f"item-{3 % len(wish)}",
                item_name=first[0],
                category=first[1],
                brand="",
                price_fen=first[2],
                currency="CNY",
                platform=p.shops[3 % len(p.shops)],
                quantity=1,
                action="remove",
            )
