"""An example lingxi plug-in, installed with ``pip install -e examples/lingxi-example-plugin``.

It adds, through lingxi's public hooks only:

* a PII recognizer for student numbers (学号), so they are redacted before text leaves the device;
* a keyword source: a phrase this deployer's policy forbids (a made-up one, for the example);
* a feature, 「节日祝福」 (a holiday greeting): ``lx.extensions.run("greeting", {"to": "王老师", "festival":
  "中秋"})`` or ``POST /v1/features/ext/greeting``. Without a language model, its rule-based answer comes
  from the lite tier's ``compose`` task and is labeled as rule-made, like every built-in feature's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import lingxi
from lingxi import Answer, Document, Event, EventReader, Message, Recognizer, Scope, Task, Term, Turn

STUDENT_NO = Recognizer(
    "学号",
    re.compile(r"(?<![0-9])(?P<v>20[0-9]{8})(?![0-9])"),
    priority=30,
    context=re.compile("学号|学生证"),
    before=8,
)

FORBIDDEN = [Term("示例违禁短语", "A.1.1", "example-plugin")]


class Greeting:
    """「节日祝福」: a short greeting for ``to`` on ``festival``; reads none of the user's data."""

    name = "greeting"
    scopes: frozenset[Scope] = frozenset()

    def select_context(self, store: EventReader, turn: Turn) -> list[Event]:
        return []

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        to = str(turn.inputs.get("to") or "朋友")[:32]
        festival = str(turn.inputs.get("festival") or "节日")[:16]
        messages = [
            Message(role="system", content="你是写祝福语的助手。只输出一句不超过40字的中文祝福。"),
            Message(role="user", content=f"给{to}写一句{festival}祝福。"),
        ]
        rule_made = f"{to}，{festival}快乐！愿您阖家安康，万事顺意。"
        return messages, Task(kind="compose", documents=[Document(title="greeting", text=rule_made)])

    def finish(self, turn: Turn, answer: Answer) -> dict[str, Any]:
        return {"greeting": answer.text.strip(), "to": turn.inputs.get("to"), "festival": turn.inputs.get("festival")}


@lingxi.hookimpl
def register_pii_recognizers(register: Callable[[Any], None]) -> None:
    register(STUDENT_NO)


@lingxi.hookimpl
def register_keyword_sources(register: Callable[[Any], None]) -> None:
    register(FORBIDDEN)


@lingxi.hookimpl
def register_features(register: Callable[[Any], None]) -> None:
    register(Greeting())
