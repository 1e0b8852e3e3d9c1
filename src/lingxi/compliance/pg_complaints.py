"""Complaints (投诉举报) on PostgreSQL, so a complaint filed through one gateway worker is handled on any other.

A subclass of :class:`~lingxi.compliance.complaints.ComplaintStore` with the same interface; validation
(:func:`~lingxi.compliance.complaints.checked_intake`), the status rules
(:func:`~lingxi.compliance.complaints.check_transition`) and the row-to-model conversion
(:func:`~lingxi.compliance.complaints.complaint_from_row`) are shared, as are ``overdue`` and
``export_json``, which only call :meth:`get` and :meth:`list_complaints`. Two operators changing the same
complaint on two workers are serialized by ``SELECT … FOR UPDATE`` on that complaint's row (the SQLite store
gets the same from ``BEGIN IMMEDIATE``), so the second sees the first's status and a final status stays final.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lingxi.compliance.complaints import (
    DAY_MS,
    DEFAULT_DEADLINE_DAYS,
    Category,
    Complaint,
    ComplaintStore,
    Status,
    check_transition,
    checked_intake,
    complaint_from_row,
    not_found,
    parse_enum,
)
from lingxi.errors import InvalidInput
from lingxi.ids import now_ms, uuid7

if TYPE_CHECKING:
    from lingxi.backends import PgDatabase, _Conn

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
_HISTORY = "INSERT INTO complaint_history(complaint_id, ts, status, note, actor) VALUES (%s, %s, %s, %s, %s)"


def _rows(conn: _Conn, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(sql, args).fetchall()  # SQL: constants of this module only


class PgComplaintStore(ComplaintStore):
    """:class:`ComplaintStore` on a shared PostgreSQL database."""

    def __init__(self, pg: PgDatabase, deadline_days: int = DEFAULT_DEADLINE_DAYS) -> None:
        if deadline_days < 1:  # no super().__init__: there is no SQLite file here
            raise InvalidInput("deadline_days must be at least 1", message_zh="投诉处理时限至少为 1 天")
        self.pg = pg
        self.deadline_days = deadline_days
        pg.migrate("complaints", _MIGRATIONS)

    def add(
        self,
        contact: str,
        category: Category | str,
        text: str,
        *,
        request_id: str | None = None,
        audit_id: str | None = None,
        now: int | None = None,
    ) -> Complaint:
        cat, contact, text = checked_intake(contact, category, text)
        ts = now_ms() if now is None else now
        cid = uuid7()
        with self.pg.transaction() as conn:
            conn.execute(
                "INSERT INTO complaints(id, created_ms, updated_ms, deadline_ms, contact, category, text, request_id,"
                " audit_id, status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (cid, ts, ts, ts + self.deadline_days * DAY_MS, contact, cat.value, text, request_id, audit_id,
                 Status.RECEIVED.value),
            )  # fmt: skip
            conn.execute(_HISTORY, (cid, ts, Status.RECEIVED.value, "", "intake"))
        return self.get(cid, now=ts)

    def set_status(
        self, complaint_id: str, status: Status | str, *, note: str = "", actor: str = "admin", now: int | None = None
    ) -> Complaint:
        new = status if isinstance(status, Status) else parse_enum(Status, status, "投诉状态")
        ts = now_ms() if now is None else now
        with self.pg.transaction() as conn:
            row = conn.execute("SELECT status FROM complaints WHERE id = %s FOR UPDATE", (complaint_id,)).fetchone()
            check_transition(complaint_id, str(row[0]) if row else None, new)
            conn.execute(
                "UPDATE complaints SET status = %s, updated_ms = %s WHERE id = %s", (new.value, ts, complaint_id)
            )
            conn.execute(_HISTORY, (complaint_id, ts, new.value, note, actor))
        return self.get(complaint_id, now=ts)

    def get(self, complaint_id: str, *, now: int | None = None) -> Complaint:
        with self.pg.transaction() as conn:
            rows = _rows(conn, "SELECT * FROM complaints WHERE id = %s", (complaint_id,))
            if not rows:
                raise not_found(complaint_id)
            history = _rows(
                conn,
                "SELECT ts, status, note, actor FROM complaint_history WHERE complaint_id = %s ORDER BY ts, seq",
                (complaint_id,),
            )
        return complaint_from_row(rows[0], history, now_ms() if now is None else now)

    def list_complaints(self, status: Status | str | None = None, *, now: int | None = None) -> list[Complaint]:
        ts = now_ms() if now is None else now
        with self.pg.transaction() as conn:
            if status is None:
                rows = _rows(conn, "SELECT * FROM complaints ORDER BY created_ms, id")
            else:
                st = status if isinstance(status, Status) else parse_enum(Status, status, "投诉状态")
                rows = _rows(conn, "SELECT * FROM complaints WHERE status = %s ORDER BY created_ms, id", (st.value,))
        return [complaint_from_row(r, [], ts) for r in rows]
