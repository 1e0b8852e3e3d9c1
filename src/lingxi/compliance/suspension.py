"""Temporary suspension of users who keep sending blocked requests (Interim Measures Art. 14).

A provider that finds a user using the service for illegal activity must act (warn, limit, suspend). We
count *blocked inputs* per user: N in a row, or M within a rolling day, suspends the user for T minutes.
A passing input resets the in-a-row count, so an ordinary user who trips the screen once is never locked
out. Everything is in SQLite beside the audit log (own migrations), and every suspension is written to
``suspension_log`` with a pseudonymous user reference, so a compliance officer can show what was done.

Only real violations count (:func:`strike`): before this, false positives of catch-all keywords (网购, 到货,
联系方式) and low-confidence classifier blocks (「没问题。」) were strikes, so five ordinary questions in a row
suspended a user for 30 minutes.

Wiring: :class:`SuspensionGate` runs as a stage right after ``ConsentGate`` (it raises
:class:`UserSuspended` while a suspension lasts), and its :attr:`SuspensionGate.recorder` stage runs right
after ``InputScreen`` to count the verdict.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from lingxi.compliance.screen import ScreenResult
from lingxi.errors import LingxiError
from lingxi.ids import ms_to_datetime, now_ms
from lingxi.privacy.pseudonyms import user_ref
from lingxi.storage.sqlite import Database


class Turn(Protocol):
    """What the suspension stages read of a pipeline turn (the pipeline sits above this layer)."""

    @property
    def user_id(self) -> str: ...

    @property
    def input_screen(self) -> ScreenResult: ...

    def user_text(self) -> str: ...


log = logging.getLogger(__name__)

DAY_MS = 86_400_000

_MIGRATIONS = (
    """CREATE TABLE suspension_state (
        user_ref TEXT PRIMARY KEY,
        consecutive INTEGER NOT NULL DEFAULT 0,
        suspended_until INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE suspension_strike (
        user_ref TEXT NOT NULL,
        ts INTEGER NOT NULL
    )""",
    "CREATE INDEX suspension_strike_user_ts ON suspension_strike(user_ref, ts)",
    """CREATE TABLE suspension_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        user_ref TEXT NOT NULL,
        ts INTEGER NOT NULL,
        until_ts INTEGER NOT NULL,
        reason TEXT NOT NULL
    )""",
)


class UserSuspended(LingxiError):
    """The user is temporarily suspended after repeated blocked requests."""

    code = "user_suspended"
    status = 429
    title = "User temporarily suspended"

    def __init__(self, until_ms: int) -> None:
        when = ms_to_datetime(until_ms).isoformat(timespec="minutes")
        super().__init__(
            f"too many blocked requests; the user is suspended until {when}",
            message_zh=f"由于多次提交违规内容，您的账号已被暂停使用，恢复时间：{when}（UTC）",
            hint="wait until the suspension ends; an operator can lift it with SuspensionStore.lift()",
        )
        self.until_ms = until_ms


@dataclass(frozen=True)
class SuspensionPolicy:
    """``max_consecutive`` blocked inputs in a row, or ``max_per_day`` in 24 h, suspend for ``minutes``.

    A value of 0 disables that trigger. Defaults are lenient on purpose: false positives of the keyword
    layer must not lock ordinary users out.
    """

    max_consecutive: int = 5
    max_per_day: int = 20
    minutes: int = 30


@dataclass(frozen=True)
class SuspensionRecord:
    user_ref: str
    ts: int
    until_ts: int
    reason: str


class SuspensionStore:
    """Counts strikes and holds suspensions, keyed by the audit log's user pseudonym."""

    def __init__(self, db: Database, policy: SuspensionPolicy | None = None) -> None:
        self.db = db
        self.policy = policy or SuspensionPolicy()
        db.migrate("suspension", _MIGRATIONS)

    def suspended_until(self, user_id: str, now: int | None = None) -> int | None:
        """End of the user's current suspension (UTC ms), or None if they may use the service."""
        now = now_ms() if now is None else now
        with self.db.connect() as conn:
            row = conn.execute(
                "SELECT suspended_until FROM suspension_state WHERE user_ref = ?", (user_ref(user_id),)
            ).fetchone()
        until = int(row["suspended_until"]) if row else 0
        return until if until > now else None

    def record(self, user_id: str, blocked: bool, now: int | None = None) -> int | None:
        """Count one screened input; return the suspension end if this one triggered a suspension."""
        now = now_ms() if now is None else now
        ref, p = user_ref(user_id), self.policy
        if not blocked:  # the common case: a write only when there is an in-a-row count to reset
            with self.db.connect() as conn:
                row = conn.execute("SELECT consecutive FROM suspension_state WHERE user_ref = ?", (ref,)).fetchone()
            if row is None or not row["consecutive"]:
                return None
            with self.db.transaction() as conn:
                conn.execute("UPDATE suspension_state SET consecutive = 0 WHERE user_ref = ?", (ref,))
            return None
        with self.db.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO suspension_state(user_ref) VALUES (?)", (ref,))
            conn.execute("INSERT INTO suspension_strike(user_ref, ts) VALUES (?, ?)", (ref, now))
            conn.execute("DELETE FROM suspension_strike WHERE ts < ?", (now - DAY_MS,))  # keep the table small
            conn.execute("UPDATE suspension_state SET consecutive = consecutive + 1 WHERE user_ref = ?", (ref,))
            consecutive = int(
                conn.execute("SELECT consecutive FROM suspension_state WHERE user_ref = ?", (ref,)).fetchone()[0]
            )
            today = int(
                conn.execute(
                    "SELECT COUNT(*) FROM suspension_strike WHERE user_ref = ? AND ts > ?", (ref, now - DAY_MS)
                ).fetchone()[0]
            )
            reason = None
            if p.max_consecutive and consecutive >= p.max_consecutive:
                reason = f"{consecutive} blocked inputs in a row"
            elif p.max_per_day and today >= p.max_per_day:
                reason = f"{today} blocked inputs within 24 h"
            if reason is None:
                return None
            until = now + p.minutes * 60_000
            conn.execute(
                "UPDATE suspension_state SET consecutive = 0, suspended_until = ? WHERE user_ref = ?", (until, ref)
            )
            conn.execute("DELETE FROM suspension_strike WHERE user_ref = ?", (ref,))
            conn.execute(
                "INSERT INTO suspension_log(user_ref, ts, until_ts, reason) VALUES (?, ?, ?, ?)",
                (ref, now, until, reason),
            )
        log.warning("user %s suspended until %s: %s", ref, ms_to_datetime(until).isoformat(), reason)
        return until

    def lift(self, user_id: str) -> None:
        """End a suspension early (an operator's decision, e.g. after a complaint), and log it."""
        ref, now = user_ref(user_id), now_ms()
        with self.db.transaction() as conn:
            conn.execute("UPDATE suspension_state SET suspended_until = 0, consecutive = 0 WHERE user_ref = ?", (ref,))
            conn.execute(
                "INSERT INTO suspension_log(user_ref, ts, until_ts, reason) VALUES (?, ?, ?, ?)",
                (ref, now, now, "lifted by operator"),
            )
        log.info("suspension of user %s lifted", ref)

    def history(self, limit: int = 100) -> list[SuspensionRecord]:
        """Newest suspensions (and lifts) first."""
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT user_ref, ts, until_ts, reason FROM suspension_log ORDER BY seq DESC LIMIT ?", (limit,)
            ).fetchall()
        return [SuspensionRecord(r["user_ref"], r["ts"], r["until_ts"], r["reason"]) for r in rows]


class _Recorder:
    """The stage after input screening: count the verdict."""

    def __init__(self, gate: SuspensionGate) -> None:
        self._gate = gate

    async def run(self, turn: Turn) -> None:
        self._gate.record(turn)


class SuspensionGate:
    """Pipeline stage: refuse a suspended user before anything is read or generated."""

    def __init__(self, store: SuspensionStore) -> None:
        self.store = store
        self.recorder = _Recorder(self)

    async def run(self, turn: Turn) -> None:
        # wall-clock time, not turn.now_ms: a caller-supplied clock must not shorten a suspension
        until = self.store.suspended_until(turn.user_id)
        if until is not None:
            raise UserSuspended(until)

    def record(self, turn: Turn) -> int | None:
        """Count ``turn``'s input verdict (call after input screening); turns with no user text don't count."""
        if not turn.user_text():
            return None
        return self.store.record(turn.user_id, strike(turn.input_screen))


# A classifier block counts as a strike only when the model is this sure: a borderline false positive (an
# ordinary question scored just above its threshold) must not add up to a suspension.
STRIKE_SCORE = 0.9


def strike(result: ScreenResult) -> bool:
    """Whether a verdict is a real violation: a keyword or guard block, or a classifier block ≥ STRIKE_SCORE.

    A block of the restored-reading layer (pinyin or same-sound text spelt back) is judged by what decided it:
    a keyword on the reading is a strike, the classifier's probability on it only ≥ STRIKE_SCORE, as when the
    classifier did that respelling itself. Crisis messages are never blocks, so a person in distress is never
    suspended."""
    if not result.blocked:
        return False
    if result.layer == "classifier":
        return max((v for k, v in result.scores.items() if k.endswith("unsafe")), default=1.0) >= STRIKE_SCORE
    if result.layer == "restored":
        # the reading's own scores: prefixed "restored:" inside a layered screen, bare when the layer ran alone
        mine = {k.removeprefix("restored:"): v for k, v in result.scores.items() if k.startswith("restored:")}
        decided = (mine or result.scores).get("classifier:unsafe")
        return decided is None or decided >= STRIKE_SCORE
    return True
