"""Run the independent QA evaluation set (benchmarks/qa_eval) against lingxi's assistant on the lite tier.

Per generated user: a fresh temporary home, every consent granted (payments included), the user's 30 days
ingested, every question asked at the user's "now"; then the fresh items: ask, ingest 1–3 new events, ask again
until the answer is right or ``--fresh-deadline`` seconds pass. Prints exact accuracy per shape, citation
precision/recall, freshness (ingest → correct answer) p50/p95, and answer latency p50/p95. The protocol is in
benchmarks/qa_eval/README.md.

An engine without event model v2 rejects the new kinds and fields: the script then sends only v1-compatible
events (see :func:`downgrade`) and says so; gold answers stay those of the full v2 data.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_assistant_qa.py [--seed 13] [--users N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qa_eval.fresh import fresh_items
from qa_eval.questions import questions
from qa_eval.score import citation_counts, exact, percentile
from qa_eval.users import all_users, now_ms

from lingxi import InvalidInput, Lingxi, Scope
from lingxi.context.events import parse_event

V2_ONLY_KINDS = {"cart", "favorite", "reminder", "contact", "message_update"}


def supports_v2() -> bool:
    probe = {
        "event_id": "probe",
        "user_id": "probe",
        "ts": 1_790_000_000_000,
        "source_app": "淘宝",
        "type": "cart",
        "item_id": "x",
        "item_name": "x",
        "platform": "淘宝",
    }
    try:
        parse_event(probe)
    except InvalidInput:
        return False
    return True


def downgrade(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a v1 app could send: no new kinds, no cancelled/in-transit versions, no entry_id/status/eta_day."""
    out = []
    for e in events:
        if e["type"] in V2_ONLY_KINDS:
            continue
        if e["type"] == "calendar":
            if e.get("status") == "cancelled":
                continue
            e = {k: v for k, v in e.items() if k not in ("entry_id", "status")}
        if e["type"] == "order":
            if e["status"] == "in_transit":
                continue
            e = {k: v for k, v in e.items() if k != "eta_day"}
        out.append(e)
    return out


class Run:
    def __init__(self, v2: bool, deadline_s: float) -> None:
        self.v2, self.deadline_s = v2, deadline_s
        self.by_shape: dict[str, list[bool]] = defaultdict(list)
        self.cites = [0, 0, 0, 0]
        self.latency_ms: list[float] = []
        self.fresh_ms: list[float] = []
        self.fresh_before: list[bool] = []
        self.fresh_after: list[bool] = []
        self.still_old = 0
        self.failures: list[str] = []
        self.models: set[str] = set()

    def send(self, lx: Lingxi, events: list[dict[str, Any]]) -> None:
        lx.ingest(events if self.v2 else downgrade(events))

    def ask(self, lx: Lingxi, uid: str, q: str, now: int) -> Any:
        t = time.perf_counter()
        reply = lx.assistant.ask(uid, q, now_ms=now)
        self.latency_ms.append((time.perf_counter() - t) * 1000)
        self.models.add(f"{reply.answer.get('model')} ({reply.answer.get('model_kind')})")
        return reply

    def judge(self, reply: Any, gold: dict[str, Any], op: str) -> bool:
        c = citation_counts(reply.citations, gold)
        self.cites = [a + b for a, b in zip(self.cites, c, strict=True)]
        return exact(reply.text, gold, op)

    def user(self, home: Path, p: Any, events: list[dict[str, Any]], seed: int) -> None:
        uid, now = p.user_id, now_ms(p)
        qs, fs = questions(p, events, seed), fresh_items(p, events, seed)
        lx = Lingxi(home)
        lx.consents.grant(uid, *Scope, source="qa-eval")
        self.send(lx, events)
        for item in qs:
            reply = self.ask(lx, uid, item["question"], now)
            ok = self.judge(reply, item["gold"], item["spec"]["op"])
            self.by_shape[item["shape"]].append(ok)
            if not ok and len(self.failures) < 400:
                self.failures.append(f"{item['qid']} [{item['shape']}] {item['question']} → {reply.text[:90]!r}")
        for item in fs:
            op = item["spec"]["op"]
            reply = self.ask(lx, uid, item["question"], now)
            self.fresh_before.append(self.judge(reply, item["before"], op))
            start = time.perf_counter()
            self.send(lx, item["fresh_events"])
            ok, text = False, ""
            while not ok and time.perf_counter() - start < self.deadline_s:
                reply = self.ask(lx, uid, item["question"], now)
                text = reply.text
                ok = exact(text, item["after"], op)
            self.judge(reply, item["after"], op)
            self.fresh_after.append(ok)
            if ok:
                self.fresh_ms.append((time.perf_counter() - start) * 1000)
            elif exact(text, item["before"], op):
                self.still_old += 1

    def report(self) -> None:
        print(f"answered by: {', '.join(sorted(self.models))}")
        print(f"{'shape':<16}{'exact':>8}{'n':>6}{'ratio':>9}")
        total = [x for v in self.by_shape.values() for x in v]
        for shape in sorted(self.by_shape):
            v = self.by_shape[shape]
            print(f"{shape:<16}{sum(v):>8}{len(v):>6}{sum(v) / len(v):>9.1%}")
        print(f"{'ALL (static)':<16}{sum(total):>8}{len(total):>6}{sum(total) / len(total):>9.1%}")
        cited, good, req, found = self.cites
        print(
            f"citations: precision {good / cited if cited else float('nan'):.2f} ({good}/{cited}), "
            f"recall {found / req if req else float('nan'):.2f} ({found}/{req})"
        )
        n = len(self.fresh_after)
        print(
            f"fresh items: {n}; right before ingest {sum(self.fresh_before)}/{n}; right after ingest "
            f"{sum(self.fresh_after)}/{n}; still the old answer {self.still_old}/{n} ({self.still_old / n:.0%})"
        )
        print(
            f"freshness (ingest → correct answer, {len(self.fresh_ms)} items): "
            f"p50 {percentile(self.fresh_ms, 50):.1f} ms, p95 {percentile(self.fresh_ms, 95):.1f} ms"
        )
        print(
            f"answer latency ({len(self.latency_ms)} asks): p50 {percentile(self.latency_ms, 50):.1f} ms, "
            f"p95 {percentile(self.latency_ms, 95):.1f} ms"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--users", type=int, default=0, help="only the first N users (0: all)")
    ap.add_argument(
        "--skip-users",
        type=int,
        default=0,
        help="leave out the first N users (held-out scoring: pair with no --failures, print totals only)",
    )
    ap.add_argument("--fresh-deadline", type=float, default=2.0, help="seconds to wait for a fresh answer")
    ap.add_argument("--failures", type=Path, help="write every wrong answer to this file")
    args = ap.parse_args()
    v2 = supports_v2()
    users = list(all_users(args.seed).values())[args.skip_users :]
    users = users[: args.users or None]
    print(
        f"QA eval: seed {args.seed}, {len(users)} users (skipped first {args.skip_users}), lite tier, event model "
        f"{'v2' if v2 else 'v1 (v2 kinds rejected: sent only v1-compatible events; gold is still the v2 truth)'}"
    )
    run = Run(v2, args.fresh_deadline)
    with tempfile.TemporaryDirectory(prefix="lingxi-qa-") as tmp:
        for p, events in users:
            run.user(Path(tmp) / p.user_id, p, events, args.seed)
    run.report()
    if args.failures:
        args.failures.write_text("\n".join(run.failures) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
