"""A real OpenAI-compatible HTTP server for tests and benchmarks, scripted per model id.

``FakeOpenAI`` serves ``POST /v1/chat/completions`` (streaming and not), ``POST /v1/embeddings`` (vectors
from :func:`bigram_vector`) and ``GET /v1/models`` with uvicorn
on 127.0.0.1, on a port it picks itself, in a background thread; it stops when the ``with`` block ends.
Clients talk to it over a real socket, so timeouts, dropped connections and ``Retry-After`` behave as they
do against a vendor. Each model id has its own :class:`Script`, so one server can play several vendors::

    with FakeOpenAI({"qwen-plus": Script(reply="你好！", chunks=3)}) as fake:
        ...  # point a client at fake.base_url
        fake.received("qwen-plus")[0].body["messages"]   # what the client sent

A JSON answer is just a ``reply`` holding JSON text. A model id with no script gets OpenAI's 404 error.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import math
import socket
import struct
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

__all__ = ["FakeOpenAI", "Received", "Script"]


@dataclass
class Script:
    """How the fake answers one model id.

    ``reply`` is streamed in ``chunks`` pieces, ``chunk_delay_s`` apart, after ``first_byte_delay_s`` (the
    delay also holds back the response headers). ``usage`` is (prompt, completion) tokens, sent only when
    the client asks with ``stream_options.include_usage`` (as OpenAI does); None sends none. The first
    ``fail_times`` requests get HTTP ``fail_status`` (with ``Retry-After: retry_after`` if set).
    ``cut_after`` drops the connection after that many reply pieces, without a final chunk (not streaming:
    halfway through the JSON body).
    ``tool_call`` is (name, arguments): the answer becomes that call, its arguments streamed in fragments.
    ``reasoning`` is streamed first as ``reasoning_content``, the way DeepSeek-R1 and Qwen3 thinking do.
    ``respond``, when set, is called with each request body and returns the :class:`Script` for that request
    (a vendor whose answers depend on the question, e.g. right on a share of quiz items).
    ``garbage_after`` sends, after that many reply pieces, a chunk that is valid JSON but not a chunk's shape.
    """

    reply: str = "好的。"
    chunks: int = 3
    chunk_delay_s: float = 0.0
    first_byte_delay_s: float = 0.0
    usage: tuple[int, int] | None = (10, 5)
    fail_status: int | None = None
    fail_times: int = 1
    retry_after: str | None = None
    cut_after: int | None = None
    tool_call: tuple[str, dict[str, Any]] | None = None
    reasoning: str = ""
    respond: Callable[[dict[str, Any]], Script] | None = None
    garbage_after: int | None = None


@dataclass(frozen=True)
class Received:
    """One request as the server saw it; header names are lower-case."""

    model: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)


class _ConnectionCut(Exception):
    """Raised inside a streaming body so uvicorn aborts the response mid-way."""


class _QuietCuts(logging.Filter):
    """A scripted cut is the test working, not a server bug: keep its traceback out of the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], _ConnectionCut))


logging.getLogger("uvicorn.error").addFilter(_QuietCuts())


def _pieces(text: str, n: int) -> list[str]:
    size = max(1, math.ceil(len(text) / max(1, n)))
    return [text[i : i + size] for i in range(0, len(text), size)]


def _error(status: int, message: str, code: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = {"error": {"message": message, "type": "invalid_request_error", "code": code}}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def bigram_vector(text: str, dims: int) -> list[float]:
    """A deterministic, unnormalised vector: each character bigram (or the lone character) adds 1 at a hashed
    position. Texts sharing character pairs come out close; nothing about meaning beyond that."""
    v = [0.0] * dims
    for g in [text[i : i + 2] for i in range(len(text) - 1)] or list(text):
        v[int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8, person=b"lingxi-test").digest()) % dims] += 1.0
    return v


class FakeOpenAI:
    """The server; ``scripts`` may be changed while it runs (e.g. one model id per test)."""

    def __init__(self, scripts: Mapping[str, Script] | None = None) -> None:
        self.scripts: dict[str, Script] = dict(scripts or {})
        self.requests: list[Received] = []
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and without it
        # Nagle + delayed ACK add ~40 ms to every response
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}/v1"
        app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/models", self._models, methods=["GET"]),
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
            ]
        )
        self.app = app  # subclasses add routes (tests/fake_finetune.py)
        config = uvicorn.Config(app, log_config=None, access_log=False, timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    def received(self, model: str) -> list[Received]:
        """The requests for ``model``, oldest first."""
        return [r for r in self.requests if r.model == model]

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.01)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    async def _models(self, request: Request) -> Response:
        data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in self.scripts]
        return JSONResponse({"object": "list", "data": data})

    async def _chat(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return _error(400, "the body is not a JSON object", "invalid_json")
        model = str(body.get("model", ""))
        self.requests.append(Received(model, body, {k.lower(): v for k, v in request.headers.items()}))
        script = self.scripts.get(model)
        if script is None:
            return _error(404, f"The model `{model}` does not exist", "model_not_found")
        if script.respond is not None:
            script = script.respond(body)
        await asyncio.sleep(script.first_byte_delay_s)
        if script.fail_status is not None and len(self.received(model)) <= script.fail_times:
            headers = {"Retry-After": script.retry_after} if script.retry_after is not None else None
            return _error(script.fail_status, f"scripted failure (HTTP {script.fail_status})", "scripted", headers)
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return StreamingResponse(self._events(model, script, include_usage), media_type="text/event-stream")
        completion = self._completion(model, script)
        if script.cut_after is not None:  # dies while sending the body: the client gets part of a JSON document
            raw = json.dumps(completion, ensure_ascii=False).encode()
            return StreamingResponse(self._cut_body(raw), media_type="application/json")
        return JSONResponse(completion)

    @staticmethod
    async def _cut_body(raw: bytes) -> AsyncIterator[bytes]:
        yield raw[: len(raw) // 2]
        raise _ConnectionCut("scripted cut inside a JSON answer")

    async def _embeddings(self, request: Request) -> Response:
        """``/v1/embeddings``: hashed character bigrams (see :func:`bigram_vector`); scripted delays and failures."""
        body = await request.json()
        model = str(body.get("model", ""))
        self.requests.append(Received(model, body, {k.lower(): v for k, v in request.headers.items()}))
        script = self.scripts.get(model)
        if script is None:
            return _error(404, f"The model `{model}` does not exist", "model_not_found")
        await asyncio.sleep(script.first_byte_delay_s)
        if script.fail_status is not None and len(self.received(model)) <= script.fail_times:
            headers = {"Retry-After": script.retry_after} if script.retry_after is not None else None
            return _error(script.fail_status, f"scripted failure (HTTP {script.fail_status})", "scripted", headers)
        texts = [body["input"]] if isinstance(body["input"], str) else body["input"]
        vectors: list[Any] = [bigram_vector(t, int(body.get("dimensions") or 64)) for t in texts]
        if body.get("encoding_format") == "base64":  # the SDK's default when a client names no format
            vectors = [base64.b64encode(struct.pack(f"<{len(v)}f", *v)).decode() for v in vectors]
        data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
        usage = {"prompt_tokens": sum(map(len, texts)), "total_tokens": sum(map(len, texts))}
        return JSONResponse({"object": "list", "model": model, "data": data, "usage": usage})

    async def _events(self, model: str, script: Script, include_usage: bool) -> AsyncIterator[str]:
        def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
            choices = [{"index": 0, "delta": delta, "finish_reason": finish}] if delta or finish else []
            chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model}
            return f"data: {json.dumps({**chunk, 'choices': choices, **extra}, ensure_ascii=False)}\n\n"

        yield event({"role": "assistant", "content": ""})
        for piece in _pieces(script.reasoning, script.chunks):
            yield event({"reasoning_content": piece})
        for i, piece in enumerate(_pieces(script.reply, script.chunks)):
            if script.cut_after is not None and i >= script.cut_after:
                raise _ConnectionCut(f"scripted cut after {i} pieces")
            if script.garbage_after is not None and i == script.garbage_after:
                yield 'data: {"id": "chatcmpl-fake", "choices": 7}\n\n'
            if i:
                await asyncio.sleep(script.chunk_delay_s)
            yield event({"content": piece})
        if script.tool_call is not None:
            name, arguments = script.tool_call
            first = {"index": 0, "id": "call_fake_1", "type": "function", "function": {"name": name, "arguments": ""}}
            yield event({"tool_calls": [first]})
            for piece in _pieces(json.dumps(arguments, ensure_ascii=False), script.chunks):
                yield event({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
        yield event({}, "tool_calls" if script.tool_call else "stop")
        if include_usage and script.usage is not None:
            yield event({}, usage=self._usage(script))
        yield "data: [DONE]\n\n"

    def _completion(self, model: str, script: Script) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": script.reply or None}
        if script.reasoning:
            message["reasoning_content"] = script.reasoning
        if script.tool_call is not None:
            name, arguments = script.tool_call
            function = {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)}
            message["tool_calls"] = [{"id": "call_fake_1", "type": "function", "function": function}]
        choice = {"index": 0, "message": message, "finish_reason": "tool_calls" if script.tool_call else "stop"}
        out: dict[str, Any] = {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model}
        return {**out, "choices": [choice], "usage": self._usage(script)}

    @staticmethod
    def _usage(script: Script) -> dict[str, int] | None:
        if script.usage is None:
            return None
        prompt, completion = script.usage
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
