"""``lingxi compliance``: screen texts with the installation's layered screener, and train its classifier.

A Typer sub-app kept out of ``cli.py``; ``cli.py`` mounts it (and mounts the lexicon commands under it).
``screen`` is a filter: one text per line on stdin, one JSON object per line out, so it composes with
shell pipelines and test banks. ``train`` builds ``<home>/models/safety-classifier/`` from a local copy of
labeled data (never committed: the model derives from third-party data). Errors are lingxi errors, which
``cli.main`` prints as one line of reason and one of hint.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from lingxi.cli.common import HomeOpt, err, out
from lingxi.compliance import anchor_words as anchors
from lingxi.compliance.classifier import ClassifierScreener, default_dir
from lingxi.compliance.everyday_floors import raise_classifier, read_lines
from lingxi.compliance.layers import screening_service
from lingxi.compliance.refusal import crisis
from lingxi.compliance.semantic import default_dir as semantic_dir
from lingxi.compliance.semantic_train import check_model, train_semantic
from lingxi.compliance.training import ClassMetrics, TrainReport, read_examples, train
from lingxi.compliance.training_templates import package_lines
from lingxi.config import Settings

compliance_app = typer.Typer(
    name="compliance",
    help="Content compliance (TC260-003): screen texts, train the safety classifier. 内容合规：筛查与分类器训练。",
    no_args_is_help=True,
)


def _home(home: Path | None) -> Path:
    return Settings.load(home).home


@compliance_app.command()
def screen(
    home: HomeOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="write the JSON lines to this file (default: stdout)")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="classifier block threshold (default: as trained)")
    ] = None,
) -> None:
    """Screen one text per line from stdin; print one JSON verdict per line.

    The service's own screener (the one the API and pipeline use): seed + built + custom keyword library,
    the classifier if trained (lingxi compliance train), the guard model if configured.

    示例：echo "今天天气不错" | lingxi compliance screen
    """
    settings = Settings.load(home)
    screener, _info = screening_service(settings)
    if threshold is not None:
        for layer in screener.layers:
            if isinstance(layer, ClassifierScreener):
                layer.threshold, layer.thresholds = threshold, {}
    sink: TextIO = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for line in sys.stdin:
            text = line.rstrip("\n")
            r = screener.screen(text)
            row: dict[str, object] = {
                "verdict": r.verdict,
                "risks": list(r.risks),
                "scores": r.scores,
                "layer": r.layer,
            }
            if crisis(text):  # the pipeline answers these with support and hotlines, never a refusal
                row["crisis"] = True
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            sink.flush()
    finally:
        if output:
            sink.close()


@compliance_app.command()
def status(home: HomeOpt = None) -> None:
    """Say what the screening service uses: keyword library, classifier, guard, and what is missing.

    示例：lingxi compliance status
    """
    _screener, info = screening_service(Settings.load(home), warn=False)
    out.print(
        f"关键词 keyword terms: {info.keyword_terms}（词库 library: {info.library or '仅种子词表 seed only'}）",
        highlight=False,
    )
    if info.classifier is None:
        out.print("分类器 classifier: 未训练 not trained", highlight=False)
    else:
        out.print(f"分类器 classifier: {json.dumps(info.classifier, ensure_ascii=False)}", highlight=False)
    out.print(f"守卫模型 guard model: {'已配置 configured' if info.guard else '未配置 none'}", highlight=False)
    out.print(f"筛查层 layers: {' → '.join(info.layers)}", highlight=False)
    for line in info.warnings():
        out.print(f"[yellow]注意 warning:[/yellow] {escape(line)}")


def _metrics_table(title: str, rows: list[ClassMetrics]) -> Table:
    table = Table(title=title)
    for col in ("类别 class", "精确率 P", "召回率 R", "F1", "样本 n"):
        table.add_column(col, justify="left" if col.startswith("类别") else "right")
    for m in rows:
        table.add_row(m.label, f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}", str(m.support))
    return table


def print_report(report: TrainReport, console: Console) -> None:
    """The held-out metrics as two tables, then where the model went."""
    where = "、".join(report.test_sources) or "按哈希留出 20 % hash split"
    console.print(_metrics_table(f"留出集二分类 held-out block/pass（测试来源 {where}）", report.binary))
    shown = "，".join(f"{k} {v:.2f}" for k, v in sorted(report.thresholds.items())) or str(report.threshold)
    console.print(
        f"各风险类别阈值 per-class thresholds（1.01 = 不单独拦截 never blocks alone）: {shown}", highlight=False
    )
    if report.risk:
        console.print(_metrics_table("留出集风险类别 held-out risk codes (TC260)", report.risk))
    console.print(
        f"训练 {report.n_train} 条、评估 {report.n_test} 条，用时 {report.seconds:.1f} 秒；"
        f"模型已保存到 {report.out_dir}（由第三方数据训练，请勿提交到代码库）",
        highlight=False,
    )


@compliance_app.command("train")
def train_cmd(
    data: Annotated[Path, typer.Option("--from", "--data", help="safety JSONL file, or a directory of *.jsonl")],
    home: HomeOpt = None,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0, help="block when P(block) ≥ this")] = 0.5,
    budget: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="share of must-pass prompts that may be blocked (default: 2 % of the validation split; "
            "1 % of out-of-source scores with --out-of-source)",
        ),
    ] = None,
    out_of_source: Annotated[
        bool,
        typer.Option(
            help="choose thresholds on out-of-source scores (far fewer wrong blocks on new banks, far fewer "
            "blocked must-refuse prompts: benchmarks/README.md)"
        ),
    ] = False,
    balance_sources: Annotated[
        bool, typer.Option(help="each source weighs the same (experimental: more blocked, more wrong blocks)")
    ] = False,
    benign_budget: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="opt-in floors under the thresholds: the share of ordinary must-pass prompts of unseen sources "
            "that may be blocked (e.g. 0.01: fewer everyday blocks, fewer must-refuse blocked)",
        ),
    ] = None,
    semantic: Annotated[
        bool, typer.Option(help="also train the semantic layer (request-aware, out-of-source thresholds)")
    ] = True,
    semantic_model: Annotated[
        str,
        typer.Option(
            help="the semantic layer's model: linear (default), mlp (opt-in: a small network over char and word "
            "n-grams; ranks new banks better, blocks more everyday text) or request (opt-in: that network on more "
            "risky prompts, thresholds from --everyday)"
        ),
    ] = "linear",
    anchor_words: Annotated[
        bool,
        typer.Option(
            help="opt-in: learn risk words from the training prompts; a classifier block under twice its "
            "threshold then needs one that is not only asked about (fewer wrong blocks, a few fewer must-refuse)"
        ),
    ] = False,
    shipped_lines: Annotated[
        bool,
        typer.Option(
            "--shipped-lines/--no-shipped-lines",
            help="train on the everyday lines shipped with lingxi as must-pass prompts (the default), at thresholds "
            "that block no source's must-pass prompts more than without them (far fewer everyday messages blocked; "
            "minutes more: benchmarks/README.md, wave 13)",
        ),
    ] = True,
    pass_lines: Annotated[
        list[Path] | None,
        typer.Option(
            help="opt-in: a file of everyday lines that must pass (repeatable), trained on as must-pass prompts "
            "(fewer everyday and must-answer blocks, a little fewer must-refuse: benchmarks/README.md)"
        ),
    ] = None,
    everyday: Annotated[
        list[Path] | None,
        typer.Option(
            help="opt-in: a file of everyday lines that must pass (repeatable); the classifier's thresholds are "
            "raised above them, and the request model takes its thresholds from them"
        ),
    ] = None,
) -> None:
    """Train the safety classifier (char n-grams + logistic regression) into <home>/models/safety-classifier/.

    The test set is the records of held-out sources (banks the model never sees; a 20 % hash split when
    the data has none of them); per-class thresholds are chosen on a validation split of the rest, or with
    --out-of-source on out-of-source scores (each source group scored by a model trained without it).
    Precision/recall/F1 on the test set are printed and recorded in the manifest.

    示例：lingxi compliance train --from /path/to/safety/
    """
    lines = read_lines(everyday) if everyday else None
    check_model(semantic_model, lines)
    target = default_dir(_home(home))
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("训练安全分类器", total=None)
        report = train(
            data,
            target,
            threshold=threshold,
            budget=budget,
            balance_sources=balance_sources,
            out_of_source=out_of_source,
            benign_budget=benign_budget,
            pass_lines=(package_lines() if shipped_lines else []) + (read_lines(pass_lines) if pass_lines else []),
            progress=lambda msg: bar.update(task, description=msg),
        )
        (target / anchors.FILENAME).unlink(missing_ok=True)  # a retrained model starts without the old table
        if anchor_words:
            bar.update(task, description="学习风险锚词 anchor words")
            anchors.save(target, anchors.build_from(Path(data)))  # grey-band blocks must rest on one
        raised = raise_classifier(target, lines) if lines else None
        manifest = (
            train_semantic(
                read_examples(data),
                _home(home),
                progress=lambda msg: bar.update(task, description=msg),
                data_path=Path(data),
                model=semantic_model,
                everyday=lines,
            )
            if semantic
            else None
        )
    print_report(report, out)
    if raised is not None:
        shown = "，".join(f"{k} {v:.2f}" for k, v in sorted(raised.items()))
        out.print(f"分类器阈值已提高到日常语句之上（上面的测试指标按原阈值）classifier thresholds raised above the "
                  f"{len(lines or [])} everyday lines: {shown}", highlight=False)  # fmt: skip
    if manifest is not None:
        shown = "，".join(f"{k} {v:.2f}" for k, v in sorted(dict(manifest["thresholds"]).items()))  # type: ignore[call-overload]
        out.print(
            f"语义筛查层已训练（阈值：{'日常语句' if lines and semantic_model == 'request' else '来源外验证'}）"
            f"semantic layer thresholds: {shown}；"
            f"保存到 {semantic_dir(_home(home))}（由第三方数据训练，请勿提交到代码库）",
            highlight=False,
        )
