"""``lingxi models``: the on-device model catalog, pulling GGUFs into the data dir, and removing them.

A Typer sub-app kept out of ``cli.py`` so the catalog and download commands grow without crowding the
feature commands; ``cli.py`` mounts it and adds ``models list`` (every usable model across tiers), which can
reuse :func:`catalog_rows`. Errors are raised as lingxi errors and printed by ``cli.main``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from lingxi.cli.common import HomeOpt, err, out
from lingxi.config import Settings
from lingxi.models import catalog
from lingxi.models.pull import MIRROR_ENV, installed, pull, remove

models_app = typer.Typer(
    name="models",
    help="On-device models: browse the catalog, pull GGUF files (verified, resumable), remove them.",
    no_args_is_help=True,
)


def human_size(n: int | None) -> str:
    """Bytes as a person reads them in a table (decimal units, like download sites)."""
    if n is None:
        return "?"
    if n >= 1e9:
        return f"{n / 1e9:.2f} GB"
    return f"{n / 1e6:.0f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def catalog_rows(home: Path) -> list[dict[str, Any]]:
    """One dict per catalog entry, with whether and where it is pulled in ``home``; shared with ``models list``."""
    pulled = {m.name: m for m in installed(home)}
    rows = []
    for e in catalog.CATALOG:
        got = pulled.get(e.name)
        rows.append(
            {
                "name": e.name,
                "alias": e.alias,
                "family": e.family,
                "parameters": e.parameters,
                "quantization": e.quantization,
                "size": e.size,
                "license": e.license,
                "role": e.role,
                "context_length": e.context_length,
                "pinned": e.sha256 is not None,
                "pulled": got is not None,
                "path": str(got.path) if got else None,
                "note": e.note,
            }
        )
    return rows


@models_app.command("catalog")
def catalog_cmd(home: HomeOpt = None) -> None:
    """Show the GGUF models lingxi can pull, and which are already pulled.

    示例：lingxi models catalog
    """
    table = Table(title="可下载的端侧模型（GGUF）")
    for column in ("名称", "别名", "参数", "量化", "大小", "用途", "许可证", "已下载"):
        table.add_column(column, no_wrap=column in ("名称", "大小"))
    for r in catalog_rows(Settings.load(home).home):
        table.add_row(
            r["name"],
            r["alias"] or "",
            r["parameters"],
            r["quantization"],
            human_size(r["size"]),
            "对话" if r["role"] == "chat" else "安全审核",
            r["license"],
            "[green]✓[/]" if r["pulled"] else "",
        )
    out.print(table)
    out.print("[dim]下载：lingxi models pull NAME（默认先魔搭 ModelScope，再 Hugging Face；均校验 sha256）[/]")


@models_app.command("pull")
def pull_cmd(
    name: Annotated[str, typer.Argument(help="catalog name or alias (see `lingxi models catalog`), or a .gguf URL")],
    mirror: Annotated[
        str | None,
        typer.Option(
            "--mirror",
            help=f"base URL(s) to download from instead, comma-separated; may use {{file}} and {{repo}} "
            f"(default: {MIRROR_ENV})",
        ),
    ] = None,
    allow_unverified: Annotated[
        bool, typer.Option("--allow-unverified", help="install even if no sha256 can be established (unsafe)")
    ] = False,
    home: HomeOpt = None,
) -> None:
    """Download a GGUF into the data dir: resumable, sha256-verified, with mirror fallback.

    示例：lingxi models pull qwen2.5-0.5b-instruct

    示例：lingxi models pull qwen3-0.6b --mirror https://hf-mirror.com/{repo}/resolve/main/{file}
    """
    m = pull(name, Settings.load(home).home, mirror=mirror, progress=err.is_terminal, allow_unverified=allow_unverified)
    when = datetime.fromtimestamp(m.pulled_at_ms / 1000, UTC).isoformat(timespec="seconds")
    out.print(f"已就绪：[bold]{m.name}[/] → {escape(str(m.path))}（{human_size(m.size)}）", highlight=False)
    out.print(f"[dim]来源 {escape(m.url)} · 许可证 {m.license} · 下载于 {when}[/]", highlight=False)
    for failure in m.mirror_failures:
        out.print(f"[dim]已跳过的下载源：{escape(failure)}[/]", highlight=False)
    if m.verified:
        out.print(f"[green]sha256 校验通过[/] {m.sha256}（依据：{m.digest_source}）", highlight=False)
    else:
        err.print(
            Panel(
                f"未能确定该文件应有的 sha256，文件未经校验（实际 sha256：{m.sha256}）。\n"
                "请自行与发布方核对后再使用。 UNVERIFIED: no expected digest was available for this file.",
                title="⚠ 未校验的模型文件",
                border_style="bold red",
            )
        )


@models_app.command("rm")
def rm_cmd(
    name: Annotated[str, typer.Argument(help="name, alias or file name of a pulled model")],
    home: HomeOpt = None,
) -> None:
    """Delete a pulled model's file and its manifest entry.

    示例：lingxi models rm qwen2.5-0.5b-instruct
    """
    m = remove(name, Settings.load(home).home)
    out.print(f"已删除：{m.name}（释放 {human_size(m.size)}）", highlight=False)
