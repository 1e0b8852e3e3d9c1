"""The executor on a small hand-made user (tests/query_user.py): exact numbers, every contributing event cited,
current entity state (cancelled, moved, corrected, deleted, delayed), and 「没有找到」 when nothing matches."""

from __future__ import annotations

import pytest

from lingxi.query.answer import Facts
from lingxi.query.execute import Context, execute
from lingxi.query.rules import parse
from lingxi.query.synonyms import Synonyms
from query_user import NOW, TZ, events

TABLE = Synonyms()


def ask(q: str, now: int = NOW) -> Facts:
    return execute(parse(q, now, TZ, TABLE), Context(events(), now, TZ, TABLE))


@pytest.mark.parametrize(
    ("q", "numbers", "cited"),
    [
        ("上周打车几次？", {"count": 2, "total_fen": 5470}, {"p3", "p4"}),
        ("这周打车几次", {"count": 0, "total_fen": 0}, set()),
        ("国庆花了多少", {"total_fen": 37090, "count": 2}, {"p1", "p2"}),
        ("国庆调休上班那天花了多少", {"total_fen": 4550, "count": 1}, {"p5"}),
        ("10月8日到10日花了多少", {"total_fen": 10020, "count": 3}, {"p3", "p4", "p5"}),
        ("这个月吃饭花了多少（不含外卖）", {"total_fen": 38680, "count": 3}, {"p1", "p2", "p6"}),
        ("除了打车，上周花了多少", {"total_fen": 4550, "count": 1}, {"p5"}),
        ("上周平均每笔打车多少钱", {"average_fen": 2735, "count": 2, "total_fen": 5470}, {"p3", "p4"}),
        ("这个月喝咖啡花了多少", {"total_fen": 2880, "count": 2}, {"p1", "p6"}),  # p12 is tomorrow
        ("这个月收入多少", {"total_fen": 5000, "count": 1}, {"p11"}),
        ("这个月充电宝花了多少", {"total_fen": 29900, "count": 1}, {"p8", "o1c"}),  # linked by code
        ("这个月京东花了多少", {"total_fen": 29900, "count": 1}, {"p8"}),
        ("这个月打车和外卖花了多少", {"total_fen": 13820, "count": 4}, {"p3", "p4", "p5", "p7"}),  # either word
        ("这个月支付宝花了多少", {"total_fen": 76800, "count": 6}, {"p2", "p3", "p5", "p7", "p8", "p10"}),
        ("这个月用微信支付花了多少", {"total_fen": 6000, "count": 3}, {"p1", "p4", "p6"}),
    ],
)
def test_money(q: str, numbers: dict[str, int], cited: set[str]) -> None:
    facts = ask(q)
    assert facts.numbers == numbers and set(facts.citations) == cited, facts.lines


def test_last_visit_is_one_visit_not_a_sum() -> None:
    facts = ask("上一次在瑞幸花了多少")
    assert facts.numbers == {"amount_fen": 1590} and facts.citations == ["p6"] and "¥15.90" in facts.lines[0]
    first = ask("这个月第一次喝咖啡花了多少")
    assert first.numbers == {"amount_fen": 1290} and first.citations == ["p1"]


def test_max_and_min() -> None:
    assert ask("这个月最贵的一笔").citations == ["p2"]
    assert ask("上周最便宜的一笔打车").numbers == {"amount_fen": 2350}


@pytest.mark.parametrize(
    ("q", "said"), [("这个月滑雪花了多少", "滑雪"), ("超过100元的外卖花了多少", "外卖（超过100元）")]
)
def test_nothing_matches_says_so_instead_of_answering_another_question(q: str, said: str) -> None:
    facts = ask(q)  # no 外卖 above ¥100: not found, and the bound is said (never dropped: that would answer 外卖)
    assert f"没有找到与「{said}」相关的支出" in facts.lines[0] and not facts.citations and "合计" not in facts.lines[0]


def test_free_busy_uses_the_current_state_of_each_entry() -> None:
    cancelled = ask("明天上午十点到十一点有空吗")
    assert cancelled.numbers == {"busy": 0} and "有空" in cancelled.lines[0]
    assert cancelled.citations == ["c1a", "c1b"]  # the entry and its cancellation: why the slot is free
    moved_away = ask("明天下午两点到三点有空吗")
    assert moved_away.numbers == {"busy": 0} and moved_away.citations == ["c2a", "c2b"]
    moved_to = ask("后天下午两点到三点有空吗")
    assert moved_to.numbers == {"busy": 1} and moved_to.citations == ["c2a", "c2b"]  # cited with its move
    busy = ask("明天下午四点有空吗")
    assert busy.numbers == {"busy": 1} and busy.citations == ["c3"] and "看牙医" in busy.lines[1]


def test_a_makeup_workday_has_its_meeting() -> None:
    facts = ask("国庆调休上班那天有什么安排")
    assert facts.citations == ["c4"] and facts.numbers == {"count": 1}


def test_messages_through_contacts_corrections_and_deletions() -> None:
    mom = ask("妈妈说了什么")  # the contact 王秀英 has relation 妈妈
    assert mom.citations == ["m1"]
    assert ask("老妈发了几条消息").numbers == {"count": 1}
    mine = ask("我跟妈妈说了什么")
    assert mine.citations == ["m2"]
    zhang = ask("张伟说了什么")
    assert set(zhang.citations) == {"m3", "m5"}  # m6 was deleted
    assert any("周五下午两点" in line for line in zhang.lines)  # m5 as corrected
    assert not any("借你的钱" in line for line in zhang.lines)
    topic = ask("钉钉上谁提到了周报")
    assert set(topic.citations) == {"m3", "m4"} and topic.numbers == {"count": 2}
    assert ask("张伟最后一条消息说了什么").citations == ["m5"]


def test_an_order_answers_with_its_latest_eta_and_cites_the_version_that_gave_it() -> None:
    facts = ask("我的充电宝什么时候到")
    assert "运输中" in facts.lines[0] and "预计 10月17日 送达" in facts.lines[0]  # delayed from 10-16
    assert facts.citations == ["o1c"]
    earlier = ask("我的充电宝什么时候到", now=NOW - 6 * 3_600_000)  # 14:00, before the delay arrived
    assert "预计 10月16日 送达" in earlier.lines[0] and earlier.citations == ["o1b"]


def test_counting_orders_counts_orders_not_status_events() -> None:
    facts = ask("这个月下了几单")
    assert facts.numbers == {"count": 2, "total_fen": 34890}
    assert ask("上周淘宝买了几单").numbers["count"] == 1


def test_a_field_of_one_payment_is_the_latest_payments() -> None:
    plan = parse("上一次在瑞幸花了多少", NOW, TZ, TABLE).model_copy(update={"operation": "field"})
    facts = execute(plan, Context(events(), NOW, TZ, TABLE))
    assert facts.numbers == {"amount_fen": 1590} and facts.citations == ["p6"]
