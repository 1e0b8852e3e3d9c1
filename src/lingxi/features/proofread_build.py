"""``lingxi features proofread build --from DIR [--text FILE …]``: learn confusions and language models.

The corpus (ECSpell, MIT; see its README) is never committed: a deployer builds from a local copy into
``<home>/proofread/current/`` — ``confusions.json`` (wrong→right pairs with counts), ``charlm.npz`` (the
character 4-gram language model of :mod:`lingxi.features.proofread_lm`, trained on the corrected sentences, the
``--text`` files and jieba's dictionary), ``confusable.npz`` (the confusion-set classifiers of
:mod:`lingxi.features.confusable`, trained on the same text by :mod:`lingxi.features.confusable_build`),
with ``--judge`` ``wordlm.npz`` (word bigram counts of the same text, :mod:`lingxi.features.wordlm`) and
``lmjudge.npz`` (the learned judge of the swaps the language model's margins leave,
:mod:`lingxi.features.lmaccept_build`; only when its dev part finds a threshold that helps) and ``manifest.json``
(source, licence, sha256 of the input, split sizes, the language model's margins chosen on the validation split
and on held-out ``--text`` sentences with one typo put in (:mod:`lingxi.features.proofread_synth`), the
classifiers' thresholds, the judge's, and the scores they gave).

Nothing is built for the older homophone check (:mod:`lingxi.features.homophone`): it runs only while no
language model is built, on shipped data. Homes built before still hold its ``bigrams.json`` and a manifest with
``margins`` and ``validation`` for it; nothing reads them (the manifest has no version: readers take the keys
they know), and the next build replaces the whole folder.

The split is fixed before anything is measured: records are shuffled with :data:`SPLIT_SEED` and cut
70/15/15 into build, validation and test. Only the build part trains; margins are chosen on validation; test
is for ``benchmarks/bench_proofread.py`` alone.
"""

from __future__ import annotations

import dataclasses
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
    confusable,
    confusable_build,
    confusion,
    lmaccept,
    lmaccept_build,
    lmcheck,
    proofread_lm,
    proofread_synth,
    wordlm,
)
from lingxi.features.proofread import model_free_edits

CORPUS_FILE = "ecspell_csc.jsonl"
SPLIT_SEED = 20261206


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


def learn_pairs(records: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    pairs: Counter[tuple[str, str]] = Counter()
    for r in records:
        for e in r["edits"]:
            for w, c in zip(e["wrong"], e["right"], strict=False):
                if w != c:
                    pairs[(w, c)] += 1
    return pairs


def build(
    src: Path, home: Path, texts: Sequence[Path] = (), *, judge: bool = False, long_words: bool = False
) -> dict[str, Any]:
    """Build into ``<home>/proofread/current`` and return the manifest (``texts``: extra licensed text, JSON lines;
    ``judge``: also the word model and the learned judge of :mod:`lingxi.features.lmaccept`, opt-in because on the
    hand-written dev sets it raised recall but also false alarms on clean sentences — ``benchmarks/README.md``;
    ``long_words``: the language model's lower margin for a swap that completes a long dictionary word,
    :attr:`lmcheck.LMMargins.long_word`, opt-in for one more clean sentence alarmed on the ECSpell test split).

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
    manifest = {
        "source": "ECSpell (Lv et al., TALLIP 2023), github.com/Aopolin-Lv/ECSpell",
        "license": "MIT",
        "input": str(src),
        "sha256": sha,
        "split_seed": SPLIT_SEED,
        "sizes": {"build": len(parts.build), "validation": len(parts.validation), "test": len(parts.test)},
        "learned_pairs": len(pairs),
        **_build_lm(out, parts, texts, judge, long_words),
    }
    extra, held, _ = proofread_lm.read_texts(texts)
    manifest |= confusable_build.build(
        out, [r["corrected"] for r in parts.build] + extra, [r["corrected"] for r in parts.validation] + held
    )
    lmcheck.manifest_path(staging).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    current = home / "proofread" / "current"
    shutil.rmtree(current, ignore_errors=True)
    out.rename(current)
    shutil.rmtree(staging, ignore_errors=True)
    lmcheck.forget()
    lmaccept.forget()
    wordlm.forget()
    confusable.forget()
    return manifest


def _spelling_rules(text: str) -> set[tuple[int, str]]:
    """The spelling edits of the checks that win over the language model on overlap, as they run beside a built
    one (:func:`lingxi.features.proofread.model_free_edits`: the seed homophone check is not among them)."""
    return {(e.start, e.replacement) for e in model_free_edits(text) if e.kind != "punctuation"}


def _build_lm(out: Path, parts: Split, texts: Sequence[Path], judge: bool, long_words: bool) -> dict[str, Any]:
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
    margins = margins._replace(unkin=lmcheck.UNKIN_MARGIN)  # after the grid, which runs without it (wave 15)
    if long_words:  # set after the grid, which runs without it (the same margins were chosen with it: wave 15)
        margins = margins._replace(long_word=lmcheck.LONG_WORD_MARGIN)
    judged: dict[str, Any] = {}
    if judge:  # the judge of the swaps the margins leave, on the same held-out text and validation part
        words = wordlm.train([r["corrected"] for r in parts.build] + extra)
        words.save(out / wordlm.FILE)
        checker = dataclasses.replace(model, margins=margins)
        judged = lmaccept_build.build(out, checker, words, held[: 2 * proofread_lm.MAX_HELD_OUT], validation)
    return judged | {
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
