"""Per-conversation summary, explained priority ranking and the "what did I miss" digest (lite + scripted LLM)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import ScriptedModel
from lingxi import Lingxi
from lingxi.cli import app as cli_app
from lingxi.context.events import CalendarEvent, MessageEvent, NotificationEvent
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.errors import ConsentRequired, InvalidInput
from lingxi.evals import notifications as notification_checks
from lingxi.features.digest import headline
from lingxi.features.notify_rank import conversation_score, is_question
from lingxi.models.base import Locality
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app

NOW = SAMPLE_NOW_MS
DAY_AGO = NOW - 86_400_000
MIN = 60_000
NOW_ISO = "2026-11-22T21:30:00+08:00"


def msg(n: int, conv: str, sender: str, text: str, age_min: int = 10, out: bool = False) -> MessageEvent:
    return MessageEvent(
        event_id=f"m{n}", user_id="u", ts=NOW - age_min * MIN, source_app="微信", conversation_id=conv,
        conversation_name=conv, sender=sender, direction="out" if out else "in", text=text,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [("下周三下午有空吗？", True), ("你吃了吗", True), ("你呢", True), ("位置订好了没", True), ("收到", False),
     ("明天周会照常。", False)],
)  # fmt: skip
def test_is_question(text: str, expected: bool) -> None:
    assert is_question(text) is expected


def test_conversation_score_explains_every_rule() -> None:
    family = [msg(1, "妈妈", "妈妈", "晓雨，周五几点到？")]
    s = conversation_score(family, family, {"妈妈": 12}, ["林晓雨", "晓雨"])
    assert s.reasons == [
        "消息中叫到了你的名字",
        "常联系的人（近期往来 12 条消息）",
        "家人",
        "有问题在等你回复",
        "1 条未回复",
    ]
    assert s.points == 10 + 30 + 25 + 20 + 2
    group = [msg(2, "产品组", "张伟", "@林晓雨 周报交一下"), msg(3, "产品组", "李娜", "收到")]
    g = conversation_score(group, [], {"张伟": 50}, ["林晓雨", "晓雨"])
    assert g.reasons == ["有人@了你"] and g.points == 40  # a frequent sender in a group is not a direct chat


def test_headline_counts() -> None:
    assert headline(3, 12, 0) == "你错过了 3 条紧急通知、12 条消息"
    assert headline(0, 0, 0) == "没有错过新的通知和消息"


def test_sample_conversations_ranked_with_reasons(sample: Lingxi) -> None:
    d = sample.notifications.conversations(SAMPLE_USER_ID, now_ms=NOW)
    names = [g.name for g in d.conversations]
    assert set(names) == {"妈妈", "张伟", "产品组", "王芳", "陈昊", "相亲相爱一家人"}
    assert [g.priority for g in d.conversations] == sorted((g.priority for g in d.conversations), reverse=True)
    by = {g.name: g for g in d.conversations}
    assert names[0] == "妈妈" and "家人" in by["妈妈"].reasons and by["妈妈"].unread == 2
    assert "有人@了你" in by["产品组"].reasons
    assert any(r.startswith("常联系的人") for r in by["张伟"].reasons)
    assert "常联系" not in "".join(by["产品组"].reasons)  # group chats do not count as frequent contacts
    assert by["陈昊"].unread == 0  # the user already answered
    assert by["妈妈"].summary.startswith("妈妈：") and "苏州" in by["妈妈"].summary
    events = {e.event_id: e for e in sample.events.get(SAMPLE_USER_ID, by["张伟"].event_ids)}
    assert events and all(isinstance(e, MessageEvent) and e.direction == "in" for e in events.values())
    assert d.model == "lite/textrank" and d.model_kind == "classical"


def test_digest_urgent_first_then_watermark(sample: Lingxi) -> None:
    big = NotificationEvent(
        event_id="big-debit", user_id=SAMPLE_USER_ID, ts=NOW - 20 * MIN, source_app="招商银行", title="动账通知",
        body="您尾号8842的储蓄卡11月22日21:10转出人民币6,800.00元，余额1,203.50元",
    )  # fmt: skip
    sample.ingest([big])
    first = sample.notifications.digest(SAMPLE_USER_ID, now_ms=NOW)
    assert first.since_source == "window" and first.since.timestamp() * 1000 == DAY_AGO
    # the day's small card debits are routine now; only the large transfer interrupts, with its phrase
    assert [i.event_id for i in first.urgent] == ["big-debit"]
    assert first.urgent[0].why[0].code == "money_large" and "6,800.00" in first.urgent[0].why[0].phrase
    assert first.headline == f"你错过了 1 条紧急通知、{first.messages} 条消息、" + (
        f"{first.notifications - 1} 条其他通知"
    )
    # 13 from the week and 刘洋's late (corrected) one; 陈昊's recalled voice message is not there at all
    assert first.messages == sum(g.count for g in first.conversations) == 14
    assert not any("demo-000424" in g.event_ids for g in first.conversations)
    assert "微信" not in {g.app for g in first.groups}  # chat notifications are shown as conversations instead
    assert first.groups[0].app == "招商银行" and first.groups[0].urgent and first.groups[0].priority >= 90
    promo = [g for g in first.groups if g.app == "美团"]
    assert promo and promo[0].priority == 0 and not promo[0].urgent
    assert [w.code for w in promo[0].why] == ["promotion"]  # no app-declared category: the text says so
    again = sample.notifications.digest(SAMPLE_USER_ID, now_ms=NOW + MIN)
    assert again.since_source == "watermark" and again.headline == "没有错过新的通知和消息"
    code = NotificationEvent(
        event_id="live-code", user_id=SAMPLE_USER_ID, ts=NOW + 2 * MIN, source_app="支付宝",
        body="验证码 556677，5分钟内有效", category="verification",
    )  # fmt: skip
    sample.ingest([code])
    third = asyncio.run(sample.notifications.adigest(SAMPLE_USER_ID, now_ms=NOW + 3 * MIN))
    assert third.urgent[0].why[0].code == "verification_code"
    assert [i.event_id for i in third.urgent] == ["live-code"] and third.headline == "你错过了 1 条紧急通知"
    sample.events.delete_user(SAMPLE_USER_ID)
    assert sample.notifications.watermarks.get(SAMPLE_USER_ID) is None


def test_digest_given_since_and_bad_since(sample: Lingxi) -> None:
    d = sample.notifications.digest(SAMPLE_USER_ID, NOW - 3 * 3_600_000, NOW)
    assert d.since_source == "given" and {i.event_id for i in d.urgent} == set()
    assert [g.name for g in d.conversations][:1] == ["妈妈"]
    with pytest.raises(InvalidInput):
        sample.notifications.digest(SAMPLE_USER_ID, NOW + MIN, NOW)


def test_consent_scopes(lx: Lingxi) -> None:
    lx.ingest([msg(1, "妈妈", "妈妈", "吃了吗")])
    lx.consents.grant("u", Scope.NOTIFICATIONS)
    with pytest.raises(ConsentRequired):
        lx.notifications.conversations("u", now_ms=NOW)
    d = lx.notifications.digest("u", now_ms=NOW)  # notifications only: messages are not read
    assert d.conversations == [] and d.messages == 0


def test_scripted_llm_writes_the_summary_lines(home: Path) -> None:
    llm = ScriptedModel(
        "device/llm",
        locality=Locality.ON_DEVICE,
        chunks=["以下是摘要：\n【妈妈】问周五", "几点到苏州。\n【张伟】约下周三下午对数据。"],
    )
    lx = Lingxi(home, models=[llm])
    lx.load_sample()
    d = lx.notifications.conversations(SAMPLE_USER_ID, model="device/llm", now_ms=NOW)
    by = {g.name: g.summary for g in d.conversations}
    assert by["妈妈"] == "问周五几点到苏州。" and by["张伟"] == "约下周三下午对数据。" and by["王芳"] == ""
    prompt = llm.requests[0].messages[-1].content
    assert "【相亲相爱一家人】" in prompt and "外婆生日" in prompt
    assert d.model_kind == "llm"


def test_http_json_and_sse(sample: Lingxi) -> None:
    sample.ingest(
        [NotificationEvent(event_id="otp", user_id=SAMPLE_USER_ID, ts=NOW - 2 * MIN, source_app="支付宝",
                           body="校验码 556677，你正在付款，请勿告诉他人")]
    )  # fmt: skip
    client = TestClient(create_app(sample))
    r = client.post("/v1/features/notifications/conversations", json={"user_id": SAMPLE_USER_ID, "now": NOW_ISO})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["conversations"][0]["name"] == "妈妈" and body["answer"]["model"] == "lite/textrank"
    r = client.post(
        "/v1/features/notifications/digest", json={"user_id": SAMPLE_USER_ID, "now": NOW_ISO, "stream": True}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = [block.split("\n", 1) for block in r.text.strip().split("\n\n")]
    kinds = [e[0].removeprefix("event: ") for e in events]
    assert kinds[-1] == "done" and "delta" in kinds
    done = json.loads(events[-1][1].removeprefix("data: "))
    assert done["headline"].startswith("你错过了") and done["urgent"] and done["answer"]["refused"] is False
    r = client.post("/v1/features/notifications/summary", json={"user_id": SAMPLE_USER_ID, "now": NOW_ISO})
    assert r.status_code == 200 and r.json()["groups"][0]["urgent"]
    r = client.post("/v1/features/notifications/digest", json={"user_id": SAMPLE_USER_ID, "now": "2026-11-22T21:30"})
    assert r.status_code == 400 or r.status_code == 422


def test_cli_digest_and_conversations(sample: Lingxi, home: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli_app, ["features", "digest", SAMPLE_USER_ID, "--now", NOW_ISO, "--home", str(home), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["headline"].startswith("你错过了")
    r = runner.invoke(cli_app, ["features", "conversations", SAMPLE_USER_ID, "--now", NOW_ISO, "--home", str(home)])
    assert r.exit_code == 0, r.output
    assert "妈妈" in r.output and "家人" in r.output


@pytest.mark.parametrize("check", notification_checks.CHECKS, ids=lambda c: c.name)
def test_quality_checks_pass_on_lite(sample: Lingxi, check: notification_checks.QualityCheck) -> None:
    result = asyncio.run(check.run(sample, None))
    assert result.passed, result.detail


def test_urgency_reads_the_users_own_data_and_learns_from_reactions(lx: Lingxi) -> None:
    """Relations from message history, the calendar, marks, and a threshold tuned by opened/dismissed notes."""
    user = "u-urgency"
    lx.consents.grant(user, Scope.NOTIFICATIONS, Scope.MESSAGES, Scope.CALENDAR, source="test")

    def note(i: int, title: str, body: str, age: int, app: str = "微信") -> NotificationEvent:
        return NotificationEvent(event_id=f"n{i}", user_id=user, ts=NOW - age * MIN, source_app=app, title=title,
                                 body=body)  # fmt: skip

    history = [
        MessageEvent(event_id=f"h{i}", user_id=user, ts=DAY_AGO + i * MIN, source_app="微信", conversation_id="c1",
                     conversation_name="周玉兰", sender="周玉兰", direction="in", text="吃了吗", relation="妈妈")
        for i in range(2)
    ] + [
        MessageEvent(event_id=f"g{i}", user_id=user, ts=DAY_AGO + i * MIN, source_app="微信", conversation_id="c2",
                     conversation_name="孙浩", sender="孙浩", direction="in", text="收到")
        for i in range(6)
    ] + [
        MessageEvent(event_id=f"p{i}", user_id=user, ts=DAY_AGO + i * MIN, source_app="微信", conversation_id="c3",
                     conversation_name="产品组", sender="张伟" if i % 2 else "我", direction="in" if i % 2 else "out",
                     text="周报")
        for i in range(12)
    ]  # fmt: skip  # a busy group chat is not a frequent contact
    meeting = CalendarEvent(event_id="cal", user_id=user, ts=DAY_AGO, source_app="日历", title="季度预算评审",
                            start_ts=NOW + 10 * MIN, end_ts=NOW + 70 * MIN)  # fmt: skip
    notes = [note(1, "周玉兰", "[语音] 8″", 3), note(2, "日历", "季度预算评审 · B座", 1, "日历"),
             note(3, "孙浩", "在吗", 2), note(4, "周总", "方案先别发", 5, "钉钉"),
             note(5, "产品组", "张伟：周报", 2)]  # fmt: skip
    lx.ingest([*history, meeting, *notes])
    before = lx.notifications.digest(user, NOW - 60 * MIN, NOW)
    codes = {i.event_id: [w.code for w in i.why] for i in before.urgent}
    assert set(codes) == {"n1", "n2", "n3"} and codes["n1"][0] == "family"  # 妈妈, from her messages
    assert codes["n2"] == ["meeting_soon"] and codes["n3"] == ["frequent_contact"]
    lx.notifications.mark(user, "周总", now_ms=NOW)
    for _ in range(2):  # the user keeps dismissing the frequent contact's "在吗"
        lx.notifications.react(user, "n3", opened=False, now_ms=NOW)
    after = lx.notifications.digest(user, NOW - 60 * MIN, NOW + MIN)
    assert {i.event_id for i in after.urgent} == {"n1", "n2", "n4"}
    assert next(i for i in after.urgent if i.event_id == "n4").why[0].code == "user_marked"
    with pytest.raises(InvalidInput):
        lx.notifications.mark(user, "  ")
    lx.consents.withdraw(user, Scope.CALENDAR)  # no consent, no calendar: that rule stays idle
    assert "n2" not in {i.event_id for i in lx.notifications.digest(user, NOW - 60 * MIN, NOW + 2 * MIN).urgent}
