"""Privacy class of the data in a request, which decides where it may be processed.

``sensitive`` is PIPL's sensitive personal information that lingxi can recognise from event types:
financial data (payments, bank notifications, verification codes). ``personal`` is any other user data.
``public`` is a request that carries no stored personal data (the caller's own text only).
The router keeps ``sensitive`` data on the device unless the user granted ``cloud_processing``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

_FINANCIAL_CATEGORIES = frozenset({"bank", "verification", "payment", "finance"})


class PrivacyClass(StrEnum):
    PUBLIC = "public"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"


class Typed(Protocol):
    """What classification reads of an event: its kind (the privacy layer sits below the event model)."""

    @property
    def type(self) -> str: ...


def classify(events: Sequence[Typed]) -> PrivacyClass:
    """The most sensitive class among ``events`` (payments; notifications of a financial category)."""
    if not events:
        return PrivacyClass.PUBLIC
    for e in events:
        if e.type == "payment":
            return PrivacyClass.SENSITIVE
        if e.type == "notification" and getattr(e, "category", "") in _FINANCIAL_CATEGORIES:
            return PrivacyClass.SENSITIVE
    return PrivacyClass.PERSONAL
