"""``lingxi ingest``: stream events from a JSONL file (or stdin) into the store, listing every bad line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from lingxi.cli.common import HomeOpt, err, out, zh_help
from lingxi.errors import NotFound


class _OnErrorChoice(StrEnum):
    """Values of ``lingxi ingest --on-error`` (a StrEnum so Typer lists and validates the choices)."""

    skip = "skip"
    reject = "reject"


@zh_help("从 JSONL 文件（或标准输入 -）写入事件；每条无效的行都列出行号和原因。")
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
    from lingxi.context.ingest import OnError, ingest_lines
    from lingxi.facade import Lingxi

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
