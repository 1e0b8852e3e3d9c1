"""The append-only audit log, chained with keyed MACs and anchored by signed checkpoints so tampering shows.

Each record stores SHA-256 digests of the input and output (not the texts: the log outlives the user's
data, and PIPL deletion must not be blocked by it), the model, screen verdicts and whether the request was
refused. ``user_ref`` is a keyed pseudonym of the user id (:meth:`AuditKeys.pseudonym`). Each row's ``hash``
is an HMAC over its content and the previous row's hash, under a key derived from the integrity key (never in
the database); every ``checkpoint_every`` records a signed checkpoint goes to the configured sink off the
machine. :mod:`lingxi.compliance.audit_chain` explains what each part detects and how chains written before
keyed MACs verify as a *legacy* segment. SQLite triggers reject UPDATE and DELETE. Logs are kept at least six
months (Interim Measures).

Retention: :meth:`AuditLog.prune` is the only way records leave, and only records older than the retention
(at least :data:`MIN_RETENTION_DAYS`, 183 days) and only as a *leading prefix* of the chain, so what remains
is still one unbroken chain. Before deleting, the whole chain is verified (a broken log is evidence and is
never pruned); the hash of the last pruned record becomes the *anchor*, stored in the append-only
``audit_checkpoint`` table, and a ``checkpoint`` record carrying the anchor, the count and the id range is
appended to the chain itself. :meth:`AuditLog.verify` then starts from the latest anchor instead of
``GENESIS``: the first remaining record's ``prev_hash`` must equal it, and the pruned counts keep the
record count comparable with exported checkpoints.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from typing import Any

from lingxi.compliance.audit_chain import (
    KEYED_PREFIX,
    AuditKeys,
    ChainReport,
    Checkpoint,
    against_checkpoint,
    sha256,
    walk,
)
from lingxi.compliance.audit_sink import CheckpointSink
from lingxi.errors import InvalidInput, StorageError
from lingxi.ids import ms_to_datetime, now_ms, uuid7
from lingxi.privacy.pseudonyms import user_ref as user_ref  # re-exported: where callers always found it
from lingxi.storage.sqlite import Database, append_only

_MIGRATIONS = (
    """CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        ts INTEGER NOT NULL,
        body TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    *append_only("audit_log", prefix="audit"),
    # v4+: retention checkpoints (see the module docstring)
    """CREATE TABLE audit_checkpoint (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        through_seq INTEGER NOT NULL,
        anchor_hash TEXT NOT NULL,
        pruned INTEGER NOT NULL,
        first_id TEXT NOT NULL,
        last_id TEXT NOT NULL
    )""",
    *append_only("audit_checkpoint"),
)
_NO_DELETE_TRIGGER = _MIGRATIONS[2]

MIN_RETENTION_DAYS = 183  # Interim Measures: logs kept at least six months

GENESIS = "0" * 64


__all__ = ["AuditEntry", "AuditKeys", "AuditLog", "CheckpointSink", "sha256", "user_ref"]
log = logging.getLogger(__name__)


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


#: a record's members are strings, flags and lists of strings: read as they are, not deep-copied by ``asdict``
#: (which cost ~30 µs, most of this function, on every request)
_ENTRY_FIELDS = tuple(f.name for f in fields(AuditEntry))


def entry_body(entry: AuditEntry | dict[str, Any]) -> str:
    """The stored, hashed form of a record's content: canonical JSON (sorted keys, UTF-8 kept)."""
    body = {name: getattr(entry, name) for name in _ENTRY_FIELDS} if isinstance(entry, AuditEntry) else entry
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def check_prune(older_than_days: int, retention_days: int) -> None:
    """Refuse a prune below the retention floor (never below :data:`MIN_RETENTION_DAYS`)."""
    floor = max(retention_days, MIN_RETENTION_DAYS)
    if older_than_days < floor:
        raise InvalidInput(
            f"audit records must be kept at least {floor} days; refusing to prune at {older_than_days}",
            message_zh=f"审计日志至少保留 {floor} 天（不少于六个月），拒绝删除 {older_than_days} 天内的记录",
            hint=f"use --older-than-days {floor} or more",
        )


def broken_chain(broken: str | None) -> StorageError:
    """The error for a prune refused because the chain does not verify (a broken log is evidence)."""
    return StorageError(
        f"audit chain is broken at {broken}; refusing to prune evidence",
        message_zh=f"审计日志哈希链在记录 {broken} 处断裂，拒绝清理",
        hint="run `lingxi audit verify` and investigate before pruning",
    )


def checkpoint_body(pruned: int, first_id: str, last_id: str, anchor_hash: str, older_than_days: int) -> str:
    """The body of the ``checkpoint`` record a prune appends to the chain."""
    return entry_body(
        {
            "kind": "checkpoint",
            "pruned": pruned,
            "first_id": first_id,
            "last_id": last_id,
            "anchor_hash": anchor_hash,
            "older_than_days": older_than_days,
        }
    )


def export_item(r: Any) -> dict[str, Any]:
    """One exported record (``r`` has ``id``, ``ts``, ``body``, ``prev_hash``, ``hash`` by key)."""
    return {
        "id": r["id"],
        "ts": r["ts"],
        "time": ms_to_datetime(r["ts"]).isoformat(),
        "prev_hash": r["prev_hash"],
        "hash": r["hash"],
        "record": json.loads(r["body"]),
    }


def entry_item(r: Any) -> dict[str, Any]:
    """One record as :meth:`AuditLog.entries` lists it: the body decoded beside id, ts and hash."""
    return {"id": r["id"], "ts": r["ts"], "hash": r["hash"], **json.loads(r["body"])}


_FOREVER = 2**63 - 1


class AuditLog:
    """Append, checkpoint and verify. ``keys`` come from the integrity key; ``sink`` receives checkpoints."""

    def __init__(
        self,
        db: Database,
        keys: AuditKeys,
        sink: CheckpointSink | None = None,
        *,
        checkpoint_every: int = 100,
        checkpoint_interval_s: float = 3600.0,
    ) -> None:
        self.db = db
        db.migrate("audit", _MIGRATIONS)
        self._init_checkpoints(keys, sink, checkpoint_every, checkpoint_interval_s)

    def _init_checkpoints(self, keys: AuditKeys, sink: CheckpointSink | None, every: int, interval_s: float) -> None:
        self.keys, self.sink = keys, sink or CheckpointSink()
        self.checkpoint_every, self.checkpoint_interval_s = every, interval_s
        self._since_checkpoint, self._last_checkpoint = 0, time.monotonic()
        self._lock = threading.Lock()
        # one background sender: exports leave in the order they were signed, off the request's path
        self._exporter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-checkpoint")

    def pseudonym(self, user_id: str) -> str:
        """The keyed ``user_ref`` new records carry for ``user_id``."""
        return self.keys.pseudonym(user_id)

    def append(self, entry: AuditEntry) -> str:
        return self.append_record(entry)

    def append_record(self, entry: AuditEntry | dict[str, Any]) -> str:
        """Append a request record, or a log event of our own (a seal, a checkpoint) as a plain dict."""
        with self.db.transaction() as conn:
            record_id = self._append_body(conn, entry_body(entry))
        self._after_append()
        return record_id

    async def append_async(self, entry: AuditEntry) -> str:
        """:meth:`append` for the request path: committed when this returns, through the server's writer
        thread when it runs (:meth:`Database.write`), so the event loop serves other requests meanwhile. The
        record's place in the chain (the previous hash) is read inside the transaction that inserts it."""
        body = entry_body(entry)
        record_id = await self.db.write(lambda conn: self._append_body(conn, body))
        self._after_append()
        return record_id

    def _append_body(self, conn: sqlite3.Connection, body: str) -> str:
        record_id, ts = uuid7(), now_ms()
        row = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        prev = row["hash"] if row else self._anchor(conn)
        conn.execute(
            "INSERT INTO audit_log(id, ts, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
            (record_id, ts, body, prev, self.keys.mac(prev, record_id, ts, body)),
        )
        return record_id

    # -- checkpoints -----------------------------------------------------------------------------------
    def _after_append(self) -> None:
        """Every ``checkpoint_every`` records (or interval) sign the head now and send it in the background."""
        if not self.sink.configured:
            return
        with self._lock:
            self._since_checkpoint += 1
            due = self._since_checkpoint >= self.checkpoint_every or (
                time.monotonic() - self._last_checkpoint >= self.checkpoint_interval_s
            )
            if not due:
                return
            self._since_checkpoint, self._last_checkpoint = 0, time.monotonic()
        try:
            cp = self._signed_head()
            if cp is not None:
                self._exporter.submit(self._send_quietly, cp)
        except Exception as exc:  # a checkpoint must never fail the request that triggered it
            log.warning("audit checkpoint failed: %s", exc)

    def _send_quietly(self, cp: Checkpoint) -> None:
        try:
            self.sink.send(cp)
        except Exception as exc:  # a sink that is down must not break requests; the next checkpoint retries
            log.warning("audit checkpoint export failed: %s", exc)

    def flush(self) -> None:
        """Wait until the checkpoints signed so far have been sent (e.g. at shutdown)."""
        self._exporter.submit(lambda: None).result()

    def checkpoint(self) -> Checkpoint | None:
        """Sign the chain's current head and send it to the sink now; None while the chain is empty."""
        cp = self._signed_head()
        if cp is not None:
            self.sink.send(cp)
        return cp

    def _signed_head(self) -> Checkpoint | None:
        head = self._head()
        if head is None:
            return None
        if not head[2].startswith(KEYED_PREFIX):  # seal a legacy (unkeyed) chain with a keyed record first
            self.append_record({"kind": "legacy-seal", "legacy_head_id": head[1], "legacy_head": head[2]})
            head = self._head()
            assert head is not None
        return Checkpoint(head[0], head[1], head[2], now_ms()).signed(self.keys)

    def _head(self) -> tuple[int, str, str] | None:
        """(records since genesis, id and hash of the newest), read in one transaction."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT id, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            if row is None:
                return None
            n = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
            return self._pruned(conn) + int(n), str(row["id"]), str(row["hash"])

    @staticmethod
    def _pruned(conn: Any) -> int:
        return int(conn.execute("SELECT COALESCE(SUM(pruned), 0) FROM audit_checkpoint").fetchone()[0])

    @staticmethod
    def _anchor(conn: sqlite3.Connection) -> str:
        """Where the chain starts: GENESIS, or the hash of the last record removed by the latest prune."""
        row = conn.execute("SELECT anchor_hash FROM audit_checkpoint ORDER BY seq DESC LIMIT 1").fetchone()
        return str(row["anchor_hash"]) if row else GENESIS

    # -- verification ----------------------------------------------------------------------------------
    def report(self, checkpoint: Checkpoint | None = None) -> ChainReport:
        """Walk the whole chain and compare it with ``checkpoint`` (default: the file sink's latest)."""
        cp = checkpoint if checkpoint is not None else self.sink.latest()
        return against_checkpoint(self._walk(cp.head_id if cp else None), self.keys, cp)

    def verify(self, checkpoint: Checkpoint | None = None) -> tuple[bool, str | None]:
        """(ok, id of the first broken or missing record); :meth:`report` has the details."""
        r = self.report(checkpoint)
        return r.ok, r.broken

    def _walk(self, want: str | None) -> ChainReport:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT id, ts, body, prev_hash, hash FROM audit_log ORDER BY seq")
            return walk(self.keys, self._anchor(conn), self._pruned(conn), rows, want=want)

    def entries(self, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first, with the body decoded."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT id, ts, body, hash FROM audit_log ORDER BY seq DESC LIMIT ?", (limit,)
            ).fetchall()
        return [entry_item(r) for r in rows]

    def entries_for(self, *refs: str) -> list[dict[str, Any]]:
        """The records filed under any of the pseudonyms ``refs``, oldest first (a subject's export; they are kept)."""
        marks = ", ".join("?" * len(refs))
        with self.db.connect() as conn:
            rows = conn.execute(
                f"SELECT id, ts, body, hash FROM audit_log WHERE json_extract(body, '$.user_ref') IN ({marks}) "
                "ORDER BY seq",
                refs,
            ).fetchall()
        return [entry_item(r) for r in rows]

    def export(self, since_ms: int | None = None, until_ms: int | None = None) -> list[dict[str, Any]]:
        """Records with ``since_ms <= ts < until_ms``, oldest first, with chain fields, for a regulator.

        Each item keeps ``prev_hash`` and ``hash`` so the recipient can check the exported run themselves.
        """
        lo, hi = since_ms if since_ms is not None else 0, until_ms if until_ms is not None else _FOREVER
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT id, ts, body, prev_hash, hash FROM audit_log WHERE ts >= ? AND ts < ? ORDER BY seq",
                (lo, hi),
            ).fetchall()
        return [export_item(r) for r in rows]

    def prune(self, older_than_days: int, *, retention_days: int = MIN_RETENTION_DAYS, now: int | None = None) -> int:
        """Delete the leading records older than ``older_than_days``; return how many were removed.

        Refuses below ``retention_days`` (never below :data:`MIN_RETENTION_DAYS`) and on a broken chain.
        """
        check_prune(older_than_days, retention_days)
        ok, broken = self.verify()
        if not ok:
            raise broken_chain(broken)
        cutoff = (now_ms() if now is None else now) - older_than_days * 86_400_000
        with self.db.transaction() as conn:
            first_kept = conn.execute("SELECT MIN(seq) FROM audit_log WHERE ts >= ?", (cutoff,)).fetchone()[0]
            bound = "seq < ?" if first_kept is not None else "1 = 1"
            args: tuple[int, ...] = (first_kept,) if first_kept is not None else ()
            span = conn.execute(f"SELECT COUNT(*), MAX(seq), MIN(seq) FROM audit_log WHERE {bound}", args).fetchone()
            count, last_seq, first_seq = int(span[0]), span[1], span[2]
            if count == 0:
                return 0
            last = conn.execute("SELECT id, hash FROM audit_log WHERE seq = ?", (last_seq,)).fetchone()
            first = conn.execute("SELECT id FROM audit_log WHERE seq = ?", (first_seq,)).fetchone()
            # DDL is transactional in SQLite: the trigger is back before anyone else can write
            conn.execute("DROP TRIGGER audit_no_delete")
            conn.execute(f"DELETE FROM audit_log WHERE {bound}", args)
            conn.execute(_NO_DELETE_TRIGGER)
            conn.execute(
                "INSERT INTO audit_checkpoint(ts, through_seq, anchor_hash, pruned, first_id, last_id) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (now_ms(), last_seq, last["hash"], count, first["id"], last["id"]),
            )
            self._append_body(conn, checkpoint_body(count, first["id"], last["id"], last["hash"], older_than_days))
        self._after_append()
        return count
