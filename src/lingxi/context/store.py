"""The on-device event store (SQLite, WAL).

Events are written in one transaction per batch and keyed by ``(user_id, event_id)``: a re-sent event is
counted as a duplicate and not stored twice, and one user's ids can never overwrite another user's events.
The validated event is kept whole as JSON next to the few columns queries filter on, so reading an event
back gives exactly the typed object that was ingested.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lingxi.context.events import Event, parse_event
from lingxi.db import Database
from lingxi.ids import now_ms

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
)


@dataclass(frozen=True)
class IngestResult:
    """What a batch did: ``added`` new events, ``duplicates`` already present (same user and event_id)."""

    added: int
    duplicates: int


class EventStore:
    """Typed events of many users in one database; every read is scoped to one ``user_id``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("events", _MIGRATIONS)

    def add(self, events: Iterable[Event]) -> IngestResult:
        """Store a batch atomically: either every new event is saved or none is."""
        now = now_ms()
        rows = [
            (e.user_id, e.event_id, e.type, e.ts, e.source_app, e.search_text(), e.model_dump_json(), now)
            for e in events
        ]
        with self.db.transaction() as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO events(user_id, event_id, type, ts, source_app, text, payload, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            added = conn.total_changes - before
        return IngestResult(added=added, duplicates=len(rows) - added)

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
        sql = ["SELECT payload FROM events WHERE user_id = ?"]
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
        return [parse_event(row["payload"]) for row in rows]

    def count(self, user_id: str) -> dict[str, int]:
        """Number of stored events per type for one user."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT type, COUNT(*) AS n FROM events WHERE user_id = ? GROUP BY type ORDER BY type",
                (user_id,),
            ).fetchall()
        return {row["type"]: int(row["n"]) for row in rows}
