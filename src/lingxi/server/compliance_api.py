"""Compliance endpoints: filing information and labels (``/v1/compliance``) and complaints (``/v1/complaints``).

Thin shells over :mod:`lingxi.compliance.labels` and :class:`~lingxi.compliance.complaints.ComplaintStore`.
Handlers are plain ``def`` (blocking SQLite work runs in FastAPI's thread pool). Changing a complaint's
status is an operator's act: when ``admin_token`` is set, ``PATCH`` needs it in ``X-Lingxi-Admin``; without
one, the service relies on binding 127.0.0.1, like the rest of the API.
"""

from __future__ import annotations

import hmac
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from lingxi.compliance.complaints import Category, Complaint, ComplaintStore, Status
from lingxi.compliance.labels import EXPLICIT_CLASSICAL, EXPLICIT_LLM, Filing, Placement
from lingxi.errors import LingxiError
from lingxi.facade import Lingxi

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
    store = complaints or ComplaintStore(lx.db)
    info = filing or Filing()
    api = APIRouter(tags=["compliance"])

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
    def post_complaint(body: ComplaintIn) -> Complaint:
        return store.add(body.contact, body.category, body.text, request_id=body.request_id, audit_id=body.audit_id)

    @api.get("/v1/complaints/{complaint_id}", summary="A complaint with its status history")
    def get_complaint(complaint_id: ComplaintId) -> Complaint:
        return store.get(complaint_id)

    @api.get("/v1/complaints", summary="Complaints, optionally of one status; overdue=true for late open ones")
    def list_complaints(status: Status | None = None, overdue: bool = False) -> dict[str, Any]:
        items = store.overdue() if overdue else store.list_complaints(status)
        return {"complaints": [c.model_dump(mode="json") for c in items], "deadline_days": store.deadline_days}

    @api.patch("/v1/complaints/{complaint_id}", summary="Change a complaint's status (operator)")
    def patch_complaint(
        complaint_id: ComplaintId,
        body: StatusChange,
        x_lingxi_admin: Annotated[str | None, Header()] = None,
    ) -> Complaint:
        if admin_token and not hmac.compare_digest(x_lingxi_admin or "", admin_token):
            raise AdminRequired(
                "changing a complaint's status needs the admin token",
                message_zh="修改投诉状态需要管理员令牌",
                hint="send it in the X-Lingxi-Admin header",
            )
        return store.set_status(complaint_id, body.status, note=body.note, actor=body.actor)

    return api
