"""CLI start-up: ``lingxi --help``, ``--version`` and ``keys list`` for two source trees, side by side.

Usage: python benchmarks/bench_cli_startup.py [BASE_SRC] [-n 10]   (BASE_SRC: e.g. /work/main/src)

Each command runs ``n`` times per tree, alternating trees so machine load hits both alike. Reported: the
median wall time and the median CPU time (user + system of the child, less sensitive to a busy machine),
and the ratio base / this tree.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "src"
COMMANDS = (["--help"], ["--version"], ["keys", "list"])


def run_once(src: Path, args: list[str], home: str) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(src), "LINGXI_HOME": home, "COLUMNS": "100"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from lingxi.cli import main; main()", *args], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base", nargs="?", default="/work/main/src")
    parser.add_argument("-n", type=int, default=10)
    ns = parser.parse_args()
    trees = {"base": Path(ns.base), "this": HERE}
    with tempfile.TemporaryDirectory() as home:
        print(f"{'command':16} {'base wall':>10} {'this wall':>10} {'base cpu':>9} {'this cpu':>9} {'cpu ratio':>9}")
        for args in COMMANDS:
            samples: dict[str, list[tuple[float, float]]] = {k: [] for k in trees}
            for _ in range(ns.n):
                for key, src in trees.items():
                    samples[key].append(run_once(src, args, home))
            wall = {k: statistics.median(w for w, _ in v) for k, v in samples.items()}
            cpu = {k: statistics.median(c for _, c in v) for k, v in samples.items()}
            print(f"{' '.join(args):16} {wall['base']:9.2f}s {wall['this']:9.2f}s {cpu['base']:8.2f}s "
                  f"{cpu['this']:8.2f}s {cpu['base'] / cpu['this']:8.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
