"""Chinese text utilities: sentence splitting, word segmentation, and a word count.

Everything that needs to know where a Chinese sentence or word ends lives here, so the lite model tier,
retrieval and any feature that measures text agree on the same units. Segmentation is jieba's; the
dictionary loads lazily on first use (about a second), once per process, thread-safely and without
jieba's usual "Building prefix dict..." chatter on stderr.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

import jieba

__all__ = ["STOPWORDS", "count_tokens", "join_sentences", "split_sentences", "tokenize"]

#: Characters that end a sentence; a run of them (``？！``, ``……``) stays together.
_TERMINATORS = frozenset("。！？!?；;…")
#: Closing quotes and brackets that belong to the sentence they follow: ``他说：“好。”`` is one sentence.
_CLOSERS = frozenset("」”’』）)】》]")

#: Function words that carry no topic. Written here, not taken from a list of unknown licence, and kept
#: small on purpose: a word belongs here only if two sentences sharing it say nothing about sharing a topic.
STOPWORDS: frozenset[str] = frozenset(
    """
    的 地 得 了 过 着 是 在 和 跟 与 及 以及 并 并且 而 而且 或 或者 也 还 还是 又 就 才 都 很 太 更 最
    把 被 让 给 对 向 从 到 于 为 为了 因为 所以 但 但是 可是 如果 虽然 然后 那么 这么 这样 那样
    一个 一些 一下 这个 那个 这些 那些 这里 那里 这 那 哪 其 之 某 每 各 些 个
    我 你 您 他 她 它 我们 你们 他们 她们 它们 咱 咱们 自己 大家
    吗 呢 吧 啊 呀 哦 嗯 哈 啦 嘛 呗 哎 喔 噢 么 哇
    有 没 没有 不 会 能 要 想 可以 已经 正在 将 刚 刚才
    a an the of to and or is are was were be been in on at for with by it its this that
    i you he she we they me my your our their do does did not no so as if but
    """.split()  # noqa: SIM905 -- a word list reads better as text than as 150 quoted strings
)

_init_lock = threading.Lock()
_initialised = False


def _jieba() -> None:
    """Load jieba's dictionary once, quietly; safe to call from many threads."""
    global _initialised
    if _initialised:
        return
    with _init_lock:
        if not _initialised:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _initialised = True


#: jieba's time grows with the square of a run of characters it cannot split (20k × 「名」: 1.6 s, 40k: 6 s),
#: so runs of its word characters longer than this are cut into pieces of this length first. Real sentences
#: break at punctuation long before; only such runs (pasted junk, an attack) are affected.
_MAX_RUN = 256
_LONG_RUN = re.compile(rf"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]{{{_MAX_RUN},}}")  # jieba's re_han_default


def _lcut(text: str) -> list[str]:
    """``jieba.lcut`` in time linear in ``len(text)`` (see :data:`_MAX_RUN`)."""
    _jieba()
    if len(text) < _MAX_RUN:
        return list(jieba.lcut(text))
    words: list[str] = []
    pos = 0
    for match in _LONG_RUN.finditer(text):
        words += jieba.lcut(text[pos : match.start()])
        for i in range(match.start(), match.end(), _MAX_RUN):
            words += jieba.lcut(text[i : min(i + _MAX_RUN, match.end())])
        pos = match.end()
    words += jieba.lcut(text[pos:])
    return words


def _is_terminator(line: str, start: int, i: int) -> bool:
    """Whether ``line[i]`` ends a sentence; ``start`` is where the current sentence began.

    Besides the Chinese and ASCII terminators, an ASCII full stop ends a sentence when whitespace or the end
    of the line follows it (``OK. See you``) — never inside a number (``3.5``) and never after a list
    number (``1. 买菜``). A colon never ends one, so times (``12:35``) stay whole.
    """
    ch = line[i]
    if ch in _TERMINATORS:
        return True
    if ch != ".":
        return False
    if i + 1 < len(line) and not line[i + 1].isspace() and line[i + 1] != ".":
        return False
    before = line[start:i].strip().rstrip(".")
    return bool(before) and not before.isdigit()


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, each kept verbatim apart from surrounding whitespace.

    A sentence ends after 。！？!?；; or …, after a run of them (``真的吗？！``), or at a line break. Closing
    quotes and brackets right after the terminator stay with the sentence. Empty pieces are dropped.

    >>> split_sentences("他说：“明天见。”然后走了！价格3.5元，12:35到。")
    ['他说：“明天见。”', '然后走了！', '价格3.5元，12:35到。']
    """
    sentences: list[str] = []
    for line in text.splitlines():
        start = i = 0
        n = len(line)
        while i < n:
            if not _is_terminator(line, start, i):
                i += 1
                continue
            while i < n and (line[i] in _TERMINATORS or line[i] == "."):
                i += 1
            while i < n and line[i] in _CLOSERS:
                i += 1
            piece = line[start:i].strip()
            if piece:
                sentences.append(piece)
            start = i
        piece = line[start:].strip()
        if piece:
            sentences.append(piece)
    return sentences


def join_sentences(sentences: list[str]) -> str:
    """Join sentences back into one line: no space after full-width punctuation, one space otherwise.

    Chinese sentences end in full-width punctuation and run together; a piece that ended at a line break
    (no terminator) or an English sentence gets a space so that words do not fuse.
    """
    out = ""
    for sentence in sentences:
        if out and (out[-1].isascii() or out[-1] not in _TERMINATORS | _CLOSERS):
            out += " "
        out += sentence
    return out


def _is_word(token: str) -> bool:
    """Whether a token has at least one letter or digit (not just punctuation, symbols or spaces)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def tokenize(text: str) -> list[str]:
    """Content words of ``text`` for matching: jieba words minus punctuation and :data:`STOPWORDS`.

    Latin words are lowercased, so ``OK`` and ``ok`` match. Order and repeats are kept (BM25 counts them).
    """
    words: list[str] = []
    for token in _lcut(text):
        word = token.strip().lower()
        if word and _is_word(word) and word not in STOPWORDS:
            words.append(word)
    return words


def count_tokens(text: str) -> int:
    """Number of jieba words in ``text``, stopwords and punctuation included, whitespace excluded.

    These are jieba words, not LLM (BPE) tokens; the lite tier reports them as its honest ``usage``,
    because it has no tokenizer of its own and the count should still grow with the text.
    """
    return sum(1 for token in _lcut(text) if token.strip())
