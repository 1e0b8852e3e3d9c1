"""The web console: its JSON endpoints and pages (TestClient), then the main flows in headless Chromium.

The browser tests start the real app with uvicorn on a loopback port, load the sample user and drive Debian's
``chromium`` through Playwright; they skip, saying why, where that browser is absent. Each page's screenshot
is saved under ``tests/artifacts/console/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from lingxi import Lingxi
from lingxi.bakeoff.report_script import REPORT_SCRIPT
from lingxi.compliance.assessment import assess, write_report
from lingxi.compliance.labels import EXPLICIT_CLASSICAL, EXPLICIT_LLM
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.server.app import create_app
from lingxi.server.console import PAGES
from lingxi.server.console.i18n import COOKIE, STRINGS, table
from live_server import serve
from safety_fixture import write_jsonl

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts" / "console"
# the date field is a datetime-local input: the browser runs in UTC (new_context's timezone_id below)
SAMPLE_NOW_LOCAL = datetime.fromtimestamp(SAMPLE_NOW_MS / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M")


# ---- JSON endpoints and pages, no browser ------------------------------------------------------------


@pytest.fixture
def client(lx: Lingxi) -> TestClient:
    lx.load_sample()
    return TestClient(create_app(lx))


def test_string_table_is_complete() -> None:
    for key, (zh, en) in STRINGS.items():
        assert zh.strip() and en.strip(), key
    for page in PAGES:
        assert f"nav_{page}" in STRINGS


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_in_both_languages(client: TestClient, lang: str) -> None:
    client.cookies.set(COOKIE, lang)
    strings = table(lang)
    for page in PAGES:
        r = client.get(f"/console/{page}")
        assert r.status_code == 200, page
        html = r.text
        assert f"<title>{escape(strings['nav_' + page])} · {escape(strings['app_title'])}</title>" in html
        other = table("en" if lang == "zh" else "zh")
        assert (
            escape(other["nav_" + page]) not in html.split("<main>")[1].split("<script")[0]
        )  # the body is one language
        boot = json.loads(html.split('<script id="boot" type="application/json">')[1].split("</script>")[0])
        assert boot["lang"] == lang and boot["page"] == page
        ids = {f["id"] for f in boot["features"]}
        assert {"chat", "notifications_summary", "summarize", "translate", "replies", "assistant"} <= ids  # all served


def test_console_static_redirects_and_errors(client: TestClient) -> None:
    assert client.get("/console/static/console.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/console/static/console.css").status_code == 200
    missing = client.get("/console/static/../app.py")
    assert missing.status_code == 404
    bad = client.get("/console/nope")
    assert bad.status_code == 404 and "控制台页面" in bad.json()["detail_zh"]
    r = client.get("/console/", follow_redirects=False)
    assert r.headers["location"] == "/console/playground"
    r = client.get(
        "/console/lang/en", headers={"referer": "https://evil.example/console/audit"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/audit"  # path only: never off-site
    assert f"{COOKIE}=en" in r.headers["set-cookie"]


def test_events_timeline_pages_without_overlap(client: TestClient, lx: Lingxi) -> None:
    total = sum(lx.events.count(SAMPLE_USER_ID).values())
    seen: list[str] = []
    before: int | None = None
    for _ in range(100):
        params: dict[str, Any] = {"limit": 60}
        if before is not None:
            params["before"] = before
        body = client.get(f"/v1/users/{SAMPLE_USER_ID}/events", params=params).json()
        ts = [e["ts"] for e in body["events"]]
        assert ts == sorted(ts, reverse=True)
        assert all(e["summary_zh"] for e in body["events"])
        seen += [e["event_id"] for e in body["events"]]
        before = body["next_before"]
        if before is None:
            break
    assert len(seen) == len(set(seen))
    assert len(seen) <= total and len(seen) >= total - 5  # a cursor on ts may skip same-millisecond ties only
    only = client.get(f"/v1/users/{SAMPLE_USER_ID}/events", params={"type": "payment", "limit": 200}).json()
    assert {e["type"] for e in only["events"]} == {"payment"}
    assert len(only["events"]) == lx.events.count(SAMPLE_USER_ID)["payment"]
    bad = client.get(f"/v1/users/{SAMPLE_USER_ID}/events", params={"type": "nope"})
    assert bad.status_code == 400 or bad.status_code == 422
    assert "type" in bad.json()["detail_zh"]


def test_profile_explains_each_fact_with_its_events(client: TestClient, lx: Lingxi) -> None:
    body = client.get(f"/v1/users/{SAMPLE_USER_ID}/profile", params={"now_ms": SAMPLE_NOW_MS}).json()
    facts = body["profile"]["categories"] + body["profile"]["brands"]
    assert facts
    for fact in facts:
        assert fact["explanation_zh"]
        assert fact["event_ids"] and all(i in body["evidence"] for i in fact["event_ids"])
    payments_granted = "payments" in lx.consents.status(SAMPLE_USER_ID).effective_scopes
    assert body["payments_hidden"] is not payments_granted
    lx.consents.update(SAMPLE_USER_ID, non_personalized=True)
    assert client.get(f"/v1/users/{SAMPLE_USER_ID}/profile").json()["non_personalized"] is True


def test_audit_viewer_endpoints_detect_tampering(client: TestClient, lx: Lingxi) -> None:
    lx.summarize("今天下午三点开会。会议讨论预算。预算需要在周五前确定。", user_id=SAMPLE_USER_ID)
    entries = client.get("/v1/admin/audit", params={"limit": 5}).json()["entries"]
    assert entries and entries[0]["hash"]
    verified = client.get("/v1/admin/audit/verify").json()
    assert (verified["ok"], verified["first_broken"], verified["report"]["keyed"]) == (True, None, 1)
    with lx.db.transaction() as conn:  # an attacker with file access drops the append-only guard first
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute(
            "UPDATE audit_log SET body = replace(body, 'summarize', 'tampered') WHERE id = ?", (entries[0]["id"],)
        )
    broken = client.get("/v1/admin/audit/verify").json()
    assert (broken["ok"], broken["first_broken"]) == (False, entries[0]["id"]) and broken["report"]["problems"]


def test_assessment_and_bakeoff_reports(client: TestClient, lx: Lingxi, tmp_path: Path) -> None:
    home = Path(lx.settings.home)
    assert client.get("/v1/admin/assessment").json()["report"] is None
    assert client.get("/v1/admin/assessment/html").status_code == 404
    report = assess(Lingxi(tmp_path / "assess-home"), write_jsonl(tmp_path / "safety.jsonl"), limit=5)
    write_report(report, home / "assessment")
    got = client.get("/v1/admin/assessment").json()
    assert [c["id"] for c in got["report"]["checks"]] == [c["id"] for c in report["checks"]]
    assert client.get(got["html_url"]).text.startswith("<!")
    assert client.get("/v1/admin/bakeoff").json()["report_url"] is None
    (home / "bakeoff" / "run-1").mkdir(parents=True)
    (home / "bakeoff" / "run-1" / "report.html").write_text("<!doctype html><p>bake-off run 1</p>", encoding="utf-8")
    url = client.get("/v1/admin/bakeoff").json()["report_url"]
    assert "bake-off run 1" in client.get(url).text


# ---- headless Chromium ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Lingxi]]:
    lx = Lingxi(tmp_path_factory.mktemp("console") / "home")
    lx.load_sample()
    with serve(create_app(lx)) as (url, _):
        yield url, lx


@pytest.fixture(scope="module")
def browser_page(served: tuple[str, Lingxi]) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; .ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            base_url=served[0], accept_downloads=True, viewport={"width": 1280, "height": 900}, timezone_id="UTC"
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_browser_playground_chat_and_notifications(browser_page: Any, served: tuple[str, Lingxi]) -> None:
    page, (_, lx) = browser_page, served
    page.goto("/console/playground")
    page.select_option("#pg-feature", "chat")
    page.fill("#pg-f-message", "帮我总结：周一上午十点产品评审会。会员体系改版十二月上线。大家提前读需求文档。")
    page.click("#pg-run")
    page.wait_for_selector("#pg-label")
    assert page.inner_text("#pg-output").strip()
    used = page.inner_text("#pg-model-used")
    assert used.startswith("lite/")
    assert page.inner_text("#pg-label") in (EXPLICIT_LLM, EXPLICIT_CLASSICAL)
    assert "轻量层" in page.inner_text("#pg-tier")
    verdict = lx.audit.entries(1)[0]["input_verdict"]
    assert page.inner_text("#pg-in-screen").startswith(table("zh")["v_" + verdict])  # a word, not the code
    _shot(page, "playground-chat")
    for feature in ("rewrite", "replies", "assistant"):  # parameters on every model feature; a date where it matters
        page.select_option("#pg-feature", feature)
        for param in ("system", "temperature", "max_tokens"):
            assert page.locator(f"#pg-f-{param}").count() == 1, (feature, param)
    assert page.get_attribute("#pg-f-now", "type") == "datetime-local"

    page.select_option("#pg-feature", "notifications_summary")
    page.fill("#pg-f-now", SAMPLE_NOW_LOCAL)
    page.click("#pg-run")
    page.wait_for_selector("#pg-model-used")
    digest = json.loads(page.text_content("#pg-json") or "")
    assert digest["groups"], "the sample user has notifications that evening"
    text = page.inner_text("#pg-output")
    assert all(f"【{g['app']}】" in text for g in digest["groups"])
    assert page.inner_text("#pg-model-used") == digest["model"]
    _shot(page, "playground-notifications")

    if page.locator("#pg-feature option[value=notifications_digest]").count() == 0:
        pytest.skip("no streamed feature endpoint (notifications/digest) in this build")
    page.select_option("#pg-feature", "notifications_digest")  # an SSE feature endpoint: delta events, then done
    page.fill("#pg-f-now", SAMPLE_NOW_LOCAL)
    page.click("#pg-run")
    page.wait_for_selector("#pg-model-used")
    done = json.loads(page.text_content("#pg-json") or "")
    assert page.inner_text("#pg-model-used") == done["answer"]["model"]
    assert page.inner_text("#pg-label") == done["answer"]["label"]
    assert page.inner_text("#pg-output").strip()
    _shot(page, "playground-digest")


def test_browser_events_and_profile(browser_page: Any, served: tuple[str, Lingxi]) -> None:
    page, (_, lx) = browser_page, served
    page.goto("/console/events")
    page.wait_for_selector("#ev-list li[data-id]")
    assert page.locator("#ev-list li[data-id]").count() == 50
    page.click("#ev-more")
    page.locator("#ev-list li[data-id]").nth(50).wait_for()  # selector waits: the console's CSP forbids eval
    first = page.locator("#ev-list li[data-id]").first.get_attribute("data-id")
    assert first == lx.events.query(SAMPLE_USER_ID, limit=1)[0].event_id
    why = page.locator("details.why").first
    why.locator("summary").click()
    assert why.locator("p").inner_text().strip()
    assert why.locator("li").count() >= 1
    _shot(page, "events")


def test_browser_consents_export_delete(browser_page: Any, served: tuple[str, Lingxi], tmp_path: Path) -> None:
    page, (base, lx) = browser_page, served
    page.goto("/console/consents")
    page.locator("input[name=scope]:checked").first.wait_for(state="attached")
    page.check("#cs-np")
    page.click("#cs-save")
    page.wait_for_selector("#cs-status:has-text('已保存')")
    assert httpx.get(f"{base}/v1/users/{SAMPLE_USER_ID}/consents").json()["non_personalized"] is True
    page.uncheck("#cs-np")
    page.click("#cs-save")
    page.wait_for_selector("#cs-status:text-is('已保存')")
    assert lx.consents.status(SAMPLE_USER_ID).non_personalized is False

    with page.expect_download() as info:
        page.click("#cs-export")
    path = tmp_path / "export.json"
    info.value.save_as(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["user_id"] == SAMPLE_USER_ID
    assert exported["counts"]["events"] == sum(lx.events.count(SAMPLE_USER_ID).values())
    _shot(page, "consents")

    page.once("dialog", lambda d: d.dismiss())
    page.click("#cs-delete")
    page.wait_for_selector("#cs-rights-status:has-text('已取消')")
    assert sum(lx.events.count(SAMPLE_USER_ID).values()) > 0  # dismissed: nothing deleted

    victim = "console-temp-user"
    lx.ingest([{**e.model_dump(), "user_id": victim, "event_id": "t-" + e.event_id}
               for e in lx.events.query(SAMPLE_USER_ID, limit=5)])  # fmt: skip
    page.click("summary:has-text('登录')")
    page.fill("#signin-user", victim)
    page.click("#signin-form button")
    messages: list[str] = []
    page.once("dialog", lambda d: (messages.append(d.message), d.accept()))
    page.click("#cs-delete")
    page.wait_for_selector("#cs-rights-status:has-text('已删除')")
    assert "不可撤销" in messages[0]
    assert lx.events.count(victim) == {}
    page.fill("#signin-user", SAMPLE_USER_ID)
    page.click("#signin-form button")


def test_browser_audit_complaints_reports(browser_page: Any, served: tuple[str, Lingxi], tmp_path: Path) -> None:
    page, (base, lx) = browser_page, served
    page.goto("/console/audit")
    page.wait_for_selector("#au-rows tr")
    assert page.locator("#au-rows tr").count() == len(lx.audit.entries(100))
    page.click("#au-verify")
    page.wait_for_selector("#au-result:has-text('校验通过')")
    _shot(page, "audit")

    filed = httpx.post(
        f"{base}/v1/complaints", json={"contact": "138****0000", "category": "content", "text": "摘要内容不准确"}
    ).json()
    page.goto("/console/complaints")
    row = page.locator(f"#cp-rows tr[data-id='{filed['id']}']")
    row.click()
    page.wait_for_selector("#cp-text:has-text('摘要内容不准确')")
    page.select_option("#cp-new-status", "processing")
    page.fill("#cp-note", "已转交内容团队")
    page.click("#cp-apply")
    page.wait_for_selector("#cp-status:has-text('处理中')")
    assert httpx.get(f"{base}/v1/complaints/{filed['id']}").json()["status"] == "processing"
    assert "处理中" in row.locator("td.st").inner_text()
    _shot(page, "complaints")

    page.goto("/console/compliance")
    page.wait_for_selector("#co-none:has-text('尚无报告')")
    with ThreadPoolExecutor(1) as pool:  # assess runs asyncio.run: not on Playwright's event-loop thread
        job = pool.submit(assess, Lingxi(tmp_path / "assess-home"), write_jsonl(tmp_path / "safety.jsonl"), limit=5)
        report = job.result()
    write_report(report, Path(lx.settings.home) / "assessment")
    page.reload()
    page.wait_for_selector("#co-rows tr")
    assert page.locator("#co-rows tr").count() == len(report["checks"])
    assert page.locator("#co-rows td.bad").count() == sum(not c["ok"] for c in report["checks"])
    page.wait_for_selector("#co-html:not([hidden])")  # the table once; the full HTML is a download
    assert page.locator("iframe").count() == 0
    _shot(page, "compliance")
    bakeoff = Path(lx.settings.home) / "bakeoff" / "r1"
    bakeoff.mkdir(parents=True)
    dims = {"a": {"quality": 1.0, "cost": 0.0}, "b": {"quality": 0.0, "cost": 1.0}}
    rows = "".join(
        f'<tr data-provider="{p}"><td class="rank">{n}</td><td class="provider">{p}</td><td class="total"></td></tr>'
        for n, p in enumerate(dims, 1)
    )
    (bakeoff / "report.html").write_text(  # the report's own script, as the bake-off writes it
        "<!doctype html><h1>bake-off 报告</h1>"
        '<input class="weight" data-dim="quality" value="1"><input class="weight" data-dim="cost" value="0">'
        f'<table id="scorecard"><tbody>{rows}</tbody></table>'
        f'<script type="application/json" id="dims">{json.dumps(dims)}</script><script>{REPORT_SCRIPT}</script>',
        encoding="utf-8",
    )
    page.goto("/console/bakeoff")
    page.wait_for_selector("#bo-frame:not([hidden])")
    page.wait_for_selector("#bo-frame[style*=height]")  # sized to its content, not a fixed-height frame
    frame = page.frame_locator("#bo-frame")
    assert "bake-off 报告" in frame.locator("h1").inner_text()
    frame.locator("input[data-dim=quality]").fill("0")  # the console's CSP lets the report's script re-rank
    frame.locator("input[data-dim=cost]").fill("1")
    frame.locator("#scorecard tbody tr:first-child[data-provider=b]").wait_for()
    _shot(page, "bakeoff")


def test_browser_language_toggle(browser_page: Any) -> None:
    page = browser_page
    page.goto("/console/audit")
    assert page.inner_text("#nav-playground") == "功能体验"
    page.click("#lang-toggle")
    page.wait_for_selector("html[lang=en]")
    assert page.url.endswith("/console/audit")
    assert page.inner_text("#nav-playground") == "Playground"
    page.click("#au-verify")
    page.wait_for_selector("#au-result:has-text('Chain verified')")
    _shot(page, "audit-en")
    page.click("#lang-toggle")
    page.wait_for_selector("html[lang=zh-CN]")
