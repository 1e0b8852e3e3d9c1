"""Guards on the language model's swaps: a swap that takes a character out of a dictionary word and builds none
(口服 → 口胡) is clean text read as an error, and so is one that takes the head of a complement away (包得 → 不得).
A typo does the opposite of both. Split from :mod:`lingxi.features.lmcheck`, which scores the swaps.
"""

from __future__ import annotations

from lingxi.features.lmcheck import word_len

_MAGNITUDES = frozenset("十百千万亿")
#: A language-model gain (nats) past which a swap may break a word: jieba lists 卖东西 but not 买东西, and
#: 去超市卖东西 → 买 gains 13; the clean-text swaps the guard stops gain 10–11 (口服 → 口胡).
_SURE_GAIN = 12.0


def _word_len_at(text: str, pos: int) -> int:
    import jieba

    return word_len(jieba.lcut(text, HMM=False), pos)


def _predicate(word: str) -> bool:
    """Whether jieba's dictionary tags ``word`` as a verb or an adjective."""
    import jieba.posseg

    return str(jieba.posseg.dt.word_tag_tab.get(word, "x"))[:1] in {"v", "a"}


def _breaks_complement(text: str, pos: int, replacement: str) -> bool:
    """Whether the swap replaces a verb or adjective standing before the complement marker 得 with a word of
    another class (我包得不太好看 → 不得: 包得 is verb + complement, a productive construction the 4-gram reads as a
    broken 不得不). A typo there puts one predicate for another (泡得快 → 跑得快); this swap takes the complement's
    head away."""
    if text[pos + 1 : pos + 2] != "得" or not _predicate(text[pos]) or _predicate(replacement):
        return False
    import jieba.posseg

    at = 0
    for pair in jieba.posseg.lcut(text, HMM=False):
        if at == pos + 1:
            return bool(pair.word == "得" and pair.flag in {"ud", "u"})
        at += len(pair.word)
    return False


def breaks_word(text: str, pos: int, replacement: str, gain: float = 0.0) -> bool:
    """Whether a swap takes the character out of a dictionary word and builds none (口服 → 口胡): a typo does the
    opposite, so such a swap is clean text read as an error — unless the model is sure (:data:`_SURE_GAIN`).
    A magnitude after a digit is left alone too, and so is the head of a complement (:func:`_breaks_complement`),
    whatever the gain."""
    if text[pos - 1 : pos].isdigit() and replacement in _MAGNITUDES:  # 5百元 → 5万元: no text can tell
        return True
    if _breaks_complement(text, pos, replacement):
        return True
    if gain >= _SURE_GAIN:
        return False
    swapped = text[:pos] + replacement + text[pos + 1 :]
    return _word_len_at(text, pos) >= 2 and _word_len_at(swapped, pos) < 2
