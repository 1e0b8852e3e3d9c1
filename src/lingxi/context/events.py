"""Typed personal events: what streams into the on-device store.

Each event has a caller-chosen idempotency key ``event_id`` (re-sending the same event is a no-op), the
owner ``user_id``, ``ts`` in UTC epoch milliseconds, and the ``source_app`` it came from. Money is integer
fen plus an ISO currency code, never floats. :func:`parse_event` is the one entry point for untrusted input:
its errors name the field and what is wrong with it, in Chinese and English.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, ValidationInfo, field_validator

from lingxi.context.event_base import ID_LEN as _ID
from lingxi.context.event_base import MAX_FEN as _MAX_FEN
from lingxi.context.event_base import MAX_TS as _MAX_TS
from lingxi.context.event_base import MIN_TS as _MIN_TS
from lingxi.context.event_base import NAME_LEN as _NAME
from lingxi.context.event_base import EventBase as _EventBase
from lingxi.context.event_kinds import CartEvent, ContactEvent, FavoriteEvent, MessageUpdateEvent, ReminderEvent
from lingxi.context.feedback_events import FeedbackEvent
from lingxi.errors import InvalidInput

__all__ = [
    "EVENT_TYPES",
    "AppActionEvent",
    "BrowseEvent",
    "CalendarEvent",
    "CartEvent",
    "ContactEvent",
    "Event",
    "FavoriteEvent",
    "MessageEvent",
    "MessageUpdateEvent",
    "NotificationEvent",
    "OrderEvent",
    "OrderItem",
    "OrderStatus",
    "PaymentEvent",
    "ReminderEvent",
    "SearchEvent",
    "parse_event",
]


class MessageEvent(_EventBase):
    """A chat message, sent (``out``) or received (``in``)."""

    type: Literal["message"] = "message"
    conversation_id: str = Field(min_length=1, max_length=_ID)
    conversation_name: str = Field(default="", max_length=_NAME)
    sender: str = Field(min_length=1, max_length=_NAME)
    direction: Literal["in", "out"]
    text: str = Field(min_length=1, max_length=20_000)
    relation: str = Field(default="", max_length=32, description="the sender's relation to the user, e.g. 妈妈, 同事")

    def search_text(self) -> str:
        return f"{self.conversation_name} {self.sender}：{self.text}"


class NotificationEvent(_EventBase):
    """A system notification shown to the user."""

    type: Literal["notification"] = "notification"
    title: str = Field(default="", max_length=_NAME)
    body: str = Field(min_length=1, max_length=5_000)
    category: str = Field(default="", max_length=_ID, description="app-declared category, e.g. bank, delivery, social")
    sender: str = Field(default="", max_length=_NAME, description="who it is from, when the listener knows (chats)")
    relation: str = Field(default="", max_length=32, description="the sender's relation to the user, e.g. 妈妈")

    def search_text(self) -> str:
        return f"{self.title} {self.body}".strip()


class OrderItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=_NAME)
    category: str = Field(default="", max_length=_ID)
    brand: str = Field(default="", max_length=_ID)
    price_fen: int = Field(ge=0, le=_MAX_FEN)
    quantity: int = Field(default=1, ge=1, le=1_000_000)


OrderStatus = Literal[
    "placed", "paid", "shipped", "in_transit", "out_for_delivery", "delivered", "cancelled", "refunded"
]
"""An order's life: placed → paid → shipped → in_transit → out_for_delivery → delivered, or cancelled/refunded."""


class OrderEvent(_EventBase):
    """An e-commerce order or a change of its status: each change is a new event with the same ``order_id``."""

    type: Literal["order"] = "order"
    order_id: str = Field(min_length=1, max_length=_ID)
    platform: str = Field(min_length=1, max_length=_ID)
    items: list[OrderItem] = Field(min_length=1, max_length=200)
    total_fen: int = Field(ge=0, le=_MAX_FEN)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    status: OrderStatus
    carrier: str = Field(default="", max_length=_ID)
    tracking_no: str = Field(default="", max_length=_ID)
    eta_ts: int | None = Field(default=None, ge=_MIN_TS, le=_MAX_TS, description="expected delivery, an instant")
    eta_day: str | None = Field(
        default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="expected delivery day (YYYY-MM-DD), no time"
    )

    def search_text(self) -> str:
        names = "、".join(f"{i.brand}{i.name}" for i in self.items)
        return f"{self.platform}订单 {names} {self.carrier}".strip()


class PaymentEvent(_EventBase):
    """Money leaving (``out``) or arriving (``in``): financial data, under its own consent scope."""

    type: Literal["payment"] = "payment"
    amount_fen: int = Field(ge=0, le=_MAX_FEN)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    direction: Literal["out", "in"] = "out"
    merchant: str = Field(min_length=1, max_length=_NAME)
    channel: str = Field(default="", max_length=_ID, description="e.g. 微信支付, 支付宝, 银行卡")
    category: str = Field(default="", max_length=_ID, description="e.g. 餐饮, 外卖, 交通, 购物")
    order_id: str = Field(default="", max_length=_ID)

    def search_text(self) -> str:
        return f"{self.channel} {self.merchant} {self.category}".strip()


class CalendarEvent(_EventBase):
    """A version of a calendar entry: a later event with the same ``entry_id`` moves, edits or cancels it."""

    type: Literal["calendar"] = "calendar"
    entry_id: str = Field(default="", max_length=_ID, description="stable id of the entry; empty: the event_id")
    status: Literal["confirmed", "tentative", "cancelled"] = "confirmed"
    title: str = Field(min_length=1, max_length=_NAME)
    start_ts: int = Field(ge=_MIN_TS, le=_MAX_TS)
    end_ts: int = Field(ge=_MIN_TS, le=_MAX_TS)
    location: str = Field(default="", max_length=_NAME)
    attendees: list[Annotated[str, Field(max_length=_ID)]] = Field(default_factory=list, max_length=200)

    @field_validator("end_ts")
    @classmethod
    def _ends_after_start(cls, end_ts: int, info: ValidationInfo) -> int:
        start = info.data.get("start_ts")  # absent when start_ts itself failed: that error is reported instead
        if start is not None and end_ts < start:
            raise ValueError(f"end_ts must not be before start_ts ({start})")
        return end_ts

    def search_text(self) -> str:
        return f"{self.title} {self.location} {' '.join(self.attendees)}".strip()


class BrowseEvent(_EventBase):
    """A product page the user looked at; ``dwell_ms`` tells a glance from real interest."""

    type: Literal["browse"] = "browse"
    item_id: str = Field(min_length=1, max_length=128)
    item_name: str = Field(min_length=1, max_length=500)
    category: str = Field(default="", max_length=_ID)
    brand: str = Field(default="", max_length=_ID)
    price_fen: int | None = Field(default=None, ge=0, le=_MAX_FEN)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    platform: str = Field(min_length=1, max_length=_ID)
    dwell_ms: int = Field(default=0, ge=0, le=86_400_000)

    def search_text(self) -> str:
        return f"{self.platform} {self.brand}{self.item_name} {self.category}".strip()


class SearchEvent(_EventBase):
    """A query the user typed into an app's search box."""

    type: Literal["search"] = "search"
    query: str = Field(min_length=1, max_length=500)
    platform: str = Field(min_length=1, max_length=_ID)

    def search_text(self) -> str:
        return f"{self.platform}搜索 {self.query}"


class AppActionEvent(_EventBase):
    """Something the user did in an app (``action`` on ``target``), with small app-specific ``params``."""

    type: Literal["app_action"] = "app_action"
    app: str = Field(min_length=1, max_length=64)
    action: str = Field(min_length=1, max_length=64)
    target: str = Field(default="", max_length=500)
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("params")
    @classmethod
    def _params_are_small(cls, params: dict[str, Any]) -> dict[str, Any]:
        # params are stored whole in every row: bound them, and require plain JSON values
        try:
            size = len(json.dumps(params, ensure_ascii=False))
        except (TypeError, ValueError) as exc:
            raise ValueError("params must hold JSON values only") from exc
        if size > 4_096:
            raise ValueError(f"params must be at most 4096 characters of JSON (got {size})")
        return params

    def search_text(self) -> str:
        words = [str(v) for v in self.params.values() if isinstance(v, str)]
        return " ".join([self.app, self.action, self.target, *words]).strip()


Event = Annotated[
    MessageEvent
    | NotificationEvent
    | OrderEvent
    | PaymentEvent
    | CalendarEvent
    | BrowseEvent
    | SearchEvent
    | AppActionEvent
    | CartEvent
    | FavoriteEvent
    | ReminderEvent
    | ContactEvent
    | MessageUpdateEvent
    | FeedbackEvent,
    Field(discriminator="type"),
]
EVENT_TYPES: tuple[str, ...] = (
    "message",
    "notification",
    "order",
    "payment",
    "calendar",
    "browse",
    "search",
    "app_action",
    "cart",
    "favorite",
    "reminder",
    "contact",
    "message_update",
    "feedback",
)

_adapter: TypeAdapter[Event] = TypeAdapter(Event)


def parse_event(data: dict[str, Any] | str | bytes) -> Event:
    """Validate one event from a dict or a JSON document; raise :class:`InvalidInput` naming the field."""
    try:
        if isinstance(data, str | bytes):
            return _adapter.validate_json(data)
        return _adapter.validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"][1:] if err["loc"] and err["loc"][0] in EVENT_TYPES else err["loc"]  # drop the union tag
        where = ".".join(str(p) for p in loc) or "(event)"
        if err["type"] == "json_invalid":
            raise InvalidInput(
                f"not valid JSON: {err['msg']}", message_zh="不是合法的 JSON", hint="one JSON object per event"
            ) from exc
        if err["type"] == "union_tag_invalid" or err["type"] == "union_tag_not_found":
            raise InvalidInput(
                f"field 'type': must be one of {', '.join(EVENT_TYPES)}",
                message_zh=f"字段 type 必须是以下之一：{'、'.join(EVENT_TYPES)}",
            ) from exc
        value = json.dumps(err.get("input"), ensure_ascii=False, default=str)[:80]
        raise InvalidInput(
            f"field '{where}': {err['msg']} (got {value})",
            message_zh=f"字段 {where} 无效：{err['msg']}（收到 {value}）",
        ) from exc
