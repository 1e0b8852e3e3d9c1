"""Prefill (pp) and decode (tg) speed of lingxi's on-device tier vs raw llama.cpp, and the bandwidth bound.

Why: the on-device tier runs llama.cpp through the prebuilt ``xllamacpp`` wheel; this measures what that
costs against ``llama-bench`` built natively from llama.cpp's source, on the same random GGUF with
Qwen2.5-0.5B's real dims (Q8_0), and how far decode is from the memory-bandwidth limit
(bytes of weights read per token vs the measured read bandwidth).

Method: every round runs each backend in a fresh process, in turns (interleaved), so drift of a shared
machine hits all of them alike; ratios are taken within a round and the median over rounds is reported.
lingxi's numbers come from a :class:`~lingxi.models.llamacpp.LlamaCppModel` request: llama.cpp's own
``timings`` (like llama-bench, these exclude Python) and, for decode, the rate the async consumer saw.

    python benchmarks/bench_llamacpp.py --build                    # builds llama-bench once (~4-7 min)
    python benchmarks/bench_llamacpp.py --native-python /tmp/xl-native/bin/python   # + native xllamacpp

``llama-bench`` is built for benchmarking only, never in CI; see benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path.home() / ".cache" / "lingxi-bench"
LLAMA_CPP_PYTHON = "0.3.36"  # its sdist vendors llama.cpp 0c1e570, the tree the xllamacpp wheel of 2026-10 matches
CMAKE_FLAGS = [
    "-DCMAKE_BUILD_TYPE=Release",
    "-DGGML_NATIVE=ON",
    "-DLLAMA_CURL=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_SERVER=OFF",
    "-DLLAMA_BUILD_TOOLS=ON",
    "-DBUILD_SHARED_LIBS=OFF",
]
PROMPT_UNIT = "今天下午三点开会，请大家准时参加。"


def build_llama_bench(dest: Path) -> Path:
    """Build ``llama-bench`` from the llama.cpp tree vendored in llama-cpp-python's sdist (nice'd, 2 jobs)."""
    src = CACHE / "src"
    src.mkdir(parents=True, exist_ok=True)
    sdist = src / f"llama_cpp_python-{LLAMA_CPP_PYTHON}.tar.gz"
    if not sdist.exists():
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", str(src)]
        subprocess.run([*pip, f"llama-cpp-python=={LLAMA_CPP_PYTHON}"], check=True)
    tree = src / f"llama_cpp_python-{LLAMA_CPP_PYTHON}" / "vendor" / "llama.cpp"
    if not tree.exists():
        with tarfile.open(sdist) as tar:
            tar.extractall(src, filter="data")
    build = tree / "build"
    nice = ["nice", "-n", "10"]
    subprocess.run([*nice, "cmake", "-S", str(tree), "-B", str(build), "-G", "Ninja", *CMAKE_FLAGS], check=True)
    subprocess.run([*nice, "cmake", "--build", str(build), "--target", "llama-bench", "-j2"], check=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(build / "bin" / "llama-bench", dest)
    return dest


def read_bandwidth(threads: int, mib: int = 512, reps: int = 5) -> float:
    """Best-of-``reps`` read bandwidth in GB/s: numpy sums a ``mib`` array split over ``threads`` threads.

    numpy releases the GIL inside the reduction, so the threads really read in parallel.
    """
    import numpy as np

    a = np.ones(mib * 2**20 // 8)
    parts = np.array_split(a, threads)
    best = 0.0
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(reps):
            t = time.perf_counter()
            list(pool.map(np.sum, parts))
            best = max(best, a.nbytes / (time.perf_counter() - t) / 1e9)
    return best


def weight_bytes(model: Path) -> int:
    """Bytes of tensor data, all read once per decoded token (the tied embedding is read whole as LM head)."""
    import gguf

    return sum(int(t.n_bytes) for t in gguf.GGUFReader(model).tensors)


def run_llama_bench(binary: Path, model: Path, pp: int, tg: int, threads: int, reps: int) -> dict[str, float]:
    out = subprocess.run(
        [
            str(binary),
            "-m",
            str(model),
            "-p",
            str(pp),
            "-n",
            str(tg),
            "-t",
            str(threads),
            "-r",
            str(reps),
            "-o",
            "json",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = json.loads(out)
    return {
        "pp": next(r["avg_ts"] for r in rows if r["n_prompt"] == pp and r["n_gen"] == 0),
        "tg": next(r["avg_ts"] for r in rows if r["n_gen"] == tg and r["n_prompt"] == 0),
    }


async def lingxi_worker(model_path: Path, pp: int, tg: int, threads: int, reps: int) -> dict[str, Any]:
    """Measure one :class:`LlamaCppModel` (run in a fresh process per round, like llama-bench)."""
    import xllamacpp

    from lingxi.models.base import ChatRequest, Message
    from lingxi.models.llamacpp import LlamaCppModel

    model = LlamaCppModel(model_path, n_ctx=2048, threads=threads, slots=1)

    async def request(content: str, max_tokens: int, seed: int) -> float:
        """The decode rate the consumer saw (first to last chunk)."""
        req = ChatRequest(messages=[Message(role="user", content=content)], max_tokens=max_tokens, seed=seed)
        first = last = 0.0
        tokens = 0
        async for chunk in model.stream(req):
            last = time.perf_counter()
            first = first or last
            if chunk.usage:
                tokens = chunk.usage.completion_tokens
        return (tokens - 1) / (last - first) if last > first else 0.0

    # Size the user message so that the templated prompt is about ``pp`` tokens.
    await request(PROMPT_UNIT, 1, 0)
    assert model.timings
    base = model.timings.prompt_tokens
    await request(PROMPT_UNIT * 2, 1, 0)
    per_unit = model.timings.prompt_tokens - base
    prompt = PROMPT_UNIT * max(1, round((pp - base) / per_unit + 1))
    pp_rates, pp_tokens, tg_rates, tg_wall = [], 0, [], []
    for rep in range(reps):
        await request(prompt, 1, rep)
        pp_rates.append(model.timings.prompt_per_second)
        pp_tokens = model.timings.prompt_tokens
        tg_wall.append(await request("你好", tg, rep))
        tg_rates.append(model.timings.predicted_per_second)
    return {
        "pp": statistics.median(pp_rates),
        "pp_tokens": pp_tokens,
        "tg": statistics.median(tg_rates),
        "tg_wall": statistics.median(tg_wall),
        "system_info": xllamacpp.get_system_info(),
    }


def run_worker(python: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [python, __file__, "--worker", "--model", str(args.model), "--pp", str(args.pp), "--tg", str(args.tg)]
    cmd += ["--threads", str(args.threads), "--reps", str(args.reps)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=CACHE / "qwen05-dims-q8_0.gguf", help="written if missing")
    ap.add_argument("--llama-bench", type=Path, default=CACHE / "llama-bench")
    ap.add_argument("--build", action="store_true", help="build llama-bench when it is missing")
    ap.add_argument("--native-python", help="a Python whose xllamacpp was built from source, measured as well")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--pp", type=int, default=128)
    ap.add_argument("--tg", type=int, default=64)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.worker:
        print(json.dumps(asyncio.run(lingxi_worker(args.model, args.pp, args.tg, args.threads, args.reps))))
        return
    if not args.model.exists():
        sys.path.insert(0, str(ROOT / "tests"))
        from gguf_fixture import write_random_qwen2_gguf

        print(f"writing {args.model} (random weights, Qwen2.5-0.5B dims, Q8_0) …", flush=True)
        args.model.parent.mkdir(parents=True, exist_ok=True)
        write_random_qwen2_gguf(args.model, "qwen05", "q8_0")
    if not args.llama_bench.exists():
        if not args.build:
            sys.exit(f"{args.llama_bench} not found: pass --llama-bench PATH, or --build to build it (~4-7 min)")
        build_llama_bench(args.llama_bench)

    backends: dict[str, Any] = {
        "raw llama-bench": lambda: run_llama_bench(
            args.llama_bench, args.model, args.pp, args.tg, args.threads, args.reps
        ),
        "lingxi (wheel)": lambda: run_worker(sys.executable, args),
    }
    if args.native_python:
        backends["lingxi (native)"] = lambda: run_worker(args.native_python, args)
    rounds: list[dict[str, dict[str, Any]]] = []
    for n in range(args.rounds):
        rounds.append({name: fn() for name, fn in backends.items()})
        row = "  ".join(f"{k}: pp {v['pp']:6.1f} tg {v['tg']:5.1f}" for k, v in rounds[-1].items())
        print(f"round {n + 1} (load {os.getloadavg()[0]:.1f})  {row}", flush=True)

    print(
        f"\nmodel {args.model.name}, {args.threads} threads, pp{args.pp} / tg{args.tg}, median of {args.rounds} rounds"
    )
    print(
        f"{'backend':18} {'pp tok/s':>9} {'tg tok/s':>9} {'pp ratio':>9} {'tg ratio':>9}  (ratios to raw, same round)"
    )
    for name in backends:
        pp = statistics.median(r[name]["pp"] for r in rounds)
        tg = statistics.median(r[name]["tg"] for r in rounds)
        ppr = statistics.median(r[name]["pp"] / r["raw llama-bench"]["pp"] for r in rounds)
        tgr = statistics.median(r[name]["tg"] / r["raw llama-bench"]["tg"] for r in rounds)
        print(f"{name:18} {pp:9.1f} {tg:9.1f} {ppr:9.2f} {tgr:9.2f}")
        if "tg_wall" in rounds[0][name]:
            wall = statistics.median(r[name]["tg_wall"] for r in rounds)
            info = rounds[0][name]["system_info"]
            print(
                f"{'':18} decode as the async consumer saw it: {wall:.1f} tok/s; prompt {rounds[0][name]['pp_tokens']}"
                f" tokens; CPU features: {' '.join(f for f in info.split() if 'AVX' in f or 'VNNI' in f)}"
            )

    size = weight_bytes(args.model)
    print(f"\nweights read per decoded token: {size / 1e6:.1f} MB")
    for threads in sorted({1, args.threads}):
        bw = read_bandwidth(threads)
        print(
            f"read bandwidth, numpy sum of 512 MiB on {threads} thread(s): {bw:.1f} GB/s"
            f" → decode bound {bw * 1e9 / size:.1f} tok/s"
        )


if __name__ == "__main__":
    main()
