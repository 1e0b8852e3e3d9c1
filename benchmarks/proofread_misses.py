"""Why proofreading misses what it misses: each missed edit of a set, by where the language model lost it.

Categories (wave 12, ``benchmarks/README.md``): a character the model never proposes (的/地/得, 他/她/它), a
replacement outside the written character's confusion sets, a swap dropped before scoring (no bigram supports
it), a swap scored under its margin (with how far under), and a swap over its margin lost to another or to a
guard. Use it on dev sets only (never on a held-back set): it reads the gold edits line by line.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/proofread_misses.py HOME SET.txt [SET.txt …]`` with HOME a
proofreading build (``lingxi features proofread build``).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from lingxi.features import confusion, lmcheck
from lingxi.features.proofread import rule_edits
from proofread_cases import char_edits, load


def main() -> None:
    home, sets = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    checker = lmcheck.load_checker(home)
    if checker is None or not sets:
        sys.exit("usage: proofread_misses.py HOME SET.txt [SET.txt …] (HOME: a proofreading build)")
    m = checker.margins
    limit = dict(zip(lmcheck.CLASSES, m, strict=False))
    kinds: Counter[str] = Counter()
    short: list[float] = []
    for path in sets:
        for case in load(path):
            got = char_edits([(e.start, e.original, e.replacement) for e in rule_edits(case.text, home=home)])
            found = {(f.start, f.replacement): f for f in lmcheck.candidates(case.text, checker)}
            for at, right in sorted(case.gold - got):
                written = case.text[at]
                f = found.get((at, right))
                if written in confusion.EXCLUDED or right in confusion.EXCLUDED:
                    kind = "never a language-model candidate (的/地/得, 他/她/它)"
                elif right not in dict(checker.options(written)):
                    kind = "not in the confusion sets"
                elif f is None:
                    kind = "dropped before scoring (no bigram support)"
                else:
                    needed = min(
                        [limit[f.kind]]
                        + [m.makes_word] * f.makes_word
                        + [m.restores_word] * f.restores_word
                        + [m.exact_word] * f.exact_word
                        + [m.long_word] * f.long_word
                    )
                    excess = f.gain + m.word_weight * f.word_gain - needed
                    kind = f"under its margin ({f.kind})" if excess <= 0 else "over its margin, lost or guarded"
                    short += [excess] if excess <= 0 else []
                kinds[kind] += 1
                print(f"{kind} | {written} → {right} | {case.text}")
    print()
    for kind, n in kinds.most_common():
        print(f"{n:5d}  {kind}")
    if short:
        print(
            "gain − margin of those under it, percentiles 10/25/50/75/90:", np.percentile(short, [10, 25, 50, 75, 90])
        )


if __name__ == "__main__":
    main()
