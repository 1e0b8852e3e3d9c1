"""The ``feedback`` event: what the user did with one of lingxi's answers, kept as data for model improvement.

Why an event and not a table of its own: feedback is the user's personal information like any other event,
so it is sealed at rest, exported and deleted with the rest of the user's data, and read through the same
consent view (its scope is ``model_improvement``, see :data:`~lingxi.context.consented.SCOPE_OF_TYPE`). It is
recorded only under that separate consent and never for a minor (:mod:`lingxi.adapt.feedback`).

``feature`` names the surface (``replies``, ``proofread``, ``notifications``, ``shopping``…), ``answer_id``
the answer's ``request_id`` (every feature result carries one). ``candidate`` is the text the user acted on,
``edited`` what they changed it to (``edited``), ``rejected`` an alternative they turned down (a reply
candidate not picked: the "rejected" side of a preference pair). ``prompt`` is the input the answer was
written for (the message being replied to, the sentence proofread), so a training example can be rebuilt
without re-reading the conversation.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FeedbackAction = Literal["accepted", "edited", "rejected", "kept", "undone", "opened", "dismissed", "clicked", "bought"]
FEEDBACK_ACTIONS: tuple[str, ...] = (
    "accepted", "edited", "rejected", "kept", "undone", "opened", "dismissed", "clicked", "bought",
)  # fmt: skip


class FeedbackEvent(BaseModel):
    """What the user did with an answer of a feature (accepted, edited, rejected, kept, undone, opened…)."""

    # The common fields of every event, as in ``events._EventBase`` (repeated, not inherited: events.py
    # imports this module to list the kind in its union, so this one cannot import events.py).
    model_config = ConfigDict(extra="forbid", frozen=True)
    event_id: str = Field(min_length=1, max_length=128)
    user_id: str = Field(min_length=1, max_length=128)
    ts: int = Field(ge=946_684_800_000, le=4_102_444_800_000, description="UTC epoch milliseconds")
    source_app: str = Field(min_length=1, max_length=64)
    type: Literal["feedback"] = "feedback"
    feature: str = Field(min_length=1, max_length=64, description="replies, proofread, notifications, shopping…")
    answer_id: str = Field(min_length=1, max_length=128, description="the answer's request_id")
    action: FeedbackAction
    prompt: str = Field(default="", max_length=5_000, description="the input the answer was written for")
    candidate: str = Field(default="", max_length=5_000, description="the text the user acted on")
    edited: str = Field(default="", max_length=5_000, description="what the user changed it to (action=edited)")
    rejected: str = Field(default="", max_length=5_000, description="an alternative the user turned down")
    item_id: str = Field(default="", max_length=128, description="the notification or item acted on, if any")

    @model_validator(mode="after")
    def _edited_has_text(self) -> FeedbackEvent:
        if self.action == "edited" and not self.edited:
            raise ValueError("action 'edited' needs the edited text in 'edited'")
        return self

    def search_text(self) -> str:
        return ""  # feedback is training data, not something to retrieve as context
