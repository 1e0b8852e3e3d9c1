"""Back up and rotate the master key (``lingxi keys master backup`` / ``rotate``).

**Rotation** re-seals every registered sealed column (:mod:`lingxi.privacy.sealed`) under a new key, runs the
registered re-key steps (the search index: its tokens are keyed hashes, so they change with the key) and
replaces the check value — all in one SQLite transaction. Crash safety, step by step:

1. the new key is written to ``master.key.new`` (0600, fsynced); ``master.key`` still holds the old one;
2. one transaction re-seals everything and commits — before the commit a crash leaves the database under
   the old key, which ``master.key`` still holds (the stray ``.new`` file is replaced by the next rotation);
3. ``master.key.new`` is renamed over ``master.key`` — a crash between the commit and the rename is
   finished at the next start (:func:`~lingxi.privacy.keycheck.open_vault` finds that the pending key is
   the one that opens the check value).

After the rename the old key opens nothing of the database. Rotation needs exclusive use of the home: stop
``lingxi serve`` first (a running server holds the old key in memory). When the key comes from
``LINGXI_MASTER_KEY`` (the deployer's secret store, which lingxi cannot write) the new key is written to the
file named by ``out`` before the commit, and the deployer sets the variable to it; until then a start is
refused with the key-mismatch error. Rotation is refused with PostgreSQL configured (the events there and
the home's file cannot be re-sealed in one transaction), saying so.
"""

from __future__ import annotations

import base64
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from lingxi.config import Settings
from lingxi.errors import InvalidInput
from lingxi.privacy.crypto import KEY_ENV, KEY_FILE, Vault, write_key_file
from lingxi.privacy.keycheck import PENDING_KEY_FILE, canary, open_vault
from lingxi.privacy.sealed import existing, rekeys
from lingxi.storage.sqlite import Database


@dataclass
class Rotation:
    """What a rotation did: the key ids, the rows re-sealed per ``table.column``, the events re-indexed."""

    old_key_id: str
    new_key_id: str
    resealed: dict[str, int] = field(default_factory=dict)
    reindexed: int = 0
    seconds: float = 0.0


def backup_master_key(settings: Settings, out: Path) -> str:
    """Copy the home's master key (checked against the database first) to ``out``, 0600; returns its id."""
    vault = open_vault(settings.home, Database(settings.db_path))
    _write_new(out, _current_key(settings.home))
    return vault.key_id


def _write_new(out: Path, key: bytes) -> None:
    try:
        write_key_file(out, key)
    except FileExistsError:
        raise InvalidInput(
            f"{out} already exists; not overwritten", message_zh=f"文件已存在，未覆盖：{out}", hint="choose a new --out"
        ) from None


def _current_key(home: Path) -> bytes:
    env = os.environ.get(KEY_ENV)
    return base64.b64decode(env) if env else (home / KEY_FILE).read_bytes()


def rotate_master_key(settings: Settings, *, out: Path | None = None) -> Rotation:
    """Re-seal the home's data under a new master key (see the module doc for the crash-safety steps).

    ``out``: also write the new key there (0600, a new file) before the commit — required when the key comes
    from ``LINGXI_MASTER_KEY``, where lingxi cannot replace it itself.
    """
    from_env = bool(os.environ.get(KEY_ENV))
    if from_env and out is None:
        raise InvalidInput(
            f"the master key comes from {KEY_ENV}; name a file for the new key with --out",
            message_zh=f"主密钥来自环境变量 {KEY_ENV}：请用 --out 指定新密钥写入的文件",
            hint=f"lingxi keys master rotate --out new.key, then set {KEY_ENV}=$(base64 -w0 new.key) and restart",
        )
    if settings.database_url:
        raise InvalidInput(
            "rotating the master key is not supported with PostgreSQL configured",
            message_zh="配置了 PostgreSQL 时暂不支持轮换主密钥",
            hint="events in PostgreSQL and the home's file cannot be re-sealed in one transaction",
        )
    started = time.perf_counter()
    rekey = rekeys()  # refuses before anything is written when a store has not registered its columns
    home, db = settings.home, Database(settings.db_path)
    old = open_vault(home, db)
    new_key = os.urandom(32)
    if out is not None:
        _write_new(out, new_key)
    pending = home / PENDING_KEY_FILE
    if not from_env:
        pending.unlink(missing_ok=True)  # a rotation that crashed before its commit: that key sealed nothing
        write_key_file(pending, new_key)
    new = Vault(new_key)
    steps = [step(db, new) for step in rekey.values()]  # their migrations run here, outside the transaction
    done = Rotation(old_key_id=old.key_id, new_key_id=new.key_id)
    with db.transaction() as conn:
        columns = existing(conn, require_complete=True)
        for run in steps:  # first: they read data still sealed under the old key (the index: the events)
            done.reindexed += run(conn, old)
        for col in columns:
            n = 0
            for row in conn.execute(col.select()).fetchall():
                value = col.sealed_bytes(row[col.column])
                if value is None:  # plain text (shopping tables written without a vault)
                    continue
                owner, record = col.owner(row), col.record(row)
                plain = old.open(value, user_id=owner, record_id=record)
                sealed = new.seal(plain, user_id=owner, record_id=record)
                conn.execute(col.update(), (col.stored(sealed), *(row[k] for k in col.key)))
                n += 1
            done.resealed[f"{col.table}.{col.column}"] = n
        conn.execute("UPDATE vault_check SET key_id = ?, canary = ? WHERE id = 1", (new.key_id, canary(new)))
    if not from_env:
        os.replace(pending, home / KEY_FILE)
        _fsync_dir(home)
    done.seconds = time.perf_counter() - started
    return done


def _fsync_dir(path: Path) -> None:
    """Make the rename durable (the directory entry), where the platform allows opening a directory."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
