"""``lingxi privacy``: a user's consents and modes, export and delete (PIPL), from the command line.

A Typer sub-app kept out of ``cli.py`` so user-rights commands grow on their own (``redact`` is to join
them); ``cli.py`` mounts it. Commands raise lingxi errors, which ``cli.main`` prints as one line of reason and
one of hint. Output is Chinese first; scope names stay English so they can be typed back in.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from lingxi.cli.common import HomeOpt, err, out
from lingxi.config import Settings
from lingxi.errors import InvalidInput
from lingxi.facade import Lingxi
from lingxi.privacy.consent import (
    AGE_BAND_NAMES_ZH,
    ALL_EXCEPT_SENSITIVE,
    SCOPE_NAMES_ZH,
    SEPARATE_CONSENT,
    AgeBand,
    ConsentStatus,
    Scope,
    parse_scopes,
)
from lingxi.privacy.names_model import build_model, model_for
from lingxi.privacy.redact import Redactor, redact_lines
from lingxi.privacy.subject_rights import DeletionReceipt, delete_user, export_json, export_user
from lingxi.user_data import NAMES_ZH

privacy_app = typer.Typer(
    name="privacy",
    help="A user's rights (PIPL): consent scopes, non-personalized mode, minors, export and delete.",
    no_args_is_help=True,
)

UserArg = Annotated[str, typer.Argument(help="the app's id for the user")]
ScopesArg = Annotated[
    list[str],
    typer.Argument(help=f"scopes: {', '.join(s.value for s in Scope)}, or '{ALL_EXCEPT_SENSITIVE}'"),
]


def _yes_no(value: bool) -> str:
    return "[green]是[/]" if value else "[dim]否[/]"


def print_status(status: ConsentStatus) -> None:
    """The consent screen as a table: each scope, whether granted, whether it counts now."""
    table = Table(title=f"用户 {escape(status.user_id)} 的授权状态")
    for col in ("范围", "说明", "已授权", "当前生效"):
        table.add_column(col)
    for scope in Scope:
        table.add_row(
            scope.value,
            SCOPE_NAMES_ZH[scope],
            _yes_no(scope in status.scopes),
            _yes_no(scope in status.effective_scopes),
        )
    out.print(table)
    out.print(f"非个性化模式（第二十四条）：{'开启' if status.non_personalized else '关闭'}")
    guardian = "已记录" if status.guardian_consent else "无"
    out.print(f"年龄段：{AGE_BAND_NAMES_ZH[status.age_band]} · 监护人同意：{guardian}")
    if status.needs_guardian_consent:
        out.print("[red]未满十四周岁且无监护人同意：该用户的所有请求都会被拒绝（第三十一条）[/]")


@privacy_app.command()
def grant(user_id: UserArg, scopes: ScopesArg, home: HomeOpt = None) -> None:
    """Grant consent scopes; 'all' grants every scope except payments, cloud_processing and
    model_improvement, which must be named (PIPL Art. 29, 23, 14).

    示例：lingxi privacy grant demo-user notifications messages
          lingxi privacy grant demo-user all
    """
    chosen = parse_scopes(scopes, granting=True)
    lx = Lingxi(home)
    lx.consents.grant(user_id, *chosen, source="cli")
    out.print(f"已授权：{'、'.join(SCOPE_NAMES_ZH[s] for s in chosen)}")
    if ALL_EXCEPT_SENSITIVE in scopes and not SEPARATE_CONSENT & set(chosen):
        out.print("[yellow]支付与金融信息、云端处理、用于改进模型需单独授权：lingxi privacy grant USER payments[/]")
    print_status(lx.consents.status(user_id))


@privacy_app.command()
def withdraw(user_id: UserArg, scopes: ScopesArg, home: HomeOpt = None) -> None:
    """Withdraw consent scopes ('all' withdraws every scope); effective from the next request.

    示例：lingxi privacy withdraw demo-user notifications
    """
    chosen = parse_scopes(scopes, granting=False)
    lx = Lingxi(home)
    lx.consents.withdraw(user_id, *chosen, source="cli")
    out.print(f"已撤回：{'、'.join(SCOPE_NAMES_ZH[s] for s in chosen)}（下一次请求起生效）")
    print_status(lx.consents.status(user_id))


@privacy_app.command()
def status(user_id: UserArg, home: HomeOpt = None) -> None:
    """Show a user's scopes, non-personalized mode, age band and guardian consent.

    示例：lingxi privacy status demo-user
    """
    print_status(Lingxi(home).consents.status(user_id))


@privacy_app.command("non-personalized")
def non_personalized(
    user_id: UserArg,
    mode: Annotated[str, typer.Argument(help="on or off")],
    home: HomeOpt = None,
) -> None:
    """Turn non-personalized mode on or off (PIPL Art. 24): features then use no profile or stored context.

    示例：lingxi privacy non-personalized demo-user on
    """
    if mode not in ("on", "off"):
        raise InvalidInput(f"mode must be on or off, not {mode!r}", message_zh="模式只能是 on 或 off")
    lx = Lingxi(home)
    lx.consents.set_non_personalized(user_id, mode == "on", source="cli")
    out.print(f"非个性化模式已{'开启' if mode == 'on' else '关闭'}：下一次请求起生效")


@privacy_app.command()
def minor(
    user_id: UserArg,
    guardian: Annotated[
        bool, typer.Option("--guardian/--no-guardian", help="whether a parent or guardian consented")
    ] = False,
    adult: Annotated[bool, typer.Option("--adult", help="the user is not under 14 (clears the mark)")] = False,
    home: HomeOpt = None,
) -> None:
    """Mark a user as under 14 and record whether a guardian consented (PIPL Art. 31).

    Without guardian consent every request for this user is refused.

    示例：lingxi privacy minor kid-1 --guardian
          lingxi privacy minor kid-1 --adult
    """
    lx = Lingxi(home)
    band = AgeBand.ADULT if adult else AgeBand.UNDER_14
    lx.consents.update(user_id, age_band=band, guardian_consent=guardian, source="cli")
    print_status(lx.consents.status(user_id))


@privacy_app.command()
def export(
    user_id: UserArg,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to this file (default: stdout)")] = None,
    home: HomeOpt = None,
) -> None:
    """Export everything held about a user as JSON: events (decrypted), consents, profile, egress, audit.

    示例：lingxi privacy export demo-user -o demo-user.json
    """
    lx = Lingxi(home)
    if output is None:
        sys.stdout.write(json.dumps(export_user(lx, user_id), ensure_ascii=False, indent=2) + "\n")
        return
    path = export_json(lx, user_id, output)
    counts = json.loads(path.read_text(encoding="utf-8"))["counts"]
    out.print(
        f"已导出到 {escape(str(path))}（仅本人可读）：事件 {counts['events']} 条，"
        f"授权记录 {counts['consent_records']} 条，"
        f"出境记录 {counts['egress_records']} 条，审计记录（假名）{counts['audit_entries_pseudonymous']} 条"
    )
    err.print("[yellow]文件含解密后的个人信息，请妥善保管[/]")


def print_receipt(receipt: DeletionReceipt) -> None:
    verdict = "[green]已核验：数据库中再无该用户的数据[/]" if receipt.verified else "[red]核验未通过[/]"
    lines = [
        f"事件 {receipt.events_deleted} 条（含索引与画像）· 授权记录 {receipt.consent_records_deleted} 条",
        f"出境记录去标识化 {receipt.egress_records_anonymized} 条"
        + (f" · 曾接收数据的服务商：{'、'.join(receipt.egress_providers)}" if receipt.egress_providers else ""),
        f"保留的假名审计记录 {receipt.audit_entries_kept} 条",
        "各组件删除/剩余："
        + " · ".join(f"{NAMES_ZH.get(n, n)} {c.erased}/{c.remaining}" for n, c in receipt.components.items() if c.held),
        verdict,
    ]
    if receipt.residual:
        lines.append(f"残留：{escape(json.dumps(receipt.residual, ensure_ascii=False))}")
    if (before := receipt.file_check_before_vacuum) is not None:
        lines.append(
            f"数据库文件中发现 {before.found_ids} 条已删除事件的残留副本，已重建数据库文件（VACUUM）后复查："
            + ("仍有残留" if receipt.file_scrubbed is False else "已无残留")
        )
    if receipt.file_scrubbed is False:
        lines.append("数据库文件中仍能找到已删除事件的标识")
    if (fc := receipt.file_check) is not None and fc.checked_ids + fc.unchecked_ids:
        lines.append(
            f"文件核查：{fc.checked_ids} 条事件已在数据库文件中检索（按事件标识 {fc.checked_by_event_id} 条，"
            f"按“用户标识+事件标识”记录键 {fc.checked_by_record_key} 条）"
            + (f"，{fc.unchecked_ids} 条标识过短或与保留数据重合，无法在文件中核查" if fc.unchecked_ids else "")
        )
    lines += ["", "删除后保留（不含个人内容）：", *(f"· {k}" for k in receipt.kept_zh)]
    out.print(Panel("\n".join(lines), title=f"删除回执 {receipt.receipt_id}"))


@privacy_app.command()
def delete(
    user_id: UserArg,
    yes: Annotated[bool, typer.Option("--yes", help="confirm: this cannot be undone")] = False,
    home: HomeOpt = None,
) -> None:
    """Delete a user's data and print a verified receipt (PIPL Art. 47). Cannot be undone.

    示例：lingxi privacy delete demo-user --yes
    """
    if not yes:
        raise InvalidInput(
            "deleting a user cannot be undone; pass --yes to confirm",
            message_zh="删除不可撤销，请加 --yes 确认",
            hint=f"lingxi privacy delete {user_id} --yes",
        )
    receipt = delete_user(Lingxi(home), user_id)
    print_receipt(receipt)
    if not receipt.verified:
        raise typer.Exit(1)


@privacy_app.command()
def redact(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line with the spans found")] = False,
    home: HomeOpt = None,
) -> None:
    """Redact Chinese PII in text read from stdin, line by line (what the egress boundary sends to the cloud).

    Names are found with the home's built names resource (lingxi privacy names build), else the seed.

    示例：echo "我的手机13800138000" | lingxi privacy redact
          lingxi privacy redact --json < messages.txt
    """
    redactor = Redactor(names=model_for(Settings.load(home).home))
    for line in redact_lines((raw.rstrip("\n") for raw in sys.stdin), as_json=as_json, redactor=redactor):
        sys.stdout.write(line + "\n")


names_app = typer.Typer(help="Person-name resource for redaction / 姓名识别资源：构建", no_args_is_help=True)
privacy_app.add_typer(names_app, name="names")


@names_app.command("build")
def names_build(
    src: Annotated[Path, typer.Option("--from", help="the names folder (surnames.tsv …) / 姓名资源目录")],
    home: HomeOpt = None,
    slots: Annotated[
        bool,
        typer.Option(
            "--person-slots",
            help="opt-in: also look for given names alone in person slots mid-text, familiar names (doubled, "
            "X子) and a surname alone before a title or 家",
        ),
    ] = False,
    recall_passes: Annotated[
        bool,
        typer.Option(
            "--recall-passes",
            help="opt-in: also take names from parallel roster clauses, vocatives, a naming 叫, interpunct "
            "names of the wider transliteration table and rare surnames before clear given-name characters",
        ),
    ] = False,
    whole_tagger: Annotated[
        bool,
        typer.Option(
            "--whole-tagger",
            help="opt-in: also train and run a character tagger over the whole text, trained on real sentences, "
            "that finds names with no surname window (given names alone, 阿强, 苗苗); about a minute more to build",
        ),
    ] = False,
) -> None:
    """Build the names resource into the home from a local copy / 从本地目录构建姓名资源。

    The folder holds surnames.tsv, given_name_chars_historical.tsv and address_term_roots.txt
    (Chinese-Names-Corpus, Apache-2.0); nothing of it is committed, the build records source and sha256s.

    示例：lingxi privacy names build --from /data/names
    """
    if not src.is_dir():
        raise InvalidInput(f"{src}: not a directory", message_zh=f"不是目录：{src}", hint="--from DIR")
    folder, manifest = build_model(src, Settings.load(home).home / "names", slots, recall_passes, whole_tagger)
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    out.print(f"[bold]{escape(str(manifest['version']))}[/] → {escape(str(folder))}")
    out.print(f"姓氏 {counts['surnames']} 个 · 名字用字 {counts['given_chars']} 个 · 称谓 {counts['titles']} 个")
    out.print(f"来源 {manifest['source']}（{manifest['license']}，提交 {manifest['commit'] or '未知'}）")
