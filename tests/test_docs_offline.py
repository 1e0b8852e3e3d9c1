"""/docs and /redoc render in headless Chromium with every request off the service refused (no CDN).

Skips, saying why, where Playwright or /usr/bin/chromium is absent (as tests/test_console.py does).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lingxi import Lingxi
from lingxi.server.app import create_app
from live_server import serve
from test_console import ARGS, CHROMIUM

ARTIFACTS = Path(__file__).parent / "artifacts" / "docs"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(create_app(Lingxi(tmp_path_factory.mktemp("docs") / "home"))) as (url, _):
        yield url


def test_docs_pages_reference_only_the_service(served: str) -> None:
    for path in ("/docs", "/redoc"):
        html = httpx.get(served + path).text
        assert "cdn.jsdelivr" not in html and "fonts.googleapis" not in html and "/docs/assets/" in html
    asset = httpx.get(served + "/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")
def test_docs_render_with_no_network(served: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []

    def only_the_service(route: Any) -> None:
        if route.request.url.startswith(served):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(base_url=served, viewport={"width": 1280, "height": 900})
        context.route("**/*", only_the_service)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto("/docs")  # Swagger UI first: it must not ask the network for anything
        title = page.wait_for_selector(".swagger-ui .info .title")
        assert title is not None and "lingxi" in title.inner_text()
        page.wait_for_selector("#operations-OpenAI-compatible-chat_completions_v1_chat_completions_post")
        page.screenshot(path=str(ARTIFACTS / "docs.png"))
        assert refused == []
        page.goto("/redoc")
        heading = page.wait_for_selector("h1")
        assert heading is not None and "lingxi" in heading.inner_text()
        page.wait_for_selector("h2:has-text('Chat completion through the lingxi pipeline')")
        page.screenshot(path=str(ARTIFACTS / "redoc.png"))
        context.close()
        browser.close()
    # nothing else was asked of the network: ReDoc's "API docs by Redocly" badge image is all it tried
    assert [u for u in refused if not u.startswith("https://cdn.redoc.ly/redoc/logo-mini")] == []
