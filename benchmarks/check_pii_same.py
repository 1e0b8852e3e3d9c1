"""Same PII spans before and after a speed-only change: old and new recognizers over every text we have.

Why: the recognizer's speed work (caching, precomputed tables, fewer passes) must not change a single span,
and the labeled benchmarks only look at the spans they label. This runs ``find_pii`` and the redactor of
``--ref`` (default ``main``, extracted with ``git archive REF src`` into a temporary folder) and of this
working tree, each in its own subprocess, over:

* the sample events ``bench_pii.py`` times, every line of ``benchmarks/data/names_eval_*.txt`` (with and
  without its ``[ ]`` markup), ``names_eval.jsonl`` and the everyday sentence files (not the held-out ones);
* every string literal with a CJK character, digit or ``@`` in the PII, names, privacy and egress tests
  and their fixtures (``tests/pii_cases.py``, ``tests/pii_structured_set.py``…);
* each of those texts once more with its digits and Latin letters made full-width and a zero-width space
  after every third character, so the folding path (:mod:`lingxi.privacy.pii_normalize`) is compared too;

and, with ``--more FILE`` (repeatable), every text of FILE once more as it is (JSON lines with a ``text`` field,
such as the licensed ``../shared/data/safety/*.jsonl`` and ``proofread/*.jsonl``, or plain lines): new text in
bulk, where the name scorer's window caches rarely hit and every candidate goes through the re-ranker and tagger;

with the seed model (an empty home) and, when ``--home`` (or ``LINGXI_HOME``) has a built names resource,
with that build; without and with a contact list. Each text is recognized twice in the same process (cold,
then with every cache warm), so a cache that changes an answer shows up as a difference too. Prints the
number of differing results (0 is the only passing answer) and the first few; exits 1 on any.

Run: ``PYTHONPATH=src python benchmarks/check_pii_same.py [--ref main] [--home DIR] [--more FILE …]``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ref_src import extract_src

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
TEST_FILES = ("test_pii*.py", "test_names*.py", "test_privacy.py", "test_*egress*.py", "pii_*.py", "egress_probe.py")
CONTACTS = ("林晓雨", "张伟", "欧阳娜娜", "王总")
_WANTED = re.compile(r"[\u4e00-\u9fff0-9@]")
_FULL = {c: chr(c + 0xFEE0) for c in (*range(0x30, 0x3A), *range(0x41, 0x5B), *range(0x61, 0x7B))}


def _literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and 2 <= len(n.value) <= 2000
    ]


def more_texts(path: Path) -> list[str]:
    """The texts of ``path``: each line's ``text`` field in a ``.jsonl`` file, else each non-empty line."""
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    if path.suffix != ".jsonl":
        return lines
    return [t for t in (json.loads(x).get("text") for x in lines) if isinstance(t, str) and t]


def corpus(more: tuple[Path, ...] = ()) -> list[str]:
    """Every text to compare on, deduplicated, in a fixed order (``more``: see the module doc)."""
    sys.path.insert(0, str(ROOT / "src"))
    from lingxi.context.sample import sample_events

    texts = [e.search_text() for e in sample_events()]
    for f in sorted(DATA.glob("names_eval_*.txt")) + sorted(DATA.glob("everyday*.txt")):
        if "heldout" in f.name or any(f"wave{n}" in f.name for n in range(7, 20)):
            continue  # held-out sets are scored once, at the end, and read by nothing else
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("# "):
                texts += [line, re.sub(r"[\[\]]", "", line)]
    for line in (DATA / "names_eval.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    for pattern in TEST_FILES:
        for path in sorted((ROOT / "tests").glob(pattern)):
            texts += [t for t in _literals(path) if _WANTED.search(t)]
    variants = [_variant(t) for t in texts]
    extra = [t for path in more for t in more_texts(path)]
    return list(dict.fromkeys(texts + variants + extra))


def _variant(text: str) -> str:
    """Full-width digits and letters, a zero-width space after every third character."""
    wide = text.translate(_FULL)
    return "".join(c + "\u200b" if i % 3 == 2 else c for i, c in enumerate(wide))


def worker(inp: Path) -> None:
    """Print, as JSON, every text's spans and redaction, without and with contacts, cold then warm."""
    from lingxi.privacy.pii import find_pii
    from lingxi.privacy.redact import RedactionMap, Redactor

    texts = json.loads(inp.read_text(encoding="utf-8"))
    plain, known = Redactor(), Redactor(contacts=CONTACTS)
    out = []
    for _ in ("cold", "warm"):
        for t in texts:
            for contacts in ((), CONTACTS):
                out.append([list(s) for s in find_pii(t, contacts=contacts)])
            out.append([plain.redact(t, RedactionMap()), known.redact(t, RedactionMap())])
    print(json.dumps(out))  # ASCII escapes: the tests hold lone surrogates, which UTF-8 cannot carry


def _run(src: Path, home: Path, inp: Path) -> list[object]:
    env = {**os.environ, "PYTHONPATH": str(src), "LINGXI_HOME": str(home)}
    cmd = [sys.executable, __file__, "--worker", str(inp)]
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return list(json.loads(done.stdout))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="main", help="git ref of the old recognizer (git archive REF src)")
    ap.add_argument("--home", type=Path, default=os.environ.get("LINGXI_HOME"), help="a home with a names build")
    ap.add_argument("--more", type=Path, action="append", default=[], help="more texts: .jsonl (text field) or lines")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker)
        return
    texts = corpus(tuple(args.more))
    homes = {"seed": None, "build": args.home if args.home and (args.home / "names" / "CURRENT").is_file() else None}
    with tempfile.TemporaryDirectory() as tmp:
        extract_src(args.ref, Path(tmp))
        inp = Path(tmp) / "texts.json"
        inp.write_text(json.dumps(texts), encoding="utf-8")  # ASCII escapes, as the worker prints
        (Path(tmp) / "empty-home").mkdir()
        total = diffs = 0
        for label, home in homes.items():
            if label == "build" and home is None:
                print("build: no names build under --home / LINGXI_HOME; compared with the seed only")
                continue
            home = home or Path(tmp) / "empty-home"
            old, new = _run(Path(tmp) / "src", home, inp), _run(ROOT / "src", home, inp)
            per = len(old) // (2 * len(texts))  # results per text per pass
            bad = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
            total, diffs = total + len(old), diffs + len(bad)
            print(f"{label}: {len(texts)} texts, {len(old)} results (cold and warm), {len(bad)} differ")
            for i in bad[:5]:
                print(f"  {texts[(i // per) % len(texts)]!r}\n    old {old[i]}\n    new {new[i]}")
    print(f"\n{diffs} of {total} results differ between {args.ref} and this tree")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
