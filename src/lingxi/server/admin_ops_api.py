"""Operator endpoints the console's usage, request-log, health and user pages read.

- ``GET /v1/admin/usage`` — requests, tokens, list-price cost and blocked requests for one local day, by
  app × model, by feature and by user pseudonym, plus per-day totals for the chart.
- ``GET /v1/admin/requests`` — the request log (:mod:`lingxi.server.request_log`), searchable by user
  pseudonym, app, feature, model, verdict and time; each row names its audit record.
- ``GET /v1/admin/health`` — every model with its provider's circuit breaker and today's traffic.
- ``GET /v1/admin/users`` — the user directory: pseudonym, a masked id, consent state, owner app, counts.
- ``GET /v1/auth/whoami`` — what the caller's credential may do (the console hides admin pages otherwise).

Users appear only pseudonymized (the audit log's keyed pseudonym) and with a masked id; an exact id can be
looked up (a support ticket names one), which answers with that user's pseudonym.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from lingxi.errors import InvalidInput
from lingxi.facade import Lingxi
from lingxi.server.auth import Authenticator, identity, require_admin
from lingxi.server.request_log import VERDICTS, Filters, RequestLog

Day = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="local day, YYYY-MM-DD")]
Ms = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="epoch ms")]
Text = Annotated[str | None, Query(max_length=128)]


def mask(user_id: str) -> str:
    """``demo-user`` → ``de***r``: enough to tell users apart on screen, not to read the id off it."""
    if len(user_id) <= 3:
        return user_id[:1] + "***"
    return user_id[:2] + "***" + user_id[-1]


def router(lx: Lingxi, auth: Authenticator, log: RequestLog) -> APIRouter:
    api = APIRouter(tags=["admin"])

    @api.get("/v1/auth/whoami", summary="The caller's app, scopes and whether it is an admin")
    def whoami(request: Request) -> dict[str, Any]:
        ident = identity(request)
        return {
            "auth": ident.enforced,
            "admin": ident.admin or not ident.enforced,  # auth off: every page is open (loopback dev server)
            "app_id": ident.app_id or None,
            "scopes": sorted(ident.scopes),
        }

    @api.get("/v1/admin/usage", summary="Requests, tokens, cost and blocked requests per app/model/day")
    def usage(request: Request, day: Day = None, days: Annotated[int, Query(ge=1, le=90)] = 14) -> dict[str, Any]:
        require_admin(request)
        the_day = day or log.day()
        try:
            parsed = date.fromisoformat(the_day)
        except ValueError:
            parsed = None
        if parsed is None or not 2000 <= parsed.year <= 2099:
            raise InvalidInput(f"day {the_day!r} is not a date in 2000-2099", message_zh=f"日期无效：{the_day}")
        first = (parsed - timedelta(days=days - 1)).isoformat()
        today = Filters()
        rows_by_day = {r["day"]: r for r in log.usage(("day",), Filters()) if first <= r["day"] <= the_day}
        series = []
        for i in range(days):
            d = (date.fromisoformat(first) + timedelta(days=i)).isoformat()
            series.append(rows_by_day.get(d) or {"day": d, "requests": 0, "prompt_tokens": 0,
                                                 "completion_tokens": 0, "cost_cny": 0.0, "blocked": 0})  # fmt: skip

        def on_day(*by: str) -> list[dict[str, Any]]:
            return [r for r in log.usage(("day", *by), today) if r["day"] == the_day]

        total = next((r for r in series if r["day"] == the_day), series[-1])
        return {
            "day": the_day,
            "total": total,
            "series": series,
            "by_app_model": on_day("app_id", "model"),
            "by_feature": on_day("feature"),
            "by_user": sorted(on_day("user_ref"), key=lambda r: -r["requests"]),
            "blocked": [r for r in log.search(Filters(verdict="blocked"), 200) if r["day"] == the_day],
        }

    @api.get("/v1/admin/requests", summary="The request log, newest first, searchable")
    def requests(
        request: Request,
        user: Text = None,
        app: Text = None,
        feature: Text = None,
        model: Text = None,
        verdict: Annotated[str | None, Query(pattern="^(" + "|".join((*VERDICTS, "blocked")) + ")$")] = None,
        since: Ms = None,
        until: Ms = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> dict[str, Any]:
        require_admin(request)
        found = log.search(Filters(user, app, feature, model, verdict, since, until), limit)
        facets = {g: sorted({r[g] for r in log.usage((g,), Filters())}) for g in ("app_id", "feature", "model")}
        return {"requests": found, "facets": facets, "verdicts": list(VERDICTS)}

    @api.get("/v1/admin/health", summary="Models and providers: circuit breakers and today's traffic")
    def health(request: Request) -> dict[str, Any]:
        require_admin(request)
        breakers = {h.provider: h for h in lx.health.snapshot()}
        day = log.day()
        traffic = {r["model"]: r for r in log.usage(("day", "model"), Filters()) if r["day"] == day}
        errors = {r["model"]: r["requests"] for r in log.usage(("day", "model", "verdict"), Filters(verdict="error"))
                  if r["day"] == day}  # fmt: skip
        models = []
        for info in lx.models():
            h = breakers.get(info.provider)
            t = traffic.get(info.name, {})
            models.append({
                "name": info.name, "provider": info.provider, "locality": info.locality, "kind": info.kind,
                "default": info.name == lx.router.default,
                "state": h.state if h else "closed", "consecutive_failures": h.consecutive_failures if h else 0,
                "last_error": h.last_error if h else "", "p50_ttft_ms": h.p50_ttft_ms if h else None,
                "requests_today": t.get("requests", 0), "blocked_today": t.get("blocked", 0),
                "errors_today": errors.get(info.name, 0),
            })  # fmt: skip
        return {"models": models, "providers": [h.__dict__ for h in breakers.values()]}

    @api.get("/v1/admin/users", summary="The user directory: pseudonyms, consent state, owners, counts")
    def users(request: Request, q: Text = None, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict[str, Any]:
        require_admin(request)
        with lx.db.connect() as conn:
            ids = [r[0] for r in conn.execute(
                "SELECT user_id FROM consent_log UNION SELECT user_id FROM consent_settings_log "
                "UNION SELECT user_id FROM user_owner ORDER BY 1"
            ).fetchall()]  # fmt: skip
        activity = log.users()
        out = []
        for uid in ids:
            ref = lx.audit.pseudonym(uid)
            if q and not (ref.startswith(q) or uid == q):
                continue
            c = lx.consents.status(uid)
            seen = activity.get(ref, {})
            out.append({
                "user_ref": ref, "masked_id": mask(uid), "scopes": list(c.scopes),
                "non_personalized": c.non_personalized, "age_band": c.age_band, "minor": c.minor,
                "needs_guardian_consent": c.needs_guardian_consent, "owner_app": auth.keys.owner_of(uid),
                "events": sum(lx.events.count(uid).values()), "requests_today": seen.get("today") or 0,
                "requests": seen.get("requests", 0), "last_request_ms": seen.get("last_ts"),
            })  # fmt: skip
            if len(out) >= limit:
                break
        return {"users": out, "total": len(ids)}

    return api
