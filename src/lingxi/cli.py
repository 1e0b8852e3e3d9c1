"""The ``lingxi`` command line (Typer).

Every command takes ``--home`` (default: ``LINGXI_HOME`` or the user data dir). Errors lingxi expects are
printed as one line of reason (Chinese, then English) and one line of hint, with exit code 1; there is no
traceback unless ``LINGXI_DEBUG=1``.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, BinaryIO
from zoneinfo import ZoneInfo

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from lingxi.__about__ import __version__
from lingxi.cli_assess import assess_app, audit_app
from lingxi.cli_bakeoff import bakeoff_app
from lingxi.cli_common import HomeOpt, err, out, print_error
from lingxi.cli_compliance import compliance_app
from lingxi.cli_demo import print_digest, run_demo
from lingxi.cli_features import features_app
from lingxi.cli_index import index_app
from lingxi.cli_keys import keys_app
from lingxi.cli_labels import complaints_app, label_app
from lingxi.cli_lexicon import lexicon_app
from lingxi.cli_models import models_app
from lingxi.cli_privacy import privacy_app
from lingxi.config import Settings
from lingxi.context.ingest import OnError, ingest_lines
from lingxi.errors import InvalidInput, LingxiError, NotFound
from lingxi.facade import Lingxi
from lingxi.features.chat import Chat
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
app.add_typer(
    features_app, name="features", help="AI features: writing tools, notifications, smart replies, assistant, shopping"
)
app.add_typer(models_app, name="models", help="on-device model catalog, pull/rm, and what is usable now")
app.add_typer(bakeoff_app, name="bakeoff", help="vendor bake-off: compare models on the same tasks, ranked report")
app.add_typer(keys_app, name="keys", help="API keys per app for `lingxi serve`: create, list, revoke")
app.add_typer(index_app, name="index", help="semantic search: vector index status, embed the backlog now")
compliance_app.add_typer(lexicon_app, name="lexicon", help="keyword library: build, pull, coverage")
compliance_app.add_typer(assess_app, name="assess")
app.add_typer(compliance_app, name="compliance", help="content screening (TC260 risks), classifier, self-assessment")
app.add_typer(audit_app, name="audit", help="hash-chained audit log: verify, export, prune")
app.add_typer(label_app, name="label", help="AI-content labels in exported files (GB 45438-2025)")
app.add_typer(complaints_app, name="complaints", help="complaints and reports (Interim Measures Art. 15)")
app.add_typer(
    privacy_app, name="privacy", help="user rights (PIPL): consents, non-personalized mode, minors, export, delete"
)

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
    """Load the bundled sample user's week, run the features on it, then show one event arriving live.

    示例：lingxi demo --home /tmp/lingxi-demo
    """
    run_demo(Lingxi(home), out, model)


class _OnErrorChoice(StrEnum):
    """Values of ``lingxi ingest --on-error`` (a StrEnum so Typer lists and validates the choices)."""

    skip = "skip"
    reject = "reject"


@app.command()
def ingest(
    file: Annotated[str, typer.Argument(help="JSON Lines file of events, or - for stdin")],
    home: HomeOpt = None,
    on_error: Annotated[
        _OnErrorChoice,
        typer.Option(
            "--on-error",
            help="skip: store the good lines and list the bad ones; reject: store nothing if any line is bad",
        ),
    ] = _OnErrorChoice.skip,
    batch_size: Annotated[int, typer.Option(min=1, help="events per transaction")] = 1000,
) -> None:
    """Stream events from a JSONL file into the store; every bad line is listed with its number and reason.

    Exit code 1 if any line was bad (with --on-error reject nothing is stored then).

    示例：lingxi ingest events.jsonl --on-error reject
    """
    if file == "-":
        stream: BinaryIO = sys.stdin.buffer
        total: int | None = None
    else:
        path = Path(file)
        if not path.is_file():
            raise NotFound(f"{file}: no such file", message_zh=f"找不到文件：{file}", hint="check the path")
        stream, total = path.open("rb"), path.stat().st_size
    lx = Lingxi(home)
    mode: OnError = "reject" if on_error is _OnErrorChoice.reject else "skip"
    columns = (TextColumn("写入事件"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with stream, Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("ingest", total=total)

        def lines() -> Iterator[bytes]:
            for line in stream:  # bytes, so the bar advances by exactly what was read
                bar.advance(task, len(line))
                yield line

        report = ingest_lines(lx.events, lines(), on_error=mode, batch_size=batch_size)
    for e in report.errors:
        err.print(f"[red]第 {e.line} 行[/]：{e.message_zh}（line {e.line}: {e.message}）", highlight=False)
    if report.invalid > len(report.errors):
        err.print(f"……另有 {report.invalid - len(report.errors)} 行无效未列出", highlight=False)
    if report.stored_nothing_because_invalid:
        err.print(
            f"[red]未写入任何事件[/]：{report.invalid} 行无效（共 {report.lines} 行）。"
            "提示：修正后重试，或用 --on-error skip 先写入有效的行",
            highlight=False,
        )
    else:
        bad = f"，无效 {report.invalid} 条" if report.invalid else ""
        out.print(f"已写入 {report.added} 条，重复 {report.duplicates} 条{bad}（共 {report.lines} 行）")
    if report.invalid:
        raise typer.Exit(1)


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
    print_digest(out, lx.notification_summary(user_id, model=model, now_ms=_parse_now(now)), lx.settings.timezone)


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

    API keys are required once any exists (`lingxi keys create`) and always off loopback; in-flight
    requests and streams get server.graceful_shutdown_s to finish on Ctrl-C / SIGTERM.

    示例：lingxi serve --port 8000
    """
    import uvicorn

    from lingxi.server import logs
    from lingxi.server.app import create_app, serve_config
    from lingxi.server.keys import KeyStore, load_secret

    lx = Lingxi(home)
    server = lx.settings.server
    loopback = host in ("127.0.0.1", "localhost", "::1")
    if server.auth == "off" and not loopback:
        raise InvalidInput(
            f"auth = off is only allowed on a loopback address, not {host}",
            message_zh="关闭鉴权只允许在本机回环地址上运行",
            hint="bind 127.0.0.1, or create keys with `lingxi keys create` and use auth = auto",
        )
    if looping := registry.providers_pointing_at(lx.settings, host, port):
        names = ", ".join(looping)
        raise InvalidInput(
            f"[providers.{looping[0]}] base_url points at this server ({host}:{port}): it would call itself",
            message_zh=f"云端服务 {names} 的 base_url 指向本服务（{host}:{port}），会造成循环调用",
            hint="point base_url at the real model server, or serve lingxi on another port",
        )
    mode = "required" if not loopback else server.auth
    if mode == "off" or (mode == "auto" and not KeyStore(lx.db, load_secret(lx.settings.home)).any_keys()):
        err.print(
            "[bold red]警告：未启用鉴权[/]——本机任何程序都能读写所有用户的数据。"
            "用 `lingxi keys create APP --scope features` 创建密钥即可启用。",
            highlight=False,
        )
    logs.configure()
    uvicorn.run(create_app(lx, auth_mode=mode), host=host, port=port, **serve_config(server))


def main() -> None:
    """Console entry point: run the app, turning expected errors into one-line messages."""
    try:
        app()
    except LingxiError as exc:
        if os.environ.get("LINGXI_DEBUG"):
            raise
        print_error(exc)
        sys.exit(1)
    except Exception as exc:  # a bug: still one line for the user, the traceback on request
        if os.environ.get("LINGXI_DEBUG"):
            raise
        err.print(f"[red]内部错误[/]：{type(exc).__name__}: {exc}", highlight=False)
        err.print("提示：rerun with LINGXI_DEBUG=1 for the traceback and report it", highlight=False)
        sys.exit(1)
