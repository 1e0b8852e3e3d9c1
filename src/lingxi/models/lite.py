"""The lite tier: three classical "models" that need no weights and are always available.

* ``lite/textrank`` — extractive summaries and key points by sentence-level TextRank (Mihalcea & Tarau,
  2004): sentences are nodes, edges weigh the words two sentences share, PageRank picks the most central.
  It is written here because jieba only ships *keyword* TextRank (``jieba.analyse.textrank``) and the
  sentence-level Chinese packages (textrank4zh and its forks) are unmaintained and pin old dependencies;
  the algorithm is forty lines on top of :mod:`lingxi.text` and numpy.
* ``lite/retrieval`` — replies by BM25 (the ``bm25s`` library) over the caller's candidate replies, or
  over a small bank of generic Chinese replies written for this module.
* ``lite/rules`` — returns what a feature's own code computed (``compose`` tasks: exact sums over payments,
  rule-based proofreading edits, a table parsed from the text) without rephrasing it.

Nothing here generates text. Every output is a verbatim sentence of the input or a selected candidate /
bank reply, and both models say ``kind=CLASSICAL`` in their :class:`ModelInfo`: that is how later stages
(labels, reports, the UI) tell the user honestly that no language model wrote it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import NamedTuple

import anyio.to_thread
import bm25s
import numpy as np

from lingxi.errors import InvalidInput
from lingxi.models.base import (
    ChatChunk,
    ChatRequest,
    Document,
    Locality,
    ModelInfo,
    ModelKind,
    Task,
    Usage,
)
from lingxi.text import count_tokens, join_sentences, split_sentences, tokenize

__all__ = ["REPLY_BANK", "LiteModel", "bm25_best", "lite_models", "textrank"]

DAMPING = 0.85
TOLERANCE = 1e-6
MAX_ITERATIONS = 200
#: TextRank builds a dense sentence-by-sentence graph; past this size the lite tier declines politely.
MAX_GRAPH_SENTENCES = 3000
CHAT_SENTENCES = 2
#: Sentences with fewer content words than this are picked only when too few longer ones exist.
MIN_CONTENT_WORDS = 3


def textrank(sentences: list[str]) -> list[float]:
    """Sentence-level TextRank scores, one per sentence (higher = more central).

    Edge weight between sentences i and j is ``|Wi ∩ Wj| / (log|Si| + log|Sj|)``, where ``W`` is the set of
    content words (:func:`lingxi.text.tokenize`) and ``|S|`` the number of content words. When both
    sentences have a single word the denominator is 0 and 1 is used instead. Scores come from the weighted
    PageRank of the paper, ``WS(i) = (1 - d) + d * Σ_j w_ji / Σ_k w_jk * WS(j)``, by power iteration.
    """
    n = len(sentences)
    words = [tokenize(s) for s in sentences]
    postings: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        for w in set(ws):
            postings.setdefault(w, []).append(i)
    overlap = np.zeros((n, n))
    for ids in postings.values():
        if len(ids) > 1:
            idx = np.array(ids)
            overlap[np.ix_(idx, idx)] += 1.0
    np.fill_diagonal(overlap, 0.0)
    logs = np.log(np.maximum([len(ws) for ws in words], 1))
    denominator = logs[:, None] + logs[None, :]
    weights = overlap / np.where(denominator > 0, denominator, 1.0)
    out_weight = weights.sum(axis=1)
    # transition[i, j] = w_ji / Σ_k w_jk; sentences with no edges pass nothing on.
    transition = weights.T / np.where(out_weight > 0, out_weight, 1.0)[None, :]
    scores = np.ones(n)
    for _ in range(MAX_ITERATIONS):
        updated = (1 - DAMPING) + DAMPING * (transition @ scores)
        done = bool(np.max(np.abs(updated - scores), initial=0.0) < TOLERANCE)
        scores = updated
        if done:
            break
    return [float(s) for s in scores]


def top_sentences(sentences: list[str], k: int) -> list[int]:
    """Indices of the ``k`` highest-scoring sentences, in original order; ties go to the earlier one."""
    if len(sentences) <= k:
        return list(range(len(sentences)))
    if len(sentences) > MAX_GRAPH_SENTENCES:
        raise InvalidInput(
            f"lite/textrank handles at most {MAX_GRAPH_SENTENCES} sentences, got {len(sentences)}",
            message_zh=f"lite/textrank 最多处理 {MAX_GRAPH_SENTENCES} 个句子，本次有 {len(sentences)} 个",
            hint="split the text into smaller documents, or use a language model",
        )
    scores = textrank(sentences)
    # Very short sentences ("好的。", "👍") can be central only because they share a common word; they are
    # never key content, so they are chosen only when too few longer sentences exist.
    informative = [i for i, s in enumerate(sentences) if len(tokenize(s)) >= MIN_CONTENT_WORDS]
    pool = informative if len(informative) >= k else list(range(len(sentences)))
    # Rounding keeps float noise from overriding the position tie-break between equal scores.
    ranked = sorted(pool, key=lambda i: (-round(scores[i], 9), i))
    chosen: list[int] = []
    seen: set[str] = set()
    for i in ranked:  # a repeated sentence is one point, not two
        key = "".join(sentences[i].split())
        if key not in seen:
            seen.add(key)
            chosen.append(i)
        if len(chosen) == k:
            break
    return sorted(chosen)


def bm25_best(query: str, texts: list[str]) -> int:
    """Index of the text that BM25 ranks best for ``query``; 0 when nothing matches; ties → earlier."""
    query_words = tokenize(query)
    corpus = [tokenize(t) for t in texts]
    if not query_words or not any(corpus):
        return 0
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    scores = [float(s) for s in retriever.get_scores(query_words)]
    best = max(range(len(texts)), key=lambda i: (scores[i], -i))
    return best if scores[best] > 0 else 0


class BankReply(NamedTuple):
    """A generic reply and the cue words (never shown) that BM25 matches a message against."""

    text: str
    cues: str


#: Generic replies for when the caller gives no candidates. The first is the fallback when nothing matches.
REPLY_BANK: tuple[BankReply, ...] = (
    BankReply("好的，收到。", "好的 通知 知道 了解 安排"),
    BankReply("谢谢！", "帮助 送 礼物 分享 推荐 请客"),
    BankReply("不客气，随时找我。", "谢谢 感谢 多谢 谢啦 麻烦 帮忙"),
    BankReply("我看一下，稍后回复你。", "看看 看 文件 方案 报告 链接 确认"),
    BankReply("没问题。", "行不行 能不能 方便 拜托 请 行吗"),
    BankReply("辛苦了！", "辛苦 加班 忙 熬夜 累 搞定 完成"),
    BankReply("好呀，我参加！", "聚餐 吃饭 聚会 约 周末 周六 周日 一起 活动 报名"),
    BankReply("好的，我准时参加会议。", "开会 会议 例会 参会 讨论 评审"),
    BankReply("抱歉，我晚点到。", "迟到 晚点 堵车 等 等你 人呢"),
    BankReply("不好意思，刚才在忙，现在回你。", "回复 消息 电话 找 回消息"),
    BankReply("早上好！", "早 早上好 早安 早上"),
    BankReply("晚安，早点休息。", "晚安 睡 睡觉 休息 晚上"),
    BankReply("生日快乐！", "生日 生日快乐 蛋糕 庆祝"),
    BankReply("新年快乐，万事如意！", "新年 春节 过年 拜年 除夕 快乐"),
    BankReply("恭喜恭喜！", "恭喜 升职 通过 录取 成功 结婚 喜讯"),
    BankReply("注意身体，早日康复。", "生病 感冒 发烧 医院 不舒服 请假 看病"),
    BankReply("路上注意安全。", "出发 路上 开车 回家 出差 航班 高铁"),
    BankReply("已付款，请查收。", "付款 转账 红包 收款 多少钱 费用 账单 发票"),
    BankReply("好的，我记下了。", "记得 提醒 别忘了 备忘 记"),
    BankReply("我确认一下时间再告诉你。", "时间 什么时候 几点 哪天 日程 改期"),
    BankReply("在的，请说。", "有空 问 请问 空 方便"),
    BankReply("明白了，我马上处理。", "尽快 马上 赶紧 紧急 处理 今天 截止"),
    BankReply("这个我不太清楚，我问问再回复你。", "知道吗 怎么 为什么 如何 哪里 清楚"),
    BankReply("好主意，就这么办。", "建议 主意 觉得 怎么样 想法 计划"),
    BankReply("哈哈，太好笑了！", "哈哈 笑死 搞笑 段子 表情"),
    BankReply("别担心，会好起来的。", "担心 难过 压力 烦 焦虑 失败"),
    BankReply("好的，到了告诉我。", "到家 出门 地址 位置 定位 到达"),
    BankReply("收到，我这就转发给大家。", "转发 群 通知 同事 公告"),
    BankReply("不用了，谢谢。", "不要 需要 不用 帮 带"),
    BankReply("好久不见，最近怎么样？", "好久不见 最近 近况 聊聊 见面"),
)

Handler = Callable[[ChatRequest], list[str]]


def _last_user(request: ChatRequest) -> str:
    return next((m.content for m in reversed(request.messages) if m.role == "user"), "")


def _summarize(request: ChatRequest) -> list[str]:
    task = request.task or Task(kind="summarize")
    documents = task.documents or [_fallback_document(request)]
    untitled_single = len(documents) == 1 and not documents[0].title
    lines: list[str] = []
    for doc in documents:
        sentences = split_sentences(doc.text)
        summary = join_sentences([sentences[i] for i in top_sentences(sentences, task.max_sentences)])
        if not summary:
            continue
        lines.append(summary if untitled_single or not doc.title else f"【{doc.title}】{summary}")
    return lines


def _key_points(request: ChatRequest) -> list[str]:
    task = request.task or Task(kind="key_points")
    documents = task.documents or [_fallback_document(request)]
    sentences = [s for doc in documents for s in split_sentences(doc.text)]
    return [f"- {sentences[i]}" for i in top_sentences(sentences, task.max_sentences)]


def _chat_summary(request: ChatRequest) -> list[str]:
    sentences = split_sentences(_last_user(request))
    summary = join_sentences([sentences[i] for i in top_sentences(sentences, CHAT_SENTENCES)])
    return [summary] if summary else []


def _reply(request: ChatRequest) -> list[str]:
    message = _last_user(request)
    candidates = request.task.candidates if request.task else []
    if candidates:
        return [candidates[bm25_best(message, candidates)]]
    return [REPLY_BANK[bm25_best(message, [r.cues for r in REPLY_BANK])].text]


def _compose(request: ChatRequest) -> list[str]:
    """The answer the feature's code computed, as it is (documents in order, one block each)."""
    task = request.task or Task(kind="compose")
    texts = [d.text for d in task.documents if d.text.strip()]
    if not texts:
        raise InvalidInput(
            "a compose task needs the computed answer in task.documents",
            message_zh="规则任务缺少已计算的结果",
            hint="put the answer text in task.documents",
        )
    return "\n".join(texts).split("\n")


def _fallback_document(request: ChatRequest) -> Document:
    """With no documents in the task, the last user message is the text to work on."""
    text = _last_user(request)
    if not text.strip():
        raise InvalidInput(
            "the task has no documents and there is no user message to work on",
            message_zh="任务中没有文档，也没有可处理的用户消息",
            hint="put the text in task.documents or in a user message",
        )
    return Document(text=text)


def _request_text(request: ChatRequest) -> str:
    """Everything the model read, for the prompt side of ``usage``."""
    parts = [m.content for m in request.messages]
    if request.task:
        parts += [f"{d.title}\n{d.text}" for d in request.task.documents]
        parts += request.task.candidates
    return "\n".join(parts)


def _answer(handler: Handler, request: ChatRequest) -> tuple[list[str], Usage]:
    """The handler's lines and their jieba-word usage (run in a worker thread)."""
    lines = handler(request)
    usage = Usage(prompt_tokens=count_tokens(_request_text(request)), completion_tokens=count_tokens("\n".join(lines)))
    return lines, usage


class LiteModel:
    """A classical model: a :class:`ModelInfo` plus one plain function per task kind it can do."""

    def __init__(self, info: ModelInfo, handlers: Mapping[str, Handler], *, alternative: str) -> None:
        if info.tasks != frozenset(handlers):
            raise ValueError(f"{info.name}: info.tasks {info.tasks} do not match handlers {set(handlers)}")
        self.info = info
        self._handlers = dict(handlers)
        self._alternative = alternative

    def __repr__(self) -> str:
        return f"LiteModel({self.info.name!r})"

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        """Yield the answer one line per chunk, then a ``stop`` chunk with jieba-word usage."""
        kind = request.task.kind if request.task else "chat"
        handler = self._handlers.get(kind)
        if handler is None:
            can = ", ".join(sorted(self._handlers))
            raise InvalidInput(
                f"model {self.info.name} cannot do task {kind!r} (it can do: {can})",
                message_zh=f"模型 {self.info.name} 不支持「{kind}」任务（支持：{can}）",
                hint=f"use {self._alternative} or a language model for {kind!r}",
            )
        # segmentation and ranking cost up to ~1 ms per 100 characters: off the event loop, so that one long
        # request never holds up the others (/healthz included)
        lines, usage = await anyio.to_thread.run_sync(_answer, handler, request)
        for n, line in enumerate(lines):
            yield ChatChunk(delta=line if n == 0 else "\n" + line)
        yield ChatChunk(finish_reason="stop", usage=usage)


def lite_models() -> list[LiteModel]:
    """The lite-tier models: ``lite/textrank``, ``lite/retrieval`` and ``lite/rules``."""
    textrank_info = ModelInfo(
        name="lite/textrank",
        provider="lite",
        locality=Locality.ON_DEVICE,
        kind=ModelKind.CLASSICAL,
        tasks=frozenset({"summarize", "key_points", "chat"}),
        method="extractive",
        description="Extractive summaries and key points by sentence TextRank; selects sentences, "
        "writes none. 句子级 TextRank 抽取式摘要：只挑选原文句子，不生成内容。",
    )
    retrieval_info = ModelInfo(
        name="lite/retrieval",
        provider="lite",
        locality=Locality.ON_DEVICE,
        kind=ModelKind.CLASSICAL,
        tasks=frozenset({"reply", "chat"}),
        method="retrieval",
        description="Picks the best of the given candidate replies (or of a built-in bank of generic "
        "Chinese replies) by BM25; writes none. 用 BM25 从候选回复或内置常用回复中挑选，不生成内容。",
    )
    rules_info = ModelInfo(
        name="lite/rules",
        provider="lite",
        locality=Locality.ON_DEVICE,
        kind=ModelKind.CLASSICAL,
        tasks=frozenset({"compose"}),
        method="rules",
        description="Returns the answer the feature computed by code (exact sums, rule-based proofreading, "
        "tables parsed from text) without rephrasing it; writes nothing itself. 原样返回功能代码按规则计算出的结果。",
    )
    return [
        LiteModel(
            textrank_info,
            {"summarize": _summarize, "key_points": _key_points, "chat": _chat_summary},
            alternative="lite/retrieval",
        ),
        LiteModel(retrieval_info, {"reply": _reply, "chat": _reply}, alternative="lite/textrank"),
        LiteModel(rules_info, {"compose": _compose}, alternative="a language model"),
    ]
