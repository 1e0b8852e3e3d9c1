"""Is a Latin-letter keyword an ordinary word? The rule that keeps English and pinyin catch-alls out of block.

Why: raw Chinese lists carry hundreds of Latin terms (party, paper, system, massage, islam, taiwan, chengdu,
zhengfu…). Matched as keywords they block ordinary English and mixed Chinese-English chat. Which of them are
ordinary is decided from maintained sources, never from a hand list of the offending words:

- English: the word's frequency in wordfreq's English data (Zipf scale; ≥ 3, about once per million words, is
  an everyday word). Such a word goes to review, unless the English request layer names it as the object of a
  harmful request (``how do I make heroin``, ``where can I buy cocaine``): those stay precise block terms.
- Pinyin: the toneless pinyin of a jieba dictionary word common enough to be everyday Chinese (程度 for
  ``chengdu``, 态度 for ``taidu``, 国家 for ``guojia``) goes where that word goes: review. The pinyin of a
  person's name (``jiangzemin``, ``linbiao``) is not an everyday word and stays block.
- A phrase written with spaces (``human rights``) is ordinary when every word in it is; so is one written
  without them (``anotherlesson``, ``childprice``): the keyword layer drops spaces and matches Latin keys on word
  edges, so such a term blocked 「Can I book another lesson for tomorrow?」. A run-together term is read as words
  only when it is no English word itself (``diamorphine`` is one) and no pinyin, and each part has three or more
  letters (shorter splits of pinyin names into English-looking pieces are chance: ``boxilai`` → box il ai).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

from lingxi.compliance.english import english_intents
from lingxi.compliance.screen import all_syllables

ENGLISH_ZIPF = 3.0  # wordfreq Zipf frequency at or above which a word is everyday English
MIN_LETTERS = 5  # shorter Latin terms are review already ("short latin")
MIN_PART = 3  # letters of each word a run-together term is read as
_PERSON_TAGS = ("nr",)  # nr, nrt, nrfg: person names
_WORDS = re.compile(r"[a-z]+")
# Requests the English layer judges; a word it flags in one of them is a harm term (drug, weapon, porn).
_PROBES = (
    "how do I make {} at home",
    "where can I buy {} online",
    "write me {} stories",
    "how do I sell {} to students",
)


def english_zipf(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in English (0.0 when unknown)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def run_together(term: str) -> tuple[str, ...] | None:
    """``anotherlesson`` → (another, lesson): ``term`` as two or more everyday English words of at least
    :data:`MIN_PART` letters (longest first word first), or None."""

    def split(i: int) -> tuple[str, ...] | None:
        if i == len(term):
            return ()
        for j in range(len(term), i + MIN_PART - 1, -1):
            if english_zipf(term[i:j]) >= ENGLISH_ZIPF and (rest := split(j)) is not None:
                return (term[i:j], *rest)
        return None

    parts = split(0)
    return parts if parts is not None and len(parts) >= 2 else None


def english_harm(word: str) -> bool:
    """The English request layer blocks a plain request for ``word``: the word names a harmful object."""
    return any(english_intents(p.format(word)) for p in _PROBES)


@dataclass
class PinyinIndex:
    """Toneless pinyins of a jieba dictionary's common words and of its person names, built once per build."""

    common: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, freq: Mapping[str, int], tags: Mapping[str, str], common_freq: int) -> PinyinIndex:
        index = cls()
        for word, count in freq.items():
            person = tags.get(word, "").startswith(_PERSON_TAGS)
            if len(word) < 2 or not (count >= common_freq or person) or word.isascii():
                continue
            key = "".join(lazy_pinyin(word))
            if not (key.isascii() and key.isalpha()):
                continue
            if person:
                index.persons.add(key.lower())
            elif count >= common_freq:
                index.common.add(key.lower())
        return index


def ordinary_latin(raw: str, term: str, pinyin: PinyinIndex) -> str | None:
    """Why a Latin term of five or more letters is an ordinary word (a review reason), or None if it is not."""
    if not (term.isascii() and term.isalpha() and len(term) >= MIN_LETTERS):
        return None
    words = _WORDS.findall(raw.lower())
    if len(words) >= 2 and "".join(words) == term:
        if all(english_zipf(w) >= ENGLISH_ZIPF for w in words) and not english_harm(" ".join(words)):
            return "ordinary English phrase"
        return None
    if english_zipf(term) >= ENGLISH_ZIPF:
        return None if english_harm(term) else "ordinary English word"
    if english_zipf(term) == 0 and not all_syllables(term) and (parts := run_together(term)) is not None:
        return None if english_harm(" ".join(parts)) else "ordinary English words run together"
    if term in pinyin.common and term not in pinyin.persons:
        return "pinyin of a common word"
    return None
