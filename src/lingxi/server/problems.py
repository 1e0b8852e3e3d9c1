"""Every error the service returns is RFC 9457 problem JSON, with a Chinese ``detail_zh`` beside ``detail``.

Handlers cover lingxi's own errors, request validation, unknown routes and methods, and anything unexpected
(which is logged with its traceback on the server and reported to the client without one).
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from lingxi.errors import LingxiError, StorageError

log = logging.getLogger("lingxi.server")
PROBLEM_JSON = "application/problem+json"


def problem_response(problem: dict[str, Any]) -> JSONResponse:
    return JSONResponse(problem, status_code=int(problem["status"]), media_type=PROBLEM_JSON)


def error_response(exc: LingxiError, path: str) -> JSONResponse:
    """A lingxi error as problem JSON; a storage error's message names the server's files: the log gets it."""
    problem = exc.to_problem(path)
    if isinstance(exc, StorageError):
        log.warning("storage error: %s", exc.message)
        problem["detail"] = "the server's database could not complete the request; retry later"
    return problem_response(problem)


def _simple(status: int, title: str, detail: str, detail_zh: str, path: str) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "detail_zh": detail_zh,
        "instance": path,
    }


def install(app: FastAPI) -> None:
    """Register the problem-JSON handlers on ``app``."""

    @app.exception_handler(LingxiError)
    async def _lingxi(request: Request, exc: LingxiError) -> JSONResponse:
        return error_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p != "body") or "(body)"
        problem = _simple(
            400,
            "Invalid input",
            f"{where}: {first['msg']}",
            f"请求参数 {where} 无效：{first['msg']}",
            request.url.path,
        )
        problem["type"] = "https://lingxi.dev/problems/invalid_input"
        problem["code"] = "invalid_input"
        problem["errors"] = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in errors[:20]]
        return problem_response(problem)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        zh = {404: "未找到该地址", 405: "不支持该请求方法"}.get(exc.status_code, "请求失败")
        return problem_response(_simple(exc.status_code, str(exc.detail), str(exc.detail), zh, request.url.path))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return unexpected(request.scope, exc)


def unexpected(scope: Scope, exc: BaseException) -> JSONResponse:
    """Log an unhandled error and answer 500 problem JSON (called by the outermost middleware, which then
    keeps the connection open: the error was one request's, not the connection's).

    The log gets the route template and the code's frames, not the path or the exception's message: both
    can hold user ids or user text, and logs must not (server/logs.py).
    """
    route = getattr(scope.get("route"), "path", None) or "(unmatched)"
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("unhandled %s on %s\n%s", type(exc).__name__, route, frames)
    return problem_response(
        _simple(500, "Internal error", "unexpected server error; see the server log", "服务器内部错误", scope["path"])
    )
