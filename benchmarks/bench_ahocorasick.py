"""pyahocorasick vs ahocorasick-rs on the automata lingxi builds, side by side in one run, with ratios.

Why: lingxi used both libraries for the same job; the team keeps one library per job, chosen by measurement.

Protocol (fixed before any result was seen):

* Automata, each from the keys lingxi itself builds: the PII gate words (every ``Keywords`` gate of
  :data:`lingxi.privacy.pii_table.RECOGNIZERS`, the one automaton of ``pii._plan``); the keyword screen's
  three automata (exact, typed pinyin, homophone keys) of ``KeywordScreener(load_library(--screen-home))``;
  the name titles of ``model_for(--names-home)`` (``names_cues``); and the deletion check's byte needles
  (``file_scan``: each sample event's id and user id + id, UTF-8).
* Corpus: tests/data/everyday_zh.txt and every sample event's ``search_text()``, each text in the view the
  caller matches (PII: its folded form; the screen: ``normalize``, ``normalize(pinyin_view)``,
  ``homophone_key``; titles: as is; byte needles: the corpus as one UTF-8 buffer, pyahocorasick reading it as
  latin-1 text the way file_scan did). Texts are matched one at a time (a message is the unit lingxi scans),
  the corpus repeated to at least 1 MB per pass.
* Matching mode: every match, overlapping ones included (what every caller needs), as (key index, end).
  pyahocorasick: ``add_word(key, index)`` + ``iter``; ahocorasick-rs: ``find_matches_as_indexes(overlapping=
  True)``, default implementation. The two libraries' matches are compared on every text (must be equal).
* Build: best of ``--rounds`` builds from the key list. Match: best of ``--rounds`` passes, libraries taking
  turns in each round, MB/s of UTF-8 bytes (of the view). Memory: resident-set growth of a fresh process
  that builds the one automaton (both libraries imported and the keys loaded before), so the Rust heap counts
  too (tracemalloc would not see it).

Run: ``PYTHONPATH=src python benchmarks/bench_ahocorasick.py --screen-home H --names-home N [--rounds 5]``.
Without a home the seed library / seed model's keys are used (and said so). pyahocorasick is no longer a
dependency of lingxi (this benchmark chose ahocorasick-rs): ``pip install pyahocorasick`` to rerun it.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import ahocorasick
import ahocorasick_rs

ROOT = Path(__file__).resolve().parents[1]
EVERYDAY = ROOT / "tests" / "data" / "everyday_zh.txt"
MIN_BYTES = 1 << 20

Keys = list[str] | list[bytes]


def corpus() -> list[str]:
    from lingxi.context.sample import sample_events

    lines = [ln for ln in EVERYDAY.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return lines + [e.search_text() for e in sample_events()]


def automata(screen_home: Path | None, names_home: Path | None) -> dict[str, tuple[Keys, list[Any]]]:
    """name -> (keys, the texts that automaton is matched on)."""
    import lingxi.compliance.screen as screen
    from lingxi.compliance.lexicon import load_library
    from lingxi.context.sample import sample_events
    from lingxi.privacy.names_model import model_for
    from lingxi.privacy.pii_normalize import normalize as pii_fold
    from lingxi.privacy.pii_table import RECOGNIZERS
    from lingxi.privacy.pii_types import Keywords

    texts = corpus()
    out: dict[str, tuple[Keys, list[Any]]] = {}
    gate_words = [w for r in RECOGNIZERS if isinstance(r.gate, Keywords) for w in r.gate.words]
    folded = [n.text if (n := pii_fold(t)) is not None else t for t in texts]
    out["PII gate words"] = (list(dict.fromkeys(gate_words)), folded)

    built: list[list[str]] = []  # the keys of each automaton KeywordScreener builds, in order
    real = screen._Matcher

    class Recording(real):  # type: ignore[valid-type,misc]
        def __init__(self, keys: dict[str, set[str]]) -> None:
            built.append(list(keys))
            super().__init__(keys)

    screen._Matcher = Recording  # type: ignore[misc]
    try:
        screen.KeywordScreener(load_library(screen_home) if screen_home else screen.seed_library())
    finally:
        screen._Matcher = real  # type: ignore[misc]
    normalized = [screen.normalize(t) for t in texts]
    views = [
        normalized,
        [screen.normalize(screen.pinyin_view(t)) for t in texts],
        [screen.homophone_key(n) for n in normalized],
    ]
    for label, keys, view in zip(("exact", "typed pinyin", "homophone"), built, views, strict=True):
        out[f"screen {label}"] = (keys, view)

    out["name titles"] = (sorted(model_for(names_home).titles), texts)

    events = sample_events()
    needles = list(dict.fromkeys(k for e in events for k in (e.event_id, e.user_id + e.event_id)))
    out["file-scan needles (bytes)"] = ([n.encode("utf-8") for n in needles], ["\n".join(texts).encode("utf-8")])
    return out


# --- the two libraries, doing the same work ------------------------------------------------------------


def build_py(keys: Keys) -> Any:
    a = ahocorasick.Automaton()
    for i, k in enumerate(keys):
        a.add_word(k.decode("latin-1") if isinstance(k, bytes) else k, i)
    a.make_automaton()
    return a


def build_rs(keys: Keys) -> Any:
    if keys and isinstance(keys[0], bytes):
        return ahocorasick_rs.BytesAhoCorasick(keys)
    return ahocorasick_rs.AhoCorasick(keys)


def match_py(a: Any, text: Any) -> list[tuple[int, int]]:
    s = text.decode("latin-1") if isinstance(text, bytes) else text
    return [(i, end + 1) for end, i in a.iter(s)]


def match_rs(a: Any, text: Any) -> list[tuple[int, int]]:
    return [(i, e) for i, _, e in a.find_matches_as_indexes(text, overlapping=True)]


LIBS: dict[str, tuple[Callable[[Keys], Any], Callable[[Any, Any], list[tuple[int, int]]]]] = {
    "pyahocorasick": (build_py, match_py),
    "ahocorasick-rs": (build_rs, match_rs),
}


def _nbytes(t: Any) -> int:
    return len(t) if isinstance(t, bytes) else len(t.encode("utf-8", "surrogatepass"))


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(keys: Keys, texts: list[Any], rounds: int) -> dict[str, dict[str, float]]:
    """Build seconds, match MB/s and matches per library; libraries take turns within each round."""
    size = sum(_nbytes(t) for t in texts)
    reps = max(1, math.ceil(MIN_BYTES / max(size, 1)))
    res: dict[str, dict[str, float]] = {lib: {"build": math.inf, "match": math.inf} for lib in LIBS}
    built = {lib: build(keys) for lib, (build, _) in LIBS.items()}
    for _ in range(rounds):
        for lib, (build, match) in LIBS.items():
            res[lib]["build"] = min(res[lib]["build"], _timed(lambda b=build: b(keys)))
            a = built[lib]
            res[lib]["match"] = min(
                res[lib]["match"], _timed(lambda a=a, m=match: [m(a, t) for _ in range(reps) for t in texts])
            )
    found = {lib: [sorted(m(built[lib], t)) for t in texts] for lib, (_, m) in LIBS.items()}
    same = found["pyahocorasick"] == found["ahocorasick-rs"]
    for lib in LIBS:
        res[lib]["mbps"] = size * reps / 1e6 / res[lib]["match"]
        res[lib]["matches"] = sum(len(f) for f in found[lib])
        res[lib]["same"] = float(same)
    res["_"] = {"mb": size * reps / 1e6, "keys": len(keys), "texts": len(texts)}
    return res


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def memory_worker(lib: str, keys_file: Path) -> None:
    raw = json.loads(keys_file.read_text(encoding="utf-8"))
    keys: Keys = [bytes.fromhex(k) for k in raw["hex"]] if "hex" in raw else raw["keys"]
    gc.collect()
    before = _rss_kb()
    a = LIBS[lib][0](keys)
    gc.collect()
    print(_rss_kb() - before)
    del a


def memory(keys: Keys, tmp: Path) -> dict[str, int]:
    f = tmp / "keys.json"
    data = {"hex": [k.hex() for k in keys]} if keys and isinstance(keys[0], bytes) else {"keys": keys}
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = {}
    for lib in LIBS:
        cmd = [sys.executable, __file__, "--memory-worker", lib, str(f)]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True, env={**os.environ})
        out[lib] = int(done.stdout.strip())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--screen-home", type=Path, help="a home with a built keyword library")
    ap.add_argument("--names-home", type=Path, help="a home with a built names resource")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--memory-worker", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_worker:
        memory_worker(args.memory_worker[0], Path(args.memory_worker[1]))
        return
    print(f"pyahocorasick {version('pyahocorasick')}, ahocorasick-rs {version('ahocorasick-rs')} "
          f"(default implementation); screen home {args.screen_home or 'none: seed library'}, names home "
          f"{args.names_home or 'none: seed model'}; best of {args.rounds}")  # fmt: skip
    head = f"{'automaton':26} {'keys':>6} {'MB/pass':>7} | {'build ms py / rs':>18} {'ratio':>6} | "
    head += f"{'memory KB py / rs':>18} {'ratio':>6} | {'match MB/s py / rs':>19} {'ratio':>6} | same matches"
    print(head)
    tot = {lib: {"build": 0.0, "match": 0.0, "mem": 0} for lib in LIBS}
    mb_total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, (keys, texts) in automata(args.screen_home, args.names_home).items():
            r = measure(keys, texts, args.rounds)
            mem = memory(keys, Path(tmp))
            py, rs = r["pyahocorasick"], r["ahocorasick-rs"]
            mb_total += r["_"]["mb"]
            for lib in LIBS:
                tot[lib]["build"] += r[lib]["build"]
                tot[lib]["match"] += r[lib]["match"]
                tot[lib]["mem"] += mem[lib]
            print(
                f"{name:26} {len(keys):6d} {r['_']['mb']:7.2f} | {py['build'] * 1e3:8.2f} / {rs['build'] * 1e3:7.2f} "
                f"{py['build'] / rs['build']:5.1f}x | {mem['pyahocorasick']:8d} / {mem['ahocorasick-rs']:7d} "
                f"{mem['pyahocorasick'] / max(mem['ahocorasick-rs'], 1):5.1f}x | {py['mbps']:8.1f} / {rs['mbps']:8.1f} "
                f"{rs['mbps'] / py['mbps']:5.1f}x | {'yes' if py['same'] else 'NO'} ({int(py['matches'])} matches)"
            )
    p, s = tot["pyahocorasick"], tot["ahocorasick-rs"]
    print(
        f"{'all':26} {'':6} {mb_total:7.2f} | {p['build'] * 1e3:8.2f} / {s['build'] * 1e3:7.2f} "
        f"{p['build'] / s['build']:5.1f}x | {p['mem']:8d} / {s['mem']:7d} {p['mem'] / max(s['mem'], 1):5.1f}x | "
        f"{mb_total / p['match']:8.1f} / {mb_total / s['match']:8.1f} {p['match'] / s['match']:5.1f}x |"
    )
    print("ratios: pyahocorasick / ahocorasick-rs for build time and memory, ahocorasick-rs / pyahocorasick for speed")


if __name__ == "__main__":
    main()
