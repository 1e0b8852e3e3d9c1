"""The append-only audit log, hash-chained so tampering shows.

Each record stores SHA-256 digests of the input and output (not the texts: the log outlives the user's
data, and PIPL deletion must not be blocked by it), the model, screen verdicts and whether the request was
refused. ``user_ref`` is a SHA-256 pseudonym of the user id. Each row's ``hash`` covers its content and the
previous row's hash; SQLite triggers reject UPDATE and DELETE, and :meth:`AuditLog.verify` recomputes the
chain. Logs are kept at least six months (Interim Measures); nothing here deletes them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from lingxi.db import Database
from lingxi.ids import now_ms, uuid7

_MIGRATIONS = (
    """CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        ts INTEGER NOT NULL,
        body TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
)

GENESIS = "0" * 64


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def user_ref(user_id: str) -> str:
    """Pseudonym of a user id in the audit log."""
    return sha256("lingxi-user:" + user_id)[:32]


@dataclass(frozen=True)
class AuditEntry:
    """What one request did; hashes instead of texts."""

    request_id: str
    user_ref: str
    feature: str
    model: str | None
    model_kind: str | None
    input_sha256: str
    output_sha256: str
    input_verdict: str
    input_risks: list[str]
    output_verdict: str
    output_risks: list[str]
    refused: bool
    egress_id: str | None
    label: str | None
    finish_reason: str
    fallbacks: list[str] = field(default_factory=list)  # models that failed before this one answered


def _chain_hash(prev_hash: str, record_id: str, ts: int, body: str) -> str:
    return sha256(f"{prev_hash}|{record_id}|{ts}|{body}")


class AuditLog:
    """Append and verify."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("audit", _MIGRATIONS)

    def append(self, entry: AuditEntry) -> str:
        record_id, ts = uuid7(), now_ms()
        body = json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True)
        with self.db.transaction() as conn:
            row = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            prev = row["hash"] if row else GENESIS
            conn.execute(
                "INSERT INTO audit_log(id, ts, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
                (record_id, ts, body, prev, _chain_hash(prev, record_id, ts, body)),
            )
        return record_id

    def entries(self, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first, with the body decoded."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT id, ts, body, hash FROM audit_log ORDER BY seq DESC LIMIT ?", (limit,)
            ).fetchall()
        return [{"id": r["id"], "ts": r["ts"], "hash": r["hash"], **json.loads(r["body"])} for r in rows]

    def verify(self) -> tuple[bool, str | None]:
        """Recompute the chain; return (ok, id of the first broken record)."""
        prev = GENESIS
        with self.db.connect() as conn:
            for r in conn.execute("SELECT id, ts, body, prev_hash, hash FROM audit_log ORDER BY seq"):
                if r["prev_hash"] != prev or r["hash"] != _chain_hash(prev, r["id"], r["ts"], r["body"]):
                    return False, str(r["id"])
                prev = r["hash"]
        return True, None
