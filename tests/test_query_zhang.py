"""A third hand-made user (tests/query_user_zhang.py) and its questions (tests/query_cases_zhang.py), plus the
shapes they brought in: amount bounds, comparisons of two periods and breakdowns (:mod:`lingxi.query.shapes`).

Every case must answer exactly (words, the exact cited events, numbers); the few the engine still gets wrong are
listed in MISSES as strict xfails, with why, so a fix shows up as an unexpected pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lingxi.query.execute import Context, execute
from lingxi.query.rules import parse
from lingxi.query.shapes import amount_bounds, group_by
from lingxi.query.synonyms import Synonyms
from query_cases_zhang import CASES, FRESH, FRESH2
from query_user_zhang import NOW, TZ, events

TABLE = Synonyms()
#: Questions the engine answers differently from the gold, and why (left as they are: see the report).
MISSES: dict[str, str] = {
    "列出这个月的医疗支出": "「医疗」also matches an order item whose category is 医疗器械 (the gold counts only "
    "hospital and pharmacy payments; a blood-pressure meter is arguably medical spending too)",
    "谁说周五家长会": "「周五」 is read as the time of the messages (Friday is tomorrow), not as words of the message; "
    "with no message then, the answer is the calendar entry (a second-fresh-batch miss, left as measured)",
}


def _ask(q: str) -> tuple[str, set[str], dict[str, int]]:
    facts = execute(parse(q, NOW, TZ, TABLE), Context(events(), NOW, TZ, TABLE))
    return "\n".join(facts.lines), set(facts.citations), facts.numbers


ROWS = [
    pytest.param(*row, marks=pytest.mark.xfail(reason=MISSES[row[1]], strict=True)) if row[1] in MISSES else row
    for row in [*CASES, *FRESH, *FRESH2]
]


@pytest.mark.parametrize(
    ("shape", "q", "says", "cited", "numbers"), ROWS, ids=[r[1] for r in [*CASES, *FRESH, *FRESH2]]
)
def test_zhang(shape: str, q: str, says: tuple[str, ...], cited: set[str], numbers: dict[str, int]) -> None:
    text, got, nums = _ask(q)
    assert all(s in text for s in says), text
    assert got == cited, text
    assert {k: nums.get(k) for k in numbers} == numbers, text


def test_the_set_is_large_and_leans_on_the_weak_shapes() -> None:
    shapes = [r[0] for r in CASES]
    assert len(CASES) >= 150
    assert all(shapes.count(s) >= 10 for s in ("list", "exists", "category_spend", "who_said", "compare", "amount"))


@pytest.mark.parametrize(
    ("q", "low", "high"),
    [
        ("超过200块的支出", 20001, 0),
        ("100元以上的消费", 10000, 0),
        ("不到10块的", 0, 999),
        ("低于5块钱的消费", 0, 499),
        ("不超过50元", 0, 5000),
        ("超过两百的订单", 20001, 0),
        ("12.5元以下", 0, 1250),
        ("这个月花了多少", 0, 0),
    ],
)
def test_amount_bounds_are_inclusive_fen(q: str, low: int, high: int) -> None:
    assert amount_bounds(q)[:2] == (low, high)


def test_group_words() -> None:
    assert group_by("这个月每类支出分别是多少") == ("category", ["每类", "分别"])
    assert group_by("买菜和看病各花了多少")[0] == "each"
    assert group_by("这周每天花了多少")[0] == "day"
    assert group_by("这个月花了多少") == ("", [])


def test_a_breakdown_adds_up_to_the_total_and_a_comparison_to_the_difference() -> None:
    whole = execute(parse("这个月花了多少", NOW, TZ, TABLE), Context(events(), NOW, TZ, TABLE))
    parts = execute(parse("这个月各类花了多少", NOW, TZ, TABLE), Context(events(), NOW, TZ, TABLE))
    assert parts.numbers["total_fen"] == whole.numbers["total_fen"] and set(parts.citations) == set(whole.citations)
    last = execute(parse("上个月花了多少", NOW, TZ, TABLE), Context(events(), NOW, TZ, TABLE))
    diff = execute(parse("这个月比上个月多花了多少", NOW, TZ, TABLE), Context(events(), NOW, TZ, TABLE))
    assert diff.numbers["diff_fen"] == whole.numbers["total_fen"] - last.numbers["total_fen"]


def test_a_comparison_plan_names_both_periods() -> None:
    plan = parse("这个月买菜比上个月多花了多少", NOW, TZ, TABLE)
    assert (plan.time, plan.versus, plan.operation, plan.include.categories) == ("这个月", "上个月", "sum", ["买菜"])
    assert plan.window is not None and plan.versus_window is not None
    assert plan.versus_window.end_ms == plan.window.start_ms


@pytest.mark.parametrize(
    ("q", "cited"),
    [
        ("有哪些订单取消了", {"r4b"}),  # a state word matches the status, not the item's name
        ("今天收到哪些消息", {"n10", "n11", "n12"}),  # 「收到哪些」 is not 「到哪」 (a parcel)
        ("这个月在哪些平台买过东西", {"r1a", "r1b", "r2a", "r2c", "r3a", "r3b"}),  # 「在哪些」 lists; it asks no place
        ("这个月给女儿转过钱吗", set()),  # the payee is a contact: 女儿 is 张丽, who paid in, not out
        ("女儿这个月转给我多少钱", {"q35"}),
        ("我回了李桂芳什么", {"n9"}),
        ("我回复女儿了吗", {"n13"}),
        ("我回复刘姐了没有", set()),  # nothing sent: not answered from another subject
        ("今天有人找我吗", {"n10", "n11", "n12"}),  # 「有人」 is nobody's name
    ],
)
def test_everyday_words_found_by_the_fresh_batch(q: str, cited: set[str]) -> None:
    assert _ask(q)[1] == cited


def test_a_count_cites_each_orders_placing_and_current_version_and_a_browse_list_every_match() -> None:
    from lingxi.context.events import BrowseEvent, OrderItem
    from query_build import Builder, ms

    b = Builder("zhang-jianguo")
    tea = OrderItem(name="竹叶青茶叶", category="茶叶", brand="竹叶青", price_fen=16800)
    more = [
        b.order("t1", ms(12, 16, 9), "t", "京东", tea, "shipped", eta_day="2026-12-18", carrier="京东快递",
                tracking_no="JD9"),
        b.order("t2", ms(12, 17, 9), "t", "京东", tea, "in_transit"),  # says no ETA: the shipped version's stands
        *(
            BrowseEvent(event_id=f"w{i}", user_id="zhang-jianguo", ts=ms(12, 10, 9, i), source_app="淘宝",
                        item_id=f"i{i}", item_name=f"钓鱼椅{i}", platform="淘宝")
            for i in range(12)
        ),
    ]  # fmt: skip
    ctx = Context([*events(), *more], NOW, TZ, TABLE)
    count = execute(parse("这个月买了几次茶叶", NOW, TZ, TABLE), ctx)
    assert count.numbers["count"] == 1 and count.citations == ["t1", "t2"]  # placed (the window), current; no ETA
    status = execute(parse("茶叶什么时候到", NOW, TZ, TABLE), ctx)
    assert set(status.citations) == {"t1", "t2"}  # the ETA came from the earlier version
    seen = execute(parse("这个月浏览过哪些钓鱼椅", NOW, TZ, TABLE), ctx)
    assert seen.numbers["count"] == 12 and set(seen.citations) == {f"w{i}" for i in range(12)}


def test_a_payment_reported_by_a_shopping_app_is_found_by_that_app() -> None:
    from query_build import Builder, ms

    meituan = Builder("zhang-jianguo").pay("mt1", ms(12, 16, 12), "老乡鸡", 3300, "外卖", "微信支付")
    meituan = meituan.model_copy(update={"source_app": "美团"})
    facts = execute(parse("这个月在美团花了多少", NOW, TZ, TABLE), Context([*events(), meituan], NOW, TZ, TABLE))
    assert facts.citations == ["mt1"] and facts.numbers["total_fen"] == 3300


@pytest.mark.parametrize(
    ("q", "excluded"),
    [
        ("这个月除买菜外花了多少", ["买菜"]),  # a bare 除…外 is an exclusion, never the filter
        ("这个月吃饭以外花了多少", ["吃饭"]),
        ("这个月不计网购花了多少", ["网购"]),
        ("这个月除了买菜和看病还花了多少", ["买菜", "看病"]),
    ],
)
def test_exclusions_are_never_read_as_the_filter(q: str, excluded: list[str]) -> None:
    plan = parse(q, NOW, TZ, TABLE)
    assert plan.exclude.categories == excluded and not plan.include.categories


def test_overlapping_words_of_one_length_resolve_leftmost_on_every_run() -> None:
    table = Synonyms(categories={"电费": ("电费",), "水电": ("水费", "电费")}, merchants={})
    assert table.find("这个月水电费多少") == [(3, "水电")]
    assert Synonyms().find("这个月的水电费")[0][1] == "水电费"


def test_a_deployer_adds_words_about_what_messages_say(tmp_path: Path) -> None:
    (tmp_path / "synonyms.toml").write_text('[said]\n"钓鱼" = ["垂钓"]\n', encoding="utf-8")
    table = Synonyms.load(tmp_path)
    assert table.said_terms("钓鱼") == ("钓鱼", "垂钓") and "会议室" in table.said_terms("地方")
