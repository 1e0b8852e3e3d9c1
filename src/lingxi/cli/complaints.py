"""``lingxi complaints``: complaints and reports (投诉举报, Interim Measures Art. 15), from the command line.

:mod:`lingxi.cli.root` mounts :data:`complaints_app` as ``complaints``. Commands raise lingxi errors, which
:func:`lingxi.cli.main` prints as one line of reason and one of hint. Output is Chinese first; enum values
stay English so they can be typed back in.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lingxi.cli.common import HomeOpt, out
from lingxi.compliance.complaints import CATEGORY_NAMES_ZH, Complaint, ComplaintStore, Status
from lingxi.config import Settings
from lingxi.errors import LingxiError

complaints_app = typer.Typer(
    name="complaints", help="Complaints and reports (Interim Measures Art. 15).", no_args_is_help=True
)

IdArg = Annotated[str, typer.Argument(help="complaint id")]


def _store(home: Path | None) -> ComplaintStore:
    """Only the database is opened (SQLite, or PostgreSQL when database_url is set): no models or keys."""
    from lingxi.storage.stores import open_compliance

    return open_compliance(Settings.load(home))[1]


def _print(c: Complaint) -> None:
    late = " [red]（已超期）[/]" if c.overdue else ""
    out.print(f"投诉 {c.id} · {CATEGORY_NAMES_ZH[c.category]} · {c.status_zh}{late}")
    out.print(f"联系方式：{escape(c.contact)} · 受理：{c.created:%Y-%m-%d %H:%M} UTC · 期限：{c.deadline:%Y-%m-%d} UTC")
    if c.request_id or c.audit_id:
        out.print(f"关联请求：{c.request_id or '-'} · 审计记录：{c.audit_id or '-'}")
    out.print(escape(c.text))
    for h in c.history:
        out.print(f"  {h.ts:%Y-%m-%d %H:%M} {h.status.value} ({escape(h.actor)}) {escape(h.note)}")


@complaints_app.command("add")
def add(
    contact: Annotated[str, typer.Argument(help="pseudonym, phone or e-mail")],
    text: Annotated[str, typer.Argument(help="what the complaint is about")],
    category: Annotated[str, typer.Option(help="content, privacy or other")] = "content",
    request_id: Annotated[str | None, typer.Option(help="linked request id")] = None,
    audit_id: Annotated[str | None, typer.Option(help="linked audit record id")] = None,
    home: HomeOpt = None,
) -> None:
    """Record a complaint (status received).

    示例：lingxi complaints add 用户A "回答内容有误" --category content
    """
    _print(_store(home).add(contact, category, text, request_id=request_id, audit_id=audit_id))


@complaints_app.command("list")
def list_cmd(
    status: Annotated[str | None, typer.Option(help="received, processing, resolved or rejected")] = None,
    overdue: Annotated[bool, typer.Option(help="only open complaints past their deadline")] = False,
    home: HomeOpt = None,
) -> None:
    """List complaints, oldest first."""
    store = _store(home)
    items = store.overdue() if overdue else store.list_complaints(status)
    table = Table(title=f"投诉举报（处理时限 {store.deadline_days} 天）")
    # the id is what `show` and `resolve` take: never cut or wrapped, the content column gives way instead
    table.add_column("id", no_wrap=True, min_width=max((len(c.id) for c in items), default=2))
    for col in ("类别", "状态", "受理时间 (UTC)", "期限 (UTC)", "内容"):
        table.add_column(col)
    for c in items:
        state = c.status_zh + ("（超期）" if c.overdue else "")
        table.add_row(c.id, CATEGORY_NAMES_ZH[c.category], state, f"{c.created:%Y-%m-%d %H:%M}",
                      f"{c.deadline:%Y-%m-%d}", escape(c.text[:30]))  # fmt: skip
    out.print(table)


@complaints_app.command("show")
def show(complaint_id: IdArg, home: HomeOpt = None) -> None:
    """A complaint with its status history."""
    _print(_store(home).get(complaint_id))


@complaints_app.command("resolve")
def resolve(
    complaint_id: IdArg,
    note: Annotated[str, typer.Option(help="what was done (shown to the complainant)")] = "",
    reject: Annotated[bool, typer.Option(help="reject instead of resolve")] = False,
    processing: Annotated[bool, typer.Option(help="only mark as being processed")] = False,
    actor: Annotated[str, typer.Option(help="who handled it")] = "admin",
    home: HomeOpt = None,
) -> None:
    """Mark a complaint resolved (or --reject, or --processing).

    示例：lingxi complaints resolve ID --note "已删除相关内容并优化模型"
    """
    if reject and processing:
        raise LingxiError("choose one of --reject and --processing", message_zh="--reject 与 --processing 只能选一个")
    status = Status.REJECTED if reject else Status.PROCESSING if processing else Status.RESOLVED
    _print(_store(home).set_status(complaint_id, status, note=note, actor=actor))


@complaints_app.command("export")
def export_complaints(
    dest: Annotated[Path | None, typer.Argument(help="JSON file (default: stdout)")] = None,
    home: HomeOpt = None,
) -> None:
    """Every complaint with its history, as JSON."""
    data = _store(home).export_json()
    if dest is None:
        sys.stdout.write(data + "\n")
    else:
        dest.write_text(data + "\n", encoding="utf-8")
        out.print(f"已导出 {len(json.loads(data)['complaints'])} 条投诉：{escape(str(dest))}")
