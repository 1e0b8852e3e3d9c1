"""The wire layer of the cloud tier on its own: server-sent events split anywhere, and upstream errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from lingxi.models.openai_wire import StreamedTurn, UpstreamError, read_events, sse_data

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
        return [e async for batch in sse_data(_pieces(data, size)) for e in batch]

    return asyncio.run(go())


@pytest.mark.parametrize("size", [1, 2, 3, 7, len(STREAM)])
def test_events_are_the_same_however_the_bytes_are_split(size: int) -> None:
    assert _decode(STREAM, size) == EVENTS


def test_events_that_arrive_together_come_as_one_batch() -> None:
    async def go() -> list[list[bytes]]:
        return [batch async for batch in sse_data(_pieces(STREAM, len(STREAM)))]

    assert asyncio.run(go()) == [EVENTS]


def test_a_batch_stops_at_done_and_at_a_bad_event_keeping_the_texts_before() -> None:
    def event(text: str) -> bytes:
        return b'{"choices": [{"delta": {"content": "%s"}}]}' % text.encode()

    turn = StreamedTurn({})
    assert read_events(turn, [event("a"), b"[DONE]", event("never")]) == (["a"], True, None)
    texts, done, failure = read_events(turn, [event("b"), b'{"error": {"message": "overloaded"}}', event("c")])
    assert (texts, done) == (["b"], False) and isinstance(failure, UpstreamError) and failure.status is None
    texts, done, failure = read_events(turn, [event("d"), b"{not json"])
    assert texts == ["d"] and isinstance(failure, ValueError)


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
