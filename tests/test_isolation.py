"""Isolation between apps and users: for every route that takes a user, another app's or user's credentials
get 403/404 and never the victim's data.

The route list comes from the live OpenAPI schema; a route that names a user (``user_id`` or ``user`` in the
path, query, body, or an ``X-Lingxi-User`` header) without an explicit case in ``CASES`` fails the test, so
every new user-bearing endpoint must join the matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from lingxi import Lingxi
from lingxi.config import ServerSettings, Settings
from lingxi.server.app import create_app
from lingxi.server.keys import KeyStore, load_secret

VICTIM = "user-a1"  # owned by app A
SECRET = "甲方专属预算绝密方案"  # appears only in the victim's events
Call = Callable[[TestClient, dict[str, str]], httpx.Response]


def _event(user: str, n: int, text: str) -> dict[str, Any]:
    return {
        "event_id": f"{user}-msg-{n}",
        "user_id": user,
        "type": "message",
        "ts": 1_794_800_000_000 + n,
        "source_app": "微信",
        "conversation_id": "c1",
        "conversation_name": "预算群",
        "sender": "同事",
        "direction": "in",
        "text": text,
    }


def _post(path: str, body: dict[str, Any]) -> Call:
    return lambda c, h: c.post(path, json=body, headers=h)


def _get(path: str, **params: Any) -> Call:
    return lambda c, h: c.get(path, params=params, headers=h)


CHAT = {"model": "lite/textrank", "messages": [{"role": "user", "content": "预算方案是什么？"}]}
_PNG = (  # 1×1 white PNG
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII="
)

CASES: dict[tuple[str, str], Call] = {
    ("POST", "/v1/auth/user-tokens"): _post("/v1/auth/user-tokens", {"user_id": VICTIM}),
    ("POST", "/v1/chat/completions"): lambda c, h: c.post(
        "/v1/chat/completions", json={**CHAT, "user": VICTIM}, headers={**h, "X-Lingxi-User": VICTIM}
    ),
    ("POST", "/v1/events"): lambda c, h: c.post(
        "/v1/events", params={"user_id": VICTIM}, json=[_event(VICTIM, 99, "注入")], headers=h
    ),
    ("GET", "/v1/users/{user_id}/consents"): _get(f"/v1/users/{VICTIM}/consents"),
    ("POST", "/v1/admin/users/{user_id}/owner"): _post(f"/v1/admin/users/{VICTIM}/owner", {"app_id": "app-b"}),
    ("PUT", "/v1/users/{user_id}/consents"): lambda c, h: c.put(
        f"/v1/users/{VICTIM}/consents", json={"withdraw": ["all"]}, headers=h
    ),
    ("GET", "/v1/users/{user_id}/export"): _get(f"/v1/users/{VICTIM}/export"),
    ("DELETE", "/v1/users/{user_id}"): lambda c, h: c.delete(f"/v1/users/{VICTIM}", headers=h),
    ("GET", "/v1/users/{user_id}/events"): _get(f"/v1/users/{VICTIM}/events"),
    ("GET", "/v1/users/{user_id}/profile"): _get(f"/v1/users/{VICTIM}/profile"),
    ("POST", "/v1/features/notifications/summary"): _post("/v1/features/notifications/summary", {"user_id": VICTIM}),
    ("POST", "/v1/features/notifications/conversations"): _post(
        "/v1/features/notifications/conversations", {"user_id": VICTIM}
    ),
    ("POST", "/v1/features/notifications/digest"): _post("/v1/features/notifications/digest", {"user_id": VICTIM}),
    ("GET", "/v1/features/shopping/recommendations"): _get("/v1/features/shopping/recommendations", user_id=VICTIM),
    ("POST", "/v1/features/replies"): _post("/v1/features/replies", {"user_id": VICTIM, "conversation_id": "c1"}),
    ("POST", "/v1/features/assistant"): _post("/v1/features/assistant", {"user_id": VICTIM, "question": "预算？"}),
    ("POST", "/v1/features/assistant/confirm"): _post(
        "/v1/features/assistant/confirm", {"user_id": VICTIM, "session_id": "s", "action_id": "a", "approve": True}
    ),
    # a tiny PNG: another app's caller is refused before the picture is decoded or read
    ("POST", "/v1/features/vision/read"): _post("/v1/features/vision/read", {"user_id": VICTIM, "image_url": _PNG}),
    ("POST", "/v1/features/vision/extract"): _post(
        "/v1/features/vision/extract", {"user_id": VICTIM, "image_url": _PNG}
    ),
    ("POST", "/v1/features/vision/ask"): _post(
        "/v1/features/vision/ask", {"user_id": VICTIM, "image_url": _PNG, "question": "这是什么"}
    ),
    ("POST", "/v1/features/ext/{name}"): _post("/v1/features/ext/greeting", {"user_id": VICTIM, "inputs": {}}),
    # operator views filter by a user pseudonym: admin scope only, so every app key gets 403
    ("GET", "/v1/admin/audit"): _get("/v1/admin/audit", user="0"),
    ("GET", "/v1/admin/requests"): _get("/v1/admin/requests", user="0"),
    ("POST", "/v1/feedback"): _post(  # what the attacker says the victim did must not be stored as theirs
        "/v1/feedback",
        {"user_id": VICTIM, "feature": "replies", "answer_id": "r", "action": "accepted", "candidate": "注入"},
    ),
    ("POST", "/v1/features/writing/{kind}"): _post(
        "/v1/features/writing/summarize", {"user_id": VICTIM, "text": "预算方案。下周定稿。"}
    ),
}


def _user_bearing(spec: dict[str, Any]) -> set[tuple[str, str]]:
    """(METHOD, path) of every operation that names a user in its path, query, headers or JSON body."""
    schemas = spec.get("components", {}).get("schemas", {})
    found = set()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            names = {p["name"].lower() for p in op.get("parameters", [])}
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "")
            props = set(schemas[ref.split("/")[-1]].get("properties", {})) if ref else set(body.get("properties", {}))
            if names & {"user_id", "user", "x-lingxi-user"} or props & {"user_id", "user"}:
                found.add((method.upper(), path))
    return found


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, dict[str, dict[str, str]]]:
    """Two apps (A: a1, a2; B: b1), each user with consent and events; credentials by name."""
    # rate limits off the table: each attacker calls every route in a burst, and a 429 is not what this tests
    unlimited = ServerSettings(key_rate_per_s=1e6, key_burst=10**6, user_rate_per_s=1e6, user_burst=10**6)
    lx = Lingxi(settings=Settings(home=tmp_path_factory.mktemp("iso") / "home", server=unlimited))
    keys = KeyStore(lx.db, load_secret(lx.settings.home))
    _, key_a = keys.create("app-a", ["features", "events"])
    _, key_b = keys.create("app-b", ["features", "events"])
    client = TestClient(create_app(lx))
    creds = {"A": {"Authorization": f"Bearer {key_a}"}, "B": {"Authorization": f"Bearer {key_b}"}}
    for app, users in (("A", [VICTIM, "user-a2"]), ("B", ["user-b1"])):
        for user in users:
            r = client.put(f"/v1/users/{user}/consents", json={"grant": ["all"]}, headers=creds[app])
            assert r.status_code == 200, r.text
            text = SECRET if user == VICTIM else "周末去爬山，记得带水。"
            r = client.post("/v1/events", params={"user_id": user}, json=[_event(user, 1, text)], headers=creds[app])
            assert r.status_code == 200, r.text
    token = client.post("/v1/auth/user-tokens", json={"user_id": "user-b1"}, headers=creds["B"])
    assert token.status_code == 201, token.text
    creds["b1"] = {"Authorization": f"Bearer {token.json()['token']}"}
    sibling = client.post("/v1/auth/user-tokens", json={"user_id": "user-a2"}, headers=creds["A"])
    creds["a2"] = {"Authorization": f"Bearer {sibling.json()['token']}"}  # same app, other user
    return client, creds


def test_every_user_route_has_a_case(world: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    client, _ = world
    routes = _user_bearing(client.app.openapi())  # type: ignore[attr-defined]
    missing = sorted(routes - set(CASES))
    assert not missing, f"user-bearing routes without an isolation case (add them to CASES): {missing}"
    assert ("GET", "/v1/users/{user_id}/export") in routes and ("POST", "/v1/events") in routes


@pytest.mark.parametrize("attacker", ["B", "b1", "a2"])
def test_other_callers_cannot_touch_the_victim(
    world: tuple[TestClient, dict[str, dict[str, str]]], attacker: str
) -> None:
    client, creds = world
    routes = _user_bearing(client.app.openapi())  # type: ignore[attr-defined]
    for key in sorted(routes & set(CASES)):
        r = CASES[key](client, creds[attacker])
        assert r.status_code in (403, 404), f"{attacker} on {key}: {r.status_code} {r.text[:200]}"
        assert SECRET not in r.text and "注入" not in r.text
    own = client.get(f"/v1/users/{VICTIM}/export", headers=creds["A"])  # the victim's data survived, intact
    assert own.status_code == 200 and SECRET in own.text and "注入" not in own.text


def test_owner_app_can_act_for_its_user(world: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    client, creds = world
    assert client.get(f"/v1/users/{VICTIM}/consents", headers=creds["A"]).status_code == 200
    assert client.get("/v1/users/user-b1/consents", headers=creds["b1"]).status_code == 200


def test_retrieval_never_crosses_users(world: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    """B's user asking about A's user's secret gets no context from A's events."""
    client, creds = world
    question = f"{SECRET}是什么？"
    chat = client.post(
        "/v1/chat/completions",
        json={"model": "lite/textrank", "messages": [{"role": "user", "content": question}]},
        headers=creds["b1"],
    )
    assert chat.status_code == 200
    assert not any(i.startswith(VICTIM) for i in chat.json()["lingxi"].get("context_ids", []) or [])
    routes = {r for r in _user_bearing(client.app.openapi())}  # type: ignore[attr-defined]
    if ("POST", "/v1/features/assistant") not in routes:
        pytest.skip("the assistant endpoint is not in this build")
    asked = client.post(
        "/v1/features/assistant", json={"user_id": "user-b1", "question": question}, headers=creds["b1"]
    )
    assert asked.status_code == 200, asked.text
    body = asked.json()
    assert not any(i.startswith(VICTIM) for i in body["answer"]["context_ids"])
    assert SECRET not in body["answer"].get("text", "") + str(body.get("citations", ""))
    mine = client.post("/v1/features/assistant", json={"user_id": VICTIM, "question": question}, headers=creds["A"])
    assert mine.status_code == 200  # the same question works for the owner (so the check above can fail)
    assert any(i.startswith(VICTIM) for i in mine.json()["answer"]["context_ids"])
