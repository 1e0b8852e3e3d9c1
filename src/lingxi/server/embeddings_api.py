"""``POST /v1/embeddings``: OpenAI's embeddings endpoint, served by the configured on-device embedder.

The embedder is the one ``[embeddings]`` configures for semantic search (:mod:`lingxi.models.embeddings`),
so an app can embed its own texts with the same model lingxi's vector index uses. Only on-device embedders
back the index, so the texts sent here stay on this machine. ``encoding_format`` ``base64`` (what the
official Python client asks for by default) is little-endian float32, as OpenAI sends it.
"""

from __future__ import annotations

import base64
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from lingxi.errors import InvalidInput, ModelNotFound
from lingxi.facade import Lingxi
from lingxi.text import count_tokens

MAX_INPUTS = 256


class EmbeddingRequest(BaseModel):
    """The subset of OpenAI's request lingxi honours (token-id input is not supported)."""

    model_config = ConfigDict(extra="ignore")

    model: str = Field(min_length=1)
    input: str | list[str] = Field(description=f"a text or up to {MAX_INPUTS} texts")
    encoding_format: Literal["float", "base64"] = "float"
    # no `user`: embedding touches no user's data (OpenAI's optional field is accepted and ignored)

    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)


def router(lx: Lingxi) -> APIRouter:
    api = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])

    @api.post("/embeddings", summary="Embed texts with the configured on-device embedder (OpenAI shape)")
    async def embeddings(body: EmbeddingRequest) -> dict[str, Any]:
        embedder = lx.vectors.embedder if lx.vectors is not None else None
        if embedder is None:
            raise ModelNotFound(
                "no embedding model is configured",
                message_zh="尚未配置向量模型（embedding）",
                hint='add [embeddings] model = "<a GGUF>" to lingxi.toml (see `lingxi index status`)',
            )
        name = embedder.info.name
        if body.model != name:
            raise ModelNotFound(
                f"unknown embedding model {body.model!r}; this server embeds with {name!r}",
                message_zh=f"未知的向量模型 {body.model!r}，本服务使用 {name!r}",
                hint=f'use model="{name}"',
            )
        texts = body.texts()
        if not 1 <= len(texts) <= MAX_INPUTS or not all(t.strip() for t in texts):
            raise InvalidInput(
                f"input must be 1..{MAX_INPUTS} non-empty texts",
                message_zh=f"input 必须是 1 到 {MAX_INPUTS} 条非空文本",
            )
        vectors = await embedder.embed(texts)
        rows: list[Any] = (
            [base64.b64encode(v.astype("<f4").tobytes()).decode("ascii") for v in vectors]
            if body.encoding_format == "base64"
            else [[float(x) for x in v] for v in vectors]
        )
        tokens = sum(count_tokens(t) for t in texts)
        return {
            "object": "list",
            "data": [{"object": "embedding", "index": i, "embedding": row} for i, row in enumerate(rows)],
            "model": name,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }

    return api
