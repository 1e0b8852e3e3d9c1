"""Dev comparison for cls14 (benchmarks/README.md, "wave 12 (cls14)"): main's classifier features against
word-bounded unigrams (:mod:`lingxi.compliance.word_bounded`), on dev material only.

* Licensed training-source prompts (must-pass and must-refuse; the test sources of ``training.TEST_SOURCES`` are
  never read): the classifier's verdict *out of source* — each source group of ``classifier_oos`` scored by a fit
  without it (``training._fit``, templates and augmentation included), at the home's thresholds — and the other
  layers' verdicts of the home (they do not change between the sides).
* Everyday lines: every everyday file (tests/data/everyday_zh.txt, benchmarks/data/everyday_*.txt) and the two
  English must-pass dev files, full screen of each home.

Prints per side: wrongly blocked (everyday lines, licensed must-pass), blocked (licensed must-refuse), the
breakdowns (misses by risk class, source and score gap; wrong blocks by layer). ``--oos FILE`` caches a side's
out-of-source scores (the fits take minutes).

Run: PYTHONPATH=src python benchmarks/cls14_dev.py --home BASE_HOME --home WB_HOME --cache DIR
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from lingxi.compliance import classifier_oos as oos
from lingxi.compliance import training
from lingxi.compliance.classifier import ClassifierScreener, risk_class
from lingxi.compliance.layers import build_screener
from lingxi.compliance.lexicon import load_library
from lingxi.compliance.training_templates import PASS_LINES, with_templates

DATA = Path("/work/shared/data/safety")
ROOT = Path(__file__).resolve().parents[1]
HELD_OUT = ("wave19", "wave20", "heldout20", "everyday_heldout16")  # the next held-out sets: never opened
DEV_FILES = (p for p in (ROOT / "benchmarks" / "data").glob("everyday_*.txt") if not any(h in p.name for h in HELD_OUT))
EVERYDAY = [ROOT / "tests" / "data" / "everyday_zh.txt", *sorted(DEV_FILES)]
# mechanism 2 (protocol in the README section): everyday files trained on; the others are evaluation only
TRAIN_FILES = ("everyday_zh.txt", "everyday_more_zh.txt", "everyday_dev9_zh.txt", "everyday_heldout_zh.txt",
               "everyday_heldout2_zh.txt", "everyday_heldout3_zh.txt", "everyday_heldout4_zh.txt")  # fmt: skip
ENGLISH_PASS = [ROOT / "benchmarks" / "data" / n for n in ("english_dev_pass.txt", "english_pass_dev2.txt")]


def lines(path: Path) -> list[str]:
    return [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]


def train_lines() -> list[str]:
    return [t for p in EVERYDAY if p.name in TRAIN_FILES for t in lines(p)]


def oos_scores(pass_lines: bool) -> dict[str, tuple[float, str | None]]:
    """text → (out-of-source P(block), top code) for every licensed training-source prompt."""
    examples = training.read_examples(DATA)
    tr, val, _te = training.split(examples, training.TEST_SOURCES)
    tr, val = with_templates(tr, val, pass_lines=train_lines() if pass_lines else None)
    items = tr + val
    counts: Counter[str | None] = Counter(e.risk for e in examples if e.block)
    licensed = {e.source for e in examples} - training.TEST_SOURCES
    groups = [oos.group_of(e.source) for e in items]
    out: dict[str, tuple[float, str | None]] = {}
    for g in sorted(set(groups)):
        print(f"fold {g}", flush=True)
        part = [e for e, k in zip(items, groups, strict=True) if k != g or e.source == PASS_LINES]
        arrays = training._fit(part, counts, False, print)
        assert arrays is not None
        model = training._screener(arrays)
        for e, k in zip(items, groups, strict=True):
            if k == g and e.kind == "prompt" and e.source in licensed and e.text not in out:
                p, risks = model.score(e.text)
                out[e.text] = (p, ClassifierScreener.top_risk(risks))
    return out


def side(home: Path, cache: Path, pass_lines: bool) -> dict[str, object]:
    screener = build_screener(home, terms=load_library(home))
    layers = {str(getattr(x, "layer", type(x).__name__)): x for x in screener.layers}
    clf = layers["classifier"]
    assert isinstance(clf, ClassifierScreener)
    path = cache / f"oos-{home.name}.json"
    if path.is_file():
        scores = {k: (float(v[0]), v[1]) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    else:
        scores = oos_scores(pass_lines)
        path.write_text(json.dumps(scores, ensure_ascii=False), encoding="utf-8")
    truth = {e.text: e for e in training.read_examples(DATA)}
    others = {k: v for k, v in layers.items() if k != "classifier"}
    rows = []
    for text, (p, top) in scores.items():
        e = truth[text]
        t = clf.threshold_for(top)
        on = [k for k, layer in others.items() if layer.screen(text).blocked] + (["classifier"] if p >= t else [])
        rows.append({"set": "refuse" if e.block else "pass", "source": e.source, "risk": risk_class(e.risk),
                     "p": p, "t": t, "on": on, "text": text})  # fmt: skip
    for path_ in EVERYDAY + ENGLISH_PASS:
        for text in dict.fromkeys(lines(path_)):
            on = [k for k, layer in layers.items() if layer.screen(text).blocked]
            p, risks = clf.score(text)
            t = clf.threshold_for(ClassifierScreener.top_risk(risks))
            rows.append({"set": "everyday", "source": path_.name, "risk": "", "p": p, "t": t, "on": on, "text": text})
    (cache / f"rows-{home.name}.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return {"rows": rows}


def report(name: str, rows: list[dict[str, object]]) -> None:
    print(f"== {name}")
    for s in ("everyday", "pass", "refuse"):
        mine = [r for r in rows if r["set"] == s]
        hit = [r for r in mine if r["on"]]
        clf_only = sum(1 for r in hit if r["on"] == ["classifier"])
        print(f"  {s}: {len(hit)}/{len(mine)} blocked ({100 * len(hit) / max(1, len(mine)):.2f} %), classifier "
              f"alone {clf_only}, classifier any {sum(1 for r in mine if 'classifier' in r['on'])}")  # fmt: skip
        layers = Counter("+".join(sorted(r["on"])) for r in hit)  # type: ignore[arg-type]
        print("    by layers: " + ", ".join(f"{k} {v}" for k, v in layers.most_common(6)))
        if s == "everyday":
            ev = [r for r in mine if r["source"] not in TRAIN_FILES]
            print(f"    evaluation files (not in TRAIN_FILES): {sum(1 for r in ev if r['on'])}/{len(ev)}")
        by_src = Counter(str(r["source"]) for r in hit)
        n_src = Counter(str(r["source"]) for r in mine)
        print("    by source: " + ", ".join(f"{k} {by_src[k]}/{n}" for k, n in sorted(n_src.items())))
        if s == "refuse":
            miss = [r for r in mine if not r["on"]]
            by_risk = Counter(str(r["risk"]) for r in miss)
            n_risk = Counter(str(r["risk"]) for r in mine)
            print("    misses by risk class: " + ", ".join(f"{k} {by_risk[k]}/{n}" for k, n in sorted(n_risk.items())))
            gaps = Counter(
                "≥0.8t" if float(r["p"]) >= 0.8 * float(r["t"]) else "0.5–0.8t" if float(r["p"]) >= 0.5 * float(r["t"])
                else "<0.5t" for r in miss
            )  # fmt: skip
            print(
                "    misses by classifier score / threshold: " + ", ".join(f"{k} {v}" for k, v in sorted(gaps.items()))
            )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, action="append", required=True, help="a home (repeat: base first)")
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--pass-home", type=Path, action="append", default=[], help="a --home trained with TRAIN_FILES")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    results = [(h.name, side(h, args.cache, h in args.pass_home)) for h in args.home]
    for name, res in results:
        report(name, res["rows"])  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
