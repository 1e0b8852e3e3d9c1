"""The dictionaries that spelling dodged text back reads (:mod:`~lingxi.compliance.restore`): same-sound words
by sound key, character frequencies and rare characters, and modern written words.

Why a module of its own: they are built once per process from jieba's dictionary, pypinyin's phrase readings
and wordfreq's Chinese list (~3 s together, :func:`~lingxi.compliance.restore.warm`), and are data, apart from
the decoding rules that use them.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Any

from lingxi.compliance.screen import HAN_RANGES, is_han, sound_keys, sound_tables

MAX_WORD = 4
MIN_WORD_FREQ = 3  # a replacement word must be at least this common in jieba's dictionary
PER_KEY = 8  # same-sound candidates kept per sound key
# Characters whose frequency over jieba's dictionary (is_rare) is below this are rare: ~0.1 % of the characters
# of 20,000 licensed benign prompts (measured on extra_benign.jsonl), but most same-sound stand-ins chosen from
# the end of a sound's character list (乫 囜 丄 傐).
RARE_CHAR = 100
# Below this weight a character is *uncommon* (is_uncommon): not rare enough to be read as a sure stand-in
# (亍 of 彳亍, 侀, 囷 sit between 100 and 500), but a text whose same-sound reading changes such a character was
# very likely dodged on purpose (restored.py then judges that reading as written). 1.9 % of the 1,000 everyday
# dev sentences hold one (煲 of 电饭煲, 呗 of 花呗), and those are dictionary words that are never respelled.
UNCOMMON_CHAR = 500
# Zipf frequency (log10 per billion words) from which a wordfreq word counts as written Chinese (written_words):
# about one in three million words; 2.0 kept the same dev readings and twice as many entries.
WRITTEN_ZIPF = 2.5


@functools.cache
def tokenizer() -> Any:
    import jieba  # ~1.5 s to initialize: only when a text first needs restoring

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba.dt


@functools.cache
def index() -> tuple[dict[str, list[tuple[str, float]]], dict[str, float], float]:
    """(sound key → the most frequent words with that key and their log frequencies, most frequent first;
    single character → log frequency; log total)."""
    _char_weight()
    from pypinyin.phrases_dict import phrases_dict  # ~0.4 s: words whose reading is not each character's first

    written_words()
    dt = tokenizer()
    table, sounds = sound_tables()
    words: dict[str, list[tuple[str, float]]] = {}
    chars: dict[str, float] = {}
    for word, freq in dt.FREQ.items():
        if freq < (1 if len(word) == 1 else MIN_WORD_FREQ) or len(word) > MAX_WORD or not all(map(is_han, word)):
            continue
        if len(word) == 1:
            chars[word] = math.log(freq)
        key = word.translate(table)
        if (reading := phrases_dict.get(word)) is not None and len(reading) == len(word):
            # 银行 is yin hang, not yin xing (行's first reading): typed yinhang and 因杭 must find it
            bare = [
                "".join(x for x in unicodedata.normalize("NFD", r[0]) if not unicodedata.combining(x)) for r in reading
            ]
            if all(b in sounds for b in bare):
                key = "".join(sounds[b] for b in bare)
        words.setdefault(key, []).append((word, math.log(freq)))
    for group in words.values():
        group.sort(key=lambda x: -x[1])
        del group[PER_KEY:]
    return words, chars, math.log(dt.total)


@functools.cache
def written_words() -> dict[str, float]:
    """Han words of 2–4 characters in wordfreq's Chinese list (a maintained, modern word list: 微信, 淘宝, 抖音)
    with Zipf frequency ≥ :data:`WRITTEN_ZIPF` → their log probability, on the scale of jieba's (ln of a share
    of all words). jieba's dictionary predates such words, so it cuts 微信 into two characters that the
    same-sound pass would respell (微信 → 威信); :func:`_respell` may keep such a word as written, at its own
    probability, which a same-sound word must beat by the usual cost (that'd take 20× more frequent per change)."""
    from wordfreq import get_frequency_dict  # ~0.9 s, once, with the rest of the index (warm)

    return {
        w: math.log(f)
        for w, f in get_frequency_dict("zh", wordlist="best").items()
        if 2 <= len(w) <= MAX_WORD and f >= 10 ** (WRITTEN_ZIPF - 9) and all(map(is_han, w))
    }


@functools.cache
def _char_weight() -> dict[str, int]:
    """Each character's frequency over jieba's dictionary, counting every word it is part of (a character
    bound in words, 垃 of 垃圾, is common although it is rare alone)."""
    weight: dict[str, int] = {}
    for word, freq in tokenizer().FREQ.items():
        for ch in set(word):
            weight[ch] = weight.get(ch, 0) + freq
    return weight


def is_rare(ch: str) -> bool:
    """A Han character that ordinary text almost never uses (1 in 1,000 characters of the licensed benign
    prompts, :data:`RARE_CHAR`): written where a same-sound common word fits, it is a stand-in (乫 for 架)."""
    return is_han(ch) and ch not in _common()


def has_rare(text: str) -> bool:
    """Whether ``text`` holds a rare Han character (:func:`is_rare`)."""
    return _outside(RARE_CHAR).search(text) is not None


def around_rare(tokens: list[str]) -> list[str]:
    """The words next to a lone rare character cut into characters: jieba glues a stand-in's partner to its other
    neighbour (被绑 | 乫), which left 绑架 unread; cut, 被绑乫 is respelled as one stretch."""
    if not any(len(t) == 1 and is_rare(t) for t in tokens):
        return tokens
    out: list[str] = []
    for i, token in enumerate(tokens):
        near = tokens[max(0, i - 1) : i] + tokens[i + 1 : i + 2]
        split = len(token) > 1 and any(len(t) == 1 and is_rare(t) for t in near)
        out += list(token) if split else [token]
    return out


def has_uncommon(text: str) -> bool:
    """Whether ``text`` holds an uncommon Han character (:data:`UNCOMMON_CHAR`, rare ones included)."""
    return _outside(UNCOMMON_CHAR).search(text) is not None


def changed_uncommon(written: str, reading: str) -> bool:
    """Whether ``reading`` (a same-sound respelling of ``written``, character for character) replaces an uncommon
    character: the mark of a deliberate stand-in (侀 for 型, 亍 for 出) rather than a chance respelling."""
    common = _common(UNCOMMON_CHAR)
    return len(written) == len(reading) and any(
        a != b and is_han(a) and a not in common for a, b in zip(written, reading, strict=True)
    )


@functools.cache
def _common(weight_floor: int = RARE_CHAR) -> frozenset[str]:
    return frozenset(ch for ch, weight in _char_weight().items() if weight >= weight_floor)


@functools.cache
def _outside(weight_floor: int) -> re.Pattern[str]:
    return han_outside(_common(weight_floor))


def han_outside(chars: frozenset[str]) -> re.Pattern[str]:
    """One character class of the Han characters not in ``chars`` (for :func:`has_rare`: those not in
    :func:`_common`).

    Why a regex: the set difference it replaces made a string object of every character of the text (~11 µs for
    340 characters, twice per screened text); a class is one C-level scan (~0.5 µs)."""
    spans: list[list[int]] = []
    for c in (c for lo, hi in HAN_RANGES for c in range(lo, hi) if chr(c) not in chars):
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in spans) + "]" if spans else "(?!)")


def has_same_sound(run: str) -> bool:
    """Whether some span of 2–:data:`MAX_WORD` characters of ``run`` has a same-sound word (:func:`index`) other
    than the span itself: the only replacement the same-sound pass makes, so a run without one reads as written."""
    words = index()[0]
    keys = sound_keys()(run)  # one code point per character: a span's key is a slice
    for n in range(2, min(MAX_WORD, len(run)) + 1):
        for i in range(len(run) - n + 1):
            if (found := words.get(keys[i : i + n])) and any(w != run[i : i + n] for w, _ in found):
                return True
    return False
