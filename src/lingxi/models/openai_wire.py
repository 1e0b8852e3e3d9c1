"""The OpenAI chat protocol on the wire, below the client policy of :mod:`lingxi.models.openai_compat`.

Server-sent events decoded from a byte stream, the error an upstream reports (a status, or an error event),
and the pause it asks for. Separate from the client so the decoding can be read and tested on its own.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, get_args

import httpx
import orjson

from lingxi.models.base import ChatChunk, ToolCall, Usage

__all__ = ["FinishReason", "StreamedTurn", "UpstreamError", "read_events", "read_whole", "retry_after_s", "sse_data"]

FinishReason = Literal["stop", "length", "content_filter", "tool_calls"]
#: OpenAI's finish reasons, plus its legacy name for a tool call.
_FINISH: dict[str, FinishReason] = {r: r for r in get_args(FinishReason)} | {"function_call": "tool_calls"}
#: How much of a vendor's error text goes into a message: enough to diagnose, never a whole echoed prompt.
_DETAIL_CHARS = 200


def retry_after_s(headers: Mapping[str, str]) -> float | None:
    """The pause a server asked for: ``retry-after-ms``, or ``Retry-After`` in seconds or as an HTTP date."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            if value := headers.get(name):
                return max(0.0, float(value) * scale)
        except ValueError:
            pass
    try:
        when = parsedate_to_datetime(headers.get("retry-after") or "")
    except (TypeError, ValueError):
        return None
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class UpstreamError(Exception):
    """A failure the upstream reported itself: a non-2xx ``status`` (with its headers), or, with no status,
    an ``{"error": ...}`` event in the middle of a stream. ``message`` is the vendor's own text."""

    def __init__(self, message: str, status: int | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers: Mapping[str, str] = headers or {}

    @classmethod
    def from_response(cls, response: httpx.Response) -> UpstreamError:
        """The error of a read non-2xx httpx response (see :meth:`from_body`)."""
        return cls.from_body(response.status_code, response.headers, response.content)

    @classmethod
    def from_body(cls, status: int, headers: Mapping[str, str], content: bytes) -> UpstreamError:
        """The error of a non-2xx response: ``error.message`` of an OpenAI-style body, else its text."""
        text = content.decode("utf-8", errors="replace").strip()
        try:
            body = orjson.loads(text)
        except orjson.JSONDecodeError:
            body = None
        error = body.get("error", body) if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else error if isinstance(error, str) else None
        return cls(str(message or text or f"HTTP {status}"), status, headers)

    @classmethod
    def from_event(cls, error: object) -> UpstreamError:
        """An ``{"error": ...}`` event mid-stream (no status: the response had already begun with a 200)."""
        message = error.get("message") if isinstance(error, dict) else None
        return cls(message if isinstance(message, str) and message else "An error occurred during streaming")


async def sse_data(chunks: AsyncIterator[bytes]) -> AsyncGenerator[list[bytes], None]:
    """The ``data`` of the server-sent events in a byte stream, its lines joined by newlines (WHATWG rules:
    lines end in LF, CRLF or CR; ``:`` starts a comment; one space after the colon is dropped; a blank line
    ends an event; fields other than ``data`` are ignored, as OpenAI's chat stream carries none).

    One list per network read that completed any event: a caller handles the events that arrived together
    without an ``await`` (and an idle-timeout scope) for each, which was ~8 % of a streamed call's CPU when
    the upstream is ahead of lingxi."""
    buf = b""
    data: list[bytes] = []
    for_caller: list[bytes] = []
    async for piece in chunks:
        buf += piece
        if b"\r" in buf:  # a CR at the very end may be the first half of a CRLF: kept until the next piece
            keep = buf.endswith(b"\r")
            buf = buf.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            if keep:
                buf = buf[:-1] + b"\r"
        *lines, buf = buf.split(b"\n")
        for line in lines:
            if not line:
                if data:
                    for_caller.append(b"\n".join(data))
                    data = []
            elif line.startswith(b"data"):
                name, _, value = line.partition(b":")
                if name == b"data":
                    data.append(value[1:] if value.startswith(b" ") else value)
        if for_caller:
            yield for_caller
            for_caller = []


class StreamedTurn:
    """Accumulates one streamed answer: tool-call fragments by index, the finish reason, the usage.

    ``finish_reasons`` maps a vendor's own finish reasons onto OpenAI's (its quirks)."""

    def __init__(self, finish_reasons: Mapping[str, FinishReason]) -> None:
        self._finish_reasons = finish_reasons
        self._calls: dict[int, dict[str, str]] = {}
        self._finish: str | None = None
        self._usage = Usage()

    def feed(self, chunk: object) -> str:
        """Record one upstream chunk (decoded JSON); return its answer text (reasoning content is not answer
        text). A chunk that is not an object, or whose members have the wrong types, is malformed: ValueError."""
        if not isinstance(chunk, dict):
            raise ValueError(f"a stream chunk is not a JSON object: {str(chunk)[:_DETAIL_CHARS]}")
        try:
            return self._feed(chunk)
        except (AttributeError, TypeError) as exc:  # e.g. "choices": 3, "delta": "x", "index": "a"
            raise ValueError(f"malformed stream chunk: {exc}") from exc

    def _feed(self, chunk: dict[str, Any]) -> str:
        if isinstance(chunk.get("usage"), dict):
            self._usage = _usage(chunk["usage"])
        text = []
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") or {}
            # Reasoning models stream their scratchpad as ``delta.reasoning_content``. It is dropped: it is
            # not the answer (feature parsers, labels and screening work on the answer), the vendors ask for
            # it not to be sent back in later turns, and it can restate personal data from the prompt.
            if content := delta.get("content"):
                text.append(str(content))
            for tc in delta.get("tool_calls") or ():
                slot = self._calls.setdefault(int(tc.get("index") or 0), {"id": "", "name": "", "arguments": ""})
                slot["id"] = tc.get("id") or slot["id"]
                if (function := tc.get("function")) is not None:
                    slot["name"] = slot["name"] or function.get("name") or ""  # some vendors repeat the name
                    slot["arguments"] += function.get("arguments") or ""
            if finish := choice.get("finish_reason"):
                self._finish = finish
            if isinstance(choice.get("usage"), dict):  # a few vendors put usage inside the choice
                self._usage = _usage(choice["usage"])
        return "".join(text)

    def final(self, delta: str = "") -> ChatChunk:
        """The last chunk: tool calls, finish reason, usage; ``delta`` is text that comes with it (a whole
        answer's text, which is one chunk)."""
        calls = [
            ToolCall(id=s["id"] or f"call_{i}", name=s["name"], arguments=s["arguments"] or "{}")
            for i, s in sorted(self._calls.items())
            if s["name"]
        ]
        raw = self._finish or "stop"  # a stream that ended cleanly without saying why is a plain stop
        finish = self._finish_reasons.get(raw) or _FINISH.get(raw, "stop")
        return ChatChunk(
            delta=delta, tool_calls=calls, finish_reason="tool_calls" if calls else finish, usage=self._usage
        )


def _usage(raw: Mapping[str, Any]) -> Usage:
    prompt, completion = (int(raw.get(k) or 0) for k in ("prompt_tokens", "completion_tokens"))
    return Usage(prompt_tokens=prompt, completion_tokens=completion)


def read_events(turn: StreamedTurn, batch: list[bytes]) -> tuple[list[str], bool, Exception | None]:
    """Feed the events of one network read to ``turn``: (the answer texts of the good ones, whether ``[DONE]``
    came, the failure that stopped the batch: malformed JSON or chunk, or an ``{"error": ...}`` event)."""
    texts: list[str] = []
    try:
        for data in batch:
            if data.startswith(b"[DONE]"):
                return texts, True, None
            chunk = orjson.loads(data)
            if isinstance(chunk, dict) and chunk.get("error"):
                raise UpstreamError.from_event(chunk["error"])
            if text := turn.feed(chunk):
                texts.append(text)
    except (ValueError, UpstreamError) as exc:
        return texts, False, exc
    return texts, False, None


def read_whole(turn: StreamedTurn, body: bytes) -> str:
    """Feed a whole (non-streamed) ``chat.completion`` to ``turn`` as the one event it amounts to: each
    choice's ``message`` is that choice's delta, its tool calls numbered in order as a stream would number
    them. Return its answer text. Malformed JSON or shape: ValueError; an ``{"error": ...}`` body with a 2xx
    status: :class:`UpstreamError`. Reasoning content is dropped, as in a stream."""
    data = orjson.loads(body)
    if isinstance(data, dict) and data.get("error"):
        raise UpstreamError.from_event(data["error"])
    if not isinstance(data, dict) or not isinstance(choices := data.get("choices") or [], list):
        raise ValueError(f"a chat completion is not a JSON object with choices: {str(data)[:_DETAIL_CHARS]}")
    deltas = []
    for choice in choices:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            raise ValueError(f"malformed chat completion choice: {str(choice)[:_DETAIL_CHARS]}")
        calls = message.get("tool_calls")
        if isinstance(calls, list):
            if not all(isinstance(c, dict) for c in calls):
                raise ValueError(f"malformed tool calls: {str(calls)[:_DETAIL_CHARS]}")
            message = {**message, "tool_calls": [{**c, "index": i} for i, c in enumerate(calls)]}
        deltas.append({**choice, "delta": message})
    return turn.feed({**data, "choices": deltas})
