"""Writing tools on the caller's own text (no stored personal data, so no consent scope).

:class:`WritingTool` is summarize and key points: a prompt plus the structured task the lite tier needs, so
the same call runs on a language model or on the classical extractive tier. :class:`WritingTools` is the
service behind ``lx.writing``: every tool (rewrite, proofread, table, translate, summarize, key points) with
Simplified/Traditional handling — Traditional input is worked on in Simplified and the output converted back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from lingxi.context.consented import EventReader
from lingxi.context.events import Event
from lingxi.errors import InvalidInput, ModelUnavailable
from lingxi.features.proofread import ProofreadResult, ProofreadTool
from lingxi.features.rewrite import RewriteResult, RewriteTool, parse_tone
from lingxi.features.table import TableData, TableTool
from lingxi.features.translate import TranslateResult, TranslateTool, needs_llm_error
from lingxi.features.writing_base import MAX_INPUT_CHARS, WritingResult, answer_body, check_text, method_of
from lingxi.models.base import Document, Message, Task
from lingxi.pipeline import Answer, Turn
from lingxi.privacy.consent import Scope
from lingxi.text_script import ScriptView

if TYPE_CHECKING:
    from lingxi.features.host import WritingHost

__all__ = ["KINDS", "MAX_INPUT_CHARS", "SummaryResult", "WritingTool", "WritingTools"]

_SYSTEM = {
    "summarize": "你是中文写作助手。请用不超过{n}句话概括用户给出的文本，"
    "保留关键事实（时间、数字、人名），不要添加原文没有的信息。",
    "key_points": "你是中文写作助手。请列出用户给出的文本的{n}条要点，每条一行，以「- 」开头，不要添加原文没有的信息。",
}

KINDS = ("rewrite", "proofread", "summarize", "key_points", "table", "translate")


@dataclass
class WritingTool:
    """``summarize`` or ``key_points`` over ``turn.inputs['text']``."""

    kind: Literal["summarize", "key_points"]
    sentences: int = 3
    scopes: frozenset[Scope] = field(default=frozenset())

    @property
    def name(self) -> str:
        return f"writing.{self.kind}"

    def select_context(self, store: EventReader, turn: Turn) -> list[Event]:
        return []

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        text = check_text(turn.inputs.get("text"))
        system = _SYSTEM[self.kind].format(n=self.sentences)
        messages = [Message(role="system", content=system), Message(role="user", content=text)]
        return messages, Task(kind=self.kind, documents=[Document(text=text)], max_sentences=self.sentences)

    def finish(self, turn: Turn, answer: Answer, view: ScriptView) -> SummaryResult:
        text = view.restore(answer_body(answer))
        points = [ln.strip().removeprefix("- ").removeprefix("-").strip() for ln in text.splitlines() if ln.strip()]
        return SummaryResult(
            text=text,
            points=points if self.kind == "key_points" else [],
            script=view.script,
            method=method_of(answer),
            answer=answer,
        )


class SummaryResult(WritingResult):
    text: str
    points: list[str]  # key points, one per line (empty for a summary)


Finish = Callable[[Turn, Answer], WritingResult]


class WritingTools:
    """``lx.writing``: every writing tool as ``a…`` coroutines plus sync wrappers."""

    def __init__(self, lx: WritingHost) -> None:
        self._lx = lx

    def prepare(
        self,
        kind: str,
        text: str,
        *,
        tone: str | None = None,
        target: str | None = None,
        script: str | None = None,
        user_id: str = "local",
        model: str | None = None,
        sentences: int = 3,
    ) -> tuple[Turn, Finish]:
        """The turn for ``kind`` and the function that turns its answer into the result (HTTP uses both)."""
        text = check_text(text)
        view = ScriptView.of(text, script)
        tool: Any
        inputs: dict[str, object] = {"text": view.simplified}
        if kind == "rewrite":
            tool, inputs["tone"] = RewriteTool(), parse_tone(tone)
        elif kind == "proofread":
            tool = ProofreadTool(home=self._lx.settings.home)
        elif kind == "table":
            requested = model or self._lx.router.default
            tool = TableTool(lite_only=requested == "lite" or requested.startswith("lite/"))
        elif kind == "translate":
            tool, inputs = TranslateTool(), {"text": text, "target": target}
        elif kind in ("summarize", "key_points"):
            tool = WritingTool(kind, sentences)  # type: ignore[arg-type]
        else:
            raise InvalidInput(
                f"unknown writing tool {kind!r}; use one of {', '.join(KINDS)}",
                message_zh=f"未知的写作工具 {kind!r}，可选：{'、'.join(KINDS)}",
            )
        turn = self._lx.turn(tool, user_id, model=model, inputs=inputs)
        return turn, lambda t, a: tool.finish(t, a, view)

    async def arun(self, kind: str, text: str, **options: Any) -> WritingResult:
        turn, finish = self.prepare(kind, text, **options)
        try:
            answer = await self._lx.acomplete(turn)
        except ModelUnavailable as exc:
            raise needs_llm_error(exc) if turn.task and turn.task.kind == "translate" else exc from exc
        return finish(turn, answer)

    async def arewrite(self, text: str, tone: str = "正式", **options: Any) -> RewriteResult:
        result = await self.arun("rewrite", text, tone=tone, **options)
        assert isinstance(result, RewriteResult)
        return result

    async def aproofread(self, text: str, **options: Any) -> ProofreadResult:
        result = await self.arun("proofread", text, **options)
        assert isinstance(result, ProofreadResult)
        return result

    async def atable(self, text: str, **options: Any) -> TableData:
        result = await self.arun("table", text, **options)
        assert isinstance(result, TableData)
        return result

    async def atranslate(self, text: str, target: str | None = None, **options: Any) -> TranslateResult:
        result = await self.arun("translate", text, target=target, **options)
        assert isinstance(result, TranslateResult)
        return result

    async def asummarize(self, text: str, **options: Any) -> SummaryResult:
        result = await self.arun("summarize", text, **options)
        assert isinstance(result, SummaryResult)
        return result

    async def akey_points(self, text: str, **options: Any) -> SummaryResult:
        result = await self.arun("key_points", text, **options)
        assert isinstance(result, SummaryResult)
        return result

    def run(self, kind: str, text: str, **options: Any) -> WritingResult:
        """Any tool by name (``KINDS``); the CLI's entry point."""
        return asyncio.run(self.arun(kind, text, **options))

    def rewrite(self, text: str, tone: str = "正式", **options: Any) -> RewriteResult:
        """``text`` in ``tone`` (正式/友好/简洁/专业 or formal/friendly/concise/professional)."""
        return asyncio.run(self.arewrite(text, tone, **options))

    def proofread(self, text: str, **options: Any) -> ProofreadResult:
        """Edits with offsets into ``text`` (code points) and the corrected text."""
        return asyncio.run(self.aproofread(text, **options))

    def table(self, text: str, **options: Any) -> TableData:
        return asyncio.run(self.atable(text, **options))

    def translate(self, text: str, target: str | None = None, **options: Any) -> TranslateResult:
        """zh ↔ en (needs a language model); zh ↔ zh-Hant by OpenCC."""
        return asyncio.run(self.atranslate(text, target, **options))

    def summarize(self, text: str, **options: Any) -> SummaryResult:
        return asyncio.run(self.asummarize(text, **options))

    def key_points(self, text: str, **options: Any) -> SummaryResult:
        return asyncio.run(self.akey_points(text, **options))
