"""PII redaction throughput and per-type recall/precision/F1, measured in one run.

1. Throughput: every sample event's text (``lingxi.context.sample``: 林晓雨's messages, notifications,
   payments, orders, calendar), repeated to about 5 MB of UTF-8, redacted one event at a time the way the
   egress boundary sees it (a fresh :class:`RedactionMap` per event). Target ≥ 10 MB/s. MB are UTF-8 bytes
   (a Chinese character is three), the unit the target is stated in.
2. Quality: ``tests/pii_cases.py`` (hand-labeled, fictional), exact span and type required for a hit.

Run: ``.venv/bin/python benchmarks/bench_pii.py [--mb 5] [--rounds 3]``. Prints the best round and the
median, because a shared machine drifts by ±10-15 % from minute to minute.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from lingxi.context.sample import sample_events
from lingxi.privacy.pii import find_pii
from lingxi.privacy.redact import RedactionMap, Redactor
from pii_cases import ALL_CASES, CASES, HARD_NEGATIVES, score


def throughput(mb: float, rounds: int) -> None:
    texts = [e.search_text() for e in sample_events()]
    size = sum(len(t.encode()) for t in texts)
    corpus = texts * max(1, round(mb * 1e6 / size))
    total = sum(len(t.encode()) for t in corpus)
    redactor = Redactor()
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in corpus:
            redactor.redact(text, RedactionMap())
        rates.append(total / 1e6 / (time.perf_counter() - start))
    hits = sum(len(find_pii(t)) for t in texts)
    print(f"corpus: {len(texts)} sample events x {len(corpus) // len(texts)} = {total / 1e6:.2f} MB UTF-8,")
    print(f"        {len(corpus)} texts of {total / len(corpus):.0f} B on average; {hits} spans per copy")
    print(f"redact: best {max(rates):.1f} MB/s, median {statistics.median(rates):.1f} MB/s over {rounds} rounds\n")


def quality() -> None:
    results = score(lambda t: [(s.start, s.end, s.type) for s in find_pii(t)], ALL_CASES)
    print(f"labeled set: {len(CASES)} sentences with PII, {len(HARD_NEGATIVES)} hard negatives (exact spans)")
    print(f"{'type':<8}{'gold':>6}{'tp':>6}{'fp':>6}{'fn':>6}{'recall':>9}{'prec.':>9}{'F1':>9}")
    for typ, (tp, fp, fn) in results.items():
        r = tp / (tp + fn) if tp + fn else 1.0
        p = tp / (tp + fp) if tp + fp else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        pad = " " * (8 - sum(2 if ord(c) > 127 else 1 for c in typ))  # CJK characters are two columns wide
        print(f"{typ}{pad}{tp + fn:>6}{tp:>6}{fp:>6}{fn:>6}{r:>9.3f}{p:>9.3f}{f1:>9.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    throughput(args.mb, args.rounds)
    quality()


if __name__ == "__main__":
    main()
