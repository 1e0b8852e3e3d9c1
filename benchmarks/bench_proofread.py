"""Proofreading, old vs new side by side in one run: a baseline source tree (e.g. main's) against this one.

Sets, scored the same way (an edit counts when its offset and its replacement character both match; a clean
sentence with any edit is a false alarm), each also scored SIGHAN style at the sentence level (a sentence with
errors counts as corrected only when every error is fixed and nothing else changed; precision is over the
sentences changed, clean ones included):

0. ``tests/data/proofread_learner.txt``, the *test* half: learner-style letters, diaries and short essays with
   homophone and similar-shape errors (written before any run; the dev half is for error analysis).
1. ``tests/data/proofread_everyday.txt``, the *test* half (every second line of each section): 带/戴, 做/作,
   和/喝/合, 已/以, 象/像, 副/幅, 必须/必需, 的/地/得 by role, 在/再 both ways, idioms, and tricky clean sentences,
   written and labelled before any run; the dev half was used for error analysis, the test half was not looked at.
2. ``tests/data/proofread_homophone.txt``: the older hand-written set (100 with typos, 100 clean).
2b. ``benchmarks/data/proofread_heldout*.txt`` (test mode only): sets written by hand by authors who read no
   lingxi code or earlier set, each committed before any code ran on it and scored once at the end of its
   wave: heldout7 (185 sentences, 124 with 139 errors, 61 clean), heldout8 (200 sentences, 134 with 154
   errors, 66 clean; 111 in a learner's register). ``BENCH_PROOFREAD_HELDOUT=0`` leaves them out.
3. With ``--corpus DIR`` (ECSpell, see /work/shared/data/proofread/README.md): the *test* part of the fixed
   split in :mod:`lingxi.features.proofread_build` (seed 20261206, 70/15/15), never used for training or for
   choosing margins (with ``BENCH_PROOFREAD_HALF=dev`` the *validation* part and the dev halves of 0 and 1
   instead: the sets every rule change is decided on); punctuation edits are left out there (the corpus labels
   spelling only). Both columns use a model built from the build part (each with its own code) into a
   temporary home.

4. With ``--text FILE``: the held-out records of those files that neither build reads (1,523 with the three safety
   files), scored as clean — web comments and prompts, mostly clean but with real typos of their own, so an upper
   bound on false alarms; with ``--baseline`` every changed edit there is listed for a reader to judge.

``--judge`` builds this tree's learned judge of the language model's swaps (:mod:`lingxi.features.lmaccept`, opt-in
since wave 12); the baseline's build gets its own judge only with ``--baseline-judge`` (a tree whose build has one:
to compare two judges).

``--baseline SRC`` runs the same sets through the ``lingxi`` package found in SRC (a ``src`` folder, e.g.
``/work/main/src``) in a child process; without it only this tree is scored.

With ``--text FILE`` (e.g. /work/shared/data/safety/extra_benign.jsonl) the builds that take extra licensed
text (this tree's language model) are given it; main's build takes only the corpus. ``--baseline-text FILE``
gives the baseline's build other files instead (a comparison with the build as it was run before, when the
change is what the build is given: e.g. old with ``extra_benign.jsonl`` alone, new with more licensed text).

With ``--corpus``, each tree's build time is printed, and every manifest entry whose value differs between the
two builds (the margins chosen, their scores, entries one tree writes and the other does not); with
``--baseline``, each set's count of sentences whose edits differ between the trees.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_proofread.py --baseline /work/main/src
[--corpus /work/shared/data/proofread --text /work/shared/data/safety/extra_benign.jsonl]``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from proofread_cases import EVERYDAY, LEARNER, Case, Score, char_edits, halves, load, score, sentence_score

Predictions = dict[str, set[tuple[int, str]]]
# held-out sets, one per wave, each written by another author who read no code (see each file's header)
HELDOUT = sorted(Path(__file__).with_name("data").glob("proofread_heldout*.txt"))
Rows = dict[str, list[list[tuple[int, str]]]]


#: The set of held-out licensed text (``--text``), scored as clean: its name marks it for the listing of changes.
LICENSED = "licensed text, held out (clean by assumption)"


def _licensed(texts: Sequence[Path]) -> list[Case]:
    """The ``--text`` records neither build uses: every 20th record is held out of training, and the build reads
    the first 2 × ``MAX_HELD_OUT`` of those (false alarms, then the everyday dev set with typos put in)."""
    from lingxi.features import proofread_lm

    _, held, _ = proofread_lm.read_texts(texts)
    return [Case(t, frozenset(), "") for t in held[2 * proofread_lm.MAX_HELD_OUT :]]


def _sets(corpus: Path | None, texts: Sequence[Path] = ()) -> dict[str, list[Case]]:
    half = 0 if os.environ.get("BENCH_PROOFREAD_HALF") == "dev" else 1  # dev: error analysis only, never reported
    name = ("dev", "test")[half]
    sets = {
        f"learner set, {name} half": halves(load(LEARNER))[half],
        f"everyday set, {name} half": halves(load(EVERYDAY))[half],
        "older homophone set": load(),
    }
    # never in dev mode: scored once, at the end of the wave it was written for (BENCH_PROOFREAD_HELDOUT=0 leaves
    # it out of a test-mode run, for a helper who must not score it)
    if half and os.environ.get("BENCH_PROOFREAD_HELDOUT") != "0":
        for path in HELDOUT:
            sets[f"held-out {path.stem.removeprefix('proofread_heldout')} (another author)"] = load(path)
    if corpus:
        from lingxi.features import proofread_build

        records, _ = proofread_build.read_corpus(corpus)
        parts = proofread_build.split(records)
        sets[f"ECSpell {('validation', 'test')[half]} split (no punctuation)"] = [
            Case(r["text"], frozenset(proofread_build.gold_edits(r)), r["domain"])
            for r in (parts.validation, parts.test)[half]
        ]
    if texts:  # web comments and prompts, mostly clean: what they hold of real typos makes this an upper bound
        sets[LICENSED] = _licensed(texts)
    return sets


def predict(
    corpus: Path | None, texts: list[Path], judge: bool = False, long_words: bool = False
) -> tuple[Rows, dict[str, Any]]:
    """Edits of the ``lingxi`` importable here on every set (a model built from ``corpus`` when given), and the
    build's seconds and manifest (empty without ``corpus``).

    ``texts`` (extra licensed text) go to builds that take them; an older tree's build (main's) does not.
    """
    from lingxi.features import proofread_build
    from lingxi.features.proofread import rule_edits

    out: Rows = {}
    built: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) if corpus else None
        started = time.perf_counter()
        params = inspect.signature(proofread_build.build).parameters
        if corpus and "long_words" in params:  # this tree: the judge and the long-word margin are opt-in
            built["manifest"] = proofread_build.build(corpus, Path(tmp), texts, judge=judge, long_words=long_words)  # type: ignore[call-arg,unused-ignore]
        elif corpus and "judge" in params:  # the learned judge is opt-in (``--judge``)
            built["manifest"] = proofread_build.build(corpus, Path(tmp), texts, judge=judge)  # type: ignore[call-arg,unused-ignore]
        elif corpus and "texts" in params:
            built["manifest"] = proofread_build.build(corpus, Path(tmp), texts)  # type: ignore[call-arg,unused-ignore]
        elif corpus:
            built["manifest"] = proofread_build.build(corpus, Path(tmp))
        if corpus:
            built["seconds"] = time.perf_counter() - started
        for name, cases in _sets(corpus, texts).items():
            spelling = name.startswith("ECSpell")  # ECSpell labels spelling only
            out[name] = [
                sorted(
                    char_edits(
                        [
                            (e.start, e.original, e.replacement)
                            for e in rule_edits(c.text, home=home)
                            if not (spelling and e.kind == "punctuation")
                        ]
                    )
                )
                for c in cases
            ]
    return out, built


def _baseline(src: Path, corpus: Path | None, texts: list[Path], judge: bool = False) -> tuple[Rows, dict[str, Any]]:
    argv = [sys.executable, __file__, "--emit"] + (["--corpus", str(corpus)] if corpus else [])
    argv += ["--judge"] if judge else []
    argv += [a for t in texts for a in ("--text", str(t))]
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(argv, env=env, check=True, capture_output=True, text=True)
    raw: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    rows: dict[str, list[list[list[object]]]] = raw["predictions"]
    return {k: [[(int(str(p)), str(r)) for p, r in row] for row in v] for k, v in rows.items()}, raw["build"]


def _print_builds(builds: dict[str, dict[str, Any]]) -> None:
    """Each tree's build time, and the manifest entries that differ between the trees."""
    if not all(builds.values()):
        return
    print("build: " + ", ".join(f"{label} {b['seconds']:.0f} s" for label, b in builds.items()))
    manifests = {label: b["manifest"] for label, b in builds.items()}
    for key in sorted({k for m in manifests.values() for k in m} - {"input"}):
        values = {label: json.dumps(m.get(key, "(absent)"), ensure_ascii=False) for label, m in manifests.items()}
        if len(set(values.values())) > 1:
            print(f"  manifest {key}: " + "  |  ".join(f"{label} {v}" for label, v in values.items()))
    if len({json.dumps(m, sort_keys=True) for m in manifests.values()}) == 1:
        print("  manifests identical")


def _score(cases: list[Case], rows: list[list[tuple[int, str]]]) -> Score:
    found = {c.text: set(r) for c, r in zip(cases, rows, strict=True)}
    return score(lambda text: found[text], cases)


def _row(name: str, cases: list[Case], rows: list[list[tuple[int, str]]]) -> str:
    s = _score(cases, rows)
    found = {c.text: set(r) for c, r in zip(cases, rows, strict=True)}
    z = sentence_score(lambda text: found[text], cases)
    return (
        f"  {name:<10} P {s.precision:5.3f}  R {s.recall:5.3f}  F0.5 {s.f05:5.3f}  "
        f"false alarms {s.alarmed}/{s.clean} ({s.false_alarm_rate:.1%})  |  sentence-level correction "
        f"P {z.precision:5.3f}  R {z.recall:5.3f}  F1 {z.f1:5.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, help="folder with ecspell_csc.jsonl")
    parser.add_argument("--text", type=Path, action="append", default=[], help="extra licensed text for the build")
    parser.add_argument("--baseline", type=Path, help="src folder of the code to compare against (e.g. main's)")
    parser.add_argument(
        "--baseline-text", type=Path, action="append", help="extra text for the baseline's build (default: --text)"
    )
    parser.add_argument("--judge", action="store_true", help="build this tree's learned judge (opt-in)")
    parser.add_argument("--baseline-judge", action="store_true", help="build the baseline's judge too (if it has one)")
    parser.add_argument(
        "--long-words", action="store_true", help="this tree's build takes the long-word margin (opt-in, wave 15)"
    )
    parser.add_argument("--emit", action="store_true", help=argparse.SUPPRESS)  # child mode: print predictions
    args = parser.parse_args()
    if args.emit:
        rows, built = predict(args.corpus, args.text, args.judge, args.long_words)
        print(json.dumps({"predictions": rows, "build": built}, ensure_ascii=False))
        return
    started = time.perf_counter()
    rows, built = predict(args.corpus, args.text, args.judge, args.long_words)
    runs, builds = {"new": rows}, {"new": built}
    print(f"(this tree: build and predict {time.perf_counter() - started:.0f} s)")
    if args.baseline:
        old_texts = args.text if args.baseline_text is None else args.baseline_text
        old_rows, old_built = _baseline(args.baseline, args.corpus, old_texts, args.baseline_judge)
        runs, builds = {"old": old_rows, **runs}, {"old": old_built, **builds}
    _print_builds(builds)
    for name, cases in _sets(args.corpus, args.text).items():
        print(f"{name} ({sum(bool(c.gold) for c in cases)} with errors, {sum(not c.gold for c in cases)} clean)")
        for label, preds in runs.items():
            print(_row(label, cases, preds[name]))
        if len(runs) == 2:
            old_rows, new_rows = (preds[name] for preds in runs.values())
            print(f"    sentences whose edits differ: {sum(a != b for a, b in zip(old_rows, new_rows, strict=True))}")
            if name == LICENSED:  # mostly clean text: every change is for a reader to judge
                for case, a, b in zip(cases, old_rows, new_rows, strict=True):
                    for at in sorted({i for i, _ in set(a) ^ set(b)}):
                        was, now = dict(a).get(at, "-"), dict(b).get(at, "-")
                        print(f"      {case.text[max(0, at - 12) : at + 8]!r} @{at - max(0, at - 12)}: {was} → {now}")
        for section in sorted({c.section for c in cases if c.gold}):
            idx = [i for i, c in enumerate(cases) if c.section == section]
            part = [cases[i] for i in idx]
            recalls = "  ".join(f"{lb} {_score(part, [p[name][i] for i in idx]).recall:.2f}" for lb, p in runs.items())
            print(f"    recall, {section}: {recalls}")


if __name__ == "__main__":
    main()
