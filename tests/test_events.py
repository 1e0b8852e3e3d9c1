from __future__ import annotations

import pytest

from lingxi.context.events import MessageEvent, PaymentEvent, parse_event
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
