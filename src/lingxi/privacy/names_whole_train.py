"""Training the whole-text tagger of :mod:`.names_whole` at build time: real sentences in, ``whole.model`` out.

Data: :data:`TRAIN_FILE`, bracket-marked sentences (names in [ ], a line without one is a hard negative)
derived by ``benchmarks/make_names_whole_train.py`` from the project's own dev sets, written by many authors
(no licensed text; the check sets are never in it). Why real sentences: the frames of :mod:`.names_frames`
teach the contexts of one author, and the windows of :mod:`.names_crf_train` open only at a surname.

Augmentation: each sentence is kept once as written and :data:`COPIES` more times with every bracketed span
replaced by a name drawn from the resource being built, in the span's shape (:func:`reshape`: a full name, a
compound surname with its given name, a given name alone, 小/阿 + a character, X子, a surname alone before a
title), so the tagger learns the context, not the names the authors happened to pick. Hard negatives are kept
:data:`NEGATIVE_COPIES` times, all O, and ordinary text from the sibling safety folder when it is there.

python-crfsuite is imported here and in :mod:`.names_crf` only.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

from lingxi.privacy import names_seed as seed
from lingxi.privacy.names_crf import char_features
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.names_train import _benign, _Names
from lingxi.privacy.names_whole import clauses

TRAIN_FILE = Path(__file__).with_name("data") / "names_whole_train.txt"
# Chosen on an author-held-out split of the training text (a tagger trained without wave10..wave12, scored on
# them; benchmarks/README.md, wave 15 (names)): 4/2/4000 added 31 names, 6 false spans, 5 hard negatives flagged
# at FLOOR; 4/6/12000 27, 4, 4; 8/6/12000 (kept) 30, 3, 3; 12/8/12000 31, 4, 4 (after the filters of names_whole)
COPIES = 8
NEGATIVE_COPIES = 6
BENIGN_MAX = 12000
MAX_ITERATIONS = 100
C1, C2 = 0.05, 0.01  # CRFsuite's usual starting point, as names_crf_train; not tuned on any check set
_SEED = 1515
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_MARK = re.compile(r"(\[[^\]]+\])")


def parse(line: str) -> tuple[str, list[tuple[int, int]]]:
    """A bracket-marked line: its text and name spans."""
    text, spans = "", []
    for part in _MARK.split(line):
        if part.startswith("[") and part.endswith("]"):
            spans.append((len(text), len(text) + len(part) - 2))
            part = part[1:-1]
        text += part
    return text, spans


def reshape(name: str, names: _Names, surnames: frozenset[str]) -> str:
    """A drawn name in the shape of ``name``; ``name`` itself where no shape fits (transliterations)."""
    if not _HAN.fullmatch(name) or len(name) > 4:
        return name
    g = names._given_char
    if len(name) == 1:
        return names.surname() if name in surnames else g()
    if name[0] in "小阿" and len(name) == 2:
        return name[0] + (names.surname() if name[0] == "小" and name[1] in surnames else g())
    if name[-1] == "子" and len(name) == 2:
        return g() + "子"
    if name[:2] in seed.COMPOUND_SURNAMES:
        return names.rng.choice(seed.COMPOUND_SURNAMES) + "".join(g() for _ in name[2:])
    first = g()
    rest = first if len(name) >= 2 and name[-1] == name[-2] else g()
    if name[0] in surnames:  # a full name: surname + one or two given characters
        return names.surname() + (rest if len(name) == 2 else first + rest)
    return first + rest if len(name) == 2 else first + g() + rest  # a given name alone (思远, 苗苗)


def _fill(
    text: str, spans: list[tuple[int, int]], names: _Names, surnames: frozenset[str]
) -> tuple[str, list[tuple[int, int]]]:
    out, gold, at = "", [], 0
    for s, e in spans:
        out += text[at:s]
        name = reshape(text[s:e], names, surnames)
        gold.append((len(out), len(out) + len(name)))
        out += name
        at = e
    return out + text[at:], gold


def labeled(text: str, gold: list[tuple[int, int]]) -> list[tuple[str, list[str]]]:
    """Each clause of ``text`` (as the runtime tags it) with its B/I/O labels."""
    out = []
    for at, piece in clauses(text):
        labels = ["O"] * len(piece)
        for s, e in gold:
            for t in range(max(s, at), min(e, at + len(piece))):
                labels[t - at] = "B" if t == s else "I"
        out.append((piece, labels))
    return out


def train_whole(
    model: NameModel,
    surname_tf: dict[str, float],
    given_share: dict[str, float],
    benign: Path | None,
    out: Path,
    train_file: Path = TRAIN_FILE,
) -> dict[str, object]:
    """Train the tagger for ``model`` into the file ``out`` from ``train_file``; return counts for the manifest."""
    import pycrfsuite

    model = replace(model, rerank={}, crf="", whole="")
    names = _Names(surname_tf, given_share, [], model)
    names.rng = random.Random(_SEED)
    surnames = frozenset(model.surnames)
    lines = [x for x in train_file.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("# ")]
    trainer = pycrfsuite.Trainer(verbose=False)
    seqs = spans_n = 0
    for line in lines:
        text, spans = parse(line)
        spans_n += len(spans)
        fills = [(text, spans)] * (1 if spans else NEGATIVE_COPIES)
        fills += [_fill(text, spans, names, surnames) for _ in range(COPIES if spans else 0)]
        for t, gold in fills:
            for piece, labels in labeled(t, gold):
                trainer.append(char_features(piece, model), labels)
                seqs += 1
    benign_n = 0
    for i, text in enumerate(_benign(benign)):
        if i >= BENIGN_MAX:
            break
        benign_n += 1
        for piece, labels in labeled(text, []):
            trainer.append(char_features(piece, model), labels)
            seqs += 1
    trainer.set_params({"c1": C1, "c2": C2, "max_iterations": MAX_ITERATIONS})
    trainer.train(str(out))
    return {"lines": len(lines), "spans": spans_n, "copies": COPIES, "benign_sentences": benign_n, "sequences": seqs}
