"""Risk-bearing words learned from the licensed training prompts: what a classifier block must rest on.

Why: the classifier's score of one word read alone is a poor measure of the word's risk (尸体 0.05 and 日落 0.24
alone: a few n-grams against the bias), so :mod:`~lingxi.compliance.release` also counts as an anchor any
word that the block-worthy training *prompts* use far more often than the must-pass ones: smoothed log-odds
of document frequency ≥ :data:`MIN_LOG_ODDS`, in at least :data:`MIN_COUNT` block-worthy prompts. Comments are
left out (their group words — 老人, 婆婆 — are the classifier's own source of wrong blocks). Test sources are
never read (the caller passes the training split). The table lives beside the classifier's weights
(``anchor_words.json``; from licensed data, never committed), written by ``lingxi compliance train
--anchor-words`` (opt-in: benchmarks/README.md, wave 11 cls13); a home without it never releases a block.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # training imports the classifier, which loads this module's table
    from lingxi.compliance.training import Example

FILENAME = "anchor_words.json"
MIN_LOG_ODDS = 3.0  # e^3 ≈ 20× more frequent in block-worthy prompts (chosen on the dev sets, cls13 protocol)
MIN_COUNT = 3
SMOOTHING = 0.5


def build(items: Iterable[Example]) -> list[str]:
    """The anchor words of ``items`` (prompts only), sorted."""
    from lingxi.compliance.release import words

    risky: Counter[str] = Counter()
    benign: Counter[str] = Counter()
    n_risky = n_benign = 0
    for e in items:
        if e.kind != "prompt":
            continue
        seen = set(words(e.text))
        if e.block:
            risky.update(seen)
            n_risky += 1
        else:
            benign.update(seen)
            n_benign += 1
    a = SMOOTHING

    def log_odds(w: str) -> float:
        return math.log((risky[w] + a) / (n_risky + a)) - math.log((benign[w] + a) / (n_benign + a))

    return sorted(w for w, c in risky.items() if c >= MIN_COUNT and log_odds(w) >= MIN_LOG_ODDS)


def build_from(data_path: Path) -> list[str]:
    """The anchor words of the training split of ``data_path`` (a safety JSONL file or folder): the test
    sources held out exactly as ``lingxi compliance train`` holds them out, hand-written templates included."""
    from lingxi.compliance.training import TEST_SOURCES, read_examples, split
    from lingxi.compliance.training_templates import with_templates

    tr, val, _test = split(read_examples(data_path), TEST_SOURCES)
    tr, val = with_templates(tr, val)
    return build(tr + val)


def save(model_dir: Path, anchor_words: list[str]) -> Path:
    path = model_dir / FILENAME
    path.write_text(json.dumps(anchor_words, ensure_ascii=False), encoding="utf-8")
    return path


def load(model_dir: Path) -> frozenset[str] | None:
    """The saved anchor words, or None when the home has none (then no block is released)."""
    path = model_dir / FILENAME
    if not path.is_file():
        return None
    return frozenset(str(w) for w in json.loads(path.read_text(encoding="utf-8")))
