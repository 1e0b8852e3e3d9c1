"""``lingxi features write KIND TEXT`` and ``lingxi features proofread build``: writing tools from the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.rule import Rule
from rich.table import Table

from lingxi.cli.common import HomeOpt, out
from lingxi.config import Settings
from lingxi.facade import Lingxi
from lingxi.features import proofread_build
from lingxi.features.proofread import ProofreadResult
from lingxi.features.table import TableData
from lingxi.features.writing import KINDS
from lingxi.features.writing_base import WritingResult

#: Demo text with seeded errors: 的→地, 以经, 按装, a half-width comma, 在见, 帐号.
DEMO_PROOFREAD = "林晓雨认真的检查了方案，以经按装好新版本,明天在见。帐号已经开通。"
DEMO_REWRITE = "其实那个，方案俺们基本上搞定啦，周五下午3点咱们再对一下哈~"


def edits_table(result: ProofreadResult) -> Table:
    table = Table("起", "止", "原文", "改为", "类型", "原因")
    for e in result.edits:
        table.add_row(str(e.start), str(e.end), e.original, e.replacement, e.kind, e.reason_zh)
    return table


def print_result(console: Console, result: WritingResult) -> None:
    if isinstance(result, ProofreadResult):
        console.print(edits_table(result) if result.edits else "未发现需要修改的地方。")
        console.print(f"改正后：{result.text}", highlight=False)
    elif isinstance(result, TableData):
        console.print(result.markdown, highlight=False, markup=False)
    else:
        console.print(str(getattr(result, "text", "")), highlight=False, markup=False)
    model = result.model or "-"
    console.print(f"[dim]模型：{model}（{result.method}）· 字形：{result.script}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("write")
    def write(
        kind: Annotated[str, typer.Argument(help=f"one of: {', '.join(KINDS)}")],
        text: Annotated[str, typer.Argument(help="the text, or - to read stdin")],
        tone: Annotated[str, typer.Option("--tone", help="rewrite: 正式/友好/简洁/专业")] = "正式",
        target: Annotated[str | None, typer.Option("--target", help="translate: zh, en, zh-Hant")] = None,
        script: Annotated[str | None, typer.Option("--script", help="zh-Hans, zh-Hant or zh-Hant-TW")] = None,
        model: Annotated[str | None, typer.Option("-m", "--model", help="model name (default: settings)")] = None,
        home: HomeOpt = None,
    ) -> None:
        """Rewrite, proofread, summarize, key_points, table or translate a text.

        示例：lingxi features write proofread "他认真的学习，以经按装好了。"
        """
        body = sys.stdin.read() if text == "-" else text
        lx = Lingxi(home)
        options: dict[str, object] = {"script": script, "model": model}
        if kind == "rewrite":
            options["tone"] = tone
        if kind == "translate":
            options["target"] = target
        print_result(out, lx.writing.run(kind, body, **options))

    proofread_app = typer.Typer(no_args_is_help=True, help="proofreading model / 校对模型：构建")
    app.add_typer(proofread_app, name="proofread")

    @proofread_app.command("build")
    def build(
        src: Annotated[Path, typer.Option("--from", help="folder with ecspell_csc.jsonl / 校对训练数据目录")],
        text: Annotated[
            list[Path] | None,
            typer.Option("--text", help="extra licensed Chinese text, JSON lines with a text field (repeatable)"),
        ] = None,
        judge: Annotated[
            bool,
            typer.Option(
                "--judge",
                help="also train the judge of the language model's swaps (opt-in: benchmarks/README.md, wave 12)",
            ),
        ] = False,
        long_words: Annotated[
            bool,
            typer.Option(
                "--long-words",
                help="lower LM margin for swaps completing a long word (opt-in: benchmarks/README.md, wave 15)",
            ),
        ] = False,
        home: HomeOpt = None,
    ) -> None:
        """Learn confusions and language models from licensed text / 从授权语料构建校对模型。"""
        manifest = proofread_build.build(src, Settings.load(home).home, text or [], judge=judge, long_words=long_words)
        out.print(
            f"{manifest['learned_pairs']} 组易混字 learned pairs; sha256 {manifest['sha256'][:12]}…", highlight=False
        )
        lm_scores = ", ".join(f"{k} {v:.3f}" for k, v in manifest["lm_validation"].items())
        out.print(f"语言模型 language model: margins {manifest['lm_margins']}; {lm_scores}", highlight=False)


def demo_section(lx: Lingxi, console: Console, now_ms: int) -> None:
    """Proofreading seeded typos, then a formal rewrite, on a note from the sample user's week."""
    del now_ms  # the writing tools work on the given text only
    console.print(Rule("写作工具 · 校对（规则：的地得、在再、同音字、成语、常见错别字、标点）"))
    console.print(f"原文：{DEMO_PROOFREAD}", highlight=False)
    print_result(console, lx.writing.proofread(DEMO_PROOFREAD))
    console.print(Rule("写作工具 · 改写为「正式」"))
    console.print(f"原文：{DEMO_REWRITE}", highlight=False, markup=False)
    print_result(console, lx.writing.rewrite(DEMO_REWRITE, "正式"))
