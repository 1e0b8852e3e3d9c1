"""The cloud tier: one client for every OpenAI-compatible chat endpoint.

The Chinese vendors lingxi supports and the self-hosted servers (vLLM, Ollama) all speak OpenAI's chat
protocol, each with small deviations. The deviations are data — a :class:`Quirks` value per vendor, filled
in by :mod:`lingxi.models.providers` — so this module names no vendor and has one code path for all.

Chat calls go straight to the upstream (:mod:`lingxi.models.upstream`): by default an aiohttp session
(:mod:`lingxi.models.upstream_aiohttp`), one per model and event loop; httpx when a client is injected or the
environment names a proxy. A JSON body (orjson), the bearer key and the hop header, the response's
server-sent events decoded here (:func:`sse_data`), each chunk read as a plain dict. The answer texts of the
events that arrived in one network read are yielded as one :class:`ChatChunk`: every stage after the model
(restore, screening, labels, audit, the SSE writer) then runs once per read instead of once per token, which
was most of a streamed call's CPU when the upstream is ahead of lingxi; when it is not, a read holds one event
and nothing changes. The text is the same, only cut at fewer places, which every stage already allows (a
placeholder or a blocked phrase may straddle any cut). A caller that reads only the whole answer
(``ChatRequest.stream`` false) gets it the same way, as one chunk, from a plain JSON response: the server
sends one body instead of ~50 events, and lingxi parses one JSON document instead of as many. Under load the
``openai`` SDK's generic ``post`` cost more than the HTTP call it wraps (per-call option models, header
merging, its auth-retry layer, its stream class): ~14 % of the gateway's CPU in a py-spy profile of
``benchmarks/bench_gateway.py``. What the SDK did that lingxi relies on is kept: a non-2xx status is an error
carrying the status, the vendor's message and ``Retry-After``; an ``{"error": ...}`` event mid-stream is an
error; ``[DONE]`` ends the stream. The SDK stays for embeddings (:meth:`OpenAICompatModel.client`), on an
httpx pool whose transport sends each request in one socket write (:mod:`lingxi.models.http_transport`).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import httpx
import orjson

if TYPE_CHECKING:  # the SDK costs ~0.6 s to import; only processes that call a cloud model pay for it
    import openai

from lingxi.errors import ProviderError, ProviderTimeout
from lingxi.models.base import ChatChunk, ChatRequest, ModelInfo, ResponseFormat
from lingxi.models.http_transport import transport as one_write_transport
from lingxi.models.openai_wire import (
    FinishReason,
    StreamedTurn,
    UpstreamError,
    read_events,
    read_whole,
    retry_after_s,
    sse_data,
)
from lingxi.models.upstream import HttpxUpstream, Upstream, UpstreamResponse, proxy_named

__all__ = [
    "HOP_HEADER",
    "FinishReason",
    "OpenAICompatModel",
    "Quirks",
    "RetryPolicy",
    "Timeouts",
    "UpstreamError",
    "retry_after_s",
    "sse_data",
]

#: How much of a vendor's error text goes into our message: enough to diagnose, never a whole echoed prompt.
_DETAIL_CHARS = 200
#: How long the rest of a finished stream may take to arrive before its connection is dropped instead.
_DRAIN_S = 0.5
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
    """``idle_s`` bounds every silence of a stream, including before the first byte; ``total_s`` bounds the
    whole call, and alone the wait for a whole (non-streamed) answer, which is silent until it is complete."""

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


class OpenAICompatModel:
    """A :class:`~lingxi.models.base.ChatModel` backed by an OpenAI-compatible ``/chat/completions``.

    ``model_id`` is the vendor's id (default: ``info.name`` after the first ``/``). ``key_env`` only names
    the key's variable in error hints. ``http_client`` is for tests and custom transports: chat calls then
    go through it. Otherwise lingxi makes its own connection pools per event loop (an aiohttp session for chat,
    an ``httpx.AsyncClient`` for embeddings), because pooled connections cannot cross loops and callers such
    as the CLI run one ``asyncio.run`` per request.
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
        #: every chat call's headers, built once: a keyless server (vLLM, Ollama) ignores the placeholder key
        self._chat_headers = {
            "Authorization": f"Bearer {api_key or 'no-key'}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            **self._headers,
        }
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._http_client = http_client
        self._loop: asyncio.AbstractEventLoop | None = None
        self._http: httpx.AsyncClient | None = None
        self._client: openai.AsyncOpenAI | None = None
        self._upstream: tuple[asyncio.AbstractEventLoop, Upstream] | None = None

    def __repr__(self) -> str:
        return f"OpenAICompatModel({self.info.name!r}, base_url={self.base_url!r})"

    async def aclose(self) -> None:
        """Close the connection pool lingxi opened (an injected ``http_client`` is the caller's to close)."""
        if self._http is not None and self._http_client is None:
            await self._http.aclose()
        if self._upstream is not None:
            await self._upstream[1].aclose()
        self._http = self._client = self._loop = self._upstream = None

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
        upstream = self.upstream()
        body = orjson.dumps(params)
        response: UpstreamResponse | None = None
        streamed: bool = params["stream"]
        # A whole answer sends nothing until it is complete: only the call's deadline bounds that wait, as a
        # long answer may take longer than any silence a stream is allowed.
        wait_s = self.remaining(deadline) if streamed else max(0.0, deadline - asyncio.get_running_loop().time())
        turn = StreamedTurn(self.quirks.finish_reasons)
        try:
            async with asyncio.timeout(wait_s):
                response = await upstream.send(body, stream=streamed)
                if not 200 <= response.status < 300:
                    raise UpstreamError.from_body(response.status, response.headers, await response.aread())
                # the whole answer is one chunk, read as a stream's events are (a malformed body is retryable:
                # nothing has reached the caller yet)
                whole = None if streamed else read_whole(turn, await response.aread())
        except (TimeoutError, httpx.HTTPError, UpstreamError, ValueError) as exc:
            if response is not None:
                await response.aclose()
            raise self.error(exc, "before the first chunk", "等待响应时") from exc
        if whole is not None:
            await response.aclose()
            yield turn.final(whole)
            return
        batches = sse_data(response.aiter_bytes())
        try:
            done = False
            while not done:
                try:
                    async with asyncio.timeout(self.remaining(deadline)):
                        batch = await anext(batches)
                except StopAsyncIteration:
                    break
                # Whatever the stream raises (transport errors, malformed JSON or chunks, an error event) is
                # the provider's failure, and retryable: another try may succeed.
                except (TimeoutError, httpx.HTTPError) as exc:
                    raise self.error(exc, "mid-stream", "输出中途") from exc
                texts, done, failure = read_events(turn, batch)
                if texts:  # one chunk per network read; what arrived before a bad event still reaches the caller
                    yield ChatChunk(delta=texts[0] if len(texts) == 1 else "".join(texts))
                if failure is not None:
                    raise self.error(failure, "mid-stream", "输出中途") from failure
            yield turn.final()
            await _drain(batches)
        finally:
            await batches.aclose()
            await response.aclose()

    def upstream(self) -> Upstream:
        """Where chat calls go on the running event loop (connections cannot cross loops): the injected
        ``http_client``, else an aiohttp session, else (a proxy in the environment) httpx's own client."""
        loop = asyncio.get_running_loop()
        if self._upstream is None or self._upstream[0] is not loop:
            upstream: Upstream
            if self._http_client is not None or proxy_named():
                upstream = HttpxUpstream(self.http(), self._url, self._chat_headers)
            else:  # imported here: aiohttp takes ~0.3-0.5 s to import, paid only by processes that call a cloud model
                from lingxi.models.upstream_aiohttp import AiohttpUpstream

                upstream = AiohttpUpstream(self._url, self._chat_headers, connect_s=self.timeouts.connect_s)
            self._upstream = (loop, upstream)
        return self._upstream[1]

    def remaining(self, deadline: float) -> float:
        """Seconds to wait for the next step: the idle timeout, cut short by the total ``deadline`` (loop time)."""
        return max(0.0, min(self.timeouts.idle_s, deadline - asyncio.get_running_loop().time()))

    def http(self) -> httpx.AsyncClient:
        """The connection pool of the running event loop (an httpx client belongs to one loop), made on first
        use: the injected ``http_client`` if there is one."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._loop is not loop:
            timeout = httpx.Timeout(self.timeouts.total_s, connect=self.timeouts.connect_s)
            self._http = self._http_client or httpx.AsyncClient(
                timeout=timeout, follow_redirects=True, transport=one_write_transport()
            )
            self._client = None
            self._loop = loop
        return self._http

    def client(self) -> openai.AsyncOpenAI:
        """An SDK client on :meth:`http`'s pool, for endpoints other than chat (embeddings).

        Public with :meth:`remaining` and :meth:`error` so other endpoints of the same server share this
        transport, timeouts and error mapping instead of repeating them.
        """
        import openai

        http = self.http()
        if self._client is None:
            self._client = openai.AsyncOpenAI(
                base_url=self.base_url,
                api_key=self._api_key or "no-key",  # keyless servers (vLLM, Ollama) ignore it
                max_retries=0,
                default_headers=self._headers,
                # openai>=3 is typed for httpx2 clients but accepts httpx ones; 1.x and 2.x take httpx.
                http_client=cast(Any, http),
            )
        return self._client

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        """The JSON request body. ``request.task`` is for classical models and is ignored."""
        q = self.quirks
        params: dict[str, Any] = {
            "model": self.model_id,
            "stream": request.stream,
            "messages": [m.openai(images=self.info.supports_vision) for m in request.messages],
        }
        optional = {
            "stream_options": {"include_usage": True} if q.supports_stream_usage and request.stream else None,
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
        """Map a failure to lingxi's error: only timeouts, transport failures, 429 and 5xx are retryable.

        ``exc`` is a chat call's (:class:`UpstreamError`, httpx, timeout, malformed data) or, from the
        embeddings endpoint, one of the SDK's; the SDK is imported only to read the latter.
        """
        status: int | None = None
        headers: Mapping[str, str] | None = None
        timed_out = isinstance(exc, TimeoutError | httpx.TimeoutException)
        detail = str(exc)
        if isinstance(exc, UpstreamError):
            status, headers, detail = exc.status, exc.headers, exc.message
        elif type(exc).__module__.startswith("openai"):
            import openai

            timed_out = timed_out or isinstance(exc, openai.APITimeoutError)
            if isinstance(exc, openai.APIStatusError):
                status, headers = exc.status_code, exc.response.headers
            detail = str(exc.message if isinstance(exc, openai.APIError) else exc)
        detail = detail[:_DETAIL_CHARS]
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
            retry_after_s=retry_after_s(headers) if headers is not None else None,
            hint=hint,
        )


async def _drain(events: AsyncIterator[list[bytes]]) -> None:
    """Read what follows ``[DONE]`` (usually just the end of the body), briefly: a response closed before its
    end closes its connection too, and a new TCP connection per call cost ~4 % of the gateway's CPU. An
    upstream that keeps talking past ``[DONE]`` loses the connection instead of delaying anyone."""
    try:
        async with asyncio.timeout(_DRAIN_S):
            async for _ in events:
                pass
    except (TimeoutError, httpx.HTTPError):
        pass
