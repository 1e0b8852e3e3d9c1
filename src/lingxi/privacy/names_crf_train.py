"""Training the sequence tagger of :mod:`.names_crf` at build time: generated sentences in, ``crf.model`` out.

Data, generated here and never committed: every frame of :mod:`.names_frames`, :mod:`.names_frames_extra` and
:mod:`.names_frames_address`
filled :data:`FILLS_PER_FRAME` times by the re-ranker's name drawer (modern-style names from the surname and
character statistics of the resource being built, historical names, and word-like names such as 宁静; some
slots filled with an ordinary word as a negative), plus ordinary text from the sibling safety folder when it
is there (every character O). The tagger sees exactly what it sees at redaction time: the window around each
surname hit that :func:`lingxi.privacy.names_index.window_start` cuts, labeled B/I/O from the gold spans.

python-crfsuite is imported here and in :mod:`.names_crf` only.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from lingxi.privacy.names_crf import char_features
from lingxi.privacy.names_frames import FRAMES
from lingxi.privacy.names_frames_address import ADDRESS_FRAMES
from lingxi.privacy.names_frames_extra import EXTRA_FRAMES
from lingxi.privacy.names_index import _AFTER_SPAN, _index, window_start
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.names_train import _benign, _fill, _Names

FILLS_PER_FRAME = 40
# a slot-less frame (all O) is repeated this often: the wave 6 frames open many lines with a name, and with
# the old 4 the tagger began to read sentence-initial words (鲁菜, 黎明) as names (chosen on the decision split)
NEGATIVE_FILLS = 20
BENIGN_MAX = 12000
MAX_ITERATIONS = 120
C1, C2 = 0.05, 0.01  # L1/L2 strengths: CRFsuite's usual starting point; not tuned on any evaluation set
_SEED = 1507
# More word-like names (宁静, 高峰) and more words in a name's place than the re-ranker draws: the tagger must
# learn that context, not the characters, decides. Chosen on the dev parts (0.06/0.06 and 0.15/0.10 tried).
WORDLIKE_SHARE = (0.10, 0.15)
WORD_FILL = 0.10


def windows(text: str, gold: set[tuple[int, int]], model: NameModel) -> Iterator[tuple[str, list[str]]]:
    """Each surname hit's window in ``text`` and its B/I/O labels (a gold span cut by the window's start
    begins with I, as the tagger would see it)."""
    ix = _index(model)
    starts = {m.start() for m in ix.finder.finditer(text)}
    if "小" in text or "老" in text:
        starts |= {m.start() for m in ix.nick.finditer(text)}
    for i in sorted(starts):
        start = window_start(text, i)
        end = min(len(text), i + _AFTER_SPAN)
        labels = ["O"] * (end - start)
        for s, e in gold:
            for t in range(max(s, start), min(e, end)):
                labels[t - start] = "B" if t == s else "I"
        yield text[start:end], labels


def train_crf(
    model: NameModel,
    surname_tf: dict[str, float],
    given_share: dict[str, float],
    ancient: list[str],
    benign: Path | None,
    out: Path,
) -> dict[str, object]:
    """Train the tagger for ``model`` into the file ``out``; return counts for the manifest."""
    import pycrfsuite

    model = replace(model, rerank={}, crf="")
    names = _Names(surname_tf, given_share, ancient, model)
    names.rng = random.Random(_SEED)
    names.wordlike_share = WORDLIKE_SHARE
    trainer = pycrfsuite.Trainer(verbose=False)
    sentences = seqs = benign_n = 0
    for frame in FRAMES + EXTRA_FRAMES + ADDRESS_FRAMES:
        for _ in range(FILLS_PER_FRAME if any(c in frame for c in "□△◇") else NEGATIVE_FILLS):
            text, gold = _fill(frame, names, WORD_FILL)
            sentences += 1
            for window, labels in windows(text, set(gold), model):
                trainer.append(char_features(window, model), labels)
                seqs += 1
    for i, text in enumerate(_benign(benign)):
        if i >= BENIGN_MAX:
            break
        benign_n += 1
        for window, labels in windows(text, set(), model):
            trainer.append(char_features(window, model), labels)
            seqs += 1
    trainer.set_params({"c1": C1, "c2": C2, "max_iterations": MAX_ITERATIONS})
    trainer.train(str(out))
    return {
        "frames": len(FRAMES) + len(EXTRA_FRAMES) + len(ADDRESS_FRAMES),
        "sentences": sentences,
        "benign_sentences": benign_n,
        "windows": seqs,
        "c1": C1,
        "c2": C2,
    }
