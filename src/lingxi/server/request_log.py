"""The operator's request log: one row per finished pipeline turn served over HTTP, for the console.

Why a table of its own: the audit log (compliance/audit.py) is a hash-chained legal record that must not
grow operational columns, and the daily quota counter (``usage_daily``) is an aggregate without model or
feature. An operator asks "who used which model how much today, and what was blocked"; that needs, per
request, the app, a pseudonymous user, the feature, the model and provider, tokens, list-price cost, the
screening verdict and the audit record it links to. Rows carry no text and no raw user id: ``user_ref`` is
the audit log's keyed pseudonym, so a row and its audit entry name the user the same way.

Written by the app's pipeline observer (:class:`lingxi.server.metrics.Metrics`) when a turn ends, through the
server's writer thread without waiting for the commit (:meth:`~lingxi.storage.sqlite.Database.write_later`);
days are local days in the configured timezone, as the quotas count them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lingxi.ids import now_ms
from lingxi.pipeline import Turn
from lingxi.storage.sqlite import Database

_MIGRATIONS = (
    """CREATE TABLE request_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        day TEXT NOT NULL,
        request_id TEXT NOT NULL,
        app_id TEXT NOT NULL,
        user_ref TEXT NOT NULL,
        feature TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cost_cny REAL NOT NULL,
        verdict TEXT NOT NULL,
        risks TEXT NOT NULL,
        audit_id TEXT
    )""",
    "CREATE INDEX request_log_by_day ON request_log(day, app_id, model)",
    "CREATE INDEX request_log_by_user ON request_log(user_ref, ts)",
)

_INSERT = (
    "INSERT INTO request_log(ts, day, request_id, app_id, user_ref, feature, model, provider, prompt_tokens, "
    "completion_tokens, cost_cny, verdict, risks, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

#: what a request ended as: answered, refused by the input screen, its answer withheld by the output screen,
#: or refused by a feature's own rule (e.g. a crisis message answered with help lines instead of a model)
VERDICTS = ("pass", "input_blocked", "output_blocked", "refused", "error")
NO_APP = "-"  # auth off: requests have no app
MAX_ROWS = 500


def verdict_of(turn: Turn, error: BaseException | None) -> str:
    if turn.input_screen.blocked:
        return "input_blocked"
    if turn.output_screen.blocked:
        return "output_blocked"
    if turn.refusal is not None:
        return "refused"
    return "error" if error is not None and not isinstance(error, GeneratorExit) else "pass"


@dataclass(frozen=True)
class Filters:
    """A search of the log; every field optional, combined with AND."""

    user_ref: str | None = None
    app_id: str | None = None
    feature: str | None = None
    model: str | None = None
    verdict: str | None = None  # one of VERDICTS, or "blocked" for any of the blocked/refused ones
    since_ms: int | None = None
    until_ms: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        parts: list[str] = []
        args: list[Any] = []
        for column in ("app_id", "feature", "model"):
            value = getattr(self, column)
            if value:
                parts.append(f"{column} = ?")
                args.append(value)
        if self.user_ref:  # a prefix: the console shows pseudonyms shortened
            parts.append("user_ref LIKE ?")
            args.append(self.user_ref.replace("%", "").replace("_", "") + "%")
        if self.verdict == "blocked":
            parts.append("verdict IN ('input_blocked', 'output_blocked', 'refused')")
        elif self.verdict:
            parts.append("verdict = ?")
            args.append(self.verdict)
        if self.since_ms is not None:
            parts.append("ts >= ?")
            args.append(self.since_ms)
        if self.until_ms is not None:
            parts.append("ts < ?")
            args.append(self.until_ms)
        return (" WHERE " + " AND ".join(parts)) if parts else "", args


class RequestLog:
    """Append a row per turn; search rows; sum usage by day, app, model, feature or user."""

    def __init__(self, db: Database, timezone: str, pseudonym: Callable[[str], str]) -> None:
        self.db = db
        self.tz = ZoneInfo(timezone)
        self.pseudonym = pseudonym
        db.migrate("request_log", _MIGRATIONS)

    def day(self, ms: int | None = None) -> str:
        """The local day (``YYYY-MM-DD``) of ``ms`` (default: now)."""
        return datetime.fromtimestamp((now_ms() if ms is None else ms) / 1000, self.tz).date().isoformat()

    def record(self, turn: Turn, app_id: str | None, error: BaseException | None) -> None:
        info = turn.answered_by
        usage = turn.usage
        cost = 0.0
        if info is not None:
            cost = (usage.prompt_tokens * info.cost_input_per_1k_cny
                    + usage.completion_tokens * info.cost_output_per_1k_cny) / 1000  # fmt: skip
        ts = now_ms()
        risks = ",".join([*turn.input_screen.risks, *turn.output_screen.risks])
        row = (
            ts, self.day(ts), turn.request_id, app_id or NO_APP, self.pseudonym(turn.user_id),
            # nothing answered (a blocked input): the model the request asked for, if any
            turn.feature.name, info.name if info else (turn.model or "-"), info.provider if info else "-",
            usage.prompt_tokens, usage.completion_tokens, cost, verdict_of(turn, error), risks, turn.audit_id,
        )  # fmt: skip
        # no response depends on this row (it is the operator's, not the user's guarantee): in a server it is
        # committed by the writer thread, with the next records it commits, after the response if need be
        self.db.write_later(lambda conn: conn.execute(_INSERT, row))

    def search(self, filters: Filters, limit: int = 100) -> list[dict[str, Any]]:
        """Rows matching ``filters``, newest first."""
        where, args = filters.where()
        with self.db.connect() as conn:
            rows = conn.execute(
                f"SELECT * FROM request_log{where} ORDER BY seq DESC LIMIT ?", [*args, min(limit, MAX_ROWS)]
            ).fetchall()
        return [dict(r) for r in rows]

    def usage(self, by: tuple[str, ...], filters: Filters) -> list[dict[str, Any]]:
        """Requests, tokens, cost and blocked requests grouped by ``by`` (columns of :data:`GROUPS`)."""
        cols = [c for c in by if c in GROUPS]
        where, args = filters.where()
        select = ", ".join(cols)
        group = f" GROUP BY {select} ORDER BY {select}" if cols else ""
        with self.db.connect() as conn:
            rows = conn.execute(
                f"SELECT {select + ', ' if cols else ''}COUNT(*) AS requests, "
                "COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens, "
                "COALESCE(SUM(completion_tokens), 0) AS completion_tokens, COALESCE(SUM(cost_cny), 0) AS cost_cny, "
                "COALESCE(SUM(verdict IN ('input_blocked', 'output_blocked', 'refused')), 0) AS blocked "
                f"FROM request_log{where}{group}",
                args,
            ).fetchall()
        return [dict(r) for r in rows]

    def users(self) -> dict[str, dict[str, Any]]:
        """Per user pseudonym: requests today and in all, and the last request's time."""
        today = self.day()
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT user_ref, COUNT(*) AS requests, SUM(day = ?) AS today, MAX(ts) AS last_ts "
                "FROM request_log GROUP BY user_ref",
                (today,),
            ).fetchall()
        return {r["user_ref"]: dict(r) for r in rows}


GROUPS = ("day", "app_id", "model", "provider", "feature", "user_ref", "verdict")
