from __future__ import annotations

import pytest

from lingxi.context.events import (
    AppActionEvent,
    BrowseEvent,
    CalendarEvent,
    MessageEvent,
    PaymentEvent,
    SearchEvent,
    parse_event,
)
from lingxi.errors import InvalidInput

BASE = {"event_id": "e1", "user_id": "u1", "ts": 1_763_800_000_000, "source_app": "微信"}


def test_parses_each_type_by_discriminator() -> None:
    msg = parse_event(
        {
            **BASE,
            "type": "message",
            "conversation_id": "c1",
            "sender": "妈妈",
            "direction": "in",
            "text": "降温了，多穿点",
        }
    )
    assert isinstance(msg, MessageEvent)
    pay = parse_event({**BASE, "type": "payment", "amount_fen": 3250, "merchant": "瑞幸咖啡"})
    assert isinstance(pay, PaymentEvent) and pay.currency == "CNY"


def test_json_text_is_accepted() -> None:
    line = (
        '{"type":"notification","event_id":"n1","user_id":"u1","ts":1763800000000,'
        '"source_app":"菜鸟","body":"取件码 3-2-1108"}'
    )
    assert parse_event(line).source_app == "菜鸟"


@pytest.mark.parametrize(
    ("patch", "field", "zh"),
    [
        ({"ts": 1_763_800_000}, "ts", "字段 ts"),  # seconds, not milliseconds
        ({"amount_fen": 12.5}, "amount_fen", "amount_fen"),
        ({"amount_fen": -1}, "amount_fen", "amount_fen"),
        ({"currency": "rmb"}, "currency", "currency"),
        ({"surprise": 1}, "surprise", "surprise"),
    ],
)
def test_errors_name_the_field(patch: dict[str, object], field: str, zh: str) -> None:
    data = {**BASE, "type": "payment", "amount_fen": 100, "merchant": "盒马", **patch}
    with pytest.raises(InvalidInput) as info:
        parse_event(data)
    assert field in info.value.message
    assert zh in info.value.message_zh


def test_unknown_type_and_bad_json() -> None:
    with pytest.raises(InvalidInput, match="must be one of"):
        parse_event({**BASE, "type": "telepathy"})
    with pytest.raises(InvalidInput, match="not valid JSON"):
        parse_event('{"type": "message",')


def test_browse_search_and_app_action_events() -> None:
    browse = parse_event(
        {**BASE, "type": "browse", "item_id": "i1", "item_name": "降噪耳机", "brand": "索尼", "platform": "京东"}
    )
    assert isinstance(browse, BrowseEvent) and "索尼降噪耳机" in browse.search_text()
    search = parse_event({**BASE, "type": "search", "query": "猫粮 成猫", "platform": "淘宝"})
    assert isinstance(search, SearchEvent) and "猫粮" in search.search_text()
    action = parse_event(
        {**BASE, "type": "app_action", "app": "高德地图", "action": "navigate", "params": {"to": "西湖"}}
    )
    assert isinstance(action, AppActionEvent) and "西湖" in action.search_text()
    with pytest.raises(InvalidInput, match="dwell_ms"):
        parse_event({**BASE, "type": "browse", "item_id": "i", "item_name": "x", "platform": "p", "dwell_ms": -1})
    with pytest.raises(InvalidInput, match="params"):
        parse_event({**BASE, "type": "app_action", "app": "a", "action": "b", "params": {"k": "x" * 5000}})


def test_calendar_end_before_start_names_end_ts() -> None:
    entry = {**BASE, "type": "calendar", "title": "周会", "start_ts": 1_763_800_000_000}
    assert isinstance(parse_event({**entry, "end_ts": 1_763_800_000_000}), CalendarEvent)
    with pytest.raises(InvalidInput) as info:
        parse_event({**entry, "end_ts": 1_763_700_000_000})
    assert "end_ts" in info.value.message and "字段 end_ts" in info.value.message_zh
