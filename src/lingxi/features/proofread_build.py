"""``lingxi features proofread build --from DIR [--text FILE …]``: learn confusions and language models.

The corpus (ECSpell, MIT; see its README) is never committed: a deployer builds from a local copy into
``<home>/proofread/current/`` — ``confusions.json`` (wrong→right pairs with counts), ``bigrams.json``
(character bigram counts on the corrected sentences), ``charlm.npz`` (the character 4-gram language model of
:mod:`lingxi.features.proofread_lm`, trained on the corrected sentences, the ``--text`` files and jieba's
dictionary), ``confusable.npz`` (the confusion-set classifiers of :mod:`lingxi.features.confusable`, trained
on the same text by :mod:`lingxi.features.confusable_build`) and ``manifest.json`` (source, licence, sha256 of
the input, split sizes, the margins chosen on the validation split — and, for the language model, on held-out
``--text`` sentences with one typo put in (:mod:`lingxi.features.proofread_synth`) — the classifiers'
thresholds, and the scores they gave).

The split is fixed before anything is measured: records are shuffled with :data:`SPLIT_SEED` and cut
70/15/15 into build, validation and test. Only the build part trains; margins are chosen on validation; test
is for ``benchmarks/bench_proofread.py`` alone.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lingxi.errors import InvalidInput
from lingxi.features import (
    charlm,
    confusable,
    confusable_build,
    confusion,
    homophone,
    lmcheck,
    proofread_lm,
    proofread_synth,
)

CORPUS_FILE = "ecspell_csc.jsonl"
SPLIT_SEED = 20261206
#: Margins tried on validation: trusted, same-sound, bigram weight.
GRID = tuple(
    homophone.Margins(t, s, w)
    for t in (2.0, 4.0, 6.0, 8.0, 10.0)
    for s in (6.0, 8.0, 10.0, 12.0, 14.0, 99.0)
    for w in (0.0, 0.5, 1.0, 1.5, 2.0)
)
#: Validation false alarms per clean sentence allowed while choosing margins (the project's ≤ 2 % target).
MAX_FALSE_ALARM_RATE = 0.02


@dataclass(frozen=True)
class Split:
    build: list[dict[str, Any]]
    validation: list[dict[str, Any]]
    test: list[dict[str, Any]]


def read_corpus(src: Path) -> tuple[list[dict[str, Any]], str]:
    """The records of ``src`` (the folder or the jsonl file) and the file's sha256."""
    path = src / CORPUS_FILE if src.is_dir() else src
    if not path.is_file():
        raise InvalidInput(
            f"no {CORPUS_FILE} in {src}",
            message_zh=f"找不到校对训练数据：{src}",
            hint=f"pass the folder holding {CORPUS_FILE} (text/edits/corrected records)",
        )
    raw = path.read_bytes()
    records = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    return records, hashlib.sha256(raw).hexdigest()


def split(records: list[dict[str, Any]]) -> Split:
    order = list(range(len(records)))
    random.Random(SPLIT_SEED).shuffle(order)
    a, b = int(len(order) * 0.70), int(len(order) * 0.85)
    pick = [records[i] for i in order]
    return Split(pick[:a], pick[a:b], pick[b:])


def gold_edits(record: dict[str, Any]) -> set[tuple[int, str]]:
    """(offset, right) per wrong character of a record."""
    out = set()
    for e in record["edits"]:
        for k, right in enumerate(e["right"]):
            if e["wrong"][k] != right:
                out.add((e["offset"] + k, right))
    return out


def score(
    records: list[dict[str, Any]],
    found: list[list[homophone.Candidate]],
    margins: homophone.Margins,
    others: list[bool] | None = None,
) -> dict[str, float]:
    """Character-edit precision/recall/F0.5 and the false-alarm rate on error-free sentences.

    ``others[i]`` says whether the model-free spelling checks already alarm on record i: such a clean sentence
    counts as a false alarm whatever the margins, so the margins are chosen for the checks together.
    """
    tp = fp = fn = clean = alarmed = 0
    for n, (r, cands) in enumerate(zip(records, found, strict=True)):
        got = {(f.start, f.replacement) for f in homophone.select(cands, margins)}
        gold = gold_edits(r)
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
        if not gold:
            clean += 1
            alarmed += bool(got) or bool(others and others[n])
    p = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f05 = 1.25 * p * rec / (0.25 * p + rec) if p + rec else 0.0
    return {"precision": p, "recall": rec, "f05": f05, "false_alarm_rate": alarmed / clean if clean else 0.0}


def learn_pairs(records: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    pairs: Counter[tuple[str, str]] = Counter()
    for r in records:
        for e in r["edits"]:
            for w, c in zip(e["wrong"], e["right"], strict=False):
                if w != c:
                    pairs[(w, c)] += 1
    return pairs


def build(src: Path, home: Path, texts: Sequence[Path] = ()) -> dict[str, Any]:
    """Build into ``<home>/proofread/current`` and return the manifest (``texts``: extra licensed text, JSON lines).

    Written under ``<home>/proofread/.building/`` first and moved into place at the end, so a failed build
    leaves the previous model as it was.
    """
    records, sha = read_corpus(src)
    parts = split(records)
    staging = home / "proofread" / ".building"
    shutil.rmtree(staging, ignore_errors=True)
    out = staging / "proofread" / "current"
    out.mkdir(parents=True)
    pairs = learn_pairs(parts.build)
    (out / "confusions.json").write_text(
        json.dumps({"pairs": [[w, c, n] for (w, c), n in pairs.most_common()]}, ensure_ascii=False), "utf-8"
    )
    bigrams = charlm.train_bigrams([r["corrected"] for r in parts.build])
    (out / "bigrams.json").write_text(
        json.dumps({"unigrams": bigrams.unigrams, "pairs": bigrams.pairs}, ensure_ascii=False), "utf-8"
    )
    base = homophone.load_model(staging)
    found = [homophone.candidates(r["text"], base) for r in parts.validation]
    from lingxi.features.proofread import fixed_spelling_edits  # proofread imports homophone, as this does

    others = [bool(fixed_spelling_edits(r["text"])) for r in parts.validation]
    tried = [(score(parts.validation, found, margins, others), margins) for margins in GRID]
    allowed = [t for t in tried if t[0]["false_alarm_rate"] <= MAX_FALSE_ALARM_RATE] or tried
    chosen_score, chosen = max(allowed, key=lambda t: (t[0]["f05"], -t[0]["false_alarm_rate"]))
    manifest = {
        "source": "ECSpell (Lv et al., TALLIP 2023), github.com/Aopolin-Lv/ECSpell",
        "license": "MIT",
        "input": str(src),
        "sha256": sha,
        "split_seed": SPLIT_SEED,
        "sizes": {"build": len(parts.build), "validation": len(parts.validation), "test": len(parts.test)},
        "learned_pairs": len(pairs),
        "margins": list(chosen),
        "validation": chosen_score,
        **_build_lm(out, parts, texts),
    }
    extra, held, _ = proofread_lm.read_texts(texts)
    manifest |= confusable_build.build(
        out, [r["corrected"] for r in parts.build] + extra, [r["corrected"] for r in parts.validation] + held
    )
    homophone.manifest_path(staging).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    current = home / "proofread" / "current"
    shutil.rmtree(current, ignore_errors=True)
    out.rename(current)
    shutil.rmtree(staging, ignore_errors=True)
    homophone.forget()
    lmcheck.forget()
    confusable.forget()
    return manifest


def _spelling_rules(text: str) -> set[tuple[int, str]]:
    """The other checks' spelling edits as they run without a built model (the seed homophone margins)."""
    from lingxi.features.proofread import rule_edits  # proofread imports homophone, as this does

    return {(e.start, e.replacement) for e in rule_edits(text, home=None) if e.kind != "punctuation"}


def _build_lm(out: Path, parts: Split, texts: Sequence[Path]) -> dict[str, Any]:
    """Train the n-gram model into ``out`` and choose its margins; the manifest entries that describe it."""
    extra, held, licences = proofread_lm.read_texts(texts)
    lm = proofread_lm.train([r["corrected"] for r in parts.build] + extra)
    lm.save(out / "charlm.npz")
    model = proofread_lm.checker(lm, confusion.load(out.parent.parent))

    validation = [(r["text"], gold_edits(r)) for r in parts.validation]
    # the other checks win on overlap
    rules = [_spelling_rules(t) for t, _ in validation]
    typos = proofread_synth.with_typos(held[proofread_lm.MAX_HELD_OUT : 2 * proofread_lm.MAX_HELD_OUT])
    everyday = [(t, gold, _spelling_rules(t)) for t, gold in typos]
    margins, scores = proofread_lm.choose_margins(model, validation, held[: proofread_lm.MAX_HELD_OUT], rules, everyday)
    return {
        "lm": {
            "order": 4,
            "smoothing": "interpolated Kneser-Ney",
            "training_sentences": len(parts.build) + len(extra),
            "extra_text": [str(p) for p in texts],
            "extra_text_licences": licences,
            "held_out_clean": min(len(held), proofread_lm.MAX_HELD_OUT),
            "everyday_dev_with_typos": len(everyday),
            "dictionary": "jieba (MIT)",
        },
        "lm_margins": list(margins),
        "lm_validation": scores,
    }
