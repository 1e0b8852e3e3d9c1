"""``lingxi bakeoff``: compare models (cloud presets, on-device GGUFs, the lite floor) on the same tasks.

``run`` asks what is missing in the output directory's result store (so an interrupted or extended run only
fills gaps), ``report`` writes the HTML/JSON/CSV report, ``list`` shows the task items.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from lingxi.bakeoff.runner import Bakeoff
from lingxi.bakeoff.scoring import DIMENSION_NAMES_ZH, DIMENSIONS, Scorecard, parse_weights
from lingxi.bakeoff.store import ResultStore
from lingxi.bakeoff.tasks import TASK_NAMES_ZH, parse_task_list
from lingxi.cli.common import HomeOpt, err, out, print_error
from lingxi.config import Settings
from lingxi.errors import LingxiError, NotFound
from lingxi.facade import Lingxi

bakeoff_app = typer.Typer(no_args_is_help=True, help="vendor bake-off: same tasks on every model, ranked report")


def _build_report(
    store: ResultStore, run: str, out_dir: Path, weights: dict[str, float]
) -> tuple[Path, Path, Path, list[Scorecard]]:
    """:func:`lingxi.bakeoff.report.build_report`, imported when a report is written: matplotlib alone adds
    ~0.3 s, which every other ``lingxi`` command would otherwise pay at start-up."""
    from lingxi.bakeoff.report import build_report

    return build_report(store, run, out_dir, weights)


OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="results DB and report (default: <home>/bakeoff, where the web console looks)"),
]


def _out(out_dir: Path | None, home: Path | None) -> Path:
    return out_dir or Settings.load(home).home / "bakeoff"


RunOpt = Annotated[str, typer.Option("--run", help="run name inside the output directory")]
WeightsOpt = Annotated[str | None, typer.Option("--weights", help="e.g. quality=0.4,cost=0.2,latency=0.2")]


def _fail(exc: LingxiError) -> typer.Exit:
    if os.environ.get("LINGXI_DEBUG"):
        raise exc
    print_error(exc)
    return typer.Exit(2)


def print_scorecard(cards: list[Scorecard], console: Console = out) -> None:
    table = Table(title="模型评测综合排名")
    for col in ("名次", "模型", "总分", *(DIMENSION_NAMES_ZH[d] for d in DIMENSIONS), "每千次成本(元)", "p50(ms)"):
        table.add_column(col)
    for n, c in enumerate(cards, 1):
        dims = [f"{c.dims[d]:.2f}" if c.dims.get(d) is not None else "—" for d in DIMENSIONS]
        cost = f"{c.cost_per_1k_cny:.2f}" if c.cost_per_1k_cny is not None else "—"
        p50 = f"{c.total_p50_ms:.0f}" if c.total_p50_ms is not None else "—"
        table.add_row("基线" if c.baseline else str(n), c.provider, f"{c.total:.3f}", *dims, cost, p50)
    console.print(table)


def demo_section(lx: Lingxi, console: Console, now_ms: int) -> None:
    """A three-item-per-task bake-off of the lite floor (the only model every installation has), in a temp dir."""
    console.rule("模型评测（bake-off）：lite 基线，每类 3 题")
    with tempfile.TemporaryDirectory() as tmp:
        bake = Bakeoff(lx.settings, Path(tmp), limit=3, now_ms=now_ms)
        bake.run(["lite"], ["mc", "personal", "json"])
        _, _, _, cards = _build_report(bake.store, "default", Path(tmp), parse_weights(None))
    print_scorecard(cards, console)
    console.print(
        "用 `lingxi bakeoff run --providers dashscope/qwen-plus,deepseek/deepseek-chat,lite --out DIR` 对比云端模型。"
    )


@bakeoff_app.command("run")
def run_cmd(
    providers: Annotated[str, typer.Option("--providers", "-p", help="comma-separated: dashscope/qwen-plus,lite,…")],
    out_dir: OutOpt = None,
    tasks: Annotated[
        str, typer.Option("--tasks", "-t", help="mc,checks,personal,compliance,tools,json,vision; all = all but vision")
    ] = "all",
    home: HomeOpt = None,
    run: RunOpt = "default",
    mc_data: Annotated[Path | None, typer.Option("--mc-data", help="CMMLU/C-Eval CSV file or directory")] = None,
    safety_data: Annotated[Path | None, typer.Option("--safety-data", help="safety JSONL for compliance")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="at most this many items per task")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=64, help="requests at once per model")] = 4,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="seconds per item")] = 120.0,
    weights: WeightsOpt = None,
) -> None:
    """Run every provider through the tasks (only what is missing), then write the report."""
    out_dir = _out(out_dir, home)
    try:
        specs = [s.strip() for s in providers.split(",") if s.strip()]
        kinds, chosen = parse_task_list(tasks), parse_weights(weights)
        bake = Bakeoff(
            Settings.load(home), out_dir, run_name=run, concurrency=concurrency, timeout_s=timeout,
            mc_data=mc_data, safety_data=safety_data, limit=limit,
        )  # fmt: skip
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
        ) as bar:
            ids: dict[str, TaskID] = {}

            def tick(provider: str, done: int, total: int) -> None:
                if provider not in ids:
                    ids[provider] = bar.add_task(provider, total=total)
                bar.update(ids[provider], completed=done, total=total)

            summary = bake.run(specs, kinds, tick)
        for spec, why in summary.errors.items():
            err.print(f"[yellow]{spec} 不可用[/]：{why}", highlight=False)
        asked = "，".join(f"{p} 新测 {n} 题（已有 {summary.kept.get(p, 0)} 题）" for p, n in summary.asked.items())
        err.print(asked or "没有可测的模型", highlight=False)
        html, _, _, cards = _build_report(bake.store, run, out_dir, chosen)
    except LingxiError as exc:
        raise _fail(exc) from exc
    print_scorecard(cards)
    out.print(f"报告：{html}", highlight=False)


@bakeoff_app.command("report")
def report_cmd(
    out_dir: OutOpt = None, run: RunOpt = "default", weights: WeightsOpt = None, home: HomeOpt = None
) -> None:
    """Write report.html, results.json and results.csv from the stored results."""
    out_dir = _out(out_dir, home)
    try:
        if not (out_dir / "bakeoff.db").is_file():
            raise NotFound(f"{out_dir}: no bakeoff.db", message_zh=f"{out_dir} 中没有评测结果",
                           hint="run `lingxi bakeoff run --out DIR` first")  # fmt: skip
        store = ResultStore(out_dir)
        if run not in store.runs():
            raise NotFound(f"no run {run!r} in {out_dir}", message_zh=f"没有名为 {run} 的评测",
                           hint=f"runs: {', '.join(store.runs()) or '(none)'}")  # fmt: skip
        html, json_path, csv_path, cards = _build_report(store, run, out_dir, parse_weights(weights))
    except LingxiError as exc:
        raise _fail(exc) from exc
    print_scorecard(cards)
    out.print(f"报告：{html}\nJSON：{json_path}\nCSV：{csv_path}", highlight=False)


@bakeoff_app.command("list")
def list_cmd(
    tasks: Annotated[str, typer.Option("--tasks", "-t")] = "all",
    mc_data: Annotated[Path | None, typer.Option("--mc-data")] = None,
    home: HomeOpt = None,
) -> None:
    """Show the task kinds and how many items each has."""
    try:
        table = Table(title="评测任务")
        for col in ("任务", "名称", "题数"):
            table.add_column(col)
        with tempfile.TemporaryDirectory() as tmp:
            bake = Bakeoff(Settings.load(home), Path(tmp), mc_data=mc_data)
            for kind in parse_task_list(tasks):
                table.add_row(kind, TASK_NAMES_ZH[kind], str(len(bake.items(kind))))
    except LingxiError as exc:
        raise _fail(exc) from exc
    out.print(table)
