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
  (「吃了饭」) stay as they are; a modern word jieba lacks (微信) counts as one written word, at its frequency in
  wordfreq's Chinese list, so it is not read as the same-sound 威信.

The restored text is an *extra* reading that the restored-reading layer (:mod:`~lingxi.compliance.restored`)
hands to the other layers after they judged the text itself; it never replaces what the user wrote. Long
texts are restored over their first :data:`MAX_CHARS` characters only, to keep a screening call within its
latency budget.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from lingxi.compliance.restore_words import (
    MAX_WORD,
    around_rare,
    has_rare,
    has_same_sound,
    index,
    is_rare,
    tokenizer,
    written_words,
)
from lingxi.compliance.screen import FILLER_HAN, all_syllables, fold_table, is_han, sound_keys, sound_tables, translator

__all__ = [
    "has_rare",
    "is_rare",
    "normalized",
    "respell",
    "respell_typed",
    "restore",
    "typed_alternatives",
    "typed_reading",
    "warm",
]

MAX_CHARS = 600
# The cost (log probability) of each character a replacement changes: a same-sound word replaces single
# characters only when it is far more probable than they are (e^3 ≈ 20× per changed character), which keeps
# most ordinary stretches of single characters (吃/了/饭, 包邮) as written; a word that keeps more of the written
# characters costs less. Same sounds and the same changes are decided by frequency alone (煽东 → 山东, not 煽动).
# 3, not 5 (wave 7, benchmarks/dev_evasion.py): most missed same-sound texts were never respelled at all (25 of 30
# misses with the most frequent same-sound character), not judged too strictly; at 3 the dev rows gain 4.5 points
# (homophones, every character) with the same everyday dev and validation must-pass blocks; at 2 typed pinyin
# mixed with Han characters starts to lose, at 1 an everyday sentence is blocked.
LOG_COST = 3.0
MAX_ALTERNATIVES = 6  # other readings of typed pinyin judged (typed_alternatives)
_DIGIT = re.compile(r"[a-z][1-5]")
_CLAUSE_MARKS = "，。,.!?！？；;:：、\n"
# pinyin typed with tone numbers (du2pin3, zha4 yao4 after normalization): the digits go when every piece before
# one is a syllable
_TONE_NUMBERED = re.compile(r"(?<![a-z0-9])(?:[a-z]{1,6}[1-5]){2,}(?![0-9])")
_TONE_PIECE = re.compile(r"([a-z]{1,6})[1-5]")
MIXED_HAN = 3  # Han characters on each side of a typed run that the mixed decoder may read as part of a word
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# a run of typed pinyin touching Han characters (毒pin, 电ziyouxi): decoded together with its Han neighbours
# Latin words (one space between words is kept, so English words stay apart: "how do i" is not "howdoi")
_LATIN_WORDS = r"(?<![a-z])(?<![a-z] )[a-z]{1,60}(?: [a-z]{1,60})*(?![a-z])(?! [a-z])"
_MIXED = re.compile(f"(?:{_HAN}{{0,{MIXED_HAN}}}{_LATIN_WORDS})+{_HAN}{{0,{MIXED_HAN}}}")
_WORDS = re.compile(r"[a-z]{2,}")
_LATIN_GROUP = re.compile(r"[a-z]+(?: [a-z]+)*")
_LOOSE_SPACE = re.compile(r"(?<![a-z]) +| +(?![a-z])")  # a space not between two letters: dropped
_SPACES = re.compile(r" {2,}")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
_LATIN = re.compile(r"[a-z]")  # every typed-pinyin pattern above needs one


def normalized(text: str) -> str:
    """The text as :func:`restore` reads it (the screen's folds; clause marks and the spaces between Latin words
    kept; at most MAX_CHARS)."""
    folded = _fold()(text)  # both patterns need a space: most Chinese text has none left
    return (_LOOSE_SPACE.sub("", _SPACES.sub(" ", folded)) if " " in folded else folded)[:MAX_CHARS]


Token = tuple[str, str]  # (word, sound key); the key is "" for a word of written characters only


def _decode_mixed(segment: str) -> str | None:
    """``毒pin`` → 毒品, ``zhayao`` → 炸药, ``暴li解juewenti`` → 暴力解决问题: typed syllables (every split tried)
    and the Han characters beside them read as the most probable words (jieba's unigram frequencies). A written
    Han character costs nothing to keep and :data:`LOG_COST` to change; a typed syllable may be any character
    with its sound. None when a typed run is not all pinyin (iphone, wifi)."""
    tokens = _decode_tokens(segment)
    return "".join(w for w, _ in tokens) if tokens is not None else None


@functools.lru_cache(maxsize=1024)  # bounded: its keys come from user text
def _decode_tokens(segment: str) -> tuple[Token, ...] | None:
    """The words of :func:`_decode_mixed`'s reading, each with the sound key it was chosen for ("" when kept)."""
    if not all(map(all_syllables, re.findall(r"[a-z]+", segment))):
        return None  # an English word among them: the run is not pinyin
    segment = segment.replace(" ", "")
    words, single, log_total = index()
    floor = -log_total
    n = len(segment)

    @functools.cache
    def decode(i: int) -> tuple[float, tuple[Token, ...]] | None:
        if i == n:
            return 0.0, ()
        options: list[tuple[float, tuple[Token, ...]]] = []
        if is_han(segment[i]) and (rest := decode(i + 1)) is not None:
            options.append((single.get(segment[i], 0.0) + floor + rest[0], ((segment[i], ""), *rest[1])))
        for j in range(i + 1, min(n, i + 6 * MAX_WORD) + 1):
            readings = _span_readings(segment[i:j])
            if not readings or (rest := decode(j)) is None:
                continue
            for key, template in readings:
                for word, lf in words.get(key, ()):
                    changed = sum(t not in ("?", w) for t, w in zip(template, word, strict=True))
                    typed = key if "?" in template else ""  # the key of a word chosen for typed syllables only
                    options.append((lf + floor - LOG_COST * changed + rest[0], ((word, typed), *rest[1])))
        return max(options) if options else None

    out = decode(0)
    return out[1] if out is not None else None


def _span_readings(span: str) -> list[tuple[str, str]]:
    """The ways to read ``span`` (Han characters and typed letters) as 1–4 syllables: (sound key, template),
    the template holding each written Han character and ``?`` for each typed syllable. A span of Han characters
    only needs two of them (a single one stays as written), and one cut through a typed run yields nothing
    unless both sides are whole syllables."""
    if span[0].isascii() and span[-1].isascii():
        keys = _syllables(span)
        return [(k, "?" * len(k)) for k in keys] if keys else []
    table = sound_tables()[0]
    parts = re.findall(r"[a-z]+|[^a-z]", span)
    if all(not p.isascii() for p in parts) and len(parts) < 2:
        return []
    readings = [("", "")]
    for part in parts:
        if part.isascii():
            options = [(k, "?" * len(k)) for k in _syllables(part) or ()]
        elif ord(part) in table:
            options = [(chr(table[ord(part)]), part)]
        else:
            return []
        readings = [(k + k2, t + t2) for k, t in readings for k2, t2 in options if len(k) + len(k2) <= MAX_WORD]
        if not readings:
            return []
    return readings


def _mixed_runs(text: str) -> list[tuple[int, int]]:
    """The spans of :data:`_MIXED` in ``text``, each cut at its groups of Latin words that hold an English word
    (one that is no run of syllables): 「用socialism解释gai guo专制」 is one match of the regex, in which the
    English word would keep ``gai guo`` from being read at all (:func:`_decode_mixed` reads pinyin only); the
    pieces between such groups are matched again on their own. A group stays whole, so the syllable-like
    words of English prose (my mom, he) stay English."""
    spans: list[tuple[int, int]] = []
    for m in _MIXED.finditer(text):
        english = [g for g in _LATIN_GROUP.finditer(m.group()) if not _pinyin_group(g.group())]
        if not english:
            spans.append(m.span())
            continue
        at = m.start()
        for g in [*english, None]:
            end = m.start() + g.start() if g is not None else m.end()
            spans += [(at + x.start(), at + x.end()) for x in _MIXED.finditer(text[at:end])]
            at = m.start() + g.end() if g is not None else end
    return spans


def _pinyin_group(words: str) -> bool:
    """Whether every word of a group of Latin words is typed syllables (ü typed as v: lv 律)."""
    return all(all_syllables(w.replace("v", "u")) for w in words.split())


def _typed(segment: str, *, touching_han: bool) -> str:
    """One :data:`_MIXED` match spelled back (as written when it is not pinyin, or when ``touching_han`` and it
    has no Han character; a lone letter, 选A, stays as written)."""
    if sum(map(str.isascii, segment)) < 2 or (touching_han and segment.isascii()):
        return segment
    # typed ü is v (lv 律, nve 虐); the syllable table has it as u
    return _decode_mixed(segment.replace("v", "u")) or segment


def _untone(m: re.Match[str]) -> str:
    """``du2pin3`` → ``dupin`` when each piece is a syllable (otherwise as written: mp3, win10)."""
    sounds = sound_tables()[1]
    pieces = _TONE_PIECE.findall(m.group())
    return "".join(pieces) if all(p.replace("v", "u") in sounds for p in pieces) else m.group()


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


def _restore_han(run: str) -> tuple[str, str]:
    """Respell each stretch of two or more single characters jieba leaves (see the module doc): (the reading,
    the reading with only its sure words, :func:`_respell`).

    A run in which no span has a same-sound word other than what is written reads as written whatever jieba
    makes of it (:func:`_respell` only ever puts such a word in,
    :func:`~lingxi.compliance.restore_words.has_same_sound`), so it is not segmented: segmentation and the
    respelling cost ~6 µs a character, the check well under 1 (and it stops at the first such span)."""
    if not has_same_sound(run):
        return run, run
    tokens = around_rare(tokenizer().lcut(run, HMM=False))
    out: list[str] = []
    sure: list[str] = []
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and len(tokens[j]) == 1:
            j += 1
        if j - i < 2:
            out.append(tokens[i])
            sure.append(tokens[i])
            i += 1
        else:
            reading, sure_reading = _respell("".join(tokens[i:j]))
            out.append(reading)
            sure.append(sure_reading)
            i = j
    return "".join(out), "".join(sure)


def _respell(chars: str) -> tuple[str, str]:
    """The most probable reading of ``chars``: each character as written, or a same-sound word over 2–4 of them
    at :data:`LOG_COST` per changed character (dynamic programming, right to left); and the same reading with
    only its *sure* words changed, those where a changed character is rare (:func:`is_rare`: 兽丄 → 售商 for
    销售商, whose 丄 ordinary text never writes), the other words as written."""
    words, single, log_total = index()
    # each character's sound key is one code point, so a span's key is the slice of the whole run's key
    # (one translate per run instead of one per span: up to three per character)
    keys = sound_keys()(chars)
    floor = -log_total  # a character missing from the dictionary: frequency 1
    best: list[tuple[float, str, str]] = [(0.0, "", "")] * (len(chars) + 1)
    for i in range(len(chars) - 1, -1, -1):
        rest = best[i + 1]
        options = [(single.get(chars[i], 0.0) + floor + rest[0], chars[i] + rest[1], chars[i] + rest[2])]
        for n in range(2, min(MAX_WORD, len(chars) - i) + 1):
            span = chars[i : i + n]
            rest = best[i + n]
            if (lp := written_words().get(span)) is not None:  # 微信: a word jieba's dictionary lacks
                options.append((lp + rest[0], span + rest[1], span + rest[2]))
            for word, lf in words.get(keys[i : i + n], ()):
                changed = [b for a, b in zip(word, span, strict=True) if a != b]
                sure = word if any(map(is_rare, changed)) else span
                options.append((lf + floor - LOG_COST * len(changed) + rest[0], word + rest[1], sure + rest[2]))
        best[i] = max(options)
    return best[0][1], best[0][2]


@functools.cache
def _fold() -> Callable[[str], str]:
    """The screen's normalization (a :func:`~lingxi.compliance.screen.translator`), except that (1) filler strokes
    with a reading (乀 fu, 乁 yi, 丿 pie) are kept: the screen drops them as separators, but as same-sound stand-ins
    they carry a syllable (丶, the usual separator, is still dropped); (2) clause punctuation is kept, so the
    restored reading still has the clauses that the classifier scores one by one and the intent rules read; (3)
    pinyin tone marks fold to bare letters (zhà → zha, nüè → nve), the way the typed-pinyin decoder reads them."""
    table = dict(fold_table())
    for ch in FILLER_HAN:
        if ch != "丶" and is_han(ch):
            table.pop(ord(ch), None)
    for ch in " \t\u3000\u00a0":  # spaces: kept between Latin words (normalized() drops the rest)
        table[ord(ch)] = " "
    for ch in _CLAUSE_MARKS:
        table[ord(ch)] = "，" if ch in "，,、" else "。"
    for code in range(0xC0, 0x250):  # Latin-1 Supplement and Latin Extended-A/B: à á ǎ ā ü ǘ ǚ ǜ ǖ …
        bare = unicodedata.normalize("NFD", chr(code))
        base = bare[0].lower()
        if len(bare) > 1 and base.isascii() and base.isalpha():
            table[code] = "v" if base == "u" and "\u0308" in bare else base
    return translator(table)


def warm() -> None:
    """Build the sound index now (~3 s of CPU, once per process) rather than inside the first screening call
    that needs it: the server calls this before serving (``server.app._warm_up``)."""
    index()


@functools.lru_cache(maxsize=256)  # the classifier and the restored-reading layer ask for the same text
def typed_alternatives(text: str, limit: int = MAX_ALTERNATIVES) -> list[str]:
    """Other readings of the typed pinyin in ``text``: one word of :func:`restore`'s typed reading swapped for the
    next most frequent word with its sound (jiaqian: 价钱 first, then 假钱), at most ``limit`` of them, the more
    frequent alternatives first. A unigram model cannot tell which one was meant; the caller judges them as
    guesses (:mod:`~lingxi.compliance.restored`)."""
    fixed, english = _untoned(normalized(text))
    pieces: list[str | tuple[Token, ...]] = []
    at = 0
    for start, end in _mixed_runs(fixed):
        segment = fixed[start:end]
        tokens = None if _typed(segment, touching_han=english) == segment else _decode_tokens(segment.replace("v", "u"))
        pieces += [fixed[at:start], tokens if tokens is not None else segment]
        at = end
    pieces.append(fixed[at:])
    words = index()[0]
    found: list[tuple[int, str]] = []
    for i, piece in enumerate(pieces):
        for j, (word, key) in enumerate(piece if isinstance(piece, tuple) else ()):
            for rank, (alt, _) in enumerate(words.get(key, ())[:4] if key and len(word) >= 2 else ()):
                if alt != word:
                    swapped = list(piece)
                    swapped[j] = (alt, key)
                    reading = [*pieces[:i], tuple(swapped), *pieces[i + 1 :]]
                    found.append(
                        (rank, "".join(p if isinstance(p, str) else "".join(w for w, _ in p) for p in reading))
                    )
    return [r for _, r in sorted(found, key=lambda x: x[0])][:limit]


def restore(text: str, *, han: bool = True) -> str | None:
    """The normalized text with pinyin and same-sound stretches spelled back, or None when nothing changed.

    ``han=False`` spells back typed pinyin only: that pass is a regex over the text, while the same-sound pass
    segments every Han stretch with jieba (~1 ms per KB), which a caller may keep for texts with some signal.
    """
    if not han:
        norm, typed = typed_reading(text)
        return typed if typed != norm else None
    readings = respell(text)
    return readings[0] if readings is not None else None


def _untoned(norm: str) -> tuple[str, bool]:
    """:func:`normalized` text with tone-numbered pinyin (zha4yao4) made bare, and whether it holds an English
    word: in a text with English words (an exam question, code, a product name) only a run touching Han characters
    is read as pinyin: 「A. he B. she」 stays English, 「怎么买du pin」 does not."""
    fixed = _TONE_NUMBERED.sub(_untone, norm) if _DIGIT.search(norm) else norm
    return fixed, any(not all_syllables(w) for w in _WORDS.findall(fixed))


def typed_reading(text: str) -> tuple[str, str]:
    """(the normalized text, the same with its typed pinyin spelled back).

    A text without a Latin letter has no typed pinyin and skips the regexes below (~0.3 µs a character on Han
    text, where the mixed-run pattern tries every position; most texts)."""
    norm = normalized(text)
    if not _LATIN.search(norm):
        return norm, norm
    fixed, english = _untoned(norm)
    out: list[str] = []
    at = 0
    for start, end in _mixed_runs(fixed):
        out += [fixed[at:start], _typed(fixed[start:end], touching_han=english)]
        at = end
    return norm, "".join(out) + fixed[at:]


@functools.lru_cache(maxsize=64)  # bounded: its keys come from user text
def respell(text: str) -> tuple[str, str] | None:
    """:func:`restore`'s full reading of ``text`` and its *sure* part, or None when nothing changed: typed pinyin
    spelled back and only the same-sound words with a rare changed character (:func:`_respell`), the rest as
    written. The sure part is what the user spelled as surely as typed pinyin; the rest of the reading is a
    guess (:mod:`~lingxi.compliance.restored` judges the two differently)."""
    return respell_typed(*typed_reading(text))


def respell_typed(norm: str, typed: str) -> tuple[str, str] | None:
    """:func:`respell` from :func:`typed_reading`'s pair, for a caller that has it already."""
    out: list[str] = []
    sure: list[str] = []
    at = 0
    for m in _HAN_RUN.finditer(typed):
        reading, sure_reading = _restore_han(m.group())
        out += [typed[at : m.start()], reading]
        sure += [typed[at : m.start()], sure_reading]
        at = m.end()
    out.append(typed[at:])
    sure.append(typed[at:])
    fixed = "".join(out)
    return (fixed, "".join(sure)) if fixed != norm else None
