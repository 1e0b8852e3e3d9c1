"""Thresholds from everyday text: lines a user writes every day (shopping, errands, chat) that must pass.

Why (benchmarks/README.md, wave 10, cls11 and cls12): the classifier's and the semantic layer's everyday blocks
come from ranking — risky topic characters read outside their words (卖 in 义卖, 假 in 请假) — not from one
feature family, so the one lever that removes them is the threshold. Thresholds chosen on the training
sources' validation split or out-of-source scores let 15–22 of each 300 everyday lines through to a block;
raised to an *everyday floor* (per class, the lowest grid value above every given everyday line whose top class
it is) they block 0 of the lines they were chosen on and 6 of 900 lines by other authors. The request network of
the semantic layer (:mod:`~lingxi.compliance.semantic_request`) takes its thresholds from the same lines, with a
small allowance (:data:`ALLOWANCE`): at the floor itself it added 2.5 points of must-refuse, at 80 % of it 5.6.

Opt-in: ``lingxi compliance train --everyday FILE`` (repeatable; one line per sentence, ``#`` comments).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lingxi.errors import InvalidInput

if TYPE_CHECKING:
    from lingxi.compliance.classifier import ClassifierScreener

GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(95))
NEVER = 1.01  # above every probability: the class never blocks on this layer alone
ALLOWANCE = 0.003  # share of the everyday lines the request network alone may block (5 of 1,727 in cls12)
FACTORS = tuple(round(1.0 - 0.05 * k, 2) for k in range(11))  # 1.0 … 0.5: the floors lowered together

Scored = list[tuple[str, float]]  # (top risk class, its probability) of each piece a layer scores


def read_lines(paths: Sequence[Path]) -> list[str]:
    """The distinct non-empty, non-comment lines of ``paths``; a missing file or no line at all is an error."""
    out: dict[str, None] = {}
    for path in paths:
        if not Path(path).is_file():
            raise InvalidInput(f"everyday file not found: {path}", message_zh=f"找不到日常语句文件：{path}")
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out[line.strip()] = None
    if not out:
        raise InvalidInput("the everyday files hold no line", message_zh="日常语句文件中没有任何语句")
    return list(out)


def floors(scored: Iterable[Scored], classes: Iterable[str]) -> dict[str, float]:
    """Per class: the lowest grid value above the probability of every piece whose top class it is."""
    top = dict.fromkeys(classes, 0.0)
    for pieces in scored:
        for c, p in pieces:
            top[c] = max(top.get(c, 0.0), p)
    return {c: next((g for g in GRID if g > p), NEVER) for c, p in sorted(top.items())}


def blocked(scored: Iterable[Scored], thresholds: dict[str, float]) -> int:
    """How many lines have a piece at or above its class's threshold."""
    return sum(any(p >= thresholds.get(c, NEVER) for c, p in pieces) for pieces in scored)


def with_allowance(scored: list[Scored], classes: Iterable[str], allowance: float = ALLOWANCE) -> dict[str, float]:
    """The floors times the lowest of :data:`FACTORS` at which at most ``allowance`` of the lines are blocked
    (the factors are tried from 1.0 down; a factor that blocks more ends the search)."""
    base = floors(scored, classes)
    limit = int(allowance * len(scored))
    best = base
    for f in FACTORS[1:]:
        trial = {c: round(t * f, 4) for c, t in base.items()}
        if blocked(scored, trial) > limit:
            break
        best = trial
    return best


def classifier_floors(model: ClassifierScreener, everyday: Iterable[str]) -> dict[str, float]:
    """Per class: the lowest grid value above the classifier's P(block) of every everyday line whose top class
    it is (lines too short for the classifier count for no class)."""
    from lingxi.compliance.classifier import MIN_CHARS, risk_class
    from lingxi.compliance.screen import normalize

    def score(text: str) -> Scored:
        if len(normalize(text)) < MIN_CHARS:
            return []
        p, risks = model.score(text)
        return [(risk_class(model.top_risk(risks)), p)]

    return floors((score(t) for t in everyday), ())


def raise_classifier(model_dir: Path, everyday: Sequence[str]) -> dict[str, float]:
    """Raise a saved classifier's per-class thresholds to their everyday floors (a floor never lowers one);
    rewrites its manifest (the floors are recorded beside the thresholds) and returns the new thresholds."""
    from lingxi.compliance.classifier import ClassifierScreener

    model = ClassifierScreener.load(model_dir)
    found = classifier_floors(model, everyday)
    names = sorted(set(model.thresholds) | set(found))
    raised = {c: max(model.thresholds.get(c, model.threshold), found.get(c, 0.0)) for c in names}
    path = Path(model_dir) / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(thresholds=raised, everyday_floors={"lines": len(everyday), "floors": found})
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return raised


__all__ = [
    "ALLOWANCE",
    "FACTORS",
    "NEVER",
    "blocked",
    "classifier_floors",
    "floors",
    "raise_classifier",
    "read_lines",
    "with_allowance",
]
