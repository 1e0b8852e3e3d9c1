"""The wire layer of the cloud tier on its own: server-sent events split anywhere, and upstream errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from lingxi.models.openai_wire import UpstreamError, sse_data

STREAM = (
    b": keep-alive comment\r\n"
    b'data: {"a": 1}\r\n\r\n'
    b"event: ping\n"
    b"data:first line\n"
    b"data: second line\n\n"
    b'data: {"b": 2}\r\r'
    b"data: [DONE]\n\n"
    b"data: never dispatched (no blank line)"
)
EVENTS = [b'{"a": 1}', b"first line\nsecond line", b'{"b": 2}', b"[DONE]"]


async def _pieces(data: bytes, size: int) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


def _decode(data: bytes, size: int) -> list[bytes]:
    async def go() -> list[bytes]:
        return [e async for e in sse_data(_pieces(data, size))]

    return asyncio.run(go())


@pytest.mark.parametrize("size", [1, 2, 3, 7, len(STREAM)])
def test_events_are_the_same_however_the_bytes_are_split(size: int) -> None:
    assert _decode(STREAM, size) == EVENTS


def test_a_status_error_carries_the_vendor_message_status_and_headers() -> None:
    body = b'{"error": {"message": "Invalid API key", "type": "auth"}}'
    error = UpstreamError.from_response(httpx.Response(401, content=body, headers={"retry-after": "3"}))
    assert (error.message, error.status, error.headers["retry-after"]) == ("Invalid API key", 401, "3")
    plain = UpstreamError.from_response(httpx.Response(502, content=b"Bad Gateway"))
    assert (plain.message, plain.status) == ("Bad Gateway", 502)
    assert UpstreamError.from_response(httpx.Response(500)).message == "HTTP 500"


def test_an_error_event_has_no_status() -> None:
    assert UpstreamError.from_event({"message": "overloaded"}).message == "overloaded"
    error = UpstreamError.from_event("?")
    assert error.status is None and error.message == "An error occurred during streaming"
