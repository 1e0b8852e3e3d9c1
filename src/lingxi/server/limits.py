"""Limits: rate limits per API key and per end user, daily token quotas, body size, and a request timeout.

Rate limits are token buckets held in memory, per process. A multi-worker deployment therefore enforces
``rate × workers`` in total; we accept that (and document: set the rates per worker) rather than share
buckets through PostgreSQL, because a bucket check must cost microseconds on every request while a database
round trip costs a millisecond and makes the database a single point every request waits on. What must be
exact across workers and restarts — the daily token quotas, which cost money — is persisted in the database
(``usage_daily``), which every worker shares.

Every refusal is problem JSON: 429 with ``Retry-After``, 413 for a body over the limit (checked on
``Content-Length`` and again while the body streams in), 408 when the body trickles in (no piece within
``body_timeout_s``), 504 when no response has started within the timeout. Streams are not cut by the
timeout once they have started; their models have deadlines of their own.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lingxi.config import ServerSettings
from lingxi.errors import LingxiError
from lingxi.server.app_quotas import AppQuotas
from lingxi.server.problems import error_response
from lingxi.storage.sqlite import Database

_MIGRATIONS = (
    """CREATE TABLE usage_daily (
        subject TEXT NOT NULL,
        day TEXT NOT NULL,
        tokens INTEGER NOT NULL,
        PRIMARY KEY (subject, day)
    )""",
)


class RateLimited(LingxiError):
    code = "rate_limited"
    status = 429
    title = "Too many requests"

    def __init__(self, message: str, *, message_zh: str, retry_after_s: int, hint: str | None = None) -> None:
        super().__init__(message, message_zh=message_zh, hint=hint)
        self.retry_after_s = max(1, retry_after_s)


class BodyTooLarge(LingxiError):
    code = "body_too_large"
    status = 413
    title = "Request body too large"


class BodyTimeout(LingxiError):
    code = "body_timeout"
    status = 408
    title = "Request body timed out"


class RequestTimeout(LingxiError):
    code = "timeout"
    status = 504
    title = "Request timed out"


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class RateLimiter:
    """Token buckets by key: ``rate`` tokens per second, at most ``burst`` saved up."""

    rate: float
    burst: int
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one token for ``key``: 0.0 when allowed, else the seconds until one is available."""
        t = time.monotonic() if now is None else now
        with self._lock:
            b = self._buckets.get(key)
            if b is None:
                if len(self._buckets) > 100_000:  # drop idle buckets rather than grow without bound
                    self._buckets = {k: v for k, v in self._buckets.items() if t - v.stamp < 60}
                b = self._buckets[key] = _Bucket(float(self.burst), t)
            b.tokens = min(float(self.burst), b.tokens + (t - b.stamp) * self.rate)
            b.stamp = t
            if b.tokens >= 1.0:
                b.tokens -= 1.0
                return 0.0
            return (1.0 - b.tokens) / self.rate


class QuotaStore:
    """Model tokens used per subject per local day, persisted (shared by every worker on the database)."""

    def __init__(self, db: Database, timezone: str) -> None:
        self.db = db
        self.tz = ZoneInfo(timezone)
        db.migrate("server_quota", _MIGRATIONS)

    def _day(self, now: float | None = None) -> datetime:
        return datetime.fromtimestamp(time.time() if now is None else now, self.tz)

    def add(self, subject: str, tokens: int) -> None:
        """Add ``tokens`` (negative: give back part of a reservation) to today's count."""
        if tokens == 0:
            return
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO usage_daily(subject, day, tokens) VALUES (?, ?, ?) "
                "ON CONFLICT(subject, day) DO UPDATE SET tokens = tokens + excluded.tokens",
                (subject, self._day().date().isoformat(), tokens),
            )

    def used(self, subject: str) -> int:
        with self.db.connect() as conn:
            row = conn.execute(
                "SELECT tokens FROM usage_daily WHERE subject = ? AND day = ?",
                (subject, self._day().date().isoformat()),
            ).fetchone()
        return int(row["tokens"]) if row else 0

    def reserve(self, subjects: list[tuple[str, int, str]], tokens: int) -> None:
        """Add ``tokens`` to every ``(subject, limit, what_zh)`` at once, or to none and raise
        :class:`RateLimited` when any would pass its limit (one transaction: concurrent callers cannot
        both take the last tokens)."""
        day = self._day().date().isoformat()
        with self.db.transaction() as conn:
            for subject, limit, what_zh in subjects:
                conn.execute(
                    "INSERT INTO usage_daily(subject, day, tokens) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
                    (subject, day),
                )
                cur = conn.execute(
                    "UPDATE usage_daily SET tokens = tokens + ? WHERE subject = ? AND day = ? AND (? <= 0 OR "
                    "tokens + ? <= ?)",
                    (tokens, subject, day, limit, tokens, limit),
                )
                if not cur.rowcount:
                    raise self._used_up(limit, what_zh)  # the transaction rolls back: nothing reserved

    def check(self, subject: str, limit: int, what_zh: str) -> None:
        """Raise :class:`RateLimited` (until local midnight) when ``subject`` has used ``limit`` tokens today."""
        if limit <= 0 or self.used(subject) < limit:
            return
        raise self._used_up(limit, what_zh)

    def _used_up(self, limit: int, what_zh: str) -> RateLimited:
        now = self._day()
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return RateLimited(
            f"daily token quota of {limit} used up",
            message_zh=f"{what_zh}今日的模型用量（{limit} tokens）已用完，请明天再试",
            retry_after_s=math.ceil((midnight - now).total_seconds()),
            hint="raise server.daily_tokens_per_app / daily_tokens_per_user, or wait for the next day",
        )


def user_subject(user_id: str) -> str:
    """A quota subject for a user that does not spell out the user id."""
    return "user:" + hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:32]


class Limits:
    """The limiters and quotas of one app."""

    def __init__(self, settings: ServerSettings, db: Database, timezone: str) -> None:
        self.settings = settings
        self.per_key = RateLimiter(settings.key_rate_per_s, settings.key_burst)
        self.per_user = RateLimiter(settings.user_rate_per_s, settings.user_burst)
        self.quotas = QuotaStore(db, timezone)
        self.app_quotas = AppQuotas(db)

    def app_limit(self, app_id: str) -> int:
        """The app's daily token quota: the operator's setting for it, else ``server.daily_tokens_per_app``."""
        own = self.app_quotas.get(app_id)
        return self.settings.daily_tokens_per_app if own is None else own

    def check_key(self, key_id: str, app_id: str) -> None:
        wait = self.per_key.take(key_id)
        if wait:
            raise RateLimited(
                "too many requests for this API key",
                message_zh="该 API 密钥请求过于频繁，请稍后再试",
                retry_after_s=math.ceil(wait),
            )
        self.quotas.check("app:" + app_id, self.app_limit(app_id), "本应用")

    def check_user(self, user_id: str) -> None:
        wait = self.per_user.take(user_id)
        if wait:
            raise RateLimited(
                "too many requests for this user",
                message_zh="该用户请求过于频繁，请稍后再试",
                retry_after_s=math.ceil(wait),
            )
        self.quotas.check(user_subject(user_id), self.settings.daily_tokens_per_user, "该用户")

    def record(self, app_id: str, user_id: str, tokens: int) -> None:
        """Count ``tokens`` used (or, negative, released) for the app and the user."""
        self.quotas.add("app:" + app_id, tokens)
        self.quotas.add(user_subject(user_id), tokens)

    def reserve(self, app_id: str, user_id: str, tokens: int) -> None:
        """Reserve ``tokens`` of both daily quotas before generating (see :mod:`lingxi.server.quota`)."""
        self.quotas.reserve(
            [
                ("app:" + app_id, self.app_limit(app_id), "本应用"),
                (user_subject(user_id), self.settings.daily_tokens_per_user, "该用户"),
            ],
            tokens,
        )


def limit_problem(exc: LingxiError, path: str) -> Any:
    """Problem JSON for a limit error, with ``Retry-After`` on a 429."""
    response = error_response(exc, path)
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after_s)
    return response


class LimitsMiddleware:
    """Body size, the time to the response start, and the per-key rate limit (after authentication)."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings, path = self.limits.settings, scope["path"]
        limit = settings.max_body_bytes

        def too_large() -> BodyTooLarge:  # made only for a request that is too large, not for every request
            return BodyTooLarge(
                f"the request body exceeds {limit} bytes",
                message_zh=f"请求体超过上限（{limit} 字节）",
                hint="send less data per request",
            )

        ident = scope.get("state", {}).get("identity")
        try:
            if ident is not None and ident.enforced and ident.key_id:
                self.limits.check_key(ident.key_id, ident.app_id)
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > limit:
                raise too_large()
        except LingxiError as exc:
            await limit_problem(exc, path)(scope, receive, send)
            return

        size, overflow, started, body_done = 0, False, False, False

        async def guarded_receive() -> Message:
            nonlocal size, overflow, body_done
            if body_done:  # after the body, receive() only waits for a disconnect: no time limit
                return await receive()
            try:
                async with asyncio.timeout(settings.body_timeout_s):  # a trickling body (slowloris) is cut
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(
                    f"no part of the request body arrived within {settings.body_timeout_s:g} s",
                    message_zh="请求体发送过慢，连接已超时",
                    hint="send the body at once, or raise server.body_timeout_s",
                ) from None
            body_done = message["type"] != "http.request" or not message.get("more_body", False)
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    overflow = True
                    raise too_large()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if overflow:
                return  # the app's own error response for the aborted read is replaced by a 413
            if message["type"] == "http.response.start":
                started = True
                deadline.reschedule(None)  # a started stream is not cut by the request timeout
            await send(message)

        try:
            async with asyncio.timeout(settings.request_timeout_s) as deadline:
                await self.app(scope, guarded_receive, guarded_send)
        except TimeoutError:
            if started:
                raise
            timeout = RequestTimeout(
                f"no response within {settings.request_timeout_s:g} s",
                message_zh="请求处理超时，请稍后重试",
                hint="retry, use stream=true, or raise server.request_timeout_s",
            )
            await limit_problem(timeout, path)(scope, receive, send)
            return
        except BodyTimeout as exc:  # raised to a reader outside the routes' handlers (the JSON guard)
            if started:
                raise
            await limit_problem(exc, path)(scope, receive, send)
            return
        except Exception:
            if not overflow:
                raise
        if overflow and not started:
            await limit_problem(too_large(), path)(scope, receive, send)
