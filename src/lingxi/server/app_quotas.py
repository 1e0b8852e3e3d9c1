"""Per-app daily token quotas an operator sets in the console, overriding ``server.daily_tokens_per_app``.

Kept in the database (not the settings file) because every worker must see the operator's change at once
and a restart must not lose it; :class:`lingxi.server.limits.Limits` reads it on each check (one indexed
row: the check already reads today's usage from the same database).
"""

from __future__ import annotations

from lingxi.errors import InvalidInput
from lingxi.ids import now_ms
from lingxi.storage.sqlite import Database

_MIGRATIONS = (
    "CREATE TABLE app_quota (app_id TEXT PRIMARY KEY, daily_tokens INTEGER NOT NULL, updated_ms INTEGER NOT NULL)",
)


class AppQuotas:
    """``app_id`` → daily tokens (0: unlimited); an app without a row uses the configured default."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("app_quota", _MIGRATIONS)

    def get(self, app_id: str) -> int | None:
        with self.db.connect() as conn:
            row = conn.execute("SELECT daily_tokens FROM app_quota WHERE app_id = ?", (app_id,)).fetchone()
        return int(row["daily_tokens"]) if row else None

    def all(self) -> dict[str, int]:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT app_id, daily_tokens FROM app_quota ORDER BY app_id").fetchall()
        return {str(r["app_id"]): int(r["daily_tokens"]) for r in rows}

    def set(self, app_id: str, daily_tokens: int | None) -> None:
        """Set the app's quota; None removes the override (back to the configured default)."""
        if daily_tokens is not None and daily_tokens < 0:
            raise InvalidInput("daily_tokens must be >= 0", message_zh="每日 token 配额不能为负数")
        with self.db.transaction() as conn:
            if daily_tokens is None:
                conn.execute("DELETE FROM app_quota WHERE app_id = ?", (app_id,))
                return
            conn.execute(
                "INSERT INTO app_quota(app_id, daily_tokens, updated_ms) VALUES (?, ?, ?) ON CONFLICT(app_id) "
                "DO UPDATE SET daily_tokens = excluded.daily_tokens, updated_ms = excluded.updated_ms",
                (app_id, daily_tokens, now_ms()),
            )
