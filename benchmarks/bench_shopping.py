"""Shopping recommendations: offline HR@10/NDCG@10 on UCI Online Retail and OTTO sessions, and real-time latency.

Run by hand (never in CI)::

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_shopping.py
    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_shopping.py --data online_retail.csv.gz --users 1000

(a) offline, on each log in one run (:mod:`lingxi.shopping.evaluate`; protocols in :mod:`lingxi.shopping.logs`):
    popularity, item-kNN, session transition, ALS (``implicit``), lingxi as on main ("before": no own-interest
    candidates) and lingxi now, all fitted in the same run on the same training events; blend weights picked on
    a validation split that ends before the test cutoff; HR@10/NDCG@10 and the ratio to popularity. Logs: UCI
    Online Retail (purchases) and 3,000 real OTTO sessions (views, no event types; ``--otto``);
(b) real time: a ``Lingxi`` home with the bundled sample user loaded; ingest one browse event, then ask for
    recommendations: the time from ``ingest`` call to the new list (the event is in the list's reasons).

The UCI data is not in the repository: see benchmarks/README.md for where to get it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from lingxi.cli.features.shopping import live_browse
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.facade import Lingxi
from lingxi.shopping import evaluate as ev


def realtime(tries: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        lx = Lingxi(Path(tmp) / "home")
        lx.load_sample()
        lx.shopping.recommend(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS)  # warm caches (jieba dictionary)
        took = []
        for n in range(tries):
            event = live_browse(SAMPLE_NOW_MS).model_copy(update={"event_id": f"bench-{n}", "ts": SAMPLE_NOW_MS - n})
            started = time.perf_counter()
            lx.ingest([event])
            recs = lx.shopping.recommend(SAMPLE_USER_ID, k=10, now_ms=SAMPLE_NOW_MS)
            took.append((time.perf_counter() - started) * 1000)
            assert any("猫爬架" in r for i in recs.items for r in i.reasons_zh)
    return statistics.median(took), sorted(took)[int(len(took) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=ev.DEFAULT_DATA)
    parser.add_argument("--otto", type=Path, default=ev.OTTO_DATA, help="OTTO-shaped sessions (untyped)")
    parser.add_argument("--users", type=int, default=500, help="evaluated users (seeded sample)")
    parser.add_argument("--tries", type=int, default=50, help="real-time ingest→recommend repetitions")
    args = parser.parse_args()
    p50, p95 = realtime(args.tries)
    print(f"real time (ingest one browse event → new recommendations, sample user): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    opts = {"max_users": args.users, "with_before": True}
    for name, run in (
        ("UCI Online Retail (purchases)", lambda: ev.evaluate(args.data, **opts)),
        ("OTTO sessions (views, untyped)", lambda: ev.evaluate_sessions(args.otto, **opts)),
    ):
        started = time.perf_counter()
        result = run()
        print(
            f"\n{name}: {result['events']} events, {result['train']} before the test cutoff {result['cutoff']} UTC, "
            f"{result['cases']} users evaluated ({time.perf_counter() - started:.0f} s)"
        )
        print(ev.table(result))
        if result.get("note"):
            print(result["note"])
        print(f"chosen weights (validation NDCG@10): {result['weights']}")
        for weights, row in result["validation"]:
            print(f"  val HR@10 {row.hr:.4f} NDCG@10 {row.ndcg:.4f}  {weights}")


if __name__ == "__main__":
    main()
