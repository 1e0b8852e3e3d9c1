"""The user's own past replies to messages like the latest one: BM25 over their (incoming → reply) pairs.

Why: what the user actually said to a similar message is the best-styled candidate there is (「知道啦妈，今天穿了
厚外套」), and it is theirs. It still passes the fact check like any other candidate — an old 「好呀，我参加！」
is no answer to an invitation on a busy slot.
"""

from __future__ import annotations

from collections import Counter

import bm25s

from lingxi.context.events import MessageEvent
from lingxi.features.notify_rank import is_question
from lingxi.text import tokenize

__all__ = ["history_pairs", "past_replies", "top_k"]


def history_pairs(messages: list[MessageEvent]) -> list[tuple[MessageEvent, MessageEvent]]:
    """(incoming, the user's next reply in the same conversation) pairs, oldest first (input in arrival order)."""
    pairs, pending = [], {}
    for m in messages:
        if m.direction == "in":
            pending[m.conversation_id] = m
        elif (q := pending.pop(m.conversation_id, None)) is not None:
            pairs.append((q, m))
    return pairs


def top_k(query: str, texts: list[str], k: int) -> list[int]:
    """Indexes of the ``k`` texts BM25 ranks best for ``query`` (score > 0 only), best first."""
    words = tokenize(query)
    corpus = [tokenize(t) for t in texts]
    if not words or not any(corpus):
        return []
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    scores = [float(s) for s in retriever.get_scores(words)]
    return [i for i in sorted(range(len(texts)), key=lambda i: (-scores[i], i))[:k] if scores[i] > 0]


def past_replies(msgs: list[MessageEvent], latest: MessageEvent, k: int) -> list[tuple[MessageEvent, MessageEvent]]:
    """Up to ``k`` (earlier incoming message, the user's reply to it) pairs whose incoming message is like
    ``latest``, best first; ``msgs`` in arrival order."""
    text, asks = latest.text, is_question(latest.text)
    # each incoming message tokenized once: for the document frequencies and for the similarity below
    incoming = {m.event_id: set(tokenize(m.text)) for m in msgs if m.direction == "in"}
    # (the latest message itself is left out: counted, each of its words would be "in two messages" as
    # soon as one earlier message shares it, and a small history would call every shared word common)
    df = Counter(w for eid, ws in incoming.items() if eid != latest.event_id for w in ws)
    # words in many incoming messages say nothing about this one (the user's own name, greetings)
    common = {w for w, n in df.items() if n > 0.1 * len(incoming)}
    # content words of two characters or more: one-character words (看, 车, 去) match too much by chance
    words = {w for w in tokenize(text) if len(w) >= 2} - common

    def similar(other: MessageEvent) -> bool:
        # share two such words with a long message (not one common one), and a third of the shorter's
        theirs = {w for w in incoming[other.event_id] if len(w) >= 2} - common
        shared = len(words & theirs)
        return shared >= (2 if len(words) > 3 else 1) and shared >= min(len(words), len(theirs)) / 3

    pairs = [
        (q, a)
        for q, a in history_pairs(msgs)
        if q.event_id != latest.event_id
        and is_question(q.text) == asks  # answer a question with what answered questions
        and similar(q)
    ]
    return [pairs[i] for i in top_k(latest.text, [q.text for q, _ in pairs], k)]
