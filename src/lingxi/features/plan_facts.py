"""A question's plan → facts over the user's consented events; retrieval when exact matching finds nothing.

The plan is executed by code (:func:`lingxi.query.execute.execute`) over the events its subject needs, read
through the consented view. One case goes on to search: a list of messages by topic words that no message
contains as written (「上周关于搬家的消息」 where the messages say 「搬到」) is answered from the BM25 /
semantic index instead, keeping only messages as they now stand (deleted ones dropped, corrected ones as
corrected) — and the facts say that they are search results.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lingxi.context.consented import EventReader, readable_types
from lingxi.context.entities import effective_messages
from lingxi.context.events import Event, MessageEvent
from lingxi.query.answer import Facts, local
from lingxi.query.execute import TYPES, Context, execute, subjects_read
from lingxi.query.plan import Plan
from lingxi.query.synonyms import Synonyms

if TYPE_CHECKING:
    from lingxi.features.host import FactsHost

READ_LIMIT = 50_000
#: Kinds whose events stand alone (not versions of an entity): read for the plan's window only. Orders,
#: calendar entries, contacts and message updates are read whole, since an entity's state needs every version.
_BY_TIME = frozenset(
    {"payment", "message", "browse"}
)  # events of the needed kinds read per question (a year of a busy user's data)


async def plan_facts(
    lx: FactsHost, events: EventReader, user_id: str, plan: Plan, now_ms: int, table: Synonyms, question: str = ""
) -> Facts:
    """Execute ``plan`` over the user's events as ``events`` (the consented view) lets us read them.

    ``question`` (as asked) is what a search falls back to: the plan's words leave out the cue words
    (「包裹放在哪」 keeps only 包裹), which a search by meaning still wants."""
    types = list(
        dict.fromkeys(t for s in subjects_read(plan) for t in TYPES[s])
    )  # with the subjects it may fall back to
    windowed = [t for t in types if t in _BY_TIME] if plan.window else []
    pool = events.query(user_id, types=[t for t in types if t not in windowed], limit=READ_LIMIT)
    if windowed and plan.window:  # kinds that are not entities: only the window's events are needed
        w = plan.window
        pool += events.query(user_id, types=windowed, since_ms=w.start_ms, until_ms=w.end_ms, limit=READ_LIMIT)
    facts = execute(plan, Context(pool, now_ms, lx.settings.timezone, table))
    wants_search = plan.subject == "message" and plan.operation in ("list", "exists", "field") and plan.include.text
    if wants_search and not facts.citations and not plan.include.counterpart and not plan.include.app:
        found = await _search(lx, user_id, plan, pool, now_ms, question)
        if found.citations:
            return found
    return facts


async def _search(
    lx: FactsHost, user_id: str, plan: Plan, pool: Sequence[Event], now_ms: int, question: str = ""
) -> Facts:
    """Messages the search index finds for the plan's words, as they now read."""
    facts = Facts()
    tz = lx.settings.timezone
    if "message" not in readable_types(lx.consents.granted(user_id)):  # the index is read directly
        return facts
    current = {m.event_id: m for m in effective_messages(pool, now_ms)}
    hits = await lx.retriever.asearch(
        user_id,
        question or " ".join(plan.include.text),
        types=["message"],
        since_ms=plan.window.start_ms if plan.window else None,
        until_ms=plan.window.end_ms if plan.window else None,
        limit=8,
        tz=tz,
    )
    shown = [current[h.event.event_id] for h in hits if h.event.event_id in current]
    if not shown:
        return facts
    facts.lines.append(f"没有消息原样包含「{'、'.join(plan.include.text)}」；以下是检索到的相关消息：")
    for m in sorted(shown, key=lambda m: m.ts):
        if isinstance(m, MessageEvent):
            who = "你" if m.direction == "out" else m.sender
            facts.add(f"- {local(m.ts, tz)} {who}（{m.conversation_name}）：{m.text}", [m])
    return facts
