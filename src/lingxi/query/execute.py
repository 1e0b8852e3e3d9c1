"""Execute a :class:`~lingxi.query.plan.Plan` over the user's events, by code: exact, cited, in Chinese.

Pure functions over a list of events (the caller reads them through the consented view): money is summed in
integer fen, every line cites the events it rests on, and entities (orders, calendar entries, messages) are
taken in their current state at ``now`` from :mod:`lingxi.context.entities` — a cancelled meeting is not busy,
a corrected message reads as corrected, an order's status is its latest. When the data holds nothing that
matches, the answer says 「没有找到…」 instead of answering another question (e.g. the total of everything).

Payments live here; orders and calendar in :mod:`lingxi.query.exec_entities`, messages and browsing in
:mod:`lingxi.query.exec_messages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lingxi.context.entities import contacts, link_payments, orders
from lingxi.context.events import Event, PaymentEvent
from lingxi.query.answer import Facts, local, mean_fen, yuan
from lingxi.query.plan import Filters, Plan
from lingxi.query.synonyms import Synonyms

__all__ = ["TYPES", "Context", "execute", "matches", "pay_line", "select_payments", "subjects_read", "within"]

#: The event types each subject needs (entities need their updates and, for payments, the orders they paid).
TYPES: dict[str, tuple[str, ...]] = {
    "payment": ("payment", "order"),
    "order": ("order",),
    "calendar": ("calendar",),
    "message": ("message", "message_update", "contact"),
    "browse": ("browse",),
}


@dataclass(frozen=True)
class Context:
    """What a plan is executed against: the events, the time, the zone, the synonym table."""

    events: Sequence[Event]
    now_ms: int
    tz: str
    table: Synonyms


def matches(text: str, include: Filters, exclude: Filters, table: Synonyms, *, app_text: str = "") -> bool:
    """Whether an event's ``text`` fits the filters.

    Synonym-table words are alternatives within their kind (「打车和外卖」: either category; 「京东或淘宝」: either
    shop); words outside the table must each occur as said (「超过」 finds nothing rather than being dropped);
    the kinds must all hold; no exclude word may match.
    """
    lower = text.lower()

    def hit(word: str, where: str = lower) -> bool:
        return any(t.lower() in where for t in table.terms(word))

    for group in (include.categories, include.merchants):
        if group and not any(hit(w) for w in group):
            return False
    if not all(w.lower() in lower for w in include.text):
        return False
    if include.app and not hit(include.app, (app_text or text).lower()):
        return False
    excluded = (*exclude.categories, *exclude.merchants, *([exclude.app] if exclude.app else []))
    return not any(hit(w) for w in excluded) and not any(w.lower() in lower for w in exclude.text)


def in_window(ts: int, plan: Plan) -> bool:
    w = plan.window
    return w is None or w.start_ms <= ts < w.end_ms


def within(fen: int, plan: Plan) -> bool:
    """Whether an amount lies within the plan's bounds (「超过200」「不到10块」; inclusive, 0: no bound)."""
    return fen >= plan.min_fen and (not plan.max_fen or fen <= plan.max_fen)


def span(plan: Plan) -> str:
    return plan.window.phrase if plan.window and plan.window.phrase else "全部时间"


def select_payments(plan: Plan, ctx: Context) -> tuple[list[PaymentEvent], dict[str, list[Event]]]:
    """Matching payments (oldest first), and for each the order versions its items came from."""
    by_id = {e.event_id: e for e in ctx.events}
    states = {o.order_id: o for o in orders(ctx.events, ctx.now_ms)}
    links = link_payments([e for e in ctx.events if e.ts <= ctx.now_ms])
    found: list[PaymentEvent] = []
    via: dict[str, list[Event]] = {}
    people: dict[str, str] = {}  # a payee/payer who is a contact also goes by their aliases and relation (女儿)
    for c in contacts(ctx.events, ctx.now_ms):
        for name in (c.name, *c.handles.values()):
            people[name] = " ".join((c.name, *c.aliases, c.relation))
    for p in ctx.events:
        if not isinstance(p, PaymentEvent) or p.ts > ctx.now_ms or not in_window(p.ts, plan):
            continue
        if p.direction != plan.direction or p.currency != "CNY" or not within(p.amount_fen, plan):
            continue
        link = links.get(p.event_id)
        order = states.get(link.order_id) if link else None
        items = " ".join(f"{i.brand}{i.name} {i.category}" for i in order.items) if order else ""
        platform = order.platform if order else ("" if p.source_app == p.channel else p.source_app)  # 美团 app
        text = f"{p.merchant} {p.category} {platform} {items} {people.get(p.merchant, '')}"
        if matches(text, plan.include, plan.exclude, ctx.table, app_text=f"{p.channel} {p.source_app}"):
            found.append(p)
            used_items = order is not None and not matches(
                f"{p.merchant} {p.category}", plan.include, Filters(), ctx.table, app_text=f"{p.channel} {p.source_app}"
            )
            if used_items and link is not None and link.order_versions:  # the order's items decided it: cite
                via[p.event_id] = [by_id[v] for v in link.order_versions[-1:] if v in by_id]  # its current version
    found.sort(key=lambda p: (p.ts, p.event_id))
    return found, via


def pay_line(p: PaymentEvent, tz: str) -> str:
    return f"- {local(p.ts, tz)} {p.merchant} {yuan(p.amount_fen)}（{p.channel or p.source_app}）"


def payments(plan: Plan, ctx: Context) -> Facts:
    from lingxi.query import exec_money  # split for size; it imports helpers from here

    if plan.versus_window is not None:
        return exec_money.compare(plan, ctx)
    if plan.group_by:
        return exec_money.breakdown(plan, ctx)
    facts = Facts()
    pays, via = select_payments(plan, ctx)
    said = plan.include.categories + plan.include.merchants + plan.include.text
    what = plan.what or "、".join(said) or plan.include.app or "全部"
    if plan.exclude.categories or plan.exclude.merchants:
        what += "（不含" + "、".join(plan.exclude.categories + plan.exclude.merchants) + "）"
    verb = "收入" if plan.direction == "in" else "支出"
    when = span(plan)
    filtered = not (plan.include.empty() and plan.exclude.empty())
    if not pays and (filtered or plan.operation not in ("sum", "count", "exists", "list")):
        none = "（0 笔）" if plan.operation == "count" else ""
        facts.lines.append(f"{when}没有找到与「{what}」相关的{verb}{none}。")
        facts.numbers.update(total_fen=0, count=0) if plan.operation in ("sum", "count") else None
        if plan.operation == "exists":
            facts.numbers["exists"] = 0
        return facts
    total = sum(p.amount_fen for p in pays)
    op = "last" if plan.operation == "field" else plan.operation  # one payment's attribute: the latest one
    if op in ("first", "last", "max", "min"):
        if op == "max":
            one = max(pays, key=lambda p: (p.amount_fen, -p.ts))
        elif op == "min":
            one = min(pays, key=lambda p: (p.amount_fen, p.ts))
        else:
            one = pays[0] if op == "first" else pays[-1]
        label = {"first": "第一笔", "last": "最近一笔", "max": "金额最高的一笔", "min": "金额最低的一笔"}[op]
        facts.numbers.update(amount_fen=one.amount_fen)
        facts.add(
            f"{when}「{what}」{label}{verb}：{local(one.ts, ctx.tz)} 在 {one.merchant} {yuan(one.amount_fen)}"
            f"（{one.channel or one.source_app}）。",
            [one, *via.get(one.event_id, [])],
        )
        return facts
    if op == "count":
        facts.numbers.update(count=len(pays), total_fen=total)
        facts.lines.append(f"{when}「{what}」{verb}共 {len(pays)} 笔（合计 {yuan(total)}）。")
    elif op == "average":
        avg = mean_fen(total, len(pays))
        facts.numbers.update(average_fen=avg, count=len(pays), total_fen=total)
        facts.lines.append(f"{when}「{what}」{verb}共 {len(pays)} 笔，合计 {yuan(total)}，平均每笔 {yuan(avg)}。")
    elif op == "exists":
        facts.numbers.update(exists=int(bool(pays)), count=len(pays))
        head = f"有，共 {len(pays)} 笔，合计 {yuan(total)}" if pays else "没有"
        facts.lines.append(f"{when}{'「' + what + '」' if filtered else ''}{verb}：{head}。")
    else:  # sum, list
        facts.numbers.update(total_fen=total, count=len(pays))
        facts.lines.append(f"{when}「{what}」{verb}共 {len(pays)} 笔，合计 {yuan(total)}。")
    for p in pays:
        facts.add(pay_line(p, ctx.tz), [p, *via.get(p.event_id, [])])
    return facts


#: Where else a plan's words may name something when its own subject finds nothing: 「周会在哪开」 has no
#: calendar cue word but names a calendar entry; 「这周买过奶茶没有」 says 买 but the tea was paid for, not ordered.
ALTERNATES: dict[str, tuple[str, ...]] = {
    "message": ("calendar", "order", "payment"),
    "order": ("payment", "calendar"),
    "payment": ("calendar", "order"),
}
#: Operations that ask about *one thing or whether it is there*: answerable from another subject's data.
#: (A sum or count of money never is: 「花了多少」 answered with calendar entries would be another question.)
PORTABLE = frozenset({"field", "exists", "list", "first", "last"})
#: Fields only an entity has: asked with no subject cue (「周会几点开始」), the entities are looked at first.
ENTITY_FIELDS = frozenset({"time", "location", "attendees", "status", "eta"})


def _named(plan: Plan) -> bool:
    """Whether the plan's words name something another subject could hold (what the user *sent* never is:
    「我回复陈静了没有」 asks about the user's messages, not a meeting 陈静 attends)."""
    return not (plan.include.empty() or (plan.include.app and not plan.include.text) or plan.sent_by_me)


def subjects_read(plan: Plan) -> tuple[str, ...]:
    """The subjects whose events :func:`execute` may look at for ``plan``: its own, and the alternates it may
    fall back to (the caller reads their events through the consented view: never a kind not consented to)."""
    if not _named(plan) or (plan.operation not in PORTABLE and plan.subject != "message"):
        return (plan.subject,)
    return (plan.subject, *ALTERNATES.get(plan.subject, ()))


def _moved(plan: Plan, subject: str) -> Plan:
    """``plan`` asked of ``subject`` instead: its words become what to match there."""
    inc = plan.include
    if subject == "calendar":  # an entry is found by words in its title, place or people
        words = [*inc.categories, *inc.merchants, *inc.text, *([inc.counterpart] if inc.counterpart else [])]
        include = Filters(text=words[:6])
    else:
        include = inc.model_copy(update={"counterpart": ""})
    op = plan.operation if plan.operation != "sum" else "list"
    return plan.model_copy(update={"subject": subject, "include": include, "operation": op})


def execute(plan: Plan, ctx: Context) -> Facts:
    """Answer ``plan`` over ``ctx.events`` (see the module docstring).

    When the plan's subject finds nothing but its words name something of another subject in the data
    (:data:`ALTERNATES`), that answer is given instead — the words decide, not a guess: with no match anywhere
    the first 「没有找到」 stands.
    """
    from lingxi.query import exec_entities, exec_messages  # split for size; they import helpers from here

    runners = {
        "payment": payments,
        "order": exec_entities.orders_answer,
        "calendar": exec_entities.calendar_answer,
        "message": exec_messages.messages_answer,
        "browse": exec_messages.browse_answer,
    }
    named = _named(plan)
    if plan.subject == "message" and plan.field in ENTITY_FIELDS and named:  # 「周会在哪开」: an entry's place
        for subject in ALTERNATES["message"]:
            moved = _moved(plan, subject)
            if not moved.include.empty() and (other := runners[subject](moved, ctx)).citations:
                return other
    facts = runners[plan.subject](plan, ctx)
    if facts.citations or not named or (plan.operation not in PORTABLE and plan.subject != "message"):
        return facts
    for subject in ALTERNATES.get(plan.subject, ()):
        moved = _moved(plan, subject)
        if not moved.include.empty() and (other := runners[subject](moved, ctx)).citations:
            return other
    return facts
