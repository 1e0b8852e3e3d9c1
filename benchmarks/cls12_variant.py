"""Build one variant home of benchmarks/cls12_protocol.md: cls11-B's floored classifier and lexicon, and a
prompt-only char + jieba-word network (:mod:`lingxi.compliance.semantic_mlp`) as the semantic layer, its
thresholds the *everyday floors* of the validation files.

* ``S``: the wave-9 network's items (``semantic_train.build_items``), floors.
* ``R``: S's items plus each licensed risky training prompt with its most risk-distinctive word swapped for
  another of its class, and in one more frame (:func:`augmented`), floors.
* ``R5``: R's network (``--from-home``), floors lowered together to the lowest factor at which the layer alone
  blocks at most 5 validation lines.

Run: PYTHONPATH=src python benchmarks/cls12_variant.py --variant R --base /work/homes/cls11-B --home H
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import time
from collections import Counter, defaultdict
from pathlib import Path

import jieba
import numpy as np
from bench_screening import lines
from cls11_diagnose import EVERYDAY_VAL

from lingxi.compliance import semantic_mlp
from lingxi.compliance.classifier import clauses
from lingxi.compliance.intent import framed
from lingxi.compliance.semantic import MIN_CHARS, VERSION, SemanticScreener, default_dir, prepare
from lingxi.compliance.semantic_templates import framed as in_frame
from lingxi.compliance.semantic_train import Item, _class, build_items
from lingxi.compliance.training import TEST_SOURCES, Example, read_examples

GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(95))
NEVER = 1.01
SEED = 20240601
TOP_WORDS = 150  # distinctive words kept per risk class


def _words(text: str) -> set[str]:
    return {w for w in jieba.lcut(text) if len(w) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in w)}


def augmented(examples: list[Example]) -> list[Item]:
    """Each licensed risky training prompt once with its most distinctive word swapped for another distinctive
    word of its risk class (smoothed log-odds, block-worthy vs must-pass training prompts), and once in a frame
    two steps on from the one ``build_items`` gave it."""
    prompts = [e for e in examples if e.kind == "prompt" and e.source not in TEST_SOURCES]
    risky = [e for e in prompts if e.block]
    benign_df: Counter[str] = Counter(w for e in prompts if not e.block for w in _words(e.text))
    class_df: dict[str, Counter[str]] = defaultdict(Counter)
    bags = [_words(e.text) for e in risky]
    for e, bag in zip(risky, bags, strict=True):
        class_df[_class(e)].update(bag)
    n_benign = sum(1 for e in prompts if not e.block)
    score: dict[str, dict[str, float]] = {}
    for c, df in class_df.items():
        n_c = sum(1 for e in risky if _class(e) == c)
        odds = {w: math.log((r + 0.5) / (n_c + 1)) - math.log((benign_df[w] + 0.5) / (n_benign + 1))
                for w, r in df.items() if r >= 2}  # fmt: skip
        score[c] = dict(sorted(odds.items(), key=lambda kv: -kv[1])[:TOP_WORDS])
    rng = random.Random(SEED)
    out: list[Item] = []
    for i, (e, bag) in enumerate(zip(risky, bags, strict=True)):
        c = _class(e)
        mine = [w for w in bag if w in score[c]]
        if mine and len(score[c]) > 1:
            w = max(mine, key=score[c].__getitem__)
            other = rng.choice([v for v in score[c] if v != w])
            out.append((e.text.replace(w, other, 1), c, 1.0, 0, "augment:swap"))
        out.append((in_frame(e.text, i + 3), c, 1.0, 0, "augment:frame"))
    return out


def train(items: list[Item], target: Path) -> SemanticScreener:
    started = time.perf_counter()
    prepared = [prepare(t) for t, *_ in items]
    y = [c for _, c, *_ in items]
    w = np.array([wt for _, _, wt, *_ in items], dtype=np.float64)
    model = semantic_mlp.fit(semantic_mlp.design(prepared), y, w)
    classes = [str(c) for c in model.classes_]
    target.mkdir(parents=True, exist_ok=True)
    np.savez(target / "weights.npz", classes=np.array(classes, dtype=str), **semantic_mlp.arrays_of(model))
    manifest = {"version": VERSION, "kind": "cls12 variant: char 1-3 + jieba word 1-2 hashing, MLP 32",
                "classes": classes, "thresholds": {}, "counts": dict(Counter(y)),
                "seconds": round(time.perf_counter() - started, 1), "committable": False}  # fmt: skip
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"trained on {len(items)} items in {manifest['seconds']} s: {manifest['counts']}", flush=True)
    return SemanticScreener.load(target)


def top_scores(model: SemanticScreener, text: str) -> list[tuple[str, float]]:
    """(top risk, probability) of each piece the layer scores."""
    out = []
    for piece in clauses(text) if framed(text) else [text]:
        prepared = prepare(piece)
        if len(prepared) >= MIN_CHARS:
            out.append(model.top_risk(model.proba_prepared(prepared)))
    return out


def floors(scored: list[list[tuple[str, float]]], classes: list[str]) -> dict[str, float]:
    top: dict[str, float] = {c: 0.0 for c in classes if c != "pass"}
    for pieces in scored:
        for c, p in pieces:
            top[c] = max(top[c], p)
    return {c: next((g for g in GRID if g > p), NEVER) for c, p in sorted(top.items())}


def blocked(scored: list[list[tuple[str, float]]], thresholds: dict[str, float]) -> int:
    return sum(any(p >= thresholds[c] for c, p in pieces) for pieces in scored)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", choices=("S", "R", "R5"), required=True)
    ap.add_argument("--base", type=Path, required=True, help="home whose lexicon and classifier are copied")
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--from-home", type=Path, help="R5: the home whose network is re-thresholded")
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/safety"))
    args = ap.parse_args()
    if args.home.exists():
        raise SystemExit(f"{args.home} exists")
    shutil.copytree(args.base, args.home)
    target = default_dir(args.home)
    shutil.rmtree(target)
    if args.variant == "R5":
        shutil.copytree(default_dir(args.from_home), target)
        model = SemanticScreener.load(target)
    else:
        examples = read_examples(args.data)
        items = build_items(examples, TEST_SOURCES)
        if args.variant == "R":
            extra = augmented(examples)
            print(f"augmentation: {Counter(s for *_, s in extra)}; e.g. {[t for t, *_ in extra[:6]]}", flush=True)
            items += extra
        model = train(items, target)
    everyday = sorted({t for f in EVERYDAY_VAL for t in lines(f)})
    scored = [top_scores(model, t) for t in everyday]
    thresholds = floors(scored, model.classes)
    print(f"everyday floors over {len(everyday)} validation lines: {thresholds}", flush=True)
    if args.variant == "R5":
        factor = 1.0
        for f in (round(1.0 - 0.05 * k, 2) for k in range(1, 11)):
            if blocked(scored, {c: t * f for c, t in thresholds.items()}) > 5:
                break
            factor = f
        thresholds = {c: round(t * factor, 4) for c, t in thresholds.items()}
        print(f"R5 factor {factor}: {thresholds}, validation blocked {blocked(scored, thresholds)}", flush=True)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["thresholds"] = thresholds
    manifest["threshold_rule"] = f"cls12 {args.variant}: everyday floors over {len(everyday)} validation lines"
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
