"""Keyword screening throughput with the full built library, plus its term counts and coverage.

Builds the library from the shared konsheng copy (``/work/shared/data/lexicon``, never committed) into a
temp home, then screens every sample event's text (``lingxi.context.sample``), repeated to about 5 MB of
UTF-8, one text at a time the way input/output screening sees it. Target ≥ 50 MB/s. Prints best and median
of several rounds because a shared machine drifts.

Run: ``.venv/bin/python benchmarks/bench_screen.py [--mb 5] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from lingxi.compliance.lexicon import build_library, coverage_report, load_library
from lingxi.compliance.screen import KeywordScreener
from lingxi.context.sample import sample_events

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "lexicon" / "konsheng"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not (SHARED / "Vocabulary").is_dir():
        print(f"skip: keyword source not found at {SHARED} (build from a local copy to benchmark)")
        return
    with tempfile.TemporaryDirectory() as home:
        report = build_library(SHARED, Path(home) / "lexicon")
        terms = load_library(Path(home))
    rows, summary = coverage_report(terms)
    print(f"library {report.version}: buckets {report.buckets}; loaded {len(terms)} block terms")
    for r in rows:
        print(f"  {r.code} {r.count:>6} / min {r.minimum:<4} {'ok' if r.ok else 'SHORT'}  {r.name_zh}")
    print(f"  total {summary['total']} (≥10000: {summary['total_ok']}), risks covered {summary['risks_covered']}")
    start = time.perf_counter()
    screener = KeywordScreener(terms)
    print(f"compile {time.perf_counter() - start:.2f}s, {screener.size} exact keys")
    texts = [e.search_text() for e in sample_events()]
    size = sum(len(t.encode()) for t in texts)
    corpus = texts * max(1, round(args.mb * 1e6 / size))
    total = sum(len(t.encode()) for t in corpus)
    rates, blocked = [], 0
    for _ in range(args.rounds):
        start = time.perf_counter()
        blocked = sum(screener.screen(t).blocked for t in corpus)
        rates.append(total / 1e6 / (time.perf_counter() - start))
    print(f"{len(corpus)} texts, {total / 1e6:.1f} MB, avg {total / len(corpus):.0f} B/text, blocked {blocked}")
    print(f"throughput best {max(rates):.1f} MB/s, median {statistics.median(rates):.1f} MB/s (target ≥ 50)")


if __name__ == "__main__":
    main()
