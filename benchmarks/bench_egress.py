"""Egress probe: how much personal data reaches a cloud upstream, across chat and every feature endpoint.

A recording OpenAI-compatible server on loopback plays the cloud vendor; ``tests/egress_probe.py`` (see its
docstring for the protocol) configures it as the default model, plants PII in the sample user's messages in
full-width, zero-width and separated forms, and calls every model-using endpoint over HTTP, first without
and then with the user's ``cloud_processing`` consent. Printed: upstream requests, requests made without
consent, request bodies holding each planted value raw, the sample user's own recognizer-found values and
contact names seen raw, and each endpoint's HTTP status (without consent / with consent).

Run: ``.venv/bin/python benchmarks/bench_egress.py [--baseline /work/main]``. With ``--baseline`` the same
probe (this tree's tests/) also runs on that checkout's ``src`` and the counts are printed side by side.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from egress_probe import probe


def measure() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        return dataclasses.asdict(probe(Path(tmp) / "home"))


def _rows(r: dict[str, Any]) -> dict[str, str]:
    rows = {
        "upstream requests": str(r["requests"]),
        "requests without cloud_processing": str(r["without_consent"]),
        "raw planted PII (bodies), total": str(sum(r["raw_pii"].values())),
    }
    rows |= {f"  raw {typ}": str(n) for typ, n in r["raw_pii"].items()}
    rows["sample user's own values raw"] = str(r["sample_values"])
    rows["sample user's contact names raw"] = str(r["contact_names"])
    rows |= {f"status {name}": "/".join(map(str, s)) for name, s in r["statuses"].items()}
    return rows


def _run(src: Path) -> dict[str, Any]:
    """The probe's report with ``src`` as the code under test."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, __file__, "--json"], env=env, check=True, capture_output=True, text=True)
    report: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return report


def _width(text: str) -> int:
    return sum(2 if ord(c) > 127 else 1 for c in text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", type=Path, help="another checkout (e.g. /work/main) to compare against")
    ap.add_argument("--json", action="store_true", help="print the report as JSON (used for --baseline)")
    args = ap.parse_args()
    if args.json:
        print(json.dumps(measure(), ensure_ascii=False))
        return
    # this tree's code runs in a subprocess too, with its own src first: in a worktree the virtual
    # environment's lingxi may be another checkout's (an in-process run measured that one instead)
    mine = _run(Path(__file__).resolve().parents[1] / "src")
    base = _rows(_run(args.baseline.resolve() / "src")) if args.baseline else {}
    rows = _rows(mine)
    print(f"{'':<40}{'baseline':>12}{'this':>12}")
    for key in rows | base:
        print(f"{key}{' ' * max(1, 40 - _width(key))}{base.get(key, '—'):>12}{rows.get(key, '—'):>12}")


if __name__ == "__main__":
    main()
