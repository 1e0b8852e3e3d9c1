"""Messages (who said what, how often, the last time) and browsing, over what the user now sees.

Messages are :func:`~lingxi.context.entities.effective_messages` at ``now``: a deleted message is gone, a
corrected one reads as corrected and keeps its id. A counterpart is matched through the user's contacts
(name, aliases, relation such as 妈妈/老板, app handles) and, for people not in the contacts, by the sender or
conversation name as said.
"""

from __future__ import annotations

from lingxi.context.entities import contacts, effective_messages
from lingxi.context.events import BrowseEvent, MessageEvent
from lingxi.query.answer import Facts, local
from lingxi.query.execute import Context, in_window, matches, span
from lingxi.query.plan import Filters, Plan

__all__ = ["browse_answer", "counterpart_names", "messages_answer"]

SHOWN = 10  # message lines listed at most (the newest); counts always cover every match


def counterpart_names(who: str, ctx: Context) -> tuple[set[str], str]:
    """Every name ``who`` goes by in the data, and the relation it names (if it is one)."""
    names = {who}
    relation = ""
    for c in contacts(ctx.events, ctx.now_ms):
        if who in (c.name, *c.aliases, c.relation) or (len(who) >= 2 and who in c.name):
            names |= {c.name, *c.aliases, *c.handles.values()}
            relation = c.relation if who == c.relation else relation
    return {n for n in names if n}, relation or who


def _line(m: MessageEvent, tz: str) -> str:
    who = "你" if m.direction == "out" else m.sender
    where = f"（{m.conversation_name}）" if m.conversation_name and m.conversation_name != m.sender else ""
    return f"- {local(m.ts, tz)} {who}{where}：{m.text}"


def _select(plan: Plan, ctx: Context) -> list[MessageEvent]:
    app_terms = ctx.table.terms(plan.include.app) if plan.include.app else ()
    named = Filters(categories=plan.include.categories, merchants=plan.include.merchants)  # 「说过电影」
    pool = [
        m
        for m in effective_messages(ctx.events, ctx.now_ms)
        if in_window(m.ts, plan)
        and all(any(t in m.text for t in ctx.table.said_terms(w)) for w in plan.include.text)
        and not any(w in m.text for w in plan.exclude.text)
        and (not plan.include.app or any(t in f"{m.source_app} {m.conversation_name}" for t in app_terms))
        and matches(m.text, named, plan.exclude, ctx.table)
    ]
    pool = [m for m in pool if m.direction == "in"] if plan.to_me else pool
    who = plan.include.counterpart
    if not who:
        return pool
    names, relation = counterpart_names(who, ctx)
    in_conv = [m for m in pool if any(n in m.conversation_name for n in names)]
    if plan.sent_by_me:
        return [m for m in in_conv if m.direction == "out"]
    said = [m for m in pool if m.direction == "in" and (any(n in m.sender for n in names) or m.relation == relation)]
    if plan.to_me:  # what they said (in any conversation), else what came in from the conversation named
        return said or [m for m in in_conv if m.direction == "in"]
    return list({m.event_id: m for m in (*said, *in_conv)}.values())  # the conversation, both ways


def messages_answer(plan: Plan, ctx: Context) -> Facts:
    facts = Facts()
    found = sorted(_select(plan, ctx), key=lambda m: (m.ts, m.event_id))
    who = plan.include.counterpart
    about = "、".join(plan.include.text)
    subject = (f"你发给{who}的" if plan.sent_by_me else f"{who}的") if who else ""
    subject += f"提到「{about}」的" if about else ""
    subject += f"{plan.include.app}" if plan.include.app else ""
    when = span(plan)
    facts.numbers["count"] = len(found)
    if not found:
        facts.lines.append(f"{when}没有找到{subject}消息。")
        if plan.operation == "exists":
            facts.numbers["exists"] = 0
        return facts
    op = plan.operation
    if op in ("first", "last"):
        one = found[0] if op == "first" else found[-1]
        facts.lines.append(f"{when}{subject}{'第一条' if op == 'first' else '最近一条'}消息：")
        facts.add(_line(one, ctx.tz), [one])
        return facts
    if op == "count":
        facts.lines.append(f"{when}{subject}消息共 {len(found)} 条。")
        shown = found
    else:
        if op == "exists":
            facts.numbers["exists"] = 1
        head = f"{when}{subject}消息共 {len(found)} 条"
        facts.lines.append(head + (f"，最近 {SHOWN} 条：" if len(found) > SHOWN else "："))
        shown = found[-SHOWN:]
        facts.cite(found[:-SHOWN])  # not shown, but the count rests on them too
    for m in shown:
        facts.add(_line(m, ctx.tz), [m])
    return facts


def browse_answer(plan: Plan, ctx: Context) -> Facts:
    facts = Facts()
    seen = sorted(
        (
            e
            for e in ctx.events
            if isinstance(e, BrowseEvent)
            and e.ts <= ctx.now_ms
            and in_window(e.ts, plan)
            and matches(f"{e.platform} {e.brand}{e.item_name} {e.category}", plan.include, plan.exclude, ctx.table)
        ),
        key=lambda e: e.ts,
    )
    facts.numbers["count"] = len(seen)
    when = span(plan)
    if not seen:
        facts.lines.append(f"{when}没有找到匹配的浏览记录。")
        return facts
    picked = seen[-1:] if plan.operation == "last" else seen[:1] if plan.operation == "first" else seen[-SHOWN:]
    facts.lines.append(f"{when}浏览记录共 {len(seen)} 条：")
    for e in picked:
        facts.add(f"- {local(e.ts, ctx.tz)} {e.platform}「{e.brand}{e.item_name}」", [e])
    if plan.operation not in ("first", "last"):
        facts.cite(seen[:-SHOWN])  # counted, so cited, though not shown
    return facts
