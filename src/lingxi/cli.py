"""The ``lingxi`` command line (Typer).

Every command takes ``--home`` (default: ``LINGXI_HOME`` or the user data dir). Errors lingxi expects are
printed as one line of reason (Chinese, then English) and one line of hint, with exit code 1; there is no
traceback unless ``LINGXI_DEBUG=1``.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from lingxi.__about__ import __version__
from lingxi.cli_models import models_app
from lingxi.config import Settings
from lingxi.context.events import Event, MessageEvent, parse_event
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID, sample_events
from lingxi.errors import InvalidInput, LingxiError, NotFound
from lingxi.facade import Lingxi
from lingxi.features.chat import Chat
from lingxi.features.notifications import NotificationDigest
from lingxi.models import registry
from lingxi.models.base import Message
from lingxi.pipeline import Answer, Options

app = typer.Typer(
    name="lingxi",
    help="灵犀 lingxi — personal AI features in Chinese, on device or in the cloud.\n\n"
    "Examples:\n\n  lingxi demo\n\n  lingxi notifications demo-user --now 2026-11-22T21:30:00+08:00\n\n"
    "  lingxi serve --port 8000",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(models_app, name="models", help="on-device model catalog, pull/rm, and what is usable now")
out = Console()
err = Console(stderr=True)

HomeOpt = Annotated[Path | None, typer.Option("--home", help="data directory (default: LINGXI_HOME or user data dir)")]
ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="model name, or 'lite' (see /v1/models)")]


def _version(value: bool) -> None:
    if value:
        out.print(f"lingxi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """灵犀 lingxi."""


def _local(ms: int, tz: str, fmt: str = "%m-%d %H:%M") -> str:
    return datetime.fromtimestamp(ms / 1000, ZoneInfo(tz)).strftime(fmt)


def _print_digest(digest: NotificationDigest, tz: str) -> None:
    start, end = (_local(int(t.timestamp() * 1000), tz) for t in (digest.window_start, digest.window_end))
    out.print(Rule(f"通知摘要 · {start} 至 {end} · 紧急在前"))
    for g in digest.groups:
        when = _local(int(g.latest_at.timestamp() * 1000), tz)
        head = Text.assemble(
            ("● 紧急 " if g.urgent else "○ 普通 ", "bold red" if g.urgent else "dim"),
            (g.app, "bold"),
            f"（{g.count} 条，最近 {when}）",
            (f"  原因：{'；'.join(g.reasons)}" if g.reasons else "", "red"),
        )
        out.print(head)
        out.print(Padding(g.summary or "（无摘要）", (0, 0, 1, 4)))
    out.print(
        f"[dim]模型：{digest.model}（{digest.model_kind}）· 标识：{digest.label} · 审计记录：{digest.audit_id}[/]"
    )


def _parse_now(now: str | None) -> int | None:
    if now is None:
        return None
    try:
        moment = datetime.fromisoformat(now)
    except ValueError:
        raise InvalidInput(
            f"--now {now!r} is not an ISO-8601 time",
            message_zh="--now 不是合法的 ISO-8601 时间",
            hint="e.g. --now 2026-11-22T21:30:00+08:00",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return int(moment.timestamp() * 1000)


@app.command()
def demo(home: HomeOpt = None, model: ModelOpt = None) -> None:
    """Load the bundled sample user's week, then run the notification summary and a writing tool.

    示例：lingxi demo --home /tmp/lingxi-demo
    """
    lx = Lingxi(home)
    tz = lx.settings.timezone
    loaded = lx.load_sample()
    out.print(
        Panel.fit(
            f"样例用户：林晓雨（{SAMPLE_USER_ID}，虚构人物）· 数据目录：{lx.settings.home}\n"
            f"载入一周事件：新增 {loaded.added} 条，已存在 {loaded.duplicates} 条\n"
            f"以样例数据的时间 {_local(SAMPLE_NOW_MS, tz, '%Y-%m-%d %H:%M')}（{tz}）为当前时间",
            title=f"灵犀 lingxi {__version__} 演示",
        )
    )
    _print_digest(lx.notification_summary(SAMPLE_USER_ID, model=model, now_ms=SAMPLE_NOW_MS), tz)
    chat, lines = _week_of_group_chat(sample_events(), "产品组")
    answer = lx.key_points("\n".join(lines), user_id=SAMPLE_USER_ID, model=model, points=4)
    label = answer.label.explicit if answer.label else "无"
    out.print(
        Panel(
            f"[dim]原文：本周「{chat}」群聊 {len(lines)} 条消息[/]\n\n[bold]要点：[/]\n{answer.text}\n\n"
            f"[dim]模型：{answer.model}（{answer.model_kind}）· 标识：{label}[/]",
            title="写作工具 · 要点提炼",
        )
    )


def _week_of_group_chat(events: list[Event], name: str) -> tuple[str, list[str]]:
    """The named conversation's messages as lines, oldest first.

    Sender names are left out: repeated on every line they would dominate the word overlap TextRank ranks by.
    """
    lines = []
    for e in sorted(events, key=lambda e: e.ts):
        if isinstance(e, MessageEvent) and e.conversation_name == name:
            text = e.text if e.text[-1] in "。！？!?" else e.text + "。"
            lines.append(text)
    return name, lines


@app.command()
def ingest(
    file: Annotated[str, typer.Argument(help="JSON Lines file of events, or - for stdin")],
    home: HomeOpt = None,
) -> None:
    """Validate and store events from a JSONL file; a bad line stops the batch and names its line number.

    示例：lingxi ingest events.jsonl
    """
    if file == "-":
        lines = sys.stdin.read().splitlines()
    else:
        path = Path(file)
        if not path.is_file():
            raise NotFound(f"{file}: no such file", message_zh=f"找不到文件：{file}", hint="check the path")
        lines = path.read_text(encoding="utf-8").splitlines()
    events: list[Event] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            events.append(parse_event(line))
        except InvalidInput as exc:
            raise InvalidInput(
                f"line {n}: {exc.message}",
                message_zh=f"第 {n} 行：{exc.message_zh}",
                hint="fix the line and rerun; nothing from this file was stored",
            ) from exc
    result = Lingxi(home).ingest(events)
    out.print(f"已写入 {result.added} 条，重复 {result.duplicates} 条（共 {len(events)} 条）")


@app.command()
def notifications(
    user_id: Annotated[str, typer.Argument(help="whose notifications")],
    home: HomeOpt = None,
    model: ModelOpt = None,
    now: Annotated[str | None, typer.Option(help="ISO-8601 time to treat as now")] = None,
) -> None:
    """Summarize a user's recent notifications by app, urgent first.

    示例：lingxi notifications demo-user --now 2026-11-22T21:30:00+08:00
    """
    lx = Lingxi(home)
    _print_digest(lx.notification_summary(user_id, model=model, now_ms=_parse_now(now)), lx.settings.timezone)


@app.command()
def chat(
    prompt: Annotated[str, typer.Argument(help="the prompt, or - to read it from stdin")],
    model: ModelOpt = None,
    home: HomeOpt = None,
    system: Annotated[str | None, typer.Option(help="system prompt")] = None,
    max_tokens: Annotated[int | None, typer.Option(min=1, help="upper bound on generated tokens")] = None,
    temperature: Annotated[float | None, typer.Option(min=0.0, max=2.0)] = None,
    seed: Annotated[int | None, typer.Option(help="sampling seed")] = None,
) -> None:
    """One-shot chat, streamed to the terminal; MODEL is a GGUF path, a pulled or configured name, or provider/model.

    示例：lingxi chat -m dashscope/qwen-plus "用一句话介绍杭州"
          echo "帮我总结：……" | lingxi chat -m qwen2.5-0.5b-instruct -
    """
    text = sys.stdin.read() if prompt == "-" else prompt
    if not text.strip():
        raise InvalidInput("the prompt is empty", message_zh="提示词为空", hint='lingxi chat -m MODEL "提示"')
    settings = Settings.load(home)
    extra = [registry.resolve_spec(model, settings, allow_paths=True)] if model else []
    lx = Lingxi(settings=settings, models=extra)
    messages = ([Message(role="system", content=system)] if system else []) + [Message(role="user", content=text)]
    options = Options(max_tokens=max_tokens, temperature=temperature, seed=seed)
    name = extra[0].info.name if extra else None
    turn = lx.turn(Chat(), "local", model=name, inputs={"messages": messages}, options=options)

    async def run() -> None:
        async for delta in await lx.astream(turn):
            sys.stdout.write(delta)
            sys.stdout.flush()

    asyncio.run(run())
    sys.stdout.write("\n")
    answer = Answer.of(turn)
    label = answer.label.explicit if answer.label else "无"
    err.print(f"[dim]模型：{answer.model}（{answer.model_kind}）· 标识：{label}[/]", highlight=False)


@models_app.command("list")
def models_list(home: HomeOpt = None) -> None:
    """Every model this installation can use now, and why the others cannot (missing key, missing file).

    示例：lingxi models list
    """
    settings = Settings.load(home)
    _, configured = registry.build(settings)
    rows = configured + registry.pulled_report(settings.home) + registry.presets_report()
    table = Table(title="模型（可用 / 不可用原因）")
    for col in ("名称", "层级", "可用", "说明"):
        table.add_column(col)
    tiers = {"lite": "轻量（无权重）", "on_device": "端侧", "cloud": "云端"}
    for r in rows:
        table.add_row(r.name, tiers[r.tier], "[green]是[/]" if r.usable else "[red]否[/]", r.reason)
    out.print(table)


@app.command()
def serve(
    home: HomeOpt = None,
    host: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to bind")] = 8000,
) -> None:
    """Run the HTTP service (OpenAI-compatible /v1/chat/completions, feature endpoints, /docs).

    示例：lingxi serve --port 8000
    """
    import uvicorn

    from lingxi.server.app import create_app

    uvicorn.run(create_app(Lingxi(home)), host=host, port=port, log_level="info")


def main() -> None:
    """Console entry point: run the app, turning expected errors into one-line messages."""
    try:
        app()
    except LingxiError as exc:
        if os.environ.get("LINGXI_DEBUG"):
            raise
        err.print(f"[red]错误[/]：{exc.reason()}", highlight=False)
        if exc.hint:
            err.print(f"提示：{exc.hint}", highlight=False)
        sys.exit(1)
    except Exception as exc:  # a bug: still one line for the user, the traceback on request
        if os.environ.get("LINGXI_DEBUG"):
            raise
        err.print(f"[red]内部错误[/]：{type(exc).__name__}: {exc}", highlight=False)
        err.print("提示：rerun with LINGXI_DEBUG=1 for the traceback and report it", highlight=False)
        sys.exit(1)
