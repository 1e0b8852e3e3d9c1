"""Complaints and reports (投诉举报) about generated content and personal information.

The Interim Measures (Art. 15) require a provider to set up a convenient complaint channel, publish how
complaints are handled and by when, and accept, handle and answer them promptly; PIPL Art. 50 says the same
for requests about personal information. The law gives no number of days, so the deadline is a setting.
The default, 15 days, follows the common practice regulators check apps against: responding within 15
working days is the longest commitment accepted in 《App违法违规收集使用个人信息行为认定方法》 (2019) and
GB/T 35273-2020 §8.7; we count calendar days, which is stricter and needs no holiday calendar.

Each complaint keeps its full status history (received → processing → resolved/rejected), so the
provider can show a regulator what happened and when. The contact is what the complainant chose to give
(a pseudonym, phone or e-mail); it is personal information, used only to answer. Linked request and audit
ids tie a complaint about an answer to the audit record of that answer without copying its text here.

The contact and the text are sealed at rest like event payloads (:class:`~lingxi.privacy.crypto.Vault`,
AES-GCM with the complaint id and field as associated data, so a sealed value cannot be moved to another
complaint or field); status, category, times and linked ids stay plain so the overdue query needs no key.
Rows written before sealing was added are sealed when the store opens.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from lingxi.errors import InvalidInput, NotFound
from lingxi.ids import now_ms, uuid7
from lingxi.privacy.crypto import Vault
from lingxi.privacy.sealed import SEALED_TEXT, SealedColumn, register
from lingxi.storage.sqlite import Database

DEFAULT_DEADLINE_DAYS = 15
E = TypeVar("E", bound=StrEnum)
DAY_MS = 86_400_000

_MIGRATIONS = (
    """CREATE TABLE complaints (
        id TEXT PRIMARY KEY,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        deadline_ms INTEGER NOT NULL,
        contact TEXT NOT NULL,
        category TEXT NOT NULL,
        text TEXT NOT NULL,
        request_id TEXT,
        audit_id TEXT,
        status TEXT NOT NULL
    )""",
    "CREATE INDEX complaints_by_status ON complaints(status, deadline_ms)",
    """CREATE TABLE complaint_history (
        complaint_id TEXT NOT NULL REFERENCES complaints(id),
        ts INTEGER NOT NULL,
        status TEXT NOT NULL,
        note TEXT NOT NULL,
        actor TEXT NOT NULL
    )""",
    "CREATE INDEX complaint_history_by_id ON complaint_history(complaint_id, ts)",
)
register(  # sealed as text (SEALED_TEXT + base64): the columns are TEXT on PostgreSQL too
    SealedColumn("complaints", "contact", ("id",), lambda r: "complaint", lambda r: f"{r['id']}/contact", text=True),
    SealedColumn("complaints", "text", ("id",), lambda r: "complaint", lambda r: f"{r['id']}/text", text=True),
)


class Category(StrEnum):
    CONTENT = "content"  # generated content: illegal, harmful, inaccurate (Interim Measures Art. 14–15)
    PRIVACY = "privacy"  # personal information (PIPL Art. 50)
    OTHER = "other"


CATEGORY_NAMES_ZH = {Category.CONTENT: "生成内容", Category.PRIVACY: "个人信息", Category.OTHER: "其他"}


class Status(StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    RESOLVED = "resolved"
    REJECTED = "rejected"


STATUS_NAMES_ZH = {
    Status.RECEIVED: "已受理",
    Status.PROCESSING: "处理中",
    Status.RESOLVED: "已处理",
    Status.REJECTED: "不予处理",
}
OPEN = frozenset({Status.RECEIVED, Status.PROCESSING})
_NEXT: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.PROCESSING, Status.RESOLVED, Status.REJECTED}),
    Status.PROCESSING: frozenset({Status.RESOLVED, Status.REJECTED}),
    Status.RESOLVED: frozenset(),
    Status.REJECTED: frozenset(),
}


def _iso(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def parse_enum(kind: type[E], value: str, what_zh: str) -> E:
    """An enum member from user input, with an error listing the valid values."""
    try:
        return kind(value)
    except ValueError:
        valid = ", ".join(m.value for m in kind)
        raise InvalidInput(
            f"unknown {kind.__name__.lower()} {value!r}; valid: {valid}",
            message_zh=f"未知的{what_zh} {value!r}，可选：{valid}",
        ) from None


class HistoryEntry(BaseModel):
    ts: datetime
    status: Status
    note: str
    actor: str


class Complaint(BaseModel):
    """One complaint as the API and export show it (times in UTC, ISO-8601 on the wire)."""

    id: str
    created: datetime
    updated: datetime
    deadline: datetime = Field(description="answer by this time (configurable; default 15 days after intake)")
    contact: str
    category: Category
    text: str
    request_id: str | None = None
    audit_id: str | None = None
    status: Status
    status_zh: str
    overdue: bool = Field(description="still open after the deadline")
    history: list[HistoryEntry] = Field(default_factory=list)


Query = Callable[[str, tuple[Any, ...]], list[Any]]
"""Run one SQL statement (``?`` placeholders) in the open transaction; rows readable by column name."""

_SEALED = SEALED_TEXT
_OWNER = "complaint"  # the vault's user slot: complaints belong to no user id; the record id says which one


def seal_field(vault: Vault, complaint_id: str, field: str, value: str) -> str:
    """``value`` sealed for this complaint and field, as text (the column type stays TEXT on every backend)."""
    sealed = vault.seal(value.encode(), user_id=_OWNER, record_id=f"{complaint_id}/{field}")
    return _SEALED + base64.b64encode(sealed).decode()


def open_field(vault: Vault, complaint_id: str, field: str, stored: str) -> str:
    """The plaintext of a sealed column value."""
    if not stored.startswith(_SEALED):
        return stored  # written before sealing; sealed by the next ComplaintStore to open the database
    raw = base64.b64decode(stored[len(_SEALED) :])
    return vault.open(raw, user_id=_OWNER, record_id=f"{complaint_id}/{field}").decode()


class ComplaintStore:
    """Intake, status changes with history, overdue listing and export.

    The logic is written once, against :meth:`_query` (one transaction, ``?`` placeholders); a backend supplies
    that and its dialect's two differences, :attr:`_LOCK` and :attr:`_HISTORY_ORDER` (see
    :class:`~lingxi.compliance.pg_complaints.PgComplaintStore`).
    """

    #: locks the complaint's row while its status changes (SQLite's ``BEGIN IMMEDIATE`` already does)
    _LOCK = ""
    #: the insertion order of history rows that share a timestamp
    _HISTORY_ORDER = "rowid"

    def __init__(self, db: Database, vault: Vault, deadline_days: int = DEFAULT_DEADLINE_DAYS) -> None:
        self.db = db
        self.vault = vault
        self.deadline_days = checked_deadline(deadline_days)
        db.migrate("complaints", _MIGRATIONS)
        self._seal_legacy()

    def _seal_legacy(self) -> None:
        """Seal contact and text of rows stored in plaintext by an older version (idempotent)."""
        with self._query() as q:
            rows = q("SELECT id, contact, text FROM complaints WHERE contact NOT LIKE ?", (_SEALED + "%",))
            for r in rows:
                cid = r["id"]
                contact, text = seal_field(self.vault, cid, "contact", r["contact"]), self._sealed_text(cid, r["text"])
                q("UPDATE complaints SET contact = ?, text = ? WHERE id = ?", (contact, text, cid))

    def _sealed_text(self, cid: str, stored: str) -> str:
        return stored if stored.startswith(_SEALED) else seal_field(self.vault, cid, "text", stored)

    @contextmanager
    def _query(self) -> Iterator[Query]:
        with self.db.transaction() as conn:
            yield lambda sql, args: conn.execute(sql, args).fetchall()

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
        """Record a complaint as ``received``; its deadline starts now."""
        cat, contact, text = checked_intake(contact, category, text)
        ts = now_ms() if now is None else now
        cid = uuid7()
        with self._query() as q:
            q(
                "INSERT INTO complaints(id, created_ms, updated_ms, deadline_ms, contact, category, text, request_id,"
                " audit_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (cid, ts, ts, ts + self.deadline_days * DAY_MS, seal_field(self.vault, cid, "contact", contact),
                 cat.value, seal_field(self.vault, cid, "text", text), request_id, audit_id, Status.RECEIVED.value),
            )  # fmt: skip
            q(_HISTORY, (cid, ts, Status.RECEIVED.value, "", "intake"))
        return self.get(cid, now=ts)

    def set_status(
        self, complaint_id: str, status: Status | str, *, note: str = "", actor: str = "admin", now: int | None = None
    ) -> Complaint:
        """Move a complaint on; resolved and rejected are final (a new complaint reopens a matter)."""
        new = status if isinstance(status, Status) else parse_enum(Status, status, "投诉状态")
        ts = now_ms() if now is None else now
        with self._query() as q:
            rows = q(f"SELECT status FROM complaints WHERE id = ?{self._LOCK}", (complaint_id,))
            check_transition(complaint_id, rows[0]["status"] if rows else None, new)
            q("UPDATE complaints SET status = ?, updated_ms = ? WHERE id = ?", (new.value, ts, complaint_id))
            q(_HISTORY, (complaint_id, ts, new.value, note, actor))
        return self.get(complaint_id, now=ts)

    def get(self, complaint_id: str, *, now: int | None = None) -> Complaint:
        with self._query() as q:
            rows = q("SELECT * FROM complaints WHERE id = ?", (complaint_id,))
            if not rows:
                raise not_found(complaint_id)
            history = q(
                "SELECT ts, status, note, actor FROM complaint_history WHERE complaint_id = ? "
                f"ORDER BY ts, {self._HISTORY_ORDER}",
                (complaint_id,),
            )
        return complaint_from_row(rows[0], history, now_ms() if now is None else now, self.vault)

    def list_complaints(self, status: Status | str | None = None, *, now: int | None = None) -> list[Complaint]:
        """Complaints, oldest first, optionally of one status (history left out; see :meth:`get`)."""
        ts = now_ms() if now is None else now
        with self._query() as q:
            if status is None:
                rows = q("SELECT * FROM complaints ORDER BY created_ms, id", ())
            else:
                st = status if isinstance(status, Status) else parse_enum(Status, status, "投诉状态")
                rows = q("SELECT * FROM complaints WHERE status = ? ORDER BY created_ms, id", (st.value,))
        return [complaint_from_row(r, [], ts, self.vault) for r in rows]

    def overdue(self, *, now: int | None = None) -> list[Complaint]:
        """Open complaints past their deadline, most overdue first."""
        return sorted((c for c in self.list_complaints(now=now) if c.overdue), key=lambda c: c.deadline)

    def linked(
        self, audit_ids: Sequence[str], request_ids: Sequence[str], *, now: int | None = None
    ) -> list[Complaint]:
        """Complaints about any of these audited requests, with their history, oldest first.

        A complaint carries no user id, only the audit record or request it is about: this is how a user's
        complaints are found for export and deletion (the audit records carry the user's pseudonym).
        """
        ids: set[str] = set()
        with self._query() as q:
            for column, values in (("audit_id", list(audit_ids)), ("request_id", list(request_ids))):
                for i in range(0, len(values), 500):
                    chunk = values[i : i + 500]
                    marks = ", ".join("?" * len(chunk))
                    ids.update(
                        str(r["id"]) for r in q(f"SELECT id FROM complaints WHERE {column} IN ({marks})", tuple(chunk))
                    )
        found = [self.get(cid, now=now) for cid in ids]
        return sorted(found, key=lambda c: (c.created, c.id))

    def erase(self, complaint_ids: Sequence[str]) -> int:
        """Delete these complaints and their history (a subject's deletion request); returns how many."""
        n = 0
        with self._query() as q:
            for cid in complaint_ids:
                q("DELETE FROM complaint_history WHERE complaint_id = ?", (cid,))
                n += len(q("DELETE FROM complaints WHERE id = ? RETURNING id", (cid,)))
        return n

    def export_json(self, *, now: int | None = None) -> str:
        """Every complaint with its history, as JSON (for a regulator's request or an archive)."""
        full = [self.get(c.id, now=now).model_dump(mode="json") for c in self.list_complaints(now=now)]
        return json.dumps({"complaints": full, "deadline_days": self.deadline_days}, ensure_ascii=False, indent=2)


_HISTORY = "INSERT INTO complaint_history(complaint_id, ts, status, note, actor) VALUES (?, ?, ?, ?, ?)"


def checked_deadline(days: int) -> int:
    if days < 1:
        raise InvalidInput("deadline_days must be at least 1", message_zh="投诉处理时限至少为 1 天")
    return days


def not_found(complaint_id: str) -> NotFound:
    return NotFound(f"no complaint {complaint_id}", message_zh=f"投诉不存在：{complaint_id}")


def checked_intake(contact: str, category: Category | str, text: str) -> tuple[Category, str, str]:
    """Validate a new complaint (any backend): the category, and a non-empty contact and text, stripped."""
    cat = category if isinstance(category, Category) else parse_enum(Category, category, "投诉类别")
    if not text.strip() or not contact.strip():
        raise InvalidInput("a complaint needs a contact and a text", message_zh="投诉须填写联系方式（或化名）和内容")
    return cat, contact.strip(), text.strip()


def check_transition(complaint_id: str, current: str | None, new: Status) -> None:
    """Raise unless a complaint whose status is ``current`` (None: no such complaint) may move to ``new``."""
    if current is None:
        raise not_found(complaint_id)
    old = Status(current)
    if new not in _NEXT[old]:
        raise InvalidInput(
            f"complaint {complaint_id} cannot go from {old.value} to {new.value}",
            message_zh=f"投诉状态不能从“{STATUS_NAMES_ZH[old]}”改为“{STATUS_NAMES_ZH[new]}”",
            hint="allowed: received → processing → resolved/rejected",
        )


def complaint_from_row(row: Any, history: Sequence[Any], now: int, vault: Vault) -> Complaint:
    """A :class:`Complaint` from a ``complaints`` row and its history rows (columns by key, any backend)."""
    status = Status(row["status"])
    return Complaint(
        id=row["id"],
        created=_iso(row["created_ms"]),
        updated=_iso(row["updated_ms"]),
        deadline=_iso(row["deadline_ms"]),
        contact=open_field(vault, row["id"], "contact", row["contact"]),
        category=Category(row["category"]),
        text=open_field(vault, row["id"], "text", row["text"]),
        request_id=row["request_id"],
        audit_id=row["audit_id"],
        status=status,
        status_zh=STATUS_NAMES_ZH[status],
        overdue=status in OPEN and now > row["deadline_ms"],
        history=[HistoryEntry(ts=_iso(h["ts"]), status=Status(h["status"]), note=h["note"], actor=h["actor"])
                 for h in history],
    )  # fmt: skip
