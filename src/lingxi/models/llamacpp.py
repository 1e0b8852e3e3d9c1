"""The on-device tier: a GGUF model run in-process by llama.cpp, through the ``xllamacpp`` binding.

Why xllamacpp: it is the one llama.cpp binding with a prebuilt wheel that loads here (manylinux2014,
abi3, no dependencies; installs in about two seconds), and it embeds llama.cpp's own server handlers,
so the GGUF's jinja chat template, stop strings, grammars and tool-call formats behave exactly as in
``llama-server``. llama-cpp-python has no wheel and compiles for minutes on every fresh machine. The
wheel is built for generic x86-64 (AVX2, no AVX-512): decode runs at about raw llama.cpp speed, prefill
at about 0.8x. Where prefill speed matters, build the same package natively (``make native-llama``,
see ``benchmarks/README.md``): same API, raw speed, but JSON schemas then go through GBNF.

One :class:`LlamaCppModel` loads the file once and serves concurrent requests from ``slots`` parallel
sequences of llama.cpp's server. The binding starts a side HTTP server on 127.0.0.1 (a random port)
that cannot be turned off; it is given a random API key that is never exposed and its web UI is
switched off, so only this process can use it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import uuid
import weakref
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import xllamacpp as xlc  # type: ignore[import-untyped]

from lingxi.errors import InvalidInput, LingxiError, MalformedToolCall, NotFound, ProviderError
from lingxi.models.base import ChatChunk, ChatRequest, Locality, ModelInfo, ModelKind, ToolCall, Usage
from lingxi.models.llamacpp_lora import adapter_view, lora_field, lora_params

__all__ = ["LlamaCppModel", "Timings", "ToolCallParser", "parse_tool_calls"]

PROVIDER = "llamacpp"
TOOL_OPEN, TOOL_CLOSE = "<tool_call>", "</tool_call>"
#: How llama.cpp's chat parser words a tool call it cannot parse (the format's name follows).
MALFORMED = "does not match the expected"
FinishReason = Literal["stop", "length", "content_filter", "tool_calls"]


@dataclass(frozen=True)
class Timings:
    """llama.cpp's own speed measurement of one request (excludes Python and template overhead)."""

    prompt_tokens: int
    prompt_per_second: float
    predicted_tokens: int
    predicted_per_second: float


def _call_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


def _tool_call(body: str) -> ToolCall | None:
    """One Qwen tool call, ``{"name": ..., "arguments": {...}}``; None when the JSON is not that shape."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    args = data.get("arguments", {})
    if not isinstance(args, dict):
        return None
    return ToolCall(id=_call_id(), name=data["name"], arguments=json.dumps(args, ensure_ascii=False))


class ToolCallParser:
    """Cuts Qwen's ``<tool_call>{json}</tool_call>`` blocks out of streamed text as whole :class:`ToolCall` s.

    llama.cpp parses tool calls itself only once its lazy tool grammar triggers, which depends on the
    model; this parser makes text-emitted calls work regardless. Text that might still become a block
    (an open ``<tool_call>``, or a trailing ``<tool``) is held back until it is decided. A block whose
    JSON is malformed is **not** a call: it is passed through as ordinary text, so the caller sees what
    the model wrote instead of an error or a silent drop.
    """

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, text: str) -> tuple[str, list[ToolCall]]:
        """Add streamed text; return the text that is final now and the calls completed by it."""
        buf = self._pending + text
        out: list[str] = []
        calls: list[ToolCall] = []
        while (start := buf.find(TOOL_OPEN)) >= 0:
            end = buf.find(TOOL_CLOSE, start)
            if end < 0:
                break
            out.append(buf[:start])
            call = _tool_call(buf[start + len(TOOL_OPEN) : end])
            if call is None:
                out.append(buf[start : end + len(TOOL_CLOSE)])
            else:
                calls.append(call)
            buf = buf[end + len(TOOL_CLOSE) :]
        start = buf.find(TOOL_OPEN)
        if start < 0:  # hold back a tail that may be the start of "<tool_call>"
            tails = range(max(0, len(buf) - len(TOOL_OPEN) + 1), len(buf))
            start = next((i for i in tails if TOOL_OPEN.startswith(buf[i:])), len(buf))
        out.append(buf[:start])
        self._pending = buf[start:]
        return "".join(out), calls

    def flush(self) -> str:
        """End of stream: whatever was held back is plain text (e.g. an unterminated ``<tool_call>``)."""
        rest, self._pending = self._pending, ""
        return rest


def parse_tool_calls(text: str) -> tuple[str, list[ToolCall]]:
    """The text without its ``<tool_call>`` blocks, and the calls they hold (see :class:`ToolCallParser`)."""
    parser = ToolCallParser()
    visible, calls = parser.feed(text)
    return visible + parser.flush(), calls


def _check_gguf(path: Path) -> None:
    """Fail with a message naming the file: the binding itself only says "failed to init server"."""
    if not path.is_file():
        raise NotFound(
            f"model file not found: {path}",
            message_zh=f"找不到模型文件：{path}",
            hint="check the path, or download the model with `lingxi models pull NAME`",
        )
    with path.open("rb") as f:
        magic = f.read(4)
    if magic != b"GGUF":
        raise InvalidInput(
            f"not a GGUF file: {path}",
            message_zh=f"不是 GGUF 模型文件：{path}",
            hint="llama.cpp loads .gguf files only; convert or download a GGUF build of the model",
        )


def server_params(path: Path, *, n_ctx: int, threads: int | None, key: str) -> Any:
    """The binding's parameters for one GGUF: request logs and web UI off, and the side HTTP server the
    binding always starts bound to loopback and locked with ``key`` (never exposed), so only this process
    can use it."""
    params = xlc.CommonParams()
    params.model.path = str(path)
    params.n_ctx = n_ctx
    if threads:
        params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    params.verbosity = 0  # the default logs every request to stderr
    params.hostnames, params.api_keys, params.ui = ["127.0.0.1"], [key], False
    return params


def start_server(params: Any, path: Path) -> Any:
    """Load the weights: the binding's server, or a clear error naming the file."""
    try:
        return xlc.Server(params)
    except (RuntimeError, ValueError) as e:
        raise InvalidInput(
            f"llama.cpp could not load {path} (corrupt or unsupported GGUF?): {e}",
            message_zh=f"llama.cpp 无法加载模型文件 {path}（文件损坏或格式不受支持）",
            hint="re-download the file and check its sha256",
        ) from e


def _compact_json_grammar(schema: dict[str, Any]) -> str:
    """A grammar for JSON matching ``schema`` without optional whitespace.

    llama.cpp's default JSON grammar allows free whitespace, and a weak or small model can spend its
    whole token budget on it (``{\\n\\n\\t\\t…``) and never close the object. The ``x-guidance`` option
    that turns this off is honoured by ``json_schema_to_grammar`` but not inside ``response_format``,
    so the grammar is built here and sent as ``grammar``.
    """
    try:
        return cast(str, xlc.json_schema_to_grammar({**schema, "x-guidance": {"whitespace_flexible": False}}))
    except (RuntimeError, ValueError) as e:
        raise InvalidInput(
            f"unsupported JSON schema: {e}", message_zh=f"不支持的 JSON Schema：{e}", hint="simplify the schema"
        ) from e


def _error(e: BaseException | dict[str, Any]) -> LingxiError:
    """Map the binding's exceptions (ValueError: bad request) and error payloads (HTTP-like codes)."""
    if isinstance(e, LingxiError):  # already ours (e.g. the file failed to load)
        return e
    message = str(e.get("message", e)) if isinstance(e, dict) else str(e)
    if MALFORMED in message:
        return MalformedToolCall(
            f"llama.cpp could not parse the model's tool call: {message}",
            message_zh="本地模型输出的工具调用格式有误",
            provider=PROVIDER,
            retryable=True,
        )
    if isinstance(e, ValueError) or (isinstance(e, dict) and 400 <= int(e.get("code", 500)) < 500):
        return InvalidInput(f"llama.cpp rejected the request: {message}", message_zh=f"本地模型拒绝了请求：{message}")
    return ProviderError(
        f"llama.cpp failed: {message}",
        message_zh=f"本地模型运行出错：{message}",
        provider=PROVIDER,
        retryable=True,  # sampling again (e.g. after output that did not parse as a tool call) may succeed
    )


class LlamaCppModel:
    """A GGUF chat model on this device; one instance per file, shared by all requests.

    ``n_ctx`` tokens of KV cache are shared by ``slots`` parallel sequences (each request may use all of
    it); ``threads`` defaults to llama.cpp's choice; ``seed`` is the default for requests without one.
    ``timings`` holds llama.cpp's speed measurement of the last request, for benchmarks.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        name: str | None = None,
        n_ctx: int = 4096,
        threads: int | None = None,
        seed: int | None = None,
        slots: int = 1,
        adapters: Mapping[str, str | Path] | None = None,
    ) -> None:
        path = Path(path)
        _check_gguf(path)
        params = server_params(path, n_ctx=n_ctx, threads=threads, key=secrets.token_urlsafe(32))
        #: feature → LoRA adapter id on this base (see llamacpp_lora); ``adapter(feature)`` answers with it
        self.adapter_ids = lora_params(params, {f: Path(p) for f, p in (adapters or {}).items()})
        self._lora = lora_field(self.adapter_ids, None)  # the bare base: every adapter at scale 0
        params.n_parallel = slots
        params.kv_unified = True  # one KV cache shared by the slots: each request may use the whole n_ctx
        if seed is not None:
            params.sampling.seed = seed
        self._path, self._params = path, params
        self._loaded: Any = None  # the binding's server, created on first use (loading takes seconds)
        self._parent: LlamaCppModel | None = None  # an adapter view loads through the base it shares
        self._load_lock = threading.Lock()
        self._slots = slots
        # Own threads: a generation blocks its thread for seconds and must not starve the loop's default pool.
        self._threads = ThreadPoolExecutor(slots, thread_name_prefix="llamacpp")
        # A semaphore belongs to one event loop; a model shared by several loops gets one per loop.
        self._limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )
        self.timings: Timings | None = None
        self._info = ModelInfo(
            name=name or path.stem,
            provider=PROVIDER,
            locality=Locality.ON_DEVICE,
            kind=ModelKind.LLM,
            context_length=n_ctx,
            supports_json=True,
            supports_tools=True,
            description=f"GGUF model {path.name} run by llama.cpp on this device. 本机 llama.cpp 运行的 GGUF 模型。",
        )

    @property
    def info(self) -> ModelInfo:
        return self._info

    def load(self) -> Any:
        """Load the weights now (otherwise the first request does) and return the binding's server.

        Loading is deferred so that configuring several GGUFs, or listing models, costs nothing until a
        request actually needs one; a corrupt file is still reported by the request that hits it.
        """
        if self._parent is not None:
            return self._parent.load()
        with self._load_lock:
            if self._loaded is None:
                self._loaded = start_server(self._params, self._path)
            return self._loaded

    def adapter(self, feature: str) -> LlamaCppModel:
        """This model with ``feature``'s LoRA adapter applied per request (same weights, same slots)."""
        return adapter_view(self, feature)

    def __repr__(self) -> str:
        return f"LlamaCppModel({self._info.name!r})"

    def _body(self, request: ChatRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "messages": [m.openai() for m in request.messages],
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if request.max_tokens is not None:
            body["max_tokens"] = request.max_tokens
        if request.temperature is not None:
            body["temperature"] = request.temperature
        if request.seed is not None:
            body["seed"] = request.seed
            body["cache_prompt"] = False  # a reused prompt cache changes numerics: same seed, other text
        if request.stop:
            body["stop"] = request.stop
        if self._lora:  # every adapter's scale, always: an absent field would apply them all (llamacpp_lora)
            body["lora"] = self._lora
        if request.tools:
            body["tools"] = [t.openai() for t in request.tools]
            choice = request.tool_choice
            body["tool_choice"] = (
                choice if choice in ("auto", "none", "required") else {"type": "function", "function": {"name": choice}}
            )
        fmt = request.response_format
        if fmt and fmt.type != "text":
            schema = fmt.json_schema if fmt.type == "json_schema" and fmt.json_schema else {"type": "object"}
            body["grammar"] = _compact_json_grammar(schema)
        return body

    def _limit(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if loop not in self._limits:
            self._limits[loop] = asyncio.Semaphore(self._slots)
        return self._limits[loop]

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        """Stream the answer; requests beyond ``slots`` wait for a free slot.

        The binding blocks and calls back per chunk on the calling thread, so it runs in a worker thread
        that hands chunks to the event loop. Leaving the stream early makes the next callback return True,
        which stops generation; the slot is released only after the binding has returned.
        """
        body = self._body(request)
        parse = ToolCallParser() if request.tools and request.tool_choice != "none" else None
        async with self._limit():
            loop = asyncio.get_running_loop()
            queue: asyncio.Queue[dict[str, Any] | BaseException | None] = asyncio.Queue()
            stop = threading.Event()

            def on_chunk(chunk: dict[str, Any]) -> bool:
                loop.call_soon_threadsafe(queue.put_nowait, chunk)
                return stop.is_set()

            def run() -> None:
                end: BaseException | None = None
                try:
                    self.load().handle_chat_completions(body, on_chunk)
                except Exception as e:  # handed to the consumer, which raises it as a lingxi error
                    end = e
                loop.call_soon_threadsafe(queue.put_nowait, end)

            worker = loop.run_in_executor(self._threads, run)
            try:
                async for chunk in self._chunks(queue, parse):
                    yield chunk
            finally:
                stop.set()
                await worker

    async def _chunks(
        self, queue: asyncio.Queue[dict[str, Any] | BaseException | None], parse: ToolCallParser | None
    ) -> AsyncIterator[ChatChunk]:
        """Turn the binding's OpenAI-style chunk dicts into :class:`ChatChunk` s."""
        finish: FinishReason = "stop"
        usage: Usage | None = None
        calls: list[ToolCall] = []
        fragments: dict[int, dict[str, str]] = {}  # tool calls llama.cpp parsed itself, streamed in pieces
        while (item := await queue.get()) is not None:
            if isinstance(item, BaseException):
                raise _error(item) from item
            if "error" in item:
                raise _error(item["error"])
            for choice in item.get("choices", []):
                delta = choice.get("delta", {})
                text, new = parse.feed(delta.get("content") or "") if parse else (delta.get("content") or "", [])
                for piece in delta.get("tool_calls") or []:
                    frag = fragments.setdefault(piece.get("index", 0), {"id": "", "name": "", "arguments": ""})
                    fn = piece.get("function", {})
                    frag["id"] = piece.get("id") or frag["id"]
                    frag["name"] += fn.get("name") or ""
                    frag["arguments"] += fn.get("arguments") or ""
                if choice.get("finish_reason") in ("stop", "length", "content_filter", "tool_calls"):
                    finish = choice["finish_reason"]
                calls += new
                if text or new:
                    yield ChatChunk(delta=text, tool_calls=new)
            if item.get("usage"):
                usage = Usage(
                    prompt_tokens=item["usage"].get("prompt_tokens", 0),
                    completion_tokens=item["usage"].get("completion_tokens", 0),
                )
            if t := item.get("timings"):
                self.timings = Timings(
                    prompt_tokens=t.get("prompt_n", 0),
                    prompt_per_second=t.get("prompt_per_second", 0.0),
                    predicted_tokens=t.get("predicted_n", 0),
                    predicted_per_second=t.get("predicted_per_second", 0.0),
                )
        rest = parse.flush() if parse else ""
        whole = [
            ToolCall(id=f["id"] or _call_id(), name=f["name"], arguments=f["arguments"] or "{}")
            for f in fragments.values()
        ]
        if calls or whole:
            finish = "tool_calls"
        yield ChatChunk(delta=rest, tool_calls=whole, finish_reason=finish, usage=usage)
