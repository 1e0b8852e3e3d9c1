"""A learned judge for the language model's swaps: which candidates to accept beyond the margins.

Why: on the independent authors' sets most missed typos are swaps the checker already proposes whose gain falls
a few nats short of its margin (waves 10 and 11: three misses in four, median 4 nats short) — the margins are one
number per confusion class and cannot weigh the other evidence a swap brings. This judge is gradient-boosted trees
over that evidence: the 4-gram gain and the gains of its lower orders (a typo usually shows already in the
bigram), the word segmentation's gain, whether the swap makes or restores a dictionary word, how common both
characters are, how often the corpus saw the pair written wrong, the bigram counts of each character with its
neighbours, the dictionary word covering the position before and after, how the swap ranks against the others at
its place, and what a word bigram model (:mod:`lingxi.features.wordlm`) says of the words around it.

It is trained at build time (:mod:`lingxi.features.lmaccept_build`) on licensed text the language model never
read, with typos put in the way input methods fail (:mod:`lingxi.features.proofread_synth`), and on the spelling
corpus's validation part; its threshold is chosen on a held-out part of those (never on a benchmark set). It
only adds: a swap the margins take is taken as before, and one they leave is taken when the judge's probability
clears the threshold (:func:`lingxi.features.lmcheck.select`).

Opt-in (``lingxi features proofread build --judge``): in the wave-12 side-by-side run it raised F0.5 on every
held-out author's set but also alarmed clean sentences of three of them (a second fluent reading of clean text:
都起得很早 → 吃), which the adoption rule forbids (``benchmarks/README.md``, wave 12). Since wave 13 it is trained
wary of clean text and its threshold may alarm no more clean dev sentences than the margins alone: no new alarm
on the hand sets, but too few fixes added to become the default (README, wave 13). Without ``lmjudge.npz`` and
``wordlm.npz`` in the home nothing is judged and the checker is as before.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lingxi.features import charlm, ngramlm, wordlm

if TYPE_CHECKING:
    from lingxi.features.lmcheck import LMChecker, LMFix

F64 = npt.NDArray[np.float64]
FEATURES = (
    "gain",
    "gain_3",
    "gain_2",
    "word_gain",
    "makes_word",
    "restores_word",
    "trusted",
    "sound",
    "near",
    "shape",
    "freq_written",
    "freq_new",
    "pair_seen",
    "left_written",
    "written_right",
    "left_new",
    "new_right",
    "word_before",
    "word_after",
    "edge",
    "best_here",
    "over_next",
    "word_pairs_gain",
    "word_pairs_seen",
)
#: Characters either side of a swap whose words the word bigram model (:mod:`lingxi.features.wordlm`) reads.
WORD_REACH = 4
#: Only swaps that make the text more probable under the 4-gram (gain above this, nats) are judged, in training and
#: in use: one that makes it less probable is no fix the model can vouch for, and judging fewer swaps keeps
#: proofreading fast.
FLOOR = 0.0
#: Longest dictionary word looked for around a position (:func:`_covering_word`).
MAX_WORD = 4


@dataclass(frozen=True)
class Judge:
    """Gradient-boosted trees (trained by scikit-learn, stored as flat arrays: no pickle, no scikit-learn at run
    time) and the acceptance threshold. Node ``k`` sends a row left when ``x[feature[k]] <= split[k]``; a leaf has
    feature −1 and adds ``value[k]`` to the log-odds."""

    baseline: float
    feature: npt.NDArray[np.int64]
    split: F64
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    value: F64
    roots: npt.NDArray[np.int64]
    depth: int
    threshold: float
    #: The word bigram model the judge was trained with (its features need it); loaded beside the trees.
    words: wordlm.WordLM | None = None

    def probability(self, x: F64) -> F64:
        """The probability that each row's swap is a real fix."""
        node = np.tile(self.roots, (len(x), 1))
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            f = self.feature[node]
            left = x[rows, np.maximum(f, 0)] <= self.split[node]
            node = np.where(f < 0, node, np.where(left, self.left[node], self.right[node]))
        out: F64 = 1.0 / (1.0 + np.exp(-np.clip(self.baseline + self.value[node].sum(axis=1), -50.0, 50.0)))
        return out

    def save(self, path: Path) -> None:
        np.savez(
            path,
            feature=self.feature,
            split=self.split,
            left=self.left,
            right=self.right,
            value=self.value,
            roots=self.roots,
            scalars=np.array([self.baseline, self.depth, self.threshold], dtype=np.float64),
            features=np.array(FEATURES),
        )


JUDGE_FILE = "lmjudge.npz"


def judge_path(home: Path) -> Path:
    return home / "proofread" / "current" / JUDGE_FILE


def load(home: Path | None) -> Judge | None:
    """The judge built into ``home`` with its word model; None when either was not built or the judge was built
    over other features."""
    words = wordlm.load(home)
    if home is None or words is None or not judge_path(home).is_file():
        return None
    judge = _load(str(judge_path(home)))
    return dataclasses.replace(judge, words=words) if judge is not None else None


def forget() -> None:
    _load.cache_clear()


@lru_cache(maxsize=2)
def _load(path: str) -> Judge | None:
    with np.load(path) as z:
        if tuple(str(f) for f in z["features"]) != FEATURES:
            return None
        baseline, depth, threshold = (float(v) for v in z["scalars"])
        return Judge(
            baseline, z["feature"], z["split"], z["left"], z["right"], z["value"], z["roots"], int(depth), threshold
        )


def _order_gains(text: str, fixes: list[LMFix], lm: ngramlm.NgramLM, n: int) -> F64:
    """Each swap's log-probability gain under the model cut to ``n``-grams (contexts shortened to n − 1)."""
    starts = {m.start(): m.group() for m in ngramlm.RUN.finditer(text)}
    where = {}
    for s, run in starts.items():
        for i in range(len(run)):
            where[s + i] = (s, run)
    base_rows, new_rows, owner = [], [], []
    cache: dict[int, npt.NDArray[np.int64]] = {}
    for k, f in enumerate(fixes):
        s, run = where[f.start]
        if s not in cache:
            cache[s] = lm.windows(lm.encode(run))
        win = cache[s]
        pos = f.start - s + 1
        new_id = lm.vocab.get(ngramlm.fold(f.replacement), ngramlm.UNK)
        for shift in range(n):
            q = pos + shift
            if q >= len(win) + 1:
                break
            row = win[q - 1].copy()
            row[: ngramlm.ORDER - n] = -1
            base_rows.append(row.copy())
            row[ngramlm.ORDER - 1 - shift] = new_id
            new_rows.append(row)
            owner.append(k)
    out = np.zeros(len(fixes))
    if owner:
        delta = lm.window_logprobs(np.array(new_rows)) - lm.window_logprobs(np.array(base_rows))
        np.add.at(out, np.array(owner), delta)
    return out


def _covering_word(text: str, pos: int, freq: dict[str, int]) -> float:
    """ln(1 + frequency) of the most frequent dictionary word of 2–4 characters covering ``pos``."""
    best = 0
    for size in range(2, MAX_WORD + 1):
        for a in range(max(0, pos - size + 1), min(pos, len(text) - size) + 1):
            best = max(best, freq.get(text[a : a + size], 0))
    return float(np.log1p(best))


def _word_pairs(text: str, lo: int, hi: int, at: int, new: str, words: wordlm.WordLM) -> tuple[float, float]:
    """How much more probable the words around ``at`` become under the word bigram model when ``new`` is put
    there, and how many more of their neighbouring pairs the training text has seen."""
    a, b = max(lo, at - WORD_REACH), min(hi, at + WORD_REACH + 1)
    before = wordlm.segment(text[a:b])
    after = wordlm.segment(text[a:at] + new + text[at + 1 : b])

    def seen(tokens: list[str]) -> int:
        ids = [words.words.get(w, -1) for w in tokens]
        return sum(words.pair_count(x, y) > 0 for x, y in itertools.pairwise(ids))

    return words.logprob(after) - words.logprob(before), float(seen(after) - seen(before))


def features(text: str, fixes: list[LMFix], model: LMChecker, words: wordlm.WordLM) -> F64:
    """One row of :data:`FEATURES` per candidate swap of ``text`` (as :func:`lmcheck.candidates` returns them)."""
    if not fixes:
        return np.zeros((0, len(FEATURES)))
    lm, freq, learned = model.lm, charlm.word_freq(), model.confusions.learned
    spans = {i: m.span() for m in ngramlm.RUN.finditer(text) for i in range(*m.span())}

    def seen(a: str, b: str) -> float:
        ids = np.array([[lm.vocab.get(ngramlm.fold(a), ngramlm.UNK), lm.vocab.get(ngramlm.fold(b), ngramlm.UNK)]])
        return float(np.log1p(lm.counts(ids)[0]))

    best: dict[int, list[float]] = {}
    for f in fixes:
        best.setdefault(f.start, []).append(f.gain)
    rows = []
    g3, g2 = _order_gains(text, fixes, lm, 3), _order_gains(text, fixes, lm, 2)
    for k, f in enumerate(fixes):
        lo, hi = spans[f.start]
        left = text[f.start - 1] if f.start > lo else ""
        right = text[f.start + 1] if f.start + 1 < hi else ""
        swapped = text[: f.start] + f.replacement + text[f.start + 1 :]
        here = sorted(best[f.start], reverse=True)
        rows.append(
            [
                f.gain,
                g3[k],
                g2[k],
                f.word_gain,
                float(f.makes_word),
                float(f.restores_word),
                *(float(f.kind == c) for c in ("trusted", "sound", "near", "shape")),
                np.log1p(freq.get(f.original, 0)),
                np.log1p(freq.get(f.replacement, 0)),
                np.log1p(learned.get((f.original, f.replacement), 0)),
                seen(left, f.original) if left else 0.0,
                seen(f.original, right) if right else 0.0,
                seen(left, f.replacement) if left else 0.0,
                seen(f.replacement, right) if right else 0.0,
                _covering_word(text[lo:hi], f.start - lo, freq),
                _covering_word(swapped[lo:hi], f.start - lo, freq),
                float(not left or not right),
                float(f.gain >= here[0]),
                f.gain - (here[1] if len(here) > 1 and f.gain >= here[0] else here[0]),
                *_word_pairs(text, lo, hi, f.start, f.replacement, words),
            ]
        )
    return np.array(rows, dtype=np.float64)
