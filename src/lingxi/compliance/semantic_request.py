"""The opt-in *request network* of the semantic layer: the char + word network of
:mod:`~lingxi.compliance.semantic_mlp`, trained on prompts only, its risky prompts grown by variations, its
thresholds taken from everyday text (:mod:`~lingxi.compliance.everyday_floors`).

Why (benchmarks/README.md, wave 10, cls12): with the classifier held to its everyday floors (0 everyday
validation blocks) the screen blocks 20.9 % of must-refuse prompts from unseen sources. The classifier reads
comments and prompts alike and ranks must-refuse against must-answer at AUC 0.844; a network trained on
prompts alone ranked them at 0.90 (wave 9). As the semantic layer, held to everyday lines too (allowance
:data:`~lingxi.compliance.everyday_floors.ALLOWANCE`), it took the screen to 26.5 % must-refuse at 1.8 %
must-answer and 5 of 900 everyday evaluation lines blocked. So this is the *request head*; the classifier
stays the comment head. Opt-in: ``lingxi compliance train --semantic-model request --everyday FILE …``.

The variations (:func:`augmented`): each licensed risky training prompt once with its most risk-distinctive
jieba word swapped for another distinctive word of its class, and once in one more frame. They did not move
the result at the floors (23.1 % with them, 23.4 % without), so they are kept only because the measured
variant had them; the threshold rule is what moved it.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict

from lingxi.compliance.semantic_templates import framed
from lingxi.compliance.training import Example

KIND = "request"
SEED = 20240601
TOP_WORDS = 150  # distinctive words kept per risk class
PASS_CLASS = "pass"

Item = tuple[str, str, float, int, str]  # text, class, weight, fold, source (as semantic_train's items)


def _words(text: str) -> list[str]:
    """The distinct jieba words of two or more Han characters, sorted (so ties break the same on every run)."""
    import jieba

    return sorted({w for w in jieba.lcut(text) if len(w) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in w)})


def _class(e: Example) -> str:
    return (e.risk[:3] if e.risk else "other") if e.block else PASS_CLASS


def augmented(examples: list[Example], test_sources: frozenset[str]) -> list[Item]:
    """Variations of each block-worthy training prompt (test sources never read): its most distinctive word
    (smoothed log-odds, block-worthy vs must-pass training prompts, ≥ 2 occurrences) swapped for another of its
    class's :data:`TOP_WORDS` (seeded), and the prompt in the frame three steps on (``build_items`` gives one)."""
    prompts = [e for e in examples if e.kind == "prompt" and e.source not in test_sources]
    risky = [e for e in prompts if e.block]
    n_benign = len(prompts) - len(risky)
    benign_df: Counter[str] = Counter(w for e in prompts if not e.block for w in _words(e.text))
    bags = [_words(e.text) for e in risky]
    class_df: dict[str, Counter[str]] = defaultdict(Counter)
    for e, bag in zip(risky, bags, strict=True):
        class_df[_class(e)].update(bag)
    sizes = Counter(_class(e) for e in risky)
    score: dict[str, dict[str, float]] = {}
    for c, df in class_df.items():
        odds = {w: math.log((r + 0.5) / (sizes[c] + 1)) - math.log((benign_df[w] + 0.5) / (n_benign + 1))
                for w, r in df.items() if r >= 2}  # fmt: skip
        score[c] = dict(sorted(odds.items(), key=lambda kv: -kv[1])[:TOP_WORDS])
    rng = random.Random(SEED)
    out: list[Item] = []
    for i, (e, bag) in enumerate(zip(risky, bags, strict=True)):
        c = _class(e)
        mine = [w for w in bag if w in score[c]]
        if mine and len(score[c]) > 1:
            w = max(mine, key=score[c].__getitem__)
            other = rng.choice([v for v in score[c] if v != w])
            out.append((e.text.replace(w, other, 1), c, 1.0, 0, "augment:swap"))
        out.append((framed(e.text, i + 3), c, 1.0, 0, "augment:frame"))
    return out


__all__ = ["KIND", "augmented"]
