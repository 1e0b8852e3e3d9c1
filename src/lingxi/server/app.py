"""The FastAPI application: OpenAI-compatible API, feature endpoints, health, problem-JSON errors."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import FastAPI

from lingxi.__about__ import __version__
from lingxi.facade import Lingxi
from lingxi.server import compliance_api, events_api, features_api, openai_api, privacy_api, problems


def create_app(lx: Lingxi) -> FastAPI:
    """An app serving ``lx``; one ``Lingxi`` (one home) per app."""
    app = FastAPI(
        title="lingxi 灵犀",
        version=__version__,
        description="Personal AI features in Chinese: OpenAI-compatible chat plus feature endpoints. "
        "Errors are RFC 9457 problem JSON with a Chinese `detail_zh`.",
    )
    problems.install(app)
    app.include_router(openai_api.router(lx))
    app.include_router(features_api.router(lx))
    app.include_router(events_api.router(lx))
    app.include_router(privacy_api.router(lx))
    app.include_router(
        compliance_api.router(
            lx,
            complaints=lx.complaints,
            filing=lx.filing,
            placement=lx.settings.labels.placement,
            admin_token=lx.settings.complaints.admin_token or None,
        )
    )

    @app.get("/healthz", tags=["ops"], summary="Liveness, version, and each provider's circuit breaker")
    async def healthz() -> dict[str, Any]:
        providers = [asdict(h) for h in lx.health.snapshot()]
        return {"status": "ok", "version": __version__, "models": len(lx.models()), "providers": providers}

    return app
