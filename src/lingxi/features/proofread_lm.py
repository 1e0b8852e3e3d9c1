"""The language-model part of ``lingxi features proofread build``: train the n-gram model, choose its margins.

Training text, all read at build time and never committed:

* the corrected side of the build part of the spelling corpus (ECSpell, MIT);
* optional extra licensed Chinese text given with ``--text`` (JSON lines with a ``text`` field, e.g. the benign
  prompts and comments of ``/work/shared/data/safety/extra_benign.jsonl``: CrossWOZ, KdConv, COLD, … under
  MIT/Apache-2.0). Records whose ``license`` is share-alike (CC BY-SA) are skipped, so the built model carries no
  share-alike obligation; every 20th record is held out of training to measure false alarms on clean text (the
  first file's first: give the everyday file first). Everyday text is what learners' typos are judged against,
  so more of it is the lever: ``extra_risky.jsonl`` and ``safety_dev.jsonl`` of the same folder (comments and
  prompts, MIT/Apache-2.0 by that folder's README; ``safety_dev`` records carry no ``license`` field and are
  counted as ``unknown`` in the manifest) nearly double it, and lift the learner dev half's sentence-level
  correction F1 from 0.65 to 0.72 with fewer clean sentences alarmed (``benchmarks/README.md``, wave 8);
* jieba's dictionary (MIT): every word's inner n-grams, weighted by its frequency scaled to the corpus size,
  so that words the corpus lacks are still known.

Margins are chosen on held-out data only: the highest mean F0.5 over two dev sets — the validation part of the
spelling corpus (domain text) and an everyday set of held-out extra text with one typo put in
(:mod:`lingxi.features.proofread_synth`) — among the margins whose own false alarms (clean sentences the language
model alone changes) stay within :data:`MAX_OWN_FALSE_ALARMS` on the validation part's clean sentences and the
other held-out extra text together. The held-out extra text is not proofread by anyone, so its real typos count as
false alarms here: the measured rate is an upper bound.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lingxi.features import confusion, lmcheck, ngramlm

#: Margins tried: trusted, same sound, near sound = look-alike, the weight of the word-level gain, and the margin
#: of a swap that puts a common character back into a word (99: none lower than its class's). The floor of a
#: learned pair of no kin (:attr:`lmcheck.LMMargins.unkin`) is off in the grid and set after it.
GRID = tuple(
    lmcheck.LMMargins(t, s, n, n, w, m, unkin=0.0)
    for t, s, n, w, m in itertools.product(
        (8.0, 10.0, 12.0, 14.0),
        (10.0, 12.0, 14.0, 16.0, 18.0),
        (10.0, 12.0, 14.0, 16.0, 20.0),
        (0.0, 0.5, 1.0, 1.5),
        (6.0, 8.0, 99.0),
    )
    if s >= t
)
#: Share of clean held-out sentences the language model alone may change while margins are chosen: the project's
#: 2 %. (It was 1 % while the older homophone check of :mod:`lingxi.features.homophone` ran beside the language
#: model with a budget of its own; with a model built it no longer runs, and the lower margin for swaps that
#: make a word takes over its typos.)
MAX_OWN_FALSE_ALARMS = 0.02
HOLD_OUT_EVERY = 20
#: Held-out extra sentences scored for false alarms (more only make the build slower); the ones after them, up
#: to as many again, get a typo each and form the everyday dev set.
MAX_HELD_OUT = 1000
SHARE_ALIKE = "CC BY-SA"


def read_texts(paths: Sequence[Path]) -> tuple[list[str], list[str], dict[str, int]]:
    """(training texts, held-out texts, records used per licence) from JSON-lines files of licensed text."""
    train: list[str] = []
    held: list[str] = []
    licences: dict[str, int] = {}
    n = 0
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record: dict[str, Any] = json.loads(line)
            licence = str(record.get("license") or "unknown")
            if licence.startswith(SHARE_ALIKE):
                continue
            licences[licence] = licences.get(licence, 0) + 1
            n += 1
            (held if n % HOLD_OUT_EVERY == 0 else train).append(str(record.get("text") or ""))
    return train, held, licences


def dictionary_words(corpus_chars: int) -> list[tuple[str, float]]:
    """jieba's words of two or more characters, weights scaled so that they add up to about the corpus size."""
    from lingxi.features.charlm import word_freq

    freq = word_freq()
    total = sum(freq.values()) or 1
    return [(w, max(1.0, f * corpus_chars / total)) for w, f in freq.items() if f > 0 and len(w) >= 2]


def train(sentences: list[str]) -> ngramlm.NgramLM:
    return ngramlm.train(sentences, dictionary_words(sum(len(s) for s in sentences)))


def _f05(
    items: list[tuple[set[tuple[int, str]], list[lmcheck.LMFix], set[tuple[int, str]]]], margins: lmcheck.LMMargins
) -> tuple[float, float, float]:
    """Precision, recall and F0.5 of (gold, candidates, other checks' edits) items, the other checks winning on
    overlap as in :func:`lingxi.features.proofread.rule_edits`."""
    tp = fp = fn = 0
    for gold, cands, rules in items:
        taken = {p for p, _ in rules}
        got = rules | {(f.start, f.replacement) for f in lmcheck.select(cands, margins) if f.start not in taken}
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def _within_reach(found: list[lmcheck.LMFix]) -> list[lmcheck.LMFix]:
    """The candidates that clear the lowest margin of the grid at some word weight (the rest can never be
    selected, so dropping them changes no result and makes the grid fast)."""
    low = min(min(*m[:4], m.makes_word, m.restores_word, m.exact_word, m.long_word) for m in GRID)
    most = max(m.word_weight for m in GRID)
    return [f for f in found if f.gain + max(0.0, most * f.word_gain) > low]


def choose_margins(
    model: lmcheck.LMChecker,
    validation: list[tuple[str, set[tuple[int, str]]]],
    clean: Iterable[str],
    others: list[set[tuple[int, str]]],
    everyday: Sequence[tuple[str, set[tuple[int, str]], set[tuple[int, str]]]] = (),
) -> tuple[lmcheck.LMMargins, dict[str, float]]:
    """The margins with the best mean dev F0.5 whose own false alarms stay within budget, and their scores.

    ``validation`` is (text, gold edits); ``others`` the edits the other checks make on each validation text;
    ``everyday`` the (text, gold, other checks' edits) of the everyday dev set (empty: validation alone decides).
    One pass of candidates per sentence.
    """
    found = [_within_reach(lmcheck.candidates(text, model)) for text, _ in validation]
    clean_found = [c for (_, gold), c in zip(validation, found, strict=True) if not gold]
    clean_found += [_within_reach(lmcheck.candidates(text, model)) for text in clean]
    dev = [(gold, c, rules) for (_, gold), c, rules in zip(validation, found, others, strict=True)]
    daily = [(gold, _within_reach(lmcheck.candidates(text, model)), rules) for text, gold, rules in everyday]
    tried = []
    for margins in GRID:
        p, r, f05 = _f05(dev, margins)
        scores = {"precision": p, "recall": r, "f05": f05}
        if daily:
            ep, er, ef = _f05(daily, margins)
            scores |= {"everyday_precision": ep, "everyday_recall": er, "everyday_f05": ef}
        scores["own_false_alarm_rate"] = sum(bool(lmcheck.select(c, margins)) for c in clean_found) / max(
            len(clean_found), 1
        )
        tried.append((scores, margins))
    allowed = [t for t in tried if t[0]["own_false_alarm_rate"] <= MAX_OWN_FALSE_ALARMS]
    if not allowed:  # nothing within budget: the widest margins tried
        allowed = [max(tried, key=lambda t: sum(t[1]))]
    chosen_score, chosen = max(
        allowed, key=lambda t: (t[0]["f05"] + t[0].get("everyday_f05", t[0]["f05"]), -t[0]["own_false_alarm_rate"])
    )
    return chosen, chosen_score


def checker(lm: ngramlm.NgramLM, confusions: confusion.Confusions) -> lmcheck.LMChecker:
    """A checker over a freshly trained model, with the default margins (the build then chooses its own)."""
    return lmcheck.LMChecker(
        lm,
        confusions,
        confusion.sound_alikes_wide(),
        confusion.near_sounds(),
        confusion.shape_alikes(),
        lmcheck.LMMargins(),
    )
