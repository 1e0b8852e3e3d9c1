"""Build one variant home of benchmarks/cls11_protocol.md: the classifier retrained or recalibrated, the lexicon
and semantic model copied from the base home (main's build).

* ``B``: the base home's weights, each class's threshold raised to its *everyday floor* (:func:`everyday_floors`).
* ``A``: must-pass training prompts re-weighted by their out-of-source P(block) (hard negatives mined by score),
  thresholds by main's rule (validation split, 2 %), then the everyday floors.

* ``K``: char 1–3-grams of the normalized text only (no homophone key); ``M``: P(block) from the char + word
  network of :mod:`lingxi.compliance.semantic_mlp`. Both need the classifier hooks of commit 3d75da5, which were
  reverted after the rule adopted neither (check that commit out to rebuild them).

Run: PYTHONPATH=src python benchmarks/cls11_variant.py --variant B --base /work/homes/cls11-main --home H
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
from bench_screening import lines
from cls11_diagnose import EVERYDAY_VAL

from lingxi.compliance import classifier_oos as oos
from lingxi.compliance import training
from lingxi.compliance.classifier import VERSION, ClassifierScreener, default_dir
from lingxi.compliance.everyday_floors import classifier_floors
from lingxi.compliance.intent import request_score
from lingxi.compliance.screen import normalize
from lingxi.compliance.training_templates import with_templates


def mined(data: Path, out: Path) -> dict[str, float]:
    """Variant A: fit with mined hard-negative weights; returns main's-rule thresholds."""
    say = lambda m: print(m, flush=True)  # noqa: E731
    tr, val, te = training.split(training.read_examples(data), training.TEST_SOURCES)
    tr, val = with_templates(tr, val)
    counts: Counter[str | None] = Counter(e.risk for e in tr + val + te if e.block)
    items = tr + val

    def fold_model(part: list[training.Example]) -> ClassifierScreener | None:
        fitted = training._fit(part, counts, False, say)
        return training._screener(fitted) if fitted else None

    rows = oos.cross_fit(items, fold_model, say)
    groups = [oos.group_of(e.source) for e in items]
    ordered = [e for g in sorted(set(groups)) for e, k in zip(items, groups, strict=True) if k == g]
    mult: dict[str, float] = {}
    for e, r in zip(ordered, rows, strict=True):
        if not e.block and e.kind == "prompt":
            mult[e.text] = (1 + 4 * min(1.0, r.p / 0.5)) * (1.5 if request_score(e.text) > 0 else 1.0)
    print("mined weights: mean", np.mean(list(mult.values())), "share > 2:",
          np.mean([m > 2 for m in mult.values()]), flush=True)  # fmt: skip
    base = training.sample_weights

    def weights(examples: list[training.Example], *, by_source: bool = False) -> np.ndarray:
        w = base(examples, by_source=by_source)
        return np.maximum(w, np.array([mult.get(e.text, 0.0) for e in examples]))

    training.sample_weights = weights  # type: ignore[assignment]
    arrays = training._fit(tr, counts, False, say)
    assert arrays is not None
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "weights.npz", **arrays)
    model = ClassifierScreener.from_arrays(out)
    return training.choose_thresholds(model, val, training.WRONG_BLOCK_BUDGET)


def network(data: Path, out: Path) -> dict[str, float]:
    """Variant M: main's items and weights; P(block) from the char + word network; main's-rule thresholds."""
    from lingxi.compliance import semantic_mlp

    say = lambda m: print(m, flush=True)  # noqa: E731
    tr, val, te = training.split(training.read_examples(data), training.TEST_SOURCES)
    tr, val = with_templates(tr, val)
    counts: Counter[str | None] = Counter(e.risk for e in tr + val + te if e.block)
    arrays = training._fit(tr, counts, False, say)  # the linear heads (the risk head is kept)
    assert arrays is not None
    full = tr + training.augment(tr)
    say(f"network on {len(full)} items")
    x = semantic_mlp.design([normalize(e.text) for e in full])
    net = semantic_mlp.fit(x, ["block" if e.block else "pass" for e in full], training.sample_weights(full))
    say(f"classes {list(net.classes_)}")
    assert list(net.classes_) == ["block", "pass"]
    w1, w2 = net.coefs_
    b1, b2 = net.intercepts_
    # one logistic output for "pass": negate it so that the head's last column is P(block)
    arrays.update({"mlp_w1": w1.astype(np.float32), "mlp_b1": b1.astype(np.float32),
                   "mlp_w2": (-w2).astype(np.float32), "mlp_b2": (-b2).astype(np.float32)})  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "weights.npz", **arrays)
    model = ClassifierScreener.from_arrays(out)
    say("thresholds on the validation split")
    return training.choose_thresholds(model, val, training.WRONG_BLOCK_BUDGET)


def no_key(data: Path, out: Path) -> dict[str, float]:
    """Variant K: main's items, weights and heads over char 1–3-grams of the normalized text only."""
    from lingxi.compliance import classifier

    say = lambda m: print(m, flush=True)  # noqa: E731
    training._vectorizer = lambda: classifier._vectorizer(sound_key=False)  # type: ignore[assignment]
    tr, val, te = training.split(training.read_examples(data), training.TEST_SOURCES)
    tr, val = with_templates(tr, val)
    counts: Counter[str | None] = Counter(e.risk for e in tr + val + te if e.block)
    arrays = training._fit(tr, counts, False, say)
    assert arrays is not None
    out.mkdir(parents=True, exist_ok=True)
    np.savez(out / "weights.npz", **arrays)
    model = ClassifierScreener.from_arrays(out, sound_key=False)
    return training.choose_thresholds(model, val, training.WRONG_BLOCK_BUDGET)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", choices=("A", "B", "K", "M"), required=True)
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/safety"))
    args = ap.parse_args()
    for part in ("lexicon", "models/semantic-screen"):
        if not (args.home / part).exists():
            shutil.copytree(args.base / part, args.home / part)
    out = default_dir(args.home)
    out.mkdir(parents=True, exist_ok=True)
    everyday = list(dict.fromkeys(t for p in EVERYDAY_VAL for t in lines(p)))
    manifest = json.loads((default_dir(args.base) / "manifest.json").read_text(encoding="utf-8"))
    if args.variant == "B":
        shutil.copy(default_dir(args.base) / "weights.npz", out / "weights.npz")
        thresholds = manifest["thresholds"]
    else:
        thresholds = {"A": mined, "K": no_key, "M": network}[args.variant](args.data, out)
        manifest = {"version": VERSION, "threshold": 0.5, "variant": args.variant,
                    "features": {"sound_key": args.variant != "K"}}  # fmt: skip
    # K and M need the classifier hooks of commit 3d75da5 (reverted: no variant was adopted)
    model = ClassifierScreener.from_arrays(
        out, thresholds=thresholds, **({"sound_key": False} if args.variant == "K" else {})
    )
    floors = classifier_floors(model, everyday)
    manifest["validation_thresholds"] = thresholds
    manifest["everyday_floors"] = floors
    manifest["thresholds"] = oos.raised(thresholds, floors, 0.5)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    print("validation", thresholds, "floors", floors, "thresholds", manifest["thresholds"])


if __name__ == "__main__":
    main()
