"""Dev comparison for cls15 (benchmarks/README.md, "wave 13 (cls15)"): main's classifier against the default
that trains on the package's everyday lines (:func:`lingxi.compliance.training_lines.package_lines`), with
cls14's method (:mod:`cls14_dev`: licensed training sources scored out of source, every everyday file screened
by each home) and cls15's split by file: the nine files the shipped lines come from are trained on, the others
(``everyday_heldout7_zh``, ``everyday_heldout8_zh`` — the wave-12 set, dev since wave 13 —, ``everyday_heldout9_zh`` —
the wave-13 set, dev since cls16 — and the two English must-pass files) never are.

Run: PYTHONPATH=src python benchmarks/cls15_dev.py --home MAIN_HOME --home NEW_HOME --pass-home NEW_HOME --cache DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cls14_dev as base

from lingxi.compliance.training_templates import package_lines

HELD_OUT = ("wave19", "wave20", "heldout20", "everyday_heldout16")  # the next held-out sets: never opened
TRAIN_FILES = (*base.TRAIN_FILES, "everyday_heldout5_zh.txt", "everyday_heldout6_zh.txt")
DATA = base.ROOT / "benchmarks" / "data"
EVERYDAY = [
    base.ROOT / "tests" / "data" / "everyday_zh.txt",
    *sorted(p for p in DATA.glob("everyday_*.txt") if not any(h in p.name for h in HELD_OUT)),
]


def main() -> None:
    base.TRAIN_FILES = TRAIN_FILES  # the report's "evaluation files" are the others
    base.EVERYDAY = EVERYDAY
    base.train_lines = package_lines  # the OOS folds of a --pass-home train on the package's lines
    base.main()


if __name__ == "__main__":
    main()
