"""The web console at ``/console``: server-rendered Jinja2 pages, one small vanilla JS file, one CSS file.

Why no front-end build (no Vite/React): lingxi deploys as a Python package, often on a device or an intranet
without internet access. A Node toolchain would be a second build system to keep in CI, and bundles from npm
would be third-party code to audit and ship. The console's job is small — forms over the JSON API, a stream
reader, a few tables — which plain ``fetch`` and the DOM do in a few hundred lines, with nothing to download
and nothing to compile; the files are package data, served by the same process as the API.

Pages render the chrome (navigation, labels, the sign-in box) on the server in the chosen language; the data
comes from the public JSON API, called by ``console.js`` with the sign-in box's ``Authorization`` /
``X-Lingxi-User`` headers, so the console sees exactly what any other client of the API would see. Chinese is
the default; ``/console/lang/en`` sets a cookie for English.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from lingxi.__about__ import __version__
from lingxi.compliance.complaints import STATUS_NAMES_ZH, Status
from lingxi.context.events import EVENT_TYPES
from lingxi.errors import NotFound
from lingxi.facade import Lingxi
from lingxi.privacy.consent import SCOPE_NAMES_ZH, Scope
from lingxi.server.console.features import available
from lingxi.server.console.i18n import COOKIE, DEFAULT_LANG, LANGS, table

HERE = Path(__file__).parent
PAGES: tuple[str, ...] = (
    "playground", "events", "consents",
    "usage", "requests", "health", "keys", "users", "audit", "complaints", "compliance", "bakeoff",
)  # fmt: skip
#: pages that read ``/v1/admin/...``: hidden from a credential without the admin scope (see console.js)
ADMIN_PAGES = frozenset(PAGES[3:])
#: the core first (it defines ``LX``), then one file per group of pages, each registering its pages
SCRIPTS = ("console.js", "chart.js", "user_pages.js", "ops_pages.js", "report_pages.js")
_JS = "text/javascript; charset=utf-8"
_STATIC = {**{name: _JS for name in SCRIPTS}, "console.css": "text/css; charset=utf-8"}
_SCOPE_EN = {
    Scope.MESSAGES: "Messages",
    Scope.NOTIFICATIONS: "Notifications",
    Scope.SHOPPING: "Shopping and orders",
    Scope.PAYMENTS: "Payments and financial data (separate consent)",
    Scope.CALENDAR: "Calendar",
    Scope.LOCATION: "Location",
    Scope.CAMERA_PHOTOS: "Photos and screenshots (separate consent)",
    Scope.CLOUD_PROCESSING: "Cloud processing",
    Scope.MODEL_IMPROVEMENT: "Model improvement (separate consent)",
}

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


def lang_of(request: Request) -> str:
    lang = request.cookies.get(COOKIE, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def render(page: str, request: Request, lx: Lingxi) -> str:
    """One page in the request's language; the page's data is fetched by ``console.js``."""
    lang = lang_of(request)
    strings = table(lang)
    scopes = [
        {"id": s.value, "name": SCOPE_NAMES_ZH.get(s, s.value) if lang == "zh" else _SCOPE_EN.get(s, s.value)}
        for s in Scope
    ]
    boot: dict[str, Any] = {
        "page": page,
        "lang": lang,
        "strings": strings,
        "features": available(request.app.openapi()),
        "event_types": list(EVENT_TYPES),
        "scopes": scopes,
        "statuses": {s.value: STATUS_NAMES_ZH[s] if lang == "zh" else s.value.capitalize() for s in Status},
        "admin_pages": sorted(ADMIN_PAGES),
        "default_model": lx.router.default,
    }
    return _env.get_template(f"{page}.html").render(
        t=strings.__getitem__,
        lang=lang,
        page=page,
        pages=PAGES,
        admin_pages=ADMIN_PAGES,
        scripts=SCRIPTS,
        version=__version__,
        boot=json.dumps(boot, ensure_ascii=False).replace("</", "<\\/"),
        scopes=scopes,
        event_types=EVENT_TYPES,
        default_model=lx.router.default,
    )


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/console", tags=["console"], include_in_schema=False)

    @api.get("")
    @api.get("/")
    async def index() -> RedirectResponse:
        return RedirectResponse("/console/playground", status_code=307)

    @api.get("/lang/{lang}")
    async def set_lang(lang: str, request: Request) -> RedirectResponse:
        back = urlsplit(request.headers.get("referer") or "").path  # path only: never redirect off-site
        resp = RedirectResponse(back if back.startswith("/console/") else "/console/playground", status_code=303)
        resp.set_cookie(COOKIE, lang if lang in LANGS else DEFAULT_LANG, max_age=365 * 86400, samesite="lax")
        return resp

    @api.get("/static/{name}")
    async def static(name: str) -> FileResponse:
        if name not in _STATIC:
            raise NotFound(f"no console file {name}", message_zh=f"没有这个控制台文件：{name}")
        return FileResponse(HERE / "static" / name, media_type=_STATIC[name], headers={"Cache-Control": "no-cache"})

    @api.get("/{page}", response_class=HTMLResponse)
    async def page(page: str, request: Request) -> HTMLResponse:
        if page not in PAGES:
            raise NotFound(
                f"no console page {page}",
                message_zh=f"没有这个控制台页面：{page}",
                hint="pages: " + ", ".join(PAGES),
            )
        return HTMLResponse(render(page, request, lx))

    return api
