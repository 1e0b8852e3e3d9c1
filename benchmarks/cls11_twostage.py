"""Variant D of benchmarks/cls11_protocol.md: a classifier-alone block stands only when the text reads as a
request (the intent layer's ``request_score`` > 0) or holds a review-tier keyword; otherwise it is a review (the
text passes). Computed from each layer's verdicts (no retraining), for the homes given, side by side with the
screen as it is.

Run: PYTHONPATH=src python benchmarks/cls11_twostage.py --home H [--home H2 ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench_screening import banks, lines
from cls11_diagnose import EVERYDAY_EVAL, EVERYDAY_VAL

from lingxi.compliance.intent import request_score
from lingxi.compliance.layers import build_screener
from lingxi.compliance.lexicon import load_library
from lingxi.compliance.screen import normalize


def review_terms(home: Path) -> set[str]:
    lex = home / "lexicon"
    current = (lex / "CURRENT").read_text(encoding="utf-8").strip()
    terms = set()
    for ln in (lex / current / "review.tsv").read_text(encoding="utf-8").splitlines():
        if ln and not ln.startswith("#"):
            t = ln.split("\t")[0]
            if len(t) >= 2:
                terms.add(t)
    return terms


def has_term(text: str, terms: set[str]) -> bool:
    n = normalize(text)
    return any(n[i : i + k] in terms for k in range(2, 9) for i in range(len(n) - k + 1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, action="append", required=True)
    args = ap.parse_args()
    refuse, answer, comments = banks()
    sets = {"must-refuse": refuse, "must-answer": answer, "COLD flag": [c for c, f in comments if f],
            "COLD pass": [c for c, f in comments if not f]}  # fmt: skip
    sets.update({p.name.removesuffix("_zh.txt") + " (val)": lines(p) for p in EVERYDAY_VAL})
    sets.update({p.name.removesuffix("_zh.txt") + " (eval)": lines(p) for p in EVERYDAY_EVAL})
    for home in args.home:
        built = build_screener(home, terms=load_library(home))
        terms = review_terms(home)
        print(f"[{home}]")
        for name, texts in sets.items():
            full = stage = alone = request = review = 0
            for t in texts:
                others = any(x.screen(t).blocked for x in built.layers if getattr(x, "layer", "") != "classifier")
                cls = next(x for x in built.layers if getattr(x, "layer", "") == "classifier").screen(t).blocked
                full += others or cls
                if cls and not others:
                    alone += 1
                    r, v = request_score(t) > 0, has_term(t, terms)
                    request += r
                    review += v
                    stage += others or r or v
                else:
                    stage += others
            n = max(1, len(texts))
            print(f"  {name:<28} n={len(texts):5d} full {full / n:6.1%} ({full})  two-stage {stage / n:6.1%} ({stage});"
                  f" classifier alone {alone}: request {request}, review term {review}")  # fmt: skip


if __name__ == "__main__":
    main()
