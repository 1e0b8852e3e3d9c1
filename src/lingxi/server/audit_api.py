"""``GET /v1/admin/audit`` (filterable) and ``/v1/admin/audit/verify``: the hash-chained audit log for operators.

Filters read the stored JSON bodies (SQLite ``json_extract``): feature, model, verdict (``block``: either
screen blocked or the request was refused; ``pass``: neither), the user pseudonym (a prefix, as the console
shows it shortened), one record id (the request log links here) and a time range. Filtering changes nothing
in the chain; verification always walks all of it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from lingxi.compliance.audit import entry_item
from lingxi.facade import Lingxi
from lingxi.server.auth import require_admin

Text = Annotated[str | None, Query(max_length=128)]
Ms = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="epoch ms")]


def _where(
    feature: str | None, model: str | None, verdict: str | None, user: str | None, record: str | None,
    since: int | None, until: int | None,
) -> tuple[str, list[Any]]:  # fmt: skip
    parts: list[str] = []
    args: list[Any] = []
    for path, value in (("$.feature", feature), ("$.model", model)):
        if value:
            parts.append(f"json_extract(body, '{path}') = ?")
            args.append(value)
    blocked = (
        "(json_extract(body, '$.input_verdict') = 'block' OR json_extract(body, '$.output_verdict') = 'block' "
        "OR json_extract(body, '$.refused') = 1)"
    )
    if verdict == "block":
        parts.append(blocked)
    elif verdict == "pass":
        parts.append(f"json_extract(body, '$.input_verdict') = 'pass' AND NOT {blocked}")
    if user:
        parts.append("json_extract(body, '$.user_ref') LIKE ?")
        args.append(user.replace("%", "").replace("_", "") + "%")
    if record:
        parts.append("id = ?")
        args.append(record)
    if since is not None:
        parts.append("ts >= ?")
        args.append(since)
    if until is not None:
        parts.append("ts < ?")
        args.append(until)
    return (" WHERE " + " AND ".join(parts)) if parts else "", args


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1/admin/audit", tags=["console"])

    @api.get("", summary="Audit records, newest first, optionally filtered")
    def audit(
        request: Request,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        feature: Text = None,
        model: Text = None,
        verdict: Annotated[str | None, Query(pattern="^(block|pass)$")] = None,
        user: Text = None,
        id: Text = None,
        since: Ms = None,
        until: Ms = None,
    ) -> dict[str, Any]:
        require_admin(request)
        where, args = _where(feature, model, verdict, user, id, since, until)
        with lx.db.connect() as conn:
            rows = conn.execute(
                f"SELECT id, ts, body, hash FROM audit_log{where} ORDER BY seq DESC LIMIT ?", [*args, limit]
            ).fetchall()
            features = [r[0] for r in conn.execute(
                "SELECT DISTINCT json_extract(body, '$.feature') FROM audit_log WHERE json_extract(body, '$.feature') "
                "IS NOT NULL ORDER BY 1"
            ).fetchall()]  # fmt: skip
        return {"entries": [entry_item(r) for r in rows], "features": features}

    @api.get("/verify", summary="Check the audit chain's MACs against the latest checkpoint")
    def audit_verify(request: Request) -> dict[str, Any]:
        require_admin(request)
        report = lx.audit.report()
        return {"ok": report.ok, "first_broken": report.broken, "report": report.to_json()}

    return api
