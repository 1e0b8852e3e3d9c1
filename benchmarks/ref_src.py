"""lingxi's ``src/`` as it was at a git ref, for benchmarks that run old and new code side by side.

Each such benchmark runs the old code in a fresh interpreter with the extracted folder first on ``PYTHONPATH``
(the editable install's path comes after it), so both sides read the same data in one run.
"""

from __future__ import annotations

import subprocess
import tarfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def extract_src(ref: str, dest: Path) -> Path:
    """Write ``src/`` of ``ref`` (a commit, branch or tag of this repository) under ``dest``; return
    ``dest / "src"``, the folder to put first on ``PYTHONPATH``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"
