"""Encryption at rest: event payloads sealed with AES-GCM, index tokens replaced by keyed hashes.

The 256-bit master key never enters the database. It comes from ``LINGXI_MASTER_KEY`` (base64, e.g. from a
platform keystore or a secrets manager) or from ``<home>/master.key``, created on first use with mode 0600.
Two subkeys are derived with HKDF-SHA256: one seals payloads (AES-256-GCM, a random 96-bit nonce per record,
the user id and event id as associated data so a sealed record cannot be moved to another user or event),
the other turns search tokens into HMAC-SHA256 tags, so the full-text index can rank with BM25 while the file
holds no plaintext words. What leaks is what any token index leaks: which records share a (hashed) word and
how often; the words themselves, and any PII in them, do not.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lingxi.errors import InvalidInput, StorageError

KEY_ENV = "LINGXI_MASTER_KEY"
KEY_FILE = "master.key"
INTEGRITY_ENV = "LINGXI_INTEGRITY_KEY"
INTEGRITY_FILE = "integrity.key"
_NONCE = 12
_VERSION = b"\x01"


def derive_key(master: bytes, purpose: bytes) -> bytes:
    """A 32-byte subkey of the master key for one ``purpose`` (HKDF-SHA256), e.g. the audit chain's MAC key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"lingxi/" + purpose).derive(master)


def key_id(master: bytes) -> str:
    """A short public fingerprint of a master key (16 hex chars; reveals nothing of the key itself)."""
    return derive_key(master, b"key-id").hex()[:16]


def write_key_file(path: Path, key: bytes) -> None:
    """Write ``key`` to a new file readable by the owner only (0600), flushed to disk; never overwrites.

    ``path`` never exists half-written: the key goes to a private temporary file that is then hard-linked into
    place, which raises FileExistsError when the file is already there. Workers starting together on one home
    each try; one wins and the others read its complete key (creating ``path`` itself with O_EXCL let a second
    worker read it empty before the first had written, and refuse to start).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(key)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def integrity_key(home: Path) -> bytes:
    """The installation's integrity key: ``LINGXI_INTEGRITY_KEY`` (base64), else ``<home>/integrity.key`` (0600).

    It keys what must outlive a rotation of the master key — the audit chain's MACs and checkpoints, the audit
    pseudonyms and the signatures in implicit labels — so it is kept apart from the master key, which only
    protects confidentiality and can be rotated (``lingxi keys master rotate``) without breaking verification of
    records and files signed before. Like the master key it never enters the database; back both up.
    """
    key = _load_key(home, INTEGRITY_ENV, INTEGRITY_FILE, create=True)
    assert key is not None  # create=True never answers None
    return key


def load_master_key(home: Path, *, create: bool = True) -> bytes | None:
    """The master key from the environment, else the home's key file.

    An absent key file is created (0600, a new random key) only when ``create`` is true; otherwise None is
    returned, so a caller that knows the database already holds sealed data can refuse instead of sealing
    with a key that opens none of it (:mod:`lingxi.privacy.keycheck`).
    """
    return _load_key(home, KEY_ENV, KEY_FILE, create=create)


def _load_key(home: Path, env_name: str, file_name: str, *, create: bool) -> bytes | None:
    if env := os.environ.get(env_name):
        try:
            key = base64.b64decode(env, validate=True)
        except binascii.Error as exc:
            raise InvalidInput(f"{env_name} is not base64", message_zh=f"{env_name} 不是合法的 base64") from exc
        if len(key) != 32:
            raise InvalidInput(f"{env_name} must hold 32 bytes", message_zh=f"{env_name} 必须是 32 字节的密钥")
        return key
    path = home / file_name
    if not path.exists():
        if not create:
            return None
        with contextlib.suppress(FileExistsError):  # another process created it first: use theirs
            write_key_file(path, os.urandom(32))
    key = path.read_bytes()
    if len(key) != 32:
        raise StorageError(
            f"{path} is not a 32-byte key", message_zh=f"密钥文件损坏：{path}", hint="restore it from your backup"
        )
    return key


class Vault:
    """Seals and opens payloads; hashes index tokens. One per installation (one master key)."""

    def __init__(self, master_key: bytes) -> None:
        self.key_id = key_id(master_key)
        self._aead = AESGCM(derive_key(master_key, b"payload"))
        self._token_key = derive_key(master_key, b"index-token")

    def seal(self, plaintext: bytes, *, user_id: str, record_id: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, f"{user_id}\x00{record_id}".encode())

    def open(self, sealed: bytes, *, user_id: str, record_id: str) -> bytes:
        if sealed[:1] != _VERSION:
            raise StorageError("unknown payload format", message_zh="无法识别的加密数据格式")
        nonce, body = sealed[1 : 1 + _NONCE], sealed[1 + _NONCE :]
        try:
            return self._aead.decrypt(nonce, body, f"{user_id}\x00{record_id}".encode())
        except InvalidTag as exc:
            raise StorageError(
                f"record {record_id} failed authentication (wrong key or tampered)",
                message_zh="数据校验失败：密钥不匹配或数据被篡改",
                hint=f"check {KEY_ENV} / {KEY_FILE}",
            ) from exc

    def token(self, word: str) -> str:
        """An opaque, stable index token for ``word`` (16 hex chars of HMAC-SHA256)."""
        return hmac.new(self._token_key, word.encode(), hashlib.sha256).hexdigest()[:16]
