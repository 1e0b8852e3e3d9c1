"""``lingxi label``: AI-content labels (GB 45438-2025) in exported files, from the command line.

:mod:`lingxi.cli.root` mounts :data:`label_app` as ``label``; complaints are :mod:`lingxi.cli.complaints`.
Commands raise lingxi errors, which :func:`lingxi.cli.main` prints as one line of reason and one of hint.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from lingxi.cli.common import HomeOpt, err, out
from lingxi.compliance.label_files import check, export
from lingxi.compliance.label_sign import LabelSigner
from lingxi.compliance.labels import label_for, parse_placement
from lingxi.config import Settings
from lingxi.ids import uuid7
from lingxi.models.base import ModelKind

label_app = typer.Typer(name="label", help="AI-content labels (GB 45438-2025) in exported files.", no_args_is_help=True)


def _signer(settings: Settings) -> LabelSigner:
    from lingxi.privacy.crypto import integrity_key

    return LabelSigner(integrity_key(settings.home))


@label_app.command("export")
def export_cmd(
    src: Annotated[Path, typer.Argument(help="text file to label, or - for stdin")],
    dest: Annotated[Path, typer.Argument(help="output file: .md, .txt, .pdf or .docx")],
    classical: Annotated[bool, typer.Option(help="the text came from the extractive lite tier")] = False,
    placement: Annotated[str, typer.Option(help="start or end")] = "start",
    produce_id: Annotated[str | None, typer.Option(help="request id (default: a new one)")] = None,
    home: HomeOpt = None,
) -> None:
    """Write TEXT to DEST with the explicit and the signed implicit label ([labels] provider_name/provider_code).

    示例：lingxi label export answer.txt answer.pdf
    """
    settings = Settings.load(home)
    if not settings.provider:
        err.print(
            "[yellow]注意[/]：未配置服务提供者，隐式标识 ContentProducer 暂填 lingxi；"
            "请在 lingxi.toml 的 [labels] 中设置 provider_name 或 provider_code",
            highlight=False,
        )
    text = sys.stdin.read() if str(src) == "-" else src.read_text(encoding="utf-8")
    kind = ModelKind.CLASSICAL if classical else ModelKind.LLM
    label = label_for(kind, produce_id or uuid7(), settings.provider)
    path = export(text, label, dest, parse_placement(placement), signer=_signer(settings))
    out.print(f"已写入带人工智能生成标识的文件：{escape(str(path))}")


@label_app.command("check")
def check_cmd(
    paths: Annotated[list[Path], typer.Argument(help="files to check")],
    signature: Annotated[
        bool, typer.Option(help="verify ReservedCode1 with this installation's key (off: files from elsewhere)")
    ] = True,
    home: HomeOpt = None,
) -> None:
    """Check files for both labels and the label's signature; exit code 1 if any file has problems.

    Catches denials posing as labels, empty producer/ID fields, edited content, labels copied from other
    content and forged labels.

    示例：lingxi label check answer.pdf notes.md
    """
    signer = _signer(Settings.load(home)) if signature else None
    bad = 0
    for path in paths:
        result = check(path, signer)
        if result.ok:
            out.print(f"[green]✓[/] {escape(str(path))}：显式标识与隐式标识均符合要求")
        else:
            bad += 1
            out.print(f"[red]✗[/] {escape(str(path))}")
            for problem in result.problems:
                out.print(f"    - {escape(problem)}")
    if bad and signer is not None:
        out.print("[dim]签名用本安装的密钥校验；检查其他服务生成的文件请加 --no-signature[/]")
    if bad:
        raise typer.Exit(1)
