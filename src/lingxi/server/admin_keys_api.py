"""Operator endpoints for API keys and per-app quotas (the console's 密钥 page; ``lingxi keys`` on a CLI).

- ``GET /v1/admin/keys`` — every key (prefix, app, scopes, state), never a key itself, with each app's daily
  quota and today's use.
- ``POST /v1/admin/keys`` — a new key; the plaintext is in this one response only.
- ``PUT /v1/admin/keys/{key_id}/scopes`` and ``POST /v1/admin/keys/{key_id}/revoke``.
- ``PUT /v1/admin/quotas/{app_id}`` — the app's daily token quota (``null``: back to the configured default).

Everything under ``/v1/admin/`` needs the admin scope (the auth layer's guard; :func:`require_admin` again
here so the rule holds whichever way the router is mounted).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from lingxi.server.auth import Authenticator, require_admin
from lingxi.server.keys import SCOPES, ApiKey
from lingxi.server.limits import Limits


class KeyCreate(BaseModel):
    app_id: str = Field(min_length=1, max_length=64)
    scopes: list[str] = Field(min_length=1, max_length=len(SCOPES), description="features, events, admin")


class ScopesUpdate(BaseModel):
    scopes: list[str] = Field(min_length=1, max_length=len(SCOPES))


class QuotaUpdate(BaseModel):
    daily_tokens: int | None = Field(default=None, ge=0, le=2**62, description="0: unlimited; null: the default")


def key_json(k: ApiKey) -> dict[str, Any]:
    return {
        "key_id": k.key_id,
        "app_id": k.app_id,
        "prefix": k.prefix,
        "scopes": list(k.scopes),
        "created_ms": k.created_ms,
        "revoked_ms": k.revoked_ms,
        "active": k.active,
    }


def router(auth: Authenticator, limits: Limits) -> APIRouter:
    api = APIRouter(prefix="/v1/admin", tags=["admin"])
    keys = auth.keys

    def app(app_id: str) -> dict[str, Any]:
        return {
            "app_id": app_id,
            "daily_tokens": limits.app_limit(app_id),
            "custom": limits.app_quotas.get(app_id) is not None,
            "used_today": limits.quotas.used("app:" + app_id),
        }

    def apps() -> list[dict[str, Any]]:
        return [app(a) for a in sorted({k.app_id for k in keys.list_keys()} | set(limits.app_quotas.all()))]

    @api.get("/keys", summary="API keys (never the keys themselves) and each app's daily quota")
    def list_keys(request: Request) -> dict[str, Any]:
        require_admin(request)
        return {
            "keys": [key_json(k) for k in keys.list_keys()],
            "apps": apps(),
            "scopes": list(SCOPES),
            "default_daily_tokens": limits.settings.daily_tokens_per_app,
        }

    @api.post("/keys", status_code=201, summary="Create a key; its plaintext is shown in this response only")
    def create(request: Request, body: KeyCreate) -> dict[str, Any]:
        require_admin(request)
        record, plaintext = keys.create(body.app_id, body.scopes)
        return {**key_json(record), "key": plaintext}

    @api.put("/keys/{key_id}/scopes", summary="Change an active key's scopes")
    def scopes(request: Request, key_id: str, body: ScopesUpdate) -> dict[str, Any]:
        require_admin(request)
        return key_json(keys.set_scopes(key_id, body.scopes))

    @api.post("/keys/{key_id}/revoke", summary="Revoke a key (its user tokens stop working too)")
    def revoke(request: Request, key_id: str) -> dict[str, Any]:
        require_admin(request)
        return key_json(keys.revoke(key_id))

    @api.put("/quotas/{app_id}", summary="Set an app's daily token quota (null: the configured default)")
    def quota(request: Request, app_id: str, body: QuotaUpdate) -> dict[str, Any]:
        require_admin(request)
        limits.app_quotas.set(app_id, body.daily_tokens)
        return app(app_id)

    return api
