"""Optional third layer: Qwen3Guard-Gen, a generative safety model, through any ``ChatModel``.

Why: the keyword and classifier layers judge surface form; a guard model judges intent in context (a
question *about* fraud versus a request *to* defraud). It costs a model call, so it runs last and, when
streaming, only at sentence ends (see :mod:`lingxi.compliance.layers`). On device it is a GGUF file run by
llama.cpp (``LlamaCppModel``); any other ``ChatModel`` serving Qwen3Guard-Gen works too.

Prompt format (Qwen3Guard-Gen model card): the guard instructions live in the model's own chat template, so
a prompt is moderated by sending it as the single ``user`` message, and a response by sending
``[user, assistant]``. Decoding is greedy. The model answers with lines such as::

    Safety: Unsafe
    Categories: Violent

(``Refusal: Yes|No`` is added when moderating a response). :func:`parse_guard_output` turns that into a
:class:`~lingxi.compliance.screen.ScreenResult`; its categories map to TC260 codes in :data:`CATEGORY_RISKS`.

Fail-safe rule: output that does not parse, or a model error, is *no verdict* (``pass`` with a
``guard:unparsed`` / ``guard:error`` score), never an exception. The guard adds recall on top of the
keyword and classifier layers, which have already run; a broken guard must not take the service down.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from typing import Literal

from lingxi.compliance.screen import ScreenResult
from lingxi.errors import LingxiError
from lingxi.models.base import ChatModel, ChatRequest, Message, collect

# Qwen3Guard categories → TC260-003 Appendix A codes (our mapping, at category level).
CATEGORY_RISKS: dict[str, str] = {
    "Violent": "A.1.6",
    "Non-violent Illegal Acts": "A.1.8",
    "Sexual Content or Sexual Acts": "A.1.6",
    "PII": "A.4.6",
    "Suicide & Self-Harm": "A.4.1",
    "Unethical Acts": "A.2.9",  # bias, hate, insults dominate its definition
    "Politically Sensitive Topics": "A.1.2",
    "Copyright Violation": "A.3.1",
    "Jailbreak": "A.1.8",  # no clean fit; the catch-all keeps it visible in audit statistics
}
_SAFETY = re.compile(r"Safety:\s*(Safe|Unsafe|Controversial)\b", re.IGNORECASE)
_CATEGORIES = re.compile("|".join(re.escape(c) for c in sorted(CATEGORY_RISKS, key=len, reverse=True)))
_REFUSAL = re.compile(r"Refusal:\s*(Yes|No)\b", re.IGNORECASE)
_SEVERITY = {"safe": 0.0, "controversial": 0.5, "unsafe": 1.0}

Severity = Literal["safe", "controversial", "unsafe"]


def parse_guard_output(output: str, *, block_controversial: bool = False) -> ScreenResult:
    """Parse Qwen3Guard-Gen output. ``Unsafe`` blocks; ``Controversial`` blocks only if asked to.

    Scores: ``unsafe`` (0 / 0.5 / 1 for safe / controversial / unsafe), one per TC260 code named, and
    ``refusal`` when the model judged a response. Unparseable output gives ``pass`` with ``unparsed``.
    """
    m = _SAFETY.search(output)
    if m is None:
        return ScreenResult("pass", (), {"unparsed": 1.0}, None)
    severity = m.group(1).lower()
    cats_line = output[m.end() :]
    risks = tuple(sorted({CATEGORY_RISKS[c] for c in _CATEGORIES.findall(cats_line)}))
    scores = {"unsafe": _SEVERITY[severity], **{code: _SEVERITY[severity] for code in risks}}
    if (r := _REFUSAL.search(output)) is not None:
        scores["refusal"] = 1.0 if r.group(1).lower() == "yes" else 0.0
    if severity == "unsafe" or (severity == "controversial" and block_controversial):
        return ScreenResult("block", risks, scores, GuardScreener.layer)
    if severity == "controversial":
        scores["review"] = 1.0
    return ScreenResult("pass", (), scores, None)


def guard_request(text: str, *, prompt: str | None = None, max_tokens: int = 64) -> ChatRequest:
    """The request for one text: a prompt alone, or (``prompt`` given) ``text`` as the model's response."""
    messages = [Message(role="user", content=text)]
    if prompt is not None:
        messages = [Message(role="user", content=prompt), Message(role="assistant", content=text)]
    return ChatRequest(messages=messages, max_tokens=max_tokens, temperature=0.0, seed=0)


class GuardScreener:
    """Qwen3Guard-Gen as a :class:`~lingxi.compliance.screen.Screener` (``layer="guard"``).

    ``screen`` is synchronous like every screener; inside a running event loop it runs the model on a
    helper thread's own loop (it blocks the caller for one model call; ``ascreen`` is the async form).
    """

    layer = "guard"

    def __init__(
        self, model: ChatModel, *, block_controversial: bool = False, window: int = 256, timeout_s: float = 30.0
    ) -> None:
        self.model = model
        self.block_controversial = block_controversial
        self.window = window
        self.timeout_s = timeout_s
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="guard")

    @property
    def lookbehind(self) -> int:
        return self.window

    async def ascreen(self, text: str, *, prompt: str | None = None) -> ScreenResult:
        try:
            result = await asyncio.wait_for(collect(self.model, guard_request(text, prompt=prompt)), self.timeout_s)
        except (LingxiError, TimeoutError, OSError, ValueError):
            return ScreenResult("pass", (), {"error": 1.0}, None)
        return parse_guard_output(result.text, block_controversial=self.block_controversial)

    def screen(self, text: str) -> ScreenResult:
        if not text.strip():
            return ScreenResult("pass")
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.ascreen(text))
        return self._pool.submit(asyncio.run, self.ascreen(text)).result()
