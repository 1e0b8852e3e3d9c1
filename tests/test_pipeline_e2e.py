"""The whole request path through the facade, on the bundled sample user."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from conftest import ScriptedModel
from lingxi import ConsentRequired, Lingxi, Message
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.features.notifications import NotificationSummary
from lingxi.models.base import Locality
from lingxi.privacy.consent import AgeBand, Scope


def test_notification_summary_on_the_lite_tier(lx: Lingxi) -> None:
    lx.load_sample()
    digest = lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS)
    assert digest.model == "lite/textrank" and digest.model_kind == "classical"
    assert digest.label and "抽取" in digest.label
    apps = [g.app for g in digest.groups]
    assert len(apps) == len(set(apps)) >= 3
    bank = next(g for g in digest.groups if g.app == "招商银行")
    assert not bank.urgent and {w.code for w in bank.why} == {"routine"}  # the day's small card debits
    first = digest.groups[0]  # mum's messages: family, from what the text and the sender say
    assert first.urgent and first.app == "微信" and any(r.startswith("家人") for r in first.reasons)
    promos = [g for g in digest.groups if g.app == "美团"]
    assert promos and not promos[0].urgent  # marketing is never urgent
    stored = {e.event_id: e for e in lx.events.query(SAMPLE_USER_ID, types=["notification"])}
    for g in digest.groups:
        assert g.count == len(g.event_ids) and all(i in stored for i in g.event_ids)
        # extractive: every summary sentence comes from that app's notifications
        bodies = "".join(stored[i].body for i in g.event_ids)  # type: ignore[union-attr]
        assert g.summary and all(part[-6:] in bodies for part in g.summary.split("。") if len(part) >= 6)
    (entry,) = lx.audit.entries()
    assert entry["feature"] == "notifications.summary" and entry["id"] == digest.audit_id
    assert lx.audit.verify() == (True, None)
    assert lx.egress.for_user(SAMPLE_USER_ID) == []  # nothing left the device


def test_consent_withdrawal_takes_effect_on_the_next_request(lx: Lingxi) -> None:
    lx.load_sample()
    lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS)
    lx.consents.withdraw(SAMPLE_USER_ID, Scope.NOTIFICATIONS)
    with pytest.raises(ConsentRequired):
        lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS)


def test_sensitive_context_stays_on_device_until_cloud_consent(home: Path) -> None:
    cloud = ScriptedModel("cloud/echo", chunks=["【招商银行】", "有一笔支出。"])
    lx = Lingxi(home, models=[cloud])
    lx.load_sample()
    digest = lx.notification_summary(SAMPLE_USER_ID, model="cloud/echo", now_ms=SAMPLE_NOW_MS)
    assert digest.model == "lite/textrank" and cloud.requests == []  # bank notifications are sensitive
    lx.consents.grant(SAMPLE_USER_ID, Scope.CLOUD_PROCESSING)
    digest = lx.notification_summary(SAMPLE_USER_ID, model="cloud/echo", now_ms=SAMPLE_NOW_MS)
    assert digest.model == "cloud/echo" and digest.label == "本内容由人工智能生成"
    assert next(g for g in digest.groups if g.app == "招商银行").summary == "有一笔支出。"
    sent = cloud.requests[0].model_dump_json()
    assert "13800138000" not in sent  # PII in the context was redacted before it left
    (record,) = lx.egress.for_user(SAMPLE_USER_ID)
    assert record.model == "cloud/echo" and record.bytes > 0


def test_chat_redacts_and_restores_through_a_cloud_model(home: Path) -> None:
    cloud = ScriptedModel("cloud/echo")  # echoes the user's message back
    lx = Lingxi(home, models=[cloud])
    lx.consents.grant("local", Scope.CLOUD_PROCESSING)  # what the user types is personal data too
    answer = lx.chat([Message(role="user", content="我的手机是13912345678，邮箱linxy@example.com")], model="cloud/echo")
    assert cloud.requests[0].messages[0].content == "我的手机是[手机号_1]，邮箱[邮箱_1]"
    assert answer.text == "我的手机是13912345678，邮箱linxy@example.com"
    assert answer.model == "cloud/echo" and not answer.refused


def test_failing_cloud_model_falls_back_to_lite(home: Path) -> None:
    broken = ScriptedModel("cloud/down", fail_before=ConnectionError("connection refused"))
    lx = Lingxi(home, models=[broken])
    lx.consents.grant("local", Scope.CLOUD_PROCESSING)
    answer = lx.summarize("第一句讲会员体系。第二句讲会员体系上线。第三句讲天气。", model="cloud/down", sentences=1)
    assert answer.model == "lite/textrank" and [f.model for f in answer.fallbacks] == ["cloud/down"]
    assert "会员体系" in answer.text


def test_streaming_and_complete_give_the_same_text(lx: Lingxi) -> None:
    text = "会员中心改版下周三上线。上线前还要过一次评审。评审定在明天下午三点。今天中午吃了面。"

    async def both() -> tuple[str, str]:
        from lingxi.features.writing import WritingTool

        t1 = lx.turn(WritingTool("summarize", 2), "u1", inputs={"text": text})
        streamed = "".join([d async for d in await lx.astream(t1)])
        t2 = lx.turn(WritingTool("summarize", 2), "u1", inputs={"text": text})
        return streamed, (await lx.acomplete(t2)).text

    streamed, whole = asyncio.run(both())
    assert streamed == whole and whole


def test_context_is_scoped_to_the_requesting_user(lx: Lingxi) -> None:
    lx.load_sample()
    lx.consents.grant("someone-else", Scope.NOTIFICATIONS)
    digest = lx.notification_summary("someone-else", now_ms=SAMPLE_NOW_MS)
    assert digest.groups == []  # the sample user's notifications are not theirs


def test_on_device_model_is_preferred_and_sees_raw_context(home: Path) -> None:
    local = ScriptedModel("device/echo", locality=Locality.ON_DEVICE, chunks=["【微信】", "有新消息。"])
    lx = Lingxi(home, models=[local])
    lx.load_sample()
    feature = NotificationSummary()
    turn = lx.turn(feature, SAMPLE_USER_ID, model="device/echo", now_ms=SAMPLE_NOW_MS)
    answer = asyncio.run(lx.acomplete(turn))
    assert answer.model == "device/echo" and lx.egress.for_user(SAMPLE_USER_ID) == []
    assert "【招商银行】" in local.requests[0].messages[1].content


def test_minors_mode_curfew_through_the_facade(lx: Lingxi) -> None:
    from lingxi.compliance.minors import MinorsBlocked

    lx.consents.set_age_band("teen", AgeBand.FROM_14_TO_17)
    lx.consents.grant("teen", Scope.NOTIFICATIONS)
    night = 1_795_359_600_000  # 2026-11-22 23:00 Asia/Shanghai
    with pytest.raises(MinorsBlocked) as caught:
        lx.notification_summary("teen", now_ms=night)
    assert "22:00" in caught.value.message_zh
    assert lx.notification_summary("teen", now_ms=night - 5 * 3_600_000).groups == []  # 18:00 is fine
