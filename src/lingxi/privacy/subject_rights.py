"""The user's rights over their data (PIPL Art. 45 access/copy, Art. 47 deletion): export and verifiable delete.

Both are built on the components, never on SQL over their tables: every store that keeps user data is a
registered :class:`~lingxi.privacy.holders.UserDataHolder` (``lx.holders``, wired in
:mod:`lingxi.user_data`), so export and delete work the same whether the events, audit log and
complaints live in SQLite or PostgreSQL.

**Export** (:func:`export_user`, :func:`export_json`) has one section per holder: every event (decrypted), the
consent history and status, the profile, the search index and vectors (counts), shopping interactions and
searches, assistant sessions, the record of what left the device, complaints about the user's requests, the
API ownership and quota rows, minors' and suspension state, and the audit entries filed under the user's
pseudonym — labeled as pseudonymous, because the audit log never stored the user id and is kept after
deletion by design (see :mod:`lingxi.compliance.audit`).

**Delete** (:func:`delete_user`) asks every holder to erase, then returns a :class:`DeletionReceipt` whose
``verified`` is *computed*: each holder is counted before and after (``components``: held, erased,
remaining — remaining must be 0 unless the holder is retained by law), every column of every table of the
home's SQLite file is queried for the user id (a net for a table no holder knows), and the database file
(and its WAL) is searched for the deleted event ids — or, where an id is too short to prove anything by its
absence, for the row key ``user_id`` + ``event_id`` as SQLite stores it (:mod:`lingxi.privacy.file_scan`
says which needle is used when; the receipt's ``file_check`` counts them). What is deleted, changed and kept:

- events, and everything derived from them (search index, profile): deleted, by the store's hooks in the
  same transaction as the events, with SQLite's ``secure_delete`` on so freed cells are zeroed on disk, then
  a WAL checkpoint so no old page copy lingers in the ``-wal`` file. ``secure_delete`` does not zero every
  copy that B-tree rebalancing leaves, so when the file search still finds a deleted event the file is rebuilt
  (VACUUM, checkpoint) and searched again; the receipt keeps the first search (``file_check_before_vacuum``);
- consents and settings: deleted. Art. 47 still expects the processor to show it honoured the request, so a
  minimal, append-only *deletion record* is written instead, keyed by the audit pseudonym (``user_ref``),
  holding only which scopes were withdrawn, when, and the counts — no content, no user id. With no consent
  rows left the user has no scope: nothing of theirs is processed again unless they consent anew;
- egress records: reduced to the non-personal facts of the transfer (when, to which model and provider, how
  many bytes, which *kinds* of PII were replaced, the payload hash). The user id and request id are
  blanked. The rows are kept because they answer "which third parties received data" (Art. 23) and let the
  provider-side copy be found: the receipt lists those providers so the app can forward the deletion
  request (Art. 47's duty to notify recipients covers data we cannot delete ourselves);
- the API's record of which app acts for the user id (``user_owner``, when the server was used), the daily
  token quota rows, minors' usage and suspension state: deleted, so the id carries nothing after deletion
  and may be used afresh;
- complaints about the user's requests (found through the audit records of those requests): deleted with
  their history — a complaint's contact and text are personal information;
- audit log: untouched (append-only, hash-chained, kept ≥ 6 months by the Interim Measures); it holds the
  pseudonym and hashes only.

Deletion is idempotent: if it is interrupted (the events' transaction and the rest are separate), running it
again finishes the job and the second receipt verifies.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lingxi.ids import ms_to_datetime, now_ms, uuid7
from lingxi.privacy.file_scan import FileCheck, scan_deleted_events
from lingxi.privacy.pii import clear_results
from lingxi.privacy.pseudonyms import user_ref
from lingxi.privacy.rights_host import RightsHost
from lingxi.storage.sqlite import append_only

EXPORT_FORMAT = "lingxi-export/1"


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
    "Audit entries carry no user id, only the pseudonym user_ref (a keyed hash of the user id), and hashes instead "
    "of texts. They are found here by recomputing the pseudonym, and they are kept after deletion: the audit "
    "log is append-only and must be retained for at least six months."
)
_PSEUDONYMOUS_NOTE_ZH = (
    "审计记录不含用户标识，只含假名 user_ref（用户标识的带密钥哈希）和内容哈希，不含原文；此处通过重新计算假名找到。"
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


def _refs(lx: RightsHost, user_id: str) -> tuple[str, str]:
    """The keyed audit pseudonym, and the unkeyed one records written before keyed pseudonyms carry."""
    return lx.audit.pseudonym(user_id), user_ref(user_id)


def export_user(lx: RightsHost, user_id: str) -> dict[str, Any]:
    """Everything lingxi holds about ``user_id``, as JSON-ready data (a copy under PIPL Art. 45).

    One section per registered :class:`~lingxi.privacy.holders.UserDataHolder` (``lx.holders``), whichever
    backend holds it; ``counts.records`` says how many records each holds.
    """
    ref = lx.audit.pseudonym(user_id)
    sections = {h.name: h.export_user(user_id) for h in lx.holders}
    events: list[dict[str, Any]] = sections["events"]
    audit = [
        {"id": e["id"], "time": _iso(e["ts"]), **{k: v for k, v in e.items() if k not in ("id", "ts")}}
        for e in sections.pop("audit_pseudonymous")
    ]
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
            "consent_records": len(sections["consent"]["history"]),
            "egress_records": len(sections["egress"]),
            "audit_entries_pseudonymous": len(audit),
            "records": {h.name: h.count_user(user_id) for h in lx.holders},
        },
        **sections,
        "audit_pseudonymous": {
            "user_ref": ref,
            "note": _PSEUDONYMOUS_NOTE,
            "note_zh": _PSEUDONYMOUS_NOTE_ZH,
            "entries": audit,
        },
    }


def export_json(lx: RightsHost, user_id: str, path: Path | str) -> Path:
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
class ComponentReceipt(BaseModel):
    """What one holder kept about the user before the deletion, erased, and still keeps (0 unless retained)."""

    held: int
    erased: int
    remaining: int
    retained: bool = False  # kept by law (the pseudonymous audit log): ``remaining`` is what was kept


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
    components: dict[str, ComponentReceipt]
    residual: dict[str, int]
    file_scrubbed: bool | None  # None: no deleted event could be checked in the raw file (see file_check)
    file_check: FileCheck | None  # None: an in-memory database, no file to search
    # the first search, when it found leftovers and the file was then rebuilt (VACUUM) and searched again:
    # ``file_check`` is the search after the rebuild, this one keeps what was found before it
    file_check_before_vacuum: FileCheck | None = None
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


def residual_rows(lx: RightsHost, user_id: str) -> dict[str, int]:
    """``table.column`` → rows of the home's SQLite file whose value is exactly ``user_id``; empty means none.

    A safety net beside the holders' own counts: it also finds a table no holder knows about.
    """
    found: dict[str, int] = {}
    with lx.db.connect() as conn:
        for table, cols in _user_tables(conn):
            for col in cols:
                (n,) = conn.execute(f'SELECT COUNT(*) FROM "{table}" WHERE "{col}" = ?', (user_id,)).fetchone()
                if n:
                    found[f"{table}.{col}"] = int(n)
    return found


def _checkpoint(lx: RightsHost) -> None:
    """Old page copies in the WAL go too.

    A checkpoint that finds a reader in the way reports busy=1 and leaves frames behind, so it is retried for
    a moment (the receipt's file check shows what remains). TRUNCATE waits for readers through the busy
    handler: a short timeout bounds the whole loop to ~2 s (the connection's usual timeout would let one
    long reader hold the deletion for minutes).
    """
    with lx.db.connect() as conn:
        (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
        conn.execute("PRAGMA busy_timeout = 20")
        try:
            for attempt in range(50):
                (busy, _log, _done) = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if not busy:
                    break
                if attempt == 0:
                    # a reader may be garbage no one can reach: a cursor left mid-query in a frame that an
                    # exception's traceback keeps in a reference cycle holds its snapshot until the cycle
                    # collector runs, which in a long-lived process can be much later than our ~2 s
                    gc.collect()
                time.sleep(0.02)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")


def _vacuum(lx: RightsHost) -> None:
    """Rebuild the database file (VACUUM), then checkpoint so the rebuilt pages replace the old ones on disk.

    ``secure_delete`` zeroes the cells a deletion frees, but not every copy B-tree rebalancing leaves behind: with
    some layouts (about one deletion in 40 with random event ids) one stale copy of a deleted row's cell stays
    in a live page's unused space. VACUUM writes every page afresh from the live rows only, so nothing that is
    not live data survives it. It runs only when the file check found something (it rewrites the whole file).
    If it cannot run (another connection holds the write lock past a short wait, the disk is full), the data
    is deleted all the same: the rebuild is skipped and the second search reports what is still there.
    """
    with lx.db.connect() as conn:
        (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
        conn.execute("PRAGMA busy_timeout = 1000")
        try:
            conn.execute("VACUUM")
        except sqlite3.Error:
            return
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    _checkpoint(lx)


def _scan_file(lx: RightsHost, user_id: str, event_ids: set[str]) -> tuple[bool | None, FileCheck]:
    db_file = Path(lx.db.path)
    with lx.db.connect() as conn:
        return scan_deleted_events(conn, [db_file, db_file.with_name(db_file.name + "-wal")], user_id, event_ids)


def delete_user(lx: RightsHost, user_id: str) -> DeletionReceipt:
    """Erase ``user_id`` from every registered holder (see the module docstring); return a computed receipt."""
    lx.db.migrate("subject_rights", _MIGRATIONS)
    ref = lx.audit.pseudonym(user_id)
    by_type = lx.events.count(user_id)
    event_ids = {e.event_id for e in lx.events.query(user_id, limit=sum(by_type.values()))} if by_type else set()
    withdrawn = sorted(s.value for s in lx.consents.recorded(user_id))
    held = {h.name: h.count_user(user_id) for h in lx.holders}
    with lx.db.connect() as conn:
        providers = sorted(
            r["provider"]
            for r in conn.execute("SELECT DISTINCT provider FROM egress_log WHERE user_id = ?", (user_id,))
        )
        # This thread's connection is the one the stores' transactions will reuse: zero what it frees.
        (secure,) = conn.execute("PRAGMA secure_delete").fetchone()
        conn.execute("PRAGMA secure_delete = ON")
    try:
        for holder in lx.holders:  # events first: their hooks erase the index, profile and shopping rows too
            if not holder.retained:
                holder.erase_user(user_id)
    finally:
        with lx.db.connect() as conn:
            conn.execute(f"PRAGMA secure_delete = {int(secure)}")
    _checkpoint(lx)
    clear_results()  # the redactor's in-memory results hold texts it saw (not by user: all of them go)
    components: dict[str, ComponentReceipt] = {}
    for holder in lx.holders:
        left = holder.count_user(user_id)
        before = held[holder.name]
        erased = 0 if holder.retained else max(before - left, 0)
        components[holder.name] = ComponentReceipt(held=before, erased=erased, remaining=left, retained=holder.retained)
    residual = residual_rows(lx, user_id)
    residual.update({name: c.remaining for name, c in components.items() if c.remaining and not c.retained})
    scrubbed: bool | None = None
    file_check: FileCheck | None = None
    before_vacuum: FileCheck | None = None
    if str(lx.db.path) != ":memory:":
        scrubbed, file_check = _scan_file(lx, user_id, event_ids)
        if scrubbed is False:  # leftovers in the file: rebuild it and search again; the receipt keeps both
            before_vacuum = file_check
            _vacuum(lx)
            scrubbed, file_check = _scan_file(lx, user_id, event_ids)
    receipt = DeletionReceipt(
        receipt_id=uuid7(),
        user_id=user_id,
        user_ref=ref,
        deleted_at=ms_to_datetime(now_ms()),
        events_deleted=components["events"].erased,
        events_by_type=by_type,
        consent_records_deleted=components["consent"].erased,
        withdrawn_scopes=withdrawn,
        egress_records_anonymized=components["egress"].erased,
        egress_providers=providers,
        audit_entries_kept=components["audit_pseudonymous"].remaining,
        kept_zh=list(KEPT_AFTER_DELETION_ZH),
        components=components,
        residual=residual,
        file_scrubbed=scrubbed,
        file_check=file_check,
        file_check_before_vacuum=before_vacuum,
        verified=not residual and scrubbed is not False,
    )
    _record_deletion(lx, receipt)
    return receipt


def _record_deletion(lx: RightsHost, receipt: DeletionReceipt) -> None:
    """Append the pseudonymous deletion record (Art. 47 accountability); no user id, no content."""
    counts = {
        "events": receipt.events_deleted,
        "consent_records": receipt.consent_records_deleted,
        "egress_anonymized": receipt.egress_records_anonymized,
        "erased": {name: c.erased for name, c in receipt.components.items() if c.erased},
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


def deletion_records(lx: RightsHost, user_id: str) -> list[dict[str, Any]]:
    """The pseudonymous deletion records for ``user_id`` (found by recomputing the pseudonym)."""
    lx.db.migrate("subject_rights", _MIGRATIONS)
    with lx.db.connect() as conn:
        rows = conn.execute(
            "SELECT id, ts, withdrawn_scopes, counts, verified FROM deletion_log WHERE user_ref IN (?, ?) ORDER BY ts",
            _refs(lx, user_id),
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
