"""User-rights endpoints: ``/v1/users/{user_id}/...`` — consents and modes, export, delete (PIPL Art. 44–47).

Thin shells over :class:`~lingxi.privacy.consent.ConsentStore` and :mod:`lingxi.privacy.subject_rights`;
errors are lingxi errors, which the app renders as problem JSON. Handlers are plain ``def``: they do blocking
SQLite work, so FastAPI runs them in its thread pool instead of stalling the event loop.

Every route calls :func:`~lingxi.server.auth.require_user` first: only the user's own token, the key of
the app owning the user, or an admin key may read, change, export or delete that user's data.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from lingxi.errors import InvalidInput
from lingxi.facade import Lingxi
from lingxi.privacy.consent import ALL_EXCEPT_SENSITIVE, AgeBand, ConsentStatus, parse_scopes
from lingxi.privacy.subject_rights import DeletionReceipt, delete_user, export_user
from lingxi.server.auth import require_user

UserId = Annotated[str, PathParam(min_length=1, max_length=128, description="the app's id for the user")]
ScopeName = Annotated[str, Field(max_length=32)]


class ConsentUpdate(BaseModel):
    """Changes to apply at once; fields left out stay as they are."""

    grant: list[ScopeName] = Field(
        default_factory=list,
        max_length=16,
        description=f"scopes to grant; '{ALL_EXCEPT_SENSITIVE}' means every scope except payments "
        "and cloud_processing, which each need their own explicit grant (PIPL Art. 29 and 23)",
    )
    withdraw: list[ScopeName] = Field(
        default_factory=list,
        max_length=16,
        description=f"scopes to withdraw ('{ALL_EXCEPT_SENSITIVE}': every scope); effective from the next request",
    )
    non_personalized: bool | None = Field(default=None, description="PIPL Art. 24: no profile, no stored context")
    minor: bool | None = Field(default=None, description="shorthand: true = age_band under_14, false = adult")
    age_band: AgeBand | None = None
    guardian_consent: bool | None = Field(default=None, description="a parent/guardian consented (PIPL Art. 31)")
    source: str = Field(default="api", max_length=64, description="where the change came from, for the history")


def _band(body: ConsentUpdate) -> AgeBand | None:
    implied = None if body.minor is None else (AgeBand.UNDER_14 if body.minor else AgeBand.ADULT)
    if implied is None:
        return body.age_band
    if body.age_band is not None and (body.age_band is AgeBand.UNDER_14) != body.minor:
        raise InvalidInput(
            f"minor={body.minor} contradicts age_band={body.age_band.value}",
            message_zh=f"minor={body.minor} 与 age_band={body.age_band.value} 相互矛盾",
            hint="send one of them",
        )
    return body.age_band or implied


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1/users", tags=["privacy"])

    @api.get("/{user_id}/consents", summary="A user's consent scopes, non-personalized mode and minor status")
    def get_consents(request: Request, user_id: UserId) -> ConsentStatus:
        require_user(request, user_id)
        return lx.consents.status(user_id)

    @api.put("/{user_id}/consents", summary="Grant/withdraw scopes and set modes, in one change")
    def put_consents(request: Request, user_id: UserId, body: ConsentUpdate) -> ConsentStatus:
        require_user(request, user_id, writes=True)
        lx.consents.update(
            user_id,
            grant=parse_scopes(body.grant, granting=True),
            withdraw=parse_scopes(body.withdraw, granting=False),
            non_personalized=body.non_personalized,
            age_band=_band(body),
            guardian_consent=body.guardian_consent,
            source=body.source,
        )
        return lx.consents.status(user_id)

    @api.get("/{user_id}/export", summary="Everything held about a user, decrypted, as JSON (PIPL Art. 45)")
    def export(request: Request, user_id: UserId) -> dict[str, Any]:
        require_user(request, user_id)
        return export_user(lx, user_id)

    @api.delete("/{user_id}", summary="Delete a user's data; the receipt says what was kept and verifies the rest")
    def delete(request: Request, user_id: UserId) -> DeletionReceipt:
        require_user(request, user_id)
        receipt = delete_user(lx, user_id)
        if (auth := getattr(request.app.state, "lingxi_auth", None)) is not None:  # an app without auth has no cache
            auth.forget(user_id)
        return receipt

    return api
