"""Consent scopes under PIPL: no scope, no use.

Consent is kept as an append-only history of grants and withdrawals (what a regulator or the user may ask
to see); the current state of a scope is its latest record, so a withdrawal takes effect on the very next
request. Financial data (``payments``) is its own scope because PIPL Art. 29 requires separate consent for
sensitive personal information.
"""

from __future__ import annotations

from enum import StrEnum

from lingxi.db import Database
from lingxi.errors import ConsentRequired, InvalidInput
from lingxi.ids import now_ms


class Scope(StrEnum):
    MESSAGES = "messages"
    NOTIFICATIONS = "notifications"
    SHOPPING = "shopping"
    PAYMENTS = "payments"
    LOCATION = "location"
    CLOUD_PROCESSING = "cloud_processing"


SCOPE_NAMES_ZH: dict[Scope, str] = {
    Scope.MESSAGES: "聊天消息",
    Scope.NOTIFICATIONS: "通知",
    Scope.SHOPPING: "购物与订单",
    Scope.PAYMENTS: "支付与金融信息（单独同意）",
    Scope.LOCATION: "位置",
    Scope.CLOUD_PROCESSING: "云端模型处理",
}

_MIGRATIONS = (
    """CREATE TABLE consent_log (
        user_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        granted INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        source TEXT NOT NULL
    )""",
    "CREATE INDEX consent_by_user ON consent_log(user_id, scope, ts)",
)


def parse_scope(value: str) -> Scope:
    """A scope from user input, with a clear error listing the valid ones."""
    try:
        return Scope(value)
    except ValueError:
        valid = ", ".join(s.value for s in Scope)
        raise InvalidInput(
            f"unknown consent scope {value!r}; valid: {valid}",
            message_zh=f"未知的授权范围 {value!r}，可选：{valid}",
        ) from None


class ConsentStore:
    """Grants and withdrawals per user and scope."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("consent", _MIGRATIONS)

    def _record(self, user_id: str, scopes: list[Scope], granted: bool, source: str) -> None:
        ts = now_ms()
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO consent_log(user_id, scope, granted, ts, source) VALUES (?, ?, ?, ?, ?)",
                [(user_id, s.value, int(granted), ts, source) for s in scopes],
            )

    def grant(self, user_id: str, *scopes: Scope, source: str = "api") -> None:
        self._record(user_id, list(scopes), True, source)

    def withdraw(self, user_id: str, *scopes: Scope, source: str = "api") -> None:
        self._record(user_id, list(scopes), False, source)

    def granted(self, user_id: str) -> set[Scope]:
        """Scopes whose latest record is a grant."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT scope, granted FROM consent_log WHERE user_id = ? ORDER BY ts, rowid", (user_id,)
            ).fetchall()
        state: dict[str, bool] = {}
        for row in rows:
            state[row["scope"]] = bool(row["granted"])
        return {Scope(s) for s, ok in state.items() if ok}

    def require(self, user_id: str, scopes: frozenset[Scope]) -> None:
        """Raise :class:`ConsentRequired` naming every missing scope."""
        missing = sorted(s.value for s in scopes - self.granted(user_id))
        if missing:
            raise ConsentRequired(missing)
