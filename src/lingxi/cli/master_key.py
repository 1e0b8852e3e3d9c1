"""``lingxi keys master``: back up and rotate the master key that seals the home's data at rest.

See docs/keys.md: without the key the sealed data cannot be read, so back it up the day the home is made.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

import lingxi.user_data  # noqa: F401  (every store of a home: their sealed columns are registered before a rotation)
from lingxi.cli.common import HomeOpt, err, out
from lingxi.config import Settings
from lingxi.privacy.crypto import KEY_ENV
from lingxi.privacy.rotate import backup_master_key, rotate_master_key

master_app = typer.Typer(no_args_is_help=True, help="the master key (encryption at rest): backup, rotate")


@master_app.command("backup")
def backup(
    out_file: Annotated[Path, typer.Option("--out", help="where to write the key (a new file, mode 0600)")],
    home: HomeOpt = None,
) -> None:
    """Copy the master key to FILE after checking that it opens this home's data.

    示例：lingxi keys master backup --out /media/usb/lingxi-master.key
    """
    key_id = backup_master_key(Settings.load(home), out_file)
    out.print(f"已备份主密钥（ID {key_id}）到 {out_file}，请离线妥善保存。", highlight=False)
    err.print(
        f"恢复：复制回 <home>/master.key 并 chmod 600，或设置 LINGXI_MASTER_KEY=$(base64 -w0 {out_file})",
        highlight=False,
    )


@master_app.command("rotate")
def rotate(
    out_file: Annotated[
        Path | None, typer.Option("--out", help="also write the new key here (required with LINGXI_MASTER_KEY)")
    ] = None,
    home: HomeOpt = None,
) -> None:
    """Re-seal every sealed row under a new master key in one transaction (stop `lingxi serve` first).

    示例：lingxi keys master rotate；密钥来自环境变量时：lingxi keys master rotate --out new.key
    """
    done = rotate_master_key(Settings.load(home), out=out_file)
    rows = sum(done.resealed.values())
    out.print(
        f"已轮换主密钥：{done.old_key_id} → {done.new_key_id}；重新加密 {rows} 行，重建索引 {done.reindexed} 条事件，"
        f"用时 {done.seconds:.2f} 秒。旧密钥已不能解密本数据库。",
        highlight=False,
    )
    if os.environ.get(KEY_ENV):
        err.print(f"请把 {KEY_ENV} 改为新密钥后重启：{KEY_ENV}=$(base64 -w0 {out_file})", highlight=False)
    elif out_file is None:
        err.print("请重新备份新密钥：lingxi keys master backup --out FILE", highlight=False)
