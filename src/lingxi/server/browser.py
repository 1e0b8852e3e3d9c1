"""Protection from web pages: the Host/Origin allow-list when auth is off, and security headers.

DNS rebinding: with auth off (a loopback dev server without keys), any web page the user opens could point
its own domain at 127.0.0.1 and then read and delete every user's data through the user's browser: the
browser thinks it talks to the page's own origin, so CORS does not stop it. What gives it away is the
``Host`` header (the attacker's name, not ours), and ``Origin`` on cross-site requests. So while auth is off,
a request must name an allowed host — loopback names, the address the server is bound to, and
``server.allowed_hosts`` — or it gets 421; an ``Origin`` from any other host gets 403. With auth on, the API
key is the protection (a page cannot know it), and proxies may use any name.

Headers: every response gets ``nosniff``, ``X-Frame-Options: DENY`` and ``Referrer-Policy: same-origin``;
console pages a Content-Security-Policy that allows only their own scripts and styles (no inline script:
the boot data is a JSON ``<script type="application/json">``, which is not executed); JSON responses a
``default-src 'none'`` policy (nothing in them should ever run).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lingxi.bakeoff.report_script import SCRIPT_CSP_HASH
from lingxi.errors import LingxiError
from lingxi.server.auth import Authenticator
from lingxi.server.problems import problem_response

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
CONSOLE_CSP = (  # the hash admits the bake-off report's one inline script in its srcdoc iframe (report_script)
    f"default-src 'self'; script-src 'self' {SCRIPT_CSP_HASH}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # not no-referrer: the console's language switch returns to it
]


def host_name(value: str) -> str:
    """The host of a ``Host`` header or an origin's authority, without port or IPv6 brackets, lowercased."""
    host = urlsplit("//" + value.strip()).hostname
    return host or ""


class BrowserGuard:
    """The allow-list (only while ``auth`` is off) and the security headers (always)."""

    def __init__(self, app: ASGIApp, auth: Authenticator, allowed_hosts: tuple[str, ...] = ()) -> None:
        self.app = app
        self.auth = auth
        self.allowed = LOOPBACK_HOSTS | {host_name(h) for h in allowed_hosts}

    def _auth_on(self) -> bool:
        try:
            return self.auth.enabled()
        except LingxiError:  # the key store is unreadable: refuse, as with auth off
            return False

    def refusal(self, scope: Scope) -> tuple[int, str, str] | None:
        """``(status, detail, detail_zh)`` for a request from a name or origin not allowed, else None."""
        headers = dict(scope["headers"])
        bound = (scope.get("server") or ("",))[0] or ""
        allowed = self.allowed | {host_name(bound)}
        try:
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            origin = headers.get(b"origin")
            origin_host = None if origin is None else host_name(urlsplit(origin.decode("latin-1")).netloc)
        except ValueError:  # a malformed port or IPv6 literal
            host, origin_host = "", ""
        if host not in allowed:
            return (
                421,
                "this server answers only to its loopback names",
                "本服务只接受本机地址的访问（Host 不在允许列表中）",
            )
        if origin_host is not None and origin_host not in allowed:
            return (
                403,
                "cross-origin requests are refused while auth is off",
                "鉴权关闭时拒绝跨站请求（Origin 不在允许列表中）",
            )
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self.refusal(scope)  # checked first: an allowed name needs no database read
        if refused is not None and self._auth_on():
            refused = None
        console = scope["path"].startswith("/console")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                headers.extend(_COMMON)
                content_type = dict(headers).get(b"content-type", b"")
                if console:
                    headers.append((b"content-security-policy", CONSOLE_CSP.encode()))
                elif b"json" in content_type:
                    headers.append((b"content-security-policy", API_CSP.encode()))
            await send(message)

        if refused is not None:
            status, detail, detail_zh = refused
            problem = {
                "type": "https://lingxi.dev/problems/host_not_allowed",
                "title": "Misdirected request" if status == 421 else "Forbidden",
                "status": status,
                "detail": detail,
                "detail_zh": detail_zh,
                "code": "host_not_allowed",
                "instance": scope["path"],
                "hint": "use http://127.0.0.1:PORT, add the name to server.allowed_hosts, or turn auth on",
            }
            await problem_response(problem)(scope, receive, with_headers)
            return
        await self.app(scope, receive, with_headers)
