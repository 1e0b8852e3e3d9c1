"""Master-key rotation: how long ``lingxi keys master rotate`` takes, beside ingesting the same data.

Run by hand (never in CI)::

    .venv/bin/python benchmarks/bench_key_rotation.py             # the sample user, 3 rounds
    .venv/bin/python benchmarks/bench_key_rotation.py --copies 10 # 10 users like the sample (4,060 events)

Each round makes a fresh home in a temporary directory (on-disk SQLite, WAL), loads the bundled sample
user ``--copies`` times under different user ids (the sample is 406 events; ingest seals them and runs
the index, profile and shopping hooks), adds one assistant session per user, then rotates the master
key (re-seal every sealed column, rebuild the keyed-hash search index, one transaction, key renamed in
after the commit). Printed: the median ingest and rotation times and their ratio, and what was re-sealed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lingxi import Lingxi
from lingxi.config import Settings
from lingxi.context.sample import sample_events
from lingxi.features.sessions import ChatLine
from lingxi.privacy.rotate import Rotation, rotate_master_key


def one_round(copies: int) -> tuple[float, Rotation]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        lx = Lingxi(home)
        started = time.perf_counter()
        for i in range(copies):
            user = f"user-{i}"
            lx.ingest(e.model_copy(update={"user_id": user}) for e in sample_events())
        ingest_s = time.perf_counter() - started
        for i in range(copies):
            session = lx.assistant.sessions.open(f"user-{i}", None)
            lx.assistant.sessions.save(session, [ChatLine(role="user", content="明天提醒我取快递")])
        return ingest_s, rotate_master_key(Settings.load(home))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=1, help="users like the sample user (406 events each)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}; {args.copies} × {len(sample_events())} events; {args.rounds} rounds")
    results = [one_round(args.copies) for _ in range(args.rounds)]
    ingest = statistics.median(r[0] for r in results)
    rotate = statistics.median(r[1].seconds for r in results)
    last = results[-1][1]
    print(f"ingest (seal + index + profile + shopping): {ingest:.3f} s")
    print(f"rotate (re-seal + re-index, one transaction): {rotate:.3f} s   ratio rotate/ingest = {rotate / ingest:.2f}")
    print(f"re-sealed rows: {sum(last.resealed.values())} {dict(sorted(last.resealed.items()))}")
    print(f"re-indexed events: {last.reindexed}")


if __name__ == "__main__":
    main()
