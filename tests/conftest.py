"""Shared fixtures: a Lingxi on a temporary home, and small ChatModel implementations for stage tests.

The models here are real implementations of the ``ChatModel`` protocol (not mocks of lingxi classes):
they let a test control exactly what a backend returns, or how it fails, to check what the path does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lingxi import Lingxi
from lingxi.models.base import ChatChunk, ChatRequest, Locality, ModelInfo, ModelKind, Usage
from lingxi.privacy.crypto import Vault


class ScriptedModel:
    """Streams ``chunks`` (or, when None, echoes the last user message in 3-character pieces).

    ``fail_before`` raises before any output; ``fail_after=k`` dies after ``k`` chunks, like a dropped stream.
    """

    def __init__(
        self,
        name: str,
        locality: Locality = Locality.CLOUD,
        chunks: list[str] | None = None,
        fail_before: Exception | None = None,
        fail_after: int | None = None,
        kind: ModelKind = ModelKind.LLM,
        cost_per_1k: float = 0.0,
    ) -> None:
        self.info = ModelInfo(
            name=name,
            provider=name,
            locality=locality,
            kind=kind,
            cost_input_per_1k_cny=cost_per_1k,
            cost_output_per_1k_cny=cost_per_1k,
        )
        self.fail_after = fail_after
        self.chunks = chunks
        self.fail_before = fail_before
        self.requests: list[ChatRequest] = []

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        self.requests.append(request)
        if self.fail_before is not None:
            raise self.fail_before
        if self.chunks is None:
            text = [m.content for m in request.messages if m.role == "user"][-1]
            pieces = [text[i : i + 3] for i in range(0, len(text), 3)]
        else:
            pieces = self.chunks
        for i, p in enumerate(pieces):
            if self.fail_after is not None and i == self.fail_after:
                raise ConnectionError("connection reset mid-stream")
            yield ChatChunk(delta=p)
        yield ChatChunk(finish_reason="stop", usage=Usage(prompt_tokens=7, completion_tokens=len(pieces)))


@pytest.fixture
def vault() -> Vault:
    return Vault(bytes(range(32)))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def lx(home: Path) -> Lingxi:
    return Lingxi(home)


@pytest.fixture
def sample(lx: Lingxi) -> Lingxi:
    """``lx`` holding the bundled sample user's week, with the consents that user gave."""
    lx.load_sample()
    return lx
