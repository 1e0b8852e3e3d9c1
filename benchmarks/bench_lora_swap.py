"""Per-request LoRA adapter swap on one llama.cpp base: what does switching adapters cost per request?

Setup: a random-weight Qwen2 GGUF (``tests/gguf_fixture.py``; ``--dims tiny`` by default, ``qwen05`` for the
0.5B dims) with two random LoRA adapters (rank 8, on every block's ``attn_q`` and ``ffn_up``), loaded once in
one :class:`~lingxi.models.llamacpp.LlamaCppModel`. The same greedy chat request (8 new tokens) runs in four
modes, interleaved request by request in rounds so drift hits them alike:

* ``same``   — always the ``replies`` adapter (no swap between requests);
* ``swap``   — ``replies`` and ``proofread`` alternate, so every request changes the adapter;
* ``base``   — the adapters loaded but all at scale 0;
* ``plain``  — the same GGUF loaded without adapters (a second model), prompt cache on (lingxi's default);
* ``plain_nc`` — that model with the prompt cache off (``cache_prompt: false``), for reference: the cost of
  recomputing the whole prompt, which a swap makes llama.cpp do (it clears the slot's cache on an adapter change).

Swap overhead per request = median(swap) − median(same): the goal is < 5 ms. Beside it: the cost of computing
with a LoRA, median(same) − median(plain), and of recomputing a prompt, median(plain_nc) − median(plain); and
the switch alone, median(swap_nc) − median(same_nc), with the prompt cache off for both (``*_nc``), so that
neither side reuses a prefix.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_lora_swap.py [--dims qwen05] [--rounds 40]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path.home() / ".cache" / "lingxi-bench"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dims", choices=["tiny", "qwen05"], default="tiny")
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--tokens", type=int, default=8)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from gguf_fixture import write_random_lora_gguf, write_random_qwen2_gguf
    from lingxi.models.base import ChatRequest, Message, collect
    from lingxi.models.llamacpp import LlamaCppModel

    work = Path(tempfile.mkdtemp(prefix="lora-bench-"))
    if args.dims == "qwen05":
        CACHE.mkdir(parents=True, exist_ok=True)
        base_path = CACHE / "qwen05-dims-q8_0.gguf"
        if not base_path.exists():
            write_random_qwen2_gguf(base_path, dims="qwen05", dtype="q8_0")
    else:
        base_path = write_random_qwen2_gguf(work / "tiny.gguf")
    adapters = {
        "replies": write_random_lora_gguf(work / "a.gguf", dims=args.dims, seed=1, rank=8),
        "proofread": write_random_lora_gguf(work / "b.gguf", dims=args.dims, seed=2, rank=8),
    }
    model = LlamaCppModel(base_path, name="x", n_ctx=1024, threads=2, adapters=adapters)
    plain = LlamaCppModel(base_path, name="plain", n_ctx=1024, threads=2)
    views = {"replies": model.adapter("replies"), "proofread": model.adapter("proofread")}
    counter = iter(range(10**9))

    def once(m: LlamaCppModel, distinct: bool, no_cache: bool = False) -> float:
        text = f"第{next(counter)}条：今晚一起吃饭吗？" if distinct else "今晚一起吃饭吗？"
        seed = 0 if no_cache else None  # a seeded request turns the prompt cache off (LlamaCppModel._body)
        messages = [Message(role="user", content=text)]
        request = ChatRequest(messages=messages, max_tokens=args.tokens, temperature=0, seed=seed)
        start = time.perf_counter()
        asyncio.run(collect(m, request))
        return (time.perf_counter() - start) * 1000

    print(f"dims={args.dims} rounds={args.rounds} new_tokens={args.tokens} threads=2 adapters=2 x rank 8")
    for m in (model, plain, *views.values()):  # load and warm every path once
        once(m, False)
    for distinct in (False, True):
        times: dict[str, list[float]] = {
            k: [] for k in ("same", "swap", "base", "plain", "plain_nc", "same_nc", "swap_nc")
        }
        for _ in range(args.rounds):
            once(views["replies"], distinct)
            times["same"].append(once(views["replies"], distinct))  # the previous request used the same adapter
            times["swap"].append(once(views["proofread"], distinct))  # previous: replies -> a swap
            times["swap"].append(once(views["replies"], distinct))  # previous: proofread -> a swap
            times["base"].append(once(model, distinct))  # previous: replies -> adapters off
            times["plain"].append(once(plain, distinct))
            times["plain_nc"].append(once(plain, distinct, no_cache=True))
            once(views["replies"], distinct, no_cache=True)
            times["same_nc"].append(once(views["replies"], distinct, no_cache=True))
            times["swap_nc"].append(once(views["proofread"], distinct, no_cache=True))
        med = {k: statistics.median(v) for k, v in times.items()}
        what = "a new prompt every request" if distinct else "the same prompt every request (prompt cache reusable)"
        print(f"\n-- {what}")
        print("mode    median ms/request")
        for k in ("plain", "plain_nc", "base", "same", "swap", "same_nc", "swap_nc"):
            print(f"{k:<7} {med[k]:8.2f}")
        print(
            f"swap overhead (swap - same): {med['swap'] - med['same']:+.2f} ms/request (goal < 5 ms); "
            f"ratio swap/same {med['swap'] / med['same']:.3f}"
        )
        print(
            f"LoRA compute (same - plain): {med['same'] - med['plain']:+.2f} ms/request; "
            f"ratio same/plain {med['same'] / med['plain']:.3f}"
        )
        print(f"prompt cache off (plain_nc - plain): {med['plain_nc'] - med['plain']:+.2f} ms/request")
        print(
            f"switch alone, no prompt cache anywhere (swap_nc - same_nc): {med['swap_nc'] - med['same_nc']:+.2f} "
            f"ms/request; ratio {med['swap_nc'] / med['same_nc']:.3f}"
        )


if __name__ == "__main__":
    main()
