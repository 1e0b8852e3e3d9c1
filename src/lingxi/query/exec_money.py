"""Money answers over more than one set of payments: a comparison of two periods and a breakdown by group.

Both reuse :func:`~lingxi.query.execute.select_payments` (the same filters, windows, amount bounds and
payment↔order linking as a single total), so 「这个月买菜比上个月多花了多少」 is exactly this month's total minus
last month's, and 「各类花了多少」 adds up to 「一共花了多少」. Sums are integer fen; every payment counted is
cited (and the order version whose items matched it).
"""

from __future__ import annotations

from lingxi.context.events import Event, PaymentEvent
from lingxi.query.answer import Facts, local, yuan
from lingxi.query.execute import Context, pay_line, select_payments, span
from lingxi.query.plan import Filters, Plan
from lingxi.query.synonyms import PAY_CHANNELS

__all__ = ["breakdown", "compare"]


def _what(plan: Plan) -> str:
    said = plan.include.categories + plan.include.merchants + plan.include.text
    what = plan.what or "、".join(said) or plan.include.app
    if plan.exclude.categories or plan.exclude.merchants:
        what += "（不含" + "、".join(plan.exclude.categories + plan.exclude.merchants) + "）"
    return f"「{what}」" if what else ""


def compare(plan: Plan, ctx: Context) -> Facts:
    """``plan.window`` against ``plan.versus_window``: both totals (or counts), and the difference, by code."""
    assert plan.versus_window is not None
    facts = Facts()
    other = plan.model_copy(update={"window": plan.versus_window, "versus_window": None, "versus": ""})
    (a, via_a), (b, via_b) = select_payments(plan, ctx), select_payments(other, ctx)
    ta, tb = sum(p.amount_fen for p in a), sum(p.amount_fen for p in b)
    wa, wb = span(plan), span(other)
    verb = "收入" if plan.direction == "in" else "支出"
    diff = ta - tb
    facts.numbers.update(diff_fen=diff, total_fen=ta, other_fen=tb, count=len(a), other_count=len(b))
    facts.numbers["diff_count"] = len(a) - len(b)
    spent = "收" if plan.direction == "in" else "花"
    if plan.operation == "count":
        d = len(a) - len(b)
        tail = f"{wa}比{wb}{'多' if d > 0 else '少'} {abs(d)} 笔。" if d else f"{wa}和{wb}笔数一样。"
    else:
        tail = f"{wa}比{wb}{'多' if diff > 0 else '少'}{spent}了 {yuan(abs(diff))}。" if diff else f"{wa}和{wb}一样多。"
    facts.lines.append(f"{_what(plan)}{verb}：{wa} {yuan(ta)}（{len(a)} 笔），{wb} {yuan(tb)}（{len(b)} 笔）；{tail}")
    for label, pays, via in ((wa, a, via_a), (wb, b, via_b)):
        if pays:
            facts.lines.append(f"{label}：")
        for p in pays:
            facts.add(pay_line(p, ctx.tz), [p, *via.get(p.event_id, [])])
    return facts


def _each(plan: Plan) -> list[tuple[str, Plan]]:
    """One plan per word the question named (「买菜和看病各花了多少」): the word alone as the filter."""
    inc = plan.include
    named = [
        *((w, Filters(categories=[w])) for w in inc.categories),
        *((w, Filters(app=w) if w in PAY_CHANNELS else Filters(merchants=[w])) for w in inc.merchants),
        *([(inc.app, Filters(app=inc.app))] if inc.app else []),
        *((w, Filters(text=[w])) for w in inc.text),
    ]
    return [(w, plan.model_copy(update={"include": f, "group_by": ""})) for w, f in named]


def _key(p: PaymentEvent, how: str, tz: str) -> str:
    if how == "merchant":
        return p.merchant
    if how == "channel":
        return p.channel or p.source_app
    if how == "day":
        return local(p.ts, tz, "%m月%d日")
    return p.category or "其他"


def breakdown(plan: Plan, ctx: Context) -> Facts:
    """A total per group, largest first; a payment counts once (in the first group named that holds it)."""
    facts = Facts()
    groups: dict[str, list[PaymentEvent]] = {}
    via: dict[str, list[Event]] = {}
    seen: set[str] = set()
    if plan.group_by == "each" and len(parts := _each(plan)) > 1:
        for word, sub in parts:
            pays, used = select_payments(sub, ctx)
            groups[word] = [p for p in pays if p.event_id not in seen]
            seen |= {p.event_id for p in pays}
            via |= used
    else:
        how = "category" if plan.group_by == "each" else plan.group_by
        pays, via = select_payments(plan.model_copy(update={"group_by": ""}), ctx)
        for p in pays:
            groups.setdefault(_key(p, how, ctx.tz), []).append(p)
    every = [p for g in groups.values() for p in g]
    total = sum(p.amount_fen for p in every)
    verb = "收入" if plan.direction == "in" else "支出"
    facts.numbers.update(total_fen=total, count=len(every))
    if not every:
        facts.lines.append(f"{span(plan)}没有找到{_what(plan)}相关的{verb}。")
        return facts
    facts.lines.append(f"{span(plan)}{_what(plan)}{verb}共 {len(every)} 笔，合计 {yuan(total)}，分别是：")
    order = sorted(groups.items(), key=lambda kv: -sum(p.amount_fen for p in kv[1]))
    if plan.group_by == "each" or plan.group_by == "day":  # as the user named them / in calendar order
        order = list(groups.items()) if plan.group_by == "each" else sorted(groups.items())
    for name, pays in order:
        cited: list[Event] = [e for p in pays for e in (p, *via.get(p.event_id, []))]
        facts.add(f"- {name}：{yuan(sum(p.amount_fen for p in pays))}（{len(pays)} 笔）", cited)
    return facts
