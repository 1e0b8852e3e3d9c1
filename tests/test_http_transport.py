"""The one-write transport: a request's head and body leave in one write; errors and proxies as httpx's."""

from __future__ import annotations

import asyncio
import socket
import ssl
import typing

import httpcore
import httpx
import pytest

from fake_openai import FakeOpenAI, Script
from lingxi.models.http_transport import OneWriteTransport, _OneWriteStream, transport


class _Recorder(httpcore.AsyncNetworkStream):
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.writes.append(buffer)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return b"reply"

    async def aclose(self) -> None:
        pass

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return self

    def get_extra_info(self, info: str) -> typing.Any:
        return None


def test_head_and_body_leave_in_one_write_and_each_request_after_a_read_again() -> None:
    async def go() -> list[bytes]:
        inner = _Recorder()
        stream = _OneWriteStream(inner)
        for request in ((b"HEAD1", b"body", b""), (b"HEAD2", b"")):  # a POST, then a bodiless request
            for part in request:
                await stream.write(part)
            assert await stream.read(10) == b"reply"
        await stream.write(b"HEAD3")
        await stream.write(b"chunk1")
        await stream.write(b"chunk2")  # a body in pieces: only the head waits
        await stream.read(10)
        return inner.writes

    assert asyncio.run(go()) == [b"HEAD1body", b"HEAD2", b"HEAD3chunk1", b"chunk2"]


def test_requests_through_the_transport_reach_a_real_server() -> None:
    async def go(base: str) -> tuple[int, str, int]:
        async with httpx.AsyncClient(transport=OneWriteTransport()) as client:
            models = await client.get(f"{base}/models")
            body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": "你好"}]}
            async with client.stream("POST", f"{base}/chat/completions", json=body) as r:
                text = (await r.aread()).decode()
            return models.status_code, text, r.status_code

    with FakeOpenAI({"m": Script(reply="你好！", chunks=3)}) as fake:
        status, text, chat_status = asyncio.run(go(fake.base_url))
    assert status == 200 and chat_status == 200 and "[DONE]" in text and all(c in text for c in "你好！")


def test_transport_errors_are_httpx_errors() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there

    async def go() -> None:
        async with httpx.AsyncClient(transport=OneWriteTransport()) as client:
            await client.get(f"http://127.0.0.1:{port}/")

    with pytest.raises(httpx.ConnectError):
        asyncio.run(go())


def test_a_proxy_in_the_environment_leaves_httpx_its_own_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(transport(), OneWriteTransport)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert transport() is None


def test_readability_is_asked_of_the_socket_each_time_while_other_answers_are_kept() -> None:
    """The pool's expiry check: a kept connection the server closed must read as readable at once."""

    class _Counting(_Recorder):
        def __init__(self, sock: socket.socket) -> None:
            super().__init__()
            self.sock, self.asked = sock, 0

        def get_extra_info(self, info: str) -> typing.Any:
            self.asked += 1
            return self.sock if info == "socket" else None

    ours, theirs = socket.socketpair()
    with ours, theirs:
        inner = _Counting(ours)
        stream = _OneWriteStream(inner)
        assert stream.get_extra_info("is_readable") is False
        assert stream.get_extra_info("socket") is ours and stream.get_extra_info("ssl_object") is None
        theirs.close()  # the server ends the idle connection: a read would return b"" now
        assert stream.get_extra_info("is_readable") is True
        assert inner.asked == 2  # "socket" once, "ssl_object" once: the rest came from what was kept
