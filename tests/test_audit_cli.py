"""``lingxi audit verify|export|prune``: tampering shows, exports are ranged, pruning keeps the chain."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import lingxi.compliance.audit as audit_mod
from lingxi.cli.audit import audit_app
from lingxi.compliance.audit import AuditEntry, AuditLog
from lingxi.config import Settings
from lingxi.errors import InvalidInput
from lingxi.ids import ms_to_datetime, now_ms
from lingxi.storage.stores import open_compliance

DAY = 86_400_000
runner = CliRunner()


def _entry(n: int) -> AuditEntry:
    return AuditEntry(
        request_id=f"req-{n}", user_ref="u", feature="chat", model="lite/textrank", model_kind="lite",
        input_sha256="0" * 64, output_sha256="1" * 64, input_verdict="pass", input_risks=[],
        output_verdict="pass", output_risks=[], refused=False, egress_id=None, label=None, finish_reason="stop",
    )  # fmt: skip


def _log(home: Path) -> AuditLog:
    return open_compliance(Settings.load(home))[0]


def _fill(home: Path, monkeypatch: pytest.MonkeyPatch, ages_days: list[int]) -> list[str]:
    """Append one record per age (oldest first), with ``now_ms`` moved back by that many days."""
    log, ids, real_now = _log(home), [], now_ms()
    for n, age in enumerate(ages_days):
        monkeypatch.setattr(audit_mod, "now_ms", lambda age=age, n=n: real_now - age * DAY + n)
        ids.append(log.append(_entry(n)))
    monkeypatch.undo()
    return ids


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(audit_app, list(args))
    return result.exit_code, result.output


def test_verify_passes_then_detects_an_edited_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _fill(tmp_path, monkeypatch, [3, 2, 1])
    assert _run("verify", "--home", str(tmp_path))[0] == 0
    with sqlite3.connect(Settings.load(tmp_path).db_path) as conn:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("UPDATE audit_log SET body = '{}' WHERE id = ?", (ids[1],))
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit_log SET body = replace(body, 'req-1', 'req-X') WHERE id = ?", (ids[1],))
    code, output = _run("verify", "--home", str(tmp_path))
    assert code == 1 and ids[1] in output


def test_export_range_is_json_lines_with_hashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _fill(tmp_path, monkeypatch, [10, 5, 1])
    log = _log(tmp_path)
    middle = log.export()[1]["ts"]
    out = tmp_path / "export.jsonl"
    code, _ = _run("export", "--home", str(tmp_path), "--since", str(middle - 1), "-o", str(out))
    assert code != 0  # not ISO-8601: the error is raised, not silently ignored
    since = ms_to_datetime(middle).isoformat()
    code, _ = _run("export", "--home", str(tmp_path), "--since", since, "-o", str(out))
    assert code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ids[1:]
    assert rows[0]["record"]["request_id"] == "req-1" and rows[0]["hash"].startswith("m1:")
    assert rows[1]["prev_hash"] == rows[0]["hash"]


def test_prune_keeps_young_records_and_the_chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _fill(tmp_path, monkeypatch, [400, 300, 250, 100, 1])
    code, output = _run("prune", "--home", str(tmp_path), "--older-than-days", "200")
    assert code == 0, output
    log = _log(tmp_path)
    remaining = log.export()
    assert [r["id"] for r in remaining[:2]] == ids[3:]  # nothing younger than 200 days went
    checkpoint = remaining[-1]["record"]
    assert checkpoint["kind"] == "checkpoint" and checkpoint["pruned"] == 3 and checkpoint["last_id"] == ids[2]
    assert _run("verify", "--home", str(tmp_path))[0] == 0
    log.append(_entry(9))  # the chain goes on
    assert log.verify() == (True, None)
    # deleting one more old-looking row by hand still shows
    with sqlite3.connect(Settings.load(tmp_path).db_path) as conn:
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DELETE FROM audit_log WHERE id = ?", (ids[3],))
    assert _run("verify", "--home", str(tmp_path))[0] == 1


def test_prune_everything_old_then_append(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(tmp_path, monkeypatch, [500, 400])
    log = _log(tmp_path)
    assert log.prune(365) == 2
    assert log.prune(365) == 0
    log.append(_entry(3))
    assert log.verify() == (True, None)
    assert len(log.export()) == 2  # the checkpoint and the new record


def test_prune_refuses_below_retention(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(tmp_path, monkeypatch, [400])
    result = runner.invoke(audit_app, ["prune", "--home", str(tmp_path), "--older-than-days", "30"])
    assert result.exit_code != 0 and isinstance(result.exception, InvalidInput)
    assert "183" in result.exception.message_zh
    with pytest.raises(InvalidInput):
        _log(tmp_path).prune(200, retention_days=365)  # a deployer may configure a longer retention
    assert len(_log(tmp_path).export()) == 1
