"""The generate stage: try the routed candidates in order and always hand back one coherent answer.

Failures are handled by who has already seen what:

* **Nothing delivered yet** (the failure came before the first chunk, or the caller is not streaming and
  the failed attempt was only buffered): the next candidate starts from scratch; the caller never sees the
  failed attempt.
* **A streaming caller has already seen part of the answer**: the next language-model candidate is asked
  to *continue* (the partial answer is sent back as the assistant's turn with an instruction to go on), and
  whatever it repeats of the delivered text — a re-started answer or an overlapping tail — is cut before it
  is shown. Classical models cannot continue someone else's text, so they are skipped at that point; if no
  candidate can continue, the answer ends with an honest note that it is incomplete.

A model whose tool call did not parse (:class:`~lingxi.errors.MalformedToolCall`) is first asked again
without tools, continuing whatever was delivered: a formatting slip of one sample should not send the turn
to another tier (for an on-device model, possibly to the cloud).

Each switch is recorded on the turn (``turn.fallbacks`` with how many characters had been delivered) and
reported to the per-provider :class:`~lingxi.models.health.Health` (circuit breaker and latency window).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from lingxi.errors import MalformedToolCall, ModelUnavailable
from lingxi.models.base import ChatRequest, Message, ModelKind, Usage
from lingxi.models.health import Health
from lingxi.pipeline.turn import Fallback, Turn

CONTINUE_PROMPT = "（上一条回答在此处中断了。请紧接着中断处继续写完，不要重复已经写出的内容，也不要做任何解释。）"
INCOMPLETE_NOTE = "\n（模型连接中断，以上回答可能不完整。）"
#: How much of a continuation is held back before deciding whether it overlaps the delivered text.
HOLD_CHARS = 32
MAX_OVERLAP = 200


class OverlapTrimmer:
    """Cuts from a continuation whatever repeats the text the caller has already seen.

    Two repetitions are common: the new model starts the whole answer again (its output begins with the
    delivered text), or it resumes a few words early (its start overlaps the delivered tail). The trimmer
    holds the continuation back until it can tell which, then passes the rest through unchanged.
    """

    def __init__(self, delivered: str) -> None:
        self.prev = delivered
        self.buf = ""
        self.done = False

    def feed(self, delta: str) -> str:
        if self.done:
            return delta
        self.buf += delta
        if self.prev.startswith(self.buf) or (len(self.buf) < HOLD_CHARS and not self.buf.startswith(self.prev)):
            return ""  # still a possible restart or overlap: keep holding
        return self._decide()

    def flush(self) -> str:
        return "" if self.done else self._decide()

    def _decide(self) -> str:
        self.done = True
        buf, prev = self.buf, self.prev
        if buf.startswith(prev):
            return buf[len(prev) :]
        if prev.startswith(buf):
            return ""
        for k in range(min(len(prev), len(buf), MAX_OVERLAP), 1, -1):
            if prev.endswith(buf[:k]):
                return buf[k:]
        return buf


def continuation(request: ChatRequest, delivered: str) -> ChatRequest:
    """The same request, asking to continue after ``delivered``."""
    messages = [
        *request.messages,
        Message(role="assistant", content=delivered),
        Message(role="user", content=CONTINUE_PROMPT),
    ]
    return request.model_copy(update={"messages": messages})


class Generate:
    """Try candidates in order; see the module docstring for how failures are handled."""

    def __init__(self, health: Health) -> None:
        self.health = health

    async def run(self, turn: Turn) -> None:
        if turn.refusal is not None:
            turn.output = _refuse(turn)
        elif not turn.messages:  # the feature found nothing to work on (e.g. no new notifications)
            turn.output = _empty()
        else:
            turn.output = self._generate(turn)

    async def _generate(self, turn: Turn) -> AsyncIterator[str]:
        o = turn.options
        base = ChatRequest(
            messages=turn.messages,
            task=turn.task,
            max_tokens=o.max_tokens,
            temperature=o.temperature,
            seed=o.seed,
            stop=list(o.stop),
            tools=list(turn.tools),
            tool_choice=turn.tool_choice,
            response_format=turn.response_format,
            stream=turn.streaming,  # a caller that waits for the whole answer lets the model send it whole
        )
        delivered = ""
        for model in turn.candidates:
            info = model.info
            if delivered and info.kind is ModelKind.CLASSICAL:
                turn.skipped[info.name] = "cannot continue a partial answer"
                continue
            if not self.health.allow(info.provider):
                turn.skipped[info.name] = "circuit open after repeated failures"
                continue
            request: ChatRequest | None = base
            while request is not None:
                attempt = continuation(request, delivered) if delivered else request
                trimmer = OverlapTrimmer(delivered) if delivered else None
                held: list[str] = []  # a non-streaming caller gets the attempt only once it succeeded
                started, ttft_ms, outcome = time.perf_counter(), None, "released"
                tail = ""
                try:
                    async for chunk in model.stream(attempt):
                        if ttft_ms is None:
                            ttft_ms = (time.perf_counter() - started) * 1000
                            turn.answered_by = info
                        if chunk.finish_reason:
                            turn.finish_reason = chunk.finish_reason
                        if chunk.usage:
                            turn.usage = _add(turn.usage, chunk.usage)
                        turn.tool_calls.extend(chunk.tool_calls)
                        piece = trimmer.feed(chunk.delta) if trimmer else chunk.delta
                        if piece and turn.streaming:
                            delivered += piece
                            yield piece
                        elif piece:
                            held.append(piece)
                    tail = trimmer.flush() if trimmer else ""
                    if tail and turn.streaming:
                        delivered += tail
                        yield tail
                    outcome = "success"
                    elapsed_ms = (time.perf_counter() - started) * 1000
                    self.health.success(info.provider, elapsed_ms if ttft_ms is None else ttft_ms)
                except Exception as exc:  # any backend failure: record it, then retry or hand over
                    turn.fallbacks.append(Fallback(info.name, f"{type(exc).__name__}: {exc}", len(delivered)))
                    turn.answered_by, turn.tool_calls = None, []
                    request = _without_tools(request, exc)
                    if request is None:  # not a tool-call slip: the provider failed
                        outcome = "failure"
                        self.health.failure(info.provider, f"{type(exc).__name__}: {exc}")
                    continue
                finally:
                    if outcome == "released":  # the caller stopped reading, or the same model tries again
                        self.health.release(info.provider)
                if not turn.streaming and (held or tail):
                    yield "".join(held) + tail
                return
        if delivered:
            turn.finish_reason = "error"
            yield INCOMPLETE_NOTE
            return
        tried = "; ".join(f"{f.model}: {f.error}" for f in turn.fallbacks) or "none could be tried"
        raise ModelUnavailable(
            f"every candidate model failed ({tried})",
            message_zh=f"候选模型均不可用（{'、'.join(f.model for f in turn.fallbacks) or '无可尝试的模型'}）",
            hint="check `lingxi models list` and the provider status",
        )


def _without_tools(request: ChatRequest, exc: Exception) -> ChatRequest | None:
    """The request to try again on the same model after ``exc``, or None to move to the next candidate.

    Only a malformed tool call, when the model was free to answer in text (``tool_choice="auto"``), is
    retried: the same model, asked without tools, still answers on its own tier.
    """
    if isinstance(exc, MalformedToolCall) and request.tools and request.tool_choice == "auto":
        return request.model_copy(update={"tools": [], "tool_choice": "none"})
    return None


def _add(a: Usage, b: Usage) -> Usage:
    return Usage(
        prompt_tokens=a.prompt_tokens + b.prompt_tokens, completion_tokens=a.completion_tokens + b.completion_tokens
    )


async def _refuse(turn: Turn) -> AsyncIterator[str]:
    turn.finish_reason = "content_filter"
    yield turn.refusal or ""


async def _empty() -> AsyncIterator[str]:
    return
    yield  # pragma: no cover - makes this an async generator
