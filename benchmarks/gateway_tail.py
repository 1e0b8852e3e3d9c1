"""Where a chat request's time goes inside ``lingxi serve``, request by request: the tail, not the median.

``bench_gateway.py`` says how long requests take; this says why the slow ones were slow. The gateway runs with
a small instrumentation hook (no change to lingxi): per chat request its wall time and the event-loop thread's
CPU time, the wall and CPU time spent inside SQLite write transactions (by call site), and the collector's
pauses; the WAL checkpoints the server took. A request whose wall time far exceeds its CPU time waited: for a
lock, an fsync, or for a CPU another process held. Same upstream and home as ``bench_gateway.py``. With
the writer thread (``Database.start_writer``), also the time each request awaited its writes, the process's CPU
(the writer's included) and the writer's transactions.

``--rate`` paces the requests (one client, N per second) the way light traffic arrives; without it they go back
to back, as in ``bench_gateway.py``'s sequential phase. ``--before SRC`` runs another checkout the same way, in
alternating blocks (ABBA order); each block's medians are printed, and each pair's ratio, so a claim shows its
spread. Never part of the test suite::

    PYTHONPATH=src .venv/bin/python benchmarks/gateway_tail.py [--before SRC] [--rate 50] [--requests 600]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_gateway import CHUNKS, KEY_ENV, PROMPT, UPSTREAM, start
from bench_load import free_port, wait_http

#: runs ``lingxi serve`` with per-request timers; SIGUSR2 clears them, SIGUSR1 writes them to $TAIL_OUT and exits
HOOK = r"""
import contextlib, gc, json, os, signal, sys, time
import uvicorn
from lingxi.storage import sqlite as store
import threading
acc = {"sql_wall": 0.0, "sql_cpu": 0.0, "gc": 0.0, "awaited": 0.0, "writer_wall": 0.0, "writer_cpu": 0.0,
       "queued": 0.0, "wake": 0.0}
sites, rows, checkpoints, gc_start = {}, [], [], [0.0]
plain_tx, plain_ck = store.Database.transaction, store.Database.checkpoint
loop_thread = threading.main_thread()
def count(key, wall, cpu):
    site = sites.setdefault(key, [0, 0.0, 0.0, 0.0])
    site[0] += 1; site[1] += wall; site[2] += cpu; site[3] = max(site[3], wall)
@contextlib.contextmanager
def transaction(self):
    wall, cpu = time.perf_counter(), time.thread_time()
    with plain_tx(self) as conn:
        yield conn
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    code = sys._getframe(2).f_code
    count(f"{code.co_filename.rsplit('/', 1)[-1]}:{code.co_name}", wall, cpu)
    if threading.current_thread() is loop_thread:  # what holds up every request in flight
        acc["sql_wall"] += wall; acc["sql_cpu"] += cpu
def checkpoint(self):
    t = time.perf_counter(); out = plain_ck(self); checkpoints.append((time.perf_counter() - t, *out)); return out
store.Database.transaction, store.Database.checkpoint = transaction, checkpoint
if hasattr(store.Database, "start_writer"):  # a tree with the writer thread: the request awaits its writes
    from lingxi.storage import writer as writer_mod
    plain_write = store.Database.write
    async def write(self, job):
        t = time.perf_counter()
        try:
            return await plain_write(self, job)
        finally:
            acc["awaited"] += time.perf_counter() - t
    store.Database.write = write
    stamps = {}  # id(item) -> when it was queued, then when its batch was settled
    plain_put, plain_settle, plain_resolve = writer_mod.Writer._put, writer_mod.Writer._settle, writer_mod._resolve
    def put(self, item):
        stamps[id(item)] = time.perf_counter()
        return plain_put(self, item)
    def settle(self, batch):
        now = time.perf_counter()
        for item in batch:
            stamps[id(item)] = now
        return plain_settle(self, batch)
    def resolve(items):
        now = time.perf_counter()
        for item in items:
            acc["wake"] += now - stamps.pop(id(item), now)
        return plain_resolve(items)
    writer_mod.Writer._put, writer_mod.Writer._settle, writer_mod._resolve = put, settle, resolve
    def timed(name, plain):
        def run(self, conn, arg):
            wall, cpu = time.perf_counter(), time.thread_time()
            for item in arg if isinstance(arg, list) else [arg]:  # awaited jobs (a queued row waits on purpose)
                acc["queued"] += 0.0 if getattr(item, "due", 0.0) else wall - stamps.get(id(item), wall)
            try:
                return plain(self, conn, arg)
            finally:
                wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
                count(f"writer:{name}", wall, cpu)
                sites.setdefault("writer jobs", [0, 0.0, 0.0, 0.0])[0] += len(arg) if isinstance(arg, list) else 1
                acc["writer_wall"] += wall; acc["writer_cpu"] += cpu
        return run
    W = writer_mod.Writer
    W._together = timed("batch", W._together)
    W._alone = timed("alone", W._alone)
def collected(phase, info):
    if phase == "start": gc_start[0] = time.perf_counter()
    else: acc["gc"] += time.perf_counter() - gc_start[0]
gc.callbacks.append(collected)
class Timed:
    def __init__(self, app): self.app = app
    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].endswith("/chat/completions"):
            return await self.app(scope, receive, send)
        before, wall, cpu, proc = dict(acc), time.perf_counter(), time.thread_time(), time.process_time()
        await self.app(scope, receive, send)
        rows.append([time.perf_counter() - wall, time.thread_time() - cpu, time.process_time() - proc,
                     *(acc[k] - before[k] for k in acc)])
def dump(*_):
    data = {"rows": rows, "sites": sites, "checkpoints": checkpoints}
    with open(os.environ["TAIL_OUT"], "w") as f: json.dump(data, f)
    os._exit(0)
signal.signal(signal.SIGUSR1, dump)
signal.signal(signal.SIGUSR2, lambda *_: (rows.clear(), sites.clear(), checkpoints.clear()))
serve = uvicorn.run
uvicorn.run = lambda app, **kw: serve(Timed(app), **kw)
from lingxi.cli import main
sys.argv = ["lingxi", *sys.argv[1:]]
main()
"""

#: per request: wall, the event-loop thread's CPU, the process's CPU (every thread: the writer's too), time
#: inside write transactions on the loop thread (which holds up every request), collector pauses, the time the
#: request awaited its writes (writer thread only), the writer thread's wall and CPU inside transactions, the
#: jobs' time in the queue before their transaction began, and from their commit to their loop running again
COLUMNS = (
    "wall", "cpu", "proc_cpu", "sql_wall", "sql_cpu", "gc", "awaited", "writer_wall", "writer_cpu", "queued", "wake"
)  # fmt: skip


def gateway(upstream: str, home: Path, src: Path) -> tuple[subprocess.Popen[str], str]:
    """``lingxi serve`` from ``src`` under the hook, configured as in ``bench_gateway.py``."""
    home.mkdir()
    (home / "lingxi.toml").write_text(
        'default_model = "bench/fake"\n'
        f'[providers.bench]\npreset = "deepseek"\nbase_url = "{upstream}"\nkey_env = "{KEY_ENV}"\nmodels = ["fake"]\n'
    )
    env = {**os.environ, "LINGXI_HOME": str(home), KEY_ENV: "sk-bench-upstream", "PYTHONPATH": str(src.resolve())}
    cli = [sys.executable, "-c", "from lingxi.cli import main; main()"]
    subprocess.run([*cli, "privacy", "grant", "local", "cloud_processing"], env=env, check=True, capture_output=True)
    port = free_port()
    proc = start([sys.executable, "-c", HOOK, "serve", "--port", str(port)], env)
    wait_http(f"http://127.0.0.1:{port}/healthz", proc, timeout_s=90)
    return proc, f"http://127.0.0.1:{port}/v1"


async def drive(url: str, n: int, rate: float | None, stream: bool) -> list[float]:
    """``n`` requests from one client, paced at ``rate`` per second (None: back to back); client latencies."""
    body = {"model": "bench/fake", "stream": stream, "messages": [{"role": "user", "content": PROMPT}]}
    out: list[float] = []
    async with httpx.AsyncClient(timeout=60) as client:
        t0 = time.perf_counter()
        for i in range(n):
            if rate:
                await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))
            t = time.perf_counter()
            r = await client.post(f"{url}/chat/completions", json=body)
            r.raise_for_status()
            out.append((time.perf_counter() - t) * 1000)
    return out


def block(proc: subprocess.Popen[str], url: str, args: argparse.Namespace, out: Path) -> dict[str, object]:
    asyncio.run(drive(url, 50, None, args.stream))  # warm: dictionaries, pools
    time.sleep(0.3)  # (the warm-up's last row is written after its bytes reached the client)
    proc.send_signal(signal.SIGUSR2)
    time.sleep(0.2)
    client = asyncio.run(drive(url, args.requests, args.rate, args.stream))
    return {"client": client, **collect(proc, out)}


def collect(proc: subprocess.Popen[str], out: Path) -> dict[str, object]:
    time.sleep(0.3)  # a streamed response's last bytes reach the client before its app call returns
    proc.send_signal(signal.SIGUSR1)
    proc.wait(30)
    data: dict[str, object] = json.loads(out.read_text())
    return data


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


#: per block (one server, one stretch of time): what a claim of issue 19 rests on, to show its spread
SUMMARY = (
    ("client", "client p50 (ms)"),
    ("cpu", "loop CPU p50 (ms)"),
    ("proc", "process CPU p50 (ms)"),
    ("proc_mean", "process CPU mean (ms)"),
)


def block_summary(block: dict[str, object]) -> dict[str, float]:
    rows: list[list[float]] = block["rows"]  # type: ignore[assignment]
    return {
        "client": statistics.median(block["client"]),  # type: ignore[arg-type]
        "cpu": statistics.median(r[1] for r in rows) * 1e3,
        "proc": statistics.median(r[2] for r in rows) * 1e3,
        "proc_mean": statistics.fmean(r[2] for r in rows) * 1e3,
    }


def compare(before: list[dict[str, object]], now: list[dict[str, object]]) -> None:
    """lingxi ÷ before, block by block (each pair ran back to back, in alternating order): a change is robust
    when the pairs agree, not only the pooled percentiles."""
    print("\n== lingxi ÷ before, each pair of blocks")
    pairs = [(block_summary(b), block_summary(n)) for b, n in zip(before, now, strict=True)]
    for key, label in SUMMARY:
        each = [n[key] / max(b[key], 1e-9) for b, n in pairs]
        shown = " ".join(f"{x:.2f}" for x in each)
        better = sum(1 for x in each if x < 1)
        print(f"  {label:<26} {shown}  (median {statistics.median(each):.2f}×; lower in {better} of {len(each)})")


def report(name: str, blocks: list[dict[str, object]]) -> None:
    rows = [[x * 1000 for x in r] for b in blocks for r in b["rows"]]  # type: ignore[attr-defined]
    client = [x for b in blocks for x in b["client"]]  # type: ignore[attr-defined]
    print(f"\n== {name}: {len(rows)} requests, {len(blocks)} blocks")
    print(
        f"  client latency ms  p50 {pct(client, 0.5):6.2f}  p90 {pct(client, 0.9):6.2f}  p99 {pct(client, 0.99):6.2f}"
    )
    for i, col in enumerate(COLUMNS):
        v = [r[i] for r in rows]
        print(
            f"  server {col:<9} ms  p50 {pct(v, 0.5):6.3f}  p90 {pct(v, 0.9):6.3f}  p99 {pct(v, 0.99):6.3f}  "
            f"max {max(v):7.3f}  mean {statistics.fmean(v):6.3f}"
        )
    spread = [block_summary(b) for b in blocks]
    for key, label in SUMMARY:
        each = [s[key] for s in spread]
        shown = " ".join(f"{x:.2f}" for x in each)
        print(
            f"  each block's {label:<26} {shown}  "
            f"(median {statistics.median(each):.2f}, range {min(each):.2f}–{max(each):.2f})"
        )
    stalls = sum(1 for r in rows if r[3] - r[4] > 2)
    print(
        f"  requests whose event loop waited > 2 ms inside SQLite write transactions: {stalls} "
        f"({100 * stalls / len(rows):.1f} %)"
    )
    waits = sum(1 for r in rows if r[3] - r[4] + r[6] > 2)  # on the loop, or awaiting the writer thread
    print(f"  requests that waited > 2 ms for their own writes: {waits} ({100 * waits / len(rows):.1f} %)")
    sites: dict[str, list[float]] = {}
    for b in blocks:
        for key, (n, wall, cpu, top) in b["sites"].items():  # type: ignore[attr-defined]
            s = sites.setdefault(key, [0, 0.0, 0.0, 0.0])
            s[0], s[1], s[2], s[3] = s[0] + n, s[1] + wall, s[2] + cpu, max(s[3], top)
    for key, (n, wall, cpu, top) in sorted(sites.items()):
        each = f"wall {wall / n * 1e6:6.0f} µs  CPU {cpu / n * 1e6:5.0f} µs  max {top * 1e3:6.2f} ms"
        print(f"  {key:<34} {int(n):6d}×  {each}")
    checkpoints = [c for b in blocks for c in b["checkpoints"]]  # type: ignore[attr-defined]
    if checkpoints:
        pages = statistics.median(c[2] for c in checkpoints)
        print(f"  WAL checkpoints: {len(checkpoints)}, median {pages:.0f} pages each")
    slow = sorted(rows, key=lambda r: -r[0])[: max(3, len(rows) // 100)]
    print("  slowest 1 % (ms): " + "  ".join(f"{r[0]:.1f} [cpu {r[1]:.1f}, sql {r[3]:.1f}]" for r in slow))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, help="src folder of another checkout, run the same way (alternating)")
    ap.add_argument("--requests", type=int, default=600, help="requests per block")
    ap.add_argument("--blocks", type=int, default=2, help="blocks per target, alternating targets")
    ap.add_argument("--rate", type=float, help="requests per second (default: back to back)")
    ap.add_argument("--stream", action="store_true", help="streamed requests")
    args = ap.parse_args()
    srcs = {"lingxi": Path(__file__).resolve().parents[1] / "src"}
    if args.before:
        srcs = {"before": args.before, **srcs}
    results: dict[str, list[dict[str, object]]] = {name: [] for name in srcs}
    with tempfile.TemporaryDirectory() as d:
        up = start([sys.executable, "-c", UPSTREAM, str(CHUNKS)], read=True)
        try:
            assert up.stdout is not None
            upstream = up.stdout.readline().strip()
            for i in range(args.blocks):
                order = list(srcs.items()) if i % 2 == 0 else list(srcs.items())[::-1]  # ABBA: drift hits both
                for name, src in order:
                    out = Path(d) / f"{name}-{i}.json"
                    os.environ["TAIL_OUT"] = str(out)
                    proc, url = gateway(upstream, Path(d) / f"home-{name}-{i}", src)
                    try:
                        results[name].append(block(proc, url, args, out))
                    finally:
                        if proc.poll() is None:
                            proc.terminate()
                            proc.wait(15)
                    print(f"block {i + 1}: {name} done", file=sys.stderr, flush=True)
        finally:
            up.terminate()
            up.wait(15)
    pace = f"{args.rate:g} per second" if args.rate else "back to back"
    kind = "streamed" if args.stream else "non-streamed"
    print(f"{args.blocks} blocks × {args.requests} {kind} requests per target, one client, {pace}")
    for name, blocks in results.items():
        report(name, blocks)
    if args.before:
        compare(results["before"], results["lingxi"])


if __name__ == "__main__":
    main()
