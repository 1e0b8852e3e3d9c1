"""Write ``src/lingxi/privacy/data/names_whole_train.txt``: the training text of the whole-text name tagger
(:mod:`lingxi.privacy.names_whole_train`), one bracket-marked line per sentence.

Why a derived file under ``src``: ``lingxi privacy names build`` must train the tagger without the benchmarks
folder (an installed lingxi has none). The lines are the project's own dev sets, written by earlier helper
authors for this project (no licensed text): ``names_eval.jsonl`` and the bracket sets listed in
:data:`TRAIN_SETS`. The check sets (wave13 to wave16) and any later held-out set are never written here.

Run: ``PYTHONPATH=src python benchmarks/make_names_whole_train.py`` (deterministic; rerun when a set changes).
"""

from __future__ import annotations

from pathlib import Path

from bench_names import WHOLE_TRAINED as TRAIN_SETS
from bench_names import rows

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "lingxi" / "privacy" / "data" / "names_whole_train.txt"


def bracketed(text: str, spans: list[list[int]]) -> str:
    """``text`` with each name span in [ ] (the convention of the bracket sets)."""
    out, at = "", 0
    for s, e in sorted(spans):
        out += text[at:s] + "[" + text[s:e] + "]"
        at = e
    return out + text[at:]


def main() -> None:
    lines = [
        "# Training text of the whole-text name tagger (lingxi.privacy.names_whole_train), derived by",
        "# benchmarks/make_names_whole_train.py from the project's own dev sets: " + ", ".join(TRAIN_SETS) + ".",
        "# Names in [ ]; a line without one is a hard negative. Written by this project's authors; no licensed text.",
    ]
    seen: set[str] = set()
    for which in TRAIN_SETS:
        for r in rows("all", which):
            line = bracketed(str(r["text"]), r["names"])  # type: ignore[arg-type]
            if line not in seen and "\n" not in line:
                seen.add(line)
                lines.append(line)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines) - 3} lines")


if __name__ == "__main__":
    main()
