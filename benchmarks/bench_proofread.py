"""Proofreading before (today's rules) vs after (在/再 rules + context homophone model), side by side.

Sets, scored the same way (an edit counts when its offset and its replacement character both match; a clean
sentence with any edit is a false alarm):

1. ``tests/data/proofread_homophone.txt``: 100 sentences with homophone typos and 100 clean ones, written by
   hand for lingxi in everyday wording (not from the rules' cue lists).
2. With ``--corpus DIR`` (ECSpell, see /work/shared/data/proofread/README.md): the *test* part of the fixed
   split in :mod:`lingxi.features.proofread_build` (seed 20261206, 70/15/15), never used for training or for
   choosing margins; punctuation edits are left out there (the corpus labels spelling only). The "built"
   column uses a model built from the build part into a temporary home.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_proofread.py [--corpus /work/shared/data/proofread]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from lingxi.features import proofread_build
from lingxi.features.proofread import rule_edits
from proofread_cases import Case, Score, char_edits, load, score

Edits = Callable[[str], set[tuple[int, str]]]


def _method(context: bool, home: Path | None, punctuation: bool = True) -> Edits:
    def run(text: str) -> set[tuple[int, str]]:
        found = [e for e in rule_edits(text, context=context, home=home) if punctuation or e.kind != "punctuation"]
        return char_edits([(e.start, e.original, e.replacement) for e in found])

    return run


def _row(name: str, s: Score) -> str:
    return (
        f"  {name:<22} P {s.precision:5.3f}  R {s.recall:5.3f}  F0.5 {s.f05:5.3f}  "
        f"false alarms {s.alarmed}/{s.clean} ({s.false_alarm_rate:.1%})"
    )


def _report(title: str, cases: list[Case], methods: dict[str, Edits]) -> None:
    print(title)
    for name, method in methods.items():
        print(_row(name, score(method, cases)))
    for section in sorted({c.section for c in cases if c.gold}):
        part = [c for c in cases if c.section == section]
        recalls = "  ".join(f"{n} {score(m, part).recall:.2f}" for n, m in methods.items())
        print(f"    recall, {section}: {recalls}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, help="folder with ecspell_csc.jsonl")
    args = parser.parse_args()
    methods: dict[str, Edits] = {"before (rules)": _method(False, None), "after (seed)": _method(True, None)}
    with tempfile.TemporaryDirectory() as tmp:
        if args.corpus:
            manifest = proofread_build.build(args.corpus, Path(tmp))
            print(f"built: margins {manifest['margins']}, validation {manifest['validation']}")
            methods["after (built)"] = _method(True, Path(tmp))
        _report("hand-written set (100 with typos, 100 clean)", load(), methods)
        if args.corpus:
            records, _ = proofread_build.read_corpus(args.corpus)
            test = [
                Case(r["text"], frozenset(proofread_build.gold_edits(r)), r["domain"])
                for r in proofread_build.split(records).test
            ]
            spelling = {  # ECSpell labels spelling only: its half-width commas are not counted against anyone
                "before (rules)": _method(False, None, punctuation=False),
                "after (seed)": _method(True, None, punctuation=False),
                "after (built)": _method(True, Path(tmp), punctuation=False),
            }
            _report(f"ECSpell test split ({len(test)} sentences; punctuation edits left out)", test, spelling)


if __name__ == "__main__":
    main()
