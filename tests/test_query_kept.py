"""Wave 3 of the query engine on a small hand-made user of its own: reminders, the cart and favourites as
subjects, colloquial time words (今儿/明儿, 「放假那几天」), counting visits where no order exists, who said a topic
asked before 「是谁说的」, eating out that is not a takeout, and 「网上买东西」."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from lingxi.context.event_kinds import CartEvent, FavoriteEvent, ReminderEvent
from lingxi.context.events import Event, OrderItem
from lingxi.query.answer import Facts
from lingxi.query.execute import Context, execute
from lingxi.query.rules import parse
from lingxi.query.synonyms import Synonyms
from lingxi.query.windows import parse_window
from query_build import TZ, Builder, ms

U = "u-kept"
B = Builder(U)
NOW = ms(10, 14, 20, 0)  # a Wednesday
TABLE = Synonyms()


def _kept(kind: type[Event], i: str, at: int, **kw: object) -> Event:
    return kind.model_validate({"event_id": i, "user_id": U, "ts": at, "source_app": "淘宝", **kw})


def _events() -> list[Event]:
    item = OrderItem(name="酸辣粉", category="小吃", price_fen=2300)
    bag = OrderItem(name="双肩背包", category="箱包", price_fen=15900)
    return [
        _kept(ReminderEvent, "r1", ms(10, 1, 9), reminder_id="rem-gas", title="缴燃气费", due_ts=ms(10, 18, 9)),
        _kept(ReminderEvent, "r2", ms(10, 2, 9), reminder_id="rem-lease", title="续签租房合同", due_ts=ms(10, 25)),
        _kept(ReminderEvent, "r3", ms(10, 3, 9), reminder_id="rem-vet", title="带猫打疫苗", due_ts=ms(10, 9)),
        _kept(
            ReminderEvent,
            "r4",
            ms(10, 9, 18),
            reminder_id="rem-vet",
            title="带猫打疫苗",
            due_ts=ms(10, 9),
            status="done",
        ),
        _kept(CartEvent, "c1", ms(10, 5, 21), item_id="i-kettle", item_name="电热水壶", platform="京东"),
        _kept(CartEvent, "c2", ms(10, 6, 21), item_id="i-lamp", item_name="护眼台灯", platform="淘宝"),
        _kept(
            CartEvent, "c3", ms(10, 8, 21), item_id="i-kettle", item_name="电热水壶", platform="京东", action="remove"
        ),
        _kept(FavoriteEvent, "f1", ms(10, 4, 22), item_id="i-cup", item_name="保温杯", platform="淘宝"),
        _kept(FavoriteEvent, "f2", ms(10, 4, 22, 5), item_id="i-tent", item_name="露营帐篷", platform="淘宝"),
        _kept(
            FavoriteEvent, "f3", ms(10, 7, 10), item_id="i-tent", item_name="露营帐篷", platform="淘宝", action="remove"
        ),
        B.pay("p1", ms(10, 14, 12, 10), "川味小馆", 6800, "餐饮"),
        B.order("o1", ms(10, 14, 18, 0), "eo-1", "美团", item, "paid"),
        B.pay("p2", ms(10, 14, 18, 1), "美团", 2300, "外卖", order_id="eo-1"),
        B.order(
            "o3", ms(10, 13, 12), "el-3", "饿了么", OrderItem(name="黄焖鸡", category="外卖", price_fen=2600), "paid"
        ),
        B.pay("p7", ms(10, 13, 12, 1), "饿了么", 2600, "外卖", order_id="el-3"),
        B.order(
            "o4", ms(10, 14, 11), "el-4", "饿了么", OrderItem(name="米线", category="外卖", price_fen=1900), "paid"
        ),
        B.pay("p8", ms(10, 14, 11, 1), "饿了么", 1900, "外卖", order_id="el-4"),
        B.msg("m3", ms(10, 12, 8), "短信", "丰巢", "丰巢", "【丰巢】取件码 3321，请及时取件"),
        B.msg("m4", ms(10, 14, 8), "短信", "丰巢", "丰巢", "【丰巢】取件码 8840，请及时取件"),
        B.pay("p3", ms(10, 8, 8), "全家便利店", 1200, "超市"),
        B.pay("p4", ms(10, 9, 8), "全家便利店", 900, "超市"),
        B.pay("p5", ms(10, 14, 9), "淘宝", 15900, "购物"),
        B.order("o2", ms(10, 12, 9), "tb-2", "淘宝", bag, "paid"),
        B.pay("p6", ms(10, 14, 7), "中国联通", 5000, "话费"),
        B.msg("m1", ms(10, 13, 15), "钉钉", "行政-周倩", "周倩", "年会场地订好了，在五楼大厅"),
        B.msg("m2", ms(10, 13, 16), "微信", "老同学群", "高远", "周末一起爬山吗"),
        B.cal("k1", ms(10, 10, 9), "e-dentist", "看牙医", ms(10, 15, 16), ms(10, 15, 17)),
        B.cal("k3", ms(10, 10, 9), "e-standup", "站会", ms(10, 16, 9, 30), ms(10, 16, 9, 45)),
        B.cal("k2", ms(10, 1, 9), "e-trip", "回老家", ms(10, 2, 9), ms(10, 2, 18)),
    ]


def ask(q: str) -> Facts:
    plan = parse(q, NOW, TZ, TABLE)
    return execute(plan, Context(_events(), NOW, TZ, TABLE))


def text(f: Facts) -> str:
    return "\n".join(f.lines)


def test_open_reminders_leave_out_the_done_one() -> None:
    f = ask("待办事项还有哪些")
    assert "缴燃气费" in text(f) and "续签租房合同" in text(f) and "带猫打疫苗" not in text(f)
    assert {"r1", "r2"} <= set(f.citations) and "r4" not in f.citations


@pytest.mark.parametrize(("q", "due"), [("缴燃气费的提醒在几号", "10月18日"), ("续签租房合同定在哪天", "10月25日")])
def test_a_reminder_named_gives_its_due_day(q: str, due: str) -> None:
    f = ask(q)
    assert due in text(f), text(f)


def test_the_cart_holds_what_was_added_and_not_removed() -> None:
    f = ask("购物车里有哪些东西")
    assert "护眼台灯" in text(f) and "电热水壶" not in text(f)


@pytest.mark.parametrize(("q", "yes"), [("有没有收藏过保温杯", True), ("露营帐篷我收藏了吗", False)])
def test_favourites_are_their_state_now(q: str, yes: bool) -> None:
    first = text(ask(q)).split("，")[0]
    assert ("没" not in first) is yes, first


def test_eating_out_is_not_the_takeout() -> None:
    f = ask("今儿下馆子花了多少")
    assert "¥68.00" in text(f) and "p2" not in f.citations


def test_counting_visits_where_no_order_exists() -> None:
    f = ask("上个星期全家便利店我买了几次")
    assert "共 2 笔" in text(f) and {"p3", "p4"} <= set(f.citations)


def test_an_order_placed_asked_with_xiaguo() -> None:
    plan = parse("前儿有没有在淘宝下过单", NOW, TZ, TABLE)
    assert (plan.subject, plan.operation, plan.time) == ("order", "exists", "前天")
    assert text(ask("前儿有没有在淘宝下过单")).startswith("有，")
    assert text(ask("这周用过美团吗")).startswith("有，")
    assert text(ask("前儿用过拼多多吗")).startswith("没有")


def test_online_shopping_and_topping_up_the_phone() -> None:
    assert "¥159.00" in text(ask("网上买东西今天花了多少"))
    assert "¥159.00" in text(ask("今天在网上买东西一共花了多少"))
    assert "¥50.00" in text(ask("今儿充话费花了多少"))
    assert "¥68.00" in text(ask("今天除了网上购物和充话费，还花了多少钱（不含外卖）"))


@pytest.mark.parametrize("q", ["年会那事是谁说的", "谁跟我提过年会的事"])
def test_who_said_a_topic(q: str) -> None:
    f = ask(q)
    assert "周倩" in text(f) and "m1" in f.citations and "m2" not in f.citations


def test_what_is_on_tomorrow_colloquially() -> None:
    f = ask("明儿我都要干嘛")
    assert "看牙医" in text(f)


def test_holiday_windows_said_loosely() -> None:
    w = parse_window("国庆节放假那几天打了几次车", NOW, TZ)
    assert w is not None and w.phrase == "国庆节放假那几天"
    day = datetime.fromtimestamp(w.start_ms / 1000, ZoneInfo(TZ)).date()
    assert (day.month, day.day) == (10, 1)
    w = parse_window("国庆调休的那个周末上班日有几个会", NOW, TZ)
    assert w is not None and "上班日" in w.phrase


def test_takeouts_counted_are_orders_not_their_payments() -> None:
    f = ask("最近3天点了几次外卖")
    assert "共 2 个" in text(f) and {"o3", "o4"} <= set(f.citations) and "p7" not in f.citations


def test_the_last_thing_a_sender_sent_is_one_message() -> None:
    f = ask("丰巢最后发的取件码是啥")
    assert "8840" in text(f) and f.citations == ["m4"]


def test_free_said_as_still_empty() -> None:
    plan = parse("明儿下午四点到五点还空着吗", NOW, TZ, TABLE)
    assert (plan.subject, plan.operation) == ("calendar", "free_busy")
    assert "看牙医" in text(ask("明儿下午四点到五点还空着吗"))


def test_a_meeting_named_by_its_kind() -> None:
    assert "09:30" in text(ask("10月16日的站会几点开始"))


def test_the_newest_message_of_a_person() -> None:
    f = ask("周倩最新一条消息说了什么")
    assert "五楼大厅" in text(f) and f.citations == ["m1"]
