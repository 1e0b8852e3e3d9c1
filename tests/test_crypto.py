from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from lingxi import Lingxi
from lingxi.context.sample import SAMPLE_USER_ID
from lingxi.errors import InvalidInput, StorageError
from lingxi.privacy.crypto import KEY_ENV, Vault, load_master_key


def test_raw_database_holds_no_plaintext_personal_data(lx: Lingxi) -> None:
    lx.load_sample()
    assert lx.events.count(SAMPLE_USER_ID)["message"] > 100
    raw = b"".join(p.read_bytes() for p in lx.settings.home.glob("lingxi.db*"))
    for secret in ("13800138000", "linxy@example.com", "文三路", "林晓雨", "降噪耳机", "验证码", "尾号8842"):
        assert secret.encode() not in raw, secret
    # and yet everything reads back
    assert any("13800138000" in e.model_dump_json() for e in lx.events.query(SAMPLE_USER_ID, limit=1000))


def test_key_file_is_private_and_stable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    key = load_master_key(tmp_path)
    assert stat.S_IMODE(os.stat(tmp_path / "master.key").st_mode) == 0o600
    assert load_master_key(tmp_path) == key and len(key) == 32


def test_key_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, base64.b64encode(b"x" * 32).decode())
    assert load_master_key(tmp_path) == b"x" * 32 and not (tmp_path / "master.key").exists()
    monkeypatch.setenv(KEY_ENV, "not base64!")
    with pytest.raises(InvalidInput):
        load_master_key(tmp_path)


def test_sealed_records_are_bound_to_user_and_event() -> None:
    v = Vault(b"k" * 32)
    sealed = v.seal(b"hello", user_id="u1", record_id="e1")
    assert v.open(sealed, user_id="u1", record_id="e1") == b"hello"
    with pytest.raises(StorageError, match="authentication"):
        v.open(sealed, user_id="u2", record_id="e1")  # moved to another user
    with pytest.raises(StorageError):
        Vault(b"j" * 32).open(sealed, user_id="u1", record_id="e1")  # wrong key
    assert v.token("杭州") == v.token("杭州") != Vault(b"j" * 32).token("杭州")
