"""Orders and calendar entries, answered from their current state (:mod:`lingxi.context.entities`).

An entity is cited by the versions its answer rests on: the latest (its current status, time or place) and,
for an order, the version that gave the ETA or tracking when that was an earlier one, and the version that
placed it when the answer rests on when it was placed (a window, a 「下单于」). A cancelled entry is
never busy; it is mentioned (and cited) when it is why a slot is free.
"""

from __future__ import annotations

from lingxi.context.entities import CalendarEntry, OrderState, busy, calendar_entries, orders
from lingxi.context.events import Event, OrderEvent
from lingxi.query.answer import Facts, local, span_zh, yuan
from lingxi.query.execute import Context, in_window, matches, span, within
from lingxi.query.plan import Plan

__all__ = ["SETTLED", "STATUS_ZH", "calendar_answer", "eta_zh", "orders_answer"]

#: Order statuses after which nothing more will arrive (no ETA to give, listed after those still on their way).
SHOWN = 10  # orders listed at most (the count covers every match)
SETTLED = frozenset({"delivered", "cancelled", "refunded"})
STATUS_ZH = {
    "placed": "已下单",
    "paid": "已付款",
    "shipped": "已发货",
    "in_transit": "运输中",
    "out_for_delivery": "派送中",
    "delivered": "已签收",
    "cancelled": "已取消",
    "refunded": "已退款",
}


def _names(o: OrderState) -> str:
    return "、".join(i.name if i.name.startswith(i.brand) else f"{i.brand}{i.name}" for i in o.items)


def _order_cites(o: OrderState, by_id: dict[str, Event]) -> list[Event]:
    """The latest version, and the one that gave the ETA / tracking number if that was an earlier one."""
    versions = [v for v in (by_id.get(x) for x in o.versions) if isinstance(v, OrderEvent)]
    used: list[Event] = list(versions[-1:])
    eta = next((v for v in reversed(versions) if v.eta_ts is not None or v.eta_day is not None), None)
    track = next((v for v in reversed(versions) if v.tracking_no), None)
    for v in (eta if o.status not in SETTLED else None, track):
        if v is not None and v not in used:
            used.append(v)
    return used


def _placed_cites(o: OrderState, by_id: dict[str, Event], rest: list[Event]) -> list[Event]:
    """``rest`` plus the version that placed the order: a window or a 「下单于」 rests on when it was placed."""
    placed = by_id.get(o.versions[0]) if o.versions else None
    return [placed, *(v for v in rest if v is not placed)] if placed is not None else rest


def eta_zh(o: OrderState, tz: str) -> str:
    """「预计 11月20日 送达」 from the order's ETA: a day when the app gave a day, else the instant; "" if none."""
    if o.eta_day:
        return f"预计 {o.eta_day[5:7]}月{o.eta_day[8:10]}日 送达"
    return f"预计 {local(o.eta_ts, tz)} 送达" if o.eta_ts else ""


def _order_line(o: OrderState, tz: str, facts: Facts) -> str:
    line = (
        f"- {o.platform}订单「{_names(o)}」当前状态：{STATUS_ZH.get(o.status, o.status)}（{local(o.updated_ts, tz)}）"
    )
    if o.carrier:
        line += f"，{o.carrier} 运单号 {o.tracking_no}"
    if o.status not in SETTLED and (eta := eta_zh(o, tz)):
        line += f"，{eta}"
        if o.eta_ts and not o.eta_day:
            facts.numbers.setdefault("eta_ms", o.eta_ts)
    return line + "。"


#: Words that name an order's state rather than what was bought (「有哪些订单取消了」「退款了吗」).
STATUS_WORDS: dict[str, frozenset[str]] = {
    "取消": frozenset({"cancelled"}),
    "取消了": frozenset({"cancelled"}),
    "退款": frozenset({"refunded"}),
    "退货": frozenset({"refunded"}),
    "退了": frozenset({"cancelled", "refunded"}),
}


def orders_answer(plan: Plan, ctx: Context) -> Facts:
    facts = Facts()
    by_id = {e.event_id: e for e in ctx.events}
    states = frozenset().union(*(STATUS_WORDS[w] for w in plan.include.text if w in STATUS_WORDS))
    if states:  # the state is matched against the status, not the items' names
        text = [w for w in plan.include.text if w not in STATUS_WORDS]
        plan = plan.model_copy(update={"include": plan.include.model_copy(update={"text": text})})
    every = [
        o
        for o in orders(ctx.events, ctx.now_ms)
        if matches(
            f"{o.platform} {o.source_app} {o.carrier} {o.tracking_no} "  # 「中通那个快递」
            + " ".join(f"{i.brand}{i.name} {i.category}" for i in o.items),
            plan.include,
            plan.exclude,
            ctx.table,
            app_text=f"{o.platform} {o.source_app}",
        )
    ]
    every = [o for o in every if o.status not in SETTLED] if plan.pending else every  # 「还没到的快递」
    every = [o for o in every if within(o.total_fen, plan)]  # 「超过100块的订单」
    every = [o for o in every if not states or o.status in states]
    every.sort(key=lambda o: (o.placed_ts, o.order_id), reverse=True)  # newest first
    inside = [o for o in every if in_window(o.placed_ts, plan)]
    op, when = plan.operation, span(plan)
    if op in ("count", "sum", "exists", "average"):
        total = sum(o.total_fen for o in inside)
        facts.numbers.update(count=len(inside), total_fen=total)
        if op == "exists":
            facts.numbers["exists"] = int(bool(inside))
        head = f"{when}匹配的订单共 {len(inside)} 个，合计 {yuan(total)}。"
        if op == "exists":  # a yes/no question is answered yes or no first
            head = f"有，{head}" if inside else f"没有，{when}没有找到匹配的订单。"
        facts.lines.append(head)
        for o in sorted(inside, key=lambda o: o.placed_ts):  # the line shows no ETA/tracking: its current version
            facts.add(
                f"- {local(o.placed_ts, ctx.tz)} {o.platform}「{_names(o)}」{yuan(o.total_fen)}",
                _placed_cites(o, by_id, _order_cites(o, by_id)[:1]),
            )
        return facts
    if op in ("first", "last", "max", "min") and inside:
        pick = {
            "first": lambda: min(inside, key=lambda o: o.placed_ts),
            "last": lambda: max(inside, key=lambda o: o.placed_ts),
            "max": lambda: max(inside, key=lambda o: o.total_fen),
            "min": lambda: min(inside, key=lambda o: o.total_fen),
        }[op]()
        facts.numbers["total_fen"] = pick.total_fen
        facts.add(
            _order_line(pick, ctx.tz, facts)
            + f" 下单于 {local(pick.placed_ts, ctx.tz)}，金额 {yuan(pick.total_fen)}。",
            _placed_cites(pick, by_id, _order_cites(pick, by_id)),
        )
        return facts
    listing = plan.field not in ("status", "eta") and (op == "list" or plan.field == "items")  # 「都买了什么」
    if not inside and every and plan.window is not None and not listing:  # 「上周买的耳机到了吗」: the order
        facts.lines.append(f"{plan.window.phrase}没有找到匹配的订单，以下是最近的匹配订单：")
        inside = every
    if not inside:
        facts.lines.append("没有找到匹配的订单。")
        return facts
    if listing:  # every matching order, each cited, counted
        facts.numbers["count"] = len(inside)
        facts.lines.append(f"{when}匹配的订单共 {len(inside)} 个：")
    inside.sort(key=lambda o: o.status in SETTLED)  # still on its way first (stable: newest first within)

    def cites(o: OrderState) -> list[Event]:  # in a window because of when it was placed
        return _placed_cites(o, by_id, _order_cites(o, by_id)) if plan.window is not None else _order_cites(o, by_id)

    for o in inside[: SHOWN if listing else 3]:
        facts.add(_order_line(o, ctx.tz, facts), cites(o))
    for o in inside[SHOWN:] if listing else ():  # counted, so cited, though not shown
        facts.cite(cites(o))
    return facts


def _entry_line(c: CalendarEntry, tz: str) -> str:
    where = f"，地点 {c.location}" if c.location else ""
    who = f"，参加人 {'、'.join(c.attendees)}" if c.attendees else ""
    note = {"tentative": "（待定）", "cancelled": "（已取消）"}.get(c.status, "（已改期）" if c.moved else "")
    return f"- {local(c.start_ts, tz)}–{local(c.end_ts, tz, '%H:%M')} {c.title}{note}{where}{who}"


def _cite(c: CalendarEntry, by_id: dict[str, Event]) -> list[Event]:
    """Every version of the entry: its time and status are the latest's, and a move or cancellation is cited."""
    return [by_id[v] for v in c.versions if v in by_id]


def calendar_answer(plan: Plan, ctx: Context) -> Facts:
    facts = Facts()
    by_id = {e.event_id: e for e in ctx.events}
    words = plan.include.text
    entries = [
        c
        for c in calendar_entries(ctx.events, ctx.now_ms)
        if all(w in f"{c.title} {c.location} {' '.join(c.attendees)}" for w in words)
        and all(any(t in c.title for t in ctx.table.terms(k)) for k in plan.include.categories)
        and not any(w in c.title for w in plan.exclude.text + plan.exclude.categories)
    ]
    w = plan.window
    if w is None and plan.operation == "free_busy":
        facts.lines.append("没有听出要查哪个时间段，请说明具体时间，例如「下周三下午」。")
        return facts
    start, end = (w.start_ms, w.end_ms) if w else (ctx.now_ms, 2**62)
    live = busy(entries, start, end)
    what = f"「{'、'.join(words)}」" if words else ""
    label = f"{w.phrase}（{span_zh(start, end, ctx.tz)}）" if w else "接下来"
    op = plan.operation
    if op in ("first", "last", "field") or plan.field in ("location", "time", "attendees", "status"):
        if not live and words and op == "field":  # 「季度汇报还开吗」: a named entry, cancelled, says so
            live = [c for c in entries if c.status == "cancelled" and (w is None or start <= c.start_ts < end)]
        if not live:
            facts.lines.append(f"{label}没有找到{what or '匹配的'}日程。")
            return facts
        one = live[-1] if op == "last" else live[0]
        facts.numbers["start_ms"] = one.start_ts
        facts.add(_entry_line(one, ctx.tz), _cite(one, by_id))
        return facts
    facts.numbers["busy" if op == "free_busy" else "count"] = len(live)
    if op == "free_busy":
        facts.lines.append(f"{label}日历上没有安排，有空。" if not live else f"{label}有 {len(live)} 个日程：")
    elif op == "exists":
        facts.numbers["exists"] = int(bool(live))
        facts.lines.append(
            f"{label}{'有' if live else '没有'}{what}日程" + (f"，共 {len(live)} 个：" if live else "。")
        )
    else:
        facts.lines.append(f"{label}{what}共有 {len(live)} 个日程：" if live else f"{label}没有{what}日程。")
    for c in live[:20]:
        facts.add(_entry_line(c, ctx.tz), _cite(c, by_id))
    for c in live[20:]:  # counted, so cited, though not shown
        facts.cite(_cite(c, by_id))
    if op == "free_busy" and w is not None:  # why a slot that was taken is free now
        gone = [c for c in entries if c.status == "cancelled" and c.start_ts < end and c.end_ts > start]
        moved = [
            c
            for c in entries
            if c.status != "cancelled" and c not in live and any(s < end and e > start for s, e in c.previous_slots)
        ]
        for c in gone:
            facts.add(f"- （已取消）{c.title}，原定 {local(c.start_ts, ctx.tz)}", _cite(c, by_id))
        for c in moved:
            facts.add(f"- （已改到 {local(c.start_ts, ctx.tz)}）{c.title}", _cite(c, by_id))
    return facts
