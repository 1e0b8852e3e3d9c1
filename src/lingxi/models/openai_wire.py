"""The OpenAI chat protocol on the wire, below the client policy of :mod:`lingxi.models.openai_compat`.

Server-sent events decoded from a byte stream, the error an upstream reports (a status, or an error event),
and the pause it asks for. Separate from the client so the decoding can be read and tested on its own.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
import orjson

__all__ = ["UpstreamError", "retry_after_s", "sse_data"]


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
        """The error of a read non-2xx response: ``error.message`` of an OpenAI-style body, else its text."""
        text = response.text.strip()
        try:
            body = orjson.loads(text)
        except orjson.JSONDecodeError:
            body = None
        error = body.get("error", body) if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else error if isinstance(error, str) else None
        return cls(str(message or text or f"HTTP {response.status_code}"), response.status_code, response.headers)

    @classmethod
    def from_event(cls, error: object) -> UpstreamError:
        """An ``{"error": ...}`` event mid-stream (no status: the response had already begun with a 200)."""
        message = error.get("message") if isinstance(error, dict) else None
        return cls(message if isinstance(message, str) and message else "An error occurred during streaming")


async def sse_data(chunks: AsyncIterator[bytes]) -> AsyncGenerator[bytes, None]:
    """The ``data`` of each server-sent event in a byte stream, its lines joined by newlines (WHATWG rules:
    lines end in LF, CRLF or CR; ``:`` starts a comment; one space after the colon is dropped; a blank line
    ends an event; fields other than ``data`` are ignored, as OpenAI's chat stream carries none)."""
    buf = b""
    data: list[bytes] = []
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
                    yield b"\n".join(data)
                    data = []
            elif line.startswith(b"data"):
                name, _, value = line.partition(b":")
                if name == b"data":
                    data.append(value[1:] if value.startswith(b" ") else value)
