"""Key safety: a database is never opened (or given a new key) with a key that cannot open its sealed data;
the master key can be backed up and rotated, crash-safely."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BigramEmbedder
from lingxi import Lingxi
from lingxi.cli import app as cli_app
from lingxi.config import Settings
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.context.vectors import VectorIndex
from lingxi.errors import InvalidInput, MasterKeyError, StorageError
from lingxi.features.sessions import ChatLine
from lingxi.privacy import rotate
from lingxi.privacy.crypto import KEY_ENV, KEY_FILE, Vault
from lingxi.privacy.keycheck import PENDING_KEY_FILE
from lingxi.privacy.sealed import existing, registered
from lingxi.privacy.subject_rights import export_user


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)


def _home_with_data(home: Path) -> Lingxi:
    lx = Lingxi(home)
    vectors = VectorIndex(lx.db, lx.vault, BigramEmbedder(), lx.events)  # as with an embedding model configured
    lx.events.hooks.append(vectors)
    lx.load_sample()
    asyncio.run(vectors.drain(limit=50))
    session = lx.assistant.sessions.open(SAMPLE_USER_ID, None)
    lx.assistant.sessions.save(session, [ChatLine(role="user", content="提醒我周五交房租")])
    lx.complaints.add("手机13912345678", "privacy", "请删除我的聊天记录")  # sealed as text columns
    return lx


def _copy_db(src: Path, dst: Path) -> None:
    dst.mkdir(parents=True)
    for name in ("lingxi.db", "lingxi.db-wal"):
        if (src / name).exists():
            shutil.copy(src / name, dst / name)


def _comparable(lx: Lingxi) -> str:
    """The sample user's export, without the moments it was made at (the profile is taken at a fixed time:
    its scores decay with the clock)."""
    data = export_user(lx, SAMPLE_USER_ID)
    data["profile"] = lx.profile.get(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS).model_dump(mode="json")
    return json.dumps({k: v for k, v in data.items() if k != "exported_at"}, sort_keys=True)


def test_a_copied_database_without_its_key_is_refused_and_no_key_is_written(tmp_path: Path) -> None:
    _home_with_data(tmp_path / "a")
    _copy_db(tmp_path / "a", tmp_path / "b")
    with pytest.raises(MasterKeyError) as caught:
        Lingxi(tmp_path / "b")
    err = caught.value
    assert KEY_ENV in err.message and str(tmp_path / "b" / KEY_FILE) in err.message
    assert "主密钥" in err.message_zh and "0600" in err.message_zh and err.hint and "backup" in err.hint
    assert not (tmp_path / "b" / KEY_FILE).exists()  # nothing generated, nothing changed
    # the server refuses to start too, with the same one-line reason, and still writes no key
    run = subprocess.run(
        [sys.executable, "-c", "from lingxi.cli import main; main()", "serve", "--home", str(tmp_path / "b")],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != KEY_ENV},
    )
    assert run.returncode == 1 and "主密钥" in run.stderr and KEY_ENV in run.stderr
    assert not (tmp_path / "b" / KEY_FILE).exists()
    # restoring the key (here: the backup command's copy) makes the copy usable again
    backup = tmp_path / "key.bak"
    assert (
        CliRunner()
        .invoke(cli_app, ["keys", "master", "backup", "--out", str(backup), "--home", str(tmp_path / "a")])
        .exit_code
        == 0
    )
    assert (
        stat.S_IMODE(backup.stat().st_mode) == 0o600 and backup.read_bytes() == (tmp_path / "a" / KEY_FILE).read_bytes()
    )
    shutil.copy(backup, tmp_path / "b" / KEY_FILE)
    assert sum(Lingxi(tmp_path / "b").events.count(SAMPLE_USER_ID).values()) > 0


def test_another_homes_key_is_refused_with_both_key_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _home_with_data(tmp_path / "a")
    wrong = os.urandom(32)
    monkeypatch.setenv(KEY_ENV, base64.b64encode(wrong).decode())
    with pytest.raises(MasterKeyError) as caught:
        Lingxi(tmp_path / "a")
    assert Vault(wrong).key_id in caught.value.message
    assert Vault((tmp_path / "a" / KEY_FILE).read_bytes()).key_id in caught.value.message


def test_a_database_from_before_the_check_value_is_probed(tmp_path: Path) -> None:
    lx = _home_with_data(tmp_path / "a")
    with lx.db.transaction() as conn:
        conn.execute("DELETE FROM vault_check")
    (tmp_path / "a" / KEY_FILE).write_bytes(os.urandom(32))  # a wrong key: one sealed row does not open
    with pytest.raises(MasterKeyError):
        Lingxi(tmp_path / "a")
    _copy_db(tmp_path / "a", tmp_path / "b")  # no check value, no key: refused before a key is made
    with pytest.raises(MasterKeyError):
        Lingxi(tmp_path / "b")
    assert not (tmp_path / "b" / KEY_FILE).exists()


def test_an_empty_home_gets_a_key_and_a_check_value(tmp_path: Path) -> None:
    lx = Lingxi(tmp_path / "h")
    with lx.db.connect() as conn:
        (key_id,) = conn.execute("SELECT key_id FROM vault_check").fetchone()
    assert key_id == lx.vault.key_id and (tmp_path / "h" / KEY_FILE).exists()


def test_rotation_reseals_everything_and_the_old_key_opens_nothing(tmp_path: Path) -> None:
    home = tmp_path / "h"
    lx = _home_with_data(home)
    hits = [h.event_id for h in lx.index.search(SAMPLE_USER_ID, ["快递"])]
    before = _comparable(lx)
    old_key = (home / KEY_FILE).read_bytes()

    result = CliRunner().invoke(cli_app, ["keys", "master", "rotate", "--home", str(home)])
    assert result.exit_code == 0, result.output
    new_key = (home / KEY_FILE).read_bytes()
    assert new_key != old_key and not (home / PENDING_KEY_FILE).exists()
    assert stat.S_IMODE((home / KEY_FILE).stat().st_mode) == 0o600

    after = Lingxi(home)
    assert _comparable(after) == before  # events, profile, sessions, shopping…
    assert hits and [h.event_id for h in after.index.search(SAMPLE_USER_ID, ["快递"])] == hits
    old, new = Vault(old_key), Vault(new_key)
    with after.db.connect() as conn:
        columns = existing(conn)
        assert {c.table for c in registered()} <= {c.table for c in columns}
        for col in columns:  # every listed sealed row opens with the new key, none with the old
            rows = conn.execute(col.select()).fetchall()
            assert rows, col.table  # the sample data reaches every sealed column
            for row in rows:
                sealed = col.sealed_bytes(row[col.column])
                assert sealed is not None, col.table
                new.open(sealed, user_id=col.owner(row), record_id=col.record(row))
                with pytest.raises(StorageError):
                    old.open(sealed, user_id=col.owner(row), record_id=col.record(row))
    assert [c.contact for c in after.complaints.list_complaints()] == ["手机13912345678"]
    (home / KEY_FILE).write_bytes(old_key)
    with pytest.raises(MasterKeyError):
        Lingxi(home)


def test_a_rotation_interrupted_after_its_commit_is_finished_at_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "h"
    before = _comparable(_home_with_data(home))

    def crash(src: object, dst: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(rotate.os, "replace", crash)  # the commit happens, the rename of the key does not
    with pytest.raises(OSError):
        rotate.rotate_master_key(Settings.load(home))
    monkeypatch.undo()
    pending = (home / PENDING_KEY_FILE).read_bytes()
    lx = Lingxi(home)  # the old master.key no longer opens the data; the pending key does: rename finished
    assert (home / KEY_FILE).read_bytes() == pending and not (home / PENDING_KEY_FILE).exists()
    assert _comparable(lx) == before


def test_rotation_with_the_key_in_the_environment_writes_the_new_key_to_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_key = os.urandom(32)
    monkeypatch.setenv(KEY_ENV, base64.b64encode(old_key).decode())
    home = tmp_path / "h"
    before = _comparable(_home_with_data(home))
    rotate_cmd = ["keys", "master", "rotate", "--home", str(home)]
    refused = CliRunner().invoke(cli_app, rotate_cmd)  # lingxi cannot replace a key it does not hold
    assert isinstance(refused.exception, InvalidInput) and "--out" in refused.exception.message
    result = CliRunner().invoke(cli_app, [*rotate_cmd, "--out", str(tmp_path / "new.key")])
    assert result.exit_code == 0, result.output
    assert not (home / KEY_FILE).exists() and stat.S_IMODE((tmp_path / "new.key").stat().st_mode) == 0o600
    with pytest.raises(MasterKeyError):  # the old key in the environment opens nothing any more
        Lingxi(home)
    monkeypatch.setenv(KEY_ENV, base64.b64encode((tmp_path / "new.key").read_bytes()).decode())
    assert _comparable(Lingxi(home)) == before


def test_rotation_refuses_an_incomplete_sealed_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store whose columns were not registered would keep them sealed under the old key: refused up front."""
    from lingxi.privacy import sealed

    home = tmp_path / "h"
    monkeypatch.setattr(sealed, "_complete", False)
    with pytest.raises(RuntimeError, match="incomplete"):
        rotate.rotate_master_key(Settings.load(home))
    assert not (home / PENDING_KEY_FILE).exists() and not (home / KEY_FILE).exists()
