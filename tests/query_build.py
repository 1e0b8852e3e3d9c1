"""Event builders shared by the hand-made query users (tests/query_user*.py): one place, so the users differ
only in their lives, not in how an event is spelled.

Every builder takes the user id it writes for; :func:`ms` is a 2026 local time in Shanghai.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from lingxi.context.events import CalendarEvent, MessageEvent, OrderEvent, OrderItem, PaymentEvent

TZ = "Asia/Shanghai"


def ms(month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo(TZ)).timestamp() * 1000)


@dataclass(frozen=True)
class Builder:
    """Builds one user's events."""

    user: str

    def pay(
        self, i: str, at: int, merchant: str, fen: int, category: str, channel: str = "支付宝", **kw: object
    ) -> PaymentEvent:
        return PaymentEvent.model_validate(
            {"event_id": i, "user_id": self.user, "ts": at, "source_app": channel, "amount_fen": fen,
             "merchant": merchant, "channel": channel, "category": category, **kw}
        )  # fmt: skip

    def cal(
        self, i: str, at: int, entry: str, title: str, start: int, end: int, status: str = "confirmed", **kw: object
    ) -> CalendarEvent:
        return CalendarEvent.model_validate(
            {"event_id": i, "user_id": self.user, "ts": at, "source_app": "日历", "entry_id": entry, "title": title,
             "start_ts": start, "end_ts": end, "status": status, **kw}
        )  # fmt: skip

    def msg(self, i: str, at: int, app: str, conv: str, sender: str, text: str, out: bool = False) -> MessageEvent:
        return MessageEvent(
            event_id=i, user_id=self.user, ts=at, source_app=app, conversation_id=f"c-{conv}",
            conversation_name=conv, sender=sender, direction="out" if out else "in", text=text,
        )  # fmt: skip

    def order(self, i: str, at: int, oid: str, platform: str, item: OrderItem, status: str, **kw: object) -> OrderEvent:
        return OrderEvent.model_validate(
            {"event_id": i, "user_id": self.user, "ts": at, "source_app": platform, "order_id": oid,
             "platform": platform, "items": [item], "total_fen": item.price_fen, "status": status, **kw}
        )  # fmt: skip
