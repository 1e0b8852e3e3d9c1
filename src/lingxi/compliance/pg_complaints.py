"""Complaints (投诉举报) on PostgreSQL, so a complaint filed through one gateway worker is handled on any other.

A subclass of :class:`~lingxi.compliance.complaints.ComplaintStore` that supplies only its connection and
dialect (``%s`` placeholders, a row lock, the history's ``seq`` column); every method is the SQLite store's
own. Two operators changing the same
complaint on two workers are serialized by ``SELECT … FOR UPDATE`` on that complaint's row (the SQLite store
gets the same from ``BEGIN IMMEDIATE``), so the second sees the first's status and a final status stays final.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from lingxi.compliance.complaints import DEFAULT_DEADLINE_DAYS, ComplaintStore, Query, checked_deadline

if TYPE_CHECKING:
    from lingxi.privacy.crypto import Vault
    from lingxi.storage.postgres import PgDatabase

_MIGRATIONS = (
    """CREATE TABLE complaints (
        id TEXT COLLATE "C" PRIMARY KEY,
        created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL,
        deadline_ms BIGINT NOT NULL,
        contact TEXT NOT NULL,
        category TEXT NOT NULL,
        text TEXT NOT NULL,
        request_id TEXT,
        audit_id TEXT,
        status TEXT NOT NULL
    )""",
    "CREATE INDEX complaints_by_status ON complaints(status, deadline_ms)",
    """CREATE TABLE complaint_history (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        complaint_id TEXT COLLATE "C" NOT NULL REFERENCES complaints(id),
        ts BIGINT NOT NULL,
        status TEXT NOT NULL,
        note TEXT NOT NULL,
        actor TEXT NOT NULL
    )""",
    "CREATE INDEX complaint_history_by_id ON complaint_history(complaint_id, ts)",
)


class PgComplaintStore(ComplaintStore):
    """:class:`ComplaintStore` on a shared PostgreSQL database: only the connection and the dialect differ."""

    _LOCK = " FOR UPDATE"
    _HISTORY_ORDER = "seq"

    def __init__(self, pg: PgDatabase, vault: Vault, deadline_days: int = DEFAULT_DEADLINE_DAYS) -> None:
        # no super().__init__: there is no SQLite file here
        self.pg = pg
        self.vault = vault
        self.deadline_days = checked_deadline(deadline_days)
        pg.migrate("complaints", _MIGRATIONS)
        self._seal_legacy()

    @contextmanager
    def _query(self) -> Iterator[Query]:
        from psycopg.rows import dict_row

        with self.pg.transaction() as conn:

            def query(sql: str, args: tuple[Any, ...]) -> list[Any]:
                # the store's SQL is constant text with ``?`` placeholders; psycopg's are ``%s``
                with conn.cursor(row_factory=dict_row) as cur:
                    cur.execute(sql.replace("?", "%s"), args)
                    return cur.fetchall() if cur.description else []

            yield query
