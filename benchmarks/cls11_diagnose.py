"""Why the classifier blocks everyday text and must-answer prompts (wave 10, benchmarks/cls11_protocol.md).

For each text the classifier alone blocks, the logit's positive mass is split by where its n-grams were learned:
n-grams seen at a higher rate in block-worthy training *comments* than in block-worthy training *prompts*
("comment-learned": group and topic words of social-media comments), request-cue n-grams (inside a span the
intent layer reads as a request cue), homophone-key n-grams (the syllable half of the features), and the rest.
Everyday validation lines are printed with their top n-grams; test banks are reported as aggregates only.

Run: PYTHONPATH=src python benchmarks/cls11_diagnose.py --home /work/homes/cls11-main
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter
from pathlib import Path

import numpy as np
from bench_screening import banks, lines

from lingxi.compliance.classifier import N_FEATURES, ClassifierScreener, _features_text, _vectorizer, default_dir
from lingxi.compliance.intent import _CUE_AFTER, _CUE_BEFORE
from lingxi.compliance.ngram_hash import char_ngrams, hashed
from lingxi.compliance.screen import normalize
from lingxi.compliance.training import TEST_SOURCES, read_examples, split
from lingxi.compliance.training_templates import with_templates

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
EVERYDAY_VAL = [ROOT / "tests/data/everyday_zh.txt"] + [
    DATA / f"everyday_{n}_zh.txt" for n in ("more", "dev9", "heldout", "heldout2")
]
EVERYDAY_EVAL = [DATA / f"everyday_heldout{n}_zh.txt" for n in (3, 4, 5)]


def bucket(gram: str) -> int:
    idx, _ = hashed(gram, len(gram), len(gram), N_FEATURES, l2=False)
    return int(idx[0])


def document_rates(path: Path) -> dict[str, np.ndarray]:
    """Per hash bucket: the share of block-worthy comments, block-worthy prompts and must-pass items holding it."""
    tr, val, _ = split(read_examples(path), TEST_SOURCES)
    tr, _ = with_templates(tr, val)
    groups = {
        "block comment": [e.text for e in tr if e.block and e.kind == "comment"],
        "block prompt": [e.text for e in tr if e.block and e.kind != "comment"],
        "pass": [e.text for e in tr if not e.block],
    }
    vec = _vectorizer()
    out = {}
    for name, texts in groups.items():
        x = vec.transform(texts)
        x.data[:] = 1.0
        out[name] = np.asarray(x.sum(axis=0)).ravel() / max(1, len(texts))
        print(f"  training {name}: {len(texts)} items", flush=True)
    return out


def cue_spans(text: str) -> set[int]:
    pos: set[int] = set()
    for rx in (_CUE_BEFORE, _CUE_AFTER):
        for m in rx.finditer(text):
            pos.update(range(m.start(), m.end()))
    return pos


def attribute(model: ClassifierScreener, text: str, rates: dict[str, np.ndarray]) -> tuple[Counter[str], list]:
    """Positive logit mass by origin, and the text's top n-grams (gram, contribution), on the whole text."""
    feats = _features_text(text)
    norm_len = len(normalize(text))
    cues = cue_spans(feats[:norm_len])
    idx, values = hashed(feats, 1, 3, N_FEATURES, l2=True)
    value_of = dict(zip(idx.tolist(), values.tolist(), strict=True))
    w = model._w
    mass: Counter[str] = Counter()
    seen: dict[int, tuple[str, float]] = {}
    grams = char_ngrams(feats, 1, 3)
    starts: list[int] = []
    for n in (1, 2, 3):  # char_ngrams lists all 1-grams, then 2-grams, then 3-grams (scikit-learn's order)
        starts += list(range(max(0, len(feats) - n + 1)))
    for g, s in zip(grams, starts, strict=False):
        b = bucket(g)
        if b in seen:
            continue
        c = float(w[b]) * value_of.get(b, 0.0)
        seen[b] = (g, c)
        if c <= 0:
            continue
        if s >= norm_len:
            origin = "sound key"
        elif any(p in cues for p in range(s, s + len(g))):
            origin = "request cue"
        elif rates["block comment"][b] > rates["block prompt"][b]:
            origin = "comment-learned"
        else:
            origin = "prompt-learned"
        mass[origin] += c
    top = sorted(seen.values(), key=lambda gc: -gc[1])[:6]
    return mass, [(g, round(c, 2)) for g, c in top]


def summarize(name: str, model: ClassifierScreener, texts: list[str], rates: dict[str, np.ndarray], *,
              show: bool) -> None:  # fmt: skip
    blocked = [t for t in texts if model.screen(t).blocked]
    print(f"\n[{name}] classifier alone blocks {len(blocked)}/{len(texts)}")
    majority: Counter[str] = Counter()
    total: Counter[str] = Counter()
    grams: Counter[str] = Counter()
    for t in blocked:
        mass, top = attribute(model, t, rates)
        s = sum(mass.values()) or 1.0
        for k, v in mass.items():
            total[k] += v / s
        lead = max(mass, key=mass.__getitem__) if mass else "none"
        if mass and mass[lead] / s > 0.5:
            majority[lead] += 1
        for g, c in top[:3]:
            if c > 0 and "\x00" not in g:
                grams[g] += 1
        if show:
            p, risks = model.score(t)
            code = max(risks, key=risks.__getitem__) if risks else None
            print(f"   {p:.2f} {code} {t[:40]}  {top[:4]}")
    n = max(1, len(blocked))
    print("   mean share of positive logit mass: " + ", ".join(f"{k} {v / n:.0%}" for k, v in total.most_common()))
    print("   texts where one origin holds > 50 %: " + ", ".join(f"{k} {v}" for k, v in majority.most_common()))
    print("   top n-grams among the top 3 of each: " + ", ".join(f"{g}×{c}" for g, c in grams.most_common(20)))


def quantiles(model: ClassifierScreener, name: str, texts: list[str]) -> None:
    ps = sorted(model.score(t)[0] for t in texts)
    qs = [ps[int(q * (len(ps) - 1))] for q in (0.5, 0.9, 0.95, 0.99)]
    print(f"  P(block) {name:<26} n={len(ps):5d} median {qs[0]:.2f}  p90 {qs[1]:.2f}  p95 {qs[2]:.2f}  "
          f"p99 {qs[3]:.2f}  mean {statistics.fmean(ps):.2f}")  # fmt: skip


def auc(pos: list[float], neg: list[float]) -> float:
    from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped, unused-ignore]

    return float(roc_auc_score([1] * len(pos) + [0] * len(neg), pos + neg))


def curve(model: ClassifierScreener, refuse: list[str], answer: list[str], everyday: list[str]) -> None:
    """Ranking, one threshold for all classes (a diagnostic: chooses nothing): must-refuse blocked when the
    threshold lets through all but k of the everyday validation sentences."""
    r = [model.score(t)[0] for t in refuse]
    a = [model.score(t)[0] for t in answer]
    e = sorted((model.score(t)[0] for t in everyday), reverse=True)
    print(f"  AUC must-refuse vs must-answer {auc(r, a):.3f}, vs everyday validation {auc(r, e):.3f}")
    for k in (0, 5, 17, 35):
        t = e[k] + 1e-9
        print(f"  threshold above all but {k:2d} everyday validation lines ({t:.3f}): must-refuse "
              f"{sum(p >= t for p in r) / len(r):.1%}, must-answer {sum(p >= t for p in a) / len(a):.1%}")  # fmt: skip


def vocabulary(path: Path, refuse: list[str], model: ClassifierScreener) -> None:
    """Do missed must-refuse prompts use words no block-worthy training prompt uses (a data gap)?"""
    import jieba

    tr, val, _ = split(read_examples(path), TEST_SOURCES)
    tr, _ = with_templates(tr, val)
    known = {w for e in tr if e.block and e.kind != "comment" for w in jieba.lcut(e.text) if len(w) >= 2}
    for name, texts in (("blocked", [t for t in refuse if model.screen(t).blocked]),
                        ("missed", [t for t in refuse if not model.screen(t).blocked])):  # fmt: skip
        shares = []
        for t in texts:
            ws = [w for w in jieba.lcut(t) if len(w) >= 2]
            shares.append(sum(w in known for w in ws) / len(ws) if ws else 0.0)
        none = sum(s == 0 for s in shares)
        print(f"  must-refuse {name}: n={len(texts)}, mean share of words (≥ 2 chars) seen in a block-worthy "
              f"training prompt {statistics.fmean(shares):.0%}; with none seen {none}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/safety"))
    ap.add_argument("--curve", action="store_true", help="only the ranking diagnostic and the vocabulary check")
    args = ap.parse_args()
    model = ClassifierScreener.load(default_dir(args.home))
    if args.curve:
        refuse, answer, _ = banks()
        everyday_val = list(dict.fromkeys(t for p in EVERYDAY_VAL for t in lines(p)))
        curve(model, refuse, answer, everyday_val)
        vocabulary(args.data, refuse, model)
        return
    print("thresholds", model.thresholds, flush=True)
    rates = document_rates(args.data)
    refuse, answer, _ = banks()
    everyday_val = list(dict.fromkeys(t for p in EVERYDAY_VAL for t in lines(p)))
    summarize("everyday validation", model, everyday_val, rates, show=True)
    summarize("must-answer (test, aggregate)", model, answer, rates, show=False)
    summarize("must-refuse (test, aggregate)", model, refuse, rates, show=False)
    missed = [t for t in refuse if not model.screen(t).blocked]
    print(f"\nmust-refuse missed by the classifier alone: {len(missed)}/{len(refuse)}")
    print()
    quantiles(model, "everyday validation", everyday_val)
    quantiles(model, "must-answer", answer)
    quantiles(model, "must-refuse", refuse)


if __name__ == "__main__":
    main()
