"""What every writing tool shares: input limits, the result base class and the answer's clean text.

The tools work on the caller's own text (no stored personal data), so they need no consent scope. Each is a
small :class:`~lingxi.pipeline.Feature` (prompt + a ``compose`` task carrying what the rules computed) plus a
``finish`` parser that turns the :class:`~lingxi.pipeline.Answer` into a typed result.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lingxi.context.consented import EventReader
from lingxi.context.events import Event
from lingxi.errors import InvalidInput
from lingxi.pipeline import Answer, Turn
from lingxi.privacy.consent import Scope

MAX_INPUT_CHARS = 20_000
NO_SCOPES: frozenset[Scope] = frozenset()


def check_text(value: object) -> str:
    """The text to work on, stripped; a clear error when it is empty or too long."""
    text = str(value or "").strip()
    if not text:
        raise InvalidInput("text is empty", message_zh="文本为空", hint="pass the text to work on")
    if len(text) > MAX_INPUT_CHARS:
        raise InvalidInput(
            f"text is {len(text)} characters; the limit is {MAX_INPUT_CHARS}",
            message_zh=f"文本过长（{len(text)} 字），上限为 {MAX_INPUT_CHARS} 字",
            hint="split the text into parts",
        )
    return text


def turn_text(turn: Turn) -> str:
    """The (Simplified) text a writing turn works on."""
    return check_text(turn.inputs.get("text"))


def no_context(store: EventReader, turn: Turn) -> list[Event]:
    del store, turn
    return []


def answer_body(answer: Answer) -> str:
    """The answer's text without an explicit AI label paragraph the label stage may have added."""
    text = answer.text
    if answer.label is not None:
        text = text.replace(f"【{answer.label.explicit}】", "")
    return text.strip()


def is_classical(answer: Answer) -> bool:
    """True when no language model wrote the answer (lite tier: rules, extraction, retrieval)."""
    return answer.model_kind != "llm"


class WritingResult(BaseModel):
    """Base of every writing result; ``answer`` (who answered, label, audit id) is kept but not serialized."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    script: str = Field(description="script of the output: zh-Hans, zh-Hant or zh-Hant-TW")
    method: str = Field(description="llm, or the classical method: rules, extractive, opencc")
    answer: Any = Field(default=None, exclude=True, description="the pipeline Answer")

    @property
    def model(self) -> str | None:
        return self.answer.model if isinstance(self.answer, Answer) else None


def method_of(answer: Answer) -> str:
    """``llm``, or the lite model's method name (``rules``, ``textrank``) when a classical model answered."""
    return "llm" if not is_classical(answer) else (answer.model or "lite").rsplit("/", 1)[-1]
