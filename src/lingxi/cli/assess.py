"""``lingxi compliance assess``: the self-assessment (TC260-003 / GB/T 45654-2025) from the command line.

:mod:`lingxi.cli.root` mounts :data:`assess_app` under ``compliance`` (as ``assess``); the audit log's
commands are :mod:`lingxi.cli.audit`. Commands raise lingxi errors, which :func:`lingxi.cli.main` prints as
one line of reason and one of hint.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from lingxi.cli.common import HomeOpt, err, out
from lingxi.config import Settings

assess_app = typer.Typer(name="assess", no_args_is_help=False)  # help comes from the callback docstring


def _scratch(settings: Settings, tmp: Path) -> Settings:
    """The installation's settings on a throw-away home: everything of the real home (keyword library,
    classifier, pulled models) linked in, except its databases and key, so thousands of test turns never enter
    the real audit log, suspension state or PostgreSQL (``database_url`` is dropped)."""
    private = {"lingxi.db", "lingxi.db-wal", "lingxi.db-shm", "master.key", "integrity.key"}
    if settings.home.is_dir():
        for entry in settings.home.iterdir():
            if entry.name not in private:
                (tmp / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
    return settings.model_copy(update={"home": tmp, "database_url": None})


@assess_app.callback(invoke_without_command=True)
def assess(
    data: Annotated[Path, typer.Option("--data", help="safety test data (JSONL), read at run time")],
    out_dir: Annotated[Path, typer.Option("--out", help="where report.json and report.html go")] = Path("assessment"),
    model: Annotated[str | None, typer.Option("--model", "-m", help="model to assess (default: lite)")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="at most N items per refusal bank")] = None,
    allow_overlap: Annotated[
        bool, typer.Option("--allow-overlap", help="score even if the classifier was trained on --data (marked)")
    ] = False,
    home: HomeOpt = None,
) -> None:
    """Run the three TC260 test banks through the configured service; write report.json and report.html.

    The service is this installation's (--home, LINGXI_HOME or the user data dir): its keyword library,
    classifier and guard — the screen the API uses — on a throw-away database, so test turns never enter
    the real audit log.

    示例：lingxi compliance assess --data ../shared/data/safety/safety_dev.jsonl --limit 300
    """
    from lingxi.compliance.assessment import assess as run_assessment
    from lingxi.compliance.assessment import write_report
    from lingxi.facade import Lingxi

    settings = Settings.load(home)
    with tempfile.TemporaryDirectory(prefix="lingxi-assess-") as tmp:
        lx = Lingxi(settings=_scratch(settings, Path(tmp)))
        columns = (TextColumn("评估 assessing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("assess", total=None)
            report = run_assessment(
                lx,
                data,
                model=model,
                limit=limit,
                tick=lambda: progress.advance(task),
                on_start=lambda n: progress.update(task, total=n),
                allow_overlap=allow_overlap,
            )
        report["screen"]["home"] = str(settings.home)
        json_path, html_path = write_report(report, out_dir)
    if report["training_overlap"]:
        err.print("[bold red]警告 WARNING[/]：分类器是用本测试数据训练的，各项指标虚高", highlight=False)
    if "classifier" not in report["screen"]["layers"] or report["lexicon"]["total"] < 1000:
        err.print(
            f"[yellow]注意[/]：{settings.home} 的服务只有种子关键词库或没有分类器，评估的正是它；"
            "先运行 lingxi compliance lexicon build / lingxi compliance train（或用 --home 指定已配置的安装）",
            highlight=False,
        )
    table = Table(title=f"自评估结果 Self-assessment · {settings.home}")
    for col in ("项目 Item", "标准 Required", "实测 Measured", "结论 Result"):
        table.add_column(col)
    for c in report["checks"]:
        table.add_row(c["title_zh"], c["required"], c["actual"], "[green]通过[/]" if c["ok"] else "[red]未通过[/]")
    out.print(table)
    if report["shortfalls"]:
        out.print(f"[red]未达标 {len(report['shortfalls'])} 项 unmet requirements:[/]", highlight=False)
    for note in report["shortfalls"]:
        out.print(f"[red]•[/] {escape(note)}", highlight=False)
    out.print(f"报告 report: {json_path}  {html_path}", highlight=False)
