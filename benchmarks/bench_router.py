"""Router and pipeline overhead per request, measured side by side in one run.

Two comparisons, each interleaved round by round so machine noise hits both sides alike:

1. ``Router.decide`` alone (policy, privacy, capability, budget, health) — target ≤ 1 ms p50.
2. A chat request to a zero-latency OpenAI-compatible upstream on loopback, sent (a) straight through the
   cloud client and (b) through the whole lingxi path (consent, screening, routing, egress redaction and log,
   restore, output screening, label, audit in SQLite). The difference is what lingxi adds per request.

Run: ``.venv/bin/python benchmarks/bench_router.py [--requests 300]``. Prints p50/p99 and ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fake_openai import FakeOpenAI, Script
from lingxi import Lingxi, Message
from lingxi.features.chat import Chat
from lingxi.models.base import ChatRequest
from lingxi.models.lite import lite_models
from lingxi.models.providers import PROVIDERS
from lingxi.models.router import Budget, Router, Rule
from lingxi.privacy.classify import PrivacyClass


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def bench_decide(n: int) -> list[float]:
    router = Router(
        lite_models(),
        default="lite",
        rules=[Rule("notifications.*", ("lite",), PrivacyClass.SENSITIVE), Rule("*", ("lite",))],
    )
    msgs = [Message(role="user", content="帮我总结一下今天的通知" * 20)]
    out = []
    for _ in range(n):
        t = time.perf_counter()
        router.decide(
            feature="chat",
            requested=None,
            task=None,
            privacy=PrivacyClass.PERSONAL,
            cloud_ok=False,
            messages=msgs,
            max_tokens=256,
            budget=Budget(max_cost_cny=0.1, max_latency_ms=2000),
        )
        out.append((time.perf_counter() - t) * 1000)
    return out


async def bench_http(n: int, base_url: str, home: Path) -> tuple[list[float], list[float]]:
    model = PROVIDERS["vllm"].build("fake", base_url=base_url, name="vllm/fake")
    lx = Lingxi(home, models=[model])
    msgs = [Message(role="user", content="你好，请回复一句话。我的电话是13800138000。")]
    direct, piped = [], []
    for _ in range(n):
        t = time.perf_counter()
        async for _chunk in model.stream(ChatRequest(messages=msgs)):
            pass
        direct.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        await lx.acomplete(lx.turn(Chat(), "bench", model="vllm/fake", inputs={"messages": msgs}))
        piped.append((time.perf_counter() - t) * 1000)
    return direct, piped


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    decide = bench_decide(max(2000, args.requests))
    print(
        f"Router.decide alone: p50 {pct(decide, 50) * 1000:.1f} µs, p99 {pct(decide, 99) * 1000:.1f} µs "
        f"(target p50 ≤ 1000 µs)"
    )
    with FakeOpenAI({"fake": Script(reply="好的，收到。", chunks=4)}) as server, tempfile.TemporaryDirectory() as d:
        asyncio.run(bench_http(20, server.base_url, Path(d)))  # warm-up: imports, jieba, connections
        direct, piped = asyncio.run(bench_http(args.requests, server.base_url, Path(d)))
    p50d, p50p, p99d, p99p = pct(direct, 50), pct(piped, 50), pct(direct, 99), pct(piped, 99)
    print(f"zero-latency upstream on loopback, {args.requests} requests each, interleaved:")
    print(f"  direct client : p50 {p50d:.2f} ms  p99 {p99d:.2f} ms")
    print(f"  lingxi path   : p50 {p50p:.2f} ms  p99 {p99p:.2f} ms")
    print(f"  added by lingxi: p50 {p50p - p50d:+.2f} ms  p99 {p99p - p99d:+.2f} ms  (ratio p50 {p50p / p50d:.2f}×)")


if __name__ == "__main__":
    main()
