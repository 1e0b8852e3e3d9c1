"""The event stores' SQL and reads, written once for SQLite and PostgreSQL.

:class:`~lingxi.context.store.EventStore` (SQLite) and :class:`~lingxi.context.pg_store.PgEventStore`
(PostgreSQL) must answer every query identically — same filters, same order (``ts`` then ``event_id``,
newest first), same limit, same isolation by ``user_id`` — or a deployment that moves to PostgreSQL would
quietly change what features see. So the statements are built here from one text each, and a
:class:`Dialect` supplies only what the two databases truly spell differently: the placeholder, the "value
in a list" test, and what an insert returns. :class:`EventReads` runs the reads (``query``, ``get``,
``count``) once for both; a store supplies :meth:`EventReads._fetch` (its connection handling and error
mapping) and keeps the writes, whose transactions and hooks are backend-specific.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from lingxi.context.event_base import EVENT_SCHEMA_VERSION
from lingxi.context.events import Event, parse_event
from lingxi.privacy.crypto import Vault


@dataclass(frozen=True)
class Dialect:
    """How one database spells the few things the event statements need."""

    name: str
    #: the parameter placeholder (``?`` for sqlite3, ``%s`` for psycopg)
    mark: str
    #: True: ``col IN (?, ?, …)`` with one argument per value (SQLite has no arrays); False: ``col = ANY(%s)``
    #: with one array argument, so PostgreSQL sees one statement text whatever the list's length
    expand_lists: bool
    #: appended to the insert so the driver reports each added row (psycopg's ``executemany(returning=True)``)
    returning: str = ""

    def sql(self, text: str) -> str:
        """``text`` written with ``?`` placeholders, in this dialect (no statement holds a literal ``?``)."""
        return text.replace("?", self.mark)

    def one_of(self, column: str, values: Sequence[str]) -> tuple[str, list[object]]:
        """A condition "``column`` is one of ``values``" and its arguments (``values`` must not be empty)."""
        if self.expand_lists:
            return f"{column} IN ({', '.join([self.mark] * len(values))})", list(values)
        return f"{column} = ANY({self.mark})", [list(values)]


SQLITE = Dialect("sqlite", "?", expand_lists=True)
POSTGRES = Dialect("postgres", "%s", expand_lists=False, returning=" RETURNING 1")


class Statement(NamedTuple):
    """One statement and its arguments, ready for ``conn.execute(*statement)``."""

    sql: str
    args: list[object]


_COLUMNS = "user_id, event_id, type, ts, source_app, payload, ingested_at, schema_version"
_READ = "SELECT user_id, event_id, payload FROM events WHERE user_id = ?"


class EventSql:
    """Every statement the event stores run, in one dialect.

    The insert skips a row whose key ``(user_id, event_id)`` is already stored (``ON CONFLICT DO NOTHING``,
    which both databases accept), so a re-sent event is a duplicate and never overwrites — another user's
    event least of all.
    """

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        marks = ", ".join([dialect.mark] * len(_COLUMNS.split(",")))
        self.insert = (
            f"INSERT INTO events({_COLUMNS}) VALUES ({marks}) ON CONFLICT (user_id, event_id) DO NOTHING"
            + dialect.returning
        )
        self._count = dialect.sql("SELECT type, COUNT(*) FROM events WHERE user_id = ? GROUP BY type ORDER BY type")
        self._by_schema = dialect.sql(
            "SELECT schema_version, COUNT(*) FROM events WHERE user_id = ? GROUP BY schema_version ORDER BY 1"
        )
        self._delete = dialect.sql("DELETE FROM events WHERE user_id = ?")

    @staticmethod
    def insert_row(e: Event, sealed: bytes, now: int) -> tuple[object, ...]:
        """The insert's arguments for one event, in the order of its column list."""
        return (e.user_id, e.event_id, e.type, e.ts, e.source_app, sealed, now, EVENT_SCHEMA_VERSION)

    def query(
        self, user_id: str, *, types: Sequence[str], since_ms: int | None, until_ms: int | None, limit: int
    ) -> Statement:
        """A user's events, newest first (ties by ``event_id``, byte-wise), by type and ``[since_ms, until_ms)``."""
        sql = [_READ]
        args: list[object] = [user_id]
        if types:
            cond, values = self.dialect.one_of("type", types)
            sql.append(f"AND {cond}")
            args.extend(values)
        if since_ms is not None:
            sql.append("AND ts >= ?")
            args.append(since_ms)
        if until_ms is not None:
            sql.append("AND ts < ?")
            args.append(until_ms)
        sql.append("ORDER BY ts DESC, event_id DESC LIMIT ?")
        args.append(limit)
        return Statement(self.dialect.sql(" ".join(sql)), args)  # constants only: values travel as arguments

    def get(self, user_id: str, event_ids: Sequence[str]) -> Statement:
        """Specific events of one user (``event_ids`` must not be empty)."""
        cond, values = self.dialect.one_of("event_id", event_ids)
        return Statement(self.dialect.sql(f"{_READ} AND {cond}"), [user_id, *values])

    def count(self, user_id: str) -> Statement:
        return Statement(self._count, [user_id])

    def by_schema(self, user_id: str) -> Statement:
        return Statement(self._by_schema, [user_id])

    def delete_user(self, user_id: str) -> Statement:
        return Statement(self._delete, [user_id])


def seal_event(vault: Vault, e: Event) -> bytes:
    """The whole event, sealed with its user and id bound as associated data (a row cannot be moved)."""
    return vault.seal(e.model_dump_json().encode(), user_id=e.user_id, record_id=e.event_id)


def open_event(vault: Vault, user_id: str, event_id: str, payload: bytes | str) -> Event:
    """The event of a ``(user_id, event_id, payload)`` row, unsealed and validated."""
    if isinstance(payload, str):  # a SQLite row written by a 0.1 development build, before sealing: still readable
        return parse_event(payload)
    return parse_event(vault.open(bytes(payload), user_id=user_id, record_id=event_id))


class EventReads(ABC):
    """``query``, ``get`` and ``count`` for any event store: the store supplies :meth:`_fetch` and its dialect."""

    vault: Vault
    _sql: ClassVar[EventSql]

    @abstractmethod
    def _fetch(self, statement: Statement) -> Sequence[Sequence[Any]]:
        """Run one read statement and return all its rows (columns by position)."""

    def query(
        self,
        user_id: str,
        *,
        types: Sequence[str] = (),
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 500,
    ) -> list[Event]:
        """A user's events, newest first, optionally filtered by type and ``[since_ms, until_ms)``."""
        rows = self._fetch(self._sql.query(user_id, types=types, since_ms=since_ms, until_ms=until_ms, limit=limit))
        return [open_event(self.vault, row[0], row[1], row[2]) for row in rows]

    def get(self, user_id: str, event_ids: Sequence[str]) -> list[Event]:
        """Specific events of one user, in the order asked (ids of other users' events are simply not found)."""
        if not event_ids:
            return []
        rows = self._fetch(self._sql.get(user_id, event_ids))
        by_id = {row[1]: open_event(self.vault, row[0], row[1], row[2]) for row in rows}
        return [by_id[i] for i in event_ids if i in by_id]

    def count(self, user_id: str) -> dict[str, int]:
        """Number of stored events per type for one user."""
        return {str(row[0]): int(row[1]) for row in self._fetch(self._sql.count(user_id))}

    def count_by_schema(self, user_id: str) -> dict[int, int]:
        """Number of stored events per event-format version (rows written before v2 are version 1)."""
        return {int(row[0]): int(row[1]) for row in self._fetch(self._sql.by_schema(user_id))}

    def users_with(self, event_type: str) -> list[str]:
        """Every user holding at least one event of ``event_type`` (what a training-set export walks over)."""
        sql = self._sql.dialect.sql("SELECT DISTINCT user_id FROM events WHERE type = ? ORDER BY user_id")
        return [str(row[0]) for row in self._fetch(Statement(sql, [event_type]))]
