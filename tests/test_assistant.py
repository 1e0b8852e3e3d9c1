"""The personal assistant end to end: lite tier on the sample user, an LLM over real HTTP, sessions, consent."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fake_openai import FakeOpenAI, Script
from lingxi import Lingxi
from lingxi.context.events import AppActionEvent, PaymentEvent
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID, sample_events
from lingxi.errors import ConsentRequired
from lingxi.evals.assistant import CHECKS
from lingxi.features.assistant import check_citations
from lingxi.features.facts import Facts, yuan
from lingxi.models.base import Locality, ModelInfo, ModelKind
from lingxi.models.openai_compat import OpenAICompatModel
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app

U, NOW = SAMPLE_USER_ID, SAMPLE_NOW_MS


def test_yuan_is_exact() -> None:
    assert yuan(1230) == "¥12.30" and yuan(5) == "¥0.05" and yuan(28280) == "¥282.80"


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.name)
def test_quality_checks_pass_on_lite(sample: Lingxi, check: Any) -> None:
    result = asyncio.run(check.run(sample, None))
    assert result.passed, result.detail


def test_lite_answers_are_rule_computed_and_cite_the_users_events(sample: Lingxi) -> None:
    r = sample.assistant.ask(U, "这个月外卖花了多少钱？", now_ms=NOW)
    assert r.intent == "spending" and r.answer["model_kind"] == "classical"
    assert "规则" in (r.answer["label"] or "")
    pays = {e.event_id: e for e in sample.events.get(U, r.citations)}
    assert all(isinstance(p, PaymentEvent) and p.category == "外卖" for p in pays.values())
    assert r.numbers["total_fen"] == sum(p.amount_fen for p in pays.values() if isinstance(p, PaymentEvent))


def test_payments_question_needs_payments_consent_others_still_work(lx: Lingxi) -> None:
    lx.load_sample()
    lx.consents.withdraw(U, Scope.PAYMENTS)
    with pytest.raises(ConsentRequired):
        lx.assistant.ask(U, "这个月外卖花了多少钱？", now_ms=NOW)
    assert lx.assistant.ask(U, "我上周在京东买的耳机什么时候到？", now_ms=NOW).citations
    assert lx.assistant.ask(U, "下周三下午有空吗？", now_ms=NOW).intent == "free_busy"


@pytest.mark.parametrize("question", ["我的包裹什么时候到？", "我的快递派送到哪了", "最近有什么快递"])
def test_a_delivery_question_naming_no_item_lists_what_is_still_coming_first(sample: Lingxi, question: str) -> None:
    reply = sample.assistant.ask(U, question, now_ms=NOW)
    assert reply.intent == "order_status" and reply.citations[0] == "demo-000419"  # the headphones, in transit
    assert reply.text.splitlines()[0].endswith("[demo-000419]") and "预计 11月24日 送达" in reply.text


def test_what_is_planned_for_a_day_lists_that_days_calendar(sample: Lingxi) -> None:
    reply = sample.assistant.ask(U, "明天有什么安排？", now_ms=NOW)
    assert reply.intent == "free_busy" and "demo-000004" in reply.citations
    assert "明天（11月23日全天）" in reply.text
    assert "11月23日 10:00–11:00 产品组周会" in reply.text  # the meeting's own time, not when it was entered


def test_spending_on_a_kind_of_thing_filters_by_what_it_is_called_or_what_was_bought(sample: Lingxi) -> None:
    taxi = sample.assistant.ask(U, "这个月打车花了多少", now_ms=NOW)
    rides = [e for e in sample_events() if isinstance(e, PaymentEvent) and "滴滴" in e.merchant]
    assert taxi.numbers == {"total_fen": sum(p.amount_fen for p in rides), "count": len(rides)} and rides
    assert sorted(taxi.citations) == sorted(p.event_id for p in rides) and "「打车」" in taxi.text
    phones = sample.assistant.ask(U, "我的耳机多少钱买的", now_ms=NOW)  # the JD payment of the headphones order
    assert phones.citations == ["demo-000249"] and "¥2299.00" in phones.text
    none = sample.assistant.ask(U, "这个月滑雪花了多少", now_ms=NOW)
    assert "没有找到与「滑雪」相关的支出" in none.text and "合计" not in none.text  # not the total of everything


def test_a_question_about_messages_is_not_taken_for_a_message_to_send(sample: Lingxi) -> None:
    reply = sample.assistant.ask(U, "昨天谁给我发消息了", now_ms=NOW)
    assert reply.intent == "search" and reply.pending_action is None and reply.citations
    draft = sample.assistant.ask(U, "帮我给张伟发消息说明天的会我晚十分钟到", now_ms=NOW)
    assert draft.intent == "draft_message" and draft.pending_action and draft.pending_action.args["to"] == "张伟"


def test_follow_up_resolves_it_from_the_previous_turn(sample: Lingxi) -> None:
    first = sample.assistant.ask(U, "我上周在京东买的耳机什么时候到？", now_ms=NOW)
    again = sample.assistant.ask(U, "那它现在到哪了？", session_id=first.session_id, now_ms=NOW)
    assert again.intent == "order_status" and again.session_id == first.session_id
    assert "耳机" in again.text and set(again.citations) == set(first.citations)
    fresh = sample.assistant.ask(U, "那它现在到哪了？", now_ms=NOW)
    assert set(fresh.citations) != set(first.citations)  # without the session there is no 「它」 to resolve


def test_rule_action_waits_for_confirmation_then_writes_an_app_action(sample: Lingxi) -> None:
    r = sample.assistant.ask(U, "提醒我明天早上8点给妈妈打电话", now_ms=NOW)
    assert r.pending_action is not None and r.pending_action.tool == "set_reminder"
    assert r.pending_action.args["at_ms"] == NOW + (10 * 60 + 30) * 60_000  # Sunday 21:30 → Monday 08:00
    assert "确认" in r.text and not sample.events.query(U, types=["app_action"])
    done = sample.assistant.confirm(U, r.session_id, r.pending_action.action_id, True)
    acts = sample.events.get(U, done.citations)
    assert done.status == "done" and isinstance(acts[0], AppActionEvent) and acts[0].action == "set_reminder"
    with pytest.raises(Exception, match="already"):
        sample.assistant.confirm(U, r.session_id, r.pending_action.action_id, True)
    no = sample.assistant.ask(U, "帮我把碧根果加入购物车", now_ms=NOW)
    assert no.pending_action is not None
    assert sample.assistant.confirm(U, no.session_id, no.pending_action.action_id, False).status == "cancelled"
    assert len(sample.events.query(U, types=["app_action"])) == 1


def test_invented_citations_are_dropped() -> None:
    facts = Facts()
    facts.citations = ["demo-000001"]
    text, valid, invalid = check_citations("在 [demo-000001] 和 [demo-999999]。", facts)
    assert valid == ["demo-000001"] and invalid == ["demo-999999"] and "999999" not in text


@dataclass
class ToolThenAnswer(Script):
    """First request: a tool call; later ones: the final answer (the fake scripts one behaviour per model)."""

    fake: Any = None
    model_id: str = ""
    final: str = ""

    def __getattribute__(self, name: str) -> Any:
        if name in ("tool_call", "reply"):
            first = len(object.__getattribute__(self, "fake").received(object.__getattribute__(self, "model_id"))) <= 1
            if name == "tool_call" and not first:
                return None
            if name == "reply":
                return "" if first else object.__getattribute__(self, "final")
        return object.__getattribute__(self, name)


def llm_lingxi(home: Any, fake: FakeOpenAI, model_id: str, call: tuple[str, dict[str, Any]], final: str) -> Lingxi:
    fake.scripts[model_id] = ToolThenAnswer(tool_call=call, fake=fake, model_id=model_id, final=final)
    info = ModelInfo(
        name=f"local/{model_id}", provider="local", locality=Locality.ON_DEVICE, kind=ModelKind.LLM, supports_tools=True
    )
    lx = Lingxi(home, models=[OpenAICompatModel(info, base_url=fake.base_url, model_id=model_id)])
    lx.load_sample()
    return lx


def test_llm_tool_call_runs_then_second_turn_answers(home: Any) -> None:
    with FakeOpenAI() as fake:
        lx = llm_lingxi(
            home,
            fake,
            "tooly",
            ("track_package", {"keywords": ["耳机"]}),
            "耳机由京东物流运送中[demo-000419][demo-424242]",
        )
        r = lx.assistant.ask(U, "帮我查一下耳机的物流", model="local/tooly", now_ms=NOW)
        first, second = (x.body for x in fake.received("tooly"))
    assert [t["function"]["name"] for t in first["tools"]][:2] == ["create_calendar_event", "set_reminder"]
    assistant_msg = second["messages"][-2]
    assert (
        assistant_msg["role"] == "assistant" and assistant_msg["tool_calls"][0]["function"]["name"] == "track_package"
    )
    tool_msg = second["messages"][-1]
    assert (
        tool_msg["role"] == "tool"
        and tool_msg["tool_call_id"] == "call_fake_1"
        and "JD0012345678901" in tool_msg["content"]
    )
    assert r.citations == ["demo-000419"] and r.invalid_citations == ["demo-424242"] and "424242" not in r.text


def test_the_answer_after_a_tool_call_streams(home: Any) -> None:
    final = "耳机由京东物流运送中，预计明天送达[demo-000419]"
    with FakeOpenAI() as fake:
        lx = llm_lingxi(home, fake, "streamy", ("track_package", {"keywords": ["耳机"]}), final)
        body = {"user_id": U, "question": "帮我查一下耳机的物流", "model": "local/streamy", "stream": True}
        r = TestClient(create_app(lx)).post("/v1/features/assistant", json={**body, "now": "2025-11-23T20:00:00+08:00"})
    assert r.status_code == 200, r.text
    blocks = [b.split("\n", 1) for b in r.text.strip().split("\n\n")]
    kinds = [b[0].removeprefix("event: ") for b in blocks]
    step = kinds.index("step")
    assert kinds[step + 1 : -1] and set(kinds[step + 1 : -1]) == {"delta"} and kinds[-1] == "done"
    note = json.loads(blocks[step][1].removeprefix("data: "))
    assert note["tool_calls"][0]["name"] == "track_package" and "JD0012345678901" in note["tool_results"][0]
    streamed = "".join(json.loads(b[1].removeprefix("data: "))["text"] for b in blocks[step + 1 : -1])
    done = json.loads(blocks[-1][1].removeprefix("data: "))
    assert streamed == final and done["text"] == final and done["citations"] == ["demo-000419"]
    assert done["answer"]["model"] == "local/streamy" and len(fake.received("streamy")) == 2


def test_tools_whose_data_the_user_withheld_are_not_offered(home: Any) -> None:
    with FakeOpenAI() as fake:
        lx = llm_lingxi(home, fake, "scoped", ("set_reminder", {"text": "喝水", "at_ms": NOW + 3_600_000}), "好的")
        lx.consents.withdraw(U, Scope.CALENDAR, Scope.SHOPPING)
        lx.assistant.ask(U, "我最近给妈妈说了什么", model="local/scoped", now_ms=NOW)
        offered = [t["function"]["name"] for t in fake.received("scoped")[0].body["tools"]]
    assert "set_reminder" in offered and "draft_message" in offered
    assert not {"create_calendar_event", "search_orders", "track_package", "add_to_cart"} & set(offered)


def test_llm_invalid_tool_args_go_back_to_the_model(home: Any) -> None:
    with FakeOpenAI() as fake:
        lx = llm_lingxi(
            home, fake, "bad", ("set_reminder", {"text": "", "at_ms": "明天"}), "参数有误，请再说一次时间。"
        )
        r = lx.assistant.ask(U, "我最近给妈妈说了什么", model="local/bad", now_ms=NOW)
        tool_msg = fake.received("bad")[1].body["messages"][-1]
    assert tool_msg["role"] == "tool" and "错误" in tool_msg["content"] and "set_reminder" in tool_msg["content"]
    assert r.pending_action is None and r.text.startswith("参数有误")


def test_llm_side_effect_call_becomes_pending(home: Any) -> None:
    with FakeOpenAI() as fake:
        call = ("add_to_cart", {"item": "碧根果", "quantity": 2})
        lx = llm_lingxi(home, fake, "cart", call, "已为你准备加入购物车，请确认。")
        r = lx.assistant.ask(U, "我最近给妈妈说了什么", model="local/cart", now_ms=NOW)
    assert r.pending_action is not None and r.pending_action.args["quantity"] == 2
    assert not lx.events.query(U, types=["app_action"])


def test_http_ask_confirm_tools_and_foreign_session(sample: Lingxi) -> None:
    client = TestClient(create_app(sample))
    now = "2026-11-22T21:30:00+08:00"
    r = client.post("/v1/features/assistant", json={"user_id": U, "question": "提醒我明天早上8点开会", "now": now})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["pending_action"]["tool"] == "set_reminder" and body["answer"]["model_kind"] == "classical"
    ok = client.post(
        "/v1/features/assistant/confirm",
        json={"user_id": U, "session_id": body["session_id"], "action_id": body["pending_action"]["action_id"],
              "approve": True},
    )  # fmt: skip
    assert ok.status_code == 200 and ok.json()["status"] == "done"
    other = client.post(
        "/v1/features/assistant",
        json={"user_id": "someone-else", "question": "下周三下午有空吗？", "session_id": body["session_id"]},
    )
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    stream = client.post("/v1/features/assistant", json={"user_id": U, "question": "下周三下午有空吗？", "now": now,
                                                         "stream": True})  # fmt: skip
    assert "event: delta" in stream.text and "event: done" in stream.text
    tools = client.get("/v1/features/assistant/tools").json()
    assert {t["name"] for t in tools} >= {"create_calendar_event", "track_package", "add_to_cart"}


def test_sessions_are_exported_and_deleted_with_the_user(lx: Lingxi) -> None:
    from lingxi.privacy.subject_rights import delete_user, export_user

    lx.load_sample()
    reply = lx.assistant.ask(SAMPLE_USER_ID, "下周三下午有空吗？", now_ms=SAMPLE_NOW_MS)
    exported = export_user(lx, SAMPLE_USER_ID)["assistant_sessions"]
    assert [s["session_id"] for s in exported] == [reply.session_id]
    assert any("下周三下午有空吗" in str(m["content"]) for m in exported[0]["messages"])
    delete_user(lx, SAMPLE_USER_ID)
    assert export_user(lx, SAMPLE_USER_ID)["assistant_sessions"] == []
    raw = b"".join(p.read_bytes() for p in lx.settings.home.glob("lingxi.db*"))
    assert "下周三下午有空吗".encode() not in raw


def test_calendar_questions_need_the_calendar_scope(lx: Lingxi) -> None:
    from lingxi.privacy.consent import Scope

    lx.load_sample()
    lx.consents.withdraw(SAMPLE_USER_ID, Scope.CALENDAR)
    with pytest.raises(ConsentRequired):
        lx.assistant.ask(SAMPLE_USER_ID, "下周三下午有空吗？", now_ms=SAMPLE_NOW_MS)
    spent = lx.assistant.ask(SAMPLE_USER_ID, "这个月外卖花了多少钱？", now_ms=SAMPLE_NOW_MS)
    assert spent.numbers["total_fen"] == 28280  # other scopes still work
