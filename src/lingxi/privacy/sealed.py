"""Every sealed column of the home's SQLite file, and how each row's associated data is formed.

The :class:`~lingxi.privacy.crypto.Vault` binds each sealed value to an owner and a record id (AES-GCM
associated data), formed differently by each component. Two things need the whole list in one place: the
start-up key check (:mod:`lingxi.privacy.keycheck`, which tries one sealed row of a database that predates
its check value) and key rotation (:mod:`lingxi.privacy.rotate`, which re-seals every row). A component
that seals a new column adds it here; ``tests/test_master_key.py`` reads every listed column back after a
rotation. The search index is not here: its tokens are keyed hashes, rebuilt from the events on rotation.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from lingxi.compliance.complaints import SEALED_TEXT
from lingxi.shopping.sealing import CATALOG

Row = sqlite3.Row


@dataclass(frozen=True)
class SealedColumn:
    """One sealed column: its table, the columns that identify a row, and the row's owner and record id."""

    table: str
    column: str
    key: tuple[str, ...]  # identifies the row for the UPDATE (``rowid`` where the table has no primary key)
    owner: Callable[[Row], str]
    record: Callable[[Row], str]
    also: tuple[str, ...] = ()  # further columns owner/record read
    text: bool = False  # sealed bytes kept as text, SEALED_TEXT + base64 (a TEXT column on every backend)

    def sealed_bytes(self, value: object) -> bytes | None:
        """The sealed bytes of a stored value; None for a value that is not sealed (plain legacy text)."""
        if isinstance(value, bytes):
            return value
        if self.text and isinstance(value, str) and value.startswith(SEALED_TEXT):
            return base64.b64decode(value[len(SEALED_TEXT) :])
        return None

    def stored(self, sealed: bytes) -> bytes | str:
        """How sealed bytes are written back to this column."""
        return SEALED_TEXT + base64.b64encode(sealed).decode() if self.text else sealed

    def select(self) -> str:
        cols = dict.fromkeys([*self.key, *self.also, self.column])
        return f"SELECT {', '.join(cols)} FROM {self.table}"  # names: constants of this module

    def update(self) -> str:
        where = " AND ".join(f"{k} = ?" for k in self.key)
        return f"UPDATE {self.table} SET {self.column} = ? WHERE {where}"


def _user(r: Row) -> str:
    return str(r["user_id"])


SEALED_COLUMNS: tuple[SealedColumn, ...] = (
    SealedColumn("events", "payload", ("user_id", "event_id"), _user, lambda r: str(r["event_id"])),
    SealedColumn("profiles", "payload", ("user_id",), _user, lambda r: "profile"),
    SealedColumn("profiles", "contacts", ("user_id",), _user, lambda r: "profile:contacts"),
    SealedColumn(
        "event_vectors",
        "vector",
        ("user_id", "event_id"),
        _user,
        lambda r: f"vector:{r['model']}@{r['dims']}:{r['event_id']}",
        also=("model", "dims"),
    ),
    SealedColumn("shop_items", "name", ("item_id",), lambda r: CATALOG, lambda r: str(r["item_id"])),
    SealedColumn(
        "shop_queries", "query", ("rowid",), _user, lambda r: str(r["event_id"]), also=("user_id", "event_id")
    ),
    SealedColumn(
        "assistant_sessions", "state", ("user_id", "session_id"), _user, lambda r: f"session:{r['session_id']}"
    ),
    SealedColumn(
        "assistant_messages",
        "payload",
        ("user_id", "session_id", "seq"),
        _user,
        lambda r: f"session:{r['session_id']}:{r['seq']}",
    ),
    SealedColumn("complaints", "contact", ("id",), lambda r: "complaint", lambda r: f"{r['id']}/contact", text=True),
    SealedColumn("complaints", "text", ("id",), lambda r: "complaint", lambda r: f"{r['id']}/text", text=True),
)


def existing(conn: sqlite3.Connection) -> list[SealedColumn]:
    """The listed columns whose table exists in this file (a component never used has none)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [c for c in SEALED_COLUMNS if c.table in tables]
