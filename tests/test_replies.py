"""Smart replies: style learning, calendar/order context, lite and scripted-LLM candidates, HTTP, CLI."""

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
from lingxi.context.events import Event, MessageEvent, OrderEvent, OrderItem
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.errors import ConsentRequired
from lingxi.evals import replies as reply_checks
from lingxi.features.replies import parse_replies
from lingxi.features.reply_facts import time_windows
from lingxi.features.reply_history import history_pairs
from lingxi.features.style import apply_style, learn_style
from lingxi.models.base import Locality
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app

NOW = SAMPLE_NOW_MS
MIN = 60_000
NOW_ISO = "2026-11-22T21:30:00+08:00"


def msg(n: int, text: str, out: bool = False, conv: str = "c1", age_min: int = 5) -> MessageEvent:
    return MessageEvent(
        event_id=f"m{n}", user_id="u", ts=NOW - age_min * MIN, source_app="微信", conversation_id=conv,
        conversation_name="小周", sender="我" if out else "小周", direction="out" if out else "in", text=text,
    )  # fmt: skip


def test_learn_style_counts_habits() -> None:
    s = learn_style(["好呀～", "可以呀~", "到啦！", "好呀😊", "嗯嗯好呀😊", "明天见~"])
    assert s.particle == "呀" and s.emoji == "😊" and s.tilde_rate == 0.5 and s.period_rate == 0.0
    assert s.openers == ["好呀"] and s.samples == 6
    assert "「呀」" in s.description_zh and "😊" in s.description_zh
    assert apply_style("好的，收到。", s) == "好的，收到呀~😊"
    assert apply_style("明天有空吗？", s).startswith("明天有空吗？")  # no particle after a question mark
    few = learn_style(["好。"])
    assert few.particle is None and apply_style("好的。", few) == "好的。"


def test_parse_replies_is_robust() -> None:
    text = "好的，以下是候选：\n1. 好呀\n2、 明天不行哦\n3) 「改天吧」\n3. 好呀！\n- 第四条\n随便说说"
    assert parse_replies(text) == ["好呀", "明天不行哦", "改天吧", "第四条"]


def test_time_windows_narrow_to_the_hour_and_find_every_phrase() -> None:
    [(phrase, start, end)] = time_windows("明天下午三点有空吗？", NOW, "Asia/Shanghai")
    assert phrase == "明天下午三点" and start == NOW + (17 * 60 + 30) * MIN and end - start == 3_600_000
    assert time_windows("在吗", NOW, "Asia/Shanghai") == []
    both = time_windows("今晚不行，明天上午十点半呢？", NOW, "Asia/Shanghai")
    assert [p for p, _, _ in both] == ["今晚", "明天上午十点半"] and both[1][1] == NOW + (13 * 60) * MIN


def test_history_pairs_follow_each_conversation() -> None:
    ms = [msg(1, "吃了吗", age_min=9), msg(2, "在吗", conv="c2", age_min=8), msg(3, "吃了", out=True, age_min=7)]
    assert [(q.event_id, a.event_id) for q, a in history_pairs(ms)] == [("m1", "m3")]


def test_sample_reply_mentions_calendar_conflict(sample: Lingxi) -> None:
    r = sample.replies.suggest(SAMPLE_USER_ID, "wx-zhangwei", now_ms=NOW)
    assert r.message and r.message.startswith("晓雨，下周三下午有空吗")
    assert len(r.candidates) == 3 and len({c.text for c in r.candidates}) == 3
    first = r.candidates[0]
    # the review was moved from 14:00 to 16:00 (demo-000420): the reply names the new slot and cites both versions
    assert first.source == "template" and "版本上线评审" in first.text and "16:00-17:00" in first.text
    assert {"demo-000145", "demo-000420"} <= set(r.context_ids) and r.message_id == "demo-000387"
    assert r.model == "lite/rules" and r.label and "规则" in r.label
    assert r.style is not None and r.style.samples > 20 and r.personalized


def test_sample_every_conversation_gets_three(sample: Lingxi) -> None:
    for cid in ("wx-group-product", "wx-chenhao", "wx-wangfang", "wx-mom", "wx-group-family"):
        r = sample.replies.suggest(SAMPLE_USER_ID, cid, now_ms=NOW)
        texts = [c.text for c in r.candidates]
        assert len(texts) == 3 and all(t.strip() for t in texts) and len(set(texts)) == 3, (cid, texts)
    mom = sample.replies.suggest(SAMPLE_USER_ID, "wx-mom", now_ms=NOW)
    assert any(c.source == "history" and "你以前" in c.reason_zh for c in mom.candidates)


def test_empty_conversation_gives_a_reason(sample: Lingxi) -> None:
    r = sample.replies.suggest(SAMPLE_USER_ID, "wx-nobody", now_ms=NOW)
    assert r.candidates == [] and r.reason_zh and "还没有收到" in r.reason_zh and r.model is None


def test_consent_and_non_personalized(sample: Lingxi) -> None:
    sample.consents.set_non_personalized(SAMPLE_USER_ID, True)
    r = sample.replies.suggest(SAMPLE_USER_ID, "wx-zhangwei", now_ms=NOW, message="下周一起吃饭吗")
    assert r.style is None and not r.personalized and r.context_ids == [] and len(r.candidates) == 3
    assert all(c.source == "template" for c in r.candidates) and "非个性化" in (r.reason_zh or "")
    # nothing read, so nothing claimed: an invitation gets "when?" first, never "I'm free" or "already paid"
    assert r.intent == "invitation" and r.candidates[0].text == "好呀，什么时间？" and r.facts == []
    assert {c.act for c in r.candidates} == {"ask", "decline"}
    sample.consents.set_non_personalized(SAMPLE_USER_ID, False)
    sample.consents.withdraw(SAMPLE_USER_ID, Scope.MESSAGES)
    with pytest.raises(ConsentRequired):
        sample.replies.suggest(SAMPLE_USER_ID, "wx-zhangwei", now_ms=NOW)


def _order(status: str) -> OrderEvent:
    return OrderEvent(
        event_id=f"o-{status}", user_id="u", ts=NOW - 600 * MIN, source_app="淘宝", order_id="T1", platform="淘宝",
        items=[OrderItem(name="羊毛围巾 灰色", price_fen=19900)], total_fen=19900, status="shipped",  # type: ignore[arg-type]
        carrier="顺丰速运", eta_ts=NOW + 1440 * MIN,
    )  # fmt: skip


def test_order_status_only_with_shopping_consent(lx: Lingxi) -> None:
    events: list[Event] = [_order("shipped"), msg(1, "你给我买的围巾快递到哪了？")]
    lx.ingest(events)
    lx.consents.grant("u", Scope.MESSAGES)
    without = lx.replies.suggest("u", "c1", now_ms=NOW)
    assert not any("已发货" in c.text for c in without.candidates)
    lx.consents.grant("u", Scope.SHOPPING)
    with_orders = lx.replies.suggest("u", "c1", now_ms=NOW)
    assert with_orders.candidates[0].text == "我买的羊毛围巾已发货，预计明天 21:30 送达。"
    assert with_orders.candidates[0].citations == ["order:T1"]
    assert "o-shipped" in with_orders.context_ids


def test_scripted_llm_writes_candidates_in_style(home: Path) -> None:
    llm = ScriptedModel(
        "device/llm", locality=Locality.ON_DEVICE, chunks=["1. 下周三下午有评审", "，周四可以吗\n2. 好的"]
    )
    lx = Lingxi(home, models=[llm])
    lx.load_sample()
    r = lx.replies.suggest(SAMPLE_USER_ID, "wx-zhangwei", model="device/llm", now_ms=NOW)
    # 「好的」 accepts a busy slot: the check rewrote it into the calendar's answer; computed ones top up
    assert [c.source for c in r.candidates] == ["llm", "template", "template"]
    assert r.candidates[0].text == "下周三下午有评审，周四可以吗" and r.model_kind == "llm"
    assert [(n.action, n.original) for n in r.checks] == [("rewritten", "好的")]
    assert "版本上线评审" in r.candidates[1].text and r.candidates[1].citations[0].startswith("busy:")
    system, user = (m.content for m in llm.requests[0].messages)
    assert r.style is not None and r.style.description_zh in system
    assert (
        "背景：用户日历：下周三下午已有「版本上线评审：会员中心 v2.0」" in user
        and "张伟：晓雨，下周三下午有空吗" in user
    )


def test_http_json_and_sse(sample: Lingxi) -> None:
    client = TestClient(create_app(sample))
    body = {"user_id": SAMPLE_USER_ID, "conversation_id": "wx-zhangwei", "now": NOW_ISO}
    r = client.post("/v1/features/replies", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    assert len(data["candidates"]) == 3 and data["answer"]["model"] == "lite/rules" and data["style"]["samples"] > 0
    r = client.post("/v1/features/replies", json={**body, "stream": True})
    blocks = [b.split("\n", 1) for b in r.text.strip().split("\n\n")]
    assert blocks[0][0] == "event: delta" and blocks[-1][0] == "event: done"
    assert json.loads(blocks[-1][1].removeprefix("data: "))["candidates"] == data["candidates"]
    assert client.post("/v1/features/replies", json={**body, "conversation_id": ""}).status_code in (400, 422)


def test_cli_replies(sample: Lingxi, home: Path) -> None:
    args = ["features", "replies", SAMPLE_USER_ID, "wx-zhangwei", "--now", NOW_ISO, "--home", str(home)]
    r = CliRunner().invoke(cli_app, args)
    assert r.exit_code == 0, r.output
    assert "版本上线评审" in r.output and "1. " in r.output and "你的风格" in r.output


@pytest.mark.parametrize("check", reply_checks.CHECKS, ids=lambda c: c.name)
def test_quality_checks_pass_on_lite(sample: Lingxi, check: reply_checks.QualityCheck) -> None:
    result = asyncio.run(check.run(sample, None))
    assert result.passed, result.detail


def test_style_check_fails_for_an_llm_that_ignores_style(home: Path) -> None:
    llm = ScriptedModel("device/llm", locality=Locality.ON_DEVICE, chunks=["1. 好的\n2. 可以\n3. 行"])
    lx = Lingxi(home, models=[llm])
    lx.load_sample()
    check = next(c for c in reply_checks.CHECKS if c.name == "replies.style_particle")
    assert not asyncio.run(check.run(lx, "device/llm")).passed


def test_no_free_busy_claim_without_calendar_consent(sample: Lingxi) -> None:
    sample.consents.withdraw(SAMPLE_USER_ID, Scope.CALENDAR, source="test")
    try:
        r = sample.replies.suggest(SAMPLE_USER_ID, "wx-zhangwei", now_ms=NOW)
        assert not any("有空" in c.text or "评审" in c.text for c in r.candidates), r.candidates
        assert not any(cid.startswith("demo-") and cid == "demo-000145" for cid in r.context_ids)
    finally:
        sample.consents.grant(SAMPLE_USER_ID, Scope.CALENDAR, source="test")
