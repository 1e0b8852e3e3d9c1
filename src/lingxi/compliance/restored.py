"""The restored-reading layer: the text with typed pinyin and same-sound characters spelled back
(:mod:`~lingxi.compliance.restore`), judged by the other layers.

Why a layer of its own: the classifier used to score the restored reading by itself, but a third of the plain
requests it stands for are blocked by the intent rules or the semantic layer, which never saw it — so
「编写一个倡导 bao li jie jue wen ti 的宣传口号」 passed although 「编写一个倡导暴力解决问题的宣传口号」 is
blocked. Here the reading goes through the keyword, intent, classifier and semantic layers alike, and this is the
only place that spells text back: the classifier judges the text as written (wave 7 removed its own respelling,
which this layer covered; benchmarks/README.md).

How sure a reading is decides how it is judged:

* typed pinyin (with or without tones, spaced, capitalized, mixed with Han characters: 毒pin) is what the user
  spelled, only in another script: its reading is judged by the layers as they are;
* typed pinyin that a unigram model may have read as the wrong word (jiaqian: 价钱 or 假钱?) has its other
  readings (the next most frequent words with the same sound) judged as guesses, like same-sound readings below;
* a same-sound word with a rare character among those it changes (绑乫 → 绑架, 销兽丄 → 销售商: ordinary text
  almost never writes 乫 or 丄, :func:`~lingxi.compliance.restore.is_rare`) is as sure, the whole word (售 as
  well as 商: wave 8, before only the rare characters themselves, which left 销兽商 and 银行丈号 half-spelled
  and judged as guesses): those words alone make a reading judged like typed pinyin
  (:func:`~lingxi.compliance.restore.respell`), when the whole reading, judged the same way, agrees;
* other same-sound characters (炸要 → 炸药) are a guess, and an ordinary text respelled by chance must not
  cross a line: that reading is judged with the model thresholds scaled by :data:`RESPELT_MARGIN` and without
  the keyword layer (whose homophone key already covers long terms), and only for texts that the classifier
  already scores at :data:`RESPELL_FLOOR` of its threshold, or that hold an uncommon character (segmenting every
  ordinary text would cost ~1 ms/KB for nothing);
* unless the reading replaces an *uncommon* character (:func:`~lingxi.compliance.restore_words.changed_uncommon`:
  侀 for 型, 亍 for 出; not rare enough to be a sure stand-in, but no ordinary text writes one where a common
  same-sound word fits): the text was dodged on purpose, so its whole reading is judged by the layers as they
  are, keyword layer included (wave 9, benchmarks/README.md).

A long text's same-sound reading (over :data:`LONG` characters; restore reads the first
:data:`~lingxi.compliance.restore.MAX_CHARS`) is judged by the classifier alone, at :data:`LONG_MARGIN`: a dodged
request put before a long role-play preamble is still caught (the classifier scores a framed text's first
clauses alone), while the intent and semantic layers, which would double the cost of a long document, are
spared (benchmarks/dev_evasion.py, long rows; benchmarks/README.md, wave 7).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence

from lingxi.compliance.classifier import ClassifierScreener
from lingxi.compliance.dialect import only_dialect_changed
from lingxi.compliance.restore import has_rare, respell_typed, typed_alternatives, typed_reading
from lingxi.compliance.restore_words import changed_uncommon, has_uncommon
from lingxi.compliance.screen import PASS, KeywordScreener, Screener, ScreenResult
from lingxi.compliance.semantic import SemanticScreener

# A same-sound reading is a guess at what was meant, and a borderline text respelled by chance (微信 → 威信) can
# cross the line: the model layers judge such a reading at this many times their thresholds (wave 5: without it
# 「微信聊天记录怎么备份」 was blocked). 1.25 since wave 8, when written words that jieba's dictionary lacks (微信)
# stopped being respelled (restore_words.written_words): on the dev pool it gains 0.5–2 points on the pinyin and
# same-sound rows with no everyday dev sentence blocked; it blocks 3 more of 9,109 validation must-pass texts
# (哪种 → 那种, 哪天 → 那天: a unigram model's guesses) and, at 1.0, 13 more (benchmarks/README.md, wave 8).
RESPELT_MARGIN = 1.25
# Same-sound characters are spelled back only for a text that the classifier already scores at this share of its
# threshold: a request with a few key characters swapped keeps most of its other n-grams (and the homophone-key
# ones), so it is never near zero, while four in five everyday texts are and would pay ~1 ms/KB of segmentation
# for nothing. Chosen on the dev material (risk templates dodged the bench's way: every respelled rescue scored
# ≥ 0.2 of the threshold as written; 21 % of the 1,000 everyday dev sentences do). Typed pinyin is always read.
RESPELL_FLOOR = 0.2
# Over this many characters (normalized) a same-sound reading is judged by the classifier alone (see the module doc),
# at this margin: a long text has more stretches that a unigram model can respell by chance (wave 8: at 1.25, 2 more
# of 200 everyday dev contexts over 1,000 characters were blocked, benchmarks/dev_evasion.py).
LONG = 300
LONG_MARGIN = 1.5
# Layers that read Chinese: the English layer gains nothing from a reading spelled back into Han characters.
_SKIPPED = frozenset({"english"})


def _name(layer: Screener) -> str:
    return str(getattr(layer, "layer", type(layer).__name__))


class RestoredScreener:
    """Judge the restored readings of a text with ``layers`` (see the module doc); ``layer="restored"``."""

    layer = "restored"

    def __init__(self, layers: Sequence[Screener], *, margin: float = RESPELT_MARGIN, dialect: bool = True) -> None:
        self.margin = margin
        # a same-sound reading that only respells Cantonese words is no reading (dialect.py; ``screen_ordinary_frames``)
        self.dialect = dialect
        self.inner = [x for x in layers if _name(x) not in _SKIPPED]
        self._typed = self.inner
        self._respelt: list[Screener] = []
        for x in self.inner:
            if isinstance(x, KeywordScreener):
                continue
            if isinstance(x, ClassifierScreener | SemanticScreener):
                x = copy.copy(x)
                x.strict = x.strict * margin
            self._respelt.append(x)
        self._long: list[Screener] = []
        for x in self.inner:
            if isinstance(x, ClassifierScreener):
                x = copy.copy(x)
                x.strict = x.strict * max(margin, LONG_MARGIN)
                self._long.append(x)
        self._classifier = next((x for x in self.inner if isinstance(x, ClassifierScreener)), None)
        if self._classifier is not None and not hasattr(self._classifier.score, "cache_info"):
            # The gate below asks the classifier for the score it has just computed for the same text (this layer
            # runs after it): remember its last few scores instead of hashing the text twice. ``score`` depends on
            # the text and the weights only (not on thresholds), so copies made for minors may share it.
            setattr(self._classifier, "score", functools.lru_cache(maxsize=8)(self._classifier.score))  # noqa: B010

    @property
    def lookbehind(self) -> int:
        return max((x.lookbehind for x in self.inner), default=0)

    def _needs_respelling(self, text: str) -> bool:
        """The classifier's gate (its score of the text as written, remembered from the classifier layer)."""
        if self._classifier is None:
            return True
        p, risks = self._classifier.score(text)
        top = max(risks, key=risks.__getitem__) if risks else None
        return p >= RESPELL_FLOOR * self._classifier.threshold_for(top)

    def screen(self, text: str) -> ScreenResult:
        norm, base = typed_reading(text)  # base: the typed reading, or the normalized text when none was typed
        typed = base if base != norm else None
        if typed is not None and (hit := _first_block(self._typed, typed)) is not None:
            return hit
        for other in typed_alternatives(text) if typed is not None and self._respelt else ():
            if (hit := _first_block(self._respelt, other)) is not None:  # 假钱 where 价钱 was read: a guess
                return hit
        judges = self._long if len(base) > LONG else self._respelt
        # an uncommon character opens the gate only where it counts (below): not for a long text's classifier reading
        dodged = has_rare(base) or (judges is not self._long and has_uncommon(base))
        if not judges or not (dodged or self._needs_respelling(text)):
            return PASS
        readings = respell_typed(norm, base)
        if readings is None or readings[0] == base:
            return PASS
        respelt, sure = readings
        if self.dialect and only_dialect_changed(base, respelt):
            return PASS  # 係咪 → 细密: a Cantonese word has a meaning, not a same-sound Mandarin word it stands for
        if judges is self._long:
            return _first_block(judges, respelt) or PASS
        # the sure words at the plain thresholds, when the whole reading agrees: the sure reading keeps the other
        # dodged words as written, a hybrid nobody wrote (我们班的女生都喜欢打与冒求 for 衄省…与冒求, whose
        # whole reading 我们般的女生都喜欢打羽毛球 passes); a dodged request reads as one in both
        if (
            sure != base
            and (hit := _first_block(self._typed, sure)) is not None
            and (respelt == sure or _first_block(self._typed, respelt) is not None)
        ):
            return hit
        if respelt == sure:
            return PASS
        # a reading that replaces an uncommon character (侀, 亍: stand-ins no ordinary text writes where a common
        # same-sound word fits) was dodged on purpose: its guesses are judged like the sure words, as written
        judges = self._typed if changed_uncommon(base, respelt) else self._respelt
        return _first_block(judges, respelt) or PASS


def _first_block(layers: Sequence[Screener], reading: str) -> ScreenResult | None:
    for x in layers:
        result = x.screen(reading)
        if result.blocked:
            scores = {f"{_name(x)}:{k}": v for k, v in result.scores.items()}
            return ScreenResult("block", result.risks, scores, RestoredScreener.layer)
    return None
