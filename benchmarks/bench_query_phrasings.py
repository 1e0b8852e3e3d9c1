"""Everyday phrasings per question shape, old code vs new, side by side in one run (lite tier, rule parser).

Sets (``--set``): ``lin`` is tests/test_query_phrasings.py's CASES (field / exists / who-said / count / category
spending / list questions over tests/query_user_lin.py, gold worked out by hand); ``zhang`` is
tests/query_cases_zhang.py's CASES over a third user (tests/query_user_zhang.py: a retired parent in Chengdu,
with comparisons, breakdowns and amount filters), written before the engine was changed for it; ``zhang-fresh``
is FRESH there, written after; ``zhang-fresh2`` is FRESH2, written after every later change. Not the independent
evaluation set (benchmarks/qa_eval), which this never reads. A question is exact when the answer says the gold
words, cites exactly the gold events and has the gold numbers. Citation precision/recall are micro-averaged.

The old code is ``git archive <ref> src`` in a temporary folder, scored in a subprocess on the same set.

Run: ``.venv/bin/python benchmarks/bench_query_phrasings.py --old <git ref>`` (from the repository root).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from ref_src import extract_src

ROOT = Path(__file__).resolve().parent.parent


def _set(name: str) -> tuple[Any, Any, Any, list[Any]]:
    """(now, tz, events, cases) of the named set."""
    if name == "lin":
        import query_user_lin as user
        from test_query_phrasings import CASES
    else:
        import query_user_zhang as user  # type: ignore[no-redef]
        from query_cases_zhang import CASES, FRESH, FRESH2

        CASES = {"zhang-fresh": FRESH, "zhang-fresh2": FRESH2}.get(name, CASES)
    return user.NOW, user.TZ, user.events, CASES


def score(name: str = "lin", show: bool = False) -> dict[str, list[int]]:
    """Per shape [exact, total], and ``citations`` [true positives, cited, gold], with the ``src`` on sys.path."""
    sys.path.insert(0, str(ROOT / "tests"))
    from lingxi.query.execute import Context, execute
    from lingxi.query.rules import parse
    from lingxi.query.synonyms import Synonyms

    NOW, TZ, events, CASES = _set(name)

    table = Synonyms()
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    cit = [0, 0, 0]
    for shape, q, says, cited, numbers in CASES:
        try:
            facts = execute(parse(q, NOW, TZ, table), Context(events(), NOW, TZ, table))
        except Exception:  # an old parser may fail on a phrasing: that question is wrong, not the run
            out[shape][1] += 1
            cit[2] += len(cited)
            continue
        text, got = "\n".join(facts.lines), set(facts.citations)
        ok = (
            all(s in text for s in says) and got == cited and all(facts.numbers.get(k) == v for k, v in numbers.items())
        )
        out[shape][0] += ok
        if show and not ok:
            print(f"MISS {shape} {q}: {text[:300]!r} cited={sorted(got)} want={sorted(cited)} {facts.numbers}")
        out[shape][1] += 1
        cit = [cit[0] + len(got & cited), cit[1] + len(got), cit[2] + len(cited)]
    return {**out, "citations": cit}


def _old(ref: str, name: str) -> dict[str, list[int]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(extract_src(ref, Path(tmp)))}
        run = subprocess.run(
            [sys.executable, __file__, "--score", "--set", name], env=env, check=True, capture_output=True, text=True
        )
        return dict(json.loads(run.stdout))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", default="", help="git ref of the code to compare with (e.g. main)")
    ap.add_argument(
        "--set", default="lin", choices=("lin", "zhang", "zhang-fresh", "zhang-fresh2"), help="which question set"
    )
    ap.add_argument("--show", action="store_true", help="print each question the new code misses")
    ap.add_argument("--score", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.score:
        print(json.dumps(score(args.set)))
        return
    sys.path.insert(0, str(ROOT / "src"))
    new = score(args.set, args.show)
    old = _old(args.old, args.set) if args.old else {}
    print(f"{'shape':<16}{'old ' + args.old if old else '':>18}{'new':>14}")
    for shape in sorted(k for k in new if k != "citations"):
        cells = [old.get(shape), new[shape]] if old else [None, new[shape]]
        row = "".join(f"{f'{c[0]}/{c[1]} {c[0] / c[1]:.0%}' if c else '':>16}" for c in cells)
        print(f"{shape:<16}{row}")
    cells = [[sum(v[i] for k, v in r.items() if k != "citations") for i in (0, 1)] if r else None for r in (old, new)]
    print(f"{'all':<16}" + "".join(f"{f'{c[0]}/{c[1]} {c[0] / c[1]:.1%}' if c else '':>16}" for c in cells))
    for name, runs in (("old", old), ("new", new)):
        if runs:
            tp, cited, gold = runs["citations"]
            print(f"citations {name}: precision {tp / max(cited, 1):.2f}, recall {tp / max(gold, 1):.2f}")


if __name__ == "__main__":
    main()
