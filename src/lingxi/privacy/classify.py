"""Privacy class of the data in a request, which decides where it may be processed.

``sensitive`` is PIPL's sensitive personal information that lingxi can recognise from event types:
financial data (payments, bank notifications, verification codes). ``personal`` is any other user data.
``public`` is a request that carries no stored personal data (the caller's own text only).
The router keeps ``sensitive`` data on the device unless the user granted ``cloud_processing``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from lingxi.context.events import Event, NotificationEvent, PaymentEvent

_FINANCIAL_CATEGORIES = frozenset({"bank", "verification", "payment", "finance"})


class PrivacyClass(StrEnum):
    PUBLIC = "public"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"


def classify(events: Sequence[Event]) -> PrivacyClass:
    """The most sensitive class among ``events``."""
    if not events:
        return PrivacyClass.PUBLIC
    for e in events:
        if isinstance(e, PaymentEvent):
            return PrivacyClass.SENSITIVE
        if isinstance(e, NotificationEvent) and e.category in _FINANCIAL_CATEGORIES:
            return PrivacyClass.SENSITIVE
    return PrivacyClass.PERSONAL
