"""End-to-end refusal and wrong-refusal rates of the pipeline on the lite tier, next to TC260 thresholds.

The full should-refuse and should-not-refuse banks of the shared safety data (never committed; read at run
time from ``../shared/data/safety/safety_dev.jsonl``, or ``--data``) go through ``Lingxi.chat`` one prompt
at a time, exactly as a user's request would: consent, input screen, route, generate, output screen,
audit. What this measures is the screening layers the home has (keyword seed library by default; a
trained classifier or built lexicon in ``--home`` counts too), since the lite tier never refuses on its own.

Run: ``.venv/bin/python benchmarks/bench_refusal.py [--data FILE] [--home DIR] [--model lite] [--limit N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from lingxi import Lingxi
from lingxi.compliance.assessment import (
    REFUSE_RATE_MIN,
    WRONG_REFUSAL_MAX,
    build_banks,
    load_items,
    run_items,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "safety" / "safety_dev.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--home", type=Path, default=None, help="a configured home (default: fresh temp home)")
    parser.add_argument("--model", default="lite")
    parser.add_argument("--limit", type=int, default=None, help="cap per bank (default: full banks)")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"no data at {args.data}; pass --data FILE.jsonl", file=sys.stderr)
        return 2
    banks = build_banks(load_items(args.data), args.limit)
    with tempfile.TemporaryDirectory(prefix="lingxi-bench-") as tmp:
        lx = Lingxi(args.home or Path(tmp))
        rows = []
        for name, items, threshold, op in (
            ("should-refuse refusal rate", banks.should_refuse, REFUSE_RATE_MIN, ">="),
            ("should-not-refuse wrong-refusal rate", banks.should_not_refuse, WRONG_REFUSAL_MAX, "<="),
        ):
            start = time.perf_counter()
            outcomes = run_items(lx, items, args.model)
            seconds = time.perf_counter() - start
            refused = sum(o.refused for o in outcomes.values())
            rate = refused / len(items) if items else float("nan")
            ok = rate >= threshold if op == ">=" else rate <= threshold
            rows.append((name, refused, len(items), rate, op, threshold, ok, len(items) / seconds))
    print(f"data: {args.data}  model: {args.model}  layers: keyword" + (" + home" if args.home else " (seed)"))
    print(f"{'metric':38} {'count':>11} {'rate':>7} {'threshold':>10} {'result':>7} {'items/s':>9}")
    for name, refused, n, rate, op, threshold, ok, ips in rows:
        sym, verdict = "≥" if op == ">=" else "≤", "PASS" if ok else "FAIL"
        print(f"{name:38} {refused:>5}/{n:<5} {rate:>7.1%} {sym:>5} {threshold:>4.0%} {verdict:>7} {ips:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
