"""What :class:`~lingxi.context.profile.Profile` returns: explained facts, JSON-serializable.

Every fact carries its evidence (the newest event ids) and a Chinese explanation, so a UI can show *why*
lingxi believes something about the user, and the user can correct or reset it.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Fact(BaseModel):
    """One explained profile fact: ``event_ids`` are its newest evidence, ``explanation_zh`` says why."""

    name: str
    count: int
    last_ts: int
    score: float = Field(description="time-decayed weight as of the profile's `as_of_ms`")
    event_ids: list[str]
    explanation_zh: str


class PriceBand(BaseModel):
    category: str
    n: int
    p25_fen: int
    median_fen: int
    p75_fen: int
    event_ids: list[str]
    explanation_zh: str


class HourFact(BaseModel):
    hour: int = Field(ge=0, le=23, description="local hour: the window hour:00–hour+1:00")
    count: int
    share: float
    event_ids: list[str]
    explanation_zh: str


class SpendFact(Fact):
    total_fen: int = Field(description="sum of CNY payments; other currencies are counted, not summed")
    peak_hour: int


class UserProfile(BaseModel):
    """A user's profile as of ``as_of_ms``; JSON-serializable. Empty lists before any event."""

    user_id: str
    as_of_ms: int
    events: int = Field(description="events counted since the profile was created or reset")
    categories: list[Fact] = Field(default_factory=list)
    brands: list[Fact] = Field(default_factory=list)
    price_bands: list[PriceBand] = Field(default_factory=list)
    active_hours: list[int] = Field(default_factory=lambda: [0] * 24, description="actions per local hour 0–23")
    peak_hours: list[HourFact] = Field(default_factory=list)
    contacts_incoming: list[Fact] = Field(default_factory=list)
    contacts_outgoing: list[Fact] = Field(default_factory=list)
    merchants: list[SpendFact] = Field(default_factory=list, description="financial: needs the payments scope")
    spend_categories: list[SpendFact] = Field(default_factory=list, description="financial: payments scope")

    def without_payments(self) -> UserProfile:
        """This profile minus the facts derived from payments (for readers without the payments scope)."""
        return self.model_copy(update={"merchants": [], "spend_categories": []})
