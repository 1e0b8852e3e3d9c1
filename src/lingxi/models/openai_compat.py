"""The cloud tier: one client for every OpenAI-compatible chat endpoint.

The Chinese vendors lingxi supports and the self-hosted servers (vLLM, Ollama) all speak OpenAI's chat
protocol, each with small deviations. The deviations are data — a :class:`Quirks` value per vendor, filled
in by :mod:`lingxi.models.providers` — so this module names no vendor and has one code path for all.

The ``openai`` SDK does the protocol (auth, the HTTP call, SSE decoding, its error types); the failure
policy is lingxi's, because the router needs guarantees the SDK does not give. SDK retries are off. Retries
use full-jitter exponential backoff, only on 429, 5xx and transport failures (other 4xx would fail again),
and honour ``Retry-After`` up to a cap — a vendor asking for a longer pause gets no retry, so the router
falls back at once. Nothing is retried once a chunk has reached the caller: that text is on the user's
screen and a re-sent request would answer differently (and cost twice), so a mid-stream failure is raised as
a retryable :class:`ProviderError` or :class:`ProviderTimeout` for the router to handle. Timeouts are a
connect timeout, an idle timeout (the silence before the first byte and between chunks) and a total deadline
covering retries and backoff, so a caller with a latency budget gets an answer or an error within it. The
upstream is always streamed, even for :func:`lingxi.models.base.collect`, so streamed and collected answers
cannot drift.

The request goes through the SDK's documented generic ``post`` with ``cast_to=object``: the same HTTP call,
auth headers, status-error mapping and SSE stream as ``chat.completions.create``, but each chunk arrives as
the plain decoded JSON dict. In a cProfile of ``lingxi serve`` under load (benchmarks/README.md, "Load"),
the typed path took ~22 % of the gateway's CPU building models for every chunk (the SDK's
``construct_type``) and ~9 % walking the TypedDict annotations of every request body (its ``transform``);
lingxi reads five fields of each chunk, so it reads them from the dict.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

import httpx

if TYPE_CHECKING:  # the SDK costs ~0.6 s to import; only processes that call a cloud model pay for it
    import openai

from lingxi.errors import ProviderError, ProviderTimeout
from lingxi.models.base import ChatChunk, ChatRequest, ModelInfo, ResponseFormat, ToolCall, Usage

__all__ = ["HOP_HEADER", "FinishReason", "OpenAICompatModel", "Quirks", "RetryPolicy", "Timeouts", "retry_after_s"]

FinishReason = Literal["stop", "length", "content_filter", "tool_calls"]
#: OpenAI's finish reasons, plus its legacy name for a tool call.
_FINISH: dict[str, FinishReason] = {r: r for r in get_args(FinishReason)} | {"function_call": "tool_calls"}
#: How much of a vendor's error text goes into our message: enough to diagnose, never a whole echoed prompt.
_DETAIL_CHARS = 200
#: Sent with every upstream call; ``lingxi serve`` refuses requests carrying it, so a model whose base URL
#: points back at a lingxi server cannot make it call itself (or another lingxi) in a chain.
HOP_HEADER = "X-Lingxi-Hop"


@dataclass(frozen=True)
class Quirks:
    """How one vendor deviates from OpenAI's API. Filled in by the presets; the client only reads it.

    ``supports_stream_usage=False``: ``stream_options`` is not sent and usage stays zero — it is never
    guessed. ``supports_seed=False``: ``seed`` is not sent. ``json_schema_mode="json_object"``: a schema
    request is downgraded to plain JSON mode: the vendor no longer enforces the schema, so a caller that
    needs it validates the answer (and, as in every JSON mode, the prompt must mention "JSON").
    ``finish_reasons`` maps a vendor's own finish reasons onto OpenAI's.
    """

    extra_body: Mapping[str, Any] = field(default_factory=dict)
    supports_stream_usage: bool = True
    supports_seed: bool = True
    json_schema_mode: Literal["json_schema", "json_object"] = "json_schema"
    finish_reasons: Mapping[str, FinishReason] = field(default_factory=dict)


@dataclass(frozen=True)
class Timeouts:
    """``idle_s`` bounds every silence, including before the first byte; ``total_s`` bounds the whole call."""

    connect_s: float = 5.0
    idle_s: float = 30.0
    total_s: float = 120.0


@dataclass(frozen=True)
class RetryPolicy:
    """Full-jitter exponential backoff (sleep uniformly in ``[0, min(max, base·2^attempt)]``)."""

    max_retries: int = 2
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0
    retry_after_max_s: float = 20.0

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before retry number ``attempt`` (0-based); None = do not retry."""
        if retry_after is not None:
            return retry_after if retry_after <= self.retry_after_max_s else None
        return random.uniform(0.0, min(self.backoff_max_s, self.backoff_base_s * 2**attempt))


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


class _Turn:
    """Accumulates one streamed answer: tool-call fragments by index, the finish reason, the usage."""

    def __init__(self, quirks: Quirks) -> None:
        self._quirks = quirks
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

    def final(self) -> ChatChunk:
        calls = [
            ToolCall(id=s["id"] or f"call_{i}", name=s["name"], arguments=s["arguments"] or "{}")
            for i, s in sorted(self._calls.items())
            if s["name"]
        ]
        raw = self._finish or "stop"  # a stream that ended cleanly without saying why is a plain stop
        finish = self._quirks.finish_reasons.get(raw) or _FINISH.get(raw, "stop")
        return ChatChunk(tool_calls=calls, finish_reason="tool_calls" if calls else finish, usage=self._usage)


def _usage(raw: Mapping[str, Any]) -> Usage:
    prompt, completion = (int(raw.get(k) or 0) for k in ("prompt_tokens", "completion_tokens"))
    return Usage(prompt_tokens=prompt, completion_tokens=completion)


class OpenAICompatModel:
    """A :class:`~lingxi.models.base.ChatModel` backed by an OpenAI-compatible ``/chat/completions``.

    ``model_id`` is the vendor's id (default: ``info.name`` after the first ``/``). ``key_env`` only names
    the key's variable in error hints. ``http_client`` is for tests and proxies; lingxi otherwise creates
    its own ``httpx.AsyncClient`` per event loop, because pooled connections cannot cross loops and callers
    such as the CLI run one ``asyncio.run`` per request.
    """

    def __init__(
        self,
        info: ModelInfo,
        *,
        base_url: str,
        api_key: str | None = None,
        model_id: str | None = None,
        key_env: str | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        quirks: Quirks | None = None,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.info = info
        self.base_url = base_url
        self.model_id = model_id or info.name.split("/", 1)[-1]
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self.quirks = quirks or Quirks()
        self._api_key = api_key
        self._key_env = key_env
        self._headers = {HOP_HEADER: "1", **dict(headers or {})}
        self._http_client = http_client
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: openai.AsyncOpenAI | None = None

    def __repr__(self) -> str:
        return f"OpenAICompatModel({self.info.name!r}, base_url={self.base_url!r})"

    async def aclose(self) -> None:
        """Close the connection pool lingxi opened (an injected ``http_client`` is the caller's to close)."""
        if self._client is not None and self._http_client is None:
            await self._client.close()
        self._client = self._loop = None

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        """Stream the answer; retry only failures that happened before the first chunk was yielded."""
        params = self._params(request)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeouts.total_s
        attempt = 0
        while True:
            yielded = False
            try:  # aclosing: a caller that stops early releases the connection now, not at garbage collection
                async with aclosing(self._attempt(params, deadline)) as chunks:
                    async for chunk in chunks:
                        yielded = True
                        yield chunk
                return
            except ProviderError as exc:
                delay = self.retry.delay(attempt, exc.retry_after_s)
                last_try = yielded or not exc.retryable or attempt >= self.retry.max_retries
                if last_try or delay is None or loop.time() + delay >= deadline:
                    raise
            attempt += 1
            await asyncio.sleep(delay)

    async def _attempt(self, params: dict[str, Any], deadline: float) -> AsyncGenerator[ChatChunk, None]:
        import openai

        client = self.client()
        try:
            async with asyncio.timeout(self.remaining(deadline)):
                # ``chat.completions.create`` minus its per-request TypedDict walk and per-chunk model building
                upstream = await client.post(
                    "/chat/completions",
                    body=params,
                    cast_to=object,
                    stream=True,
                    stream_cls=openai.AsyncStream[object],
                )
        except (TimeoutError, openai.APIError) as exc:
            raise self.error(exc, "before the first chunk", "等待响应时") from exc
        turn = _Turn(self.quirks)
        iterator = aiter(upstream)
        try:
            while True:
                try:
                    async with asyncio.timeout(self.remaining(deadline)):
                        chunk = await anext(iterator)
                    text = turn.feed(chunk)
                except StopAsyncIteration:
                    break
                # Whatever the upstream iterator raises (SDK errors; raw transport errors with older SDKs;
                # malformed JSON or chunks) is the provider's failure, and retryable: another try may succeed.
                except (TimeoutError, openai.OpenAIError, httpx.HTTPError, ValueError) as exc:
                    raise self.error(exc, "mid-stream", "输出中途") from exc
                if text:
                    yield ChatChunk(delta=text)
            yield turn.final()
        finally:
            await upstream.close()

    def remaining(self, deadline: float) -> float:
        """Seconds to wait for the next step: the idle timeout, cut short by the total ``deadline`` (loop time)."""
        return max(0.0, min(self.timeouts.idle_s, deadline - asyncio.get_running_loop().time()))

    def client(self) -> openai.AsyncOpenAI:
        """The SDK client of the running event loop (an httpx client belongs to one loop), made on first use.

        Public with :meth:`remaining` and :meth:`error` so other endpoints of the same server (embeddings)
        share this transport, timeouts and error mapping instead of repeating them.
        """
        import openai

        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            timeout = httpx.Timeout(self.timeouts.total_s, connect=self.timeouts.connect_s)
            http = self._http_client or httpx.AsyncClient(timeout=timeout, follow_redirects=True)
            self._client = openai.AsyncOpenAI(
                base_url=self.base_url,
                api_key=self._api_key or "no-key",  # keyless servers (vLLM, Ollama) ignore it
                max_retries=0,
                default_headers=self._headers,
                # openai>=3 is typed for httpx2 clients but accepts httpx ones; 1.x and 2.x take httpx.
                http_client=cast(Any, http),
            )
            self._loop = loop
        return self._client

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        """The JSON request body. ``request.task`` is for classical models and is ignored."""
        q = self.quirks
        params: dict[str, Any] = {
            "model": self.model_id,
            "stream": True,
            "messages": [m.openai(images=self.info.supports_vision) for m in request.messages],
        }
        optional = {
            "stream_options": {"include_usage": True} if q.supports_stream_usage else None,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed if q.supports_seed else None,
            "stop": request.stop or None,
            "response_format": self._response_format(request.response_format),
        }
        params.update({k: v for k, v in optional.items() if v is not None})
        if request.tools:
            params["tools"] = [t.openai() for t in request.tools]
            choice = request.tool_choice
            named = choice not in ("auto", "none", "required")
            params["tool_choice"] = {"type": "function", "function": {"name": choice}} if named else choice
        params.update(q.extra_body)  # the vendor's extra members win, as the SDK's ``extra_body`` does
        return params

    def _response_format(self, fmt: ResponseFormat | None) -> dict[str, Any] | None:
        if fmt is None or fmt.type == "text":
            return None
        if fmt.type == "json_object" or fmt.json_schema is None or self.quirks.json_schema_mode == "json_object":
            return {"type": "json_object"}
        return {"type": "json_schema", "json_schema": {"name": fmt.name, "schema": fmt.json_schema}}

    def error(self, exc: Exception, where: str, where_zh: str) -> ProviderError:
        """Map a failure to lingxi's error: only timeouts, transport failures, 429 and 5xx are retryable."""
        import openai

        timed_out = isinstance(exc, TimeoutError | openai.APITimeoutError | httpx.TimeoutException)
        status = exc.status_code if isinstance(exc, openai.APIStatusError) else None
        detail = str(exc.message if isinstance(exc, openai.APIError) else exc)[:_DETAIL_CHARS]
        env, fallback = self._key_env or "the API key", "lingxi retries, then falls back to the next model"
        if timed_out:
            what, zh, hint = f"sent nothing for too long ({where})", f"响应超时（{where_zh}）", fallback
        elif status is None:
            what, zh = f"failed ({where})", f"调用失败（{where_zh}，网络或连接问题）"
            hint = f"check the network and the base URL {self.base_url}; {fallback}"
        elif status in (401, 403):
            what, zh = "rejected the API key", "API 密钥被拒绝，请检查密钥是否正确、是否有权限"
            hint = f"check {env} (export {env}=...) and that the key may use this model"
        elif status == 404:
            what, zh = f"has no model {self.model_id!r}", f"服务商没有模型 {self.model_id}，可能已改名或下线"
            hint = "check the model id in the vendor's console"
        elif status == 429:
            what, zh, hint = "is rate limiting", "请求过于频繁，已被限流", fallback
        elif status >= 500:
            what, zh, hint = "failed", "服务商出错", fallback
        else:
            what, zh = "rejected the request", f"请求被拒绝，请检查参数或内容：{detail}"
            hint = "the same request would fail again: check the parameters, or the vendor's content filter"
        retryable = status is None or status == 429 or status >= 500
        cls = ProviderTimeout if timed_out else ProviderError
        message = f"{self.info.name}: the provider {what}" + (f" (HTTP {status})" if status else "")
        return cls(
            message + (f": {detail}" if detail else ""),
            message_zh=f"模型 {self.info.name}：{zh}" + (f"（HTTP {status}）" if status else ""),
            provider=self.info.provider,
            retryable=retryable,
            status_code=status,
            retry_after_s=retry_after_s(exc.response.headers) if isinstance(exc, openai.APIStatusError) else None,
            hint=hint,
        )
