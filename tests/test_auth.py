"""API keys (hashed at rest), auth modes, scopes, user tokens, admin endpoints and the ``lingxi keys`` CLI."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lingxi import Lingxi
from lingxi.cli import app as cli_app
from lingxi.errors import InvalidInput, NotFound
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app
from lingxi.server.keys import KeyStore, load_secret

CHAT = {"model": "lite/textrank", "messages": [{"role": "user", "content": "今天开会讨论预算。预算下周定稿。"}]}


def _keys(lx: Lingxi) -> KeyStore:
    return KeyStore(lx.db, load_secret(lx.settings.home))


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_keys_hashed_at_rest_and_verified(lx: Lingxi) -> None:
    store = _keys(lx)
    record, key = store.create("notes", ["features", "events"])
    assert key.startswith("lx_") and len(key) >= 3 + 43 and record.prefix == key[:12]
    assert record.scopes == ("events", "features")
    raw = lx.settings.db_path.read_bytes() + b"".join(p.read_bytes() for p in lx.settings.home.glob("lingxi.db-wal"))
    assert key.encode() not in raw and key[12:].encode() not in raw  # only a keyed hash + the lookup prefix
    assert store.verify(key) == record
    assert store.verify(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert store.verify("lx_nothing") is None and store.verify("sk-other") is None
    assert stat.S_IMODE((lx.settings.home / "server.key").stat().st_mode) == 0o600
    assert store.revoke(record.prefix).revoked_ms is not None
    assert store.verify(key) is None
    with pytest.raises(NotFound):
        store.revoke(record.key_id)
    with pytest.raises(InvalidInput):
        store.create("notes", ["everything"])


def test_auth_auto_turns_on_with_first_key(lx: Lingxi) -> None:
    client = TestClient(create_app(lx))
    assert client.post("/v1/chat/completions", json=CHAT).status_code == 200  # no keys: dev mode, open
    _, key = _keys(lx).create("notes", ["features"])
    r = client.post("/v1/chat/completions", json=CHAT)
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["detail_zh"].startswith("缺少 API 密钥")
    assert client.post("/v1/chat/completions", json=CHAT, headers=_bearer("lx_" + "x" * 43)).status_code == 401
    assert client.post("/v1/chat/completions", json=CHAT, headers=_bearer(key)).status_code == 200
    assert client.get("/healthz").status_code == 200 and client.get("/v1/compliance/filing").status_code == 200
    forced = TestClient(create_app(lx, auth_mode="off"))
    assert forced.post("/v1/chat/completions", json=CHAT).status_code == 200


def test_required_mode_without_keys_refuses(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "lingxi.toml").write_text('[server]\nauth = "required"\n', encoding="utf-8")
    client = TestClient(create_app(Lingxi(home)))
    assert client.get("/v1/models").status_code == 401


def test_scopes_and_admin(lx: Lingxi) -> None:
    store = _keys(lx)
    _, feat = store.create("notes", ["features"])
    _, admin = store.create("ops", ["admin"])
    client = TestClient(create_app(lx))
    r = client.post("/v1/events", params={"user_id": "u1"}, json=[], headers=_bearer(feat))
    assert r.status_code == 403 and "events" in r.json()["detail_zh"]
    assert client.get("/v1/admin/complaints", headers=_bearer(feat)).status_code == 403
    assert client.get("/metrics", headers=_bearer(feat)).status_code == 403
    assert client.get("/v1/complaints", headers=_bearer(feat)).status_code == 403  # legacy list: admin only
    filed = client.post(
        "/v1/complaints", json={"contact": "甲", "category": "content", "text": "有误"}, headers=_bearer(feat)
    ).json()
    assert client.get(f"/v1/complaints/{filed['id']}", headers=_bearer(feat)).status_code == 200
    patched = client.patch(
        f"/v1/admin/complaints/{filed['id']}", json={"status": "resolved", "note": "已处理"}, headers=_bearer(admin)
    )
    assert patched.status_code == 200 and patched.json()["status"] == "resolved"
    listed = client.get("/v1/admin/complaints", headers=_bearer(admin)).json()["complaints"]
    assert [c["id"] for c in listed] == [filed["id"]]
    assert client.get("/v1/users/anyone/consents", headers=_bearer(admin)).status_code == 200  # admin: any user


def test_user_tokens(lx: Lingxi) -> None:
    store = _keys(lx)
    record, key = store.create("notes", ["features", "events"])
    client = TestClient(create_app(lx))
    r = client.post("/v1/auth/user-tokens", json={"user_id": "u1", "scopes": ["features"]}, headers=_bearer(key))
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert token.startswith("lxu_") and r.json()["scopes"] == ["features"]
    assert client.get("/v1/users/u1/consents", headers=_bearer(token)).status_code == 200
    assert client.get("/v1/users/u2/consents", headers=_bearer(token)).status_code == 403  # the user is fixed
    events = client.post("/v1/events", params={"user_id": "u1"}, json=[], headers=_bearer(token))
    assert events.status_code == 403  # token lacks the events scope
    mismatch = client.post("/v1/chat/completions", json=CHAT, headers={**_bearer(token), "X-Lingxi-User": "u2"})
    assert mismatch.status_code == 403
    chat = client.post("/v1/chat/completions", json=CHAT, headers=_bearer(token))
    assert chat.status_code == 200
    # a token cannot mint tokens, tampering breaks the signature, expiry and key revocation end it
    assert client.post("/v1/auth/user-tokens", json={"user_id": "u1"}, headers=_bearer(token)).status_code == 403
    payload, mac = token.split(".")
    assert client.get("/v1/users/u1/consents", headers=_bearer(payload + "x." + mac)).status_code == 401
    claims = store.verify_token(token)
    assert claims is not None and claims.user_id == "u1"
    assert store.verify_token(token, now=claims.expires_ms + 1) is None
    store.revoke(record.key_id)
    assert client.get("/v1/users/u1/consents", headers=_bearer(token)).status_code == 401


def test_openai_user_field_must_match_identity(lx: Lingxi) -> None:
    _, key_a = _keys(lx).create("a", ["features"])
    _, key_b = _keys(lx).create("b", ["features"])
    client = TestClient(create_app(lx))
    assert client.put("/v1/users/ua/consents", json={"grant": ["messages"]}, headers=_bearer(key_a)).status_code == 200
    assert client.post("/v1/chat/completions", json={**CHAT, "user": "ua"}, headers=_bearer(key_a)).status_code == 200
    stolen = client.post("/v1/chat/completions", json={**CHAT, "user": "ua"}, headers=_bearer(key_b))
    assert stolen.status_code == 403 and stolen.json()["detail_zh"] == "无权访问该用户的数据"
    both = client.post(
        "/v1/chat/completions", json={**CHAT, "user": "ua"}, headers={**_bearer(key_a), "X-Lingxi-User": "other"}
    )
    assert both.status_code == 403


def test_keys_cli(home: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(cli_app, ["keys", "create", "notes", "--scope", "features", "--home", str(home)])
    assert created.exit_code == 0, created.output
    key = next(w for w in created.output.split() if w.startswith("lx_") and len(w) > 40)
    listed = runner.invoke(cli_app, ["keys", "list", "--home", str(home)])
    assert listed.exit_code == 0 and key[:12] in listed.output and key not in listed.output
    revoked = runner.invoke(cli_app, ["keys", "revoke", key[:12], "--home", str(home)])
    assert revoked.exit_code == 0 and "已吊销" in revoked.output
    assert _keys(Lingxi(home)).verify(key) is None
    bad = runner.invoke(cli_app, ["keys", "create", "notes", "--scope", "root", "--home", str(home)])
    assert bad.exit_code != 0


def test_requests_naming_no_user_are_per_app(lx: Lingxi) -> None:
    _, key_a = _keys(lx).create("a", ["features"])
    _, key_b = _keys(lx).create("b", ["features"])
    client = TestClient(create_app(lx))
    for key in (key_a, key_b):  # neither app claims a shared "local" user that locks the other out
        assert client.post("/v1/chat/completions", json=CHAT, headers=_bearer(key)).status_code == 200
        proof = client.post("/v1/features/writing/proofread", json={"text": "以经好了"}, headers=_bearer(key))
        assert proof.status_code == 200, proof.text


def test_deleting_a_user_releases_the_id(lx: Lingxi) -> None:
    _, key_a = _keys(lx).create("a", ["features", "events"])
    _, key_b = _keys(lx).create("b", ["features", "events"])
    client = TestClient(create_app(lx))
    user = {"X-Lingxi-User": "13800138000"}
    grant = client.put("/v1/users/13800138000/consents", json={"grant": ["messages"]}, headers=_bearer(key_a))
    assert grant.status_code == 200  # a write: app a owns the id from now on
    assert client.post("/v1/chat/completions", json=CHAT, headers={**_bearer(key_a), **user}).status_code == 200
    assert client.post("/v1/chat/completions", json=CHAT, headers={**_bearer(key_b), **user}).status_code == 403
    receipt = client.delete("/v1/users/13800138000", headers={**_bearer(key_a), **user}).json()
    assert receipt["verified"] and receipt["residual"] == {}  # no row names the user, ownership included
    assert client.post("/v1/chat/completions", json=CHAT, headers={**_bearer(key_b), **user}).status_code == 200


def test_reading_first_claims_nothing_writing_does_and_an_admin_can_transfer(lx: Lingxi, home: Path) -> None:
    _, key_a = _keys(lx).create("real-app", ["features", "events"])
    _, key_b = _keys(lx).create("squatter", ["features", "events"])
    _, admin = _keys(lx).create("ops", ["admin"])
    client = TestClient(create_app(lx))
    # the squatter asks about the id first: that reads, and locks nobody out
    assert client.get("/v1/users/u-new/consents", headers=_bearer(key_b)).status_code == 200
    assert (
        client.post("/v1/chat/completions", json={**CHAT, "user": "u-new"}, headers=_bearer(key_b)).status_code == 200
    )
    grant = client.put("/v1/users/u-new/consents", json={"grant": ["messages"]}, headers=_bearer(key_a))
    assert grant.status_code == 200  # the real app writes first: it owns the id
    assert client.get("/v1/users/u-new/consents", headers=_bearer(key_b)).status_code == 403
    # data stored outside the API (CLI, SDK) has no owner yet: the first app to touch it claims it
    lx.consents.grant("u-local", Scope.MESSAGES, source="cli")
    assert client.get("/v1/users/u-local/consents", headers=_bearer(key_b)).status_code == 200
    assert client.get("/v1/users/u-local/consents", headers=_bearer(key_a)).status_code == 403
    # an operator moves it to the right app, over HTTP or the CLI
    moved = client.post("/v1/admin/users/u-local/owner", json={"app_id": "real-app"}, headers=_bearer(admin))
    assert moved.status_code == 200 and moved.json()["previous_app_id"] == "squatter"
    assert client.get("/v1/users/u-local/consents", headers=_bearer(key_a)).status_code == 200
    assert client.post("/v1/admin/users/u-local/owner", json={"app_id": "x"}, headers=_bearer(key_a)).status_code == 403
    out = CliRunner().invoke(cli_app, ["keys", "transfer", "u-new", "squatter", "--home", str(home)])
    assert out.exit_code == 0 and "real-app" in out.output
    assert _keys(lx).owner_of("u-new") == "squatter"
