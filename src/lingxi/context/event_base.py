"""What every event kind shares: the common fields and the bounds on ids, names, times and amounts.

A module of its own so the v1 kinds (:mod:`lingxi.context.events`) and the v2 kinds
(:mod:`lingxi.context.event_kinds`) build on one base without importing each other.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

EVENT_SCHEMA_VERSION = 2
"""The event format's version, stored with every row (``events.schema_version``). 1: the original kinds;
2: event model v2 (issue 13) — calendar ``entry_id``/``status``, order ``in_transit``/``eta_day``, and the kinds
cart, favorite, reminder, contact, message_update. Every v2 field has a default, so a v1 row reads unchanged."""

# 2000-01-01 .. 2100-01-01 in ms: catches seconds-instead-of-milliseconds and garbage early.
MIN_TS = 946_684_800_000
MAX_TS = 4_102_444_800_000
#: Every string and amount is bounded: unbounded text is tokenized at ingest, and an amount must fit SQLite's
#: 64-bit integers (10^15 fen = ten trillion yuan).
ID_LEN, NAME_LEN = 128, 500
MAX_FEN = 10**15


class EventBase(BaseModel):
    """The fields every event has: idempotency key, owner, UTC epoch-ms time, and the app it came from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: str = Field(min_length=1, max_length=128)
    user_id: str = Field(min_length=1, max_length=128)
    ts: int = Field(ge=MIN_TS, le=MAX_TS, description="UTC epoch milliseconds")
    source_app: str = Field(min_length=1, max_length=64)

    def search_text(self) -> str:
        """The text retrieval indexes for this event."""
        raise NotImplementedError
