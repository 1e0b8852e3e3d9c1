"""Per-feature LoRA adapters on one llama.cpp base, swapped per request (tiny random model and adapters)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gguf_fixture import write_random_lora_gguf, write_random_qwen2_gguf
from lingxi.errors import InvalidInput, NotFound
from lingxi.facade import Lingxi
from lingxi.models.base import ChatRequest, Message, collect
from lingxi.models.llamacpp import LlamaCppModel
from lingxi.privacy.classify import PrivacyClass


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("lora")
    return {
        "base": write_random_qwen2_gguf(d / "tiny.gguf"),
        "replies": write_random_lora_gguf(d / "replies.gguf", seed=1),
        "proofread": write_random_lora_gguf(d / "proofread.gguf", seed=2),
    }


def _greedy(model: LlamaCppModel) -> str:
    request = ChatRequest(
        messages=[Message(role="user", content="你好，今晚一起吃饭吗？")], max_tokens=12, temperature=0
    )
    return asyncio.run(collect(model, request)).text


def test_adapters_swap_per_request_on_one_base(files: dict[str, Path]) -> None:
    plain = LlamaCppModel(files["base"], name="plain", n_ctx=512, threads=2)
    base = LlamaCppModel(
        files["base"],
        name="x",
        n_ctx=512,
        threads=2,
        adapters={"replies": files["replies"], "proofread": files["proofread"]},
    )
    replies, proofread = base.adapter("replies"), base.adapter("proofread")
    assert replies.info.name == "x+replies" and replies.load() is base.load()  # one set of weights
    without = _greedy(plain)
    # interleaved: each request gets its own adapter (or none), whatever the previous request used
    outputs = [_greedy(m) for m in (base, replies, base, proofread, replies, base)]
    assert outputs[0] == outputs[2] == outputs[5] == without  # adapters loaded but not applied: the bare base
    assert outputs[1] == outputs[4] != without
    assert outputs[3] not in (without, outputs[1])


def test_adapter_errors_are_clear(files: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        LlamaCppModel(files["base"], adapters={"replies": tmp_path / "missing.gguf"})
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a gguf")
    with pytest.raises(InvalidInput):
        LlamaCppModel(files["base"], adapters={"replies": bad})
    with pytest.raises(NotFound):
        LlamaCppModel(files["base"]).adapter("replies")


def test_adapters_from_lingxi_toml_are_routable(files: dict[str, Path], home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "lingxi.toml").write_text(
        f'[models.x]\npath = "{files["base"]}"\nn_ctx = 512\n'
        f'adapters = {{replies = "{files["replies"]}"}}\n'
        '[[routing.rules]]\nfeature = "replies*"\ncandidates = ["x+replies"]\n',
        encoding="utf-8",
    )
    lx = Lingxi(home)
    names = {m.name for m in lx.models()}
    assert {"x", "x+replies"} <= names
    assert lx.router.get("x+replies").info.locality == "on_device"
    decision = lx.router.decide(
        feature="replies.suggest", requested=None, task=None, privacy=PrivacyClass.PERSONAL, cloud_ok=False
    )
    assert decision.candidates[0].info.name == "x+replies"


def test_no_prompt_cache_reuse_across_adapters(files: dict[str, Path]) -> None:
    """llama.cpp's RAM prompt cache matches by tokens only: base on P1, adapter on P2, adapter on P1 must still give
    the adapter's own answer on P1 (it reused the base's KV while that cache was on)."""
    long = "你好，今晚一起吃饭吗？我们可以去西湖边上的那家店，顺便散散步，聊聊最近的工作和生活。" * 2

    def ask(m: LlamaCppModel, text: str) -> str:
        request = ChatRequest(messages=[Message(role="user", content=text)], max_tokens=12, temperature=0)
        return asyncio.run(collect(m, request)).text

    fresh = ask(
        LlamaCppModel(files["base"], n_ctx=1024, adapters={"replies": files["replies"]}).adapter("replies"), long
    )
    model = LlamaCppModel(files["base"], n_ctx=1024, adapters={"replies": files["replies"]})
    ask(model, long)
    ask(model.adapter("replies"), "明天的会议改到下午三点了，请通知大家。")
    assert ask(model.adapter("replies"), long) == fresh
