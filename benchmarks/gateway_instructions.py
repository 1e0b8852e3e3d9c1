"""Instructions per chat request inside ``lingxi serve`` (callgrind): a change measured without the machine's noise.

CPU time per request moves by ±20–40 % between runs of the same code on a shared machine (other processes
evict the caches, take the core mid-request, change its clock): the wave-11 quiet-machine runs gave 2.40 and
3.37 ms for one tree, and ``gateway_tail.py``'s blocks of one side spread as far as two sides differ. The
instructions a request executes do not depend on the neighbours: two servers of the same code land within
~0.2 % of each other. So a change that removes work shows here even when it is far smaller than the noise of
CPU time; what it is worth in time must still come from ``bench_gateway.py``/``gateway_tail.py``.

Each target is ``lingxi serve`` under valgrind's callgrind with instrumentation off while it starts and warms
up (so start-up costs ~1 minute, not an hour), then on for ``--requests`` sequential requests from one client
(the bench's prompt and upstream, as in ``bench_gateway.py``), then off again. Counted: user-space instructions
of every thread of the server (the kernel's work for its system calls is not). ``PYTHONHASHSEED=0`` for both, so
dict and set layouts match. Needs ``valgrind`` (``apt-get install valgrind``). Never part of the test suite::

    PYTHONPATH=src .venv/bin/python benchmarks/gateway_instructions.py [--before SRC] [--requests 200] [--stream]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_gateway import CHUNKS, KEY_ENV, UPSTREAM, start
from bench_load import free_port, wait_http
from gateway_tail import drive


def instructions(upstream: str, home: Path, src: Path, requests: int, stream: bool) -> int:
    """Instructions the server at ``src`` executed for ``requests`` sequential chat requests after warm-up."""
    home.mkdir()
    (home / "lingxi.toml").write_text(
        'default_model = "bench/fake"\n'
        f'[providers.bench]\npreset = "deepseek"\nbase_url = "{upstream}"\nkey_env = "{KEY_ENV}"\nmodels = ["fake"]\n'
    )
    env = {
        **os.environ,
        "LINGXI_HOME": str(home),
        KEY_ENV: "sk-bench-upstream",
        "PYTHONPATH": str(src.resolve()),
        "PYTHONHASHSEED": "0",
    }
    cli = [sys.executable, "-c", "from lingxi.cli import main; main()"]
    subprocess.run([*cli, "privacy", "grant", "local", "cloud_processing"], env=env, check=True, capture_output=True)
    port, out = free_port(), home / "callgrind.out"
    grind = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}.%p"]
    proc = start([*grind, *cli, "serve", "--port", str(port)], env)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout_s=900)
        url = f"http://127.0.0.1:{port}/v1"
        asyncio.run(drive(url, 30, None, stream))  # warm: dictionaries, pools, the first request's imports
        time.sleep(1.0)
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)
        asyncio.run(drive(url, requests, None, stream))
        time.sleep(1.0)  # the last request's observers and log row run after its bytes reached the client
        subprocess.run(["callgrind_control", "-i", "off", str(proc.pid)], check=True, capture_output=True)
    finally:
        proc.terminate()
        proc.wait(120)
    totals = [re.search(r"^totals:\s*(\d+)", f.read_text(errors="replace"), re.M) for f in home.glob("callgrind.out*")]
    return sum(int(m.group(1)) for m in totals if m)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, action="append", help="src folder of another checkout (repeatable)")
    ap.add_argument("--requests", type=int, default=200, help="requests counted per target")
    ap.add_argument("--stream", action="store_true", help="streamed requests")
    args = ap.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    srcs = [(f"before-{i + 1}" if i else "before", Path(s)) for i, s in enumerate(args.before or [])]
    srcs.append(("lingxi", Path(__file__).resolve().parents[1] / "src"))
    counts: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as d:
        up = start([sys.executable, "-c", UPSTREAM, str(CHUNKS)], read=True)
        try:
            assert up.stdout is not None
            upstream = up.stdout.readline().strip()
            for name, src in srcs:
                total = instructions(upstream, Path(d) / f"home-{name}", src, args.requests, args.stream)
                counts[name] = total / args.requests
                print(f"{name}: {counts[name] / 1e6:.3f} M instructions per request", file=sys.stderr, flush=True)
        finally:
            up.terminate()
            up.wait(15)
    kind = "streamed" if args.stream else "non-streamed"
    print(f"{args.requests} sequential {kind} requests per target, instructions per request (callgrind)")
    for name, count in counts.items():
        ratio = f"  ({count / counts['before']:.4f}× before)" if "before" in counts and name != "before" else ""
        print(f"  {name:<10} {count / 1e6:8.3f} M{ratio}")


if __name__ == "__main__":
    main()
