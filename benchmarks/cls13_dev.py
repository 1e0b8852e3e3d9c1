"""Dev scores for the wrongly blocked side (cls13 protocol, benchmarks/cls13_protocol.md): every layer's verdict on
the dev sets, with the classifier's score on the licensed training sources taken *out of source*.

Why out of source: the classifier trained on those sources, so its own score on them says nothing about a new
source. Each source group of ``classifier_oos.GROUPS`` is scored by main's fit (``training._fit``, templates and
augmentation included) trained without that group, whole text and clauses as the screen scores. The test
sources (``training.TEST_SOURCES``) are never read.

Writes OUT (JSON lines): set, text, source, block (truth), each layer's verdict alone, the classifier's P(block),
top code and threshold. ``--scores`` reuses a written file's out-of-source scores (the fits take minutes).

``--summary`` reads a written file (and the fold models beside it) and prints the breakdown by layer and source,
then what :mod:`lingxi.compliance.release` would release among the classifier's blocks: everyday lines with the
home's model, licensed prompts with their out-of-source fold's model, and the single-threshold comparison (every
class threshold × k) on the same blocks.

Run: PYTHONPATH=src python benchmarks/cls13_dev.py HOME OUT, then with --summary
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from lingxi.compliance import anchor_words, training
from lingxi.compliance import classifier_oos as oos
from lingxi.compliance.classifier import ClassifierScreener, risk_class
from lingxi.compliance.layers import build_screener
from lingxi.compliance.lexicon import load_library
from lingxi.compliance.training_templates import with_templates

DATA = Path("/work/shared/data/safety")
ROOT = Path(__file__).resolve().parents[1]
DEV_EVERYDAY = sorted(p for p in (ROOT / "benchmarks" / "data").glob("everyday_*.txt") if "heldout7" not in p.name)
EVERYDAY = [ROOT / "tests" / "data" / "everyday_zh.txt", *DEV_EVERYDAY]
ENGLISH_PASS = [ROOT / "benchmarks" / "data" / n for n in ("english_dev_pass.txt", "english_pass_dev2.txt")]


def lines(path: Path) -> list[str]:
    return [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip() and not x.startswith("#")]


def oos_scores(keep: Path | None = None) -> dict[str, tuple[float, str | None, str, bool]]:
    """text → (out-of-source P(block), top code, source, block) for every licensed training-source prompt; each
    fold's model is saved as ``keep/fold<g>.npz`` when ``keep`` is given (mechanisms rescore with it)."""
    examples = training.read_examples(DATA)
    tr, val, _te = training.split(examples, training.TEST_SOURCES)
    tr, val = with_templates(tr, val)
    items_all = tr + val
    counts: Counter[str | None] = Counter(e.risk for e in examples if e.block)
    licensed = {e.source for e in examples if e.source not in training.TEST_SOURCES}
    out: dict[str, tuple[float, str | None, str, bool]] = {}
    groups = [oos.group_of(e.source) for e in items_all]
    for g in sorted(set(groups)):
        print(f"fold {g}", flush=True)
        arrays = training._fit([e for e, k in zip(items_all, groups, strict=True) if k != g], counts, False, print)
        assert arrays is not None
        if keep is not None:
            np.savez(keep / f"fold{g}.npz", **arrays)
        model = training._screener(arrays)
        for e, k in zip(items_all, groups, strict=True):
            if k == g and e.kind == "prompt" and e.source in licensed and e.text not in out:
                p, risks = model.score(e.text)
                out[e.text] = (p, ClassifierScreener.top_risk(risks), e.source, e.block)
    return out


def summary(home: Path, out: Path) -> None:
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    clf = ClassifierScreener.load(home / "models" / "safety-classifier")
    tr, val, _te = training.split(training.read_examples(DATA), training.TEST_SOURCES)
    tr, val = with_templates(tr, val)
    items = tr + val
    folds = {}
    for g in range(oos.N_GROUPS):
        with np.load(out.parent / f"fold{g}.npz", allow_pickle=False) as z:
            folds[g] = training._screener({k: z[k] for k in z.files})
        folds[g].thresholds = clf.thresholds
        folds[g].anchor_words = frozenset(anchor_words.build(e for e in items if oos.group_of(e.source) != g))
    groups = (("everyday", False), ("licensed", False), ("licensed", True))
    n = Counter((str(r["set"]), bool(r["block"])) for r in rows)
    by_layer: dict[tuple[str, bool], Counter[str]] = {g: Counter() for g in groups}
    released: Counter[tuple[str, bool, str]] = Counter()
    scaled: Counter[tuple[str, bool, float]] = Counter()
    for r in rows:
        key = (str(r["set"]), bool(r["block"]))
        verdict = dict(r["verdict"])
        if r["set"] == "licensed":
            model, p, top = folds[oos.group_of(str(r["source"]))], float(r["p_oos"]), r["top_oos"]
            verdict["classifier"] = p >= float(r["t_oos"])
        else:
            model, p, top = clf, float(r["p"]), r["top"]
        on = sorted(k for k, v in verdict.items() if v)
        if not on:
            continue
        by_layer[key]["+".join(on) if len(on) > 1 else on[0] + " alone"] += 1
        if not verdict["classifier"]:
            continue
        alone = on == ["classifier"]
        t = model.threshold_for(top)
        why = model.released(str(r["text"]), p, t)
        for scope in ("any", "alone") if alone else ("any",):
            released[(*key, scope)] += bool(why)
        for k in (1.2, 1.4, 1.6, 2.0):
            scaled[(*key, k)] += alone and p < k * t
    for g in groups:
        print(f"{g[0]} {'must-refuse' if g[1] else 'must-pass'} n={n[g]}: blocked by " + ", ".join(
            f"{k} {v}" for k, v in by_layer[g].most_common(8)))  # fmt: skip
        print(f"  release: {released[(*g, 'alone')]} classifier-alone blocks unblocked ({released[(*g, 'any')]} of all "
              f"classifier blocks); single threshold × 1.2/1.4/1.6/2.0 instead: "
              + " / ".join(str(scaled[(*g, k)]) for k in (1.2, 1.4, 1.6, 2.0)))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("home", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--scores", type=Path, help="a file this script wrote: reuse its out-of-source scores")
    ap.add_argument("--summary", action="store_true", help="print the breakdown and releases of OUT")
    args = ap.parse_args()
    if args.summary:
        summary(args.home, args.out)
        return
    screener = build_screener(args.home, terms=load_library(args.home))
    layers = {str(getattr(x, "layer", type(x).__name__)): x for x in screener.layers}
    clf = layers["classifier"]
    assert isinstance(clf, ClassifierScreener)
    rows: list[dict[str, object]] = []
    if args.scores:
        old = [json.loads(x) for x in args.scores.read_text(encoding="utf-8").splitlines()]
        scores = {r["text"]: (r["p_oos"], r["top_oos"], r["source"], r["block"]) for r in old if r["set"] == "licensed"}
    else:
        scores = oos_scores(args.out.parent)
    sets = [("licensed", t, src, blk) for t, (_p, _c, src, blk) in scores.items()]
    for path in EVERYDAY + ENGLISH_PASS:
        sets += [("everyday", t, path.name, False) for t in dict.fromkeys(lines(path))]
    for n, (kind, text, src, blk) in enumerate(sets):
        if n % 2000 == 0:
            print(n, len(sets), flush=True)
        verdict = {name: layer.screen(text).blocked for name, layer in layers.items()}
        p, risks = clf.score(text)
        top = ClassifierScreener.top_risk(risks)
        row = {"set": kind, "text": text, "source": src, "block": blk, "verdict": verdict, "p": p, "top": top,
               "t": clf.threshold_for(top)}  # fmt: skip
        if kind == "licensed":
            p_oos, top_oos = scores[text][0], scores[text][1]
            row.update(p_oos=p_oos, top_oos=top_oos, t_oos=clf.threshold_for(top_oos), cls_oos=risk_class(top_oos))
        rows.append(row)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
