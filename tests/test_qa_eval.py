"""The independent QA evaluation set (benchmarks/qa_eval): deterministic, golds consistent, big enough, scored
by the documented protocol."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

pytest.importorskip("chinese_calendar")

from qa_eval.clock import holiday_days, makeup_workdays
from qa_eval.fresh import fresh_items
from qa_eval.gold import evaluate
from qa_eval.questions import questions
from qa_eval.score import exact, is_free
from qa_eval.users import all_users, now_ms

from lingxi.context.events import parse_event
from lingxi.context.sample import SAMPLE_USER_ID


@pytest.fixture(scope="module")
def built() -> dict[str, tuple[object, list[dict[str, object]], list[dict[str, object]], list[dict[str, object]]]]:
    out = {}
    for uid, (p, events) in all_users(13).items():
        out[uid] = (p, events, questions(p, events, 13), fresh_items(p, events, 13))
    return out


def test_generator_is_deterministic_and_seed_matters() -> None:
    a, b, c = all_users(13), all_users(13), all_users(14)
    dump = lambda users: json.dumps({u: ev for u, (_, ev) in users.items()}, ensure_ascii=False, sort_keys=True)  # noqa: E731
    assert dump(a) == dump(b)
    assert dump(a) != dump(c)


def test_users_are_realistic_and_not_the_demo_user(built) -> None:  # type: ignore[no-untyped-def]
    assert len(built) >= 3
    names = {p.name for p, *_ in built.values()}
    assert len(names) == len(built) and "林晓雨" not in names
    for uid, (p, events, _, _) in built.items():
        assert uid != SAMPLE_USER_ID
        assert 350 <= len(events) <= 600
        kinds = {e["type"] for e in events}
        assert {
            "message",
            "order",
            "payment",
            "calendar",
            "contact",
            "reminder",
            "cart",
            "favorite",
            "browse",
            "search",
            "message_update",
        } <= kinds
        statuses = {e["status"] for e in events if e["type"] == "order"}
        assert {"in_transit", "delivered", "cancelled"} <= statuses
        pays = [e for e in events if e["type"] == "payment"]
        assert any(e["order_id"] for e in pays) and any(not e["order_id"] for e in pays if e["category"] == "外卖")
        assert {e.get("status") for e in events if e["type"] == "calendar"} >= {"cancelled", "tentative"}
        assert all(e["ts"] <= now_ms(p) for e in events)  # type: ignore[arg-type]
        assert len({e["event_id"] for e in events}) == len(events)


def test_window_holds_holidays_from_the_library() -> None:
    assert holiday_days(2026, "National Day")[0].isoformat() == "2026-10-01"
    assert [d.isoformat() for d in makeup_workdays(2026, "National Day")] == ["2026-09-20", "2026-10-10"]


def test_counts_and_every_citation_exists(built) -> None:  # type: ignore[no-untyped-def]
    total = sum(len(qs) for *_, qs, _ in built.values())
    fresh = sum(len(fs) for *_, fs in built.values())
    assert total >= 300 and fresh >= 50
    for _p, events, qs, fs in built.values():
        ids = {e["event_id"] for e in events}
        for q in qs:
            assert set(q["gold"]["required"]) <= set(q["gold"]["acceptable"]) <= ids, q["qid"]
        shapes = {q["shape"] for q in qs}
        assert {
            "category_spend",
            "count",
            "first_last",
            "free_busy",
            "who_said",
            "field",
            "list",
            "exists",
            "not_found",
        } <= shapes
        seen = set(ids)
        for f in fs:
            assert 1 <= len(f["fresh_events"]) <= 3
            seen |= {e["event_id"] for e in f["fresh_events"]}
            assert set(f["after"]["acceptable"]) <= seen and f["before"] != f["after"]


def test_gold_answers_recompute_the_same(built) -> None:  # type: ignore[no-untyped-def]
    for p, events, qs, fs in built.values():
        now = now_ms(p)
        for q in qs:
            assert evaluate(q["spec"], events, now) == q["gold"], q["qid"]
        so_far = list(events)
        for f in fs:
            assert evaluate(f["spec"], so_far, now) == f["before"], f["qid"]
            so_far += f["fresh_events"]
            assert evaluate(f["spec"], so_far, now) == f["after"], f["qid"]


def test_protocol_judges_answers_as_documented() -> None:
    money = {"kind": "money", "value": 1230, "required": [], "acceptable": []}
    for text in ("合计 ¥12.30", "一共12.3元", "花了 12.30 元", "￥12.3"):
        assert exact(text, money, "sum_pay"), text
    assert not exact("合计 ¥123.00", money, "sum_pay")
    count = {"kind": "count", "value": 3, "required": [], "acceptable": []}
    assert exact("一共 3 次", count, "count_pay") and exact("打了三次车", count, "count_pay")
    assert not exact("有 13 次", count, "count_pay")
    assert is_free("有空，这段时间没有安排") is True and is_free("没空：10:00 有会") is False
    assert is_free("10月15日上午（06:00 至 12:00）有 2 个日程") is False
    names = {"kind": "list", "value": ["刘洋", "孙建国"], "required": [], "acceptable": []}
    assert exact("刘洋、孙建国参加", names, "attendees") and not exact("刘洋参加", names, "attendees")
    none = {"kind": "none", "value": None, "required": [], "acceptable": []}
    assert exact("没有找到相关记录", none, "none") and not exact("¥0.00", none, "pick_pay")


def test_v1_fallback_sends_only_events_this_engine_accepts(built) -> None:  # type: ignore[no-untyped-def]
    from bench_assistant_qa import downgrade

    for _p, events, _, fs in built.values():
        sent = downgrade(events + [e for f in fs for e in f["fresh_events"]])
        assert sent and all(parse_event(e).event_id == e["event_id"] for e in sent)
        assert not any(e.get("status") == "cancelled" for e in sent if e["type"] == "calendar")
