"""``POST /v1/events``: ingest one event, a JSON array of events, or an NDJSON stream.

The body is checked against a size limit while it streams in (413 before anything is parsed), then goes
through :mod:`lingxi.context.ingest`, the same path as the CLI, so the report and its errors are identical.

Status codes — chosen so a client can tell "all stored", "some stored" and "none stored" apart without
reading the body:

* **200** — every event was valid (``added`` + ``duplicates`` = all of them): the :class:`IngestReport`.
* **207** — ``on_error=skip`` and some events were invalid, some valid: the valid ones are stored; the body
  is the report, whose ``errors`` list each bad ``line`` (NDJSON, 1-based) or ``index`` (array, 0-based).
* **422** — nothing was stored because of invalid events (``on_error=reject`` with any bad event, or
  every event was bad): problem JSON (code ``invalid_events``) with the same ``errors`` and the ``report``.
* **400** empty body or malformed JSON document, **413** body over the limit, **415** other media types.

The default is ``on_error=reject``: a program posting a batch should hear about bad data before anything
is half-stored (re-posting is safe either way, events are idempotent by ``event_id``). ``user_id``, when
given, is the caller's user: events of any other user are invalid (the guard the auth layer relies on).
With auth on, a non-admin caller must name that user (``user_id``, ``X-Lingxi-User`` or its user token) and
may act for it (:func:`~lingxi.server.auth.require_user`); an admin key may ingest events of any users.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from lingxi.context.event_schema import event_schemas
from lingxi.context.ingest import IngestReport, ingest_lines, ingest_objects
from lingxi.errors import InvalidInput, LingxiError
from lingxi.facade import Lingxi
from lingxi.server.auth import identity, require_user
from lingxi.server.problems import problem_response

MAX_BODY_BYTES = 10 * 1024 * 1024
_NDJSON = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/json-lines")


class BodyTooLarge(LingxiError):
    code = "body_too_large"
    status = 413
    title = "Request body too large"


class UnsupportedMediaType(LingxiError):
    code = "unsupported_media_type"
    status = 415
    title = "Unsupported media type"


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refusing more than ``limit`` bytes whether or not Content-Length was sent."""
    too_large = BodyTooLarge(
        f"the request body exceeds {limit} bytes",
        message_zh=f"请求体超过上限（{limit // (1024 * 1024)} MB）",
        hint="split the events into several requests",
    )
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _errors(report: IngestReport, kind: Literal["line", "index"]) -> list[dict[str, Any]]:
    return [
        {kind: e.line if kind == "line" else e.line - 1, "message": e.message, "message_zh": e.message_zh}
        for e in report.errors
    ]


def router(lx: Lingxi, *, max_body_bytes: int = MAX_BODY_BYTES) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["events"])

    @api.get("/schema/events", summary="JSON Schema and one example for every event kind (public)")
    def schema() -> dict[str, Any]:
        return event_schemas()

    @api.post(
        "/events",
        summary="Ingest events: one JSON object, a JSON array, or NDJSON (application/x-ndjson)",
        response_model=IngestReport,
        responses={
            207: {"description": "some events stored, the invalid ones listed in `errors`"},
            413: {"description": "body over the size limit"},
            422: {"description": "nothing stored: invalid events (problem JSON with `errors`)"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"oneOf": [{"type": "object"}, {"type": "array"}]}},
                    "application/x-ndjson": {"schema": {"type": "string", "description": "one event per line"}},
                },
            }
        },
    )
    async def post_events(
        request: Request,
        on_error: Literal["skip", "reject"] = Query("reject", description="skip bad events, or store none"),
        user_id: str | None = Query(
            None, max_length=128, description="the caller's user: events of others are refused"
        ),
    ) -> JSONResponse:
        ident = identity(request)
        user_id = user_id or request.headers.get("x-lingxi-user") or ident.user_id
        if ident.enforced and not ident.admin and user_id is None:
            raise InvalidInput(
                "name the user whose events these are",
                message_zh="请指明事件所属用户（user_id 参数或 X-Lingxi-User 头）",
                hint="add ?user_id=... or the X-Lingxi-User header",
            )
        if user_id is not None:
            require_user(request, user_id, writes=True)
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in ("application/json", *_NDJSON):
            raise UnsupportedMediaType(
                f"content type {media or '(none)'} is not supported",
                message_zh="不支持的请求类型：请使用 application/json 或 application/x-ndjson",
                hint="send a JSON object or array as application/json, or JSON Lines as application/x-ndjson",
            )
        body = await _read_body(request, max_body_bytes)
        if not body.strip():
            raise InvalidInput("the request body is empty", message_zh="请求体为空", hint="send at least one event")
        kind: Literal["line", "index"]
        if media == "application/json":
            try:
                doc = json.loads(body)
            except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError; nesting too deep
                raise InvalidInput(
                    f"the body is not valid JSON: {exc}",
                    message_zh="请求体不是合法的 JSON",
                    hint="for one event per line use Content-Type: application/x-ndjson",
                ) from None
            items = doc if isinstance(doc, list) else [doc]
            kind = "index"
            report = await run_in_threadpool(ingest_objects, lx.events, items, on_error=on_error, user_id=user_id)
        else:
            kind = "line"
            lines = body.split(b"\n")  # not splitlines(): U+2028 inside a JSON string is not a line break
            report = await run_in_threadpool(ingest_lines, lx.events, lines, on_error=on_error, user_id=user_id)
        if report.invalid == 0:
            return JSONResponse(report.model_dump(mode="json"))
        stored_any = on_error == "skip" and report.invalid < report.lines
        if stored_any:
            return JSONResponse({**report.model_dump(mode="json"), "errors": _errors(report, kind)}, status_code=207)
        first = report.errors[0]
        if kind == "line":
            where, where_zh = f"line {first.line}", f"第 {first.line} 行"
        else:
            where, where_zh = f"index {first.line - 1}", f"第 {first.line - 1} 项（从 0 计）"
        problem = {
            "type": "https://lingxi.dev/problems/invalid_events",
            "title": "Invalid events",
            "status": 422,
            "detail": f"{report.invalid} of {report.lines} events are invalid, nothing was stored; "
            f"first at {where}: {first.message}",
            "detail_zh": f"{report.lines} 个事件中有 {report.invalid} 个无效，未写入任何事件；"
            f"首个错误在{where_zh}：{first.message_zh}",
            "code": "invalid_events",
            "instance": request.url.path,
            "errors": _errors(report, kind),
            "report": report.model_dump(mode="json", exclude={"errors"}),
        }
        if on_error == "reject":
            problem["hint"] = "fix the listed events and resend, or use on_error=skip to store the valid ones"
        return problem_response(problem)

    return api
