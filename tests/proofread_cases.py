"""The hand-written homophone set (``tests/data/proofread_homophone.txt``) and its scoring.

Shared by the tests and ``benchmarks/bench_proofread.py``. An edit counts as right when its offset and its
replacement both match the label; a clean sentence with any edit is a false alarm.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PATH = Path(__file__).parent / "data" / "proofread_homophone.txt"
_MARK = re.compile(r"\{([^|{}]+)\|([^|{}]+)\}")

Gold = set[tuple[int, str]]


@dataclass(frozen=True)
class Case:
    text: str
    gold: frozenset[tuple[int, str]]  # (offset, right character)
    section: str


def load(path: Path = PATH) -> list[Case]:
    """The cases of ``path`` (default: the held-out homophone set)."""
    cases, section = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ---"):
            section = line.removeprefix("# ---").strip()
        if not line.strip() or line.startswith("#"):
            continue
        text, gold, pos = [], set(), 0
        last = 0
        for m in _MARK.finditer(line):
            text.append(line[last : m.start()])
            pos += m.start() - last
            gold.add((pos, m[2]))
            text.append(m[1])
            pos += len(m[1])
            last = m.end()
        text.append(line[last:])
        cases.append(Case("".join(text), frozenset(gold), section))
    return cases


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    clean: int = 0
    alarmed: int = 0
    false_alarms: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f05(self) -> float:
        p, r = self.precision, self.recall
        return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.alarmed / self.clean if self.clean else 0.0


def score(edits: Callable[[str], Gold], cases: list[Case] | None = None) -> Score:
    """Score ``edits`` (text → {(offset, replacement)}) on ``cases`` (default: the whole set)."""
    out = Score()
    for case in load() if cases is None else cases:
        got = edits(case.text)
        out.tp += len(got & case.gold)
        out.fp += len(got - case.gold)
        out.fn += len(case.gold - got)
        if not case.gold:
            out.clean += 1
            out.alarmed += bool(got)
            if got:
                out.false_alarms.append(f"{case.text} {sorted(got)}")
        elif got != case.gold:
            out.misses.append(f"{case.text} got {sorted(got)} want {sorted(case.gold)}")
    return out


def char_edits(edits: list[tuple[int, str, str]]) -> Gold:
    """(offset, right) per changed character of (start, original, replacement) edits of equal length."""
    out: Gold = set()
    for start, original, replacement in edits:
        if len(original) == len(replacement):
            out |= {(start + k, r) for k, (o, r) in enumerate(zip(original, replacement, strict=True)) if o != r}
        else:
            out.add((start, replacement))
    return out


EVERYDAY = Path(__file__).parent / "data" / "proofread_everyday.txt"
LEARNER = Path(__file__).parent / "data" / "proofread_learner.txt"


@dataclass
class SentenceScore:
    """SIGHAN-style sentence-level correction: a sentence counts only if its output equals the corrected one."""

    corrected: int = 0  # sentences with errors whose edits equal the gold edits exactly
    changed: int = 0  # sentences the system changed (with errors or clean)
    with_errors: int = 0

    @property
    def precision(self) -> float:
        return self.corrected / self.changed if self.changed else 1.0

    @property
    def recall(self) -> float:
        return self.corrected / self.with_errors if self.with_errors else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def sentence_score(edits: Callable[[str], Gold], cases: list[Case]) -> SentenceScore:
    """Sentence-level correction scores of ``edits`` (text → {(offset, replacement)}) on ``cases``."""
    out = SentenceScore()
    for case in cases:
        got = edits(case.text)
        out.changed += bool(got)
        out.with_errors += bool(case.gold)
        out.corrected += bool(case.gold) and got == case.gold
    return out


def halves(cases: list[Case]) -> tuple[list[Case], list[Case]]:
    """(dev, test) of a set: within each section the 1st, 3rd, … line is dev, the 2nd, 4th, … test."""
    dev, test, seen = [], [], dict[str, int]()
    for case in cases:
        n = seen.get(case.section, 0)
        seen[case.section] = n + 1
        (dev if n % 2 == 0 else test).append(case)
    return dev, test
