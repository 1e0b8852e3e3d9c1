"""A profile's persisted state: the sealed JSON in ``profiles.payload`` that each ingest folds events into.

Kept apart from :mod:`lingxi.context.profile` (which updates and renders it) so that module stays small.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Score(BaseModel):
    score: float = 0.0
    as_of: int = 0
    count: int = 0
    last_ts: int = 0
    ids: list[tuple[int, str]] = Field(default_factory=list)  # (ts, event_id), newest first
    note: str = ""  # the newest evidence in words, e.g. "在京东买了索尼…"
    total_fen: int = 0
    hours: list[int] = Field(default_factory=list)  # spending only: payments per local hour


class Order(BaseModel):
    ts: int
    event_id: str = ""
    counted: bool = False
    cancelled: bool = False
    categories: list[str] = Field(default_factory=list)
    brands: list[str] = Field(default_factory=list)
    payments: list[tuple[int, str]] = Field(default_factory=list)  # (ts, event_id) confirming it


class State(BaseModel):
    as_of: int = 0
    events: int = 0
    categories: dict[str, Score] = Field(default_factory=dict)
    brands: dict[str, Score] = Field(default_factory=dict)
    orders: dict[str, Order] = Field(default_factory=dict)
    prices: dict[str, list[tuple[int, int, str, str]]] = Field(default_factory=dict)  # (ts, fen, event, order)
    hours: list[int] = Field(default_factory=lambda: [0] * 24)
    hour_ids: dict[int, list[tuple[int, str]]] = Field(default_factory=dict)
    contacts_in: dict[str, Score] = Field(default_factory=dict)
    contacts_out: dict[str, Score] = Field(default_factory=dict)
    merchants: dict[str, Score] = Field(default_factory=dict)
    spend: dict[str, Score] = Field(default_factory=dict)
