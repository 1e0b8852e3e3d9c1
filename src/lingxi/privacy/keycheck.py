"""Refuse to start on a database whose sealed data the master key at hand cannot open.

Without this, a ``lingxi.storage.sqlite`` copied without its ``master.key`` got a new key generated silently beside it,
and every read (and every ingest that updates a sealed profile) then failed with "wrong key or tampered" —
while new data was sealed under a key that opens none of the old. :func:`open_vault` is how the facade gets
its vault instead:

- a **check value** (``vault_check``: the key's public id and a sealed canary) is written the first time a
  key is used with a database, so a later start knows at once whether its key is the right one;
- a database from before the check value is probed by opening one sealed row
  (registered in :mod:`lingxi.privacy.sealed`); if it opens, the check value is written;
- a database that holds sealed data but has no key (neither ``LINGXI_MASTER_KEY`` nor ``master.key``) is
  refused *before* a key file is created, with a :class:`~lingxi.errors.MasterKeyError` naming where the key
  is expected and how to recover;
- an interrupted rotation (``master.key.new`` written, the re-sealed data committed, the rename not done)
  is finished here: the pending key is the one that opens the check value.

With PostgreSQL configured the check value lives in the home's SQLite file beside the index and profile,
and one sealed event of the shared store (:func:`lingxi.storage.stores.remote_sealed_sample`, read before any key
is loaded) must open too: a worker started with another key — or none — is refused, not given its own.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from lingxi.errors import MasterKeyError, StorageError
from lingxi.ids import now_ms
from lingxi.privacy.crypto import KEY_ENV, KEY_FILE, Vault, load_master_key
from lingxi.privacy.sealed import existing
from lingxi.storage.sqlite import Database

PENDING_KEY_FILE = KEY_FILE + ".new"  # written by a rotation before its commit (see lingxi.privacy.rotate)
_CANARY = b"lingxi master key check"
_OWNER, _RECORD = "", "vault-check"
Sample = tuple[str, str, bytes]  # owner, record id, sealed value
_MIGRATIONS = (
    """CREATE TABLE vault_check (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        key_id TEXT NOT NULL,
        canary BLOB NOT NULL,
        created_ms INTEGER NOT NULL
    )""",
)


def canary(vault: Vault) -> bytes:
    """The sealed check value for ``vault``'s key."""
    return vault.seal(_CANARY, user_id=_OWNER, record_id=_RECORD)


def _opens(vault: Vault, sealed: bytes) -> bool:
    try:
        return vault.open(sealed, user_id=_OWNER, record_id=_RECORD) == _CANARY
    except StorageError:
        return False


def _sample(conn: sqlite3.Connection) -> Sample | None:
    """One sealed value of the file, with its owner and record id; None when the file holds none."""
    for col in existing(conn):
        for row in conn.execute(f"{col.select()} LIMIT 16"):
            value = col.sealed_bytes(row[col.column])
            if value is not None:
                return col.owner(row), col.record(row), value
    return None


def expected_key_id(db: Database) -> str | None:
    """The id of the key this database was sealed with (None: no check value written yet)."""
    db.migrate("vault_check", _MIGRATIONS)
    with db.connect() as conn:
        row = conn.execute("SELECT key_id FROM vault_check WHERE id = 1").fetchone()
    return str(row["key_id"]) if row else None


def _matches(db: Database, vault: Vault) -> bool:
    """Whether ``vault`` opens this database's sealed data; writes the check value on first use."""
    with db.connect() as conn:
        row = conn.execute("SELECT canary FROM vault_check WHERE id = 1").fetchone()
        if row is not None:
            return _opens(vault, bytes(row["canary"]))
        sample = _sample(conn)
    if not _opens_sample(vault, sample):
        return False
    with db.transaction() as conn:  # OR IGNORE: another process starting with the same home may win the race
        conn.execute(
            "INSERT OR IGNORE INTO vault_check(id, key_id, canary, created_ms) VALUES (1, ?, ?, ?)",
            (vault.key_id, canary(vault), now_ms()),
        )
        won = conn.execute("SELECT canary FROM vault_check WHERE id = 1").fetchone()
    return _opens(vault, bytes(won["canary"]))


def _holds_sealed_data(db: Database) -> bool:
    with db.connect() as conn:
        if conn.execute("SELECT 1 FROM vault_check").fetchone():
            return True
        return _sample(conn) is not None


def _where(home: Path) -> str:
    return f"{KEY_ENV} or {home / KEY_FILE}"


def _opens_sample(vault: Vault, sample: Sample | None) -> bool:
    if sample is None:
        return True
    owner, record, sealed = sample
    try:
        vault.open(sealed, user_id=owner, record_id=record)
    except StorageError:
        return False
    return True


def open_vault(home: Path, db: Database, *, remote: Sample | None = None) -> Vault:
    """The vault for ``db``: its key checked against the data, never a new key for a database with sealed data.

    ``remote`` is one sealed event of a shared PostgreSQL store (None: none, or SQLite only): every worker's
    key must open it too.
    """
    db.migrate("vault_check", _MIGRATIONS)
    local = _holds_sealed_data(db)
    key = load_master_key(home, create=remote is None and not local)
    if key is None:
        where = str(db.path) if local else "the PostgreSQL event store"
        where_zh = f"数据库 {db.path}" if local else "PostgreSQL 事件库"
        raise MasterKeyError(
            f"{where} holds sealed data but no master key was found in {_where(home)}",
            message_zh=(
                f"{where_zh} 中有加密数据，但找不到主密钥：应在环境变量 {KEY_ENV} 或文件 {home / KEY_FILE}"
                "（权限 0600）中。未生成新密钥，数据未被改动"
            ),
            hint=(
                f"restore the key from your backup (`lingxi keys master backup`): copy it to {home / KEY_FILE} "
                f"(chmod 600) or set {KEY_ENV}=$(base64 -w0 BACKUP); without it the sealed data cannot be read — "
                "to start afresh, move lingxi.db away"
            ),
        )
    vault = Vault(key)
    if not _opens_sample(vault, remote):
        source = KEY_ENV if os.environ.get(KEY_ENV) else str(home / KEY_FILE)
        raise MasterKeyError(
            f"the master key from {source} (key id {vault.key_id}) does not open the events in PostgreSQL",
            message_zh=f"主密钥不匹配：{source} 中的密钥（ID {vault.key_id}）打不开 PostgreSQL 中的事件",
            hint=f"every worker sharing a database needs the same key: set the same {KEY_ENV} on each",
        )
    if _matches(db, vault):
        return vault
    pending = home / PENDING_KEY_FILE
    if KEY_ENV not in os.environ and pending.exists():
        finished = Vault(pending.read_bytes())
        if _matches(db, finished):  # a rotation committed but did not rename its key: finish it
            os.replace(pending, home / KEY_FILE)
            return finished
    source = KEY_ENV if os.environ.get(KEY_ENV) else str(home / KEY_FILE)
    expected = expected_key_id(db) or "unknown"
    raise MasterKeyError(
        f"the master key from {source} (key id {vault.key_id}) does not open {db.path} (sealed with key id {expected})",
        message_zh=f"主密钥不匹配：{source} 中的密钥（ID {vault.key_id}）打不开数据库 {db.path}（需 ID {expected}）",
        hint=(
            f"use the key this database was sealed with: restore it to {home / KEY_FILE} (chmod 600) or set "
            f"{KEY_ENV}; `lingxi keys master backup` on the original machine makes a copy"
        ),
    )
