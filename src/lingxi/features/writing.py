"""Writing tools on the caller's own text (no stored personal data, so no consent scope).

This module has summarize and key points; each is a prompt template plus the structured task the lite
tier needs, so the same call runs on a language model or on the classical extractive tier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lingxi.context.events import Event
from lingxi.context.store import EventStore
from lingxi.errors import InvalidInput
from lingxi.models.base import Document, Message, Task
from lingxi.pipeline import Turn
from lingxi.privacy.consent import Scope

MAX_INPUT_CHARS = 20_000

_SYSTEM = {
    "summarize": "你是中文写作助手。请用不超过{n}句话概括用户给出的文本，"
    "保留关键事实（时间、数字、人名），不要添加原文没有的信息。",
    "key_points": "你是中文写作助手。请列出用户给出的文本的{n}条要点，每条一行，以「- 」开头，不要添加原文没有的信息。",
}


@dataclass
class WritingTool:
    """``summarize`` or ``key_points`` over ``turn.inputs['text']``."""

    kind: Literal["summarize", "key_points"]
    sentences: int = 3
    scopes: frozenset[Scope] = field(default=frozenset())

    @property
    def name(self) -> str:
        return f"writing.{self.kind}"

    def select_context(self, store: EventStore, turn: Turn) -> list[Event]:
        return []

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        text = str(turn.inputs.get("text", "")).strip()
        if not text:
            raise InvalidInput("text is empty", message_zh="文本为空", hint="pass the text to work on")
        if len(text) > MAX_INPUT_CHARS:
            raise InvalidInput(
                f"text is {len(text)} characters; the limit is {MAX_INPUT_CHARS}",
                message_zh=f"文本过长（{len(text)} 字），上限为 {MAX_INPUT_CHARS} 字",
                hint="split the text into parts",
            )
        system = _SYSTEM[self.kind].format(n=self.sentences)
        messages = [Message(role="system", content=system), Message(role="user", content=text)]
        return messages, Task(kind=self.kind, documents=[Document(text=text)], max_sentences=self.sentences)
