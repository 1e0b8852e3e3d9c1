"""The rule parser's shapes, the synonym table (defaults and a deployer's file), and the assistant on the
hand-made user: consent per subject, 「没有找到」, and a time that cannot be resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

from lingxi import Lingxi
from lingxi.errors import ConsentRequired, InvalidInput
from lingxi.privacy.consent import Scope
from lingxi.query.rules import parse
from lingxi.query.synonyms import Synonyms
from query_user import NOW, TZ, USER, events

TABLE = Synonyms()


@pytest.mark.parametrize(
    ("q", "operation", "subject"),
    [
        ("上周打车几次？", "count", "payment"),
        ("这个月外卖花了多少钱", "sum", "payment"),
        ("上个月平均每笔外卖多少钱", "average", "payment"),
        ("这个月最贵的一笔是什么", "max", "payment"),
        ("上周最便宜的一笔打车", "min", "payment"),
        ("上一次在瑞幸花了多少", "last", "payment"),
        ("今年第一次买咖啡是什么时候花的钱", "first", "payment"),
        ("这个月有没有在星巴克消费", "exists", "payment"),
        ("这个月的外卖明细列一下花费", "list", "payment"),
        ("我的快递到哪了", "list", "order"),
        ("这个月下了几单", "count", "order"),
        ("下周三下午有空吗", "free_busy", "calendar"),
        ("明天有什么安排", "list", "calendar"),
        ("下周一有几个会", "count", "calendar"),
        ("妈妈说了什么", "list", "message"),
        ("张伟发了几条消息", "count", "message"),
        ("最近浏览过什么耳机", "list", "browse"),
    ],
)
def test_shapes(q: str, operation: str, subject: str) -> None:
    plan = parse(q, NOW, TZ, TABLE)
    assert (plan.operation, plan.subject) == (operation, subject)


def test_filters_and_exclusions() -> None:
    p = parse("这个月吃饭花了多少（不含外卖）", NOW, TZ, TABLE)
    assert p.include.categories == ["吃饭"] and p.exclude.categories == ["外卖"]  # not read as 外卖
    q = parse("除了淘宝，这个月网购花了多少", NOW, TZ, TABLE)
    assert q.include.categories == ["网购"] and q.exclude.merchants == ["淘宝"]
    r = parse("这个月打车除外花了多少", NOW, TZ, TABLE)
    assert r.exclude.categories == ["打车"] and not r.include.categories
    m = parse("微信上张伟发了几条消息", NOW, TZ, TABLE)
    assert m.include.app == "微信" and m.include.counterpart == "张伟"
    me = parse("我跟妈妈说了什么", NOW, TZ, TABLE)
    assert me.include.counterpart == "妈妈" and me.sent_by_me
    shop = parse("在全家便利店花了多少", NOW, TZ, TABLE)
    assert shop.include.merchants == ["全家便利店"]


def test_a_follow_up_reuses_the_previous_plan() -> None:
    first = parse("我的充电宝什么时候到", NOW, TZ, TABLE)
    again = parse("那它现在到哪了", NOW, TZ, TABLE, previous=first)
    assert again.subject == "order" and again.include.categories == first.include.categories


def test_synonyms_extend_from_the_home(tmp_path: Path) -> None:
    (tmp_path / "synonyms.toml").write_text(
        '[categories]\n"叫车" = ["滴滴", "出租"]\n"咖啡" = ["Peet"]\n[merchants]\n"老乡鸡" = ["老乡鸡", "LXJ"]\n',
        encoding="utf-8",
    )
    table = Synonyms.load(tmp_path)
    assert table.terms("叫车") == ("叫车", "滴滴", "出租")  # a new word
    assert "Peet" in table.terms("咖啡") and "瑞幸" in table.terms("咖啡")  # extended, defaults kept
    plan = parse("上周叫车几次", NOW, TZ, table)
    assert plan.subject == "payment" and plan.include.categories == ["叫车"]
    (tmp_path / "synonyms.toml").write_text('[categories]\n"叫车" = 3\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="must map words to lists"):
        Synonyms.load(tmp_path)
    (tmp_path / "synonyms.toml").write_text("[categories\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not valid TOML"):
        Synonyms.load(tmp_path)


@pytest.fixture
def user(lx: Lingxi) -> Lingxi:
    lx.ingest(events())
    lx.consents.grant(USER, Scope.PAYMENTS, Scope.SHOPPING, Scope.MESSAGES, Scope.CALENDAR, source="test")
    return lx


def test_the_assistant_answers_from_the_plan_with_its_consent(user: Lingxi) -> None:
    r = user.assistant.ask(USER, "上周打车几次？", now_ms=NOW)
    assert r.planner == "rules" and r.intent == "spending" and r.numbers == {"count": 2, "total_fen": 5470}
    assert "共 2 笔" in r.text and sorted(r.citations) == ["p3", "p4"]
    user.consents.withdraw(USER, Scope.PAYMENTS)
    with pytest.raises(ConsentRequired):
        user.assistant.ask(USER, "上周打车几次？", now_ms=NOW)
    free = user.assistant.ask(USER, "明天上午十点到十一点有空吗", now_ms=NOW)  # calendar still allowed
    assert free.intent == "free_busy" and free.numbers == {"busy": 0}


def test_a_time_it_cannot_resolve_is_said_not_guessed(user: Lingxi) -> None:
    r = user.assistant.ask(USER, "2099年国庆花了多少", now_ms=NOW)
    assert "没有 2099 年的节假日数据" in r.text and not r.citations and r.intent == "unanswerable"


def test_a_stored_plan_from_another_version_only_loses_the_follow_up() -> None:
    from lingxi.features.sessions import SessionState

    state = SessionState.model_validate_json('{"last_plan": {"operation": "teleport"}, "last_query": {"kind": "x"}}')
    assert state.last_plan is None and state.pending == {}
    plan = parse("上周打车几次", NOW, TZ, TABLE)
    assert SessionState.model_validate_json(SessionState(last_plan=plan).model_dump_json()).last_plan == plan
