"""JSON endpoints the web console needs that the rest of the API did not have yet.

- ``GET /v1/users/{user_id}/events`` — a user's events, decrypted, newest first, paged by a ``before`` cursor,
  each with a one-line Chinese summary (the console's timeline).
- ``GET /v1/users/{user_id}/profile`` — the explained profile plus the events behind each fact, so a UI can
  show *why* lingxi believes something (PIPL Art. 24 transparency); payment facts only with that scope.
- the audit log's endpoints are in :mod:`lingxi.server.audit_api`, the operator's in ``admin_*_api``.
- ``GET /v1/admin/assessment`` (+ ``/html``) — the latest self-assessment report written under
  ``<home>/assessment/`` by ``lingxi compliance assess --out``; it is not run on demand here, because a run
  pushes thousands of test turns through the pipeline (the CLI uses a throw-away home for that reason).
- ``GET /v1/admin/bakeoff`` (+ ``/report.html``) — the newest bake-off ``report.html`` under ``<home>/bakeoff/``.

User endpoints call :func:`~lingxi.server.auth.require_user`; everything under ``/v1/admin/`` is left to the
auth layer's admin guard. Handlers are plain ``def``: they do blocking SQLite and file work in the thread pool.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from lingxi.context.events import EVENT_TYPES, Event
from lingxi.errors import InvalidInput, NotFound
from lingxi.facade import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.server.auth import require_user

UserId = Annotated[str, PathParam(min_length=1, max_length=128, description="the app's id for the user")]
MAX_PAGE = 200
MAX_EPOCH_MS = 4_102_444_800_000  # 2100-01-01, the events' own bound


def _yuan(fen: int) -> str:
    return f"¥{fen / 100:.2f}"


def summarize_event(e: Event) -> str:
    """A one-line Chinese summary of an event for a timeline (no model: plain field formatting)."""
    match e.type:
        case "message":
            arrow = "→" if e.direction == "out" else "←"
            return f"{arrow} {e.conversation_name or e.conversation_id}｜{e.sender}：{e.text[:60]}"
        case "notification":
            return f"{e.title}：{e.body[:60]}" if e.title else e.body[:60]
        case "order":
            names = "、".join(i.name for i in e.items[:3])
            return f"{e.platform} 订单 {names}（{_yuan(e.total_fen)}，{e.status}）"
        case "payment":
            sign = "-" if e.direction == "out" else "+"
            return f"{e.merchant} {sign}{_yuan(e.amount_fen)} {e.channel}".strip()
        case "calendar":
            mark = {"cancelled": "（已取消）", "tentative": "（待定）"}.get(e.status, "")
            return f"日程：{e.title}{mark}" + (f"（{e.location}）" if e.location else "")
        case "browse":
            return f"浏览 {e.platform}：{e.item_name[:40]}"
        case "search":
            return f"搜索 {e.platform}：{e.query[:40]}"
        case "cart":
            return f"{'加购' if e.action == 'add' else '移出购物车'} {e.platform}：{e.item_name[:40]}"
        case "favorite":
            return f"{'收藏' if e.action == 'add' else '取消收藏'} {e.platform}：{e.item_name[:40]}"
        case "reminder":
            return f"提醒：{e.title}（{e.status}）"
        case "contact":
            return f"联系人：{e.name}" + (f"（{e.relation}）" if e.relation else "")
        case "message_update":
            return f"{'撤回' if e.op == 'delete' else '更正'}消息 {e.target_event_id}" + (
                f"：{e.text[:40]}" if e.text else ""
            )
        case "feedback":
            return f"反馈 {e.feature}：{e.action}"
        case _:
            return f"{e.app} {e.action} {e.target[:40]}".strip()


def _event_row(e: Event) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "type": e.type,
        "ts": e.ts,
        "source_app": e.source_app,
        "summary_zh": summarize_event(e),
        "event": e.model_dump(mode="json"),
    }


def _fact_event_ids(profile: dict[str, Any]) -> list[str]:
    ids: list[str] = []
    for value in profile.values():
        if isinstance(value, list):
            for fact in value:
                if isinstance(fact, dict):
                    ids.extend(fact.get("event_ids", []))
    return list(dict.fromkeys(ids))


def _latest(root: Path, name: str) -> Path | None:
    """The most recently modified ``name`` under ``root``, or None."""
    if not root.is_dir():
        return None
    found = [p for p in root.rglob(name) if p.is_file()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(tags=["console"])
    home = Path(lx.settings.home)

    @api.get("/v1/users/{user_id}/events", summary="A user's events, decrypted, newest first (paged by `before`)")
    def list_events(
        request: Request,
        user_id: UserId,
        before: Annotated[
            int | None, Query(ge=0, le=2**63 - 1, description="only events with ts < this (epoch ms): the next page")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        type: Annotated[str | None, Query(max_length=32, description="one event type")] = None,
    ) -> dict[str, Any]:
        require_user(request, user_id)
        if type is not None and type not in EVENT_TYPES:
            raise InvalidInput(
                f"type must be one of {', '.join(EVENT_TYPES)}",
                message_zh=f"type 必须是以下之一：{'、'.join(EVENT_TYPES)}",
            )
        rows = lx.events.query(user_id, types=[type] if type else (), until_ms=before, limit=limit + 1)
        page = rows[:limit]
        more = len(rows) > limit
        return {
            "user_id": user_id,
            "events": [_event_row(e) for e in page],
            "counts": lx.events.count(user_id),
            "next_before": page[-1].ts if more and page else None,
        }

    @api.get("/v1/users/{user_id}/profile", summary="The explained profile with the events behind each fact")
    def get_profile(
        request: Request,
        user_id: UserId,
        now_ms: Annotated[
            int | None, Query(ge=0, le=MAX_EPOCH_MS, description="evaluate decay as of this instant (epoch ms)")
        ] = None,
        top: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> dict[str, Any]:
        require_user(request, user_id)
        consent = lx.consents.status(user_id)
        profile = lx.profile.get(user_id, now_ms=now_ms, top=top)
        if Scope.PAYMENTS not in consent.effective_scopes:
            profile = profile.without_payments()
        body = profile.model_dump(mode="json")
        evidence = lx.events.get(user_id, _fact_event_ids(body))
        return {
            "profile": body,
            "evidence": {e.event_id: {"ts": e.ts, "type": e.type, "summary_zh": summarize_event(e)} for e in evidence},
            "non_personalized": consent.non_personalized,
            "payments_hidden": Scope.PAYMENTS not in consent.effective_scopes,
        }

    @api.get("/v1/admin/assessment", summary="The latest self-assessment report (lingxi compliance assess)")
    def assessment() -> dict[str, Any]:
        path = _latest(home / "assessment", "report.json")
        if path is None:
            return {"report": None, "hint_zh": f"尚无报告：运行 lingxi compliance assess --out {home / 'assessment'}"}
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            raise InvalidInput(
                f"{path} is not valid JSON",
                message_zh=f"评估报告 {path.name} 不是合法的 JSON",
                hint="re-run the assessment",
            ) from None
        has_html = (path.parent / "report.html").is_file()
        return {"report": report, "path": str(path), "html_url": "/v1/admin/assessment/html" if has_html else None}

    @api.get("/v1/admin/assessment/html", summary="The latest self-assessment report as HTML", response_model=None)
    def assessment_html() -> FileResponse:
        path = _latest(home / "assessment", "report.html")
        if path is None:
            raise NotFound("no assessment report yet", message_zh="尚无自评估报告", hint="run lingxi compliance assess")
        return FileResponse(path, media_type="text/html; charset=utf-8")

    @api.get("/v1/admin/bakeoff", summary="Where the latest bake-off report is, if any")
    def bakeoff() -> dict[str, Any]:
        path = _latest(home / "bakeoff", "report.html")
        if path is None:
            return {"report_url": None, "hint_zh": "尚无评测报告：运行 lingxi bakeoff"}
        return {"report_url": "/v1/admin/bakeoff/report.html", "path": str(path), "mtime": int(path.stat().st_mtime)}

    @api.get("/v1/admin/bakeoff/report.html", summary="The latest bake-off report", response_model=None)
    def bakeoff_html() -> FileResponse:
        path = _latest(home / "bakeoff", "report.html")
        if path is None:
            raise NotFound("no bake-off report yet", message_zh="尚无评测报告", hint="run lingxi bakeoff")
        return FileResponse(path, media_type="text/html; charset=utf-8")

    return api
