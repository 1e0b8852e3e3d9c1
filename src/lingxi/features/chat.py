"""Plain chat: the caller's own messages, as the OpenAI-compatible endpoint receives them.

No stored personal data is read, so no consent scope is needed; screening, routing, egress, labeling and
audit still apply because the request goes through the same path as every feature.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lingxi.context.consented import EventReader
from lingxi.context.events import Event
from lingxi.errors import InvalidInput
from lingxi.models.base import Message, Task
from lingxi.pipeline import Turn
from lingxi.privacy.consent import Scope


@dataclass
class Chat:
    name: str = "chat"
    scopes: frozenset[Scope] = field(default=frozenset())
    #: the prompt is the caller's messages, checked: built on the event loop, not in a worker thread
    prompt_inline: bool = True

    def select_context(self, store: EventReader, turn: Turn) -> list[Event]:
        return []

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        messages = turn.inputs.get("messages")
        if not isinstance(messages, list) or not messages or not all(isinstance(m, Message) for m in messages):
            raise InvalidInput(
                "messages must be a non-empty list of chat messages",
                message_zh="messages 必须是非空的消息列表",
            )
        if not any(m.role == "user" for m in messages):
            raise InvalidInput("at least one message must have role 'user'", message_zh="至少需要一条用户消息")
        return list(messages), None
