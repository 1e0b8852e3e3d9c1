"""Embedding backends: a GGUF run in-process by llama.cpp, or any OpenAI-compatible ``/v1/embeddings``.

Both implement :class:`~lingxi.models.embed_base.Embedder` and are built from ``[embeddings]`` in
``lingxi.toml`` by :func:`load_embedder`::

    [embeddings]
    model = "/models/Qwen3-Embedding-0.6B-Q8_0.gguf"   # a .gguf path, a pulled name, or a [models] name

    # or an endpoint (Ollama, vLLM, DashScope, ...): locality says where it runs; the default is "cloud"
    [embeddings]
    base_url = "http://127.0.0.1:11434/v1"
    model_id = "bge-m3"
    dimensions = 1024
    locality = "on_device"

GGUF embedding models known to work with llama.cpp: Qwen3-Embedding-0.6B (``Qwen/Qwen3-Embedding-0.6B-GGUF``
on Hugging Face and ModelScope, last-token pooling, 1024 dimensions, strong on Chinese) and bge-small-zh-v1.5
/ bge-m3 GGUF conversions (CLS pooling, 512 / 1024 dimensions). None is in the pull catalog yet, because the
catalog only lists files whose sha256 and size are pinned from the publisher; download one yourself and point
``model`` at the file. The pooling a model was trained with is written in its GGUF and used by default;
``pooling`` overrides it (a model whose GGUF names none, such as a plain chat model, gets mean pooling).

Choices, and why:

- ``info.dimensions`` is read from the GGUF header (``<arch>.embedding_length``) when the embedder is built,
  by a small reader below: the ``gguf`` package is only a development dependency, and loading the weights
  just to learn a number would make every start-up (which checks ``info``) pay the load. The weights still
  load lazily, on the first :meth:`LlamaCppEmbedder.embed`, and the vector length is checked then.
- A text longer than the context is **truncated** to its first ``n_ctx`` tokens (less a few for the
  special tokens), cut with the model's own tokenizer: retrieval over long notes expects the beginning to
  count rather than the whole text to fail. Callers that want all of a long text embed it in chunks.
- An empty or whitespace-only text gets a zero row without asking the model (both backends; the endpoints
  reject empty input): it matches nothing, as it should.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import struct
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import httpx
import numpy as np
from numpy.typing import NDArray

from lingxi.config import Settings
from lingxi.errors import InvalidInput, MissingCredentials, ProviderError
from lingxi.models.base import Locality, ModelInfo, ModelKind
from lingxi.models.embed_base import Embedder, EmbedderInfo, normalize
from lingxi.models.openai_compat import OpenAICompatModel, RetryPolicy, Timeouts

if TYPE_CHECKING:
    import openai

__all__ = ["LlamaCppEmbedder", "OpenAICompatEmbedder", "gguf_metadata", "load_embedder"]

Pooling = Literal["mean", "cls", "last"]
#: llama.cpp's ``llama_pooling_type`` values (checked against ``xllamacpp.llama_pooling_type``).
POOLING_IDS: dict[str, int] = {"none": 0, "mean": 1, "cls": 2, "last": 3, "rank": 4}
#: Tokens kept free for the BOS/EOS/CLS/SEP the server adds, and for re-tokenizing a cut text slightly longer.
_SPECIAL_MARGIN = 8


def _zero_rows(n: int, d: int) -> NDArray[np.float32]:
    return np.zeros((n, d), dtype=np.float32)


def gguf_metadata(path: Path, keys: set[str]) -> dict[str, Any]:
    """The values of ``keys`` (scalars and strings) in a GGUF header, read with llama.cpp's ``gguf`` package.

    The file is memory-mapped and only its header parsed (milliseconds even for a gigabyte model), so the
    dimension is known without loading the weights.
    """
    from gguf import GGUFReader  # type: ignore[import-untyped,unused-ignore]  # 0.2 s: only when configured

    try:
        fields = GGUFReader(path).fields
        return {k: fields[k].contents() for k in keys if k in fields}
    except (OSError, ValueError, IndexError, struct.error) as e:
        raise InvalidInput(
            f"cannot read the GGUF header of {path} (corrupt or unsupported?): {e}",
            message_zh=f"无法读取模型文件 {path} 的 GGUF 头部（文件损坏或格式不受支持）",
            hint="re-download the file and check its sha256",
        ) from e


class LlamaCppEmbedder:
    """A GGUF embedding model on this device, run by llama.cpp (``xllamacpp``); one instance per file.

    ``n_ctx`` is the longest text in tokens (capped at the model's trained context; longer texts are
    truncated, see the module notes). ``pooling`` defaults to the model's own. ``batch_size`` texts go to
    llama.cpp per call. Calls run on one thread of the embedder's own, so the event loop never blocks.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        name: str | None = None,
        n_ctx: int = 512,
        threads: int | None = None,
        pooling: Pooling | None = None,
        batch_size: int = 32,
    ) -> None:
        from lingxi.models.llamacpp import _check_gguf

        path = Path(path)
        _check_gguf(path)
        arch = str(gguf_metadata(path, {"general.architecture"}).get("general.architecture", ""))
        keys = {f"{arch}.{k}" for k in ("embedding_length", "context_length", "pooling_type")}
        meta = gguf_metadata(path, keys)
        dims = meta.get(f"{arch}.embedding_length")
        if not isinstance(dims, int) or dims <= 0:
            raise InvalidInput(
                f"{path}: the GGUF header states no embedding length",
                message_zh=f"模型文件 {path} 缺少向量维度信息，无法用作向量模型",
                hint="use a GGUF embedding model, e.g. Qwen3-Embedding-0.6B",
            )
        trained = meta.get(f"{arch}.context_length")
        self.n_ctx = min(n_ctx, trained) if isinstance(trained, int) and trained > 0 else n_ctx
        own = meta.get(f"{arch}.pooling_type")
        own_name = next((k for k, v in POOLING_IDS.items() if v == own), None)
        self.pooling = pooling or (own_name if own_name in ("mean", "cls", "last") else "mean")
        self.batch_size = max(1, batch_size)
        self._path, self._threads_n = path, threads
        self._key = secrets.token_urlsafe(32)  # locks the binding's unavoidable side HTTP port
        self._server: Any = None
        self._load_lock = threading.Lock()
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="llamacpp-embed")
        self._info = EmbedderInfo(
            name=name or path.stem,
            provider="llamacpp",
            locality=Locality.ON_DEVICE,
            dimensions=dims,
            description=f"GGUF {path.name}, {self.pooling} pooling, ≤{self.n_ctx} tokens per text. 本机向量模型。",
        )

    @property
    def info(self) -> EmbedderInfo:
        return self._info

    def __repr__(self) -> str:
        return f"LlamaCppEmbedder({self._info.name!r})"

    def load(self) -> Any:
        """Load the weights now (otherwise the first ``embed`` does) and return the binding's server."""
        import xllamacpp as xlc  # type: ignore[import-untyped]

        from lingxi.models.llamacpp import server_params, start_server

        with self._load_lock:
            if self._server is None:
                params = server_params(self._path, n_ctx=self.n_ctx, threads=self._threads_n, key=self._key)
                params.embedding = True
                params.pooling_type = xlc.llama_pooling_type(POOLING_IDS[self.pooling])
                # A pooled text must fit one micro-batch, so both batch sizes are the whole context.
                params.n_batch = params.n_ubatch = self.n_ctx
                params.n_parallel = 1
                self._server = start_server(params, self._path)
            return self._server

    async def embed(self, texts: list[str]) -> NDArray[np.float32]:
        out = _zero_rows(len(texts), self._info.dimensions)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        loop = asyncio.get_running_loop()
        for start in range(0, len(todo), self.batch_size):
            rows = todo[start : start + self.batch_size]
            out[rows] = await loop.run_in_executor(self._thread, self._embed_sync, [texts[i] for i in rows])
        return out

    def _embed_sync(self, texts: list[str]) -> NDArray[np.float32]:
        from lingxi.models.llamacpp import _error

        server = self.load()
        result = server.handle_embeddings({"input": [self._fit(server, t) for t in texts]})
        if "error" in result:
            raise _error(result["error"])
        data = sorted(result["data"], key=lambda d: d["index"])
        vectors = np.asarray([d["embedding"] for d in data], dtype=np.float32)
        if vectors.shape != (len(texts), self._info.dimensions):
            raise ProviderError(
                f"{self._info.name}: llama.cpp returned vectors of shape {vectors.shape}, "
                f"expected ({len(texts)}, {self._info.dimensions})",
                message_zh=f"本地向量模型 {self._info.name} 返回的向量维度不符",
                provider="llamacpp",
                retryable=False,
            )
        return normalize(vectors)

    def _fit(self, server: Any, text: str) -> str:
        """``text`` cut to the context by the model's own tokenizer (via the side port: the binding has no call)."""
        budget = self.n_ctx - _SPECIAL_MARGIN
        if len(text.encode()) <= budget:  # a token covers at least one byte (BPE) or character (WordPiece)
            return text
        ids = self._side(server, "/tokenize", {"content": text, "add_special": False})["tokens"]
        if len(ids) <= budget:
            return text
        cut: str = self._side(server, "/detokenize", {"tokens": ids[:budget]})["content"]
        return cut.rstrip("\ufffd")  # a character split in the middle of its bytes

    def _side(self, server: Any, route: str, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._key}"}
        try:
            r = httpx.post(server.listening_address + route, json=body, headers=headers, timeout=60.0)
            r.raise_for_status()
            data: dict[str, Any] = r.json()
            return data
        except (httpx.HTTPError, ValueError) as e:
            raise ProviderError(
                f"llama.cpp {route} failed: {e}",
                message_zh=f"本地模型切分文本失败：{e}",
                provider="llamacpp",
                retryable=True,
            ) from e


class OpenAICompatEmbedder:
    """Vectors from an OpenAI-compatible ``/v1/embeddings`` (DashScope, Zhipu, OpenAI, Ollama, vLLM ...).

    Transport, timeouts, retries and the error mapping are :class:`OpenAICompatModel`'s, reused through
    an instance of it, so a 401, 429 or timeout reads the same whether a chat or an embedding call hit it.
    ``batch_size`` caps the inputs per request (DashScope's text-embedding-v3/v4 take 10). With
    ``send_dimensions`` the request asks for ``info.dimensions`` (models that can shorten their vectors);
    either way, vectors of another length are an error rather than a silently mixed index.
    """

    def __init__(
        self,
        info: EmbedderInfo,
        *,
        base_url: str,
        model_id: str,
        api_key: str | None = None,
        key_env: str | None = None,
        timeout_s: float = 60.0,
        batch_size: int = 10,
        send_dimensions: bool = False,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._info = info
        self.batch_size = max(1, batch_size)
        self.send_dimensions = send_dimensions
        as_model = ModelInfo(name=info.name, provider=info.provider, locality=info.locality, kind=ModelKind.LLM)
        self._api = OpenAICompatModel(
            as_model,
            base_url=base_url,
            api_key=api_key,
            model_id=model_id,
            key_env=key_env,
            timeouts=Timeouts(connect_s=min(5.0, timeout_s), idle_s=timeout_s, total_s=timeout_s),
            retry=retry,
            http_client=http_client,
        )

    @property
    def info(self) -> EmbedderInfo:
        return self._info

    def __repr__(self) -> str:
        return f"OpenAICompatEmbedder({self._info.name!r}, base_url={self._api.base_url!r})"

    async def aclose(self) -> None:
        await self._api.aclose()

    async def embed(self, texts: list[str]) -> NDArray[np.float32]:
        out = _zero_rows(len(texts), self._info.dimensions)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(todo), self.batch_size):
            rows = todo[start : start + self.batch_size]
            out[rows] = await self._with_retries([texts[i] for i in rows])
        return out

    async def _with_retries(self, texts: list[str]) -> NDArray[np.float32]:
        """One batch, retried like a chat call: only retryable failures, within the total deadline."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._api.timeouts.total_s
        attempt = 0
        while True:
            try:
                return await self._once(texts, deadline)
            except ProviderError as exc:
                delay = self._api.retry.delay(attempt, exc.retry_after_s)
                last = not exc.retryable or attempt >= self._api.retry.max_retries
                if last or delay is None or loop.time() + delay >= deadline:
                    raise
            attempt += 1
            await asyncio.sleep(delay)

    async def _once(self, texts: list[str], deadline: float) -> NDArray[np.float32]:
        import openai

        client: openai.AsyncOpenAI = self._api.client()
        extra: dict[str, Any] = {"dimensions": self._info.dimensions} if self.send_dimensions else {}
        try:
            async with asyncio.timeout(self._api.remaining(deadline)):
                response = await client.embeddings.create(
                    model=self._api.model_id, input=texts, encoding_format="float", **extra
                )
        except (TimeoutError, openai.APIError) as exc:
            raise self._api.error(exc, "embeddings", "生成向量时") from exc
        data = sorted(response.data, key=lambda d: d.index)
        vectors = np.asarray([d.embedding for d in data], dtype=np.float32)
        if vectors.shape != (len(texts), self._info.dimensions):
            raise ProviderError(
                f"{self._info.name}: the endpoint returned vectors of shape {vectors.shape}, "
                f"expected ({len(texts)}, {self._info.dimensions})",
                message_zh=f"向量模型 {self._info.name} 返回的向量维度与配置的 dimensions 不符",
                provider=self._info.provider,
                retryable=False,
                hint="set [embeddings] dimensions to the model's vector length (or send_dimensions = true)",
            )
        return normalize(vectors)


def load_embedder(settings: Settings) -> Embedder | None:
    """The embedder ``[embeddings]`` describes, or None when none is configured.

    It builds what is configured, cloud endpoints included; whoever stores personal vectors checks
    ``info.locality`` (the vector index accepts on-device embedders only).
    """
    cfg = settings.embeddings
    if cfg.model and cfg.base_url:
        raise InvalidInput(
            "[embeddings]: set either model (a GGUF) or base_url (an endpoint), not both",
            message_zh="[embeddings] 配置有误：model（本机 GGUF）与 base_url（服务地址）只能二选一",
            hint="remove one of them from lingxi.toml",
        )
    if cfg.model:
        from lingxi.models.pull import resolve_local

        local = settings.models.get(cfg.model)
        path = resolve_local(local.path if local else cfg.model, settings.home)
        return LlamaCppEmbedder(path, name=cfg.model, n_ctx=cfg.n_ctx, threads=cfg.threads, pooling=cfg.pooling)
    if not cfg.base_url:
        return None
    if not cfg.model_id or not cfg.dimensions:
        raise InvalidInput(
            "[embeddings]: base_url needs model_id and dimensions",
            message_zh="[embeddings] 配置不完整：使用 base_url 时必须同时设置 model_id 和 dimensions",
            hint='e.g. model_id = "bge-m3", dimensions = 1024',
        )
    api_key = None
    if cfg.key_env:
        api_key = os.environ.get(cfg.key_env)
        if not api_key:
            raise MissingCredentials(
                f"[embeddings]: the environment variable {cfg.key_env} is not set",
                message_zh=f"未设置向量服务的 API 密钥环境变量 {cfg.key_env}",
                hint=f"export {cfg.key_env}=...",
            )
    info = EmbedderInfo(
        name=cfg.model_id,
        provider="openai_compat",
        locality=Locality(cfg.locality),
        dimensions=cfg.dimensions,
        description=f"{cfg.model_id} at {cfg.base_url}",
    )
    return OpenAICompatEmbedder(
        info,
        base_url=cfg.base_url,
        model_id=cfg.model_id,
        api_key=api_key,
        key_env=cfg.key_env,
        timeout_s=cfg.timeout_s,
        batch_size=cfg.batch_size,
        send_dimensions=cfg.send_dimensions,
    )
