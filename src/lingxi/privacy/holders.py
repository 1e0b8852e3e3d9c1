"""The user-data holder protocol: every store that keeps something about a user can export and erase it.

Subject rights (:mod:`lingxi.privacy.subject_rights`) used to run SQLite statements on other components'
tables, which broke the moment a table moved to PostgreSQL. Now each store is wrapped (or implements) a
:class:`UserDataHolder` where it is created, and export, delete and the deletion receipt are computed by
iterating the registered holders: a new store that keeps user data registers one holder and is covered, on
whichever backend it lives.

``count_user`` is what makes the receipt honest: it is asked before and after erasing, so the receipt says
what each holder held, what it erased and what remains (which must be 0). A holder with ``retained = True``
(the pseudonymous audit log, kept ≥ 6 months by law) is exported and counted but never erased.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from lingxi.errors import InvalidInput
from lingxi.storage.sqlite import Database


class UserDataHolder(Protocol):
    """A store that holds data about users (events, index, profile, consents, …)."""

    @property
    def name(self) -> str: ...  # the key of its section in the export and its line in the receipt

    @property
    def retained(self) -> bool: ...  # kept on deletion by law: exported and counted, never erased

    def export_user(self, user_id: str) -> Any:
        """What the holder keeps about ``user_id``, as JSON-ready data (decrypted where sealed)."""
        ...

    def erase_user(self, user_id: str) -> int:
        """Erase (or de-identify) what the holder keeps about ``user_id``; returns the records affected."""
        ...

    def count_user(self, user_id: str) -> int:
        """How many records still identify ``user_id`` here (0 after :meth:`erase_user`)."""
        ...


class Holders:
    """The registered holders of one installation, in registration order (the order of export and erase)."""

    def __init__(self) -> None:
        self._holders: dict[str, UserDataHolder] = {}

    def register(self, holder: UserDataHolder) -> None:
        if holder.name in self._holders:
            raise InvalidInput(
                f"a user-data holder named {holder.name!r} is already registered",
                message_zh=f"用户数据组件重名：{holder.name}",
            )
        self._holders[holder.name] = holder

    def __iter__(self) -> Iterator[UserDataHolder]:
        return iter(list(self._holders.values()))

    def names(self) -> list[str]:
        return list(self._holders)


def _exists(conn: sqlite3.Connection, table: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None
    )


def _plain(value: Any) -> Any:
    """A column value for JSON: sealed bytes are not meaningful to the user, so only their size is shown."""
    return f"<{len(value)} bytes sealed>" if isinstance(value, bytes | memoryview) else value


@dataclass
class TableHolder:
    """A holder over SQLite tables that key rows by the user (``column`` = ``key(user_id)``).

    Tables that do not exist (a component never used in this home, e.g. the server's ``user_owner`` after
    CLI-only use) hold nothing. ``export`` and ``erase`` default to the rows as they are and a plain
    ``DELETE``; a component whose rows are sealed or whose erasure must update shared counts passes its own.
    """

    name: str
    db: Database
    tables: Sequence[str]
    column: str = "user_id"
    key: Callable[[str], str] = field(default=lambda user_id: user_id)
    export: Callable[[str], Any] | None = None
    erase: Callable[[str], int] | None = None
    retained: bool = False

    def count_user(self, user_id: str) -> int:
        n = 0
        with self.db.connect() as conn:
            for table in self.tables:
                if _exists(conn, table):
                    sql = f'SELECT COUNT(*) FROM "{table}" WHERE "{self.column}" = ?'  # names: constants
                    n += int(conn.execute(sql, (self.key(user_id),)).fetchone()[0])
        return n

    def export_user(self, user_id: str) -> Any:
        if self.export is not None:
            return self.export(user_id)
        out: dict[str, list[dict[str, Any]]] = {}
        with self.db.connect() as conn:
            for table in self.tables:
                if _exists(conn, table):
                    rows = conn.execute(f'SELECT * FROM "{table}" WHERE "{self.column}" = ?', (self.key(user_id),))
                    out[table] = [{k: _plain(r[k]) for k in r.keys()} for r in rows]  # noqa: SIM118 (sqlite3.Row)
        return out

    def erase_user(self, user_id: str) -> int:
        if self.erase is not None:
            return self.erase(user_id)
        n = 0
        with self.db.transaction() as conn:
            for table in self.tables:
                if _exists(conn, table):
                    sql = f'DELETE FROM "{table}" WHERE "{self.column}" = ?'
                    n += int(conn.execute(sql, (self.key(user_id),)).rowcount)
        return n


@dataclass
class Holder:
    """A holder from three functions, for a store whose own methods already export, erase and count."""

    name: str
    export: Callable[[str], Any]
    erase: Callable[[str], int]
    count: Callable[[str], int]
    retained: bool = False

    def export_user(self, user_id: str) -> Any:
        return self.export(user_id)

    def erase_user(self, user_id: str) -> int:
        return 0 if self.retained else self.erase(user_id)

    def count_user(self, user_id: str) -> int:
        return self.count(user_id)
