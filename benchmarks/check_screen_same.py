"""Same screening verdicts before and after a matcher-only change: old and new screens over the dev texts.

Why: a change of the keyword layer's matching code (the Aho–Corasick library, :mod:`lingxi.text_match`)
must not change a single verdict, and the screening benchmarks only report rates. This runs the screen of
``--ref`` (default ``main``, extracted with ``git archive REF src`` into a temporary folder) and of this
working tree, each in its own subprocess, with the keyword library of ``--home`` (a screening home with a
built lexicon and classifier), over:

* the everyday dev sample: ``tests/data/everyday_zh.txt`` and ``benchmarks/data/everyday_more_zh.txt``;
* the safety dev prompts: every ``text`` of ``<--safety>/safety_dev.jsonl`` (default
  /work/shared/data/safety; read, never copied);
* each of those texts once more with its digits and Latin letters made full-width and a zero-width space
  after every third character (the screen's folding path).

Compared per text: the keyword layer's verdict, risk codes and layer (``KeywordScreener(load_library(home))``),
and the full screen's verdict, risks and layer (``build_screener(home, load_library(home))``: the keyword
layer again, the intent layers, the classifier, the restored-reading layer that re-runs the keyword layer on
pinyin spelled back). Prints the number of differing results (0 is the only passing answer) and the first
few; exits 1 on any.

Run: ``PYTHONPATH=src python benchmarks/check_screen_same.py --home H [--ref main] [--full-limit N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from ref_src import extract_src

ROOT = Path(__file__).resolve().parents[1]
EVERYDAY = (ROOT / "tests" / "data" / "everyday_zh.txt", ROOT / "benchmarks" / "data" / "everyday_more_zh.txt")
_FULL = {c: chr(c + 0xFEE0) for c in (*range(0x30, 0x3A), *range(0x41, 0x5B), *range(0x61, 0x7B))}


def _variant(text: str) -> str:
    """Full-width digits and letters, a zero-width space after every third character."""
    wide = text.translate(_FULL)
    return "".join(c + "\u200b" if i % 3 == 2 else c for i, c in enumerate(wide))


def corpus(safety: Path) -> list[str]:
    """Every text to compare on, deduplicated, in a fixed order."""
    texts: list[str] = []
    for f in EVERYDAY:
        texts += [ln for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    for line in (safety / "safety_dev.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    return list(dict.fromkeys(texts + [_variant(t) for t in texts]))


def worker(inp: Path, home: Path, full_limit: int) -> None:
    """Print, as JSON, each text's keyword verdict, then the full screen's for the first ``full_limit``."""
    from lingxi.compliance.layers import build_screener
    from lingxi.compliance.lexicon import load_library
    from lingxi.compliance.screen import KeywordScreener

    texts = json.loads(inp.read_text(encoding="utf-8"))
    terms = load_library(home)
    keyword, full = KeywordScreener(terms), build_screener(home, terms)
    out = []
    for screener, some in ((keyword, texts), (full, texts[:full_limit])):
        for t in some:
            r = screener.screen(t)
            out.append([r.verdict, list(r.risks), r.layer])
    print(json.dumps(out, ensure_ascii=False))


def _run(src: Path, home: Path, inp: Path, full_limit: int) -> list[object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, __file__, "--worker", str(inp), "--home", str(home), "--full-limit", str(full_limit)]
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return list(json.loads(done.stdout))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="main", help="git ref of the old screen (git archive REF src)")
    ap.add_argument("--home", type=Path, required=True, help="a screening home (built lexicon and classifier)")
    ap.add_argument("--safety", type=Path, default=Path("/work/shared/data/safety"))
    ap.add_argument("--full-limit", type=int, default=10**9, help="compare the full screen on the first N texts")
    ap.add_argument("--show", type=int, default=5, help="print this many differing results (and a count by direction)")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.home, args.full_limit)
        return
    texts = corpus(args.safety)
    with tempfile.TemporaryDirectory() as tmp:
        extract_src(args.ref, Path(tmp))
        inp = Path(tmp) / "texts.json"
        inp.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        old = _run(Path(tmp) / "src", args.home, inp, args.full_limit)
        new = _run(ROOT / "src", args.home, inp, args.full_limit)
    n_full = min(len(texts), args.full_limit)
    labels = [("keyword", t) for t in texts] + [("full", t) for t in texts[:n_full]]
    bad = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    blocked = sum(1 for r in new[: len(texts)] if isinstance(r, list) and r[0] == "block")
    print(f"{len(texts)} texts: keyword layer ({blocked} blocked) and, on {n_full}, the full screen")
    for i in bad[: args.show]:
        print(f"  {labels[i][0]}: {labels[i][1][:80]!r}\n    old {old[i]}\n    new {new[i]}")
    verdicts = [(str(old[i][0]), str(new[i][0])) for i in bad if isinstance(old[i], list) and isinstance(new[i], list)]
    print(f"by direction (old → new verdict): {dict(Counter(f'{a} → {b}' for a, b in verdicts))}")
    print(f"\n{len(bad)} of {len(old)} results differ between {args.ref} and this tree")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
