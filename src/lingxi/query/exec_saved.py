"""Reminders (待办), the shopping cart and favourites (收藏): things the user keeps, in their state at ``now``.

A reminder is an entity (:func:`~lingxi.context.entities.reminders`): its latest version decides its title, due
time and status, so a reminder marked done is no longer 「还没完成」. Cart and favourite events add or remove an
item; what is in the cart now is what was added and not removed since. Every answer cites the versions it rests
on (the current one of each thing listed, and the earlier ones of a thing it names).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from lingxi.context.entities import reminders
from lingxi.context.event_kinds import CartEvent, FavoriteEvent
from lingxi.context.events import Event
from lingxi.query.answer import Facts
from lingxi.query.execute import Context, in_window, matches
from lingxi.query.plan import Plan

__all__ = ["reminder_answer", "saved_answer"]


def day(ms: int, tz: str) -> str:
    """「10月5日 09:00」: the month and day without a leading zero, as people write a date."""
    t = datetime.fromtimestamp(ms / 1000, ZoneInfo(tz))
    return f"{t.month}月{t.day}日 {t:%H:%M}"


def reminder_answer(plan: Plan, ctx: Context) -> Facts:
    """Open reminders (a list, a count) or the one a question names (its due day, whether it is done)."""
    by_id = {e.event_id: e for e in ctx.events}
    found = [
        r
        for r in reminders(ctx.events, ctx.now_ms)
        if matches(r.title, plan.include, plan.exclude, ctx.table)
        and (plan.window is None or (r.due_ts is not None and in_window(r.due_ts, plan)))
    ]
    facts = Facts()
    one = plan.operation in ("field", "exists", "first", "last")
    if not one:
        found = [r for r in found if r.status == "open"]  # 「还剩哪些」「几个待办」: what is still to do
    if not found:
        facts.numbers.update(count=0, exists=0)
        facts.lines.append("没有找到" + (f"「{plan.what}」的" if plan.what else "还没完成的") + "提醒。")
        return facts
    if one:  # the named reminder: an open one before a done one, the latest due first
        found = [sorted(found, key=lambda r: (r.status == "open", r.due_ts or 0))[-1]]
    facts.numbers.update(count=len(found), exists=1)
    state = {"open": "未完成", "done": "已完成", "cancelled": "已取消"}
    if not one:
        facts.lines.append(f"还没完成的提醒共 {len(found)} 个：")
    for r in found:
        due = f"，{day(r.due_ts, ctx.tz)} 到期" if r.due_ts is not None else "，没有设到期时间"
        facts.add(f"- 「{r.title}」{due}（{state[r.status]}）", [by_id[v] for v in r.versions if v in by_id])
    return facts


def saved_answer(plan: Plan, ctx: Context) -> Facts:
    """What is in the cart (``plan.subject == "cart"``) or among the favourites now; or whether an item is."""
    kind = CartEvent if plan.subject == "cart" else FavoriteEvent
    where = "购物车" if plan.subject == "cart" else "收藏"
    history: dict[str, list[Event]] = {}
    now: dict[str, CartEvent | FavoriteEvent] = {}
    for e in sorted(ctx.events, key=lambda e: (e.ts, e.event_id)):
        if isinstance(e, kind) and e.ts <= ctx.now_ms:
            history.setdefault(e.item_id, []).append(e)
            if e.action == "add":
                now[e.item_id] = e
            else:
                now.pop(e.item_id, None)
    text = {k: f"{e.platform} {e.brand}{e.item_name} {e.category}" for k, e in now.items()}
    hit = [e for k, e in now.items() if matches(text[k], plan.include, plan.exclude, ctx.table)]
    hit = [e for e in hit if plan.operation != "list" or plan.window is None or in_window(e.ts, plan)]
    facts = Facts()
    facts.numbers.update(count=len(hit), exists=int(bool(hit)))
    if not hit:
        facts.lines.append(f"没有，{where}里没有找到" + (f"「{plan.what}」。" if plan.what else "东西。"))
        return facts
    head = "有，" if plan.operation == "exists" else ""
    facts.lines.append(f"{head}{where}里现在共有 {len(hit)} 件：")
    for e in hit:
        facts.add(f"- {e.platform}「{e.brand}{e.item_name}」", history[e.item_id])
    return facts
