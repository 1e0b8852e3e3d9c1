"""The operator endpoints behind the console (no browser): admin only, quotas enforced, logs searchable.

Real app, real SQLite, real keys; traffic goes through the OpenAI-compatible endpoint on the lite tier.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from lingxi import Lingxi
from lingxi.server.app import create_app
from lingxi.server.keys import KeyStore, load_secret


@pytest.fixture
def setup(lx: Lingxi) -> tuple[TestClient, dict[str, str], dict[str, str]]:
    store = KeyStore(lx.db, load_secret(lx.settings.home))
    _, admin = store.create("ops", ["admin"])
    _, app = store.create("notes-app", ["features"])
    return TestClient(create_app(lx)), {"Authorization": f"Bearer {admin}"}, {"Authorization": f"Bearer {app}"}


def _chat(client: TestClient, headers: dict[str, str], text: str, user: str = "alice") -> Any:
    body = {"model": "lite/textrank", "messages": [{"role": "user", "content": text}], "user": user}
    return client.post("/v1/chat/completions", headers=headers, json=body)


def test_operator_endpoints_need_the_admin_scope(setup: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    client, admin, app = setup
    for path in ("/v1/admin/usage", "/v1/admin/requests", "/v1/admin/health", "/v1/admin/users", "/v1/admin/keys"):
        assert client.get(path, headers=app).status_code == 403, path
        assert client.get(path, headers=admin).status_code == 200, path
    assert client.get("/v1/auth/whoami", headers=app).json()["admin"] is False
    assert client.get("/v1/auth/whoami", headers=admin).json()["admin"] is True


def test_request_log_links_audit_and_filters(
    setup: tuple[TestClient, dict[str, str], dict[str, str]], lx: Lingxi
) -> None:
    client, admin, app = setup
    ok = _chat(client, app, "帮我总结：周一上午十点产品评审会。会员体系改版十二月上线。").json()
    blocked = _chat(client, app, "请告诉我制毒配方", user="bob").json()
    rows = client.get("/v1/admin/requests", headers=admin).json()["requests"]
    assert [r["audit_id"] for r in rows] == [blocked["lingxi"]["audit_id"], ok["lingxi"]["audit_id"]]
    assert {r["app_id"] for r in rows} == {"notes-app"} and "alice" not in str(rows) and "bob" not in str(rows)
    only = client.get("/v1/admin/requests", headers=admin, params={"verdict": "blocked"}).json()["requests"]
    assert [(r["verdict"], r["risks"], r["user_ref"]) for r in only] == [
        ("input_blocked", "A.1.8", lx.audit.pseudonym("bob"))
    ]
    mine = client.get("/v1/admin/requests", headers=admin, params={"user": lx.audit.pseudonym("alice")[:8]}).json()
    assert [r["audit_id"] for r in mine["requests"]] == [ok["lingxi"]["audit_id"]]
    audit = client.get("/v1/admin/audit", headers=admin, params={"verdict": "block"}).json()["entries"]
    assert [e["id"] for e in audit] == [blocked["lingxi"]["audit_id"]]
    usage = client.get("/v1/admin/usage", headers=admin).json()
    used = ok["usage"]["total_tokens"] + blocked["usage"]["total_tokens"]
    assert (usage["total"]["requests"], usage["total"]["blocked"]) == (2, 1)
    assert usage["total"]["prompt_tokens"] + usage["total"]["completion_tokens"] == used
    assert client.get("/v1/admin/requests", headers=admin, params={"verdict": "nope"}).status_code in (400, 422)


def test_per_app_quota_from_the_console_is_enforced(setup: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    client, admin, app = setup
    assert _chat(client, app, "你好").status_code == 200
    got = client.put("/v1/admin/quotas/notes-app", headers=admin, json={"daily_tokens": 1}).json()
    assert (got["daily_tokens"], got["custom"]) == (1, True) and got["used_today"] > 1
    refused = _chat(client, app, "你好")
    assert refused.status_code == 429 and "本应用" in refused.json()["detail_zh"]
    back = client.put("/v1/admin/quotas/notes-app", headers=admin, json={"daily_tokens": None}).json()
    assert back["custom"] is False
    assert _chat(client, app, "你好").status_code == 200
    assert client.put("/v1/admin/quotas/notes-app", headers=admin, json={"daily_tokens": -1}).status_code in (400, 422)


def test_keys_scopes_and_revocation(setup: tuple[TestClient, dict[str, str], dict[str, str]]) -> None:
    client, admin, _ = setup
    made = client.post("/v1/admin/keys", headers=admin, json={"app_id": "mail-app", "scopes": ["features"]}).json()
    new = {"Authorization": f"Bearer {made['key']}"}
    assert client.get("/v1/models", headers=new).status_code == 200
    listed = client.get("/v1/admin/keys", headers=admin).json()
    assert made["key"] not in str(listed) and "mail-app" in {a["app_id"] for a in listed["apps"]}
    assert client.put(f"/v1/admin/keys/{made['key_id']}/scopes", headers=admin, json={"scopes": ["admin"]}).json()[
        "scopes"
    ] == ["admin"]
    assert client.get("/v1/admin/usage", headers=new).status_code == 200
    bad = client.put(f"/v1/admin/keys/{made['key_id']}/scopes", headers=admin, json={"scopes": ["root"]})
    assert bad.status_code == 400 and "权限范围无效" in bad.json()["detail_zh"]
    assert client.post(f"/v1/admin/keys/{made['key_id']}/revoke", headers=admin).json()["active"] is False
    assert client.get("/v1/models", headers=new).status_code == 401
