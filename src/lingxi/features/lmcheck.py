"""Spelling judged in context by a character n-gram language model: swap a character, keep it if it reads better.

Every Chinese character is tried against its confusion set — pairs written by hand and learned from the build
corpus (*trusted*), the same toneless pinyin (*sound*), one fuzzy swap away in pinyin, zh/z, n/l, ing/in (*near*),
and look-alike characters (*shape*) — see :mod:`lingxi.features.confusion`. A swap's *gain* is how much more
probable the sentence becomes under the build-time language model (:mod:`lingxi.features.ngramlm`); only the
characters whose n-grams the swap touches are rescored. A swap is kept when its gain clears the margin of its
class: a wide net (near, shape) must show a much larger gain than a mix-up people are known to make. The margins
are chosen by ``lingxi features proofread build`` on held-out data so that false alarms on clean text stay within
budget, and recorded in its manifest.

Sentences with two errors next to each other (邮句计 for 邮局寄) are handled in passes: the surest fixes are
applied first and the rest rescored against the corrected text. Never proposed: 他/她/它 (who is meant is not
in the text) and 的/地/得, which the syntactic rules of :mod:`lingxi.features.dedide` decide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from lingxi.features import confusion, ngramlm

PASSES = 3
CLASSES = ("trusted", "sound", "near", "shape")


class LMMargins(NamedTuple):
    """Log-probability gain (nats) a swap needs, per confusion class."""

    trusted: float = 6.0
    sound: float = 9.0
    near: float = 12.0
    shape: float = 12.0


class LMFix(NamedTuple):
    start: int
    original: str
    replacement: str
    kind: str  # one of CLASSES
    gain: float


@dataclass(frozen=True)
class LMChecker:
    lm: ngramlm.NgramLM
    confusions: confusion.Confusions
    near: dict[str, frozenset[str]]
    shape: dict[str, frozenset[str]]
    margins: LMMargins

    def options(self, ch: str) -> list[tuple[str, int]]:
        """``(replacement, class index)`` for ``ch``, each replacement once, in its most trusted class."""
        if ch in confusion.EXCLUDED:
            return []
        seen: dict[str, int] = {}
        for c, trusted in self.confusions.candidates(ch):
            seen.setdefault(c, 0 if trusted else 1)
        for k, table in ((2, self.near), (3, self.shape)):
            for c in sorted(table.get(ch, frozenset())):
                seen.setdefault(c, k)
        return [(c, k) for c, k in seen.items() if c not in confusion.EXCLUDED and c in self.lm.vocab]


def candidates(text: str, model: LMChecker, skip: frozenset[int] = frozenset()) -> list[LMFix]:
    """Every swap with its gain (before any margin); offsets index ``text``; positions in ``skip`` are left."""
    lm, order = model.lm, ngramlm.ORDER
    plan: list[tuple[int, str, str, int, list[int], int, int]] = []  # start, old, new, class, ids, lo, hi
    queries: list[tuple[list[int], int]] = []
    base_at: dict[tuple[int, int], int] = {}
    for offset, run in ngramlm.runs(text):
        ids = lm.encode(run)
        for i, ch in enumerate(run):
            if offset + i in skip:
                continue
            p = i + 1
            hi = min(p + order, len(ids))
            for cand, k in model.options(ch):
                swapped = ids.copy()
                swapped[p] = lm.vocab[cand]
                plan.append((offset + i, ch, cand, k, swapped, p, hi))
                for q in range(p, hi):
                    if (offset, q) not in base_at:
                        base_at[(offset, q)] = len(queries)
                        queries.append((ids, q))
    if not plan:
        return []
    first_new = len(queries)
    for _, _, _, _, swapped, lo, hi in plan:
        queries += [(swapped, q) for q in range(lo, hi)]
    scores = lm.logprobs(queries)
    out, at = [], first_new
    run_of = {start: offset for offset, run in ngramlm.runs(text) for start in range(offset, offset + len(run))}
    for start, old, new, k, _, lo, hi in plan:
        base = sum(float(scores[base_at[(run_of[start], q)]]) for q in range(lo, hi))
        gain = float(scores[at : at + hi - lo].sum()) - base
        at += hi - lo
        out.append(LMFix(start, old, new, CLASSES[k], gain))
    return out


def select(found: list[LMFix], margins: LMMargins) -> list[LMFix]:
    """The swaps that clear their margins, strongest first, none within n-gram reach of a stronger one."""
    limit = dict(zip(CLASSES, margins, strict=True))
    clearing = sorted((f for f in found if f.gain > limit[f.kind]), key=lambda f: f.gain - limit[f.kind], reverse=True)
    kept: list[LMFix] = []
    for f in clearing:
        if all(abs(f.start - k.start) >= ngramlm.ORDER for k in kept):
            kept.append(f)
    return kept


def find(text: str, model: LMChecker) -> list[LMFix]:
    """The swaps the model is sure of, in text order (offsets are ``str`` indices into ``text``)."""
    fixed: dict[int, LMFix] = {}
    current = text
    for _ in range(PASSES):
        new = select(candidates(current, model, frozenset(fixed)), model.margins)
        if not new:
            break
        for f in new:
            fixed[f.start] = LMFix(f.start, text[f.start], f.replacement, f.kind, f.gain)
            current = current[: f.start] + f.replacement + current[f.start + 1 :]
    return [fixed[k] for k in sorted(fixed)]


def lm_path(home: Path) -> Path:
    return home / "proofread" / "current" / "charlm.npz"


def load_checker(home: Path | None) -> LMChecker | None:
    """The checker built into ``home``, or None when no language model was built (the rules then run alone)."""
    if home is None or not lm_path(home).is_file():
        return None
    return _load(str(home))


def forget() -> None:
    _load.cache_clear()


@lru_cache(maxsize=2)
def _load(home_key: str) -> LMChecker:
    home = Path(home_key)
    margins = LMMargins()
    manifest = home / "proofread" / "current" / "manifest.json"
    if manifest.is_file():
        chosen = json.loads(manifest.read_text(encoding="utf-8")).get("lm_margins")
        if chosen:
            margins = LMMargins(*chosen)
    return LMChecker(
        ngramlm.load(lm_path(home)),
        confusion.load(home),
        confusion.near_sounds(),
        confusion.shape_alikes(),
        margins,
    )
