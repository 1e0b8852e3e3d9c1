"""Person-name recognition: recall, precision and hard negatives flagged, before and after, side by side.

Data: ``benchmarks/data/names_eval.jsonl`` (written by ``benchmarks/data/make_names_eval.py`` before the
recognizer, independent of its word lists; templates split into validation and test). "Before" is the
project at ``--baseline-ref`` (default: the commit before the name recognizer), extracted with
``git archive`` and run in a subprocess; "after" is the working tree. Both run ``find_pii`` and keep its
姓名 spans, with no contact list.

* recall / precision: exact spans (the labeled name, or the surname of 王总 / 小王); "overlap" counts a
  predicted span that overlaps a gold one as a hit (a looser view of the same run).
* hard negatives flagged: sentences with no name in which any 姓名 span was found.
* throughput: ``find_pii`` over the eval sentences and over the sample events (as ``bench_pii.py``), each
  text 20 times, MB of UTF-8 per CPU-second (process time: the shared machine's load distorts wall time), best
  of ``--rounds``; "repeated" with ``find_pii``'s result cache (each pass starts it empty), "cold" with it
  emptied before every text (the work itself; the same as "repeated" on a tree without the cache), "new" with
  the name scorer's caches of context windows and surname heads emptied too (text never seen: every window is
  scored, re-ranked and tagged; each distinct text three times, not 20).

Training sets: the opt-in whole-text tagger (``names build --whole-tagger``, :mod:`lingxi.privacy.names_whole`)
is trained on the sets of :data:`WHOLE_TRAINED`; when the home's build has it on, their rows and the pooled rows
that include them are marked ``*``: training-set numbers, not evaluation (``--set train`` pools exactly them).

Run: ``PYTHONPATH=src python benchmarks/bench_names.py [--split test] [--model home|seed]``; when the build
itself changed, ``LINGXI_HOME=H_NEW … --baseline-ref main --baseline-home H_MAIN`` (each side its own build).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ref_src import extract_src

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).with_name("data") / "names_eval.jsonl"
CHAT = Path(__file__).with_name("data") / "names_eval_chat.txt"
NOTICES = Path(__file__).with_name("data") / "names_eval_notices.txt"
# Sets whose every line is test (see each file's header): written by hand, one per round of name work.
ALL_TEST = {
    w: Path(__file__).with_name("data") / f"names_eval_{w}.txt"
    for w in ("wave5", "wave5b", "wave5c", "wave6", "wave6b", *(f"wave{n}" for n in range(7, 20)))
}
BASELINE_REF = "90dd426"
HELD_OUT: frozenset[str] = frozenset({"wave19"})  # a set the lead scores once stays here until then
# every dev set, for ``--set dev``: each scored on its own and pooled, in one run per side
DEV = ("names", "chat", "notices", *(w for w in ALL_TEST if w not in HELD_OUT))
# the sets the whole-text tagger (lingxi.privacy.names_whole) is trained on (make_names_whole_train.py writes
# them into its training text): with the tagger on, their numbers are training-set numbers, not evaluation
WHOLE_TRAINED = (
    "names",
    "chat",
    "notices",
    "wave5",
    "wave5b",
    "wave5c",
    "wave6",
    "wave6b",
    *(f"wave{n}" for n in range(7, 13)),
)

GROUPS = {"dev": DEV, "train": WHOLE_TRAINED}  # --set names for several sets: each scored, then pooled


def chat_rows(path: Path = CHAT, dev_every: int = 2) -> list[dict[str, object]]:
    """A bracket-marked set: names in [ ], lines without one are hard negatives; data lines numbered from 0.
    Line ``n`` is validation (dev) when ``n % dev_every == 0``, else test (each file's header fixes this:
    halves for ``names_eval_chat.txt``, a dev quarter for ``names_eval_notices.txt``)."""
    # headers are "# …"; a data line may open with a #tag (group-buy 接龙 and the like)
    data = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("# ")]
    out: list[dict[str, object]] = []
    for n, marked in enumerate(data):
        text, spans = "", []
        for part in re.split(r"(\[[^\]]+\])", marked):
            if part.startswith("["):
                spans.append([len(text), len(text) + len(part) - 2])
                part = part[1:-1]
            text += part
        kind = "name" if spans else "hard_negative"
        out.append(
            {"split": "validation" if n % dev_every == 0 else "test", "kind": kind, "text": text, "names": spans}
        )
    return out


def rows(split: str, which: str = "names") -> list[dict[str, object]]:
    if which in GROUPS:
        return [r for w in GROUPS[which] for r in rows(split, w)]
    if which == "chat":
        out = chat_rows()
    elif which == "notices":
        out = chat_rows(NOTICES, 4)
    elif which in ALL_TEST:
        out = [{**r, "split": "test"} for r in chat_rows(ALL_TEST[which])]
    else:
        out = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in out if split == "all" or r["split"] == split]


def counts(split: str, which: str) -> dict[str, int]:
    """Exact hits, false spans, misses, overlap hits, hard negatives and those flagged, on one set."""
    from lingxi.privacy.pii import find_pii

    c = dict.fromkeys(("tp", "fp", "fn", "over", "negatives", "flagged", "sentences"), 0)
    for r in rows(split, which):
        gold = {tuple(s) for s in r["names"]}  # type: ignore[attr-defined]
        got = {(s.start, s.end) for s in find_pii(str(r["text"])) if s.type == "姓名"}
        c["sentences"] += 1
        c["tp"] += len(gold & got)
        c["fp"] += len(got - gold)
        c["fn"] += len(gold - got)
        c["over"] += sum(1 for g in gold if any(a < g[1] and g[0] < b for a, b in got))
        if r["kind"] == "hard_negative":
            c["negatives"] += 1
            c["flagged"] += bool(got)
    return c


def measure(split: str, rounds: int, which: str = "names") -> dict[str, object]:
    """Runs in whichever lingxi is importable: scores the split and times find_pii (``dev``: every dev set,
    each set's counts under ``sets`` and the pool as the headline numbers)."""
    from lingxi.context.sample import sample_events
    from lingxi.privacy.pii import find_pii

    per = {w: counts(split, w) for w in GROUPS.get(which, (which,))}
    tp, fp, fn, over = (sum(c[k] for c in per.values()) for k in ("tp", "fp", "fn", "over"))
    negatives, flagged = (sum(c[k] for c in per.values()) for k in ("negatives", "flagged"))
    texts = [str(r["text"]) for r in rows("all", which)] * 20
    events = [e.search_text() for e in sample_events()] * 20
    # a tree with find_pii's result cache: "repeated" passes over each corpus (every text 20 times, as a chat's
    # history is redacted again each turn) start with it empty; "cold" empties it before every text (the work
    # itself). An older tree has no such cache: both columns measure the same thing there.
    clear = getattr(importlib.import_module("lingxi.privacy.pii"), "clear_results", lambda: None)
    from lingxi.privacy import names
    from lingxi.privacy.names_model import model_for

    index = names._index(model_for())
    speed = {}
    for label, corpus in (("eval", texts), ("events", events)):
        size = sum(len(t.encode()) for t in corpus)
        best = cold = new = 0.0
        for _ in range(rounds):
            clear()
            start = time.process_time()
            for t in corpus:
                find_pii(t)
            best = max(best, size / 1e6 / (time.process_time() - start))
            start = time.process_time()
            for t in corpus:
                clear()
                find_pii(t)
            cold = max(cold, size / 1e6 / (time.process_time() - start))
            fresh = list(dict.fromkeys(corpus)) * 3
            start = time.process_time()
            for t in fresh:
                clear()
                index.windows.clear()
                index.heads.clear()
                find_pii(t)
            new = max(new, sum(len(t.encode()) for t in fresh) / 1e6 / (time.process_time() - start))
        speed[label], speed[label + "_cold"], speed[label + "_new"] = best, cold, new
    gold_n = tp + fn
    return {
        "sets": per,
        "sentences": sum(c["sentences"] for c in per.values()),
        "gold": gold_n,
        "recall": tp / gold_n if gold_n else 1.0,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "overlap_recall": over / gold_n if gold_n else 1.0,
        "fp": fp,
        "negatives": negatives,
        "flagged": flagged / negatives if negatives else 0.0,
        "mbps_eval": speed["eval"],
        "mbps_events": speed["events"],
        "mbps_eval_cold": speed["eval_cold"],
        "mbps_events_cold": speed["events_cold"],
        "mbps_eval_new": speed["eval_new"],
        "mbps_events_new": speed["events_new"],
    }


def errors(split: str, which: str) -> None:
    """Print the working tree's misses and false alarms, one per line: ``MISS|FA``, the set, the span, what was found
    over a missed span instead, and the sentence (read them on dev sets only)."""
    from lingxi.privacy.pii import find_pii

    for w in GROUPS.get(which, (which,)):
        for r in rows(split, w):
            text = str(r["text"])
            gold = {tuple(s) for s in r["names"]}  # type: ignore[attr-defined]
            got = {(s.start, s.end) for s in find_pii(text) if s.type == "姓名"}
            for a, b in sorted(gold - got):
                near = [text[s:e] for s, e in got if s < b and a < e]
                print(f"MISS\t{w}\t{text[a:b]}\t{near}\t{text}")
            for a, b in sorted(got - gold):
                print(f"FA\t{w}\t{text[a:b]}\t{r['kind']}\t{text}")


def baseline(ref: str, split: str, rounds: int, which: str, home: str | None = None) -> dict[str, object]:
    """Extract ``src/`` at ``ref`` and run :func:`measure` there in a fresh interpreter (with ``home`` as its
    LINGXI_HOME when given: a build made by that ref, when the build itself changed)."""
    with tempfile.TemporaryDirectory(prefix="lingxi-base-") as tmp:
        env = {**os.environ, "PYTHONPATH": str(extract_src(ref, Path(tmp)))}
        if home:
            env["LINGXI_HOME"] = home
        cmd = [sys.executable, __file__, "--inner", "--split", split, "--rounds", str(rounds), "--set", which]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return dict(json.loads(done.stdout.splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=("validation", "test", "all"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--set",
        default="names",
        choices=(*DEV, *sorted(HELD_OUT), *GROUPS),
        help="names_eval.jsonl, names_eval_chat.txt, names_eval_notices.txt, names_eval_<wave>.txt (all test), "
        "or dev: every one of them, per set and pooled; train: the sets the whole-text tagger trains on",
    )
    ap.add_argument("--baseline-ref", default=BASELINE_REF)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--baseline-home", help="LINGXI_HOME for the baseline (its own names build); default: the same")
    ap.add_argument("--model", choices=("home", "seed"), default="home", help="built resource in LINGXI_HOME, or seed")
    ap.add_argument("--errors", action="store_true", help="print this tree's misses and false alarms, then stop")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.model == "seed":
        os.environ["LINGXI_HOME"] = tempfile.mkdtemp(prefix="lingxi-seed-")
    if args.inner:
        print(json.dumps(measure(args.split, args.rounds, args.set)))
        return
    if args.errors:
        if args.set in HELD_OUT:
            ap.error(f"--errors reads lines; {args.set} is held out (scored once, counts only)")
        errors(args.split, args.set)
        return
    after = measure(args.split, args.rounds, args.set)
    before = (
        None if args.no_baseline else baseline(args.baseline_ref, args.split, args.rounds, args.set, args.baseline_home)
    )
    from lingxi.privacy.names_model import model_for

    print(
        f"set: {args.set}; split: {args.split}; {after['sentences']:.0f} sentences, {after['gold']:.0f} name spans, "
        f"{after['negatives']:.0f} hard negatives; name model: {model_for().source}"
    )
    trained = set(WHOLE_TRAINED) if model_for().whole else set()
    if trained & set(GROUPS.get(args.set, (args.set,))):
        print("whole-text tagger on: sets marked * are in its training text; 'after' there is a TRAINING-set number")
    print(f"{'':<24}{'before':>10}{'after':>10}")
    for key, label, fmt in (
        ("recall", "recall (exact)", ".3f"),
        ("precision", "precision (exact)", ".3f"),
        ("overlap_recall", "recall (overlap)", ".3f"),
        ("fp", "false positives", ".0f"),
        ("flagged", "hard negatives flagged", ".3f"),
        ("mbps_eval", "MB/s eval, repeated", ".2f"),
        ("mbps_events", "MB/s events, repeated", ".2f"),
        ("mbps_eval_cold", "MB/s eval, cold", ".2f"),
        ("mbps_events_cold", "MB/s events, cold", ".2f"),
        ("mbps_eval_new", "MB/s eval, new text", ".2f"),
        ("mbps_events_new", "MB/s events, new text", ".2f"),
    ):
        old = format(before[key], fmt) if before and key in before else "-"
        mark = "*" if trained & set(GROUPS.get(args.set, (args.set,))) else ""
        print(f"{label:<24}{old:>10}{format(after[key], fmt):>10}{mark}")
    sets = after["sets"]
    if isinstance(sets, dict) and len(sets) > 1:
        old_sets = before.get("sets", {}) if before else {}
        print("per set, before → after: exact hits / gold, false spans, hard negatives flagged")
        for w, c in sets.items():
            b = old_sets.get(w, c) if isinstance(old_sets, dict) else c
            gold = c["tp"] + c["fn"]
            tag = w + ("*" if w in trained else "")
            print(
                f"  {tag:<10}{b['tp']:>5} → {c['tp']:<5}/ {gold:<5}{b['fp']:>4} → {c['fp']:<4}"
                f"{b['flagged']:>4} → {c['flagged']:<4}/ {c['negatives']}"
            )


if __name__ == "__main__":
    main()
