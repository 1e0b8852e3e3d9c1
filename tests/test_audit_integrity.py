"""The keyed audit chain and its off-machine checkpoints catch every way of rewriting the SQLite log.

Each attack is done the way someone with the database file (but not the master key, nor the checkpoint
sink) would: drop the append-only triggers, then edit, re-chain, delete, empty, append or restore a copy.
The HTTP sink is a real server on a loopback port.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from lingxi.cli.audit import audit_app
from lingxi.compliance.audit import GENESIS, AuditEntry, AuditKeys, AuditLog, CheckpointSink, user_ref
from lingxi.compliance.audit_chain import Checkpoint, legacy_hash
from lingxi.compliance.audit_sink import read_latest
from lingxi.config import Settings
from lingxi.errors import StorageError
from lingxi.storage.sqlite import Database
from lingxi.storage.stores import open_compliance

KEYS = AuditKeys(b"m" * 32)
runner = CliRunner()


def _entry(n: int, user: str = "u") -> AuditEntry:
    return AuditEntry(
        request_id=f"req-{n}", user_ref=KEYS.pseudonym(user), feature="chat", model="lite", model_kind="classical",
        input_sha256="0" * 64, output_sha256="1" * 64, input_verdict="pass", input_risks=[],
        output_verdict="pass", output_risks=[], refused=False, egress_id=None, label=None, finish_reason="stop",
    )  # fmt: skip


def _log(tmp_path: Path, sink: CheckpointSink | None = None, name: str = "a.db") -> AuditLog:
    return AuditLog(Database(tmp_path / name), KEYS, sink or CheckpointSink(tmp_path / "sink" / "cp.jsonl"))


def _sql(log: AuditLog, *statements: str, args: tuple[object, ...] = ()) -> None:
    """What an attacker with the file does: switch the guards off and run raw SQL."""
    with sqlite3.connect(log.db.path) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        for s in statements:
            conn.execute(s, args if "?" in s else ())


def _rechain_unkeyed(log: AuditLog, upto: int | None = None) -> None:
    """Recompute the first ``upto`` hashes (default all) the way the old, unkeyed chain did — all an attacker
    without the key can do."""
    with sqlite3.connect(log.db.path) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        prev = GENESIS
        rows = conn.execute("SELECT seq, id, ts, body FROM audit_log ORDER BY seq").fetchall()
        for seq, rid, ts, body in rows[:upto]:
            h = legacy_hash(prev, rid, ts, body)
            conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, seq))
            prev = h


def _filled(tmp_path: Path, n: int = 5) -> tuple[AuditLog, list[str]]:
    log = _log(tmp_path)
    ids = [log.append(_entry(i)) for i in range(n)]
    assert log.checkpoint() is not None
    assert log.verify() == (True, None)
    return log, ids


def test_an_edited_record_shows_even_when_the_whole_chain_is_recomputed(tmp_path: Path) -> None:
    log, ids = _filled(tmp_path)
    _sql(log, "UPDATE audit_log SET body = replace(body, 'req-2', 'req-X') WHERE id = ?", args=(ids[2],))
    assert log.verify() == (False, ids[2])
    _rechain_unkeyed(log)  # every hash and link consistent again, as the old verify would accept
    report = log.report()
    assert not report.ok and any("不同" in p or "校验失败" in p for p in report.problems)


def test_a_forged_appended_record_shows(tmp_path: Path) -> None:
    log, _ids = _filled(tmp_path)
    with sqlite3.connect(log.db.path) as conn:
        head = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
    body = json.dumps({"request_id": "forged"})
    for forged in ("m1:" + hashlib.sha256(b"guess").hexdigest(), legacy_hash(head, "f1", 1, body)):
        _sql(log, "DELETE FROM audit_log WHERE id = 'f1'")
        _sql(log, "INSERT INTO audit_log(id, ts, body, prev_hash, hash) VALUES ('f1', 1, ?, ?, ?)",
             args=(body, head, forged))  # fmt: skip
        assert log.verify() == (False, "f1")


def test_a_truncated_tail_shows_against_the_checkpoint(tmp_path: Path) -> None:
    log, ids = _filled(tmp_path)
    _sql(log, "DELETE FROM audit_log WHERE id = ?", args=(ids[-1],))
    ok, broken = log.verify()
    assert not ok and broken == ids[-1]
    assert "截断" in " ".join(log.report().problems)


def test_an_emptied_table_shows(tmp_path: Path) -> None:
    log, _ids = _filled(tmp_path)
    _sql(log, "DELETE FROM audit_log")
    report = log.report()
    assert not report.ok and report.count == 0 and "5" in report.problems[0]


def test_restoring_an_older_copy_of_the_database_shows(tmp_path: Path) -> None:
    log = _log(tmp_path)
    for i in range(3):
        log.append(_entry(i))
    shutil.copy(log.db.path, tmp_path / "backup.db")  # yesterday's copy (the log is quiet: WAL checkpointed)
    for i in range(3, 6):
        log.append(_entry(i))
    log.checkpoint()
    restored = _log(tmp_path, name="backup.db")  # same key, same sink: only the database went back in time
    assert restored.verify()[0] is False
    assert "回滚" in " ".join(restored.report().problems)
    # a rollback *and* three forged appends to reach the old count: the head MAC still differs
    assert restored.report(log.sink.latest()).ok is False


def test_a_forged_checkpoint_is_rejected(tmp_path: Path) -> None:
    log, _ids = _filled(tmp_path)
    cp = log.sink.latest()
    assert cp is not None and cp.valid(KEYS)
    lower = Checkpoint(cp.count - 1, cp.head_id, cp.head, cp.ts, cp.mac)
    assert "签名无效" in log.report(lower).problems[0]
    assert not AuditLog(Database(log.db.path), AuditKeys(b"other" * 8)).report(cp).ok  # another key


def test_checkpoints_are_exported_every_n_records_and_survive_a_prune(tmp_path: Path) -> None:
    sink = CheckpointSink(tmp_path / "cp.jsonl")
    log = AuditLog(Database(tmp_path / "a.db"), KEYS, sink, checkpoint_every=3)
    for i in range(7):
        log.append(_entry(i))
    log.flush()  # let the background sender finish (appends never wait for it)
    lines = (tmp_path / "cp.jsonl").read_text(encoding="utf-8").splitlines()
    assert [Checkpoint.from_json(line).count for line in lines] == [3, 6]  # signed at records 3 and 6, in order
    latest = read_latest(tmp_path / "cp.jsonl")
    assert latest is not None and latest.count == 6 and log.verify() == (True, None)
    assert log.prune(200, now=time.time_ns() // 1_000_000 + 201 * 86_400_000) == 7
    report = log.report()
    assert report.ok and report.pruned == 7 and report.count == 8  # seven pruned + the prune's own record


def test_a_legacy_unkeyed_chain_verifies_as_a_segment_then_continues_keyed(tmp_path: Path) -> None:
    log = _log(tmp_path)
    with sqlite3.connect(log.db.path) as conn:  # records as lingxi wrote them before keyed MACs
        prev = GENESIS
        for i in range(3):
            rid, body = f"old-{i}", json.dumps({"request_id": f"old-{i}", "user_ref": user_ref("u")})
            h = legacy_hash(prev, rid, i, body)
            conn.execute("INSERT INTO audit_log(id, ts, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?)",
                         (rid, i, body, prev, h))  # fmt: skip
            prev = h
    new = log.append(_entry(9))
    report = log.report()
    assert report.ok and (report.legacy, report.legacy_through, report.keyed) == (3, "old-2", 1)
    _sql(log, "UPDATE audit_log SET body = replace(body, 'old-1', 'old-X') WHERE id = 'old-1'")
    _rechain_unkeyed(log, upto=3)  # re-chaining the legacy part breaks the first keyed record's MAC
    assert log.verify() == (False, new)
    _rechain_unkeyed(log)  # rewriting all of it unkeyed leaves an unsealed legacy chain
    report = log.report(Checkpoint(0, "", "", 0).signed(KEYS))
    assert not report.ok and "旧格式" in report.problems[0]


def test_checkpoint_seals_a_legacy_chain_before_signing(tmp_path: Path) -> None:
    log = _log(tmp_path)
    with sqlite3.connect(log.db.path) as conn:
        conn.execute("INSERT INTO audit_log(id, ts, body, prev_hash, hash) VALUES ('old', 1, '{}', ?, ?)",
                     (GENESIS, legacy_hash(GENESIS, "old", 1, "{}")))  # fmt: skip
    assert log.verify()[0] is False  # unsealed
    cp = log.checkpoint()
    assert cp is not None and cp.count == 2 and log.entries()[0]["kind"] == "legacy-seal"
    assert log.report().ok and log.report().legacy == 1


def test_pseudonyms_are_keyed(tmp_path: Path) -> None:
    phone = "13800138000"
    ref = KEYS.pseudonym(phone)
    assert ref != user_ref(phone) and ref != AuditKeys(b"n" * 32).pseudonym(phone) and ref == KEYS.pseudonym(phone)
    guesses = {hashlib.sha256(f"lingxi-user:138{n:08d}".encode()).hexdigest()[:32] for n in range(138000, 138010)}
    assert ref not in guesses  # the unkeyed scheme's guess list no longer finds it


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.received.append(self.rfile.read(int(self.headers["content-length"])).decode())
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    _Receiver.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/checkpoints"
    server.shutdown()
    server.server_close()


def test_http_sink_receives_checkpoints_and_the_cli_verifies_against_them(tmp_path: Path, receiver: str) -> None:
    (tmp_path / "lingxi.toml").write_text(f'[audit]\ncheckpoint_url = "{receiver}"\n', encoding="utf-8")
    log = open_compliance(Settings.load(tmp_path))[0]
    ids = [log.append(_entry(i)) for i in range(4)]
    assert runner.invoke(audit_app, ["checkpoint", "--home", str(tmp_path)]).exit_code == 0
    (body,) = _Receiver.received
    saved = tmp_path / "received.jsonl"
    saved.write_text(body + "\n", encoding="utf-8")
    args = ["verify", "--home", str(tmp_path), "--checkpoint", str(saved)]
    result = runner.invoke(audit_app, args)
    assert result.exit_code == 0 and "一致" in result.output
    _sql(log, "DELETE FROM audit_log WHERE id = ?", args=(ids[-1],))
    result = runner.invoke(audit_app, args)
    assert result.exit_code == 1 and "截断" in result.output
    assert runner.invoke(audit_app, ["verify", "--home", str(tmp_path)]).exit_code == 0  # no checkpoint: warns
    with pytest.raises(StorageError, match="export failed"):
        CheckpointSink(url="http://127.0.0.1:9/nothing", timeout_s=1).send(Checkpoint(1, "x", "y", 0))


def test_verify_with_another_integrity_key_says_to_check_the_key(tmp_path: Path) -> None:
    log = open_compliance(Settings.load(tmp_path))[0]
    for i in range(2):
        log.append(_entry(i))
    (tmp_path / "master.key").write_bytes(b"y" * 32)  # rotating the master key leaves the chain verifiable
    assert runner.invoke(audit_app, ["verify", "--home", str(tmp_path)]).exit_code == 0
    (tmp_path / "integrity.key").write_bytes(b"x" * 32)  # a restored home with the wrong integrity key
    result = runner.invoke(audit_app, ["verify", "--home", str(tmp_path)])
    assert result.exit_code == 1 and "完整性密钥" in result.output
