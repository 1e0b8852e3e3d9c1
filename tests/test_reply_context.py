"""Replies read the whole conversation (wave 5): a call to join a plan named in an earlier line, a question with
its details after it, a long window with one short entry, a call to gather, thanks for something the user sent,
a train ticket already booked, and the cues of congratulations, thanks, small talk and shared costs."""

from __future__ import annotations

import pytest

from lingxi import Lingxi
from lingxi.context.events import AppActionEvent, CalendarEvent, OrderEvent, OrderItem
from lingxi.features.reply_intent import classify
from test_reply_facts import DAY, HOUR, MIN, NOW, U, meeting, say, setup, tomorrow_at


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("听说你要当爸爸了！", "congrats"),
        ("科目三一把过，可以啊", "congrats"),
        ("新店开业大吉！生意兴隆", "congrats"),
        ("昨天搬家多亏你了，累坏了吧", "thanks"),
        ("周末过得咋样", "chat"),
        ("到家了没？", "where"),
        ("打车钱分一下哈，你出25", "money"),
        ("年夜饭每家800，发我就行", "money"),
        ("照片发我吧", "info"),  # 「发我」 with no money in sight asks for no payment
        ("晚安👍", "greeting"),
        ("明天可以啊", "info"),  # 「可以啊」 alone is agreement, not praise
        ("师傅到了，在东门等您，黑色大众", "arrived"),
        ("车几点到？我在出站口等你", "when"),
        ("我到家了，你早点休息", "info"),
        ("兄弟，能借我两千周转下不", "money"),
        ("快递柜里的快递取了没？要超时收费了", "whether"),  # a fee for the locker asks for no payment
        ("拼单买抽纸，还差一个人，你要不", "invitation"),
        ("亲，麻烦给个好评呀，谢谢支持～", "request"),
        ("哥，我国庆后结婚，到时候一定来喝喜酒啊", "invitation"),
        ("你到了没？我在门口", "where"),
        ("姐，借你的钱我转回给你了", "money_in"),
    ],
)
def test_intents_wave5(text: str, intent: str) -> None:
    assert classify(text).intent == intent


def test_a_ticket_question_touches_the_trip() -> None:
    assert "trip" in classify("明天回来的票订了没").topics


def test_a_call_to_join_a_plan_named_earlier_binds_its_slot(lx: Lingxi) -> None:
    setup(lx, [meeting("cal-1", tomorrow_at(11)), say("明天中午十二点聚餐，给小李送行", 60), say("@唐 你也来哈", 5)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "invitation" and "读书会" in r.candidates[0].text and "去不了" in r.candidates[0].text
    # 「你也早点休息」 after a time asks the user to join nothing
    setup(
        lx, [say("明天中午十二点部门开会", 30, conv="wx-q", name="齐"), say("你也早点休息", 2, conv="wx-q", name="齐")]
    )
    assert lx.replies.suggest(U, "wx-q", now_ms=NOW).intent != "invitation"


def test_a_question_with_details_after_it_is_an_invitation(lx: Lingxi) -> None:
    setup(lx, [meeting("cal-2", tomorrow_at(20)), say("明天去看电影不，九点那场", 3)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "invitation" and "读书会" in r.candidates[0].text


def test_one_short_entry_in_a_weekend_leaves_it_free() -> None:
    from lingxi.context.entities import calendar_entries
    from lingxi.features.reply_facts import _window_facts

    saturday_nine = tomorrow_at(9) + 4 * DAY  # NOW is a Monday
    entry = CalendarEvent(event_id="c", user_id=U, ts=NOW - DAY, source_app="日历", title="面试",
                          start_ts=saturday_nine, end_ts=saturday_nine + HOUR)  # fmt: skip
    [fact] = _window_facts([say("周末去露营，一起呀", 2)], calendar_entries([entry], at_ms=NOW), NOW, "Asia/Shanghai")
    assert fact.kind == "free" and fact.title == "面试" and "其余空闲" in fact.text_zh
    long_one = entry.model_copy(update={"end_ts": saturday_nine + 30 * HOUR})
    [fact] = _window_facts(
        [say("周末去露营，一起呀", 2)], calendar_entries([long_one], at_ms=NOW), NOW, "Asia/Shanghai"
    )
    assert fact.kind == "busy"


def test_a_call_to_gather_binds_but_a_reminder_of_ones_own_entry_does_not(lx: Lingxi) -> None:
    setup(lx, [meeting("cal-3", tomorrow_at(7)), say("明早七点半体育馆门口集合，别迟到", 3)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert "读书会" in r.candidates[0].text and "去不了" in r.candidates[0].text
    setup(lx, [say("明早七点半的读书会别迟到", 3, conv="wx-r", name="任")])
    assert not any("去不了" in c.text for c in lx.replies.suggest(U, "wx-r", now_ms=NOW).candidates)


def test_thanks_for_a_parcel_the_user_sent_is_not_answered_with_an_order(lx: Lingxi) -> None:
    order = OrderEvent(
        event_id="o-1", user_id=U, ts=NOW - 90 * MIN, source_app="淘宝", order_id="TB1", platform="淘宝",
        items=[OrderItem(name="羽绒服", price_fen=49900)], total_fen=49900, status="delivered", carrier="中通",
    )  # fmt: skip
    setup(lx, [order, say("收到你寄的特产了，太感谢了", 3)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "thanks" and "签收" not in r.candidates[0].text and "客气" in r.candidates[0].text


def test_a_booked_train_answers_whether_the_ticket_is_bought(lx: Lingxi) -> None:
    params = {
        "train_no": "G1234",
        "from": "深圳北",
        "to": "广州南",
        "depart_ts": NOW + DAY,
        "arrive_ts": NOW + DAY + HOUR,
    }
    trip = AppActionEvent(event_id="t-1", user_id=U, ts=NOW - DAY, source_app="铁路12306", app="铁路12306",
                          action="ticket_booked", target="深圳北→广州南", params=params)  # fmt: skip
    setup(lx, [trip, say("明天回来的票订了没", 3)])
    first = lx.replies.suggest(U, "wx-lu", now_ms=NOW).candidates[0].text
    assert "15:33" in first and "还没" not in first


def test_a_notice_of_the_users_own_appointment_binds_its_slot(lx: Lingxi) -> None:
    setup(lx, [meeting("cal-4", tomorrow_at(8)), say("您好，您的体检改到明天上午八点半，请空腹前来", 3)])
    first = lx.replies.suggest(U, "wx-lu", now_ms=NOW).candidates[0].text
    assert "读书会" in first and "去不了" in first
    assert "trip" not in classify("给你也买张票？").topics  # a cinema ticket is no train


def test_a_finished_ride_is_never_still_on_the_way() -> None:
    from lingxi.features.reply_check import check
    from lingxi.features.reply_compose import Reply
    from lingxi.features.reply_facts import Fact, Facts

    done = Fact("trip:r", "trip", "已到达", ("r",), NOW - HOUR, NOW - 5 * MIN, status="done", place="机场")
    lines = [Reply(text=t, source="llm", reason_zh="") for t in ("两分钟就到", "在路上了", "到了，我在机场")]
    kept, notes = check(lines, "到机场了吧？", classify("到机场了吧？"), Facts(trips=[done]), NOW, "Asia/Shanghai",
                        payments=True)  # fmt: skip
    assert len(notes) == 2 and all(k.text.startswith("到了") for k in kept)


def test_an_either_or_question_is_left_to_the_asker(lx: Lingxi) -> None:
    setup(lx, [say("蛋糕要巧克力的还是水果的？", 3)])
    assert lx.replies.suggest(U, "wx-lu", now_ms=NOW).candidates[0].text.startswith("都行")
