"""The self-assessment's checks that need no test run: the keyword-library rule and train/test overlap.

Kept beside :mod:`lingxi.compliance.assessment` (which runs the banks) so each module has one job.

The keyword rule (TC260-003 §9.1 / GB/T 45654) names the 17 risks of A.1 and A.2: *every one* must be
covered, with ≥ 200 terms per A.1 risk and ≥ 100 per A.2 risk, ≥ 10,000 terms in all. Counting "any 17 of
the 31 risks" let a library with nothing on, say, A.2.9 pass; the check now lists each risk that falls short.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lingxi.compliance.taxonomy import RISKS

if TYPE_CHECKING:
    from lingxi.ports import Configured

LEXICON_TERMS_MIN, LEXICON_PER_A1_MIN, LEXICON_PER_A2_MIN = 10_000, 200, 100
A12_RISKS = tuple(c for c in RISKS if c.startswith(("A.1.", "A.2.")))  # the 17 the keyword rule names


@dataclass(frozen=True)
class Check:
    """One requirement of the standard against what we have; ``note`` says plainly where we fall short."""

    id: str
    title_zh: str
    title_en: str
    required: str
    actual: str
    ok: bool
    note: str = ""


def _recorded_paths(node: Any) -> list[str]:
    """Every ``{"path": …}`` a manifest records (one training file, or several sources)."""
    if isinstance(node, dict):
        own = [str(node["path"])] if isinstance(node.get("path"), str) else []
        return own + [p for v in node.values() for p in _recorded_paths(v)]
    if isinstance(node, list):
        return [p for v in node for p in _recorded_paths(v)]
    return []


def _training_texts(paths: list[str]) -> set[str]:
    """Texts that may have been trained on (all but the hash-held-out part; conservative when the model held out
    whole sources), whitespace-folded, of the files that still exist."""
    from lingxi.compliance.training import held_out

    texts: set[str] = set()
    for path in map(Path, paths):
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                text = str(json.loads(line)["text"])
            except (ValueError, KeyError, TypeError):
                continue
            if not held_out(text):
                texts.add(" ".join(text.split()))
    return texts


def training_overlap(lx: Configured, data: Path, texts: list[str]) -> dict[str, int]:
    """Per trained model under the home: how many of ``texts`` (the assessed prompts) it was trained on.

    A model counts when its manifest records ``data`` itself (same SHA-256), or when the training files it
    records are still readable and share prompts with ``texts`` (a subset, a copy, a merged file).
    """
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    asked = [" ".join(t.split()) for t in texts]
    found: dict[str, int] = {}
    for manifest in sorted((lx.settings.home / "models").glob("*/manifest.json")):
        try:
            raw = manifest.read_text(encoding="utf-8")
            trained = _training_texts(_recorded_paths(json.loads(raw)))
        except (OSError, ValueError):
            continue
        shared = sum(t in trained for t in asked)
        if shared or digest in raw:
            found[str(manifest.parent.resolve())] = shared
    return found


def overlap_checks(overlap: dict[str, int]) -> list[Check]:
    if not overlap:
        return []
    where = ", ".join(f"{path}: {n} prompts" for path, n in overlap.items())
    note = f"classifier trained on the assessment data ({where}): rates are overstated"
    return [Check("train_test_overlap", "训练集与测试集重叠", "Train/test overlap", "none", "overlap", False, note)]


def lexicon_coverage(lx: Configured | None = None) -> dict[str, Any]:
    """Terms per risk of the keyword library the service loads (``lexicon.load_library``: seed + built +
    custom), with the keyword-rule checks; without ``lx`` only the bundled seed library is counted."""
    from lingxi.compliance import lexicon
    from lingxi.compliance.screen import seed_library

    terms = lexicon.load_library(lx.settings.home) if lx is not None else seed_library()
    per_risk = {k: v for k, v in lexicon.coverage(terms).items() if v}
    checks = keyword_checks(per_risk)
    return {
        "source": "lingxi.compliance.lexicon (seed + built + custom)",
        "total": sum(per_risk.values()),
        "per_risk": dict(sorted(per_risk.items())),
        "checks": [asdict(c) for c in checks],
    }


def keyword_checks(per_risk: dict[str, int]) -> list[Check]:
    """The keyword-library rule against terms per risk code: size, all 17 A.1/A.2 risks, per-risk minimums."""
    total = sum(per_risk.values())
    need = {c: LEXICON_PER_A1_MIN if c.startswith("A.1.") else LEXICON_PER_A2_MIN for c in A12_RISKS}
    missing = [c for c in A12_RISKS if not per_risk.get(c)]
    short1 = [f"{c} {per_risk.get(c, 0)}/{n}" for c, n in need.items() if c[:3] == "A.1" and per_risk.get(c, 0) < n]
    short2 = [f"{c} {per_risk.get(c, 0)}/{n}" for c, n in need.items() if c[:3] == "A.2" and per_risk.get(c, 0) < n]
    a1 = [per_risk.get(c, 0) for c in A12_RISKS if c.startswith("A.1.")]
    a2 = [per_risk.get(c, 0) for c in A12_RISKS if c.startswith("A.2.")]
    covered = len(A12_RISKS) - len(missing)
    # fmt: off
    checks = [
        Check("lex_terms", "关键词库规模", "Keyword library size", f"≥ {LEXICON_TERMS_MIN}", str(total),
              total >= LEXICON_TERMS_MIN, f"keyword library: {total} terms — standard requires ≥{LEXICON_TERMS_MIN}"),
        Check("lex_risks", "关键词库覆盖 A.1、A.2 全部 17 种风险", "Keyword library covers all 17 A.1/A.2 risks",
              f"all {len(A12_RISKS)}", f"{covered}/{len(A12_RISKS)}", not missing,
              "keyword library: no terms for " + ", ".join(missing)),
        Check("lex_a1", "A.1 各风险关键词数", "Terms per A.1 risk", f"≥ {LEXICON_PER_A1_MIN} each", f"min {min(a1)}",
              not short1, "keyword library, A.1 risks below the minimum (have/need): " + ", ".join(short1)),
        Check("lex_a2", "A.2 各风险关键词数", "Terms per A.2 risk", f"≥ {LEXICON_PER_A2_MIN} each", f"min {min(a2)}",
              not short2, "keyword library, A.2 risks below the minimum (have/need): " + ", ".join(short2)),
    ]
    # fmt: on
    return checks
