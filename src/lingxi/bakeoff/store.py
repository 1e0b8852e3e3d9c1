"""Bake-off results in SQLite, keyed by (run, provider, task, item), so a rerun asks only what is missing.

One row per answered (or failed) item with its score and measurements; one row per provider with the model's
metadata (prices, kind, locality) or the reason it could not be built. The file lives in the run's output
directory, next to the report, so a run is one folder to keep, share or delete.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lingxi.bakeoff.probes import Outcome
from lingxi.storage.sqlite import Database

_SCHEMA = (
    """CREATE TABLE bakeoff_providers (
        run TEXT NOT NULL, provider TEXT NOT NULL, info TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (run, provider))""",
    """CREATE TABLE bakeoff_results (
        run TEXT NOT NULL, provider TEXT NOT NULL, task TEXT NOT NULL, item TEXT NOT NULL,
        grp TEXT NOT NULL DEFAULT '', score REAL, answer TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '', screened INTEGER NOT NULL DEFAULT 0, ttft_ms REAL, total_ms REAL NOT NULL,
        prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, extra TEXT NOT NULL DEFAULT '{}',
        at_ms INTEGER NOT NULL, PRIMARY KEY (run, provider, task, item))""",
)


@dataclass(frozen=True)
class Row:
    """One stored result (``score`` None: unavailable)."""

    provider: str
    task: str
    item: str
    group: str
    score: float | None
    answer: str
    error: str
    model: str
    screened: bool
    ttft_ms: float | None
    total_ms: float
    prompt_tokens: int
    completion_tokens: int
    extra: dict[str, Any]


class ResultStore:
    """The results database of one output directory."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / "bakeoff.db"
        self.db = Database(self.path)
        self.db.migrate("bakeoff", _SCHEMA)

    def set_provider(self, run: str, provider: str, info: dict[str, Any], error: str = "") -> None:
        with self.db.connect() as conn:
            conn.execute(
                "INSERT INTO bakeoff_providers(run, provider, info, error) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(run, provider) DO UPDATE SET info = excluded.info, error = excluded.error",
                (run, provider, json.dumps(info, ensure_ascii=False), error),
            )

    def providers(self, run: str) -> dict[str, tuple[dict[str, Any], str]]:
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT provider, info, error FROM bakeoff_providers WHERE run = ? ORDER BY rowid", (run,)
            ).fetchall()
        return {r["provider"]: (json.loads(r["info"]), r["error"]) for r in rows}

    def done(self, run: str, provider: str, *, include_failed: bool) -> set[tuple[str, str]]:
        """(task, item) pairs already stored; failed ones count as done only with ``include_failed``.

        Items with no model output to judge (``screened``) are done: asking again would give the same.
        """
        sql = "SELECT task, item FROM bakeoff_results WHERE run = ? AND provider = ?"
        if not include_failed:
            sql += " AND (score IS NOT NULL OR screened = 1)"  # screened: nothing to retry
        with self.db.connect() as conn:
            return {(r["task"], r["item"]) for r in conn.execute(sql, (run, provider))}

    def put(self, run: str, provider: str, task: str, item: str, group: str, o: Outcome) -> None:
        with self.db.connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO bakeoff_results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (run, provider, task, item, group, o.score, o.answer, o.error, o.model, int(o.screened), o.ttft_ms,
                 o.total_ms, o.prompt_tokens, o.completion_tokens, json.dumps(o.extra, ensure_ascii=False),
                 int(time.time() * 1000)),
            )  # fmt: skip

    def rows(self, run: str) -> list[Row]:
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT * FROM bakeoff_results WHERE run = ? ORDER BY provider, task, item", (run,)
            ).fetchall()
        return [
            Row(r["provider"], r["task"], r["item"], r["grp"], r["score"], r["answer"], r["error"], r["model"],
                bool(r["screened"]), r["ttft_ms"], r["total_ms"], r["prompt_tokens"], r["completion_tokens"],
                json.loads(r["extra"]))
            for r in rows
        ]  # fmt: skip

    def runs(self) -> list[str]:
        with self.db.connect() as conn:
            return [r["run"] for r in conn.execute("SELECT DISTINCT run FROM bakeoff_providers ORDER BY run")]
