"""Embedding backends for real: a random-weight GGUF through llama.cpp, and an OpenAI-compatible endpoint on loopback.

The GGUF's weights are random, so its vectors mean nothing; the tests check mechanics (shape, unit length,
determinism, batching, truncation, errors). Meaning is checked against :class:`FakeOpenAI`, whose vectors
are hashed character bigrams: texts sharing bigrams must come out closer than texts sharing none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from fake_openai import FakeOpenAI, Script, bigram_vector
from gguf_fixture import write_random_qwen2_gguf
from lingxi.config import Settings
from lingxi.errors import InvalidInput, MissingCredentials, NotFound, ProviderError, ProviderTimeout
from lingxi.models.base import Locality
from lingxi.models.embed_base import Embedder, EmbedderInfo
from lingxi.models.embeddings import LlamaCppEmbedder, OpenAICompatEmbedder, gguf_metadata, load_embedder
from lingxi.models.openai_compat import RetryPolicy

FAST = RetryPolicy(backoff_base_s=0.05, backoff_max_s=0.1)
TEXTS = ["今天下午三点开会", "", "明天去北京出差，记得订酒店", "晚饭吃什么？"]


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_random_qwen2_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@pytest.fixture(scope="module")
def local(tiny_gguf: Path) -> LlamaCppEmbedder:
    return LlamaCppEmbedder(tiny_gguf, name="tiny", n_ctx=128, threads=2)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def embed(e: Embedder, texts: list[str]) -> np.ndarray:
    return asyncio.run(e.embed(texts))


# --- the GGUF header reader ---------------------------------------------------------------------------


def test_header_values_come_from_the_gguf_package(tiny_gguf: Path) -> None:
    keys = {"general.architecture", "qwen2.embedding_length", "qwen2.context_length", "no.such.key"}
    meta = gguf_metadata(tiny_gguf, keys)
    assert meta["general.architecture"] == "qwen2" and meta["qwen2.embedding_length"] == 64
    assert "no.such.key" not in meta


def test_local_shape_dtype_unit_rows_and_info(local: LlamaCppEmbedder) -> None:
    assert isinstance(local, Embedder)
    assert local.info.dimensions == 64 and local.info.locality == Locality.ON_DEVICE
    assert local.pooling == "mean"  # the fixture's GGUF names no pooling
    v = embed(local, TEXTS)
    assert v.shape == (4, 64) and v.dtype == np.float32
    norms = np.linalg.norm(v, axis=1)
    assert np.allclose(norms[[0, 2, 3]], 1.0, atol=1e-5)
    assert norms[1] == 0.0  # an empty text is a zero row, never sent
    assert len({tuple(np.round(r, 4)) for r in v[[0, 2, 3]]}) == 3  # different texts, different vectors


def test_local_deterministic_and_batch_equals_one_by_one(local: LlamaCppEmbedder) -> None:
    batch = embed(local, TEXTS)
    again = embed(local, TEXTS)
    singles = np.vstack([embed(local, [t]) for t in TEXTS])
    assert np.allclose(batch, again, atol=1e-6)
    assert np.allclose(batch, singles, atol=1e-5)


def test_local_batches_larger_than_batch_size(tiny_gguf: Path, local: LlamaCppEmbedder) -> None:
    small = LlamaCppEmbedder(tiny_gguf, n_ctx=128, threads=2, batch_size=2)
    texts = [f"第{i}条笔记" for i in range(5)]
    assert np.allclose(embed(small, texts), embed(local, texts), atol=1e-5)


def test_local_empty_list(local: LlamaCppEmbedder) -> None:
    v = embed(local, [])
    assert v.shape == (0, 64) and v.dtype == np.float32


def test_local_long_text_is_truncated_to_the_context(local: LlamaCppEmbedder) -> None:
    head = "会议纪要：" + "预算讨论" * 20  # well over 128 tokens in the tiny vocabulary (bytes mostly)
    long = head + "完全不同的结尾" * 200
    v = embed(local, [long, head + "另一个结尾" * 200])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    # both are cut inside the shared head, so only the head counts: the two vectors coincide
    assert np.allclose(v[0], v[1], atol=1e-5)


def test_local_pooling_override(tiny_gguf: Path, local: LlamaCppEmbedder) -> None:
    last = LlamaCppEmbedder(tiny_gguf, n_ctx=128, threads=2, pooling="last")
    assert last.pooling == "last"
    a, b = embed(local, ["今天下午三点开会"]), embed(last, ["今天下午三点开会"])
    assert not np.allclose(a, b, atol=1e-3)


def test_local_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as e:
        LlamaCppEmbedder(tmp_path / "nope.gguf")
    assert "找不到模型文件" in e.value.message_zh


def test_local_not_a_gguf(tmp_path: Path) -> None:
    path = tmp_path / "x.gguf"
    path.write_text("不是模型" * 50)
    with pytest.raises(InvalidInput) as e:
        LlamaCppEmbedder(path)
    assert "GGUF" in e.value.message_zh


def test_local_truncated_header(tmp_path: Path, tiny_gguf: Path) -> None:
    path = tmp_path / "cut.gguf"
    path.write_bytes(tiny_gguf.read_bytes()[:2000])
    with pytest.raises(InvalidInput) as e:
        LlamaCppEmbedder(path)
    assert str(path) in str(e.value) and "GGUF 头部" in e.value.message_zh


def test_local_truncated_file_fails_before_loading(tmp_path: Path, tiny_gguf: Path) -> None:
    data = tiny_gguf.read_bytes()
    path = tmp_path / "cut.gguf"
    path.write_bytes(data[: len(data) * 9 // 10])  # header intact, tensor data missing
    with pytest.raises(InvalidInput) as err:  # the gguf reader checks the tensors against the file size
        LlamaCppEmbedder(path)
    assert "损坏" in err.value.message_zh and err.value.hint and "sha256" in err.value.hint


# --- OpenAICompatEmbedder --------------------------------------------------------------------------------


def remote(fake: FakeOpenAI, model_id: str, script: Script | None = None, **kw: object) -> OpenAICompatEmbedder:
    fake.scripts[model_id] = script or Script()
    dims = int(kw.pop("dimensions", 64))  # type: ignore[call-overload]
    info = EmbedderInfo(name=model_id, provider="fake", locality=Locality.ON_DEVICE, dimensions=dims)
    kw.setdefault("retry", FAST)
    return OpenAICompatEmbedder(info, base_url=fake.base_url, model_id=model_id, **kw)  # type: ignore[arg-type]


def test_remote_vectors_are_the_servers_normalised(fake: FakeOpenAI) -> None:
    e = remote(fake, "emb-basic")
    v = embed(e, TEXTS)
    assert v.shape == (4, 64) and v.dtype == np.float32
    expected = np.asarray(bigram_vector(TEXTS[0], 64), dtype=np.float32)
    assert np.allclose(v[0], expected / np.linalg.norm(expected), atol=1e-6)
    assert not v[1].any()
    assert [r.body["input"] for r in fake.received("emb-basic")] == [[TEXTS[0], TEXTS[2], TEXTS[3]]]


def test_remote_similar_texts_are_closer(fake: FakeOpenAI) -> None:
    v = embed(
        remote(fake, "emb-sim", dimensions=256, send_dimensions=True),
        ["明天去北京出差", "明天去北京开会", "猫咪在晒太阳"],
    )
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3


def test_remote_respects_the_batch_size(fake: FakeOpenAI) -> None:
    e = remote(fake, "emb-batch", batch_size=10)
    texts = [f"第{i}条记录" for i in range(23)]
    v = embed(e, texts)
    sizes = [len(r.body["input"]) for r in fake.received("emb-batch")]
    assert sizes == [10, 10, 3]
    assert np.allclose(v, embed(remote(fake, "emb-batch-1", batch_size=1), texts), atol=1e-6)


def test_remote_sends_dimensions_only_when_asked(fake: FakeOpenAI) -> None:
    embed(remote(fake, "emb-dims", dimensions=32, send_dimensions=True), ["你好"])
    embed(remote(fake, "emb-nodims"), ["你好"])
    assert fake.received("emb-dims")[0].body["dimensions"] == 32
    assert "dimensions" not in fake.received("emb-nodims")[0].body
    assert fake.received("emb-dims")[0].body["encoding_format"] == "float"


def test_remote_wrong_dimensions_is_an_error(fake: FakeOpenAI) -> None:
    with pytest.raises(ProviderError) as e:
        embed(remote(fake, "emb-mismatch", dimensions=128), ["你好"])  # the fake answers 64 unless asked
    assert not e.value.retryable and "dimensions" in e.value.message_zh


def test_remote_401_is_not_retried(fake: FakeOpenAI) -> None:
    with pytest.raises(ProviderError) as e:
        embed(remote(fake, "emb-401", Script(fail_status=401)), ["你好"])
    assert e.value.status_code == 401 and not e.value.retryable and "密钥" in e.value.message_zh
    assert len(fake.received("emb-401")) == 1


def test_remote_429_and_500_are_retried(fake: FakeOpenAI) -> None:
    v = embed(remote(fake, "emb-429", Script(fail_status=429, fail_times=1)), ["你好"])
    assert v.shape == (1, 64) and len(fake.received("emb-429")) == 2
    with pytest.raises(ProviderError) as e:
        embed(remote(fake, "emb-500", Script(fail_status=500, fail_times=99)), ["你好"])
    assert e.value.status_code == 500 and e.value.retryable
    assert len(fake.received("emb-500")) == 1 + FAST.max_retries


def test_remote_404_unknown_model(fake: FakeOpenAI) -> None:
    e = remote(fake, "emb-404")
    del fake.scripts["emb-404"]
    with pytest.raises(ProviderError) as err:
        embed(e, ["你好"])
    assert err.value.status_code == 404


def test_remote_timeout(fake: FakeOpenAI) -> None:
    with pytest.raises(ProviderTimeout) as e:
        embed(remote(fake, "emb-slow", Script(first_byte_delay_s=1.0), timeout_s=0.3), ["你好"])
    assert "超时" in e.value.message_zh


# --- load_embedder ----------------------------------------------------------------------------------------


def settings(home: Path, toml: str) -> Settings:
    home.mkdir(parents=True, exist_ok=True)
    (home / "lingxi.toml").write_text(toml, encoding="utf-8")
    return Settings.load(home)


def test_load_nothing_configured(tmp_path: Path) -> None:
    assert load_embedder(settings(tmp_path, "")) is None


def test_load_gguf_by_path_and_by_models_name(tmp_path: Path, tiny_gguf: Path) -> None:
    e = load_embedder(settings(tmp_path / "a", f'[embeddings]\nmodel = "{tiny_gguf}"\nn_ctx = 128\npooling = "cls"\n'))
    assert isinstance(e, LlamaCppEmbedder) and e.pooling == "cls" and e.n_ctx == 128
    toml = f'[models.emb]\npath = "{tiny_gguf}"\n\n[embeddings]\nmodel = "emb"\n'
    e = load_embedder(settings(tmp_path / "b", toml))
    assert isinstance(e, LlamaCppEmbedder) and e.info.name == "emb"
    assert embed(e, ["你好"]).shape == (1, 64)


def test_load_endpoint(tmp_path: Path, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    fake.scripts["bge-m3"] = Script()
    monkeypatch.setenv("LINGXI_TEST_EMB_KEY", "sk-test")
    toml = (
        f'[embeddings]\nbase_url = "{fake.base_url}"\nmodel_id = "bge-m3"\ndimensions = 64\n'
        'locality = "on_device"\nkey_env = "LINGXI_TEST_EMB_KEY"\nbatch_size = 2\n'
    )
    e = load_embedder(settings(tmp_path, toml))
    assert isinstance(e, OpenAICompatEmbedder) and e.info.locality == Locality.ON_DEVICE
    assert embed(e, ["一", "二", "三"]).shape == (3, 64)
    got = fake.received("bge-m3")
    assert [len(r.body["input"]) for r in got] == [2, 1]
    assert got[0].headers["authorization"] == "Bearer sk-test"


def test_load_endpoint_defaults_to_cloud(tmp_path: Path) -> None:
    toml = '[embeddings]\nbase_url = "https://dashscope.aliyuncs.com/compatible-mode/v1"\n'
    e = load_embedder(settings(tmp_path, toml + 'model_id = "text-embedding-v4"\ndimensions = 1024\n'))
    assert e is not None and e.info.locality == Locality.CLOUD


@pytest.mark.parametrize(
    ("toml", "error", "zh"),
    [
        ('model = "x.gguf"\nbase_url = "http://127.0.0.1:1/v1"\n', InvalidInput, "二选一"),
        ('base_url = "http://127.0.0.1:1/v1"\nmodel_id = "m"\n', InvalidInput, "dimensions"),
        ('model = "no-such-model"\n', NotFound, "未知模型"),
        ('model = "/nowhere/x.gguf"\n', NotFound, "找不到"),
        ('model = "qwen3-0.6b"\n', NotFound, "尚未下载"),
        ('base_url = "http://x/v1"\nmodel_id = "m"\ndimensions = 8\nkey_env = "LINGXI_NO_SUCH_KEY"\n', None, "密钥"),
    ],
)
def test_load_bad_config(tmp_path: Path, toml: str, error: type[Exception] | None, zh: str) -> None:
    with pytest.raises(error or MissingCredentials) as e:
        load_embedder(settings(tmp_path, "[embeddings]\n" + toml))
    assert zh in e.value.message_zh  # type: ignore[attr-defined]


def test_load_rejects_unknown_keys(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        settings(tmp_path, '[embeddings]\nmodle = "x"\n')
