"""The query plan: what a question over the user's own data asks, typed, before anything is read.

Both parsers write this — the rule parser (:mod:`lingxi.query.rules`) and a language model
(:mod:`lingxi.query.llm_plan`) — and only code executes it (:mod:`lingxi.query.execute`), so a model never does
arithmetic or decides what is true. Times are kept as the words the user said (``time``) and resolved by code
(:func:`lingxi.query.windows.parse_window`) into ``window`` (and a comparison's ``versus`` into ``versus_window``);
a model is never asked to compute a date. Amount bounds are integer fen, inclusive.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from lingxi.privacy.consent import Scope
from lingxi.query.windows import Window

__all__ = ["KIND_SCOPES", "Filters", "GroupBy", "Operation", "Plan", "Subject"]

Operation = Literal["count", "sum", "average", "min", "max", "first", "last", "list", "exists", "field", "free_busy"]
#: What the question is about: money out/in, orders (entities), messages, calendar entries, browsing history.
Subject = Literal["payment", "order", "message", "calendar", "browse"]
#: How a breakdown groups payments (「各类」「每家店」「每天」「分别」); "" for a single answer.
GroupBy = Literal["", "each", "category", "merchant", "channel", "day"]
#: For ``field``: which attribute of the one entity found.
FieldName = Literal[
    "", "amount", "status", "eta", "time", "location", "merchant", "sender", "text", "items", "attendees"
]

KIND_SCOPES: dict[Subject, frozenset[Scope]] = {
    "payment": frozenset({Scope.PAYMENTS}),
    "order": frozenset({Scope.SHOPPING}),
    "message": frozenset({Scope.MESSAGES}),
    "calendar": frozenset({Scope.CALENDAR}),
    "browse": frozenset({Scope.SHOPPING}),
}


#: A filter word (bounded: a plan is small, and a grammar-constrained model cannot run on inside one).
Word = Annotated[str, Field(min_length=1, max_length=16)]
Words = Annotated[list[Word], Field(max_length=6)]


class Filters(BaseModel):
    """Words to match, each expanded through the synonym table (any term of a word matches)."""

    model_config = ConfigDict(extra="forbid")

    categories: Words = Field(default_factory=list, description="kinds of spending or goods: 外卖, 打车, 咖啡")
    merchants: Words = Field(default_factory=list, description="merchant, brand or shop: 瑞幸, 星巴克, 京东")
    counterpart: str = Field(default="", max_length=16, description="a person or group: 妈妈, 张伟, 项目群")
    app: str = Field(default="", max_length=16, description="the app it happened in: 微信, 钉钉, 淘宝, 支付宝")
    text: Words = Field(default_factory=list, description="other words that must occur: 耳机, 周报")

    def empty(self) -> bool:
        return not (self.categories or self.merchants or self.counterpart or self.app or self.text)


class Plan(BaseModel):
    """One question as a plan. ``exclude`` holds what 「不含X」「除了X」 take away."""

    model_config = ConfigDict(extra="forbid")

    operation: Operation
    subject: Subject
    field: FieldName = ""
    include: Filters = Field(default_factory=Filters)
    exclude: Filters = Field(default_factory=Filters)
    direction: Literal["out", "in"] = Field(default="out", description="payments: spent (out) or received (in)")
    sent_by_me: bool = Field(default=False, description="messages: only those the user sent (「我跟妈妈说了什么」)")
    pending: bool = Field(default=False, description="orders: only those still on their way (「还没到的快递」)")
    to_me: bool = Field(default=False, description="messages: only those others sent the user (「谁给我发过消息」)")
    time: str = Field(
        default="", max_length=24, description="the time words as the user said them: 上周, 10月12日到15日, 国庆"
    )
    window: Window | None = Field(default=None, description="resolved by code from `time`; never by a model")
    what: str = Field(default="", max_length=24, description="what the user called it, for the answer: 打车, 瑞幸")
    group_by: GroupBy = Field(
        default="",
        description="payments: a total per group (「各类花了多少」 category, 「每家店」 merchant, 「每天」 day, "
        "「微信和支付宝各付了多少」 channel; each: one group per word of include, 「买菜和看病各花了多少」)",
    )
    versus: str = Field(
        default="",
        max_length=24,
        description="payments: the other period's time words (「比上个月多花了多少」: 上个月)",
    )
    versus_window: Window | None = Field(default=None, description="resolved by code from `versus`; never by a model")
    min_fen: int = Field(default=0, ge=0, description="only amounts ≥ this, in fen (「超过200」: 20001); 0: no bound")
    max_fen: int = Field(default=0, ge=0, description="only amounts ≤ this, in fen (「不到10块」: 999); 0: no bound")

    @property
    def scopes(self) -> frozenset[Scope]:
        return KIND_SCOPES[self.subject]

    @property
    def intent(self) -> str:
        """The assistant's intent label for this plan (kept from the cue-word router for API callers)."""
        return {
            "payment": "spending",
            "order": "order_status",
            "calendar": "free_busy",
            "message": "search",
            "browse": "search",
        }[self.subject]
