"""Every feature on the on-device tier: a tiny random-weight GGUF through llama.cpp, for real.

Random weights write nonsense, which is the point: what code computes (sums, edits found by rules, the
number of reply candidates, priorities) must hold whatever the model writes, the answer must say that an
on-device language model wrote it, and no parser may crash on garbage.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gguf_fixture import write_random_qwen2_gguf
from lingxi import Lingxi
from lingxi.compliance.labels import EXPLICIT_LLM
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.models.base import ChatChunk, ChatRequest
from lingxi.models.llamacpp import LlamaCppModel

MAX_TOKENS = 24  # random weights never stop on their own: keep each answer short


class Capped:
    """The GGUF model with every request's ``max_tokens`` capped (a real ChatModel delegating to it)."""

    def __init__(self, inner: LlamaCppModel) -> None:
        self.inner = inner
        self.info = inner.info

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        capped = request.model_copy(update={"max_tokens": min(request.max_tokens or MAX_TOKENS, MAX_TOKENS)})
        async for chunk in self.inner.stream(capped):
            yield chunk


@pytest.fixture(scope="module")
def lx(tmp_path_factory: pytest.TempPathFactory) -> Lingxi:
    gguf = write_random_qwen2_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf", context=8192)
    # the assistant sends its tool schemas and facts: ~4k tokens of prompt
    model = Capped(LlamaCppModel(gguf, name="tiny", n_ctx=8192, threads=2, slots=1))
    lx = Lingxi(Path(tmp_path_factory.mktemp("home")), models=[model])
    lx.load_sample()
    return lx


def test_writing_tools_on_device(lx: Lingxi) -> None:
    proof = lx.writing.proofread("林晓雨认真的检查了方案，以经按装好新版本,明天在见。", model="tiny")
    assert proof.model == "tiny" and proof.answer.model_kind == "llm" and proof.answer.label.explicit == EXPLICIT_LLM
    found = {(e.original, e.replacement) for e in proof.edits}
    assert {("以经", "已经"), ("按装", "安装"), ("在见", "再见")} <= found  # the rules hold whatever the model says
    text = "林晓雨认真的检查了方案，以经按装好新版本,明天在见。"
    assert all(text[e.start : e.end] == e.original for e in proof.edits)  # nothing invented survives verification
    rewrite = lx.writing.rewrite("其实那个，方案俺们基本上搞定啦", tone="正式", model="tiny")
    assert rewrite.model == "tiny" and rewrite.method == "llm"


def test_notifications_and_replies_on_device(lx: Lingxi) -> None:
    convs = lx.notifications.conversations(SAMPLE_USER_ID, model="tiny", now_ms=SAMPLE_NOW_MS)
    assert convs.model == "tiny" and convs.model_kind == "llm"
    scores = [c.priority for c in convs.conversations]
    assert scores == sorted(scores, reverse=True) and convs.conversations[0].reasons  # ranked by code
    replies = lx.replies.suggest(SAMPLE_USER_ID, "wx-zhangwei", model="tiny", now_ms=SAMPLE_NOW_MS)
    assert replies.model == "tiny"
    texts = [c.text for c in replies.candidates]
    assert len(texts) == 3 and len(set(texts)) == 3 and all(t.strip() for t in texts)


def test_assistant_numbers_do_not_depend_on_the_model(lx: Lingxi) -> None:
    reply = lx.assistant.ask(SAMPLE_USER_ID, "这个月外卖花了多少钱？", model="tiny", now_ms=SAMPLE_NOW_MS)
    assert reply.answer.get("model") == "tiny" and reply.answer.get("model_kind") == "llm"
    assert reply.numbers.get("total_fen") == 28280  # summed in integer fen by code
    facts = "\n".join(reply.facts)
    assert all(c in facts for c in reply.citations)  # cited ids the facts do not hold are dropped, never shown
