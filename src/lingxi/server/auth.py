"""Who is calling: the API key's app and the end user it acts for.

Identity is resolved once per request by :class:`AuthMiddleware` and stored on ``request.state.identity``.
Callers send ``Authorization: Bearer <key>`` (so the official OpenAI clients work with ``api_key=``):

* an **app key** (``lx_…``) acts for its app's end users; the user is named by the route (path, query or
  body) and, when sent, by ``X-Lingxi-User`` (which must then agree). The first app to *write* for a user
  id (events, consents, an approved action) owns it; other apps get 403 for that user. Reads claim nothing,
  so an app cannot lock another out by asking first (see :mod:`lingxi.server.keys`).
* a **user token** (``lxu_…``, from ``POST /v1/auth/user-tokens``) acts for exactly one user.
* the ``admin`` scope may act for any user and is the only way into ``/v1/admin/...`` and ``/metrics``.

Scopes by route: ``/v1/events`` needs ``events``; ``/v1/admin/...`` and ``/metrics`` need ``admin``; health,
docs and the filing page are public; everything else needs ``features``.

Every endpoint that reads or changes a user's data calls :func:`require_user` with the user id it is about
to touch (``writes=True`` when it stores data for them).
With auth off (a loopback dev server with no keys) identity is anonymous and the checks pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from lingxi.errors import LingxiError
from lingxi.server import logs
from lingxi.server.keys import KEY_PREFIX, TOKEN_PREFIX, Forbidden, KeyStore, Unauthorized
from lingxi.server.limits import Limits, limit_problem

AuthMode = Literal["auto", "required", "off"]
PUBLIC_PATHS = frozenset(
    {"/healthz", "/readyz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/v1/schema/events"}
)
DOCS_ASSETS = "/docs/assets"  # Swagger UI and ReDoc scripts, served by the service itself
# console pages hold no data; their API calls carry keys
PUBLIC_PREFIXES = ("/v1/compliance/filing", "/console", DOCS_ASSETS)


@dataclass(frozen=True)
class Identity:
    """The caller of one request. ``enforced`` is False when auth is off or the route is public."""

    enforced: bool
    via: Literal["off", "public", "key", "token"]
    app_id: str = ""
    key_id: str = ""
    scopes: frozenset[str] = frozenset()
    user_id: str | None = None  # fixed by a user token

    @property
    def admin(self) -> bool:
        return "admin" in self.scopes


def required_scope(path: str) -> str | None:
    """The scope a route needs (None: public)."""
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return None
    if path.startswith("/v1/admin") or path == "/metrics":
        return "admin"
    if path.startswith("/v1/events"):
        return "events"
    return "features"


class Authenticator:
    """Resolves identities for one app; ``mode`` auto means required as soon as any key exists."""

    def __init__(
        self,
        keys: KeyStore,
        limits: Limits,
        secret: bytes,
        mode: AuthMode,
        holds_data: Callable[[str], bool] = lambda _user: False,
    ) -> None:
        self.keys = keys
        self.holds_data = holds_data  # data stored for the user outside the API (CLI, SDK): the first app claims it
        self.limits = limits
        self.secret = secret
        self.mode = mode
        self._owners: dict[str, str] = {}
        self._keys_seen = False

    def enabled(self) -> bool:
        if self.mode == "auto" and not self._keys_seen:
            self._keys_seen = self.keys.any_keys()  # keys are never deleted (revoked ones count): True stays True
        return self.mode == "required" or (self.mode == "auto" and self._keys_seen)

    def resolve(self, path: str, authorization: str | None, user_header: str | None) -> Identity:
        scope = required_scope(path)
        if scope is None:
            return Identity(False, "public")
        if not self.enabled():
            return Identity(False, "off")
        scheme, _, credential = (authorization or "").partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential:
            raise Unauthorized(
                "missing API key: send Authorization: Bearer <key>",
                message_zh="缺少 API 密钥：请在 Authorization 头中携带 Bearer 密钥",
                hint="create one with `lingxi keys create APP --scope features`",
            )
        if credential.startswith(TOKEN_PREFIX):
            token = self.keys.verify_token(credential)
            if token is None:
                raise Unauthorized("invalid or expired user token", message_zh="用户令牌无效或已过期")
            ident = Identity(True, "token", token.app_id, token.key_id, frozenset(token.scopes), token.user_id)
            if user_header is not None and user_header != token.user_id:
                raise Forbidden(
                    "X-Lingxi-User differs from the user token's user",
                    message_zh="X-Lingxi-User 与用户令牌所属用户不一致",
                )
        elif credential.startswith(KEY_PREFIX) and (key := self.keys.verify(credential)) is not None:
            ident = Identity(True, "key", key.app_id, key.key_id, frozenset(key.scopes))
        else:
            raise Unauthorized("invalid or revoked API key", message_zh="API 密钥无效或已被吊销")
        if scope not in ident.scopes and not ident.admin:
            raise Forbidden(
                f"this credential lacks the '{scope}' scope",
                message_zh=f"该凭据没有「{scope}」权限",
                hint="create a key with the needed --scope",
            )
        return ident

    def forget(self, user_id: str) -> None:
        """Drop the cached owner of a deleted user (the row itself goes with the user's data)."""
        self._owners.pop(user_id, None)

    def owner(self, app_id: str, user_id: str, *, writes: bool) -> str | None:
        """The owning app; a write (or a first touch of data stored outside the API) claims an unowned user."""
        owner = self._owners.get(user_id) or self.keys.owner_of(user_id)
        if owner is None and (writes or self.holds_data(user_id)):
            owner = self.keys.claim_user(app_id, user_id)
        if owner is not None:
            if len(self._owners) > 100_000:
                self._owners.clear()
            self._owners[user_id] = owner
        return owner

    def transfer(self, user_id: str, app_id: str) -> str | None:
        """Give ``user_id`` to ``app_id`` (admin); returns the previous owner."""
        previous = self.keys.transfer_user(user_id, app_id)
        self._owners[user_id] = app_id
        return previous


class AuthMiddleware:
    """Resolves the identity once per request; refusals are problem JSON (401 with ``WWW-Authenticate``)."""

    def __init__(self, app: ASGIApp, auth: Authenticator) -> None:
        self.app = app
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])

        def header(name: bytes) -> str | None:
            value = headers.get(name)
            return value.decode("latin-1") if value is not None else None

        try:
            ident = self.auth.resolve(scope["path"], header(b"authorization"), header(b"x-lingxi-user"))
        except LingxiError as exc:
            response = limit_problem(exc, scope["path"])
            if exc.status == 401:
                response.headers["WWW-Authenticate"] = 'Bearer realm="lingxi"'
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["identity"] = ident
        ctx = logs.current.get()
        if ctx is not None and ident.enforced:
            ctx.app_id = ident.app_id
        await self.app(scope, receive, send)


def identity(request: Request) -> Identity:
    ident = getattr(request.state, "identity", None)
    return ident if isinstance(ident, Identity) else Identity(False, "off")


LOCAL_USER = "local"


def default_user(request: Request) -> str:
    """The end user of a request that names none.

    A user token's own user; else, with auth on, the calling app's anonymous user ``local@<app>`` (so two
    apps never share, or fight over, one ``local``); else ``local`` (a loopback dev server without keys).
    """
    ident = identity(request)
    if ident.user_id is not None:
        return ident.user_id
    header = request.headers.get("x-lingxi-user")
    if header:
        return header
    return f"{LOCAL_USER}@{ident.app_id}" if ident.enforced and ident.app_id else LOCAL_USER


def require_user(request: Request, user_id: str, *, writes: bool = False) -> None:
    """Raise 403 unless the authenticated caller may act for ``user_id``; then apply the user's limits.

    ``writes``: the request stores data for the user, which makes the caller's app the owner of an unowned id.
    """
    ident = identity(request)
    auth: Authenticator | None = getattr(request.app.state, "lingxi_auth", None)
    if not ident.enforced or auth is None:
        return
    if not ident.admin:
        denied = Forbidden(
            "this credential may not act for that user",
            message_zh="无权访问该用户的数据",
            hint="use the user's own token, or the key of the app that owns the user",
        )
        if ident.user_id is not None and user_id != ident.user_id:
            raise denied
        header = request.headers.get("x-lingxi-user")
        if header is not None and header != user_id:
            raise denied
        if auth.owner(ident.app_id, user_id, writes=writes) not in (None, ident.app_id):
            raise denied
    ctx = logs.current.get()
    if ctx is not None:
        ctx.user = logs.user_hash(auth.secret, user_id)
    checked: set[str] = getattr(request.state, "limited_users", set())
    if user_id not in checked:
        auth.limits.check_user(user_id)
        request.state.limited_users = checked | {user_id}


def require_admin(request: Request) -> None:
    """Raise unless the caller holds the admin scope (a no-op with auth off)."""
    ident = identity(request)
    if ident.enforced and not ident.admin:
        raise Forbidden("this needs the admin scope", message_zh="该操作需要管理员（admin）权限")


class UserTokenRequest(BaseModel):
    user_id: str = Field(min_length=1, max_length=128)
    scopes: list[Literal["features", "events"]] = Field(
        default_factory=list, description="default: the key's scopes except admin"
    )
    ttl_s: int = Field(default=900, ge=60, le=2**31, description="lifetime; capped by server.user_token_ttl_s")


class UserTokenOut(BaseModel):
    token: str
    token_type: str = "Bearer"
    user_id: str
    scopes: list[str]
    expires_at_ms: int


def router(auth: Authenticator, max_ttl_s: int) -> APIRouter:
    api = APIRouter(prefix="/v1/auth", tags=["auth"])

    @api.post("/user-tokens", status_code=201, summary="A short-lived token acting for one user (needs an app key)")
    def user_token(request: Request, body: UserTokenRequest) -> UserTokenOut:
        ident = identity(request)
        if ident.via == "token":
            raise Forbidden("a user token cannot issue user tokens", message_zh="用户令牌不能再签发用户令牌")
        if ident.via != "key":
            raise Unauthorized(
                "user tokens are issued to app API keys only",
                message_zh="只有应用 API 密钥可以签发用户令牌",
                hint="send Authorization: Bearer lx_... (auth must be enabled: create a key first)",
            )
        require_user(request, body.user_id)
        key = next(k for k in auth.keys.list_keys(ident.app_id) if k.key_id == ident.key_id)
        token, expires = auth.keys.issue_token(key, body.user_id, tuple(body.scopes), min(body.ttl_s, max_ttl_s))
        scopes = sorted(set(body.scopes) or set(key.scopes) - {"admin"})
        return UserTokenOut(token=token, user_id=body.user_id, scopes=scopes, expires_at_ms=expires)

    return api


class OwnerTransfer(BaseModel):
    app_id: str = Field(min_length=1, max_length=128, description="the app that owns the user from now on")


class OwnerOut(BaseModel):
    user_id: str
    app_id: str
    previous_app_id: str | None


def admin_router(auth: Authenticator) -> APIRouter:
    """``/v1/admin/users/{id}/owner``: an operator moves a user id to another app (``lingxi keys transfer``)."""
    api = APIRouter(prefix="/v1/admin/users", tags=["auth"])

    @api.post("/{user_id}/owner", summary="Move a user id to another app (admin)")
    def transfer(request: Request, user_id: str, body: OwnerTransfer) -> OwnerOut:
        require_admin(request)
        previous = auth.transfer(user_id, body.app_id)
        return OwnerOut(user_id=user_id, app_id=body.app_id, previous_app_id=previous)

    return api
