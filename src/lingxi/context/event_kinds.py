"""The event kinds added by event model v2 (issue 13): cart, favorite, reminder, contact, message_update.

Re-exported by :mod:`lingxi.context.events`, which holds the v1 kinds and the one parsing entry point. A
reminder and a contact are entities with a stable id: each event is one version of it, and the current state
is computed by :mod:`lingxi.context.entities` (latest ``ts`` at or before the time asked wins). A
``message_update`` deletes or corrects an earlier message by its ``event_id``; every feature then reads the
message through :func:`~lingxi.context.entities.effective_messages`.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from lingxi.context.event_base import ID_LEN, MAX_FEN, MAX_TS, MIN_TS, NAME_LEN, EventBase

__all__ = ["CartEvent", "ContactEvent", "FavoriteEvent", "MessageUpdateEvent", "ReminderEvent"]


class _ItemEvent(EventBase):
    item_id: str = Field(min_length=1, max_length=ID_LEN)
    item_name: str = Field(min_length=1, max_length=NAME_LEN)
    category: str = Field(default="", max_length=ID_LEN)
    brand: str = Field(default="", max_length=ID_LEN)
    price_fen: int | None = Field(default=None, ge=0, le=MAX_FEN)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    platform: str = Field(min_length=1, max_length=ID_LEN)
    action: Literal["add", "remove"] = "add"


class CartEvent(_ItemEvent):
    """An item added to (or removed from) a shopping cart: strong purchase intent, fed to the recommender."""

    type: Literal["cart"] = "cart"
    quantity: int = Field(default=1, ge=1, le=1_000_000)

    def search_text(self) -> str:
        verb = "加入购物车" if self.action == "add" else "移出购物车"
        return f"{self.platform}{verb} {self.brand}{self.item_name} {self.category}".strip()


class FavoriteEvent(_ItemEvent):
    """An item the user favourited (收藏) or un-favourited: lasting interest, fed to the recommender."""

    type: Literal["favorite"] = "favorite"

    def search_text(self) -> str:
        verb = "收藏" if self.action == "add" else "取消收藏"
        return f"{self.platform}{verb} {self.brand}{self.item_name} {self.category}".strip()


class ReminderEvent(EventBase):
    """A version of a reminder (待办): a later event with the same ``reminder_id`` edits, completes or cancels it."""

    type: Literal["reminder"] = "reminder"
    reminder_id: str = Field(min_length=1, max_length=ID_LEN)
    title: str = Field(min_length=1, max_length=NAME_LEN)
    due_ts: int | None = Field(default=None, ge=MIN_TS, le=MAX_TS)
    status: Literal["open", "done", "cancelled"] = "open"

    def search_text(self) -> str:
        return f"提醒 {self.title}"


class ContactEvent(EventBase):
    """A version of a contact: name, other names, relation to the user and app handles, by ``contact_id``."""

    type: Literal["contact"] = "contact"
    contact_id: str = Field(min_length=1, max_length=ID_LEN)
    name: str = Field(min_length=1, max_length=NAME_LEN)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    relation: str = Field(default="", max_length=32, description="家人/同事/朋友/… or a specific term: 妈妈, 老板")
    handles: dict[str, str] = Field(default_factory=dict, max_length=50, description="app → the handle there")
    frequent: bool = False

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        for text in [*self.aliases, *self.handles, *self.handles.values()]:
            if not 1 <= len(text) <= NAME_LEN:
                raise ValueError(f"aliases and handles must be 1..{NAME_LEN} characters (got {text[:40]!r})")
        return self

    def search_text(self) -> str:
        return " ".join([self.name, *self.aliases, self.relation]).strip()


class MessageUpdateEvent(EventBase):
    """An earlier message (``target_event_id``) deleted or corrected (``text`` is then its new text)."""

    type: Literal["message_update"] = "message_update"
    target_event_id: str = Field(min_length=1, max_length=ID_LEN)
    op: Literal["delete", "correct"]
    text: str = Field(default="", max_length=20_000, description="the corrected text (required for correct)")

    @model_validator(mode="after")
    def _correct_has_text(self) -> Self:
        if self.op == "correct" and not self.text:
            raise ValueError("text is required when op is 'correct'")
        if self.op == "delete" and self.text:
            raise ValueError("text must be empty when op is 'delete'")
        return self

    def search_text(self) -> str:
        # the corrected text is what the user now reads: searching it finds this event, which retrieval maps
        # to the corrected message; a delete has nothing to find
        return self.text
