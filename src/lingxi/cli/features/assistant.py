"""``lingxi features ask``: the personal assistant from the command line, and its part of ``lingxi demo``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.rule import Rule

from lingxi.cli.common import HomeOpt, err, out, provenance, user_now
from lingxi.context.sample import SAMPLE_USER_ID
from lingxi.errors import InvalidInput
from lingxi.facade import Lingxi
from lingxi.features.assistant import AssistantReply

DEMO_QUESTIONS = ("我在京东买的耳机什么时候到？", "下周三下午有空吗？", "这个月外卖花了多少钱？")
DEMO_ACTION = "提醒我明天早上8点给妈妈打电话"


def _now(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"--now {value!r} is not ISO-8601", message_zh="--now 不是 ISO-8601 时间") from exc
    if when.tzinfo is None:
        raise InvalidInput("--now must include a UTC offset", message_zh="--now 必须带时区，例如 +08:00")
    return int(when.timestamp() * 1000)


def print_reply(console: Console, reply: AssistantReply) -> None:
    console.print(reply.text, highlight=False)
    if reply.citations:
        console.print(f"[dim]引用：{'、'.join(reply.citations)}[/]", highlight=False)
    if reply.invalid_citations:
        console.print(f"[yellow]已删除无效引用：{'、'.join(reply.invalid_citations)}[/]", highlight=False)
    a = reply.answer
    line = provenance(a.get("model"), a.get("model_kind"))
    planner = f"（计划：{reply.planner}）" if reply.planner else ""
    console.print(f"[dim]意图：{reply.intent}{planner} · [/]{line}[dim] · 会话：{reply.session_id}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("ask")
    def ask(
        user_id: Annotated[str, typer.Argument(help="whose data to answer from")],
        question: Annotated[str, typer.Argument(help="the question, e.g. 这个月外卖花了多少钱？")],
        session: Annotated[str | None, typer.Option("--session", help="continue this session")] = None,
        now: Annotated[str | None, typer.Option("--now", help="ISO-8601 'now', e.g. 2026-11-22T21:30+08:00")] = None,
        model: Annotated[str | None, typer.Option("-m", "--model", help="model name (default: settings)")] = None,
        yes: Annotated[bool, typer.Option("--yes", help="confirm a pending action without asking")] = False,
        home: HomeOpt = None,
    ) -> None:
        """Ask the assistant about your own data; confirm any app action it proposes."""
        lx = Lingxi(home)
        now_ms = user_now(lx, user_id, _now(now))
        reply = lx.assistant.ask(user_id, question, session_id=session, model=model, now_ms=now_ms)
        print_reply(out, reply)
        action = reply.pending_action
        if action is None:
            return
        approve = yes or typer.confirm(f"执行「{action.summary_zh}」？", default=False, err=True)
        done = lx.assistant.confirm(user_id, reply.session_id, action.action_id, approve)
        (out if approve else err).print(done.text, highlight=False)


def demo_section(lx: Lingxi, console: Console, now_ms: int) -> None:
    """The assistant on the sample user: three questions, then one action proposed and confirmed."""
    console.print(Rule("个人助理 · 基于你自己的数据回答（带引用）"))
    for q in DEMO_QUESTIONS:
        console.print(f"[bold]问：{q}[/]")
        print_reply(console, lx.assistant.ask(SAMPLE_USER_ID, q, now_ms=now_ms))
        console.print()
    console.print(f"[bold]问：{DEMO_ACTION}[/]")
    reply = lx.assistant.ask(SAMPLE_USER_ID, DEMO_ACTION, now_ms=now_ms)
    print_reply(console, reply)
    if reply.pending_action:
        done = lx.assistant.confirm(SAMPLE_USER_ID, reply.session_id, reply.pending_action.action_id, True)
        console.print(f"[green]用户确认 → {done.text}[/]", highlight=False)
