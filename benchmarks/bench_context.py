"""Personal-context retrieval: ingest rate, freshness, and search latency against raw bm25s.

Run by hand (never in CI)::

    .venv/bin/python benchmarks/bench_context.py            # 100k-event corpus, 200 freshness tries
    .venv/bin/python benchmarks/bench_context.py --corpus 20000 --tries 50   # quicker

What is measured, on an on-disk database in a temporary directory (WAL, ``synchronous=NORMAL``):

(a) ingest: ``EventStore.add`` in 1,000-event batches with the :class:`SearchIndex` hook on (seal with
    AES-GCM, insert, tokenize with jieba, hash words, FTS5 insert, commit), and without the hook;
(b) freshness: add one event, then time until ``Retriever.search`` returns it (add + search, since the
    event is searchable at commit), on top of the full corpus;
(c) retrieval latency over the corpus for one user (parse, FTS5 BM25 top candidates, recency blend,
    decrypt ``limit`` events), and the same queries on raw ``bm25s`` over the same tokenized corpus, in
    memory, with no user scope, no filters and no decryption: the floor an in-memory index would give.

The corpus is seeded and made from the bundled sample user: texts recombined clause by clause, digits
replaced by random ones (amounts, tracking numbers, times), spread over a year.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bm25s

from lingxi.context.events import Event, MessageEvent, NotificationEvent
from lingxi.context.index import SearchIndex
from lingxi.context.retrieve import Retriever
from lingxi.context.sample import SAMPLE_NOW_MS, sample_events
from lingxi.context.store import EventStore
from lingxi.privacy.crypto import Vault
from lingxi.storage.sqlite import Database
from lingxi.text import tokenize

USER = "bench-user"
YEAR_MS = 365 * 86_400_000
QUERIES = [
    "耳机", "外卖", "妈妈 苏州", "快递到哪了", "昨天的外卖", "咖啡", "打车", "会议室", "上周的订单", "工资",
    "降温 加衣服", "高铁票", "洗衣凝珠", "最近三天 支付宝", "王芳", "体检", "京东物流", "电影票", "下周三下午有空吗",
    "生日 礼物",
]  # fmt: skip
_CLAUSE = re.compile(r"(?<=[，。！？；,!?])")


def _mutate(text: str, rng: random.Random) -> str:
    return re.sub(r"\d", lambda _: str(rng.randrange(10)), text)


def make_corpus(n: int, seed: int = 7, user: str = USER, prefix: str = "e") -> list[Event]:
    """``n`` realistic events: the sample user's, recombined and re-dated (seeded, so every run is alike)."""
    rng = random.Random(seed)
    base = sample_events()
    clauses = [c for e in base if isinstance(e, MessageEvent) for c in _CLAUSE.split(e.text) if c]
    bodies = [c for e in base if isinstance(e, NotificationEvent) for c in _CLAUSE.split(e.body) if c]
    out: list[Event] = []
    for i in range(n):
        e = rng.choice(base)
        update: dict[str, Any] = {
            "event_id": f"{prefix}{i}",
            "user_id": user,
            "ts": SAMPLE_NOW_MS - rng.randrange(YEAR_MS),
        }
        if isinstance(e, MessageEvent):
            update["text"] = _mutate("".join(rng.sample(clauses, rng.randint(1, 3))), rng)
        elif isinstance(e, NotificationEvent):
            update["body"] = _mutate("".join(rng.sample(bodies, rng.randint(1, 2))), rng)
        out.append(e.model_copy(update=update))
    return out


def pct(xs: list[float], p: float) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[int(p) - 1] if len(xs) > 1 else xs[0]


def open_store(path: Path, hook: bool) -> tuple[EventStore, SearchIndex]:
    db = Database(path)
    vault = Vault(b"b" * 32)
    store, index = EventStore(db, vault), SearchIndex(db, vault)
    if hook:
        store.hooks.append(index)
    return store, index


def bench_ingest(tmp: Path, events: list[Event], hook: bool) -> float:
    store, _ = open_store(tmp / f"ingest-{hook}.db", hook)
    t = time.perf_counter()
    for i in range(0, len(events), 1000):
        store.add(events[i : i + 1000])
    return len(events) / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--corpus", type=int, default=100_000)
    ap.add_argument("--ingest", type=int, default=20_000, help="events for the ingest-rate measurement")
    ap.add_argument("--tries", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10, help="rounds over the query list for latency")
    args = ap.parse_args()
    tokenize("预热")  # load jieba's dictionary outside every timing

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        sample = make_corpus(args.ingest, seed=1, prefix="i")
        t = time.perf_counter()
        for e in sample:
            tokenize(e.search_text())
        tok_us = (time.perf_counter() - t) / len(sample) * 1e6
        plain = bench_ingest(tmp, sample, hook=False)
        indexed = bench_ingest(tmp, sample, hook=True)

        corpus = make_corpus(args.corpus)
        store, index = open_store(tmp / "corpus.db", hook=True)
        t = time.perf_counter()
        for i in range(0, len(corpus), 1000):
            store.add(corpus[i : i + 1000])
        corpus_rate = len(corpus) / (time.perf_counter() - t)
        retriever = Retriever(store, index)

        fresh: list[float] = []
        for i in range(args.tries):
            word = f"fresh{i}x"
            ev = MessageEvent(
                event_id=f"f{i}", user_id=USER, ts=SAMPLE_NOW_MS, source_app="微信", conversation_id="c",
                sender="测试", direction="in", text=f"新消息 {word}",
            )  # fmt: skip
            t = time.perf_counter()
            store.add([ev])
            while not any(h.event_id == ev.event_id for h in retriever.search(USER, word, now_ms=SAMPLE_NOW_MS)):
                pass
            fresh.append((time.perf_counter() - t) * 1000)

        lat: list[float] = []
        for _ in range(args.rounds):
            for q in QUERIES:
                t = time.perf_counter()
                retriever.search(USER, q, now_ms=SAMPLE_NOW_MS, limit=10)
                lat.append((time.perf_counter() - t) * 1000)

        docs = [tokenize(e.search_text()) for e in corpus]
        bm = bm25s.BM25()
        bm.index(docs, show_progress=False)
        qtok = [tokenize(q) for q in QUERIES]
        raw: list[float] = []
        for _ in range(args.rounds):
            for words in qtok:
                t = time.perf_counter()
                bm.retrieve([words], k=10, show_progress=False)
                raw.append((time.perf_counter() - t) * 1000)

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISS"

    f50, f95, l50, l95 = pct(fresh, 50), pct(fresh, 95), pct(lat, 50), pct(lat, 95)
    ratio = f"{pct(lat, 50) / pct(raw, 50):.1f}× / {pct(lat, 95) / pct(raw, 95):.1f}×"
    rows = [
        ("tokenize alone (jieba)", f"{tok_us:,.0f} µs/event", "", ""),
        ("ingest, store only", f"{plain:,.0f} events/s", "", ""),
        ("ingest, store + index", f"{indexed:,.0f} events/s", "≥ 20,000/s", verdict(indexed >= 20_000)),
        (f"ingest {len(corpus):,} corpus", f"{corpus_rate:,.0f} events/s", "", ""),
        ("freshness add→found p50/p95", f"{f50:.2f} / {f95:.2f} ms", "< 50 ms", verdict(f95 < 50)),
        ("search p50/p95 (lingxi)", f"{l50:.2f} / {l95:.2f} ms", "p95 ≤ 20 ms", verdict(l95 <= 20)),
        ("search p50/p95 (raw bm25s)", f"{pct(raw, 50):.2f} / {pct(raw, 95):.2f} ms", "", ""),
        ("lingxi / bm25s (p50, p95)", ratio, "", ""),
    ]  # fmt: skip
    print(f"python {sys.version.split()[0]}, corpus {len(corpus):,} events (1 user), {len(QUERIES)} queries")
    for name, value, target, mark in rows:
        print(f"{name:<32} {value:>24}  {target:<12} {mark}")


if __name__ == "__main__":
    main()
