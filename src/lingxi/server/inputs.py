"""Input the routes must never see: JSON that Python's parser accepts but the rest of the path cannot hold.

``json.loads`` accepts lone UTF-16 surrogates (``"\\ud800"``), which later fail to encode to UTF-8 deep in
the pipeline (a 500, possibly after part of the work was written), and integers of any size, which later
overflow SQLite's 64-bit integers. Field constraints catch most integers, but not those inside free-form
members (``tools[].function.parameters``, ``app_action.params``). This middleware refuses both at the door
with a 400 problem, before any route reads the body, so nothing is half-done.

Cost: two substring searches over the body (a ``\\u``, and 19 digits in a row once every digit is made ``0``),
then one regular expression only where one of them is found; only a body that contains a surrogate escape or a
run of 19+ digits (rare: emoji escaped by ``ensure_ascii`` clients, long numbers) is parsed a second time,
by pydantic's Rust parser, which also refuses nesting deeper than 200 levels. NDJSON is left to the event
parser, which refuses these itself (each line is parsed by that same Rust parser).
"""

from __future__ import annotations

import re
from typing import Any

import pydantic_core
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lingxi.server.problems import problem_response

_SUSPECT = re.compile(rb"\\u[dD][89a-fA-F]|[0-9]{19}")
#: every ASCII digit to ``0`` (other bytes kept): a body has a run of 19 digits iff this of it has 19 zeros. With
#: a surrogate escape's ``\u``, a cheap necessary condition for :data:`_SUSPECT`: both are C-speed substring
#: searches, while the pattern, whose branches start with a class, is tried at every byte (~17 µs per 1 KB body)
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_NINETEEN = b"0" * 19
_INT64 = (-(2**63), 2**63 - 1)


def _json_media(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            media = value.split(b";")[0].strip().lower()
            return bool(media == b"application/json" or media.endswith(b"+json"))
    return False


def _too_big(doc: Any) -> str | None:
    """The path of the first integer outside 64 bits in ``doc``, or None (iterative: no recursion limit)."""
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, int) and not isinstance(value, bool) and not _INT64[0] <= value <= _INT64[1]:
            return where or "(body)"
        if isinstance(value, dict):
            stack.extend((f"{where}.{k}" if where else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
    return None


def check_json(body: bytes) -> tuple[str, str] | None:
    """``(detail, detail_zh)`` when ``body`` holds a lone surrogate, too deep nesting or a >64-bit integer."""
    maybe = b"\\u" in body or _NINETEEN in body.translate(_DIGITS_TO_ZERO)
    if not maybe or not _SUSPECT.search(body):
        return None
    try:
        doc = pydantic_core.from_json(body)
    except ValueError as exc:
        return f"the body is not valid JSON: {exc}", "请求体不是合法的 JSON（含无效的 Unicode 转义或嵌套过深）"
    where = _too_big(doc)
    if where is not None:
        return f"{where}: integer outside the 64-bit range", f"字段 {where} 的整数超出 64 位范围"
    return None


class JsonGuard:
    """Reads a JSON request body whole (the limits middleware outside bounds its size), checks it with
    :func:`check_json`, and hands the same bytes to the app — or answers 400 problem JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _json_media(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: let the app see that
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        bad = check_json(body)
        if bad is not None:
            problem = {
                "type": "https://lingxi.dev/problems/invalid_input",
                "title": "Invalid input",
                "status": 400,
                "detail": bad[0],
                "detail_zh": bad[1],
                "code": "invalid_input",
                "instance": scope["path"],
            }
            await problem_response(problem)(scope, receive, send)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that returns ``messages`` first, then whatever the client sends (a disconnect)."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed
