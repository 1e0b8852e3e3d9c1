"""``lingxi audit verify|checkpoint|export|prune``: the MAC-chained audit log, from the command line.

:mod:`lingxi.cli.root` mounts :data:`audit_app` as ``audit``. Commands raise lingxi errors, which
:func:`lingxi.cli.main` prints as one line of reason and one of hint; ``audit verify`` exits 1 on a broken
chain so a cron job or CI step can alarm on it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from lingxi.cli.common import HomeOpt, err, out
from lingxi.compliance.audit import MIN_RETENTION_DAYS, AuditLog
from lingxi.config import Settings
from lingxi.errors import InvalidInput

audit_app = typer.Typer(
    name="audit", help="the MAC-chained audit log: verify, checkpoint, export, prune", no_args_is_help=True
)


def _log(home: Path | None) -> AuditLog:
    # only the database (SQLite, or PostgreSQL when database_url is set): no models are built to read the log
    from lingxi.storage.stores import open_audit

    return open_audit(Settings.load(home))


def _parse_time(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            f"{name}: not an ISO-8601 date/time: {value!r}",
            message_zh=f"{name} 不是有效的日期时间：{value}",
            hint="e.g. 2026-05-01 or 2026-05-01T00:00:00+08:00",
        ) from exc
    return int((dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp() * 1000)


@audit_app.command()
def verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option("--checkpoint", help="checkpoints file (JSON lines; default: [audit] checkpoint_file)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the full report as JSON")] = False,
    home: HomeOpt = None,
) -> None:
    """Check every record's MAC and compare the chain with the latest signed checkpoint; exit 1 on a problem.

    Detects edited, forged or re-chained records, and — against a checkpoint exported off the machine —
    a truncated tail, an emptied table or an older copy of the database.

    示例：lingxi audit verify --checkpoint /mnt/worm/lingxi-audit.jsonl
    """
    from lingxi.compliance.audit_sink import read_latest

    log = _log(home)
    cp = read_latest(checkpoint) if checkpoint is not None else None
    if checkpoint is not None and cp is None:
        raise InvalidInput(f"{checkpoint}: no checkpoint in file", message_zh=f"检查点文件为空：{checkpoint}")
    report = log.report(cp)
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False))
    if report.legacy:
        keyed = f"其后 {report.keyed} 条为带密钥记录" if report.keyed else "尚无带密钥记录"
        err.print(
            f"[yellow]注意[/]：前 {report.legacy} 条为升级前的旧格式记录（无密钥哈希，至 {report.legacy_through}），"
            f"仅由其后的带密钥记录保护；{keyed}。 legacy unkeyed segment: {report.legacy} records",
            highlight=False,
        )
    if report.checkpoint is None:
        err.print("[yellow]注意[/]：没有可比对的检查点，无法发现尾部截断或数据库回滚 (no checkpoint)", highlight=False)
    if not report.ok:
        for problem in report.problems:
            err.print(f"[red]✗[/] {problem}", highlight=False)
        err.print(f"[red]审计日志校验失败[/] first broken record: {report.broken}", highlight=False)
        if report.keyed == 1:  # the very first keyed record failed: most likely another key
            err.print(
                "提示：第一条带密钥记录就失败时，先确认完整性密钥（LINGXI_INTEGRITY_KEY / integrity.key）与写入时相同"
            )
        raise typer.Exit(1)
    against = "，与最新检查点一致" if report.checkpoint else ""
    out.print(f"[green]审计日志完整[/]：{report.count} 条记录{against} audit chain verified", highlight=False)


@audit_app.command()
def checkpoint(home: HomeOpt = None) -> None:
    """Sign the chain's head now and send it to the configured sink (file and/or HTTP; e.g. from cron).

    示例：lingxi audit checkpoint
    """
    log = _log(home)
    if not log.sink.configured:
        raise InvalidInput(
            "no checkpoint sink configured",
            message_zh="未配置检查点导出位置",
            hint="set [audit] checkpoint_file and/or checkpoint_url in lingxi.toml",
        )
    cp = log.checkpoint()
    if cp is None:
        out.print("审计日志为空，无需检查点 (empty chain)")
        return
    out.print(f"已导出检查点：{cp.count} 条记录，末条 {cp.head_id} checkpoint exported", highlight=False)


@audit_app.command()
def export(
    since: Annotated[str | None, typer.Option("--since", help="ISO-8601, inclusive (UTC if no offset)")] = None,
    until: Annotated[str | None, typer.Option("--until", help="ISO-8601, exclusive")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="JSON lines file (default: stdout)")] = None,
    home: HomeOpt = None,
) -> None:
    """Export records in a time range as JSON lines, with their chain hashes (for a regulator).

    示例：lingxi audit export --since 2026-05-01 --until 2026-06-01 -o audit-2026-05.jsonl
    """
    rows = _log(home).export(_parse_time(since, "--since"), _parse_time(until, "--until"))
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if output is None:
        typer.echo(lines, nl=False)
        return
    output.write_text(lines, encoding="utf-8")
    err.print(f"已导出 {len(rows)} 条记录 exported {len(rows)} records → {output}", highlight=False)


@audit_app.command()
def prune(
    older_than_days: Annotated[
        int, typer.Option("--older-than-days", help=f"delete records older than this (≥ {MIN_RETENTION_DAYS})")
    ],
    home: HomeOpt = None,
) -> None:
    """Delete records past retention, leaving a checkpoint so the rest still verifies.

    Refuses below the minimum retention (six months, Interim Measures) and on a broken chain.

    示例：lingxi audit prune --older-than-days 365
    """
    removed = _log(home).prune(older_than_days)
    out.print(f"已清理 {removed} 条超过 {older_than_days} 天的记录 pruned {removed} records", highlight=False)
