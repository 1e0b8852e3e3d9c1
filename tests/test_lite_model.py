"""The lite tier: sentence TextRank summaries and key points, BM25 reply selection."""

from __future__ import annotations

import asyncio

import pytest

from lingxi.errors import InvalidInput
from lingxi.models.base import (
    ChatChunk,
    ChatModel,
    ChatRequest,
    ChatResult,
    Document,
    Locality,
    Message,
    ModelKind,
    Task,
    collect,
)
from lingxi.models.lite import REPLY_BANK, LiteModel, bm25_best, lite_models, textrank, top_sentences
from lingxi.text import split_sentences, tokenize

# Five sentences about the Saturday dinner and one off-topic sentence about a coffee discount.
DINNER = (
    "周六晚上部门聚餐，地点在公司附近的火锅店。"
    "楼下咖啡店今天全场打折。"
    "聚餐费用由部门经费承担，大家不用自己付钱。"
    "请在周五之前回复是否参加周六的聚餐。"
    "聚餐地点离公司很近，下班可以一起走过去。"
    "周六聚餐结束后还可以去唱歌。"
)
MEETING = "明天上午十点开项目评审会。请准备好项目演示材料。评审会在三楼会议室。会后一起吃午饭。"


def models() -> tuple[LiteModel, LiteModel]:
    textrank_model, retrieval_model, _rules = lite_models()
    return textrank_model, retrieval_model


def run(model: LiteModel, request: ChatRequest) -> ChatResult:
    return asyncio.run(collect(model, request))


def chunks(model: LiteModel, request: ChatRequest) -> list[ChatChunk]:
    async def go() -> list[ChatChunk]:
        return [chunk async for chunk in model.stream(request)]

    return asyncio.run(go())


def summarize(*documents: Document, max_sentences: int = 2) -> ChatRequest:
    task = Task(kind="summarize", documents=list(documents), max_sentences=max_sentences)
    return ChatRequest(messages=[], task=task)


def user(text: str, task: Task | None = None) -> ChatRequest:
    return ChatRequest(messages=[Message(role="user", content=text)], task=task)


# -- model metadata ----------------------------------------------------------------------------------


def test_two_classical_on_device_models() -> None:
    textrank_model, retrieval_model = models()
    assert [m.info.name for m in (textrank_model, retrieval_model)] == ["lite/textrank", "lite/retrieval"]
    for model in (textrank_model, retrieval_model):
        assert isinstance(model, ChatModel)
        assert model.info.provider == "lite"
        assert model.info.locality is Locality.ON_DEVICE
        assert model.info.kind is ModelKind.CLASSICAL
        assert model.info.description
    assert textrank_model.info.tasks == {"summarize", "key_points", "chat"}
    assert retrieval_model.info.tasks == {"reply", "chat"}


def test_can_do() -> None:
    textrank_model, retrieval_model = models()
    assert textrank_model.info.can_do(Task(kind="summarize"))
    assert textrank_model.info.can_do(Task(kind="key_points"))
    assert textrank_model.info.can_do(None)
    assert not textrank_model.info.can_do(Task(kind="reply"))
    assert retrieval_model.info.can_do(Task(kind="reply"))
    assert retrieval_model.info.can_do(None)
    assert not retrieval_model.info.can_do(Task(kind="summarize"))
    assert not retrieval_model.info.can_do(Task(kind="key_points"))


# -- TextRank -------------------------------------------------------------------------------------------


def test_textrank_prefers_the_central_sentence_over_the_off_topic_one() -> None:
    sentences = split_sentences(DINNER)
    scores = textrank(sentences)
    assert len(scores) == len(sentences)
    off_topic = sentences.index("楼下咖啡店今天全场打折。")
    # The coffee sentence shares no word with the rest: it is the least central, at the (1 - d) floor.
    assert scores[off_topic] == pytest.approx(0.15)
    assert min(scores) == scores[off_topic]
    assert off_topic not in top_sentences(sentences, 5)


def test_textrank_ties_go_to_the_earlier_sentence() -> None:
    # No two sentences share a word: every score is equal, so the first ones win.
    sentences = ["苹果很甜。", "天空湛蓝。", "火车准点。", "小猫睡觉。"]
    assert top_sentences(sentences, 2) == [0, 1]


def test_summary_is_verbatim_sentences_in_original_order() -> None:
    textrank_model, _ = models()
    sentences = split_sentences(DINNER)
    for k in (1, 2, 3):
        text = run(textrank_model, summarize(Document(text=DINNER), max_sentences=k)).text
        picked = split_sentences(text)
        assert len(picked) == k
        assert all(s in sentences for s in picked)
        positions = [sentences.index(s) for s in picked]
        assert positions == sorted(positions)
        assert "咖啡" not in text
        assert "\n" not in text


def test_summary_picks_the_sentence_sharing_words_with_most_others() -> None:
    textrank_model, _ = models()
    text = run(textrank_model, summarize(Document(text=DINNER), max_sentences=1)).text
    # 周六 + 聚餐 + 地点 + 公司 + 部门: the first sentence overlaps with every other dinner sentence.
    assert text == "周六晚上部门聚餐，地点在公司附近的火锅店。"


def test_short_document_is_returned_whole() -> None:
    textrank_model, _ = models()
    text = run(textrank_model, summarize(Document(text="  周六聚餐。记得回复。  "), max_sentences=2)).text
    assert text == "周六聚餐。记得回复。"


def test_titled_documents_get_one_line_each() -> None:
    textrank_model, _ = models()
    request = summarize(
        Document(title="微信·部门群", text=DINNER), Document(title="邮件", text=MEETING), max_sentences=1
    )
    lines = run(textrank_model, request).text.split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("【微信·部门群】")
    assert lines[1].startswith("【邮件】")
    assert lines[0].removeprefix("【微信·部门群】") in split_sentences(DINNER)
    assert lines[1].removeprefix("【邮件】") in split_sentences(MEETING)


def test_untitled_documents_have_no_brackets() -> None:
    textrank_model, _ = models()
    one = run(textrank_model, summarize(Document(text=DINNER))).text
    assert "【" not in one
    two = run(textrank_model, summarize(Document(text=DINNER), Document(text=MEETING))).text
    assert len(two.split("\n")) == 2
    assert "【" not in two


def test_key_points_are_dash_lines_over_all_documents() -> None:
    textrank_model, _ = models()
    task = Task(
        kind="key_points",
        documents=[Document(title="群", text=DINNER), Document(text=MEETING)],
        max_sentences=3,
    )
    lines = run(textrank_model, ChatRequest(messages=[], task=task)).text.split("\n")
    assert len(lines) == 3
    everything = split_sentences(DINNER) + split_sentences(MEETING)
    positions = []
    for line in lines:
        assert line.startswith("- ")
        positions.append(everything.index(line.removeprefix("- ")))
    assert positions == sorted(positions)


def test_summarize_without_documents_uses_the_last_user_message() -> None:
    textrank_model, _ = models()
    result = run(textrank_model, user(DINNER, Task(kind="summarize", max_sentences=1)))
    assert result.text == "周六晚上部门聚餐，地点在公司附近的火锅店。"


def test_summarize_with_no_text_at_all_is_invalid() -> None:
    textrank_model, _ = models()
    with pytest.raises(InvalidInput):
        run(textrank_model, summarize())


@pytest.mark.parametrize("text", ["谢谢", "生日快乐呀", "杭州有什么好玩的？", "帮我写一首关于西湖的诗。", "hello"])
def test_lite_chat_never_repeats_the_message_and_says_how_to_configure_a_model(text: str) -> None:
    for model in models():
        answer = run(model, ChatRequest(messages=[Message(role="user", content=text)])).text
        assert text not in answer
        assert answer.startswith("当前没有配置语言模型")
        assert "lingxi models pull" in answer and "DASHSCOPE_API_KEY" in answer


# -- BM25 replies ----------------------------------------------------------------------------------------

CANDIDATES = ["好的，明天的评审会我参加。", "周六聚餐我一定到！", "收到，谢谢。"]


def test_reply_picks_the_candidate_on_the_messages_topic() -> None:
    _, retrieval_model = models()
    result = run(retrieval_model, user("这周六的聚餐你来吗？", Task(kind="reply", candidates=CANDIDATES)))
    assert result.text == "周六聚餐我一定到！"
    result = run(retrieval_model, user("明天上午的评审会记得参加", Task(kind="reply", candidates=CANDIDATES)))
    assert result.text == "好的，明天的评审会我参加。"


def test_reply_with_no_match_returns_the_first_candidate() -> None:
    _, retrieval_model = models()
    result = run(retrieval_model, user("天气不错", Task(kind="reply", candidates=CANDIDATES)))
    assert result.text == CANDIDATES[0]
    # A message made only of function words matches nothing either.
    result = run(retrieval_model, user("我们呢？", Task(kind="reply", candidates=CANDIDATES)))
    assert result.text == CANDIDATES[0]


def test_reply_handles_candidates_without_content_words() -> None:
    _, retrieval_model = models()
    candidates = ["嗯嗯。", "！！", "周六聚餐见"]
    result = run(retrieval_model, user("周六聚餐几点？", Task(kind="reply", candidates=candidates)))
    assert result.text == "周六聚餐见"
    result = run(retrieval_model, user("周六聚餐几点？", Task(kind="reply", candidates=["嗯嗯。", "！！"])))
    assert result.text == "嗯嗯。"


def test_bm25_ties_go_to_the_earlier_text() -> None:
    assert bm25_best("周六聚餐", ["周六聚餐", "周六聚餐", "开会"]) == 0
    assert bm25_best("开会", ["周六聚餐", "明天开会", "明天开会"]) == 1


def test_reply_without_candidates_uses_the_bank() -> None:
    _, retrieval_model = models()
    bank = [r.text for r in REPLY_BANK]
    assert len(bank) >= 25
    assert len(set(bank)) == len(bank)
    assert all(tokenize(r.cues) for r in REPLY_BANK)
    assert run(retrieval_model, user("谢谢你帮忙！", Task(kind="reply"))).text == "不客气，随时找我。"
    assert run(retrieval_model, user("周六聚餐你去吗？", Task(kind="reply"))).text == "好呀，我参加！"
    assert run(retrieval_model, user("今天又加班到十点", Task(kind="reply"))).text == "辛苦了！"
    assert run(retrieval_model, user("xyzzy", Task(kind="reply"))).text == bank[0]


# -- protocol behaviour ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "kind", "other"),
    [(0, "reply", "lite/retrieval"), (1, "summarize", "lite/textrank"), (1, "key_points", "lite/textrank")],
)
def test_unsupported_task_is_invalid_input(index: int, kind: str, other: str) -> None:
    model = models()[index]
    task = Task.model_validate({"kind": kind, "documents": [{"text": DINNER}], "candidates": ["好"]})
    with pytest.raises(InvalidInput) as caught:
        run(model, user("你好", task))
    error = caught.value
    assert model.info.name in error.message
    assert kind in error.message
    assert model.info.name in error.message_zh
    assert kind in error.message_zh
    assert error.hint is not None
    assert other in error.hint
    assert error.status == 400


def test_stream_is_one_chunk_per_line_then_stop_with_usage() -> None:
    textrank_model, _ = models()
    request = summarize(Document(title="甲", text=DINNER), Document(title="乙", text=MEETING))
    stream = chunks(textrank_model, request)
    *lines, last = stream
    assert len(lines) == 2
    assert all(c.finish_reason is None and c.usage is None for c in lines)
    assert last.delta == ""
    assert last.finish_reason == "stop"
    assert last.usage is not None
    assert last.usage.prompt_tokens > last.usage.completion_tokens > 0

    result = run(textrank_model, request)
    assert result.text == "".join(c.delta for c in stream)
    assert result.model == "lite/textrank"
    assert result.kind is ModelKind.CLASSICAL
    assert result.finish_reason == "stop"
    assert result.usage == last.usage
    assert result.usage.total_tokens > 0


def test_reply_usage_counts_message_candidates_and_answer() -> None:
    _, retrieval_model = models()
    result = run(retrieval_model, user("这周六的聚餐你来吗？", Task(kind="reply", candidates=CANDIDATES)))
    assert result.usage.completion_tokens > 0
    assert result.usage.prompt_tokens > result.usage.completion_tokens
    assert result.finish_reason == "stop"


def test_output_is_deterministic() -> None:
    textrank_model, retrieval_model = models()
    request = summarize(Document(text=DINNER + MEETING), max_sentences=3)
    assert len({run(textrank_model, request).text for _ in range(3)}) == 1
    reply = user("周六聚餐", Task(kind="reply", candidates=CANDIDATES))
    assert len({run(retrieval_model, reply).text for _ in range(3)}) == 1


def test_key_points_skip_filler_and_repeats() -> None:
    from lingxi.models.lite import top_sentences

    sentences = [
        "林晓雨：好的。",
        "林晓雨：好的。",
        "林晓雨：👍。",
        "会员中心改版下周三上线，上线前还要过一次评审。",
        "需求评审定在明天下午三点，评审前更新 PRD。",
        "会员中心改版的接口周四前联调完。",
    ]
    chosen = [sentences[i] for i in top_sentences(sentences, 3)]
    assert chosen == sentences[3:]
    assert len(set(top_sentences(["重复的一句话在这里。", "重复的一句话在这里。", "另一句完全不同的话。"], 2))) == 2
