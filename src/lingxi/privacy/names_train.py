"""Training the name re-ranker (:mod:`.names_rerank`) at build time: synthetic sentences in, weights out.

Positives: the frames of :mod:`.names_frames` filled with names drawn from the names resource being built —
a surname by its frequency with one or two given characters drawn from the given-name statistics (half
historical shares, half the seed's modern characters), a historical full name from ``ancient_names.txt``,
or a two-character ordinary word that starts with a surname (宁静, 高峰: people are named so, and only
context can tell). Negatives: every other candidate in those sentences (a name's wrong boundaries, words
elsewhere in the frame) and every candidate in ordinary text, when the sibling safety folder's
``extra_benign.jsonl`` is there (only its task-dialogue, medical-question and comment sources: its wiki
and film/music chats are full of real names). Nothing derived is committed: the weights go to the build
folder next to the other tables.

scikit-learn (a dependency) is imported here only, so redaction never loads it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names import LIST_THRESHOLD, _candidates, _index
from lingxi.privacy.names_frames import FRAMES
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.names_rerank import BASE, BIAS, base_value, features

FILLS_PER_FRAME = 80
BENIGN_SOURCES = ("CrossWOZ", "Chinese-medical-dialogue-data", "COLD train", "COLD dev")
BENIGN_MAX = 24000
_SEED = 15
# shares of drawn full names that are historical (ancient_names.txt) and ordinary two-character words;
# the rest are surname + given characters. Word-like names are rare in life: more teaches that 沈阳 is a name.
WORDLIKE_SHARE = (0.10, 0.06)
# share of full-name slots filled with an ordinary word instead (贺卡, 沈阳), a negative: in a name's place,
# a word is a name about as often as not, so only the context decides, and a sentence-initial word no more
# looks like a name than it does in ordinary text
WORD_FILL = 0.06
_C = 2.0  # inverse L2 strength, chosen with RERANK_ADD on the dev parts (0.1 … 8 tried; 2 and 8 tie)


class _Names:
    """Draws names: modern-style from surname and character statistics, historical, or word-like."""

    def __init__(
        self, surname_tf: dict[str, float], given_share: dict[str, float], ancient: list[str], model: NameModel
    ):
        self.rng = random.Random(_SEED)
        ranked = sorted(surname_tf, key=lambda s: -surname_tf[s])[:400]
        self.surnames = ranked
        self.surname_w = [surname_tf[s] for s in ranked]
        self.singles = [s for s in ranked if len(s) == 1]
        self.single_w = [surname_tf[s] for s in self.singles]
        hist = sorted(given_share, key=lambda c: -given_share[c])[:2000]
        self.hist, self.hist_w = hist, [given_share[c] for c in hist]
        self.modern = sorted(seed.MODERN_GIVEN_CHARS)
        self.ancient = ancient
        self.wordlike_share = WORDLIKE_SHARE  # the tagger's training draws more (names_crf_train)
        heads = set(self.singles[:300])
        self.words = sorted(
            w for w in model.words if len(w) == 2 and w[0] in heads and not model.tags.get(w, "").startswith("nr")
        )
        self.wordlike = [w for w in self.words if w[1] in model.given and not model.tags.get(w, "").startswith("ns")]

    def _given_char(self) -> str:
        if self.rng.random() < 0.5:
            return self.rng.choice(self.modern)
        return self.rng.choices(self.hist, self.hist_w)[0]

    def surname(self) -> str:
        return self.rng.choices(self.singles, self.single_w)[0]

    def compound(self) -> str:
        """A compound surname (欧阳, 司马) with one or two given characters (the ``◇`` slot)."""
        given = self._given_char() + (self._given_char() if self.rng.random() < 0.5 else "")
        return self.rng.choice(seed.COMPOUND_SURNAMES) + given

    def full(self) -> str:
        r = self.rng.random()
        if r < self.wordlike_share[0] and self.ancient:
            return self.rng.choice(self.ancient)
        if r < sum(self.wordlike_share) and self.wordlike:
            return self.rng.choice(self.wordlike)
        sur = self.rng.choices(self.surnames, self.surname_w)[0]
        if self.rng.random() < 0.45:
            return sur + self._given_char()
        first = self._given_char()
        return sur + first + (first if self.rng.random() < 0.08 else self._given_char())


def _fill(frame: str, names: _Names, word_fill: float = WORD_FILL) -> tuple[str, list[tuple[int, int]]]:
    text, gold, used = "", [], set()
    for ch in frame:
        if ch == "□" and names.words and names.rng.random() < word_fill:
            text += names.rng.choice(names.words)
        elif ch in "□△◇":
            draw = names.full if ch == "□" else names.surname if ch == "△" else names.compound
            name = draw()
            while name in used:
                name = draw()
            used.add(name)
            gold.append((len(text), len(text) + len(name)))
            text += name
        else:
            text += ch
    return text, gold


def _benign(path: Path | None) -> Iterator[str]:
    if path is None or not path.is_file():
        return
    rng = random.Random(_SEED)
    texts = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("source") in BENIGN_SOURCES:
                texts.append(str(row["text"])[:160])
    rng.shuffle(texts)
    yield from texts[:BENIGN_MAX]


def _rows(text: str, gold: set[tuple[int, int]], model: NameModel) -> Iterator[tuple[dict[str, float], int]]:
    """Features and label of every candidate the generator proposes in ``text`` (as :mod:`.names` scores)."""
    ix = _index(model)
    starts = [m.start() for m in ix.finder.finditer(text)]
    if "小" in text or "老" in text:
        starts += [m.start() for m in ix.nick.finditer(text)]
    for i in starts:
        for base, s, e in _candidates(text, i, model, ix, split=False):
            row: dict[str, float] = dict.fromkeys(features(text, s, e, model), 1.0)
            row[BASE] = base_value(base)
            yield row, int((s, e) in gold)


def train_rerank(
    model: NameModel,
    surname_tf: dict[str, float],
    given_share: dict[str, float],
    ancient: list[str],
    benign: Path | None,
) -> tuple[dict[str, float], dict[str, object]]:
    """Weights of the re-ranker for ``model`` (which must have none yet), and counts for the manifest."""
    from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped, unused-ignore]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped, unused-ignore]

    model = replace(model, rerank={})
    names = _Names(surname_tf, given_share, ancient, model)
    X: list[dict[str, float]] = []
    y: list[int] = []
    missed = positives = negatives = 0
    for frame in FRAMES:
        for _ in range(FILLS_PER_FRAME):
            text, gold = _fill(frame, names)
            found = 0
            for feats, label in _rows(text, set(gold), model):
                X.append(feats)
                y.append(label)
                found += label
            positives += len(gold)
            missed += len(gold) - found
    benign_n = 0
    for text in _benign(benign):
        benign_n += 1
        for feats, _ in _rows(text, set(), model):
            X.append(feats)
            y.append(0)
    negatives = len(y) - sum(y)
    vec = DictVectorizer()
    clf = LogisticRegression(C=_C, max_iter=2000)
    clf.fit(vec.fit_transform(X), y)
    weights = {f: float(w) for f, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True) if abs(w) > 1e-4}
    weights[BIAS] = weights.get(BIAS, 0.0) + float(clf.intercept_[0])
    stats: dict[str, object] = {
        "frames": len(FRAMES),
        "synthetic_names": positives,
        "names_never_proposed": missed,
        "benign_sentences": benign_n,
        "candidates": len(y),
        "negatives": negatives,
        "features": len(weights),
        "list_threshold": LIST_THRESHOLD,
    }
    return weights, stats
