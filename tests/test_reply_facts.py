"""Replies never contradict the user's data: busy slots, money already paid, delivered parcels, rides in
progress, ties in timestamps, congratulations and "where are you?" — lite tier through the real store, and an
LLM tier (a real OpenAI-compatible server on loopback) whose contradicting line the check rewrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_openai import FakeOpenAI, Script
from lingxi import Lingxi
from lingxi.context.events import (
    AppActionEvent,
    CalendarEvent,
    ContactEvent,
    Event,
    MessageEvent,
    OrderEvent,
    OrderItem,
    PaymentEvent,
)
from lingxi.features.reply_intent import classify
from lingxi.models.base import Locality, ModelInfo, ModelKind
from lingxi.models.openai_compat import OpenAICompatModel
from lingxi.privacy.consent import Scope

U = "u-tang"
NOW = 1_793_000_000_000  # 2026-10-26 (Mon) 15:33:20 Asia/Shanghai
MIN, HOUR, DAY = 60_000, 3_600_000, 86_400_000
_SEQ = iter(range(1, 10_000))


def say(text: str, age_min: float, *, out: bool = False, conv: str = "wx-lu", name: str = "陆一鸣") -> MessageEvent:
    n = next(_SEQ)
    return MessageEvent(
        event_id=f"m{n:04d}", user_id=U, ts=NOW - int(age_min * MIN), source_app="微信", conversation_id=conv,
        conversation_name=name, sender="我" if out else name, direction="out" if out else "in", text=text,
    )  # fmt: skip


def tomorrow_at(hour: int) -> int:
    # NOW is 15:33:20 local; tomorrow 00:00 local is NOW + (24h − 15:33:20)
    midnight = NOW + DAY - (15 * HOUR + 33 * MIN + 20_000)
    return midnight + hour * HOUR


def meeting(event_id: str, start: int, **extra: object) -> CalendarEvent:
    return CalendarEvent(
        event_id=event_id, user_id=U, ts=NOW - 2 * DAY, source_app="日历", title="读书会", start_ts=start,
        end_ts=start + 2 * HOUR, **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def setup(lx: Lingxi, events: list[Event], *scopes: Scope) -> None:
    lx.ingest(events)
    lx.consents.grant(U, Scope.MESSAGES, *(scopes or (Scope.CALENDAR, Scope.SHOPPING, Scope.PAYMENTS)), source="test")


def chatter() -> list[Event]:
    """Other people's messages, so that words of one conversation are not "in every message" (the history
    search ignores words most incoming messages share)."""
    lines = [
        "周末干嘛呢",
        "那个文件看了吗",
        "晚上吃啥",
        "降温了多穿点",
        "会议纪要发群里了",
        "下午茶喝什么",
        "快递帮我拿一下",
        "电影票买好了",
        "明天几点出发",
        "项目周报交了没",
        "新来的同事人不错",
        "雨好大",
    ]
    return [say(t, 5000 + i, conv="wx-other", name="路人") for i, t in enumerate(lines)]


def test_busy_slot_named_earlier_in_the_conversation_is_declined_with_a_citation(lx: Lingxi) -> None:
    # the time is in an earlier message; the latest only says what for
    events: list[Event] = [
        meeting("cal-1", tomorrow_at(19)),
        say("明天晚上七点有空不？", 30),
        say("干嘛", 25, out=True),
        say("一起去吃烧烤吧", 20),
    ]
    setup(lx, events)
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "invitation"
    first = r.candidates[0]
    assert "读书会" in first.text and first.act == "decline" and first.citations[0].startswith("busy:cal-1")
    assert not any(c.act == "accept" for c in r.candidates), r.candidates
    # the one "free" it says is the first free hour after the meeting, offered instead
    assert [c.text for c in r.candidates if "有空" in c.text] == ["明天 21:00以后我有空，改到那时可以吗？"]
    assert "cal-1" in r.context_ids and any(f.kind == "busy" and f.event_ids == ["cal-1"] for f in r.facts)


def test_entry_moved_away_frees_the_slot_and_a_past_accept_is_kept(lx: Lingxi) -> None:
    events: list[Event] = [
        meeting("cal-2", tomorrow_at(19), entry_id="E7"),
        meeting("cal-3", tomorrow_at(10), entry_id="E7"),  # moved to the morning
        say("明天晚上七点一起吃烧烤？", 10),
    ]
    setup(lx, events)
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.candidates[0].act == "accept" and "有空" in r.candidates[0].text
    assert [f.kind for f in r.facts] == ["free"] and not any("读书会" in c.text for c in r.candidates)


def test_a_past_accept_for_a_busy_slot_is_rewritten(lx: Lingxi) -> None:
    # the user answered 「好呀，我参加！」 to a similar invitation before: that history reply must not survive
    events: list[Event] = [
        *chatter(),
        meeting("cal-4", tomorrow_at(19)),
        say("周五晚上一起去吃烧烤吧", 3 * DAY // MIN),
        say("好呀，我参加！", 3 * DAY // MIN - 5, out=True),
        say("明天晚上七点一起去吃烧烤吧", 10),
    ]
    setup(lx, events)
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert not any("我参加" in c.text and "不了" not in c.text for c in r.candidates), r.candidates
    assert [(n.action, n.original) for n in r.checks] == [("rewritten", "好呀，我参加！")]


def _rent(event_id: str, merchant: str, age_days: int) -> PaymentEvent:
    return PaymentEvent(
        event_id=event_id, user_id=U, ts=NOW - age_days * DAY, source_app="微信", amount_fen=280_000,
        merchant=merchant, channel="微信转账", category="房租",
    )  # fmt: skip


def test_rent_already_paid_is_said_with_the_payment_and_never_promised(lx: Lingxi) -> None:
    events: list[Event] = [
        *chatter(),
        # the contact model knows 房东周姐 is 周敏 (the name the transfer shows)
        ContactEvent(
            event_id="k1",
            user_id=U,
            ts=NOW - 90 * DAY,
            source_app="通讯录",
            contact_id="K1",
            name="周敏",
            aliases=["房东周姐"],
        ),
        say("这个月房租2800还没转哈", 40 * DAY // MIN, conv="wx-zhou", name="房东周姐"),
        say("这两天转您", 40 * DAY // MIN - 3, out=True, conv="wx-zhou", name="房东周姐"),
        _rent("pay-1", "周敏", 2),
        say("这个月房租2800还没到账哦", 15, conv="wx-zhou", name="房东周姐"),
    ]
    setup(lx, events)
    r = lx.replies.suggest(U, "wx-zhou", now_ms=NOW)
    first = r.candidates[0]
    assert r.intent == "money" and "已经转给周敏2800元" in first.text and first.citations == ["paid:pay-1"]
    assert not any("这两天转" in c.text for c in r.candidates) and "pay-1" in r.context_ids
    assert ("rewritten", "这两天转您") in [(n.action, n.original) for n in r.checks]


def test_without_the_payments_consent_nobody_says_paid_or_not(lx: Lingxi) -> None:
    setup(lx, [_rent("pay-2", "房东周姐", 2), say("房租记得转我哈", 5, conv="wx-zhou", name="房东周姐")],
          Scope.CALENDAR)  # fmt: skip
    r = lx.replies.suggest(U, "wx-zhou", now_ms=NOW)
    assert r.facts == [] and "pay-2" not in r.context_ids
    assert all("转过" not in c.text and "已经转" not in c.text for c in r.candidates)
    assert r.candidates[0].act == "ask"


def _lamp(status: str, age_min: int, event_id: str) -> OrderEvent:
    return OrderEvent(
        event_id=event_id, user_id=U, ts=NOW - age_min * MIN, source_app="京东", order_id="JD9", platform="京东",
        items=[OrderItem(name="护眼台灯 白色", price_fen=15900)], total_fen=15900, status=status,  # type: ignore[arg-type]
        carrier="京东物流", eta_ts=NOW - 60 * MIN,
    )  # fmt: skip


def test_delivered_parcel_is_not_on_its_way(lx: Lingxi) -> None:
    events: list[Event] = [
        _lamp("shipped", 3000, "o-1"),
        _lamp("delivered", 90, "o-2"),
        say("你那个台灯还在路上吗？", 60 * 24 * 7),
        say("还在路上呢", 60 * 24 * 7 - 2, out=True),
        say("台灯收到了吗？好用不", 5),
    ]
    setup(lx, events)
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    first = r.candidates[0]
    assert "已签收" in first.text and first.citations == ["order:JD9"]
    assert not any("在路上" in c.text for c in r.candidates)
    assert {"o-1", "o-2"} <= set(r.context_ids)


def test_of_two_messages_with_one_timestamp_the_later_one_is_answered(lx: Lingxi) -> None:
    a, b = say("明天记得带伞", 4), say("对了，恭喜你转正！", 4)
    b = b.model_copy(update={"ts": a.ts})  # same instant; b arrived second (its id sorts after a's)
    setup(lx, [a, b])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.message_id == b.event_id and r.intent == "congrats"
    assert r.candidates[0].act == "thank" and "谢谢" in r.candidates[0].text


def test_congratulation_gets_thanks_not_a_stock_reply(lx: Lingxi) -> None:
    setup(lx, [say("听说你论文发表了，恭喜恭喜！", 3)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert all(c.act == "thank" for c in r.candidates) and len(r.candidates) == 3
    assert not any(c.text.startswith(("好的", "恭喜", "收到")) for c in r.candidates), r.candidates


def test_where_are_you_during_a_ride_answers_from_the_ride(lx: Lingxi) -> None:
    ride = AppActionEvent(
        event_id="ride-1", user_id=U, ts=NOW - 8 * MIN, source_app="滴滴出行", app="滴滴出行", action="ride_started",
        target="来福士", params={"destination": "来福士", "eta_ts": NOW + 25 * MIN},
    )  # fmt: skip
    setup(lx, [ride, say("我们到来福士了，你到哪了？", 2), say("我也快到了", 1, out=True, conv="wx-x", name="小x")])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    first = r.candidates[0]
    assert r.intent == "where" and first.text.startswith("我在去来福士的车上") and "15:58" in first.text
    assert first.citations == ["trip:ride-1"] and "ride-1" in r.context_ids
    assert not any(c.text.startswith(("好的", "收到")) or "到了" in c.text for c in r.candidates)


def test_where_are_you_without_data_asks_or_offers_a_location(lx: Lingxi) -> None:
    setup(lx, [say("你现在在哪儿", 2)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.facts == [] and {c.act for c in r.candidates} >= {"answer", "ask"}
    assert not any(c.text.startswith(("好的", "收到")) for c in r.candidates)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("周六下午一起打球？", "invitation"),
        ("你几点到站", "when"),
        ("人呢", "where"),
        ("上回借你的钱方便还一下吗", "money"),
        ("晚上吃什么好", "what"),
        ("恭喜你升职！", "congrats"),
        ("谢谢你帮我带饭", "thanks"),
        ("你明天来公司吗？", "whether"),
        ("在吗", "greeting"),
        ("会议改到下午三点了", "info"),
        ("听说叔叔住院了，没事吧？", "sympathy"),
        ("节哀，有什么需要帮忙的随时说", "sympathy"),
        ("你的快递到驿站了，要不要我帮你拿上来？", "offer"),
        ("班费每人100，周五前交给我", "money"),
        ("新年快乐！", "congrats"),
        ("我先走了，你们慢慢吃", "info"),
        ("你那个耳机哪买的，好用吗", "shop"),
        ("这个充电宝在哪买的，多少钱", "shop"),
        ("现在方便接个电话不", "call"),
        ("周末干嘛去了", "chat"),
        ("今晚谁有空撸串", "invitation"),
        ("下周三下午茶，接龙报名", "invitation"),
        ("周末吃饭一共480，四个人平摊", "money"),
        ("刚转你200，上次的油钱", "money_in"),
        ("红包收一下，给孩子的压岁钱", "money_in"),
        ("你在家吗？我路过给你捎点东西", "offer"),
    ],
)
def test_intents(text: str, intent: str) -> None:
    assert classify(text).intent == intent


def test_llm_candidate_contradicting_the_calendar_is_rewritten(home: Path) -> None:
    reply = "1. 好呀，我参加！\n2. 明晚我有读书会，改天吧\n3. 几个人去呀？"
    with FakeOpenAI({"replier": Script(reply=reply, chunks=2)}) as fake:
        info = ModelInfo(name="local/replier", provider="local", locality=Locality.ON_DEVICE, kind=ModelKind.LLM)
        lx = Lingxi(home, models=[OpenAICompatModel(info, base_url=fake.base_url, model_id="replier")])
        setup(lx, [meeting("cal-9", tomorrow_at(19)), say("明天晚上七点一起吃烧烤？", 10)])
        r = lx.replies.suggest(U, "wx-lu", model="local/replier", now_ms=NOW)
        sent = fake.received("replier")[0].body["messages"][1]["content"]
    assert "背景：用户日历：明天晚上七点已有「读书会」" in sent and "对方最新消息的意图：邀约" in sent
    texts = [c.text for c in r.candidates]
    assert "好呀，我参加！" not in texts and r.model_kind == "llm"
    assert [(n.action, n.original) for n in r.checks] == [("rewritten", "好呀，我参加！")]
    rewritten = r.candidates[0]
    assert rewritten.source == "template" and "读书会" in rewritten.text and rewritten.citations[0].startswith("busy:")
    assert [c.source for c in r.candidates[1:]] == ["llm", "llm"]
    assert r.candidates[1].citations and r.candidates[1].citations[0].startswith("busy:")  # it names 读书会


def test_a_message_about_the_busy_entry_itself_is_no_conflict(lx: Lingxi) -> None:
    # 「明天晚上七点的读书会」 is the entry that makes the slot busy: going to it is what the calendar says
    setup(lx, [meeting("cal-5", tomorrow_at(19)), say("明天晚上七点的读书会你来吗？", 6)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.candidates[0].act == "accept" and "读书会" in r.candidates[0].text and r.checks == []
    assert not any("去不了" in c.text for c in r.candidates)
    # and news that mentions it (「读书会我晚到」) is acknowledged, not declined
    setup(lx, [say("明天读书会我晚到十分钟", 1, conv="wx-qi", name="齐悦")])
    later = lx.replies.suggest(U, "wx-qi", now_ms=NOW)
    assert later.intent == "info" and not any("去不了" in c.text for c in later.candidates), later.candidates


def test_a_bare_clock_time_takes_the_day_named_earlier(lx: Lingxi) -> None:
    # 「明天下午你忙吗」…「那我四点过来？」: four o'clock is tomorrow's 16:00, where the calendar has 读书会
    events = [meeting("cal-4", tomorrow_at(15)), say("明天下午你忙吗", 30), say("还好，怎么了", 28, out=True)]
    setup(lx, [*events, say("那我四点过来找你拿钥匙？", 25)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "invitation" and "读书会" in r.candidates[0].text and r.candidates[0].act == "decline"
    assert not any(c.text.startswith("好呀") for c in r.candidates), r.candidates


def test_a_suggestion_naming_a_time_binds_the_calendar(lx: Lingxi) -> None:
    # no invitation word, only 「…吧」 with a time: still a question about the user's evening
    setup(lx, [meeting("cal-6", tomorrow_at(19)), say("明天晚上来我家吃火锅吧，人多热闹", 5)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "invitation" and "读书会" in r.candidates[0].text
    assert not any(c.text.startswith(("好的", "好呀")) for c in r.candidates), r.candidates


def test_a_decline_on_a_free_slot_claims_no_conflict(lx: Lingxi) -> None:
    setup(lx, [meeting("cal-7", tomorrow_at(9)), say("明天晚上七点一起打球不", 5)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert {c.act for c in r.candidates} >= {"accept", "decline"}
    assert not any(w in c.text for c in r.candidates for w in ("去不了", "没空", "有安排")), r.candidates


def test_condolence_is_thanked_without_style_or_stock_reply(lx: Lingxi) -> None:
    past = [say("哈哈好😂", 3000 + i, out=True, conv="wx-x", name="小x") for i in range(8)]
    setup(lx, [*past, say("外婆的事我听说了，节哀，你还好吗", 4)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "sympathy" and len(r.candidates) == 3
    assert all("谢" in c.text and "😂" not in c.text and "哈" not in c.text for c in r.candidates), r.candidates


def test_an_offer_to_fetch_a_parcel_is_answered_not_reported_on(lx: Lingxi) -> None:
    order = OrderEvent(
        event_id="o-1", user_id=U, ts=NOW - 2 * HOUR, source_app="淘宝", order_id="T1", platform="淘宝",
        items=[OrderItem(name="台灯", price_fen=9900)], total_fen=9900, status="delivered",
    )  # fmt: skip
    setup(lx, [order, say("你的快递到驿站了，要不要我帮你拿上来？", 3)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "offer" and "麻烦你" in r.candidates[0].text
    assert {c.act for c in r.candidates} >= {"accept", "decline"}
    assert not any(w in c.text for c in r.candidates for w in ("还没到", "在路上"))


def test_check_rewrites_yes_like_lines_on_a_busy_slot_and_wrong_arrival_times() -> None:
    from lingxi.features.reply_check import check
    from lingxi.features.reply_compose import Reply
    from lingxi.features.reply_facts import Fact, Facts

    busy = Fact("busy:E:1", "busy", "用户日历", (), NOW + HOUR, NOW + 2 * HOUR, "明天", "读书会", span_zh="19:00-21:00")
    facts = Facts(windows=[busy])
    lines = [Reply(text=t, source="llm", reason_zh="") for t in ("好的，收到", "我晚点回你", "明天有读书会，改天吧")]
    kept, notes = check(lines, "明天一起吃饭？", classify("明天一起吃饭？"), facts, NOW, "Asia/Shanghai", payments=True)
    assert [n.original for n in notes] == ["好的，收到"] and "读书会" in kept[0].text
    trip = Fact("trip:r", "trip", "行程", ("r",), NOW - HOUR, NOW + 30 * MIN, title="G1", status="ongoing",
                eta_ms=NOW + 30 * MIN)  # fmt: skip
    said = [Reply(text=t, source="llm", reason_zh="") for t in ("我大概17:40到", "我16:05左右到", "我在家")]
    kept, notes = check(said, "几点到", classify("几点到"), Facts(trips=[trip]), NOW, "Asia/Shanghai", payments=True)
    assert [n.original for n in notes] == ["我大概17:40到", "我在家"]  # the ETA is 16:03


def test_a_plain_plan_naming_a_time_binds_the_calendar_but_news_does_not(lx: Lingxi) -> None:
    # 「明晚七点老地方喝一杯」 has no question and no invitation word: still a plan that needs the user's evening
    setup(lx, [meeting("cal-8", tomorrow_at(19)), say("明晚七点老地方喝一杯", 5)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "invitation" and "读书会" in r.candidates[0].text
    assert not any(c.text.startswith(("好的", "好呀")) for c in r.candidates), r.candidates
    setup(lx, [say("明晚七点的会改到八点了", 1, conv="wx-qi", name="齐悦")])
    assert lx.replies.suggest(U, "wx-qi", now_ms=NOW).intent == "info"


def test_any_yes_to_a_plan_on_a_busy_slot_is_rewritten_whatever_the_intent() -> None:
    # 「明天七点开会，别忘了」 is read as information, yet 「好的，收到」「行」「没问题」 to it promise the slot
    from lingxi.features.reply_check import check
    from lingxi.features.reply_compose import Reply
    from lingxi.features.reply_facts import Fact, Facts

    busy = Fact("busy:E:1", "busy", "用户日历", (), NOW + HOUR, NOW + 2 * HOUR, "明天", "读书会", span_zh="19:00-21:00")
    text = "明天七点开会，别忘了"
    lines = [Reply(text=t, source="llm", reason_zh="") for t in ("好的，收到", "行", "没问题！")]
    kept, notes = check(lines, text, classify(text), Facts(windows=[busy]), NOW, "Asia/Shanghai", payments=True)
    assert classify(text).intent == "info" and len(notes) == 3
    assert all("读书会" in k.text and "去不了" in k.text for k in kept)
    settled = "就这么定了，不见不散"  # settles the slot named earlier in the conversation
    kept, notes = check(lines, settled, classify(settled), Facts(windows=[busy]), NOW, "Asia/Shanghai", payments=True)
    assert len(notes) == 3 and all("去不了" in k.text for k in kept)
    news = "明天下午停电"  # news of the world naming the same day binds nothing
    kept, notes = check(lines, news, classify(news), Facts(windows=[busy]), NOW, "Asia/Shanghai", payments=True)
    assert notes == []


def test_a_shopping_question_is_answered_about_the_thing_not_its_delivery(lx: Lingxi) -> None:
    setup(lx, [_lamp("delivered", 90, "o-9"), say("你那个台灯哪买的，好用吗", 3)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "shop" and "签收" not in r.candidates[0].text and "链接" in r.candidates[0].text


def test_money_sent_to_the_user_is_thanked_and_a_parcel_reminder_is_not_reported_on(lx: Lingxi) -> None:
    setup(lx, [say("刚转你200，上次的油钱", 3)])
    r = lx.replies.suggest(U, "wx-lu", now_ms=NOW)
    assert r.intent == "money_in" and "谢谢" in r.candidates[0].text
    assert not any("转给你" in c.text or "转你" in c.text for c in r.candidates)
    setup(lx, [_lamp("delivered", 90, "o-7"), say("你的快递在驿站放着呢，别忘了拿", 2, conv="wx-qi", name="齐悦")])
    first = lx.replies.suggest(U, "wx-qi", now_ms=NOW).candidates[0].text
    assert "谢谢" in first and "签收" not in first
