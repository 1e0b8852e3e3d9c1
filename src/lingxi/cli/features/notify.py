"""``lingxi features digest|conversations|replies``: what did I miss, per-conversation summary, smart replies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from lingxi.cli.common import HomeOpt, out, provenance, user_now
from lingxi.context.sample import SAMPLE_USER_ID
from lingxi.errors import InvalidInput
from lingxi.facade import Lingxi
from lingxi.features.digest import MissedDigest
from lingxi.features.notify_rank import ConversationGroup
from lingxi.features.replies import ReplySuggestions

DEMO_CONVERSATION = "wx-zhangwei"  # 张伟 asks whether 下周三下午 is free: the calendar says it is not

NowOpt = Annotated[str | None, typer.Option("--now", help="ISO-8601 'now', e.g. 2026-11-22T21:30:00+08:00")]
ModelOpt = Annotated[str | None, typer.Option("-m", "--model", help="model name, or 'lite' (default: settings)")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print the result as JSON")]


def _ms(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{option} {value!r} is not ISO-8601", message_zh=f"{option} 不是 ISO-8601 时间") from exc
    if when.tzinfo is None:
        raise InvalidInput(f"{option} must include a UTC offset", message_zh=f"{option} 必须带时区，例如 +08:00")
    return int(when.timestamp() * 1000)


def _hm(when: datetime, tz: str) -> str:
    return when.astimezone(ZoneInfo(tz)).strftime("%m-%d %H:%M")


def print_conversations(console: Console, groups: list[ConversationGroup], tz: str) -> None:
    for g in groups:
        console.print(
            Text.assemble(
                (f"[{g.priority:>3}] ", "bold red" if g.priority >= 40 else "dim"),
                (g.name, "bold"),
                f"（{g.count} 条，未回复 {g.unread}，最近 {_hm(g.latest_at, tz)}）",
                (f"  {'；'.join(g.reasons)}" if g.reasons else "", "yellow"),
            )
        )
        console.print(Padding(g.summary or "（无摘要）", (0, 0, 0, 6)), highlight=False)


def print_missed(console: Console, d: MissedDigest, tz: str) -> None:
    console.print(Rule(f"你错过了什么 · {_hm(d.since, tz)} 至 {_hm(d.until, tz)}"))
    console.print(f"[bold]{d.headline}[/]", highlight=False)
    for item in d.urgent:
        console.print(f"[red]● 紧急[/] {item.app}：{item.text}  [red]（{'；'.join(item.reasons)}）[/]", highlight=False)
    if d.conversations:
        console.print("[bold]消息[/]")
        print_conversations(console, d.conversations, tz)
    if d.groups:
        console.print("[bold]其他通知[/]")
        for g in d.groups:
            console.print(f"  {g.app}（{g.count} 条）：{g.summary or '（无摘要）'}", highlight=False)
    console.print(provenance(d.model, d.model_kind, label=d.label, audit=d.audit_id), highlight=False)


def print_replies(console: Console, r: ReplySuggestions) -> None:
    console.print(f"[bold]{r.conversation_name}[/]：{r.message or '（无消息）'}", highlight=False)
    if r.reason_zh:
        console.print(f"[yellow]{r.reason_zh}[/]", highlight=False)
    for f in r.facts:
        console.print(f"[dim]  依据 {f.fact_id}：{f.text_zh}[/]", highlight=False)
    for i, c in enumerate(r.candidates, 1):
        cites = f"；引用 {', '.join(c.citations)}" if c.citations else ""
        console.print(f"  {i}. {c.text}  [dim]（{c.source}：{c.reason_zh}{cites}）[/]", highlight=False)
    for n in r.checks:
        done = "已改写" if n.action == "rewritten" else "已去掉"
        console.print(f"[dim]  事实核对{done}「{n.original}」：{n.reason_zh}[/]", highlight=False)
    if r.style:
        console.print(f"[dim]你的风格：{r.style.description_zh}[/]", highlight=False)
    console.print(provenance(r.model, r.model_kind, label=r.label), highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("digest")
    def digest(
        user_id: Annotated[str, typer.Argument(help="whose notifications and messages")],
        since: Annotated[str | None, typer.Option("--since", help="ISO-8601 start (default: last digest)")] = None,
        now: NowOpt = None,
        model: ModelOpt = None,
        json: JsonOpt = False,
        home: HomeOpt = None,
    ) -> None:
        """What did I miss: urgent items, then conversations, then apps (since your last digest).

        示例：lingxi features digest demo-user
        """
        lx = Lingxi(home)
        now_ms = user_now(lx, user_id, _ms(now, "--now"))
        d = lx.notifications.digest(user_id, _ms(since, "--since"), now_ms, model=model)
        if json:
            out.print_json(d.model_dump_json())
        else:
            print_missed(out, d, lx.settings.timezone)

    @app.command("conversations")
    def conversations(
        user_id: Annotated[str, typer.Argument(help="whose messages")],
        now: NowOpt = None,
        model: ModelOpt = None,
        json: JsonOpt = False,
        home: HomeOpt = None,
    ) -> None:
        """Recent messages summarized per conversation, highest priority first, with reasons."""
        lx = Lingxi(home)
        d = lx.notifications.conversations(user_id, model=model, now_ms=user_now(lx, user_id, _ms(now, "--now")))
        if json:
            out.print_json(d.model_dump_json())
            return
        out.print(Rule("会话摘要 · 按优先级"))
        print_conversations(out, d.conversations, lx.settings.timezone)

    @app.command("replies")
    def replies(
        user_id: Annotated[str, typer.Argument(help="whose conversation")],
        conversation_id: Annotated[str, typer.Argument(help="e.g. wx-zhangwei")],
        now: NowOpt = None,
        model: ModelOpt = None,
        json: JsonOpt = False,
        home: HomeOpt = None,
    ) -> None:
        """Three reply candidates for the conversation's latest message, in your own style."""
        lx = Lingxi(home)
        r = lx.replies.suggest(user_id, conversation_id, model=model, now_ms=user_now(lx, user_id, _ms(now, "--now")))
        if json:
            out.print_json(r.model_dump_json())
        else:
            print_replies(out, r)


def demo_section(lx: Lingxi, console: Console, now_ms: int) -> None:
    """The sample user's "what did I miss" digest, then three replies to 张伟's question."""
    since = now_ms - lx.settings.notification_window_hours * 3_600_000  # fixed window: the demo repeats
    print_missed(console, lx.notifications.digest(SAMPLE_USER_ID, since, now_ms), lx.settings.timezone)
    lx.notifications.watermarks.forget(SAMPLE_USER_ID)  # a preview: `features digest` next still has it all
    console.print(Rule("智能回复 · 结合日程与你的说话习惯"))
    print_replies(console, lx.replies.suggest(SAMPLE_USER_ID, DEMO_CONVERSATION, now_ms=now_ms))
