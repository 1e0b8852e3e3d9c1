"""Hybrid retrieval: BM25-only vs BM25 + sealed vectors (RRF), side by side, plus drain throughput.

Run by hand (never in CI)::

    .venv/bin/python benchmarks/bench_vectors.py                    # the sample user (~400 events)
    .venv/bin/python benchmarks/bench_vectors.py --corpus 10000     # + a 10k-event synthetic user

What is measured, on an on-disk database in a temporary directory (WAL, ``synchronous=NORMAL``):

(a) drain: ``VectorIndex.drain`` over every queued event — read and decrypt the events, embed them in
    batches, seal each vector (AES-GCM), write each batch in one transaction — in events/s;
(b) matrix fill: the first search's decryption of all the user's vectors into the in-memory matrix;
(c) retrieval latency (p50/p95) over the query list for ``Retriever.search`` without a vector index and
    ``Retriever.asearch`` with one (query embedding + cached cosine top-k + RRF), in the same run.

The embedder is the tests' ``BigramEmbedder`` (hashed character bigrams, d = 1024 here): it costs
microseconds, so (a) and (c) measure the index, not a model. A real on-device model adds its own time per
text to (a) and per query to (c) — milliseconds to tens of ms on a CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_context import QUERIES, make_corpus  # noqa: E402

from conftest import BigramEmbedder  # noqa: E402
from lingxi.context.events import Event  # noqa: E402
from lingxi.context.index import SearchIndex  # noqa: E402
from lingxi.context.retrieve import Retriever  # noqa: E402
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID, sample_events  # noqa: E402
from lingxi.context.store import EventStore  # noqa: E402
from lingxi.context.vectors import VectorIndex  # noqa: E402
from lingxi.privacy.crypto import Vault  # noqa: E402
from lingxi.storage.sqlite import Database  # noqa: E402
from lingxi.text import tokenize  # noqa: E402


def pct(xs: list[float], p: int) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[p - 1] if len(xs) > 1 else xs[0]


async def run(path: Path, user: str, events: list[Event], dims: int, rounds: int) -> None:
    db = Database(path)
    vault = Vault(b"b" * 32)
    store, index = EventStore(db, vault), SearchIndex(db, vault)
    vectors = VectorIndex(db, vault, BigramEmbedder(dimensions=dims), store, min_cosine=0.1)
    store.hooks.extend([index, vectors])
    for i in range(0, len(events), 1000):
        store.add(events[i : i + 1000])

    queued = vectors.pending(user)
    t = time.perf_counter()
    drained = await vectors.drain(limit=queued)
    drain_s = time.perf_counter() - t
    t = time.perf_counter()
    vectors.matrix(user)
    fill_ms = (time.perf_counter() - t) * 1000

    keyword, hybrid = Retriever(store, index), Retriever(store, index, vectors=vectors)
    for q in QUERIES:  # warm-up: jieba's cache, SQLite's page cache
        keyword.search(user, q, now_ms=SAMPLE_NOW_MS)
        await hybrid.asearch(user, q, now_ms=SAMPLE_NOW_MS)
    bm25_ms: list[float] = []
    hybrid_ms: list[float] = []
    semantic_only = 0
    for _ in range(rounds):
        for q in QUERIES:  # interleaved, so drift hits both alike
            t = time.perf_counter()
            keyword.search(user, q, now_ms=SAMPLE_NOW_MS)
            bm25_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            hits = await hybrid.asearch(user, q, now_ms=SAMPLE_NOW_MS)
            hybrid_ms.append((time.perf_counter() - t) * 1000)
            semantic_only += sum(1 for h in hits if h.bm25 == 0 and h.semantic > 0)

    mib = len(vectors.matrix(user).ids) * dims * 4 / 2**20
    print(f"\n== {user}: {len(events)} events, d = {dims}, {len(QUERIES)} queries × {rounds} rounds ==")
    print(f"drain: {drained} events in {drain_s:.2f} s = {drained / drain_s:,.0f} events/s (embed + seal + write)")
    print(f"matrix fill (decrypt {drained} vectors, {mib:.1f} MiB): {fill_ms:.1f} ms, once per cache fill")
    print(f"{'':10}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'BM25':10}{pct(bm25_ms, 50):>10.2f}{pct(bm25_ms, 95):>10.2f}")
    print(f"{'hybrid':10}{pct(hybrid_ms, 50):>10.2f}{pct(hybrid_ms, 95):>10.2f}")
    print(f"hybrid results found by meaning only (no BM25 match): {semantic_only / rounds:.0f} over the query list")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--corpus", type=int, default=0, help="also a synthetic user with this many events")
    ap.add_argument("--dims", type=int, default=1024)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args()
    tokenize("预热")  # load jieba's dictionary outside every timing
    with tempfile.TemporaryDirectory() as d:
        asyncio.run(run(Path(d) / "sample.db", SAMPLE_USER_ID, sample_events(), args.dims, args.rounds))
        if args.corpus:
            corpus = make_corpus(args.corpus)
            asyncio.run(run(Path(d) / "corpus.db", corpus[0].user_id, corpus, args.dims, args.rounds))


if __name__ == "__main__":
    main()
