"""API keys per app, end-user ownership, and signed short-lived user tokens.

A key is ``lx_`` + 32 random URL-safe bytes, shown once at creation. At rest only an HMAC-SHA256 of it
(keyed with the server secret, a pepper a stolen database alone does not reveal) and its first 12
characters (a non-secret lookup prefix, as GitHub and Stripe keys do) are stored; verification compares
digests in constant time. Each key belongs to an ``app_id`` and carries scopes: ``features``, ``events``,
``admin``.

The first app to *write* data for a user id owns it (``user_owner``): another app's keys get 403 for that
user, so two apps sharing one service cannot read each other's users even when their ids collide. Reading
claims nothing (an app that merely asks about an id cannot lock the real app out of it), except a user whose
data came in outside the API (CLI, SDK): the first app to touch it owns it. An admin moves a user to
another app with ``POST /v1/admin/users/{id}/owner`` or ``lingxi keys transfer USER APP``.

User tokens (``lxu_<payload>.<mac>``) let a browser or device act for exactly one user without holding the
app key: the payload binds app, key, user, scopes and expiry, signed with the same server secret. Revoking
the key revokes its tokens.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from lingxi.errors import InvalidInput, LingxiError, NotFound
from lingxi.ids import now_ms, uuid7
from lingxi.privacy.crypto import write_key_file
from lingxi.storage.sqlite import Database

SCOPES = ("features", "events", "admin")
KEY_PREFIX = "lx_"
TOKEN_PREFIX = "lxu_"
_LOOKUP_CHARS = 12

_MIGRATIONS = (
    """CREATE TABLE api_keys (
        key_id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL,
        lookup TEXT NOT NULL UNIQUE,
        digest TEXT NOT NULL,
        scopes TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        revoked_ms INTEGER
    )""",
    "CREATE TABLE user_owner (user_id TEXT PRIMARY KEY, app_id TEXT NOT NULL, since_ms INTEGER NOT NULL)",
)


class Unauthorized(LingxiError):
    code = "unauthorized"
    status = 401
    title = "Authentication required"


class Forbidden(LingxiError):
    code = "forbidden"
    status = 403
    title = "Forbidden"


@dataclass(frozen=True)
class ApiKey:
    """A key's public record (never the key itself)."""

    key_id: str
    app_id: str
    prefix: str
    scopes: tuple[str, ...]
    created_ms: int
    revoked_ms: int | None = None

    @property
    def active(self) -> bool:
        return self.revoked_ms is None


@dataclass(frozen=True)
class UserToken:
    """A verified user token's claims."""

    app_id: str
    key_id: str
    user_id: str
    scopes: tuple[str, ...]
    expires_ms: int


def load_secret(home: Path) -> bytes:
    """The server secret in ``<home>/server.key`` (0600), created on first use."""
    path = home / "server.key"
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another worker created it first: use theirs
            write_key_file(path, secrets.token_bytes(32))
    data = path.read_bytes()
    if len(data) < 32:
        raise InvalidInput(
            f"{path} is too short to be a server secret",
            message_zh="服务器密钥文件损坏",
            hint="delete it to create a new one (all user tokens and API keys become invalid)",
        )
    return data


def check_scopes(scopes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    bad = [s for s in scopes if s not in SCOPES]
    if bad or not scopes:
        raise InvalidInput(
            f"unknown or missing scopes: {bad or '(none)'}; choose from {', '.join(SCOPES)}",
            message_zh=f"权限范围无效：{'、'.join(bad) or '未指定'}；可选 {'、'.join(SCOPES)}",
            hint="e.g. --scope features --scope events",
        )
    return tuple(sorted(set(scopes)))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class KeyStore:
    """Keys, user ownership and user tokens on one database, keyed with one server secret."""

    def __init__(self, db: Database, secret: bytes) -> None:
        self.db = db
        self._secret = secret
        db.migrate("server_keys", _MIGRATIONS)

    def _digest(self, key: str) -> str:
        return hmac.new(self._secret, key.encode("utf-8"), hashlib.sha256).hexdigest()

    def create(self, app_id: str, scopes: list[str] | tuple[str, ...]) -> tuple[ApiKey, str]:
        """A new key for ``app_id``: its record and the plaintext, which is never stored or shown again."""
        app_id = app_id.strip()
        if not app_id or len(app_id) > 64:
            raise InvalidInput("app_id must be 1-64 characters", message_zh="应用 ID 须为 1–64 个字符")
        plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
        record = ApiKey(uuid7(), app_id, plaintext[:_LOOKUP_CHARS], check_scopes(scopes), now_ms())
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO api_keys(key_id, app_id, lookup, digest, scopes, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    record.key_id,
                    app_id,
                    record.prefix,
                    self._digest(plaintext),
                    " ".join(record.scopes),
                    record.created_ms,
                ),
            )
        return record, plaintext

    def list_keys(self, app_id: str | None = None) -> list[ApiKey]:
        sql = "SELECT * FROM api_keys" + (" WHERE app_id = ?" if app_id else "") + " ORDER BY created_ms, key_id"
        with self.db.connect() as conn:
            rows = conn.execute(sql, (app_id,) if app_id else ()).fetchall()
        return [
            ApiKey(r["key_id"], r["app_id"], r["lookup"], tuple(r["scopes"].split()), r["created_ms"], r["revoked_ms"])
            for r in rows
        ]

    def any_keys(self) -> bool:
        """Whether a key was ever created (revoked ones count: revoking the last key must not open the API)."""
        with self.db.connect() as conn:
            return conn.execute("SELECT 1 FROM api_keys LIMIT 1").fetchone() is not None

    def revoke(self, key_id_or_prefix: str) -> ApiKey:
        with self.db.transaction() as conn:
            cur = conn.execute(
                "UPDATE api_keys SET revoked_ms = ? WHERE (key_id = ? OR lookup = ?) AND revoked_ms IS NULL",
                (now_ms(), key_id_or_prefix, key_id_or_prefix),
            )
            if cur.rowcount == 0:
                raise NotFound(
                    f"no active key {key_id_or_prefix}",
                    message_zh=f"没有可吊销的密钥：{key_id_or_prefix}",
                    hint="see `lingxi keys list`",
                )
        return next(k for k in self.list_keys() if key_id_or_prefix in (k.key_id, k.prefix))

    def set_scopes(self, key_id: str, scopes: list[str] | tuple[str, ...]) -> ApiKey:
        """Change an active key's scopes (an operator's act; takes effect on the key's next request)."""
        checked = check_scopes(scopes)
        with self.db.transaction() as conn:
            cur = conn.execute(
                "UPDATE api_keys SET scopes = ? WHERE key_id = ? AND revoked_ms IS NULL", (" ".join(checked), key_id)
            )
            if cur.rowcount == 0:
                raise NotFound(f"no active key {key_id}", message_zh=f"没有这个有效密钥：{key_id}")
        return next(k for k in self.list_keys() if k.key_id == key_id)

    def verify(self, presented: str) -> ApiKey | None:
        """The active key whose plaintext is ``presented``, else None (constant-time digest comparison)."""
        if not presented.startswith(KEY_PREFIX) or len(presented) > 128:
            return None
        with self.db.connect() as conn:
            row = conn.execute("SELECT * FROM api_keys WHERE lookup = ?", (presented[:_LOOKUP_CHARS],)).fetchone()
        if row is None or not hmac.compare_digest(row["digest"], self._digest(presented)):
            return None
        if row["revoked_ms"] is not None:
            return None
        return ApiKey(row["key_id"], row["app_id"], row["lookup"], tuple(row["scopes"].split()), row["created_ms"])

    def key_active(self, key_id: str) -> bool:
        with self.db.connect() as conn:
            row = conn.execute("SELECT revoked_ms FROM api_keys WHERE key_id = ?", (key_id,)).fetchone()
        return row is not None and row["revoked_ms"] is None

    def owner_of(self, user_id: str) -> str | None:
        """The app owning ``user_id``, None when no app has written for it yet."""
        with self.db.connect() as conn:
            row = conn.execute("SELECT app_id FROM user_owner WHERE user_id = ?", (user_id,)).fetchone()
        return str(row["app_id"]) if row else None

    def transfer_user(self, user_id: str, app_id: str) -> str | None:
        """Make ``app_id`` the owner of ``user_id`` (an admin's decision); returns the previous owner."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT app_id FROM user_owner WHERE user_id = ?", (user_id,)).fetchone()
            conn.execute(
                "INSERT INTO user_owner(user_id, app_id, since_ms) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET app_id = excluded.app_id, since_ms = excluded.since_ms",
                (user_id, app_id, now_ms()),
            )
        return str(row["app_id"]) if row else None

    def claim_user(self, app_id: str, user_id: str) -> str:
        """The app owning ``user_id``; the first app to write for it becomes its owner."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO user_owner(user_id, app_id, since_ms) VALUES (?, ?, ?)",
                (user_id, app_id, now_ms()),
            )
            row = conn.execute("SELECT app_id FROM user_owner WHERE user_id = ?", (user_id,)).fetchone()
        return str(row["app_id"])

    def issue_token(self, key: ApiKey, user_id: str, scopes: tuple[str, ...], ttl_s: int) -> tuple[str, int]:
        """A signed user token and its expiry (ms); scopes must be a subset of the key's, never admin."""
        wanted = check_scopes(scopes or tuple(s for s in key.scopes if s != "admin"))
        if "admin" in wanted or not set(wanted) <= set(key.scopes):
            raise Forbidden(
                f"a user token cannot carry scopes {list(wanted)} with this key",
                message_zh="用户令牌的权限不能超出该密钥的权限，且不能包含 admin",
            )
        expires = now_ms() + ttl_s * 1000
        claims = {"app": key.app_id, "kid": key.key_id, "sub": user_id, "scp": list(wanted), "exp": expires}
        payload = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        mac = _b64(hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).digest())
        return f"{TOKEN_PREFIX}{payload}.{mac}", expires

    def verify_token(self, token: str, now: int | None = None) -> UserToken | None:
        """The token's claims if its signature holds, it has not expired and its key is not revoked."""
        body = token.removeprefix(TOKEN_PREFIX)
        payload, _, mac = body.partition(".")
        if not token.startswith(TOKEN_PREFIX) or not mac:
            return None
        expected = _b64(hmac.new(self._secret, payload.encode("ascii", "replace"), hashlib.sha256).digest())
        if not hmac.compare_digest(mac.encode("ascii", "replace"), expected.encode("ascii")):
            return None
        try:
            c = json.loads(_unb64(payload))
            claims = UserToken(str(c["app"]), str(c["kid"]), str(c["sub"]), tuple(c["scp"]), int(c["exp"]))
        except (ValueError, KeyError, TypeError):
            return None
        if claims.expires_ms <= (now if now is not None else now_ms()) or not self.key_active(claims.key_id):
            return None
        return claims
