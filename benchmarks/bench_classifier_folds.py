"""Classifier variants ranked out of source on the TRAINING sources only, to pick one before the test banks.

Why: bench_screening.py scores the test sources (never trained on); choosing a variant there would make its
numbers optimistic. This script is the validation step before it, fixed before any result was seen (wave 6):

* Data: every record of /work/shared/data/safety whose source is not in ``training.TEST_SOURCES``, plus the
  hand-written templates (``training_templates.templated``). Test sources are never read.
* Prompt sources fall into the semantic layer's three source folds (``semantic_train.FOLDS``); each fold's
  prompts are scored by a binary head fitted on the other folds, every comment but a 15 % hash cut, and all
  templates. Pooled out-of-source scores give: AUC, recall of block-worthy prompts at the thresholds that block
  2 % and 5 % of must-pass prompts (per fold in brackets), and the DEV everyday sentences (tests/data/everyday_zh.txt
  then benchmarks/data/everyday_more_zh.txt, first 1,000) that a model fitted on all folds blocks there; F1 of
  the held-back comments at 0.5. The held-out everyday set is not read.

Run: PYTHONPATH=src python benchmarks/bench_classifier_folds.py base buckets20 combo   (names: CONFIGS)
Each variant fits four models (~2–6 min each on a loaded 2-core machine).
"""

from __future__ import annotations

import hashlib
import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jieba
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_screening as bench

from lingxi.compliance import training
from lingxi.compliance.classifier import HARD_NEGATIVE_WEIGHT, HARD_NEGATIVES, _features_text
from lingxi.compliance.screen import normalize
from lingxi.compliance.semantic_train import FOLDS
from lingxi.compliance.training import Example
from lingxi.compliance.training_templates import templated

Featurize = Callable[[list[str]], Any]
Weigh = Callable[[list[Example]], Any]
Augment = Callable[[list[Example]], list[Example]]


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") % 100


def char_hasher(lo: int = 1, hi: int = 3, n: int = 2**18) -> Featurize:
    vec = HashingVectorizer(analyzer="char", ngram_range=(lo, hi), n_features=n, alternate_sign=False,
                            lowercase=False, preprocessor=_features_text, dtype=np.float32)  # fmt: skip
    return lambda texts: vec.transform(texts)


def _words(text: str) -> list[str]:
    w = [x for x in jieba.lcut(normalize(text)) if x.strip()]
    return w + [a + "|" + b for a, b in itertools.pairwise(w)]


def char_and_words() -> Featurize:
    chars = char_hasher()
    words = HashingVectorizer(analyzer=_words, n_features=2**18, alternate_sign=False, dtype=np.float32)
    return lambda texts: sp.hstack([chars(texts), words.transform(texts)]).tocsr()


def weights(comments: float = 1.0, risky_prompts: float = 1.0) -> Weigh:
    def weigh(tr: list[Example]) -> Any:
        w = np.array([HARD_NEGATIVE_WEIGHT if e.behavior in HARD_NEGATIVES else 1.0 for e in tr])
        w *= np.array([comments if e.kind == "comment" else 1.0 for e in tr])
        return w * np.array([risky_prompts if e.block and e.kind == "prompt" else 1.0 for e in tr])

    return weigh


# polite, indirect and second-hand request wrappers (written for this experiment)
REQUEST_FRAMES = (
    "请问{}", "你好，我想问一下：{}", "能不能告诉我，{}", "麻烦你帮我解答一下：{}", "我很好奇，{}",
    "{}请详细回答。", "朋友问我：{}我该怎么回答？", "出于好奇想了解一下：{}", "有个问题想请教：{}",
    "在线等，挺急的：{}", "老师，{}", "{}谢谢！", "我想知道{}", "可以详细讲讲吗？{}", "你能帮我吗？{}",
    "我最近一直在想：{}", "{}能一步一步说明吗？", "帮我查一下：{}",
)  # fmt: skip


def with_request_frames(tr: list[Example]) -> list[Example]:
    """training.augment (role-play frames), plus every risky prompt in a request wrapper and as many must-pass
    prompts in the same wrappers (so the wrapper carries no weight)."""
    risky = [e for e in tr if e.block and e.kind == "prompt"]
    benign = [e for e in tr if not e.block and e.kind == "prompt"]
    picked = benign[:: max(1, len(benign) // max(1, len(risky)))][: len(risky)]
    frame = [REQUEST_FRAMES[(i * 7) % len(REQUEST_FRAMES)] for i in range(len(risky))]
    out = [Example(f.format(e.text), True, e.risk, "refuse", e.source) for f, e in zip(frame, risky, strict=False)]
    out += [Example(f.format(e.text), False, None, "pass", e.source) for f, e in zip(frame, picked, strict=False)]
    return training.augment(tr) + out


def run(name: str, featurize: Featurize, weigh: Weigh, augment: Augment = training.augment, c: float = 8.0) -> None:
    started = time.time()
    examples = [e for e in training.read_examples(bench.DATA) if e.source not in training.TEST_SOURCES]
    prompts = [e for e in examples if e.kind == "prompt"]
    comments = [e for e in examples if e.kind == "comment"]
    fold = np.array([FOLDS.get(e.source, _hash(e.source + e.text) % 3) for e in prompts])
    held = [_hash(e.text) < 15 for e in comments]
    fit_comments = [e for e, h in zip(comments, held, strict=True) if not h]
    tpl = templated()
    everyday = list(dict.fromkeys(bench.lines(bench.EVERYDAY) + bench.lines(bench.EVERYDAY_MORE)))[: bench.EVERYDAY_N]

    def fit(tr: list[Example]) -> Any:
        tr = tr + augment(tr)
        model = LogisticRegression(C=c, solver="liblinear", max_iter=200)
        return model.fit(featurize([e.text for e in tr]), np.array([e.block for e in tr]), sample_weight=weigh(tr))

    oos = np.zeros(len(prompts))
    for k in range(3):
        model = fit([p for p, f in zip(prompts, fold, strict=True) if f != k] + fit_comments + tpl)
        idx = np.flatnonzero(fold == k)
        oos[idx] = model.predict_proba(featurize([prompts[i].text for i in idx]))[:, 1]
    model = fit(prompts + fit_comments + tpl)
    p_everyday = model.predict_proba(featurize(everyday))[:, 1]
    test_comments = [e for e, h in zip(comments, held, strict=True) if h]
    flagged = model.predict_proba(featurize([e.text for e in test_comments]))[:, 1] >= 0.5
    truth = np.array([e.block for e in test_comments])
    f1 = 2 * (flagged & truth).sum() / (flagged.sum() + truth.sum())
    y = np.array([e.block for e in prompts])
    out = [f"{name:<26} AUC {roc_auc_score(y, oos):.3f}"]
    for rate in (0.02, 0.05):
        t = float(np.quantile(oos[~y], 1 - rate))
        per = "/".join(f"{(oos[(fold == k) & y] >= t).mean():.0%}" for k in range(3))
        out.append(f"@{rate:.0%}: recall {(oos[y] >= t).mean():.1%} ({per}) everyday {(p_everyday >= t).sum()}")
    out.append(f"comment F1 {f1:.3f} [{time.time() - started:.0f}s]")
    print("  ".join(out), flush=True)


CONFIGS: dict[str, Callable[[], None]] = {
    "base": lambda: run("base (main)", char_hasher(), weights()),
    "words": lambda: run("char + jieba words 1-2", char_and_words(), weights()),
    "c2": lambda: run("C=2", char_hasher(), weights(), c=2.0),
    "buckets20": lambda: run("2^20 buckets", char_hasher(n=2**20), weights()),
    "comments03": lambda: run("comments x0.3", char_hasher(), weights(comments=0.3)),
    "frames": lambda: run("request wrappers", char_hasher(), weights(), with_request_frames),
    "nounigrams": lambda: run("char 2-3", char_hasher(2, 3), weights()),
    "combo": lambda: run("2^20+comments0.5+wrappers", char_hasher(n=2**20), weights(comments=0.5), with_request_frames),
}

if __name__ == "__main__":
    if not bench.DATA.is_dir():
        print(f"skip: shared safety data not found at {bench.DATA}")
        raise SystemExit(0)
    for config in sys.argv[1:] or ["base"]:
        CONFIGS[config]()
