"""Minors mode: daily time limit, night curfew, stricter screening, no personalized shopping.

Interim Measures Art. 10 asks providers to keep minors from over-relying on or becoming addicted to the
service; the Regulations on the Online Protection of Minors (2024, Art. 43) and the CAC's 《移动互联网未成年人
模式建设指南》 describe how: no service from 22:00 to 06:00, a daily time limit (40 minutes for the youngest
band is the guide's figure and our default), content suited to the age, and no personalized marketing
(Minors Protection Law Art. 74; PIPL Art. 24 on automated decisions).

Who is a minor comes from the consent store's age band: ``under_14`` *and* ``14_17`` are minors here (the
law's line is 18), while the consent gate's stricter guardian rule applies to under-14s only. Usage is kept
per user per *local* day (the curfew and the day both follow the policy's time zone, Asia/Shanghai by
default). Without a client telling us how long the app was in the foreground, :meth:`MinorsUsage.touch`
estimates it from requests: the gap since the previous request counts if it is short (the user was still
there), otherwise one minute is charged. Apps that measure real foreground time call :meth:`add_seconds`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from lingxi.errors import LingxiError
from lingxi.ids import now_ms
from lingxi.policies import MinorsPolicy as MinorsPolicy  # re-exported: where callers always found it
from lingxi.policies import _clock
from lingxi.privacy.consent import AgeBand, ConsentStatus, ConsentStore
from lingxi.storage.sqlite import Database


class Turn(Protocol):
    """What the minors gate reads and sets on a pipeline turn (the pipeline sits above this layer)."""

    user_id: str
    now_ms: int
    minor: bool
    consent: ConsentStatus | None  # read once per turn by the consent gate


_Charge = Callable[[int | None], int]  # seconds to add, given the last request's time
MINOR_BANDS = frozenset({AgeBand.UNDER_14, AgeBand.FROM_14_TO_17})

_MIGRATIONS = (
    """CREATE TABLE minors_usage (
        user_id TEXT NOT NULL,
        day TEXT NOT NULL,
        seconds INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        PRIMARY KEY (user_id, day)
    )""",
)


def is_minor(status: ConsentStatus) -> bool:
    """Under 18 by the recorded age band (unknown counts as adult: the app must ask, we cannot guess)."""
    return status.age_band in MINOR_BANDS


def allows_personalized_shopping(status: ConsentStatus) -> bool:
    """Whether shopping suggestions and ads may use the user's profile: never for minors."""
    return not is_minor(status)


def screen_threshold(status: ConsentStatus, policy: MinorsPolicy, adult: float = 0.5) -> float:
    """The screening threshold a screener should use for this user (lower = stricter)."""
    return min(policy.screen_threshold, adult) if is_minor(status) else adult


@dataclass(frozen=True)
class MinorsDecision:
    allowed: bool
    reason_zh: str = ""
    minor: bool = False
    used_s: int = 0
    limit_s: int = 0


class MinorsBlocked(LingxiError):
    """A minor's request outside the allowed hours or over the daily limit (Interim Measures Art. 10)."""

    code = "minors_mode"
    status = 403
    title = "Blocked by minors mode"


class MinorsUsage:
    """Per-user, per-local-day usage, and the decision for a request at a given moment."""

    def __init__(self, db: Database, consents: ConsentStore, policy: MinorsPolicy | None = None) -> None:
        self.db = db
        self.consents = consents
        self.policy = policy or MinorsPolicy()
        db.migrate("minors", _MIGRATIONS)

    def _local(self, at_ms: int) -> datetime:
        return datetime.fromtimestamp(at_ms / 1000, tz=self.policy.tz)

    def in_curfew(self, at_ms: int) -> bool:
        t = self._local(at_ms).time()
        start, end = _clock(self.policy.curfew_start), _clock(self.policy.curfew_end)
        return (start <= t or t < end) if start > end else (start <= t < end)

    def used_seconds(self, user_id: str, at_ms: int) -> int:
        day = self._local(at_ms).date().isoformat()
        with self.db.connect() as conn:
            row = conn.execute(
                "SELECT seconds FROM minors_usage WHERE user_id = ? AND day = ?", (user_id, day)
            ).fetchone()
        return int(row["seconds"]) if row else 0

    def add_seconds(self, user_id: str, seconds: int, at_ms: int | None = None) -> int:
        """Add measured foreground time; returns the day's total."""
        return self._add(user_id, at_ms if at_ms is not None else now_ms(), lambda _last: max(0, seconds))

    def touch(self, user_id: str, at_ms: int | None = None) -> int:
        """Count one request (see the module doc for the estimate); returns the day's total."""
        policy = self.policy

        def charge(last: int | None) -> int:
            gap = None if last is None else (at - last) // 1000
            return gap if gap is not None and 0 <= gap <= policy.idle_gap_s else policy.request_charge_s

        at = at_ms if at_ms is not None else now_ms()
        return self._add(user_id, at, charge)

    def _add(self, user_id: str, at: int, charge: _Charge) -> int:
        day = self._local(at).date().isoformat()
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT seconds, last_ms FROM minors_usage WHERE user_id = ? AND day = ?", (user_id, day)
            ).fetchone()
            total = (int(row["seconds"]) if row else 0) + charge(int(row["last_ms"]) if row else None)
            conn.execute(
                "INSERT INTO minors_usage(user_id, day, seconds, last_ms) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(user_id, day) DO UPDATE SET seconds = excluded.seconds, last_ms = excluded.last_ms",
                (user_id, day, total, at),
            )
        return total

    def check(self, user_id: str, at_ms: int | None = None, status: ConsentStatus | None = None) -> MinorsDecision:
        """May this user be served now? Adults (and unknown ages) always may.

        ``status`` is the user's consent status when the caller has just read it (the consent gate keeps it
        on the turn); None reads it here.
        """
        at = at_ms if at_ms is not None else now_ms()
        if not is_minor(status if status is not None else self.consents.status(user_id)):
            return MinorsDecision(True)
        limit = self.policy.daily_limit_min * 60
        used = self.used_seconds(user_id, at)
        if self.in_curfew(at):
            window = f"{self.policy.curfew_start}–{self.policy.curfew_end}"
            return MinorsDecision(False, f"未成年人模式：夜间（{window}）暂停服务，请早点休息", True, used, limit)
        if used >= limit:
            return MinorsDecision(
                False,
                f"已到未成年人模式的使用时间上限（每日 {self.policy.daily_limit_min} 分钟），明天再来吧",
                True,
                used,
                limit,
            )
        return MinorsDecision(True, "", True, used, limit)


class MinorsGate:
    """Pipeline stage, right after the consent gate: refuse a minor's request in curfew or over the limit.

    An allowed request is counted (:meth:`MinorsUsage.touch`) before anything else runs, so a refused or
    failed generation still counts as time spent — the user was using the app.
    """

    def __init__(self, usage: MinorsUsage) -> None:
        self.usage = usage

    async def run(self, turn: Turn) -> None:
        decision = self.usage.check(turn.user_id, turn.now_ms, status=turn.consent)
        if not decision.allowed:
            raise MinorsBlocked(
                f"minors mode: request refused at {turn.now_ms} (used {decision.used_s}s of {decision.limit_s}s)",
                message_zh=decision.reason_zh,
                hint="minors mode applies to age bands under_14 and 14_17; the limits are in settings [minors]",
            )
        turn.minor = decision.minor
        if decision.minor:  # a minor: count the request
            self.usage.touch(turn.user_id, turn.now_ms)
