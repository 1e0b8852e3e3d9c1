"""EventStream: a streamed response that stops on a client's disconnect without Starlette's task group."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fake_openai import FakeOpenAI, Script
from lingxi import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app
from lingxi.server.event_stream import EventStream
from live_server import serve

SCOPE: dict[str, Any] = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}}


def _body(events: list[str], release: asyncio.Event) -> AsyncIterator[bytes]:
    async def gen() -> AsyncIterator[bytes]:
        try:
            yield b"data: first\n\n"
            await release.wait()  # an upstream that has not answered yet
            yield b"data: second\n\n"
            events.append("finished")
        finally:
            events.append("closed")

    return gen()


def test_a_finished_stream_is_written_whole_and_the_listener_is_gone() -> None:
    async def main() -> tuple[list[dict[str, Any]], list[str]]:
        events: list[str] = []
        release, never = asyncio.Event(), asyncio.Event()
        release.set()
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            await never.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await EventStream(_body(events, release), media_type="text/event-stream")(SCOPE, receive, send)
        await asyncio.sleep(0)  # the listener's cancellation is delivered
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert others == []
        return sent, events

    sent, events = asyncio.run(main())
    assert [m["type"] for m in sent] == ["http.response.start", *["http.response.body"] * 3]
    assert [m.get("body") for m in sent[1:]] == [b"data: first\n\n", b"data: second\n\n", b""]
    assert sent[-1]["more_body"] is False
    assert events == ["finished", "closed"]


def test_a_disconnect_stops_the_body_where_it_waits_and_returns_normally() -> None:
    async def main() -> tuple[list[dict[str, Any]], list[str], bool]:
        events: list[str] = []
        release = asyncio.Event()  # never set: only the disconnect can end this stream
        sent: list[dict[str, Any]] = []
        gone = asyncio.Event()

        async def receive() -> dict[str, Any]:
            await gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message.get("body") == b"data: first\n\n":
                gone.set()  # the client leaves after the first event

        async def request() -> int:  # the request's own task, as uvicorn runs it
            await EventStream(_body(events, release))(SCOPE, receive, send)
            task = asyncio.current_task()
            assert task is not None
            return task.cancelling()  # a leftover count would make a later asyncio.timeout() misfire

        # a loop bound against a hang, not a timing assertion
        pending = await asyncio.wait_for(asyncio.create_task(request()), 30)
        return sent, events, pending == 0

    sent, events, clean = asyncio.run(main())
    assert events == ["closed"]  # the generator's finally ran (an abandoned answer's audit record)
    assert [m.get("body") for m in sent[1:]] == [b"data: first\n\n"]
    assert clean  # the request's task carries no cancellation afterwards


def test_a_cancellation_from_elsewhere_goes_through() -> None:
    async def main() -> list[str]:
        events: list[str] = []
        never = asyncio.Event()

        async def receive() -> dict[str, Any]:
            await never.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            pass

        task = asyncio.create_task(EventStream(_body(events, never))(SCOPE, receive, send))
        while not task.done() and not events and len(asyncio.all_tasks()) < 3:
            await asyncio.sleep(0)
        task.cancel()  # e.g. the server shutting down
        with pytest.raises(asyncio.CancelledError):
            await task
        return events

    assert asyncio.run(main()) == ["closed"]


def test_a_failing_receive_stops_the_body_and_is_raised() -> None:
    async def main() -> list[str]:
        events: list[str] = []

        async def receive() -> dict[str, Any]:
            await asyncio.sleep(0)
            raise RuntimeError("receive broke")

        async def send(message: dict[str, Any]) -> None:
            pass

        with pytest.raises(RuntimeError, match="receive broke"):
            await asyncio.wait_for(EventStream(_body(events, asyncio.Event()))(SCOPE, receive, send), 30)
        return events

    assert asyncio.run(main()) == ["closed"]


def test_a_client_leaving_a_chat_stream_through_the_server_ends_the_turn_as_aborted(tmp_path: Path) -> None:
    """End to end under uvicorn (spec 2.3): the upstream stalls after its first piece; the client reads the
    first event and hangs up; the turn ends at once with its audit record marked aborted, not when the upstream
    would have gone on (60 s, past the loop bound below)."""
    with FakeOpenAI({"slow": Script(reply="这是回答的第一部分。" * 30, chunks=2, chunk_delay_s=60)}) as fake:
        home = tmp_path / "home"
        home.mkdir()
        (home / "lingxi.toml").write_text(
            f'default_model = "vllm/slow"\n[providers.vllm]\nbase_url = "{fake.base_url}"\nmodels = ["slow"]\n',
            encoding="utf-8",
        )
        lx = Lingxi(home)
        lx.consents.grant("local", Scope.CLOUD_PROCESSING)
        with serve(create_app(lx)) as (url, _):
            body = {"model": "vllm/slow", "stream": True, "messages": [{"role": "user", "content": "你好"}]}
            with (
                httpx.Client(timeout=30) as client,
                client.stream("POST", url + "/v1/chat/completions", json=body) as r,
            ):
                assert r.status_code == 200
                for line in r.iter_lines():
                    if line.startswith("data:"):
                        break  # the answer has begun: leaving the block closes the connection mid-answer
            deadline = time.monotonic() + 20  # a loop bound, not an assertion on time
            while not lx.audit.entries(limit=1) and time.monotonic() < deadline:
                time.sleep(0.05)
            entries = lx.audit.entries(limit=1)
    assert entries and entries[0]["finish_reason"] == "aborted"
