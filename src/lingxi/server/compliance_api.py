"""Compliance endpoints: filing information and labels (``/v1/compliance``) and complaints (``/v1/complaints``).

Thin shells over :mod:`lingxi.compliance.labels` and :class:`~lingxi.compliance.complaints.ComplaintStore`.
Handlers are plain ``def`` (blocking SQLite work runs in FastAPI's thread pool).

Listing complaints and changing their status are an operator's acts: ``/v1/admin/complaints`` needs an API
key with the ``admin`` scope. The older ``/v1/complaints`` list and ``PATCH`` stay (deprecated) with the same
rule; on a dev server with auth off they accept the legacy ``X-Lingxi-Admin`` token when one is configured.
With auth on, an app sees only the complaints it filed (others are 404).
"""

from __future__ import annotations

import hmac
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from lingxi.compliance.complaints import Category, Complaint, ComplaintStore, Status
from lingxi.compliance.labels import EXPLICIT_CLASSICAL, EXPLICIT_LLM, Filing, Placement
from lingxi.errors import LingxiError, NotFound
from lingxi.facade import Lingxi
from lingxi.server.auth import identity, require_admin

ComplaintId = Annotated[str, PathParam(min_length=1, max_length=64)]


class AdminRequired(LingxiError):
    code = "admin_required"
    status = 401
    title = "Admin token required"


class ComplaintIn(BaseModel):
    contact: str = Field(min_length=1, max_length=256, description="pseudonym, phone or e-mail to answer to")
    category: Category
    text: str = Field(min_length=1, max_length=10_000)
    request_id: str | None = Field(default=None, max_length=64, description="the request complained about")
    audit_id: str | None = Field(default=None, max_length=64, description="its audit record id")


class StatusChange(BaseModel):
    status: Status
    note: str = Field(default="", max_length=4_000, description="what was done, or why it was rejected")
    actor: str = Field(default="admin", max_length=64)


class FilingInfo(BaseModel):
    filing: dict[str, str]
    display_zh: str
    missing_zh: list[str] = Field(description="filing fields the deployer has not configured yet")
    labels: dict[str, str] = Field(description="explicit label texts: llm and classical")
    placement: Placement


def router(
    lx: Lingxi,
    *,
    complaints: ComplaintStore | None = None,
    filing: Filing | None = None,
    placement: Placement = Placement.END,
    admin_token: str | None = None,
) -> APIRouter:
    """The routes; ``complaints`` defaults to a store on ``lx.db``, ``filing`` to an empty one."""
    store = complaints or ComplaintStore(lx.db, lx.vault)
    info = filing or Filing()
    api = APIRouter(tags=["compliance"])
    lx.db.migrate(
        "complaint_app", ("CREATE TABLE complaint_app (complaint_id TEXT PRIMARY KEY, app_id TEXT NOT NULL)",)
    )

    def admin(request: Request, legacy_token: str | None) -> None:
        if identity(request).enforced:
            require_admin(request)
        elif admin_token and not hmac.compare_digest(legacy_token or "", admin_token):
            raise AdminRequired(
                "changing or listing complaints needs the admin token",
                message_zh="修改投诉状态需要管理员令牌",
                hint="send it in the X-Lingxi-Admin header, or use an API key with the admin scope",
            )

    def visible(request: Request, complaint_id: str) -> None:
        ident = identity(request)
        if not ident.enforced or ident.admin:
            return
        with lx.db.connect() as conn:
            row = conn.execute("SELECT app_id FROM complaint_app WHERE complaint_id = ?", (complaint_id,)).fetchone()
        if row is None or row["app_id"] != ident.app_id:
            raise NotFound(f"no complaint {complaint_id}", message_zh=f"未找到投诉：{complaint_id}")

    def listing(status: Status | None, overdue: bool) -> dict[str, Any]:
        items = store.overdue() if overdue else store.list_complaints(status)
        return {"complaints": [c.model_dump(mode="json") for c in items], "deadline_days": store.deadline_days}

    @api.get("/v1/compliance/filing", summary="Filing numbers, model name and AI-content label texts")
    def get_filing() -> FilingInfo:
        return FilingInfo(
            filing=asdict(info),
            display_zh=info.display_zh(),
            missing_zh=info.missing(),
            labels={"llm": EXPLICIT_LLM, "classical": EXPLICIT_CLASSICAL},
            placement=placement,
        )

    @api.post("/v1/complaints", status_code=201, summary="File a complaint or report (Interim Measures Art. 15)")
    def post_complaint(request: Request, body: ComplaintIn) -> Complaint:
        added = store.add(body.contact, body.category, body.text, request_id=body.request_id, audit_id=body.audit_id)
        ident = identity(request)
        if ident.enforced:
            with lx.db.transaction() as conn:
                conn.execute("INSERT INTO complaint_app(complaint_id, app_id) VALUES (?, ?)", (added.id, ident.app_id))
        return added

    @api.get("/v1/complaints/{complaint_id}", summary="A complaint with its status history")
    def get_complaint(request: Request, complaint_id: ComplaintId) -> Complaint:
        visible(request, complaint_id)
        return store.get(complaint_id)

    @api.get("/v1/admin/complaints", summary="Complaints, optionally of one status; overdue=true for late ones")
    def admin_list(request: Request, status: Status | None = None, overdue: bool = False) -> dict[str, Any]:
        admin(request, None)
        return listing(status, overdue)

    @api.patch("/v1/admin/complaints/{complaint_id}", summary="Change a complaint's status (operator)")
    def admin_patch(request: Request, complaint_id: ComplaintId, body: StatusChange) -> Complaint:
        admin(request, None)
        return store.set_status(complaint_id, body.status, note=body.note, actor=body.actor)

    @api.get("/v1/complaints", summary="Deprecated: use /v1/admin/complaints", deprecated=True)
    def list_complaints(
        request: Request,
        status: Status | None = None,
        overdue: bool = False,
        x_lingxi_admin: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        if identity(request).enforced:
            admin(request, x_lingxi_admin)
        return listing(status, overdue)

    @api.patch("/v1/complaints/{complaint_id}", summary="Deprecated: use /v1/admin/complaints/{id}", deprecated=True)
    def patch_complaint(
        request: Request,
        complaint_id: ComplaintId,
        body: StatusChange,
        x_lingxi_admin: Annotated[str | None, Header()] = None,
    ) -> Complaint:
        admin(request, x_lingxi_admin)
        return store.set_status(complaint_id, body.status, note=body.note, actor=body.actor)

    return api
