"""The on-device event store (SQLite, WAL), encrypted at rest.

Events are written in one transaction per batch and keyed by ``(user_id, event_id)``: a re-sent event is
counted as a duplicate and not stored twice, and one user's ids can never overwrite another user's events.
The validated event is kept whole, sealed by the :class:`~lingxi.privacy.crypto.Vault` (AES-GCM), next to
the few plaintext columns queries filter on (type, time, source app — no content).

Whatever must stay in step with the events — the search index, the profile — is an :class:`IngestHook`:
hooks run inside the ingest transaction, on the newly added events only, so an event is searchable and
counted in the profile the moment its batch commits, and a crash leaves neither half-done. Deleting a user
runs every hook's ``on_delete`` in the same transaction as the events' deletion.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from lingxi.context.event_sql import SQLITE, EventReads, EventSql, Statement, seal_event
from lingxi.context.events import Event
from lingxi.ids import now_ms
from lingxi.privacy.crypto import Vault
from lingxi.privacy.sealed import SealedColumn, by_user, register
from lingxi.storage.sqlite import Database

_MIGRATIONS = (
    """CREATE TABLE events (
        user_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        ts INTEGER NOT NULL,
        source_app TEXT NOT NULL,
        text TEXT NOT NULL,
        payload TEXT NOT NULL,
        ingested_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, event_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX events_by_user_type_ts ON events(user_id, type, ts)",
    "CREATE INDEX events_by_user_ts ON events(user_id, ts)",
    # the payload is sealed from here on and the plaintext search text leaves the row
    "ALTER TABLE events DROP COLUMN text",
    # event model v2 (issue 13): each row records the event format it was written in; rows already stored
    # were written in v1, which v2 reads unchanged (every new field has a default)
    "ALTER TABLE events ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1",
)
register(SealedColumn("events", "payload", ("user_id", "event_id"), by_user, lambda r: str(r["event_id"])))


class IngestHook(Protocol):
    """Something kept in step with the events (search index, profile).

    A hook may also define ``prepare(events)``: called before the ingest transaction begins, for work that
    needs no database (tokenizing), so that the write lock is held only for the writes.
    """

    def on_ingest(self, conn: sqlite3.Connection, events: Sequence[Event]) -> None: ...

    def on_delete(self, conn: sqlite3.Connection, user_id: str) -> None: ...


@dataclass(frozen=True)
class IngestResult:
    """What a batch did: ``added`` new events, ``duplicates`` already present (same user and event_id)."""

    added: int
    duplicates: int


class EventStore(EventReads):
    """Typed events of many users in one database; every read is scoped to one ``user_id``.

    ``query``, ``get`` and ``count`` and every statement's text are shared with the PostgreSQL store
    (:mod:`lingxi.context.event_sql`); this class supplies the SQLite connections and the hooks.
    """

    _sql = EventSql(SQLITE)

    def __init__(self, db: Database, vault: Vault) -> None:
        self.db = db
        self.vault = vault
        self.hooks: list[IngestHook] = []
        db.migrate("events", _MIGRATIONS)

    def add(self, events: Iterable[Event]) -> IngestResult:
        """Store a batch atomically: every new event and its hooks' updates, or nothing."""
        batch = list(events)
        now = now_ms()
        added: list[Event] = []
        for hook in self.hooks:  # slow, lock-free work (tokenizing) before BEGIN: other writers never wait on it
            prepare = getattr(hook, "prepare", None)
            if prepare is not None:
                prepare(batch)
        with self.db.transaction() as conn:
            for e in batch:
                cur = conn.execute(self._sql.insert, EventSql.insert_row(e, seal_event(self.vault, e), now))
                if cur.rowcount:  # 0: the key is already stored, a duplicate
                    added.append(e)
            if added:
                for hook in self.hooks:
                    hook.on_ingest(conn, added)
        return IngestResult(added=len(added), duplicates=len(batch) - len(added))

    def _fetch(self, statement: Statement) -> list[sqlite3.Row]:
        with self.db.connect() as conn:
            return conn.execute(*statement).fetchall()

    def delete_user(self, user_id: str) -> int:
        """Delete every event of ``user_id`` and everything hooks derived from them; returns the count."""
        with self.db.transaction() as conn:
            n = conn.execute(*self._sql.delete_user(user_id)).rowcount
            for hook in self.hooks:
                hook.on_delete(conn, user_id)
        return int(n)
