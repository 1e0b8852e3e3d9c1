"""The registry of every sealed column of the home's SQLite file, and how each row's associated data is formed.

The :class:`~lingxi.privacy.crypto.Vault` binds each sealed value to an owner and a record id (AES-GCM
associated data), formed differently by each component. Two things need the whole list: the start-up key
check (:mod:`lingxi.privacy.keycheck`, which tries one sealed row of a database that predates its check value)
and key rotation (:mod:`lingxi.privacy.rotate`, which re-seals every row and runs every re-key step).

The list used to live here, importing the stores of higher layers; now each component registers its own
columns beside its schema (:func:`register`), and a component whose derived data depends on the key (the
search index: keyed hashes) registers a re-key step (:func:`register_rekey`). Registration happens when the
component's module is imported, so :mod:`lingxi.user_data` — the one module that names every store of a home —
imports them all and then calls :func:`mark_complete`; rotation refuses to run on a registry not marked
complete (a column left out would be left sealed under the old key, unreadable), the key check accepts any
registered column. ``tests/test_master_key.py`` reads every registered column back after a rotation.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from lingxi.privacy.crypto import Vault
from lingxi.storage.sqlite import Database

Row = sqlite3.Row

#: The prefix of sealed bytes kept as text (base64), for columns that are TEXT on every backend (complaints).
SEALED_TEXT = "sealed:v1:"


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


def by_user(r: Row) -> str:
    """The owner of rows keyed by ``user_id`` (most sealed columns)."""
    return str(r["user_id"])


#: In-transaction part of a re-key step: (connection, old vault) -> rows rebuilt. Runs before the re-sealing.
RekeyRun = Callable[[sqlite3.Connection, Vault], int]
#: A re-key step: (database, new vault) -> its in-transaction part; the outer call may migrate (no transaction).
Rekey = Callable[[Database, Vault], RekeyRun]

_COLUMNS: dict[tuple[str, str], SealedColumn] = {}
_REKEYS: dict[str, Rekey] = {}
_complete = False


def register(*columns: SealedColumn) -> None:
    """Add ``columns`` to the registry (idempotent by ``table.column``: a module imported twice adds nothing)."""
    for col in columns:
        _COLUMNS[(col.table, col.column)] = col


def register_rekey(name: str, step: Rekey) -> None:
    """Add a step that rebuilds key-dependent derived data during a rotation (by name: idempotent)."""
    _REKEYS[name] = step


def mark_complete() -> None:
    """Say that every component of a home has registered (called by :mod:`lingxi.user_data` once imported)."""
    global _complete
    _complete = True


def registered() -> tuple[SealedColumn, ...]:
    """Every registered sealed column, in registration order."""
    return tuple(_COLUMNS.values())


def rekeys(*, require_complete: bool = True) -> dict[str, Rekey]:
    """The registered re-key steps by name; refuses an incomplete registry (see the module doc)."""
    _require(require_complete)
    return dict(_REKEYS)


def existing(conn: sqlite3.Connection, *, require_complete: bool = False) -> list[SealedColumn]:
    """The registered columns whose table exists in this file (a component never used has none)."""
    _require(require_complete)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [c for c in _COLUMNS.values() if c.table in tables]


def _require(complete: bool) -> None:
    if complete and not _complete:
        raise RuntimeError("the sealed-column registry is incomplete: import lingxi.user_data (every store) first")
