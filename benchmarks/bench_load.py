"""Load test: many concurrent streaming chat requests through ``lingxi serve`` on loopback.

Three processes, as in a deployment: a zero-latency OpenAI-compatible upstream (``tests/fake_openai.py``), the
gateway (``lingxi serve`` with that upstream configured as a ``vllm`` provider), and this load generator
(httpx, at most ``--concurrency`` streams open at once, ``--requests`` in all). Each request is a streamed
chat completion through the whole lingxi path (screening, routing, egress redaction + log, labels, audit in
SQLite). The same load is then sent straight to the upstream, and — when a ``litellm`` command is found
(``--litellm PATH``, e.g. in its own venv with ``pip install 'litellm[proxy]'``, or on PATH) — through a
LiteLLM proxy on the same upstream, interleaved round by round so machine noise hits all alike. With
``--before SRC`` (the ``src`` folder of another checkout, e.g. ``git worktree add /tmp/lx-before HEAD``
made before a change), a second gateway runs that code on the same upstream as target ``before``, in the
same rounds: a change's effect measured side by side, not across runs on a noisy machine.

Prints throughput (requests/s), latency p50/p99 (whole stream) and time to first token, errors by kind, and
the ratios. Never part of the test suite: ``.venv/bin/python benchmarks/bench_load.py [--litellm PATH] [--before SRC]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BENCH_KEY = "sk-lingxi-bench-0123456789abcdef0123456789abcdef"
UPSTREAM = """
import sys, time
sys.path.insert(0, {tests!r})
from fake_openai import FakeOpenAI, Script
with FakeOpenAI({{"fake": Script(reply="好的，收到，我马上处理这件事情。", chunks=8)}}) as s:
    print(s.base_url, flush=True)
    while True:
        time.sleep(3600)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[str], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout_s} s")


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    ttfts: list[float] = field(default_factory=list)
    errors: int = 0
    wall_s: float = 0.0
    why: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.why[kind] = self.why.get(kind, 0) + 1

    def pct(self, values: list[float], q: int) -> float:
        if not values:
            return float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]

    def rps(self) -> float:
        return len(self.latencies) / self.wall_s if self.wall_s else 0.0

    def line(self) -> str:
        return (
            f"{self.name:<10} {self.rps():8.1f} req/s   p50 {self.pct(self.latencies, 50):7.1f} ms   "
            f"p99 {self.pct(self.latencies, 99):7.1f} ms   TTFT p50 {self.pct(self.ttfts, 50):6.1f} ms   "
            f"errors {self.errors}" + (f" {self.why}" if self.why else "")
        )


async def load(run: Run, base_url: str, model: str, requests: int, concurrency: int) -> None:
    """``requests`` streamed chat completions, at most ``concurrency`` at once; records each one's timing."""
    # idle connections are dropped by the client before servers' 5 s keep-alive timeout (uvicorn's default)
    # closes them under it: a request sent on a connection the server just closed would fail as a ReadError
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2.0)
    body = {
        "model": model,
        "stream": True,
        "messages": [{"role": "user", "content": "你好，请帮我确认明天下午三点的会议。我的电话是13800138000。"}],
    }
    gate = asyncio.Semaphore(concurrency)

    async def one(client: httpx.AsyncClient) -> None:
        async with gate:
            start = time.perf_counter()
            first = None
            try:
                async with client.stream("POST", f"{base_url}/chat/completions", json=body) as response:
                    if response.status_code != 200:
                        run.error(f"HTTP {response.status_code}")
                        await response.aread()
                        return
                    done = False
                    async for line in response.aiter_lines():
                        if first is None and line.startswith("data: {"):
                            first = time.perf_counter()
                        done = done or line == "data: [DONE]"
                    if not done:
                        run.error("stream ended without [DONE]")
                        return
            except httpx.HTTPError as exc:
                run.error(type(exc).__name__)
                return
            end = time.perf_counter()
            run.latencies.append((end - start) * 1000)
            run.ttfts.append(((first or end) - start) * 1000)

    headers = {"Authorization": f"Bearer {BENCH_KEY}"}  # LiteLLM's master key; ignored by the others
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(120), headers=headers) as client:
        t = time.perf_counter()
        await asyncio.gather(*(one(client) for _ in range(requests)))
        run.wall_s += time.perf_counter() - t


def start(cmd: list[str], env: dict[str, str] | None = None, *, read: bool = False) -> subprocess.Popen[str]:
    """A child process; only a child whose first line is read gets a pipe (an unread pipe fills and blocks it)."""
    out = subprocess.PIPE if read else subprocess.DEVNULL
    return subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, text=True, env=env)


def gateway(upstream: str, home: Path, src: str | None = None) -> tuple[subprocess.Popen[str], str]:
    """``lingxi serve`` on ``upstream`` (a ``vllm`` provider), from this checkout or from the one at ``src``."""
    home.mkdir()
    (home / "lingxi.toml").write_text(
        f'default_model = "fake/fake"\n[providers.fake]\npreset = "vllm"\nbase_url = "{upstream}"\nmodels = ["fake"]\n'
    )
    port = free_port()
    env = {**os.environ, "LINGXI_HOME": str(home)}
    if src:  # ahead of the editable install's path entry, so that checkout's ``lingxi`` is the one imported
        env["PYTHONPATH"] = os.pathsep.join([str(Path(src).resolve()), *filter(None, [env.get("PYTHONPATH")])])
    proc = start([sys.executable, "-c", "from lingxi.cli import main; main()", "serve", "--port", str(port)], env)
    wait_http(f"http://127.0.0.1:{port}/healthz", proc)
    return proc, f"http://127.0.0.1:{port}/v1"


def litellm_proxy(upstream: str, tmp: Path, exe: str | None) -> tuple[subprocess.Popen[str], str] | None:
    """A LiteLLM proxy on the same upstream, when its ``litellm`` command is found (``--litellm`` or PATH)."""
    exe = exe or shutil.which("litellm") or str(Path(sys.executable).parent / "litellm")
    if not Path(exe).exists():
        return None
    config = tmp / "litellm.yaml"
    config.write_text(
        "model_list:\n  - model_name: fake\n    litellm_params:\n"
        f"      model: openai/fake\n      api_base: {upstream}\n      api_key: none\n"
    )
    port = free_port()
    env = {**os.environ, "LITELLM_MASTER_KEY": BENCH_KEY}  # it refuses to start open
    proc = start([exe, "--config", str(config), "--port", str(port), "--num_workers", "1"], env)
    wait_http(f"http://127.0.0.1:{port}/health/liveliness", proc, timeout_s=120)
    return proc, f"http://127.0.0.1:{port}/v1"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000, help="requests per target and round, in all")
    ap.add_argument("--concurrency", type=int, default=200, help="streams open at once")
    ap.add_argument("--rounds", type=int, default=3, help="rounds, targets interleaved within each")
    ap.add_argument("--litellm", help="the litellm command, e.g. from its own venv: /opt/litellm/bin/litellm")
    ap.add_argument("--before", metavar="SRC", help="src folder of another checkout: its gateway is target 'before'")
    args = ap.parse_args()
    procs: list[subprocess.Popen[str]] = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        try:
            upstream_proc = start([sys.executable, "-c", UPSTREAM.format(tests=str(ROOT / "tests"))], read=True)
            procs.append(upstream_proc)
            assert upstream_proc.stdout is not None
            upstream = upstream_proc.stdout.readline().strip()
            ours, url = gateway(upstream, tmp / "home")
            procs.append(ours)
            targets = [("upstream", upstream, "fake"), ("lingxi", url, "fake/fake")]
            if args.before:
                old, url = gateway(upstream, tmp / "home-before", args.before)
                procs.append(old)
                targets.insert(1, ("before", url, "fake/fake"))
            lite = litellm_proxy(upstream, tmp, args.litellm)
            if lite:
                procs.append(lite[0])
                targets.append(("litellm", lite[1], "fake"))
            runs = {name: Run(name) for name, _, _ in targets}
            for _, url, model in targets:  # warm-up: imports, jieba, connection pools
                asyncio.run(load(Run("warm-up"), url, model, min(200, args.requests), args.concurrency))
            for _ in range(args.rounds):
                for name, url, model in targets:
                    asyncio.run(load(runs[name], url, model, args.requests, args.concurrency))
        finally:
            for p in procs:
                p.terminate()
                p.wait(timeout=10)
    print(
        f"{args.rounds} rounds × {args.requests} streamed requests, {args.concurrency} concurrent, "
        f"{os.cpu_count()} cores"
    )
    for run in runs.values():
        print(run.line())
    ours = runs["lingxi"]
    for other in (r for r in runs.values() if r is not ours):
        print(
            f"lingxi vs {other.name}: throughput {ours.rps() / other.rps():.2f}×, "
            f"p50 {ours.pct(ours.latencies, 50) / other.pct(other.latencies, 50):.2f}×"
        )
    if "litellm" not in runs:
        print("LiteLLM proxy: not installed (pip install 'litellm[proxy]' to add it to the comparison)")


if __name__ == "__main__":
    main()
