"""Out-of-source scores of the training sources' prompts, for choosing corroboration bars (wave 6, screen7).

Why: a classifier-alone block is to be corroborated by independent evidence; its bars must be chosen on scores
the models did not train on, and never on the test banks. This script scores the TRAINING sources only:

* classifier: main's configuration (bench_classifier_folds "base": char 1–3-gram hashes of the text and its
  homophone key, C=8, hard negatives 5×, role-play augmentation, templates), one fit per source fold
  (``semantic_train.FOLDS``), each fold's prompts scored by the fit without it; the comments' 15 % hash cut is
  held back from every fit and scored by a fit on all folds;
* semantic layer: cross-fitted exactly as ``semantic_train.train_semantic`` does (same items, same folds);
* risk class of a classifier score: the home's risk head (it only names the class);
* the restored reading (``restore``) scored by the same fold model, for prompts where it differs.

Writes ``OUT`` (npz). Run: PYTHONPATH=src python benchmarks/corroborate_scores.py HOME OUT
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_classifier_folds as folds_bench
import bench_screening as bench

from lingxi.compliance import semantic_train as st
from lingxi.compliance import training
from lingxi.compliance.classifier import ClassifierScreener, default_dir, risk_class
from lingxi.compliance.restore import restore
from lingxi.compliance.semantic import prepare
from lingxi.compliance.training_templates import templated


def semantic_oof(examples: list[training.Example]) -> dict[str, tuple[str, float]]:
    """text → (top risk class, its out-of-fold probability), for the training prompts (train_semantic's fit)."""
    items = st.build_items(examples, training.TEST_SOURCES)
    x, _idf, _components = st.design([prepare(t) for t, *_ in items])
    y = [c for _, c, *_ in items]
    w = np.array([wt for _, _, wt, *_ in items], dtype=np.float64)
    classes = sorted(set(y))
    oof = st.out_of_fold(x, y, w, np.array([f for *_, f, _ in items]), classes)
    risk_cols = [i for i, c in enumerate(classes) if c != st.PASS_CLASS]
    out: dict[str, tuple[str, float]] = {}
    for (text, *_), row in zip(items, oof, strict=True):
        col = risk_cols[int(np.argmax(row[risk_cols]))]
        out.setdefault(text, (classes[col], float(row[col])))
    return out


def main(home: Path, out: Path) -> None:
    started = time.time()
    examples = [e for e in training.read_examples(bench.DATA) if e.source not in training.TEST_SOURCES]
    prompts = [e for e in examples if e.kind == "prompt"]
    comments = [e for e in examples if e.kind == "comment"]
    fold = np.array([st._fold(e.source, e.text) for e in prompts])
    held = np.array([folds_bench._hash(e.text) < 15 for e in comments])
    fit_comments = [e for e, h in zip(comments, held, strict=True) if not h]
    featurize, weigh = folds_bench.char_hasher(), folds_bench.weights()
    tpl = templated()

    def fit(tr: list[training.Example]) -> object:
        from sklearn.linear_model import LogisticRegression

        tr = tr + training.augment(tr)
        model = LogisticRegression(C=8.0, solver="liblinear", max_iter=200)
        return model.fit(featurize([e.text for e in tr]), np.array([e.block for e in tr]), sample_weight=weigh(tr))

    texts = [e.text for e in prompts]
    oos = np.zeros(len(prompts))
    restored_p = np.full(len(prompts), -1.0)
    for k in range(3):
        model = fit([p for p, f in zip(prompts, fold, strict=True) if f != k] + fit_comments + tpl)
        idx = np.flatnonzero(fold == k)
        oos[idx] = model.predict_proba(featurize([texts[i] for i in idx]))[:, 1]  # type: ignore[attr-defined]
        readings = {i: r for i in idx if oos[i] >= 0.05 and (r := restore(texts[i])) is not None}
        if readings:
            keys = list(readings)
            restored_p[keys] = model.predict_proba(featurize([readings[i] for i in keys]))[:, 1]  # type: ignore[attr-defined]
        print(f"classifier fold {k} [{time.time() - started:.0f}s]", flush=True)
    model = fit(prompts + fit_comments + tpl)
    held_comments = [e for e, h in zip(comments, held, strict=True) if h]
    p_comments = model.predict_proba(featurize([e.text for e in held_comments]))[:, 1]  # type: ignore[attr-defined]
    clf = ClassifierScreener.load(default_dir(home))
    cls_prompts = [risk_class(c) for c in clf.top_risks(texts)]
    cls_comments = [risk_class(c) for c in clf.top_risks([e.text for e in held_comments])]
    sem = semantic_oof(examples)
    print(f"semantic cross-fit [{time.time() - started:.0f}s]", flush=True)
    np.savez(
        out,
        text=np.array(texts), block=np.array([e.block for e in prompts]), fold=fold, p=oos,
        p_restored=restored_p, cls=np.array(cls_prompts),
        sem_cls=np.array([sem.get(t, ("other", 0.0))[0] for t in texts]),
        sem_p=np.array([sem.get(t, ("other", 0.0))[1] for t in texts]),
        c_text=np.array([e.text for e in held_comments]), c_block=np.array([e.block for e in held_comments]),
        c_p=p_comments, c_cls=np.array(cls_comments),
    )  # fmt: skip
    print(json.dumps({"prompts": len(prompts), "risky": int(sum(e.block for e in prompts)),
                      "comments_held": len(held_comments), "seconds": round(time.time() - started)}))  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
