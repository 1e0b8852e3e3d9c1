"""Four-character idioms (成语) written with one sound-alike character wrong: 伴途而废 → 半途而废.

The idiom list is the four-character entries jieba's bundled dictionary tags ``i`` or ``l`` or lists as frequent
(MIT, installed with jieba), so no hand-kept table is needed. An idiom is fixed text: a four-character run that
is not itself a word (or only a rare listed misspelling, see :data:`VARIANT_MAX`) but matches an idiom in three
places, where the fourth character sounds like the idiom's (same toneless pinyin, usual reading) is almost
surely that idiom mistyped — unless both characters make a word with the same neighbour (隐性遗传 and 隐形遗传
are both right). No usable idiom list was found on PyPI: the
``chengyu``/``ChengYu`` packages hold no list.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")


#: jieba tags of fixed four-character expressions: idioms (i) and set phrases (l, e.g. 各行其是).
IDIOM_TAGS = frozenset({"i", "l"})
#: Other four-character entries this frequent are fixed expressions too (世外桃源/n, 美轮美奂/nr).
FIXED_FREQ = 20
#: jieba's dictionary also lists some misspelt idioms (兴高彩烈, 九宵云外, 3 each): a written four-character word
#: this rare, where one sound-alike character makes an expression at least :data:`VARIANT_RATIO` times as
#: frequent, is treated as the misspelling.
VARIANT_MAX = 10
VARIANT_RATIO = 5
#: How frequent a word the written character at a window's edge must make with its outside neighbour for the
#: window to be read as two words, not an idiom (所以 and 大部分, not 一大部分).
EDGE_WORD_FREQ = 100


class IdiomFix(NamedTuple):
    start: int
    original: str
    replacement: str
    idiom: str
    begin: int = -1  # where the idiom starts in the text: its other characters are right as written


@lru_cache(maxsize=1)
def _idioms() -> dict[str, int]:
    """jieba's four-character idioms and set phrases with their dictionary frequency."""
    import jieba

    out: dict[str, int] = {}
    with jieba.get_dict_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3 and len(parts[0]) == 4 and (parts[2] in IDIOM_TAGS or int(parts[1]) >= FIXED_FREQ):
                out[parts[0]] = int(parts[1])
    return out


@lru_cache(maxsize=1)
def _masked() -> dict[str, list[tuple[int, str, str]]]:
    """``idiom with one position masked`` → [(position, character, idiom)] over jieba's idioms."""
    index: dict[str, list[tuple[int, str, str]]] = {}
    for word in _idioms():
        for k in range(4):
            index.setdefault(word[:k] + "_" + word[k + 1 :], []).append((k, word[k], word))
    return index


_PLACES = [(a, b) for a in range(4) for b in range(a, 4)]


def _mask(word: str, a: int, b: int) -> tuple[int, int, str]:
    """``word`` without its characters at ``a`` and ``b`` (one place when ``a == b``), and which they were."""
    return a, b, word[:a] + word[a + 1 : b] + word[b + 1 :] if a < b else word[:a] + word[a + 1 :]


@lru_cache(maxsize=1)
def _frequent() -> dict[tuple[int, int, str], list[str]]:
    """The idioms frequent enough to be the right spelling of a listed misspelling, by one or two masked places."""
    index: dict[tuple[int, int, str], list[str]] = {}
    for word, count in _idioms().items():
        if count >= VARIANT_RATIO:
            for a, b in _PLACES:
                index.setdefault(_mask(word, a, b), []).append(word)
    return index


@lru_cache(maxsize=4096)
def misspelt(idiom: str) -> bool:
    """Whether ``idiom`` is a misspelling jieba lists as an idiom (记忆忧新 and 涣然一新, 3 each, beside 记忆犹新 104
    and 焕然一新 622; 留恋忘返 beside 流连忘返 181): at most :data:`VARIANT_MAX` frequent, where the same sounds at one
    or two places spell an idiom at least :data:`VARIANT_RATIO` times as frequent. As a target such an entry
    turned right text wrong (记忆尤新 → 忧, 流恋忘返 → 留, 换然一新 → 涣)."""
    freq = _idioms()
    count = freq.get(idiom, 0)
    if not count or count > VARIANT_MAX:
        return False
    index = _frequent()
    return any(
        freq[other] >= VARIANT_RATIO * count
        and all(_sounds(idiom[k]) & _sounds(other[k]) for k in (a, b) if idiom[k] != other[k])
        for a, b in _PLACES
        for other in index.get(_mask(idiom, a, b), [])
    )


@lru_cache(maxsize=8192)
def _sounds(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    return frozenset(pinyin(ch, style=Style.NORMAL)[0])  # the usual reading: 提 (tí) is not 底 (dǐ)


def _both_words(window: str, idiom: str, pos: int, freq: dict[str, int]) -> bool:
    """Whether the written character and the idiom's each make a word with the same neighbour (隐性/隐形遗传)."""
    spans = [(pos - 1, pos + 1), (pos, pos + 2)] if pos > 0 else [(pos, pos + 2)]
    return any(freq.get(window[a:b]) and freq.get(idiom[a:b]) for a, b in spans if b <= 4)


def _bound_outside(chunk: str, i: int, pos: int, ch: str, freq: dict[str, int]) -> bool:
    """Whether the written character at the window's edge makes a frequent word with its neighbour outside the
    window, more frequent than the idiom's character makes there: the four characters only straddle two words
    (所以大部分 is no 一大部分, 深圳不知道 no 真不知道, 黑龙江生产 no 黑龙江省)."""
    if pos == 0 and i > 0:
        written, fixed = chunk[i - 1 : i + 1], chunk[i - 1] + ch
    elif pos == 3 and i + 4 < len(chunk):
        written, fixed = chunk[i + 3 : i + 5], ch + chunk[i + 4]
    else:
        return False
    return freq.get(written, 0) >= max(EDGE_WORD_FREQ, freq.get(fixed, 0) + 1)


def find(text: str) -> list[IdiomFix]:
    """Every one-character idiom typo in ``text`` (offsets are ``str`` indices), in text order."""
    from lingxi.features.charlm import word_freq

    freq, index = word_freq(), _masked()
    fixes: dict[int, IdiomFix] = {}
    for run in _CJK_RUN.finditer(text):
        chunk, base = run.group(), run.start()
        for i in range(len(chunk) - 3):
            window = chunk[i : i + 4]
            written_freq = freq.get(window, 0)
            if written_freq > VARIANT_MAX:
                continue
            for k in range(4):
                for pos, ch, idiom in index.get(window[:k] + "_" + window[k + 1 :], []):
                    written = window[pos]
                    if written_freq and freq.get(idiom, 0) < VARIANT_RATIO * written_freq:
                        continue
                    variant = bool(written_freq)  # a listed misspelling: its halves being words proves nothing
                    if (
                        ch != written
                        and not misspelt(idiom)
                        and _sounds(ch) & _sounds(written)
                        and (variant or not _both_words(window, idiom, pos, freq))
                        and not _bound_outside(chunk, i, pos, ch, freq)
                    ):
                        fixes.setdefault(base + i + pos, IdiomFix(base + i + pos, written, ch, idiom, base + i))
    return [fixes[k] for k in sorted(fixes)]
