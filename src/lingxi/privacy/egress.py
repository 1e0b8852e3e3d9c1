"""The record of what left the device.

Every request whose prompt goes to an off-device model writes one row here *before* it is sent: which
feature, model and provider, how many bytes, which kinds of PII were replaced by placeholders, how many
pictures left as pixels (``images``, 0 = text only), which of the user's consents allowed it
(``cloud_processing`` and the feature's scopes, PIPL Art. 23), and a SHA-256 of the exact redacted payload.
The payload itself is not kept (it would be a second copy of personal data); the
hash lets an auditor match a provider-side log line to this record.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field

from lingxi.ids import now_ms, uuid7
from lingxi.storage.sqlite import Database

_MIGRATIONS = (
    """CREATE TABLE egress_log (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        request_id TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        redactions TEXT NOT NULL,
        payload_sha256 TEXT NOT NULL
    )""",
    "CREATE INDEX egress_by_user ON egress_log(user_id, ts)",
    "ALTER TABLE egress_log ADD COLUMN feature TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE egress_log ADD COLUMN consents TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE egress_log ADD COLUMN images INTEGER NOT NULL DEFAULT 0",
)


@dataclass(frozen=True)
class EgressRecord:
    id: str
    ts: int
    user_id: str
    request_id: str
    model: str
    provider: str
    bytes: int
    redactions: dict[str, int]
    payload_sha256: str
    feature: str = ""
    consents: list[str] = field(default_factory=list)  # the consent scopes that allowed this payload to leave
    images: int = 0  # pictures that left as pixels (in the payload and its hash); 0 = text only


def _insert(conn: sqlite3.Connection, rec: EgressRecord) -> None:
    conn.execute(
        "INSERT INTO egress_log(id, ts, user_id, request_id, model, provider, bytes, redactions, "
        "payload_sha256, feature, consents, images) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            rec.id, rec.ts, rec.user_id, rec.request_id, rec.model, rec.provider, rec.bytes,
            json.dumps(rec.redactions, ensure_ascii=False), rec.payload_sha256, rec.feature,
            json.dumps(rec.consents), rec.images,
        ),
    )  # fmt: skip


class EgressLog:
    """Append-only log of payloads sent off the device."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("egress", _MIGRATIONS)

    async def record(
        self,
        *,
        user_id: str,
        request_id: str,
        model: str,
        provider: str,
        payload: str,
        redactions: dict[str, int],
        feature: str = "",
        consents: list[str] | None = None,
        images: int = 0,
    ) -> EgressRecord:
        """Store the record of ``payload`` leaving (its size and SHA-256, not its text); committed when this
        returns (through the server's writer thread when it runs: :meth:`Database.write`), so the payload may
        leave from then on."""
        data = payload.encode("utf-8")
        rec = EgressRecord(
            id=uuid7(), ts=now_ms(), user_id=user_id, request_id=request_id, model=model, provider=provider,
            bytes=len(data), redactions=dict(redactions), payload_sha256=hashlib.sha256(data).hexdigest(),
            feature=feature, consents=sorted(consents or []), images=images,
        )  # fmt: skip
        await self.db.write(lambda conn: _insert(conn, rec))
        return rec

    def for_user(self, user_id: str, limit: int = 100) -> list[EgressRecord]:
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT * FROM egress_log WHERE user_id = ? ORDER BY ts DESC, id DESC LIMIT ?",
                (user_id, limit),
            ).fetchall()
        return [
            EgressRecord(
                **{**dict(row), "redactions": json.loads(row["redactions"]), "consents": json.loads(row["consents"])}
            )
            for row in rows
        ]
