"""Build one variant home of benchmarks/cls12_protocol.md: cls11-B's floored classifier and lexicon, and a
prompt-only char + jieba-word network (:mod:`lingxi.compliance.semantic_mlp`) as the semantic layer, its
thresholds the *everyday floors* of the validation files.

* ``S``: the wave-9 network's items (``semantic_train.build_items``), floors.
* ``R``: S's items plus each licensed risky training prompt with its most risk-distinctive word swapped for
  another of its class, and in one more frame (:func:`augmented`), floors.
* ``R5``: R's network (``--from-home``), floors lowered together to the lowest factor at which the layer alone
  blocks at most 5 validation lines.

The homes of the protocol's runs were built by this script's first version (commit d0a76c2), which held the
variations and the floor rule itself; they moved to ``semantic_request`` and ``everyday_floors`` unchanged
except that the variations' word ties now break in sorted order (set order before), so a rebuilt R differs in
a few swapped words.

Run: PYTHONPATH=src python benchmarks/cls12_variant.py --variant R --base /work/homes/cls11-B --home H
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np
from bench_screening import lines
from cls11_diagnose import EVERYDAY_VAL

from lingxi.compliance import everyday_floors, semantic_mlp
from lingxi.compliance.semantic import VERSION, SemanticScreener, default_dir, prepare
from lingxi.compliance.semantic_request import augmented
from lingxi.compliance.semantic_train import Item, build_items
from lingxi.compliance.training import TEST_SOURCES, read_examples


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
            extra = augmented(examples, TEST_SOURCES)
            print(f"augmentation: {Counter(s for *_, s in extra)}; e.g. {[t for t, *_ in extra[:6]]}", flush=True)
            items += extra
        model = train(items, target)
    everyday = sorted({t for f in EVERYDAY_VAL for t in lines(f)})
    scored = [model.pieces(t) for t in everyday]
    classes = [c for c in model.classes if c != "pass"]
    if args.variant == "R5":  # the floors lowered together, at most 0.3 % (5 of 1,727) validation lines blocked
        thresholds = everyday_floors.with_allowance(scored, classes)
    else:
        thresholds = everyday_floors.floors(scored, classes)
    print(f"thresholds over {len(everyday)} validation lines: {thresholds}, "
          f"validation blocked {everyday_floors.blocked(scored, thresholds)}", flush=True)  # fmt: skip
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["thresholds"] = thresholds
    manifest["threshold_rule"] = f"cls12 {args.variant}: everyday floors over {len(everyday)} validation lines"
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
