"""The one interface every embedding backend implements (the counterpart of :class:`~lingxi.models.base.ChatModel`).

An embedder turns texts into unit-length vectors of one fixed dimension, batched: ``embed(texts)`` returns
one row per text, L2-normalised, so cosine similarity is a dot product. ``info`` says where it runs: the
vector index of a user's personal events only accepts on-device embedders, because embedding a text with a
cloud model sends that text off the device (and an embedding can be inverted back into much of its text).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from lingxi.models.base import Locality

__all__ = ["Embedder", "EmbedderInfo", "normalize"]


class EmbedderInfo(BaseModel):
    """What callers need to know about an embedding model."""

    model_config = ConfigDict(frozen=True)

    name: str
    provider: str
    locality: Locality
    dimensions: int
    description: str = ""


@runtime_checkable
class Embedder(Protocol):
    """``embed`` returns a ``float32`` array of shape ``(len(texts), info.dimensions)``, rows L2-normalised."""

    @property
    def info(self) -> EmbedderInfo: ...

    async def embed(self, texts: list[str]) -> NDArray[np.float32]: ...


def normalize(vectors: NDArray[np.floating]) -> NDArray[np.float32]:
    """Rows scaled to unit length (a zero row stays zero), as ``float32``."""
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    out: NDArray[np.float32] = np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)
    return out
