"""``/v1/embeddings`` with the configured on-device embedder (the tiny GGUF), driven by the OpenAI client."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import openai
import pytest

from gguf_fixture import write_random_qwen2_gguf
from lingxi import Lingxi
from lingxi.server.app import create_app
from live_server import serve


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[openai.OpenAI, Lingxi]]:
    gguf = write_random_qwen2_gguf(tmp_path_factory.mktemp("gguf") / "emb.gguf")
    home = tmp_path_factory.mktemp("emb") / "home"
    home.mkdir()
    (home / "lingxi.toml").write_text(f'[models.emb]\npath = "{gguf}"\n[embeddings]\nmodel = "emb"\nn_ctx = 128\n')
    lx = Lingxi(home)
    with serve(create_app(lx)) as (url, _):
        yield openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0, timeout=60), lx


def test_embeddings_match_the_embedder_in_both_encodings(served: tuple[openai.OpenAI, Lingxi]) -> None:
    client, lx = served
    assert lx.vectors is not None
    texts = ["今天开会讨论预算", "周末一起去爬山"]
    expected = asyncio.run(lx.vectors.embedder.embed(texts))
    floats = client.embeddings.create(model="emb", input=texts, encoding_format="float")
    packed = client.embeddings.create(model="emb", input=texts)  # the client asks for base64 and decodes it
    for r in (floats, packed):
        got = np.array([d.embedding for d in sorted(r.data, key=lambda d: d.index)], dtype=np.float32)
        assert got.shape == expected.shape and np.allclose(got, expected, atol=1e-5)
        assert r.model == "emb" and r.usage.prompt_tokens > 0
    single = client.embeddings.create(model="emb", input="你好", encoding_format="float")
    assert len(single.data) == 1 and abs(np.linalg.norm(single.data[0].embedding) - 1) < 1e-4


def test_embeddings_errors_are_readable(served: tuple[openai.OpenAI, Lingxi], tmp_path: Path) -> None:
    client, _ = served
    with pytest.raises(openai.NotFoundError) as e:
        client.embeddings.create(model="text-embedding-3-small", input="你好")
    assert "emb" in str(e.value) and e.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError):
        client.embeddings.create(model="emb", input=["  "])
    with serve(create_app(Lingxi(tmp_path / "none"))) as (url, _):  # no [embeddings]: says how to add one
        bare = openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0)
        with pytest.raises(openai.NotFoundError) as none:
            bare.embeddings.create(model="emb", input="你好")
        assert "[embeddings]" in str(none.value.body)
