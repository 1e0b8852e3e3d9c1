"""Shared fixtures: a Lingxi on a temporary home, and small ChatModel implementations for stage tests.

The models here are real implementations of the ``ChatModel`` protocol (not mocks of lingxi classes):
they let a test control exactly what a backend returns, or how it fails, to check what the path does.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import settings
from numpy.typing import NDArray

from fake_openai import bigram_vector
from lingxi import Lingxi
from lingxi.models.base import ChatChunk, ChatRequest, Locality, ModelInfo, ModelKind, Usage
from lingxi.models.embed_base import EmbedderInfo, normalize
from lingxi.privacy.crypto import Vault
from lingxi.privacy.names_model import NameModel, build_model, load_model, seed_model

# The CLI's consoles fix their width from COLUMNS when first imported. Import them now, with no COLUMNS, so each
# test's own environment decides the width (under pytest-xdist the first import could happen inside a test that
# set a narrow terminal, and later tables would be cut to it).
_columns = os.environ.pop("COLUMNS", None)
import lingxi.cli.common  # noqa: E402,F401

if _columns is not None:
    os.environ["COLUMNS"] = _columns

# Property tests check behaviour, never speed: no per-example deadline (Hypothesis' default 200 ms fails on a
# fully loaded machine, which the suite must survive).
settings.register_profile("lingxi", deadline=None)
settings.load_profile("lingxi")


@pytest.fixture(scope="session")
def seed() -> NameModel:
    """The name model that ships with lingxi (no names resource built): the name tests' recognizer."""
    return seed_model()


class NamesBuild(NamedTuple):
    """A names resource built once per session from a tiny invented folder (a build trains the re-ranker and
    the tagger: seconds of CPU even for a tiny folder, so the tests that only read a build share it)."""

    src: Path
    home: Path
    folder: Path
    manifest: dict[str, object]
    model: NameModel


def _names_build(tmp: Path, rare: str = "") -> NamesBuild:
    from test_names import write_names_folder

    src = write_names_folder(tmp / "src")
    if rare:
        with (src / "surnames.tsv").open("a", encoding="utf-8") as fh:
            fh.write(rare)
    folder, manifest = build_model(src, tmp / "home" / "names")
    return NamesBuild(src, tmp / "home", folder, manifest, load_model(tmp / "home"))


@pytest.fixture(scope="session")
def names_build(tmp_path_factory: pytest.TempPathFactory) -> NamesBuild:
    """The tiny folder's build (read it, never change it)."""
    return _names_build(tmp_path_factory.mktemp("names-build"))


@pytest.fixture(scope="session")
def names_build_rare(tmp_path_factory: pytest.TempPathFactory) -> NamesBuild:
    """The tiny folder plus three rare surnames, under a thousandth of 王 (invented counts): 宦, 羌 and 郯."""
    rare = "宦\t0.05\t3\t0\n羌\t0.05\t3\t0\n郯\t0.04\t4\t0\n"
    return _names_build(tmp_path_factory.mktemp("names-rare"), rare)


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


class BigramEmbedder:
    """A real, crude :class:`~lingxi.models.embed_base.Embedder`: hashed character bigrams (the fake OpenAI
    server's ``bigram_vector``, over letters and digits only), L2-normalised.

    Texts sharing character pairs are close; nothing about meaning beyond that. Deterministic, so vector
    tests check the index's mechanics (sealing, queue, fusion, filters), not embedding quality.
    """

    def __init__(self, name: str = "bigram", dimensions: int = 1000, locality: Locality = Locality.ON_DEVICE) -> None:
        self.info = EmbedderInfo(name=name, provider="test", locality=locality, dimensions=dimensions)
        self.calls = 0

    async def embed(self, texts: list[str]) -> NDArray[np.float32]:
        self.calls += 1
        rows = [bigram_vector("".join(c for c in t if c.isalnum()), self.info.dimensions) for t in texts]
        return normalize(np.array(rows, dtype=np.float32).reshape(len(texts), self.info.dimensions))


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
