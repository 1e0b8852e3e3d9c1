"""Safety classifier: held-out quality, latency per prompt, and wrong blocks on benign-but-sensitive prompts.

Trains :mod:`lingxi.compliance.classifier` on the shared developer split (``shared/data/safety/
safety_dev.jsonl``, or ``--data``) into a temporary directory (never into the repo: the model derives from
third-party data), then on the deterministic 20 % held-out split reports:

1. block/pass precision, recall, F1 at ``--threshold``, and per TC260 risk code (risk head);
2. a threshold sweep: block F1 against the wrong-block rate on held-out ``responsible_answer`` and
   ``safe_response`` items (texts a screener must not block: the model answers them carefully);
3. the wrong-block rate on *all* ``responsible_answer`` items (most were seen in training, so optimistic;
   the held-out subset is small, ~20 % of 164);
4. latency per prompt of ``ClassifierScreener.screen`` and of the layered screener (seed keywords +
   classifier), p50/p95 over held-out texts, one text at a time as the pipeline calls it.

Run: ``.venv/bin/python benchmarks/bench_classifier.py [--data PATH] [--threshold 0.5]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from lingxi.compliance.classifier import ClassifierScreener
from lingxi.compliance.layers import LayeredScreener
from lingxi.compliance.screen import KeywordScreener, Screener, seed_library
from lingxi.compliance.training import held_out, train

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "safety" / "safety_dev.jsonl"


def latency(screener: Screener, texts: list[str]) -> tuple[float, float]:
    times = []
    for t in texts:
        start = time.perf_counter()
        screener.screen(t)
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1e3, times[int(0.95 * (len(times) - 1))] * 1e3


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--threshold", type=float, default=0.5)
    args = ap.parse_args()
    if not args.data.is_file():
        raise SystemExit(f"no data at {args.data}; pass --data")
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        report = train(args.data, Path(tmp) / "safety-classifier", threshold=args.threshold)
        clf = ClassifierScreener.load(report.out_dir)
    print(f"data: {args.data} ({len(rows)} records, sha256 {report.data_sha256[:12]}…)")
    print(f"train {report.n_train} / held-out {report.n_test}; trained in {report.seconds:.1f} s")
    print(f"\n== held-out at threshold {args.threshold} ==")
    print(f"{'class':<8}{'P':>7}{'R':>7}{'F1':>7}{'n':>7}")
    for m in report.binary + report.risk:
        print(f"{m.label:<8}{m.precision:7.3f}{m.recall:7.3f}{m.f1:7.3f}{m.support:7d}")

    test = [r for r in rows if held_out(r["text"])]
    probs = clf.block_proba([r["text"] for r in test]).tolist()
    truth = [r["expected_behavior"] in ("refuse", "flag") for r in test]
    print("\n== threshold sweep (held-out) ==")
    print(f"{'t':>5}{'P':>7}{'R':>7}{'F1':>7}{'wrong-block responsible':>26}{'wrong-block safe_response':>28}")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        pred = [p >= t for p in probs]
        tp = sum(a and b for a, b in zip(pred, truth, strict=True))
        fp = sum(a and not b for a, b in zip(pred, truth, strict=True))
        fn = sum(b and not a for a, b in zip(pred, truth, strict=True))
        rates = []
        for behavior in ("responsible_answer", "safe_response"):
            sel = [p for p, r in zip(probs, test, strict=True) if r["expected_behavior"] == behavior]
            rates.append(f"{sum(p >= t for p in sel) / max(1, len(sel)):.1%} of {len(sel)}")
        print(f"{t:5.2f}" + "".join(f"{v:7.3f}" for v in f1(tp, fp, fn)) + f"{rates[0]:>26}{rates[1]:>28}")

    responsible = [r["text"] for r in rows if r["expected_behavior"] == "responsible_answer"]
    wrong = sum(clf.screen(t).blocked for t in responsible)
    print(
        f"\nwrong-block on all responsible_answer items at t={clf.threshold}: "
        f"{wrong}/{len(responsible)} = {wrong / len(responsible):.1%} (mostly training items: optimistic)"
    )

    texts = [r["text"] for r in test]
    layered = LayeredScreener([KeywordScreener(seed_library()), clf])
    clf_lat, lay_lat = latency(clf, texts), latency(layered, texts)
    mean_len = statistics.mean(len(t) for t in texts)
    print(f"\n== latency per prompt ({len(texts)} held-out texts, mean {mean_len:.0f} chars) ==")
    print(f"classifier   p50 {clf_lat[0]:.3f} ms  p95 {clf_lat[1]:.3f} ms")
    print(f"layered      p50 {lay_lat[0]:.3f} ms  p95 {lay_lat[1]:.3f} ms  (seed keywords + classifier)")


if __name__ == "__main__":
    main()
