"""The audit chain's keyed MACs, signed checkpoints and the verification walk (SQLite and PostgreSQL alike).

Why keyed: a plain hash chain proves nothing against whoever can write the database — they edit a record
and recompute every later hash, or empty the table, or restore last month's copy, and the chain still
"verifies". So each record's ``hash`` is an HMAC-SHA256 under a key derived from the installation's integrity
key (which never enters the database; :mod:`lingxi.privacy.crypto`), stored as ``m1:<hex>``. Without the key
no record can be forged, appended or re-chained.

Why checkpoints: MACs alone cannot show what is *missing* — a deleted tail, an emptied table or an older
copy of the database are all valid chains. So every so often the log signs ``(count, head id, head MAC,
time)`` with a second derived key and sends it off the machine (:mod:`lingxi.compliance.audit_sink`). Verifying
against the latest checkpoint then shows truncation and rollback (fewer records than the checkpoint counted,
or its head record gone) and a re-chain done with a stolen key (the head MAC differs from what was exported).

Legacy chains: records written before keyed MACs (plain SHA-256, 64 hex digits) still verify as a *legacy
segment* that must come first; the first keyed record's MAC covers the legacy head, so once the log has
keyed records the legacy part cannot be rewritten either. A legacy record after a keyed one is a break, and
so is a chain that ends in legacy records (anyone can write those): the upgrade *seals* the legacy segment
with the first keyed record (the next request, or ``lingxi audit checkpoint``). What remains is someone who
rewrites the whole log in the legacy format and then lets lingxi seal it — the exported checkpoints show
that (count and head MAC differ).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from lingxi.privacy.crypto import derive_key

KEYED_PREFIX = "m1:"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def legacy_hash(prev_hash: str, record_id: str, ts: int, body: str) -> str:
    """The unkeyed hash of records written before keyed MACs (kept only to verify those)."""
    return sha256(f"{prev_hash}|{record_id}|{ts}|{body}")


class AuditKeys:
    """Keys for one installation's audit log, derived from the integrity key (HKDF, one purpose each)."""

    def __init__(self, integrity_key: bytes) -> None:
        self._chain = derive_key(integrity_key, b"audit-chain")
        self._checkpoint = derive_key(integrity_key, b"audit-checkpoint")
        self._pseudonym = derive_key(integrity_key, b"audit-pseudonym")

    def mac(self, prev_hash: str, record_id: str, ts: int, body: str) -> str:
        """The keyed ``hash`` of one record: its content and the previous record's hash."""
        msg = f"{prev_hash}|{record_id}|{ts}|{body}".encode()
        return KEYED_PREFIX + hmac.new(self._chain, msg, hashlib.sha256).hexdigest()

    def pseudonym(self, user_id: str) -> str:
        """The user's pseudonym in the audit log: keyed, so a guessable id (a phone number) cannot be
        re-identified by hashing candidates; stable, so a subject-rights request can still find its records."""
        return hmac.new(self._pseudonym, user_id.encode(), hashlib.sha256).hexdigest()[:32]

    def sign(self, payload: dict[str, Any]) -> str:
        return hmac.new(self._checkpoint, _canonical(payload), hashlib.sha256).hexdigest()


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement "the chain had ``count`` records, the last one ``head_id`` with MAC ``head``"."""

    count: int
    head_id: str
    head: str
    ts: int
    mac: str = ""

    def payload(self) -> dict[str, Any]:
        return {"v": 1, "count": self.count, "head_id": self.head_id, "head": self.head, "ts": self.ts}

    def signed(self, keys: AuditKeys) -> Checkpoint:
        return Checkpoint(self.count, self.head_id, self.head, self.ts, keys.sign(self.payload()))

    def valid(self, keys: AuditKeys) -> bool:
        return hmac.compare_digest(self.mac, keys.sign(self.payload()))

    def to_json(self) -> str:
        return json.dumps({**self.payload(), "mac": self.mac}, separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> Checkpoint:
        d = json.loads(line)
        return cls(int(d["count"]), str(d["head_id"]), str(d["head"]), int(d["ts"]), str(d["mac"]))


@dataclass
class ChainReport:
    """What :func:`walk` and :func:`against_checkpoint` found; ``problems`` are Chinese, one per finding."""

    ok: bool = True
    broken: str | None = None  # id of the first record that does not verify
    count: int = 0  # records in the chain since genesis, pruned ones included
    pruned: int = 0  # of which removed by retention (the chain starts at their anchor)
    legacy: int = 0  # leading records with unkeyed hashes
    legacy_through: str | None = None  # id of the last legacy record (the migration point)
    keyed: int = 0
    head_id: str | None = None
    head: str | None = None
    checkpoint: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    positions: dict[str, tuple[int, str]] = field(default_factory=dict, repr=False)

    def fail(self, problem: str, record_id: str | None = None) -> None:
        self.ok = False
        self.broken = self.broken or record_id
        self.problems.append(problem)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("positions")
        return d


def walk(keys: AuditKeys, anchor: str, pruned: int, rows: Iterable[Any], *, want: str | None = None) -> ChainReport:
    """Walk ``rows`` (oldest first; ``id``, ``ts``, ``body``, ``prev_hash``, ``hash`` by key) from ``anchor``.

    ``pruned`` records were removed by retention before the first row. ``want`` is a record id whose position
    and hash are kept (the latest checkpoint's head), so the walk streams without holding every row.
    """
    report, prev, n = ChainReport(count=pruned, pruned=pruned), anchor, pruned
    for r in rows:
        n += 1
        record_id, stored = str(r["id"]), str(r["hash"])
        if stored.startswith(KEYED_PREFIX):
            expected = keys.mac(prev, record_id, r["ts"], r["body"])
            good = hmac.compare_digest(stored, expected)
            report.keyed += 1
        else:
            good = report.keyed == 0 and stored == legacy_hash(prev, record_id, r["ts"], r["body"])
            report.legacy += 1
            report.legacy_through = record_id
        if r["prev_hash"] != prev or not good:
            report.fail(f"记录 {record_id}（第 {n} 条）校验失败：被修改、伪造或链接断开", record_id)
            return report
        if record_id == want:
            report.positions[record_id] = (n, stored)
        prev = stored
        report.head_id, report.head = record_id, stored
    report.count = n
    if report.legacy and not report.keyed:
        report.fail(
            f"链上 {report.legacy} 条记录全部为旧格式（无密钥哈希）：升级后尚未封存，或日志被无密钥重写；"
            "运行 lingxi audit checkpoint 封存",
            report.legacy_through,
        )
    return report


def against_checkpoint(report: ChainReport, keys: AuditKeys, cp: Checkpoint | None) -> ChainReport:
    """Compare a walked chain with the latest exported checkpoint (truncation, rollback, re-chain)."""
    if cp is None:
        return report
    report.checkpoint = {**cp.payload(), "valid_signature": cp.valid(keys)}
    if not cp.valid(keys):
        report.fail("检查点签名无效：检查点被伪造，或密钥与生成检查点时不同")
        return report
    if report.count < cp.count:
        report.fail(
            f"记录被截断或数据库被回滚：链上只有 {report.count} 条记录，检查点（{cp.ts}）时已有 {cp.count} 条",
            cp.head_id,
        )
        return report
    if cp.count <= report.pruned:
        return report  # its head was pruned by retention; the count check above still holds
    seen = report.positions.get(cp.head_id)
    if seen is None:
        report.fail(f"检查点的末条记录 {cp.head_id} 不在链上：记录被删除或数据库被回滚", cp.head_id)
    elif seen != (cp.count, cp.head):
        report.fail(f"检查点的末条记录 {cp.head_id} 与导出时不同：日志被重写", cp.head_id)
    return report
