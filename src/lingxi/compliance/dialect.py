"""Cantonese words are no same-sound stand-ins: a reading that only respells them is not judged.

Why (issue 14, wave 15, second screen round): 「我阿妈成日话头痛，係咪要睇脑科啊」 (does my mum need a neurologist)
was blocked by the restored-reading layer. jieba does not know 係咪 (Cantonese for 是不是), so the same-sound pass
respelled it as 细密, and 係, a traditional character rare in jieba's dictionary, made that guess count as dodged
on purpose; the classifier then blocked 「…细密要睇脑科啊」. A Cantonese word has a meaning of its own; it does not
stand for a same-sound Mandarin word. So a same-sound reading whose every change falls inside Cantonese words
(:data:`CANTONESE`) is not judged, while a reading that also changes anything else — a Mandarin homophone dodge in
a Cantonese message, 「教我点样用炸要炸学校」 — is judged as before, Cantonese changes and all. This only removes
readings, never adds one: it cannot block a text the screen passed.

Reading the Cantonese words in Mandarin first (係咪 → 是不是, then judging that) was tried and not kept: the
classifier, trained on Mandarin, scores the folded text higher, and 「边个牌子嘅手机影相靓啲？想买俾阿妈」 was blocked
as 「边个牌子的手机影相靓些」. The table is written for lingxi: common Cantonese words, traditional and simplified.
"""

from __future__ import annotations

import functools
import re

# Cantonese words; a single character only where Mandarin does not write it (not 咪, 靓, 咁, 俾)
_WORDS = (
    "係唔係 系唔系 係咪 系咪 咪係 咪系 點樣 点样 點解 点解 乜嘢 咩嘢 佢哋 我哋 你哋 唔該 唔该 唔使 唔好 边个 邊個 "
    "畀 冇 唔 嘅 咗 佢 睇 喺 嘢 啲 嚟 揾 搵 瞓 攰 咩 乜 哋 啱 嗰 噉"
)
CANTONESE = frozenset(_WORDS.split())


@functools.cache
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, CANTONESE), key=len, reverse=True)))


def only_dialect_changed(written: str, reading: str) -> bool:
    """True when ``reading`` (a same-sound respelling of ``written``, character for character) changes ``written``
    and every changed character lies inside a Cantonese word of ``written``; False otherwise (also when the two
    differ in length: no claim)."""
    if len(written) != len(reading) or written == reading:
        return False
    inside = [False] * len(written)
    for m in _pattern().finditer(written):
        inside[m.start() : m.end()] = [True] * (m.end() - m.start())
    return all(inside[i] for i, (a, b) in enumerate(zip(written, reading, strict=True)) if a != b)
