"""``GET /v1/features/shopping/recommendations``: a user's real-time shopping recommendations.

A thin shell over :meth:`lingxi.features.shopping.Shopping.arecommend`; consent, minors and
non-personalized rules are applied there, so the API and the CLI answer identically.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from lingxi.facade import Lingxi
from lingxi.features.shopping import Recommendations
from lingxi.server.auth import require_user


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1/features/shopping", tags=["features"])

    @api.get("/recommendations", summary="Top-k shopping recommendations with Chinese reasons (no LLM)")
    async def recommendations(
        request: Request,
        user_id: Annotated[str, Query(min_length=1, max_length=128)],
        k: Annotated[int, Query(ge=1, le=100)] = 10,
        now_ms: Annotated[
            int | None, Query(ge=0, le=4_102_444_800_000, description="treat this instant as now (default: clock)")
        ] = None,
    ) -> Recommendations:
        require_user(request, user_id)
        return await lx.shopping.arecommend(user_id, k=k, now_ms=now_ms)

    return api
