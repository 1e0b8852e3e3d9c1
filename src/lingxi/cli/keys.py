"""``lingxi keys``: API keys for apps calling ``lingxi serve`` (create, list, revoke).

The key is printed once at creation and stored only as a keyed hash; losing it means creating a new one.
Creating the first key switches a server in ``auth = "auto"`` mode (the default) to requiring keys.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from lingxi.cli.common import HomeOpt, err, out
from lingxi.cli.master_key import master_app
from lingxi.config import Settings
from lingxi.server.keys import SCOPES, KeyStore, load_secret
from lingxi.storage.sqlite import Database

keys_app = typer.Typer(no_args_is_help=True, help="API keys per app for `lingxi serve`")
keys_app.add_typer(master_app, name="master")


def _store(home: HomeOpt) -> KeyStore:
    settings = Settings.load(home)
    return KeyStore(Database(settings.db_path), load_secret(settings.home))


def _when(ms: int | None) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC") if ms else "-"


@keys_app.command("create")
def create(
    app_id: Annotated[str, typer.Argument(help="the app the key belongs to, e.g. notes-app")],
    scope: Annotated[list[str], typer.Option("--scope", help=f"repeatable: {', '.join(SCOPES)}")],
    home: HomeOpt = None,
) -> None:
    """Create a key and print it once.

    示例：lingxi keys create notes-app --scope features --scope events
    """
    record, plaintext = _store(home).create(app_id, scope)
    err.print(f"已为应用 {record.app_id} 创建密钥（权限：{'、'.join(record.scopes)}）。密钥只显示这一次，请妥善保存：")
    out.print(plaintext, highlight=False, soft_wrap=True)
    err.print(f"密钥 ID：{record.key_id}（吊销：lingxi keys revoke {record.prefix}）", highlight=False)


@keys_app.command("list")
def list_keys(
    app_id: Annotated[str | None, typer.Option("--app", help="only this app's keys")] = None,
    home: HomeOpt = None,
) -> None:
    """List keys (prefix, app, scopes, state); never the keys themselves."""
    table = Table(title="API 密钥")
    for col in ("前缀", "应用", "权限", "创建时间", "状态", "密钥 ID"):
        table.add_column(col)
    for k in _store(home).list_keys(app_id):
        state = "[green]有效[/]" if k.active else f"[red]已吊销[/] {_when(k.revoked_ms)}"
        table.add_row(k.prefix, k.app_id, " ".join(k.scopes), _when(k.created_ms), state, k.key_id)
    out.print(table)


@keys_app.command("revoke")
def revoke(
    key: Annotated[str, typer.Argument(help="the key id or its prefix (lx_...) from `lingxi keys list`")],
    home: HomeOpt = None,
) -> None:
    """Revoke a key at once; user tokens issued with it stop working too."""
    record = _store(home).revoke(key)
    out.print(f"已吊销应用 {record.app_id} 的密钥 {record.prefix}", highlight=False)


@keys_app.command("transfer")
def transfer(
    user_id: Annotated[str, typer.Argument(help="the end user id to move")],
    app_id: Annotated[str, typer.Argument(help="the app that owns the user from now on")],
    home: HomeOpt = None,
) -> None:
    """Make APP the owner of USER (e.g. another app claimed the id by mistake); the old owner gets 403.

    示例：lingxi keys transfer user-42 notes-app
    """
    previous = _store(home).transfer_user(user_id, app_id)
    was = f"（原属应用 {previous}）" if previous else "（此前无归属）"
    out.print(f"用户 {user_id} 现归应用 {app_id} 所有{was}", highlight=False)
