"""``lingxi label`` (AI-content labels in files) and ``lingxi complaints`` (投诉举报), from the command line.

Kept out of ``cli.py`` so compliance commands grow on their own; ``cli.py`` mounts both apps. Commands
raise lingxi errors, which ``cli.main`` prints as one line of reason and one of hint. Output is Chinese
first; enum values stay English so they can be typed back in.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lingxi.cli.common import HomeOpt, err, out
from lingxi.compliance.complaints import CATEGORY_NAMES_ZH, Complaint, ComplaintStore, Status
from lingxi.compliance.label_files import check, export
from lingxi.compliance.label_sign import LabelSigner
from lingxi.compliance.labels import label_for, parse_placement
from lingxi.config import Settings
from lingxi.errors import LingxiError
from lingxi.ids import uuid7
from lingxi.models.base import ModelKind

label_app = typer.Typer(name="label", help="AI-content labels (GB 45438-2025) in exported files.", no_args_is_help=True)
complaints_app = typer.Typer(
    name="complaints", help="Complaints and reports (Interim Measures Art. 15).", no_args_is_help=True
)

IdArg = Annotated[str, typer.Argument(help="complaint id")]


def _store(home: Path | None) -> ComplaintStore:
    """Only the database is opened (SQLite, or PostgreSQL when database_url is set): no models or keys."""
    from lingxi.storage.stores import open_compliance

    return open_compliance(Settings.load(home))[1]


# -- lingxi label --------------------------------------------------------------------------------------------
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


# -- lingxi complaints ---------------------------------------------------------------------------------------
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
