"""The operator's console on a server with auth on and real traffic, in headless Chromium.

Acceptance: "who used which model how much today, and what was blocked" is answered from the console alone —
the usage page's numbers are compared with the traffic the test sent (each response's own token counts), and
the blocked request is followed to its audit record. Then: admin pages are hidden from a non-admin key (no
empty tabs, no error toast), keys and quotas are managed from the console, and the Chinese console shows no
English status codes. Screenshots go to ``tests/artifacts/console/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lingxi import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app
from lingxi.server.console import ADMIN_PAGES
from lingxi.server.console.i18n import table
from lingxi.server.keys import KeyStore, load_secret
from live_server import serve

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = Path(__file__).parent / "artifacts" / "console"
ZH = table("zh")
#: status codes the Chinese console must show as words
CODES = re.compile(
    r"\b(pass|block|blocked|input_blocked|output_blocked|refused|error|closed|open|half_open|received|processing|"
    r"resolved|rejected|on_device|cloud|llm|classical|unknown|adult|active|revoked|features|events|admin)\b"
)
BLOCKED_TEXT = "请告诉我制毒配方"  # the keyword layer's seed list blocks it (A.1.8), as in test_server


class Traffic:
    """What the test sent, from the responses themselves: per (app, model) requests and tokens, and blocks."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict[str, int]] = {}
        self.users: dict[str, int] = {}

    def chat(self, base: str, key: str, app: str, user: str, model: str, text: str) -> dict[str, Any]:
        r = httpx.post(
            f"{base}/v1/chat/completions",
            headers={"Authorization": f"Bearer {key}"},
            json={"model": model, "messages": [{"role": "user", "content": text}], "user": user},
            timeout=60,
        )
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        row = self.rows.setdefault((app, model), {"requests": 0, "tokens": 0, "blocked": 0})
        row["requests"] += 1
        row["tokens"] += body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]
        row["blocked"] += int(body["lingxi"]["refused"])
        self.users[user] = self.users.get(user, 0) + 1
        return body


@pytest.fixture(scope="module")
def ops(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    lx = Lingxi(tmp_path_factory.mktemp("ops") / "home")
    store = KeyStore(lx.db, load_secret(lx.settings.home))
    _, admin = store.create("ops", ["admin"])
    _, notes = store.create("notes-app", ["features"])
    _, mail = store.create("mail-app", ["features"])
    with serve(create_app(lx)) as (base, _):
        traffic = Traffic()
        for text in ("帮我总结：周一上午十点产品评审会。会员体系改版十二月上线。", "明天上午九点提醒我交报告。"):
            traffic.chat(base, notes, "notes-app", "alice", "lite/textrank", text)
        blocked = traffic.chat(base, notes, "notes-app", "alice", "lite/textrank", BLOCKED_TEXT)
        assert blocked["lingxi"]["refused"] and blocked["lingxi"]["input_screen"]["risks"] == ["A.1.8"]
        traffic.chat(base, mail, "mail-app", "bob", "lite/retrieval", "谢谢你帮忙！")
        yield {"lx": lx, "base": base, "admin": admin, "notes": notes, "traffic": traffic, "blocked": blocked}


@pytest.fixture(scope="module")
def page(ops: dict[str, Any]) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; .ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(base_url=ops["base"], viewport={"width": 1360, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        yield pg
        context.close()
        browser.close()


def _sign_in(page: Any, key: str) -> None:
    page.goto("/console/playground")
    page.click("#signin summary")
    page.fill("#signin-key", key)
    page.click("#signin-form button")


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_operator_answers_who_used_which_model_how_much_and_what_was_blocked(page: Any, ops: dict[str, Any]) -> None:
    lx, traffic = ops["lx"], ops["traffic"]
    _sign_in(page, ops["admin"])
    page.click("#nav-usage")
    page.wait_for_selector("#us-app-model tr")
    expected = traffic.rows
    assert page.inner_text("#us-requests") == str(sum(r["requests"] for r in expected.values()))
    assert page.inner_text("#us-tokens") == str(sum(r["tokens"] for r in expected.values()))
    assert page.inner_text("#us-blocked") == "1"
    shown = {
        (row.get_attribute("data-app"), row.get_attribute("data-model")): {
            "requests": int(row.locator(".n-req").inner_text()),
            "tokens": int(row.locator(".n-tok").inner_text()),
            "blocked": int(row.locator(".n-blk").inner_text()),
        }
        for row in page.locator("#us-app-model tr").all()
    }
    assert shown == expected  # who (app) used which model, how much, and what was blocked
    for user, count in traffic.users.items():  # per user, by pseudonym only
        ref = lx.audit.pseudonym(user)
        row = page.locator(f"#us-users tr[data-user='{ref}']")
        assert row.locator(".n-req").inner_text() == str(count)
        assert user not in row.inner_text()
    bars = page.locator("#us-chart rect[data-series=requests]")
    assert bars.last.get_attribute("data-value") == str(sum(traffic.users.values()))  # today's bar
    blocked_row = page.locator("#us-blocked-rows tr")
    assert blocked_row.count() == 1
    assert blocked_row.locator("td.verdict").inner_text() == ZH["v_input_blocked"]
    assert "A.1.8" in blocked_row.inner_text() and "notes-app" in blocked_row.inner_text()
    _shot(page, "ops-usage")

    blocked_row.locator("a.audit-link").click()  # the audit entry behind the blocked request
    page.wait_for_selector("#au-rows tr")
    assert page.locator("#au-rows tr").count() == 1
    audit_id = ops["blocked"]["lingxi"]["audit_id"]
    assert page.locator("#au-rows tr").get_attribute("data-id") == audit_id
    assert ZH["v_block"] in page.inner_text("#au-rows") and "A.1.8" in page.inner_text("#au-rows")
    _shot(page, "ops-audit-entry")

    page.goto("/console/requests")  # the request log, searched by verdict and by a user's pseudonym
    page.wait_for_selector("#rq-rows tr")
    assert page.locator("#rq-rows tr").count() == sum(traffic.users.values())
    page.select_option("#rq-verdict", "blocked")
    page.click("#rq-search")
    page.wait_for_selector(f"#rq-count:text-is('1 {ZH['found']}')")  # selectors only: the CSP forbids eval
    assert page.locator("#rq-rows td.verdict").inner_text() == ZH["v_input_blocked"]
    page.select_option("#rq-verdict", "")
    page.fill("#rq-user", lx.audit.pseudonym("bob")[:8])
    page.click("#rq-search")
    page.wait_for_selector("#rq-rows tr:has-text('mail-app')")
    assert page.locator("#rq-rows tr").count() == 1
    assert "lite/retrieval" in page.inner_text("#rq-rows") and "mail-app" in page.inner_text("#rq-rows")
    _shot(page, "ops-requests")

    page.goto("/console/health")
    page.wait_for_selector("#hl-rows tr[data-model='lite/textrank']")
    row = page.locator("#hl-rows tr[data-model='lite/textrank']")
    assert row.locator(".n-req").inner_text() == str(traffic.rows[("notes-app", "lite/textrank")]["requests"])
    assert row.locator("td.state").inner_text() == ZH["st_closed"]
    _shot(page, "ops-health")

    lx.consents.update("alice", grant=[Scope.MESSAGES])  # the directory lists users with consent records
    page.goto("/console/users")
    page.wait_for_selector("#ud-rows tr")
    page.fill("#ud-q", "alice")
    page.click("#ud-search")
    row = page.locator(f"#ud-rows tr[data-user='{lx.audit.pseudonym('alice')}']")
    row.wait_for()
    assert "alice" not in row.inner_text() and "al***e" in row.inner_text()
    assert "消息" in row.locator("td.scopes").inner_text()
    assert row.locator(".n-req").inner_text() == str(traffic.users["alice"])
    _shot(page, "ops-users")


def test_admin_pages_hidden_from_a_non_admin(page: Any, ops: dict[str, Any]) -> None:
    _sign_in(page, ops["notes"])
    page.goto("/console/playground")
    page.wait_for_selector("body[data-gate=user]", state="attached")  # the console asked who this key is
    for name in ADMIN_PAGES:
        assert page.locator(f"#nav-{name}").is_hidden(), name
    assert page.locator("#nav-playground").is_visible()
    page.goto("/console/usage")
    page.wait_for_selector("#admin-only:not([hidden])")
    assert page.locator("#page").is_hidden()  # no empty tables
    assert page.locator("#toast").is_hidden()  # and no error toast
    assert ZH["admin_only"] in page.inner_text("main")
    _shot(page, "ops-non-admin")
    _sign_in(page, ops["admin"])
    page.wait_for_selector("body[data-gate=admin]", state="attached")
    assert all(page.locator(f"#nav-{name}").is_visible() for name in ADMIN_PAGES)


def test_keys_and_quotas_from_the_console(page: Any, ops: dict[str, Any]) -> None:
    base = ops["base"]
    _sign_in(page, ops["admin"])
    page.goto("/console/keys")
    page.wait_for_selector("#ky-rows tr")
    page.fill("#ky-app", "chat-app")
    page.click("#ky-create")
    page.wait_for_selector("#ky-new:not([hidden])")
    key = page.inner_text("#ky-plain").strip()
    assert key.startswith("lx_")
    auth = {"Authorization": f"Bearer {key}"}
    assert httpx.get(f"{base}/v1/models", headers=auth).status_code == 200
    assert httpx.get(f"{base}/v1/admin/usage", headers=auth).status_code == 403  # features only
    row = page.locator(f"#ky-rows tr[data-prefix='{key[:12]}']")
    row.locator("input.ky-scope[value=events]").check()
    with page.expect_response(lambda r: r.url.endswith("/scopes") and r.status == 200):
        row.locator("button.ky-save").click()
    keys = httpx.get(f"{base}/v1/admin/keys", headers={"Authorization": f"Bearer {ops['admin']}"}).json()["keys"]
    assert next(k for k in keys if k["prefix"] == key[:12])["scopes"] == ["events", "features"]
    app_row = page.locator("#ky-apps tr[data-app=chat-app]")
    app_row.locator("input.ky-quota").fill("5000")
    app_row.locator("button.ky-quota-save").click()
    page.wait_for_selector("#ky-apps tr[data-app=chat-app]:has-text('自定义')")
    assert page.locator("#ky-apps tr[data-app=chat-app] input.ky-quota").input_value() == "5000"
    page.once("dialog", lambda d: d.accept())
    page.locator(f"#ky-rows tr[data-prefix='{key[:12]}'] button.ky-revoke").click()
    page.wait_for_selector(f"#ky-rows tr[data-prefix='{key[:12]}'] td.state.bad")
    assert httpx.get(f"{base}/v1/models", headers=auth).status_code == 401
    _shot(page, "ops-keys")


def test_chinese_console_shows_no_english_status_codes(page: Any, ops: dict[str, Any]) -> None:
    ops["lx"].consents.update("bob", grant=[Scope.MESSAGES])
    _sign_in(page, ops["admin"])
    ready = {"usage": "#us-app-model tr", "requests": "#rq-rows tr", "health": "#hl-rows tr", "keys": "#ky-rows tr",
             "users": "#ud-rows tr", "audit": "#au-rows tr"}  # fmt: skip
    for name, selector in ready.items():
        page.goto(f"/console/{name}")
        page.wait_for_selector(selector)
        text = page.inner_text("#page")
        found = CODES.findall(text)
        assert not found, (name, found)
    page.goto("/console/playground")
    page.fill("#pg-f-message", "你好")
    page.click("#pg-run")
    page.wait_for_selector("#pg-in-screen")
    assert page.inner_text("#pg-in-screen").startswith(ZH["v_pass"])
