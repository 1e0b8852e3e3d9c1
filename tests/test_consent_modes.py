"""PIPL consent modes: separate consent for payments, non-personalized mode, minors and guardians.

Through the store, through the facade's request path, through the HTTP router and through the CLI sub-app.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import ScriptedModel
from lingxi import ConsentRequired, InvalidInput, Lingxi, Message
from lingxi.cli.privacy import privacy_app
from lingxi.context.events import Event
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.context.store import EventStore
from lingxi.models.base import Locality, Task
from lingxi.pipeline import Turn
from lingxi.privacy.classify import PrivacyClass
from lingxi.privacy.consent import SEPARATE_CONSENT, AgeBand, ConsentStore, GuardianConsentRequired, Scope, parse_scopes
from lingxi.server import privacy_api, problems
from lingxi.storage.sqlite import Database


@dataclass
class Probe:
    """A feature that reads notifications and records what the path gave it."""

    name: str = "test.probe"
    scopes: frozenset[Scope] = field(default=frozenset({Scope.NOTIFICATIONS}))
    reads: int = 0
    seen: list[Turn] = field(default_factory=list)

    def select_context(self, store: EventStore, turn: Turn) -> list[Event]:
        self.reads += 1
        return store.query(turn.user_id, types=["notification"], limit=5)

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        self.seen.append(turn)
        return [Message(role="user", content=f"我有 {len(turn.context)} 条通知")], None


@pytest.fixture
def store(tmp_path: Path) -> ConsentStore:
    return ConsentStore(Database(tmp_path / "c.db"))


# -- the store ----------------------------------------------------------------------------------------------
def test_payments_are_never_granted_implicitly(store: ConsentStore) -> None:
    granted = store.grant_all_except_sensitive("u1")
    # Art. 28, 29, 23 and training on feedback (Art. 14): each needs its own grant
    separate = {Scope.PAYMENTS, Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING, Scope.MODEL_IMPROVEMENT}
    assert Scope.PAYMENTS not in granted and set(granted) == set(Scope) - separate
    assert store.granted("u1") == set(Scope) - separate
    assert Scope.CLOUD_PROCESSING not in parse_scopes(["all"], granting=True)
    with pytest.raises(ConsentRequired) as info:
        store.require("u1", frozenset({Scope.PAYMENTS, Scope.SHOPPING}))
    assert info.value.scopes == ["payments"]
    assert Scope.PAYMENTS not in parse_scopes(["all"], granting=True)
    assert Scope.PAYMENTS in parse_scopes(["all"], granting=False)  # withdrawing everything needs no care
    store.grant("u1", Scope.PAYMENTS)  # named: the separate consent of Art. 29
    store.require("u1", frozenset({Scope.PAYMENTS}))


def test_history_is_append_only_and_latest_wins(store: ConsentStore) -> None:
    store.grant("u1", Scope.NOTIFICATIONS, source="ui")
    store.set_non_personalized("u1", True)
    store.withdraw("u1", Scope.NOTIFICATIONS)
    store.set_non_personalized("u1", False)
    status = store.status("u1")
    assert status.scopes == [] and not status.non_personalized and status.age_band is AgeBand.UNKNOWN
    history = store.history("u1")
    assert [(r.name, r.value) for r in history if r.kind == "scope"] == [
        ("notifications", "granted"),
        ("notifications", "withdrawn"),
    ]
    assert [(r.name, r.value) for r in history if r.kind == "setting"] == [
        ("non_personalized", "1"),
        ("non_personalized", "0"),
    ]
    assert [r.ts for r in history] == sorted(r.ts for r in history)
    assert store.history("u1")[0].source == "ui" and store.history("u2") == []


def test_update_rejects_grant_and_withdraw_of_one_scope(store: ConsentStore) -> None:
    with pytest.raises(InvalidInput):
        store.update("u1", grant=[Scope.SHOPPING], withdraw=[Scope.SHOPPING])
    assert store.history("u1") == []  # nothing half-applied


def test_a_minors_scopes_count_only_with_guardian_consent(store: ConsentStore) -> None:
    store.grant("kid", Scope.NOTIFICATIONS)
    store.set_age_band("kid", AgeBand.UNDER_14)
    status = store.status("kid")
    assert status.minor and status.needs_guardian_consent
    assert status.scopes == [Scope.NOTIFICATIONS] and status.effective_scopes == []
    assert store.granted("kid") == set()
    for scopes in (frozenset({Scope.NOTIFICATIONS}), frozenset()):  # even a request reading no stored data
        with pytest.raises(GuardianConsentRequired) as info:
            store.require("kid", scopes)
        assert "监护人" in info.value.message_zh and "第三十一条" in info.value.message_zh
        assert info.value.to_problem()["code"] == "guardian_consent_required"
        assert isinstance(info.value, ConsentRequired) and info.value.status == 403
    store.set_guardian_consent("kid", True)
    store.require("kid", frozenset({Scope.NOTIFICATIONS}))
    assert store.granted("kid") == {Scope.NOTIFICATIONS}
    store.set_guardian_consent("kid", False)  # the guardian withdraws: refused again on the next request
    with pytest.raises(GuardianConsentRequired):
        store.require("kid", frozenset())
    store.set_age_band("kid", AgeBand.FROM_14_TO_17)  # Art. 31 is about under-14s only
    assert store.granted("kid") == {Scope.NOTIFICATIONS}


# -- the request path ---------------------------------------------------------------------------------------
def test_withdrawing_notifications_refuses_the_next_summary(lx: Lingxi) -> None:
    lx.load_sample()
    assert lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS).groups
    lx.consents.withdraw(SAMPLE_USER_ID, Scope.NOTIFICATIONS)
    with pytest.raises(ConsentRequired) as info:
        lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS)
    assert info.value.scopes == ["notifications"]


def test_non_personalized_mode_reads_no_context_and_chat_still_answers(home: Path) -> None:
    device = ScriptedModel("device/echo", locality=Locality.ON_DEVICE)
    lx = Lingxi(home, models=[device])
    lx.load_sample()
    lx.consents.set_non_personalized(SAMPLE_USER_ID, True)
    digest = lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS)
    assert digest.groups == [] and not digest.refused
    probe = Probe()
    answer = asyncio.run(lx.acomplete(lx.turn(probe, SAMPLE_USER_ID, model="device/echo", now_ms=SAMPLE_NOW_MS)))
    assert probe.reads == 0 and answer.context_ids == [] and answer.text == "我有 0 条通知"
    assert probe.seen[0].personalized is False
    chat = lx.chat([Message(role="user", content="今天适合做什么？")], user_id=SAMPLE_USER_ID, model="device/echo")
    assert chat.text == "今天适合做什么？" and not chat.refused and chat.model == "device/echo"
    lx.consents.set_non_personalized(SAMPLE_USER_ID, False)  # back on: context again from the next request
    assert lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS).groups


def test_minor_is_refused_without_guardian_consent_and_served_with_it(home: Path) -> None:
    cloud = ScriptedModel("cloud/echo")
    lx = Lingxi(home, models=[cloud])
    lx.load_sample()
    lx.consents.set_age_band(SAMPLE_USER_ID, AgeBand.UNDER_14)
    with pytest.raises(GuardianConsentRequired, match="under 14"):
        lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS)
    with pytest.raises(GuardianConsentRequired):  # plain chat too: what a child types is their data
        lx.chat([Message(role="user", content="你好")], user_id=SAMPLE_USER_ID)
    lx.consents.set_guardian_consent(SAMPLE_USER_ID, True)
    assert lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS).groups
    # a child's data is sensitive (Art. 28): it stays on the device without the cloud_processing scope
    probe = Probe()
    turn = lx.turn(probe, SAMPLE_USER_ID, model="cloud/echo", now_ms=SAMPLE_NOW_MS)
    answer = asyncio.run(lx.acomplete(turn))
    assert turn.privacy is PrivacyClass.SENSITIVE and cloud.requests == [] and answer.model != "cloud/echo"


# -- HTTP ---------------------------------------------------------------------------------------------------
@pytest.fixture
def api(lx: Lingxi) -> TestClient:
    app = FastAPI()
    problems.install(app)
    app.include_router(privacy_api.router(lx))
    return TestClient(app)


def test_api_consents_get_and_put(api: TestClient, lx: Lingxi) -> None:
    r = api.get("/v1/users/u1/consents")
    assert r.status_code == 200 and r.json()["scopes"] == [] and r.json()["non_personalized"] is False
    r = api.put("/v1/users/u1/consents", json={"grant": ["all"], "non_personalized": True})
    body = r.json()
    assert r.status_code == 200 and "payments" not in body["scopes"] and "notifications" in body["scopes"]
    assert body["non_personalized"] is True
    r = api.put("/v1/users/u1/consents", json={"grant": ["payments"], "withdraw": ["location"]})
    assert "payments" in r.json()["scopes"] and "location" not in r.json()["scopes"]
    r = api.put("/v1/users/u1/consents", json={"minor": True})
    assert r.json()["needs_guardian_consent"] is True and r.json()["effective_scopes"] == []
    r = api.put("/v1/users/u1/consents", json={"guardian_consent": True})
    assert r.json()["minor"] is True and r.json()["effective_scopes"] == r.json()["scopes"]
    assert lx.consents.status("u1").guardian_consent


def test_api_consent_errors_are_problem_json(api: TestClient) -> None:
    r = api.put("/v1/users/u1/consents", json={"grant": ["everything"]})
    assert r.status_code == 400 and r.json()["code"] == "invalid_input" and "detail_zh" in r.json()
    r = api.put("/v1/users/u1/consents", json={"minor": True, "age_band": "adult"})
    assert r.status_code == 400
    r = api.put("/v1/users/u1/consents", json={"age_band": "toddler"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/problem+json")


# -- CLI ----------------------------------------------------------------------------------------------------
def test_cli_grant_withdraw_status_modes(home: Path) -> None:
    runner = CliRunner()
    h = ["--home", str(home)]
    r = runner.invoke(privacy_app, ["grant", "u1", "all", *h])
    assert r.exit_code == 0, r.output
    assert "已授权" in r.output and "单独授权" in r.output
    assert Lingxi(home).consents.granted("u1") == set(Scope) - SEPARATE_CONSENT
    r = runner.invoke(privacy_app, ["withdraw", "u1", "notifications", "location", *h])
    assert r.exit_code == 0 and "已撤回" in r.output
    r = runner.invoke(privacy_app, ["non-personalized", "u1", "on", *h])
    assert r.exit_code == 0 and "非个性化模式已开启" in r.output
    r = runner.invoke(privacy_app, ["minor", "u1", "--no-guardian", *h])
    assert r.exit_code == 0 and "所有请求都会被拒绝" in r.output
    r = runner.invoke(privacy_app, ["minor", "u1", "--guardian", *h])
    assert r.exit_code == 0 and "所有请求都会被拒绝" not in r.output
    r = runner.invoke(privacy_app, ["status", "u1", *h])
    assert r.exit_code == 0 and "非个性化模式（第二十四条）：开启" in r.output and "未满十四周岁" in r.output
    status = Lingxi(home).consents.status("u1")
    assert status.non_personalized and status.minor and status.guardian_consent
    assert Scope.NOTIFICATIONS not in status.scopes


def test_cli_errors_are_lingxi_errors(home: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(privacy_app, ["grant", "u1", "everything", "--home", str(home)])
    assert r.exit_code != 0 and isinstance(r.exception, InvalidInput)
    r = runner.invoke(privacy_app, ["non-personalized", "u1", "maybe", "--home", str(home)])
    assert isinstance(r.exception, InvalidInput)
