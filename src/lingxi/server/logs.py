"""Structured JSON logs: one access record per request, and the per-request context other parts fill in.

Records carry the request id, route template, status, latency, model, app id and — only as a keyed hash —
the user id. They never carry user text, raw user ids, query strings or headers: the log is operational
data that ships to third-party log stores, while user data must stay where PIPL consent put it. The keyed
hash (HMAC with the server secret) lets an operator correlate one user's requests without being able to
enumerate ids from a list of candidates.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sys
import time
import traceback
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import orjson

ACCESS = logging.getLogger("lingxi.access")
_FIELDS = ("request_id", "method", "route", "status", "latency_ms", "model", "app_id", "user", "event")


@dataclass
class RequestContext:
    """What one request has learned about itself so far (set by auth, the pipeline observer, the app)."""

    request_id: str
    started: float = field(default_factory=time.perf_counter)
    app_id: str | None = None
    user: str | None = None  # keyed hash of the user id
    model: str | None = None
    tokens: int = 0
    owner: object = None  # the app's metrics object, so an observer counts only its own app's requests
    reserved: dict[int, tuple[str, int]] = field(default_factory=dict)  # id(turn) -> (user id, quota tokens)


current: ContextVar[RequestContext | None] = ContextVar("lingxi_request", default=None)


def user_hash(secret: bytes, user_id: str) -> str:
    """A stable pseudonym for ``user_id`` in logs: 16 hex digits of an HMAC with the server secret."""
    return hmac.new(secret, b"log:" + user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the known structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in _FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                doc[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            # the type and the code's frames: an exception's message can quote user text or ids
            exc = record.exc_info[1]
            doc["exc"] = type(exc).__name__ + "\n" + "".join(traceback.format_tb(exc.__traceback__))
        try:  # UTF-8 kept, as ensure_ascii=False did; several times faster than json for every access line
            return orjson.dumps(doc).decode()
        except orjson.JSONEncodeError:  # e.g. a lone surrogate in a message: the standard library writes it
            return json.dumps(doc, ensure_ascii=False)


def configure(level: int = logging.INFO) -> None:
    """Send lingxi's and uvicorn's logs to stderr as JSON lines (``lingxi serve`` calls this once)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("lingxi", "uvicorn"):
        root = logging.getLogger(name)
        root.handlers = [handler]
        root.setLevel(level)
        root.propagate = False


def access(ctx: RequestContext, *, method: str, route: str, status: int) -> None:
    """Log the finished request (never its body, query or headers)."""
    latency = round((time.perf_counter() - ctx.started) * 1000, 2)
    ACCESS.info(
        "%s %s %d %.1fms",
        method,
        route,
        status,
        latency,
        extra={
            "event": "request",
            "request_id": ctx.request_id,
            "method": method,
            "route": route,
            "status": status,
            "latency_ms": latency,
            "model": ctx.model,
            "app_id": ctx.app_id,
            "user": ctx.user,
        },
    )
