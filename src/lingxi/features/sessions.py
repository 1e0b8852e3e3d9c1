"""Assistant sessions: per-user conversations in SQLite, sealed with the home's vault.

A session keeps its messages (so a language model sees the conversation) and a small state: the last
question's plan (so 「那它现在到哪了？」 can reuse the order the previous turn was about) and the pending actions
waiting for the user's confirmation. Like events, every payload is sealed by the
:class:`~lingxi.privacy.crypto.Vault` bound to ``(user_id, session_id)``: a row copied to another user, or
another session, does not open. A session is only ever read with its owner's id; asking for another user's
session is indistinguishable from asking for one that does not exist (:class:`NotFound`).
"""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel, Field, ValidationError, ValidatorFunctionWrapHandler, field_validator

from lingxi.errors import NotFound
from lingxi.ids import now_ms, uuid7
from lingxi.privacy.crypto import Vault
from lingxi.privacy.sealed import SealedColumn, by_user, register
from lingxi.query.plan import Plan
from lingxi.storage.sqlite import Database

_MIGRATIONS = (
    """CREATE TABLE assistant_sessions (
        user_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        state BLOB NOT NULL,
        PRIMARY KEY (user_id, session_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE assistant_messages (
        user_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        payload BLOB NOT NULL,
        PRIMARY KEY (user_id, session_id, seq)
    ) WITHOUT ROWID""",
)
register(
    SealedColumn(
        "assistant_sessions", "state", ("user_id", "session_id"), by_user, lambda r: f"session:{r['session_id']}"
    ),
    SealedColumn(
        "assistant_messages",
        "payload",
        ("user_id", "session_id", "seq"),
        by_user,
        lambda r: f"session:{r['session_id']}:{r['seq']}",
    ),
)

HISTORY_TURNS = 6  # messages a model sees from earlier turns


class PendingAction(BaseModel):
    """A side-effect tool call waiting for the user's yes or no."""

    action_id: str
    tool: str
    args: dict[str, object]
    summary_zh: str
    status: str = "pending"  # pending | done | cancelled


class SessionState(BaseModel):
    last_plan: Plan | None = None  # the previous question's plan, for 「它」-style follow-ups
    pending: dict[str, PendingAction] = Field(default_factory=dict)

    @field_validator("last_plan", mode="wrap")
    @classmethod
    def _stale_plan_is_dropped(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Plan | None:
        """A plan stored by another version that no longer validates only loses the follow-up, not the session."""
        try:
            return cast("Plan | None", handler(value))
        except ValidationError:
            return None


class ChatLine(BaseModel):
    role: str
    content: str


class Session(BaseModel):
    session_id: str
    user_id: str
    state: SessionState = Field(default_factory=SessionState)
    history: list[ChatLine] = Field(default_factory=list)


class SessionStore:
    """Sessions of many users in one database; every read is scoped to one ``user_id``."""

    def __init__(self, db: Database, vault: Vault) -> None:
        self.db = db
        self.vault = vault
        db.migrate("assistant_sessions", _MIGRATIONS)

    def _seal(self, user_id: str, record: str, data: str) -> bytes:
        return self.vault.seal(data.encode(), user_id=user_id, record_id=record)

    def open(self, user_id: str, session_id: str | None) -> Session:
        """The user's session ``session_id`` (NotFound if it is not theirs), or a new one when None."""
        if session_id is None:
            session = Session(session_id=uuid7(), user_id=user_id)
            now = now_ms()
            with self.db.transaction() as conn:
                conn.execute(
                    "INSERT INTO assistant_sessions(user_id, session_id, created_at, updated_at, state) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (user_id, session.session_id, now, now, self._state_blob(session)),
                )
            return session
        with self.db.connect() as conn:
            row = conn.execute(
                "SELECT state FROM assistant_sessions WHERE user_id = ? AND session_id = ?", (user_id, session_id)
            ).fetchone()
            if row is None:
                raise NotFound(
                    f"no assistant session {session_id!r} for this user",
                    message_zh="找不到该会话",
                    hint="omit session_id to start a new session",
                )
            rows = conn.execute(
                "SELECT seq, payload FROM assistant_messages WHERE user_id = ? AND session_id = ? "
                "ORDER BY seq DESC LIMIT ?",
                (user_id, session_id, HISTORY_TURNS),
            ).fetchall()
        state = self.vault.open(row["state"], user_id=user_id, record_id=f"session:{session_id}")
        history = [
            ChatLine.model_validate_json(
                self.vault.open(r["payload"], user_id=user_id, record_id=f"session:{session_id}:{r['seq']}")
            )
            for r in reversed(rows)
        ]
        return Session(
            session_id=session_id, user_id=user_id, state=SessionState.model_validate_json(state), history=history
        )

    def _state_blob(self, session: Session) -> bytes:
        return self._seal(session.user_id, f"session:{session.session_id}", session.state.model_dump_json())

    def save(self, session: Session, new_lines: list[ChatLine]) -> None:
        """Store the session's state and append ``new_lines`` to its messages, in one transaction."""
        uid, sid = session.user_id, session.session_id
        now = now_ms()
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE assistant_sessions SET state = ?, updated_at = ? WHERE user_id = ? AND session_id = ?",
                (self._state_blob(session), now, uid, sid),
            )
            row = conn.execute(
                "SELECT COALESCE(MAX(seq), 0) AS n FROM assistant_messages WHERE user_id = ? AND session_id = ?",
                (uid, sid),
            ).fetchone()
            seq = int(row["n"])
            for line in new_lines:
                seq += 1
                conn.execute(
                    "INSERT INTO assistant_messages(user_id, session_id, seq, ts, payload) VALUES (?, ?, ?, ?, ?)",
                    (uid, sid, seq, now, self._seal(uid, f"session:{sid}:{seq}", line.model_dump_json())),
                )
        session.history.extend(new_lines)

    def export_user(self, user_id: str) -> list[dict[str, object]]:
        """Every session of ``user_id`` with all its messages, decrypted (subject rights: export)."""
        with self.db.connect() as conn:
            sessions = conn.execute(
                "SELECT session_id, created_at FROM assistant_sessions WHERE user_id = ? ORDER BY created_at",
                (user_id,),
            ).fetchall()
            out: list[dict[str, object]] = []
            for s in sessions:
                sid = str(s["session_id"])
                rows = conn.execute(
                    "SELECT seq, ts, payload FROM assistant_messages WHERE user_id = ? AND session_id = ? ORDER BY seq",
                    (user_id, sid),
                ).fetchall()
                messages = [
                    {
                        "ts": int(r["ts"]),
                        **ChatLine.model_validate_json(
                            self.vault.open(r["payload"], user_id=user_id, record_id=f"session:{sid}:{r['seq']}")
                        ).model_dump(),
                    }
                    for r in rows
                ]
                out.append({"session_id": sid, "created_at": int(s["created_at"]), "messages": messages})
        return out

    def delete_user(self, user_id: str) -> int:
        """Forget every session of ``user_id`` (subject rights); returns the number of sessions."""
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM assistant_messages WHERE user_id = ?", (user_id,))
            return int(conn.execute("DELETE FROM assistant_sessions WHERE user_id = ?", (user_id,)).rowcount)
