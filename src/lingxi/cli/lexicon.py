"""``lingxi compliance lexicon``: build, pull and inspect the keyword library.

Why a pull and a build: third-party lists are never committed, so a deployer either builds from a local
copy (``build --from DIR``) or downloads the public source at a pinned commit (``pull konsheng``), which
then builds. Both write into ``<home>/lexicon/<version>/`` with a manifest (source, commit, licence, sha256).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import httpx
import typer
from rich.console import Console
from rich.table import Table

from lingxi.__about__ import __version__
from lingxi.cli.common import HomeOpt
from lingxi.compliance.lexicon import (
    FILE_RISKS,
    KONSHENG_REPO,
    MIN_RISKS,
    MIN_TOTAL,
    LibraryReport,
    build_library,
    coverage_report,
    load_library,
)
from lingxi.config import Settings
from lingxi.errors import DownloadError, InvalidInput

lexicon_app = typer.Typer(help="Keyword library / 关键词库：构建、下载、覆盖率", no_args_is_help=True)

KONSHENG_REF = "5a8da94c61c160e203a6b2fcfafbea642404d50c"  # pinned: the commit the shared copy records
RAW_BASE = f"https://raw.githubusercontent.com/{KONSHENG_REPO}"


def pull_konsheng(home: Path, *, ref: str = KONSHENG_REF, mirror: str | None = None) -> LibraryReport:
    """Download the Vocabulary files at ``ref`` from raw GitHub (or ``mirror``), then build into ``home``.

    ``mirror`` replaces ``https://raw.githubusercontent.com/konsheng/Sensitive-lexicon``; files are fetched as
    ``<base>/<ref>/Vocabulary/<name>.txt``. A missing file is tolerated (lists come and go between commits);
    none at all is an error. sha256s of what arrived are recorded by the build's manifest.
    """
    base = (mirror or RAW_BASE).rstrip("/")
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lingxi-lexicon-") as tmp:
        vocab = Path(tmp) / "Vocabulary"
        vocab.mkdir()
        headers = {"User-Agent": f"lingxi/{__version__}"}
        with httpx.Client(timeout=httpx.Timeout(30.0), follow_redirects=True, headers=headers) as client:
            for stem in FILE_RISKS:
                url = f"{base}/{ref}/Vocabulary/{quote(stem)}.txt"
                try:
                    resp = client.get(url)
                except httpx.TransportError as exc:
                    failures.append(f"{url}: {type(exc).__name__}")
                    continue
                if resp.status_code != 200:
                    failures.append(f"{url}: HTTP {resp.status_code}")
                    continue
                (vocab / f"{stem}.txt").write_bytes(resp.content)
            try:
                lic = client.get(f"{base}/{ref}/LICENSE")
                if lic.status_code == 200:
                    (Path(tmp) / "LICENSE").write_bytes(lic.content)
            except httpx.TransportError:
                pass  # the licence is recorded by name either way
        if not any(vocab.iterdir()):
            raise DownloadError(
                f"no Vocabulary file could be downloaded from {base} at {ref}: " + "; ".join(failures[:3]),
                message_zh="词库下载失败：没有任何文件下载成功",
                hint="check the network, or pass --mirror URL (a mirror of raw.githubusercontent.com/konsheng/…)",
            )
        return build_library(vocab, home / "lexicon", commit=ref)


def _print_report(report: LibraryReport, console: Console) -> None:
    console.print(f"[bold]{report.version}[/] → {report.out_dir}")
    console.print(f"commit {report.commit or '未知 unknown'}; buckets {report.buckets}")


@lexicon_app.command("build")
def build(
    src: Annotated[Path, typer.Option("--from", help="konsheng copy or its Vocabulary folder / 本地词库目录")],
    home: HomeOpt = None,
) -> None:
    """Build the library from a local copy / 从本地词库目录构建。"""
    settings = Settings.load(home)
    _print_report(build_library(src, settings.home / "lexicon"), Console())


@lexicon_app.command("pull")
def pull(
    source: Annotated[str, typer.Argument(help="konsheng")],
    ref: Annotated[str, typer.Option("--ref", help="git commit / 提交")] = KONSHENG_REF,
    mirror: Annotated[str | None, typer.Option("--mirror", help="raw-file base URL / 镜像地址")] = None,
    home: HomeOpt = None,
) -> None:
    """Download a public source and build / 下载公开词库并构建。"""
    if source != "konsheng":
        raise InvalidInput(f"unknown lexicon source {source!r}", message_zh=f"未知词库来源：{source}", hint="konsheng")
    settings = Settings.load(home)
    _print_report(pull_konsheng(settings.home, ref=ref, mirror=mirror), Console())


@lexicon_app.command("coverage")
def coverage_cmd(home: HomeOpt = None) -> None:
    """Block-term coverage per risk vs the standard / 各风险关键词数量与标准要求对比。"""
    settings = Settings.load(home)
    rows, summary = coverage_report(load_library(settings.home))
    table = Table(title="关键词库覆盖率 keyword coverage (block terms only)")
    for col in ("risk", "名称", "terms", "min", "ok"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.code, r.name_zh, str(r.count), str(r.minimum or "-"), "✓" if r.ok else "✗")
    table.add_row("total", "合计", str(summary["total"]), str(MIN_TOTAL), "✓" if summary["total_ok"] else "✗")
    table.add_row(
        "risks", "覆盖风险数", str(summary["risks_covered"]), str(MIN_RISKS), "✓" if summary["risks_ok"] else "✗"
    )
    Console(width=120).print(table)
