"""Hardening, before vs after: how long /healthz waits while one long message is served, and how many of a
seeded random fuzz run's requests get a 5xx.

Protocol (both source trees get the same inputs; each runs in its own process with PYTHONPATH set):

1. stall — ``lingxi serve``'s app on a loopback port (auth off, lite models). One client posts a chat whose
   message is N × 「名」 (a single-character run, jieba's worst case; N defaults to 20,000, which both trees
   accept); another polls ``/healthz`` back to back. Reported: the chat's own time, and the largest and
   median ``/healthz`` round trip while the chat was in flight (issue 16's goal: ≤ 100 ms). The same for a
   proofread of N characters of varied text that every rule fires on (typos, 的/地/得, 在/再, half-width
   marks, sound-alikes), the heaviest writing tool; the warm-up request is short in both cases, so the first
   long request's own set-up (e.g. starting a worker process) is inside the measurement.
2. fuzz — ``--requests`` requests (default 2,000) through the in-process test client, each to a random
   operation of the OpenAPI schema with one parameter or body member replaced by a random hostile value
   (integers beyond 64 bits, lone surrogates, extreme dates, deep nesting, random text, non-ASCII request
   ids); the rest of the request is valid. Reported: how many answers were 5xx (the documented 503
   ``model_unavailable`` excluded).

Usage::

    python benchmarks/bench_hardening.py --baseline /work/main/src [--n 20000] [--requests 2000]

prints one table with both trees side by side and the ratio after/before.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parents[1] / "src"
NOW = "2025-11-23T20:00:00+08:00"
VALID_BODIES: dict[str, Any] = {
    "/v1/chat/completions": {"model": "lite", "messages": [{"role": "user", "content": "今天开会"}], "seed": 1},
    "/v1/events": [
        {
            "type": "payment",
            "event_id": "p1",
            "user_id": "u1",
            "ts": 1_764_000_000_000,
            "source_app": "alipay",
            "amount_fen": 1200,
            "merchant": "便利店",
        }
    ],
    "/v1/features/replies": {"user_id": "u1", "conversation_id": "c1", "now": NOW},
    "/v1/features/writing/{kind}": {"text": "今天天气很好。我们去公园。", "sentences": 1},
    "/v1/features/assistant": {"user_id": "u1", "question": "我最近买了什么", "now": NOW},
    "/v1/features/notifications/summary": {"user_id": "u1", "now": NOW},
    "/v1/features/notifications/digest": {"user_id": "u1", "now": NOW, "since": NOW},
    "/v1/users/{user_id}/consents": {"grant": ["messages"], "source": "app"},
    "/v1/complaints": {"contact": "a@example.com", "category": "other", "text": "回答有误"},
}
PARAMS = {"user_id": "u1", "kind": "summarize", "before": "1764000000000", "now_ms": "1764000000000", "k": "3"}
HOSTILE: list[Any] = [2**64, -(2**70), 10**30, "\ud800", "名\udc00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]


def _hostile(rng: random.Random) -> Any:
    if rng.random() < 0.5:
        return rng.choice(HOSTILE)
    alphabet = '名字\ud800\udfff é\x00"\\{[1-'
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def _paths(doc: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [where] if where else []
    if isinstance(doc, dict):
        out += [p for k, v in doc.items() for p in _paths(v, (*where, k))]
    elif isinstance(doc, list):
        out += [p for i, v in enumerate(doc) for p in _paths(v, (*where, i))]
    return out


def _replace(doc: Any, where: tuple[Any, ...], value: Any) -> Any:
    if not where:
        return value
    copy: Any = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[where[0]] = _replace(doc[where[0]], where[1:], value)
    return copy


def fuzz(requests: int, seed: int = 16) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from lingxi import Lingxi
    from lingxi.facade import SAMPLE_CONSENTS
    from lingxi.server.app import create_app

    lx = Lingxi(Path(tempfile.mkdtemp()))
    lx.load_sample()
    lx.consents.grant("u1", *SAMPLE_CONSENTS, source="bench")
    client = TestClient(create_app(lx), raise_server_exceptions=False)
    schema = client.get("/openapi.json").json()
    ops = [(m.upper(), p, op.get("parameters", [])) for p, ms in schema["paths"].items() for m, op in ms.items()]
    rng, errors = random.Random(seed), 0
    for _ in range(requests):
        method, path, params = rng.choice(ops)
        base = VALID_BODIES.get(path, {}) if method in ("POST", "PUT", "PATCH") else None
        targets = [p["name"] for p in params] + ([*_paths(base), "deep"] if base is not None else [])
        target = rng.choice(targets) if targets else None
        value = _hostile(rng)
        query: dict[str, bytes] = {}
        for p in params:
            text = (
                (value if isinstance(value, str) else str(value)) if target == p["name"] else PARAMS.get(p["name"], "1")
            )
            raw = text.encode("utf-8", "surrogatepass")
            if p["in"] == "path":
                path = path.replace("{" + p["name"] + "}", quote(raw, safe="") or "x")
            elif p["in"] == "query":
                query[p["name"]] = raw
        body = None
        if base is not None:
            depth = rng.randint(100, 30_000)
            deep = "[" * depth + "]" * depth
            body = (
                deep
                if target == "deep"
                else json.dumps(_replace(base, target, value) if isinstance(target, tuple) else base)
            )
        rid = rng.choice([b"ok-1", "é".encode(), b"caf\xe9", "请求".encode()])
        try:
            r = client.request(
                method, path, params=query, content=body,
                headers=[(b"content-type", b"application/json"), (b"x-request-id", rid)],
            )  # fmt: skip
            bad = r.status_code >= 500 and not (r.status_code == 503 and "model_unavailable" in r.text)
        except Exception:  # the server raised past every handler
            bad = True
        errors += bad
    return {"fuzz_requests": requests, "fuzz_5xx": errors}


PROOFREAD_TEXT = "我觉的他高兴的跑了,在见。明天在来参加竞赛吧！这件事让人迫不急待。会议讨论了市场部份的预算。\n"


def stall(n: int) -> dict[str, float]:
    import httpx
    import uvicorn

    from lingxi import Lingxi
    from lingxi.server.app import create_app

    lx = Lingxi(Path(tempfile.mkdtemp()))
    config = uvicorn.Config(create_app(lx), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    chat = (
        "/v1/chat/completions",
        lambda text: {"model": "lite/textrank", "messages": [{"role": "user", "content": text}]},
    )
    proofread = "/v1/features/writing/proofread", lambda text: {"text": text, "model": "lite"}
    cases = {"chat": (*chat, "名" * n), "proofread": (*proofread, (PROOFREAD_TEXT * n)[:n])}

    async def run() -> dict[str, float]:
        out: dict[str, float] = {}
        async with httpx.AsyncClient(base_url=base, timeout=600) as client:
            await client.get("/healthz")
            for name, (path, body, text) in cases.items():
                await client.post(path, json=body("热身"))
                started = time.perf_counter()
                job = asyncio.create_task(client.post(path, json=body(text)))
                waits: list[float] = []
                while not job.done():
                    t0 = time.perf_counter()
                    await client.get("/healthz")
                    waits.append(time.perf_counter() - t0)
                out |= {
                    f"{name}_status": (await job).status_code,
                    f"{name}_s": time.perf_counter() - started,
                    f"{name}_healthz_max_ms": max(waits) * 1000,
                    f"{name}_healthz_p50_ms": statistics.median(waits) * 1000,
                    f"{name}_healthz_answers": len(waits),
                }
        return out

    try:
        return asyncio.run(run())
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="the src/ directory of the code to compare against")
    parser.add_argument("--n", type=int, default=20_000, help="characters in the long message")
    parser.add_argument("--requests", type=int, default=2_000, help="fuzz requests")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import logging

        logging.disable(logging.CRITICAL)
        print(json.dumps({**stall(args.n), **fuzz(args.requests)}))
        return
    trees = {"after": HERE} | ({"before": args.baseline} if args.baseline else {})
    results = {}
    for name, src in trees.items():
        env = {**os.environ, "PYTHONPATH": str(src)}
        cmd = [sys.executable, __file__, "--child", "--n", str(args.n), "--requests", str(args.requests)]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        results[name] = json.loads(out.strip().splitlines()[-1])
    keys = list(results["after"])
    print(f"{'metric':<28}" + "".join(f"{t:>14}" for t in results) + ("   after/before" if len(results) > 1 else ""))
    for key in keys:
        row = f"{key:<28}" + "".join(f"{results[t][key]:>14.1f}" for t in results)
        if "before" in results and results["before"][key]:
            row += f"   {results['after'][key] / results['before'][key]:>8.3f}"
        print(row)


if __name__ == "__main__":
    main()
