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

from lingxi.context.events import Event, parse_event
from lingxi.db import Database
from lingxi.ids import now_ms
from lingxi.privacy.crypto import Vault

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
)


class IngestHook(Protocol):
    """Something kept in step with the events (search index, profile)."""

    def on_ingest(self, conn: sqlite3.Connection, events: Sequence[Event]) -> None: ...

    def on_delete(self, conn: sqlite3.Connection, user_id: str) -> None: ...


@dataclass(frozen=True)
class IngestResult:
    """What a batch did: ``added`` new events, ``duplicates`` already present (same user and event_id)."""

    added: int
    duplicates: int


class EventStore:
    """Typed events of many users in one database; every read is scoped to one ``user_id``."""

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
        with self.db.transaction() as conn:
            for e in batch:
                sealed = self.vault.seal(e.model_dump_json().encode(), user_id=e.user_id, record_id=e.event_id)
                cur = conn.execute(
                    "INSERT OR IGNORE INTO events(user_id, event_id, type, ts, source_app, payload, ingested_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (e.user_id, e.event_id, e.type, e.ts, e.source_app, sealed, now),
                )
                if cur.rowcount:
                    added.append(e)
            if added:
                for hook in self.hooks:
                    hook.on_ingest(conn, added)
        return IngestResult(added=len(added), duplicates=len(batch) - len(added))

    def _open(self, row: sqlite3.Row) -> Event:
        payload = row["payload"]
        if isinstance(payload, str):  # written by a 0.1 development build, before sealing: still readable
            return parse_event(payload)
        return parse_event(self.vault.open(payload, user_id=row["user_id"], record_id=row["event_id"]))

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
        sql = ["SELECT user_id, event_id, payload FROM events WHERE user_id = ?"]
        args: list[object] = [user_id]
        if types:
            sql.append(f"AND type IN ({','.join('?' * len(types))})")
            args.extend(types)
        if since_ms is not None:
            sql.append("AND ts >= ?")
            args.append(since_ms)
        if until_ms is not None:
            sql.append("AND ts < ?")
            args.append(until_ms)
        sql.append("ORDER BY ts DESC, event_id DESC LIMIT ?")
        args.append(limit)
        with self.db.connect() as conn:
            rows = conn.execute(" ".join(sql), args).fetchall()
        return [self._open(row) for row in rows]

    def get(self, user_id: str, event_ids: Sequence[str]) -> list[Event]:
        """Specific events of one user (ids of other users' events are simply not found)."""
        if not event_ids:
            return []
        marks = ",".join("?" * len(event_ids))
        with self.db.connect() as conn:
            rows = conn.execute(
                f"SELECT user_id, event_id, payload FROM events WHERE user_id = ? AND event_id IN ({marks})",
                [user_id, *event_ids],
            ).fetchall()
        by_id = {row["event_id"]: self._open(row) for row in rows}
        return [by_id[i] for i in event_ids if i in by_id]

    def count(self, user_id: str) -> dict[str, int]:
        """Number of stored events per type for one user."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT type, COUNT(*) AS n FROM events WHERE user_id = ? GROUP BY type ORDER BY type", (user_id,)
            ).fetchall()
        return {row["type"]: int(row["n"]) for row in rows}

    def delete_user(self, user_id: str) -> int:
        """Delete every event of ``user_id`` and everything hooks derived from them; returns the count."""
        with self.db.transaction() as conn:
            n = conn.execute("DELETE FROM events WHERE user_id = ?", (user_id,)).rowcount
            for hook in self.hooks:
                hook.on_delete(conn, user_id)
        return int(n)
