"""The user's rights over their data (PIPL Art. 45 access/copy, Art. 47 deletion): export and verifiable delete.

**Export** (:func:`export_user`, :func:`export_json`) gathers everything held about one user: every event
(decrypted), the full consent history and current status, the profile, the record of what left the device,
and the audit entries filed under the user's pseudonym — labeled as pseudonymous, because the audit log
never stored the user id and is kept after deletion by design (see :mod:`lingxi.compliance.audit`).

**Delete** (:func:`delete_user`) removes the user and returns a :class:`DeletionReceipt` whose ``verified``
is *computed*: after deleting, every column of every table is queried for the user id, and the database
file (and its WAL) is searched for the deleted event ids — or, where an id is too short to prove anything by
its absence, for the row key ``user_id`` + ``event_id`` as SQLite stores it (:mod:`lingxi.privacy.file_scan`
says which needle is used when; the receipt's ``file_check`` counts them). What is deleted, changed and kept:

- events, and everything derived from them (search index, profile): deleted, by the store's hooks in the
  same transaction as the events, with SQLite's ``secure_delete`` on so freed cells are zeroed on disk, then
  a WAL checkpoint so no old page copy lingers in the ``-wal`` file;
- consents and settings: deleted. Art. 47 still expects the processor to show it honoured the request, so a
  minimal, append-only *deletion record* is written instead, keyed by the audit pseudonym (``user_ref``),
  holding only which scopes were withdrawn, when, and the counts — no content, no user id. With no consent
  rows left the user has no scope: nothing of theirs is processed again unless they consent anew;
- egress records: reduced to the non-personal facts of the transfer (when, to which model and provider, how
  many bytes, which *kinds* of PII were replaced, the payload hash). The user id and request id are
  blanked. The rows are kept because they answer "which third parties received data" (Art. 23) and let the
  provider-side copy be found: the receipt lists those providers so the app can forward the deletion
  request (Art. 47's duty to notify recipients covers data we cannot delete ourselves);
- the API's record of which app acts for the user id (``user_owner``, when the server was used): deleted, so
  the id carries nothing after deletion and may be used afresh;
- audit log: untouched (append-only, hash-chained, kept ≥ 6 months by the Interim Measures); it holds the
  pseudonym and hashes only.

Deletion is idempotent: if it is interrupted (the events' transaction and the rest are separate), running it
again finishes the job and the second receipt verifies.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from lingxi.compliance.audit import user_ref
from lingxi.db import append_only
from lingxi.ids import ms_to_datetime, now_ms, uuid7
from lingxi.privacy.file_scan import FileCheck, scan_deleted_events

if TYPE_CHECKING:  # types only: the facade may one day offer export/delete methods built on this module
    from lingxi.facade import Lingxi

EXPORT_FORMAT = "lingxi-export/1"
BLANK = ""  # what replaces the user id and request id in egress rows (no real user id is empty)

_MIGRATIONS = (
    """CREATE TABLE deletion_log (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        user_ref TEXT NOT NULL,
        withdrawn_scopes TEXT NOT NULL,
        counts TEXT NOT NULL,
        verified INTEGER NOT NULL
    )""",
    *append_only("deletion_log"),
)

_PSEUDONYMOUS_NOTE = (
    "Audit entries carry no user id, only the pseudonym user_ref (a hash of the user id), and hashes instead "
    "of texts. They are found here by recomputing the pseudonym, and they are kept after deletion: the audit "
    "log is append-only and must be retained for at least six months."
)
_PSEUDONYMOUS_NOTE_ZH = (
    "审计记录不含用户标识，只含假名 user_ref（用户标识的哈希）和内容哈希，不含原文；此处通过重新计算假名找到。"
    "审计日志只追加、不可修改，且须保存至少六个月，因此删除个人信息后仍会保留。"
)

KEPT_AFTER_DELETION_ZH = [
    "审计日志：仅含假名与内容哈希，依法保存不少于六个月，不含原文。",
    "出境记录：已去除用户标识与请求标识，仅保留时间、模型、服务商、字节数、脱敏类型计数与载荷哈希，用于说明数据曾提供给哪些第三方。",
    "删除记录：以假名记录撤回了哪些授权、删除时间与数量，用于证明已按要求删除，不含任何个人内容。",
]


# -- export ----------------------------------------------------------------------------------------------
def _iso(ms: int) -> str:
    return ms_to_datetime(ms).isoformat()


def _all_events(lx: Lingxi, user_id: str) -> list[dict[str, Any]]:
    total = sum(lx.events.count(user_id).values())
    if not total:
        return []
    events = lx.events.query(user_id, limit=total)
    return [e.model_dump(mode="json") for e in sorted(events, key=lambda e: (e.ts, e.event_id))]


def _profile(lx: Lingxi, user_id: str) -> Any:
    """The profile as JSON data, or None.

    Read through ``getattr`` on purpose: the profile component is being added to the facade separately,
    and export must work with or without it. Anything with ``get(user_id)`` returning a pydantic model or
    a dict is accepted.
    """
    profile = getattr(lx, "profile", None)
    get = getattr(profile, "get", None)
    if get is None:
        return None
    value = get(user_id)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


def _egress_rows(lx: Lingxi, user_id: str) -> list[dict[str, Any]]:
    with lx.db.connect() as conn:
        (n,) = conn.execute("SELECT COUNT(*) FROM egress_log WHERE user_id = ?", (user_id,)).fetchone()
    rows = lx.egress.for_user(user_id, limit=n) if n else []
    return [
        {
            "id": r.id,
            "time": _iso(r.ts),
            "request_id": r.request_id,
            "model": r.model,
            "provider": r.provider,
            "bytes": r.bytes,
            "redactions": r.redactions,
            "payload_sha256": r.payload_sha256,
            "consents": r.consents,
        }
        for r in reversed(rows)
    ]


def _audit_entries(lx: Lingxi, ref: str) -> list[dict[str, Any]]:
    with lx.db.connect() as conn:
        rows = conn.execute(
            "SELECT id, ts, body, hash FROM audit_log WHERE json_extract(body, '$.user_ref') = ? ORDER BY seq",
            (ref,),
        ).fetchall()
    return [{"id": r["id"], "time": _iso(r["ts"]), "hash": r["hash"], **json.loads(r["body"])} for r in rows]


def export_user(lx: Lingxi, user_id: str) -> dict[str, Any]:
    """Everything lingxi holds about ``user_id``, as JSON-ready data (a copy under PIPL Art. 45)."""
    ref = user_ref(user_id)
    events = _all_events(lx, user_id)
    history = lx.consents.history(user_id)
    egress = _egress_rows(lx, user_id)
    audit = _audit_entries(lx, ref)
    by_type: dict[str, int] = {}
    for e in events:
        by_type[e["type"]] = by_type.get(e["type"], 0) + 1
    return {
        "format": EXPORT_FORMAT,
        "user_id": user_id,
        "exported_at": _iso(now_ms()),
        "notice_zh": "本文件包含你的个人信息（已解密的原始数据），请妥善保管，勿随意转发。",
        "counts": {
            "events": len(events),
            "events_by_type": by_type,
            "consent_records": len(history),
            "egress_records": len(egress),
            "audit_entries_pseudonymous": len(audit),
        },
        "consent": {
            "status": lx.consents.status(user_id).model_dump(mode="json"),
            "history": [
                {"kind": r.kind, "name": r.name, "value": r.value, "time": _iso(r.ts), "source": r.source}
                for r in history
            ],
        },
        "events": events,
        "assistant_sessions": lx.assistant.sessions.export_user(user_id),
        "profile": _profile(lx, user_id),
        "egress": egress,
        "audit_pseudonymous": {
            "user_ref": ref,
            "note": _PSEUDONYMOUS_NOTE,
            "note_zh": _PSEUDONYMOUS_NOTE_ZH,
            "entries": audit,
        },
    }


def export_json(lx: Lingxi, user_id: str, path: Path | str) -> Path:
    """Write :func:`export_user` as UTF-8 JSON to ``path``, readable by the owner only (it is decrypted data).

    Written to a temporary file in the same directory and renamed, so a crash never leaves half an export.
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{uuid7()}.tmp")
    data = json.dumps(export_user(lx, user_id), ensure_ascii=False, indent=2).encode("utf-8")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


# -- delete ----------------------------------------------------------------------------------------------
class DeletionReceipt(BaseModel):
    """What :func:`delete_user` did, and whether a re-check found anything left.

    ``user_id`` is returned to the caller only; the stored deletion record has the pseudonym alone.
    """

    receipt_id: str
    user_id: str
    user_ref: str
    deleted_at: datetime
    events_deleted: int
    events_by_type: dict[str, int]
    consent_records_deleted: int
    withdrawn_scopes: list[str]
    egress_records_anonymized: int
    egress_providers: list[str]
    audit_entries_kept: int
    kept_zh: list[str]
    residual: dict[str, int]
    file_scrubbed: bool | None  # None: no deleted event could be checked in the raw file (see file_check)
    file_check: FileCheck | None  # None: an in-memory database, no file to search
    verified: bool


def _user_tables(conn: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    """Every ordinary table and its columns (virtual tables are covered by their shadow tables)."""
    tables = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    out = []
    for t in tables:
        if str(t["sql"] or "").upper().startswith("CREATE VIRTUAL TABLE"):
            continue
        cols = [c["name"] for c in conn.execute(f'PRAGMA table_info("{t["name"]}")')]
        out.append((str(t["name"]), cols))
    return out


def residual_rows(lx: Lingxi, user_id: str) -> dict[str, int]:
    """``table.column`` → rows whose value is exactly ``user_id``, over every table; empty means none left."""
    found: dict[str, int] = {}
    with lx.db.connect() as conn:
        for table, cols in _user_tables(conn):
            for col in cols:
                (n,) = conn.execute(f'SELECT COUNT(*) FROM "{table}" WHERE "{col}" = ?', (user_id,)).fetchone()
                if n:
                    found[f"{table}.{col}"] = int(n)
    return found


def _event_ids(lx: Lingxi, user_id: str) -> set[str]:
    with lx.db.connect() as conn:
        return {r["event_id"] for r in conn.execute("SELECT event_id FROM events WHERE user_id = ?", (user_id,))}


def delete_user(lx: Lingxi, user_id: str) -> DeletionReceipt:
    """Erase ``user_id`` as described in the module docstring; return a receipt with a computed verification."""
    lx.db.migrate("subject_rights", _MIGRATIONS)
    ref = user_ref(user_id)
    event_ids = _event_ids(lx, user_id)
    by_type = lx.events.count(user_id)
    withdrawn = sorted(s.value for s in lx.consents.recorded(user_id))
    with lx.db.connect() as conn:
        providers = sorted(
            r["provider"]
            for r in conn.execute("SELECT DISTINCT provider FROM egress_log WHERE user_id = ?", (user_id,))
        )
        # This thread's connection is the one the store's transaction will reuse: zero what it frees.
        (secure,) = conn.execute("PRAGMA secure_delete").fetchone()
        conn.execute("PRAGMA secure_delete = ON")
    try:
        events_deleted = lx.events.delete_user(user_id)  # hooks erase the index and profile rows too
        lx.assistant.sessions.delete_user(user_id)  # the assistant's conversations with the user
        consent_deleted = lx.consents.forget(user_id)
        with lx.db.transaction() as conn:
            anonymized = conn.execute(
                "UPDATE egress_log SET user_id = ?, request_id = ? WHERE user_id = ?", (BLANK, BLANK, user_id)
            ).rowcount
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user_owner'").fetchone():
                conn.execute("DELETE FROM user_owner WHERE user_id = ?", (user_id,))
    finally:
        with lx.db.connect() as conn:
            conn.execute(f"PRAGMA secure_delete = {int(secure)}")
    with lx.db.connect() as conn:
        # old page copies in the WAL go too; a checkpoint that finds a reader in the way reports busy=1 and
        # leaves frames behind, so it is retried for a moment (the receipt's file check shows what remains).
        # TRUNCATE waits for readers through the busy handler: a short timeout bounds the whole loop to ~2 s
        # (the connection's usual timeout would let one long reader hold the deletion for minutes).
        (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
        conn.execute("PRAGMA busy_timeout = 20")
        try:
            for _ in range(50):
                (busy, _log, _done) = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if not busy:
                    break
                time.sleep(0.02)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        (audit_kept,) = conn.execute(
            "SELECT COUNT(*) FROM audit_log WHERE json_extract(body, '$.user_ref') = ?", (ref,)
        ).fetchone()

    residual = residual_rows(lx, user_id)
    scrubbed: bool | None = None
    file_check: FileCheck | None = None
    if str(lx.db.path) != ":memory:":
        db_file = Path(lx.db.path)
        with lx.db.connect() as conn:
            scrubbed, file_check = scan_deleted_events(
                conn, [db_file, db_file.with_name(db_file.name + "-wal")], user_id, event_ids
            )
    receipt = DeletionReceipt(
        receipt_id=uuid7(),
        user_id=user_id,
        user_ref=ref,
        deleted_at=ms_to_datetime(now_ms()),
        events_deleted=events_deleted,
        events_by_type=by_type,
        consent_records_deleted=consent_deleted,
        withdrawn_scopes=withdrawn,
        egress_records_anonymized=int(anonymized),
        egress_providers=providers,
        audit_entries_kept=int(audit_kept),
        kept_zh=list(KEPT_AFTER_DELETION_ZH),
        residual=residual,
        file_scrubbed=scrubbed,
        file_check=file_check,
        verified=not residual and scrubbed is not False,
    )
    _record_deletion(lx, receipt)
    return receipt


def _record_deletion(lx: Lingxi, receipt: DeletionReceipt) -> None:
    """Append the pseudonymous deletion record (Art. 47 accountability); no user id, no content."""
    counts = {
        "events": receipt.events_deleted,
        "consent_records": receipt.consent_records_deleted,
        "egress_anonymized": receipt.egress_records_anonymized,
    }
    with lx.db.transaction() as conn:
        conn.execute(
            "INSERT INTO deletion_log(id, ts, user_ref, withdrawn_scopes, counts, verified) VALUES (?, ?, ?, ?, ?, ?)",
            (
                receipt.receipt_id,
                int(receipt.deleted_at.timestamp() * 1000),
                receipt.user_ref,
                json.dumps(receipt.withdrawn_scopes),
                json.dumps(counts),
                int(receipt.verified),
            ),
        )


def deletion_records(lx: Lingxi, user_id: str) -> list[dict[str, Any]]:
    """The pseudonymous deletion records for ``user_id`` (found by recomputing the pseudonym)."""
    lx.db.migrate("subject_rights", _MIGRATIONS)
    with lx.db.connect() as conn:
        rows = conn.execute(
            "SELECT id, ts, withdrawn_scopes, counts, verified FROM deletion_log WHERE user_ref = ? ORDER BY ts",
            (user_ref(user_id),),
        ).fetchall()
    return [
        {
            "id": r["id"],
            "time": _iso(r["ts"]),
            "withdrawn_scopes": json.loads(r["withdrawn_scopes"]),
            "counts": json.loads(r["counts"]),
            "verified": bool(r["verified"]),
        }
        for r in rows
    ]
