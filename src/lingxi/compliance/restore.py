"""Spell a dodged text back: typed pinyin and same-sound characters → the dictionary words they stand for.

Why: the classifier reads character n-grams. 「如何制作 zha yao」 or 「如何制作炸要」 keeps half of its features
through the homophone key (:func:`~lingxi.compliance.screen.homophone_key`), but loses the characters — and the
characters carry most of the weight, so such a request scored far below its plain form (pinyin of two key
terms: 52 % of the plain blocking rate, homophones 74 %). Here the text is decoded the way an input method
would, with jieba's word frequencies as the language model:

* a run of typed pinyin (``zhayao``, after normalization) is split into syllables and decoded to the most
  probable word sequence with those sounds (toneless, each character by its first reading);
* in Han text, a stretch that jieba can only cut into single characters (no dictionary word covers it) is
  replaced by a dictionary word with the same sounds when that word is far more probable than the characters
  taken one by one (a noisy-channel test), so 「炸要」 → 「炸药」 while ordinary single-character stretches
  (「吃了饭」) stay as they are.

The restored text is an *extra* reading the classifier scores beside the text itself (the higher score
counts); it never replaces what the user wrote. Long texts are restored over their first
:data:`MAX_CHARS` characters only, to keep a screening call within its latency budget.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from lingxi.compliance.screen import FILLER_HAN, fold_table, is_han, sound_tables

MAX_CHARS = 600
MAX_WORD = 4
MIN_WORD_FREQ = 3  # a replacement word must be at least this common in jieba's dictionary
PER_KEY = 8  # same-sound candidates kept per sound key
# The cost (log probability) of each character a replacement changes: a same-sound word replaces single
# characters only when it is far more probable than they are (e^5 ≈ 150× per changed character), which keeps
# most ordinary stretches of single characters (吃/了/饭, 包邮) as written; a word that keeps more of the written
# characters costs less. Same sounds and the same changes are decided by frequency alone (煽东 → 山东, not 煽动).
LOG_COST = 5.0  # e^7: fewer plain texts respelled (10 vs 17 of 1,000) but 62 % vs 78 % of dodged words back
_LATIN_RUN = re.compile(r"[a-z]{4,40}")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


@functools.cache
def _tokenizer() -> Any:
    import jieba  # ~1.5 s to initialize: only when a text first needs restoring

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba.dt


@functools.cache
def _index() -> tuple[dict[str, list[tuple[str, float]]], dict[str, float], float]:
    """(sound key → the most frequent words with that key and their log frequencies, most frequent first;
    single character → log frequency; log total)."""
    dt = _tokenizer()
    table = sound_tables()[0]
    words: dict[str, list[tuple[str, float]]] = {}
    chars: dict[str, float] = {}
    for word, freq in dt.FREQ.items():
        if freq < (1 if len(word) == 1 else MIN_WORD_FREQ) or len(word) > MAX_WORD or not all(map(is_han, word)):
            continue
        if len(word) == 1:
            chars[word] = math.log(freq)
        words.setdefault(word.translate(table), []).append((word, math.log(freq)))
    for group in words.values():
        group.sort(key=lambda x: -x[1])
        del group[PER_KEY:]
    return words, chars, math.log(dt.total)


def _decode_pinyin(run: str) -> str | None:
    """``zhayao`` → 炸药: syllables (every split tried), then the most probable words over them."""
    best, _, log_total = _index()

    @functools.cache
    def decode(i: int) -> tuple[float, str] | None:
        """The best (log probability, Han text) for run[i:], or None when it is not all pinyin."""
        if i == len(run):
            return 0.0, ""
        options: list[tuple[float, str]] = []
        for j in range(i + 1, min(len(run), i + 6 * MAX_WORD) + 1):
            key = _syllables(run[i:j])
            if key is None:
                continue
            for k in key:
                hit = best.get(k)
                rest = decode(j) if hit else None
                if hit and rest is not None:
                    options.append((hit[0][1] - log_total + rest[0], hit[0][0] + rest[1]))
        return max(options) if options else None

    out = decode(0)
    return out[1] if out is not None else None


@functools.lru_cache(maxsize=8192)  # bounded: its keys come from user text, and a server lives for weeks
def _syllables(chunk: str) -> tuple[str, ...] | None:
    """Every way to read ``chunk`` as 1–4 syllables, each as its sound-key string (None: no way)."""
    sounds = sound_tables()[1]
    keys: list[str] = []

    def walk(i: int, acc: str) -> None:
        if i == len(chunk):
            keys.append(acc)
            return
        if len(acc) >= MAX_WORD:
            return
        for j in range(i + 1, min(len(chunk), i + 6) + 1):
            if (s := sounds.get(chunk[i:j])) is not None:
                walk(j, acc + s)

    walk(0, "")
    return tuple(keys) or None


def _restore_han(run: str) -> str:
    """Respell each stretch of two or more single characters jieba leaves (see the module doc)."""
    tokens = _tokenizer().lcut(run, HMM=False)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and len(tokens[j]) == 1:
            j += 1
        if j - i < 2:
            out.append(tokens[i])
            i += 1
        else:
            out.append(_respell("".join(tokens[i:j])))
            i = j
    return "".join(out)


def _respell(chars: str) -> str:
    """The most probable reading of ``chars``: each character as written, or a same-sound word over 2–4 of them
    at :data:`LOG_COST` per changed character (dynamic programming, right to left)."""
    words, single, log_total = _index()
    table = sound_tables()[0]
    floor = -log_total  # a character missing from the dictionary: frequency 1
    best: list[tuple[float, str]] = [(0.0, "")] * (len(chars) + 1)
    for i in range(len(chars) - 1, -1, -1):
        options = [(single.get(chars[i], 0.0) + floor + best[i + 1][0], chars[i] + best[i + 1][1])]
        for n in range(2, min(MAX_WORD, len(chars) - i) + 1):
            span = chars[i : i + n]
            for word, lf in words.get(span.translate(table), ()):
                changed = sum(a != b for a, b in zip(word, span, strict=True))
                rest = best[i + n]
                options.append((lf + floor - LOG_COST * changed + rest[0], word + rest[1]))
        best[i] = max(options)
    return best[0][1]


@functools.cache
def _table() -> dict[int, str | None]:
    """The screen's normalization, except that filler strokes with a reading (乀 fu, 乁 yi, 丿 pie) are kept:
    the screen drops them as separators, but as same-sound stand-ins they carry a syllable. 丶 (the usual
    separator) is still dropped."""
    table = dict(fold_table())
    for ch in FILLER_HAN:
        if ch != "丶" and is_han(ch):
            table.pop(ord(ch), None)
    return table


def warm() -> None:
    """Build the sound index now (~3 s of CPU, once per process) rather than inside the first screening call
    that needs it: the server calls this before serving (``server.app._warm_up``)."""
    _index()


def restore(text: str, *, han: bool = True) -> str | None:
    """The normalized text with pinyin and same-sound stretches spelled back, or None when nothing changed.

    ``han=False`` spells back typed pinyin only: that pass is a regex over the text, while the same-sound pass
    segments every Han stretch with jieba (~1 ms per KB), which a caller may keep for texts with some signal.
    """
    norm = text.translate(_table())[:MAX_CHARS]
    # typed ü is v (lv 律, nve 虐); the syllable table has it as u
    fixed = _LATIN_RUN.sub(lambda m: _decode_pinyin(m.group().replace("v", "u")) or m.group(), norm)
    if han:
        fixed = _HAN_RUN.sub(lambda m: _restore_han(m.group()), fixed)
    return fixed if fixed != norm else None
