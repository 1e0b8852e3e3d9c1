"""Recording feedback: what the user did with an answer, stored as a ``feedback`` event under consent.

Why the consent check is here and again at export: recording without the ``model_improvement`` scope would
collect data for a purpose the user never agreed to (PIPL Art. 14), so nothing is stored then; and a user may
withdraw later, so :mod:`lingxi.adapt.export` re-checks the *current* consent. Minors (under 18, as
:func:`lingxi.compliance.minors.is_minor` says) are excluded whatever is granted: their data is not used to
train models.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError

from lingxi.compliance.minors import is_minor
from lingxi.context.feedback_events import FeedbackEvent
from lingxi.errors import InvalidInput
from lingxi.ids import now_ms
from lingxi.ports import Consented, UserEvents
from lingxi.privacy.consent import ConsentStore, Scope

__all__ = ["FeedbackHost", "FeedbackReceipt", "may_train_on", "record_feedback"]


class FeedbackHost(Consented, UserEvents, Protocol):
    """What recording feedback uses: the consent record (may it be kept?) and the event store (keep it)."""


@dataclass(frozen=True)
class FeedbackReceipt:
    """Whether the feedback was kept; ``reason`` says why not (Chinese, for the app to show or log)."""

    recorded: bool
    event_id: str
    reason: str = ""


def may_train_on(consents: ConsentStore, user_id: str) -> str:
    """Empty when the user's feedback may be used for model improvement now, else why not (Chinese)."""
    status = consents.status(user_id)
    if is_minor(status):
        return "未成年人的数据不用于改进模型"
    if Scope.MODEL_IMPROVEMENT not in status.effective_scopes:
        return "用户未单独同意将反馈用于改进模型（model_improvement）"
    return ""


def record_feedback(lx: FeedbackHost, user_id: str, **fields: Any) -> FeedbackReceipt:
    """Validate and store one feedback event (see :class:`FeedbackEvent` for the fields).

    Invalid feedback raises :class:`InvalidInput` naming the field; feedback the user has not consented to
    share is *not* stored and the receipt says so (the app calls this routinely, so it is not an error).
    """
    event_id = str(fields.pop("event_id", "") or f"fb-{uuid.uuid4().hex}")
    data = {"type": "feedback", "event_id": event_id, "user_id": user_id, "ts": fields.pop("ts", None) or now_ms()}
    data.setdefault("source_app", fields.pop("source_app", "lingxi"))
    try:
        event = FeedbackEvent.model_validate({**data, **fields})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(feedback)"
        raise InvalidInput(
            f"feedback field '{where}': {first['msg']}", message_zh=f"反馈字段 {where} 无效：{first['msg']}"
        ) from exc
    why_not = may_train_on(lx.consents, user_id)
    if why_not:
        return FeedbackReceipt(False, event_id, why_not)
    lx.ingest([event])
    return FeedbackReceipt(True, event_id)
