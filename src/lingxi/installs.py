"""Installing a resource built from licensed data into the home: versioned folder, manifest, ``CURRENT`` pointer.

Keyword libraries, name statistics and similar resources are built on the user's machine from a local copy of
their sources (never committed). Each build goes to ``<out_dir>/.<version>.tmp`` first; :func:`install` writes
its manifest, moves it to ``<out_dir>/<version>`` and then points ``<out_dir>/CURRENT`` at it, each step an
atomic rename, so a reader sees the old build or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

_COMMIT = re.compile(r"\b[0-9a-f]{40}\b")


def staging_dir(out_dir: Path, version: str) -> Path:
    """Where a build of ``version`` is written before :func:`install` moves it into place."""
    return out_dir / f".{version}.tmp"


def install(out_dir: Path, version: str, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` into the staged build, move it to ``<out_dir>/<version>``, point ``CURRENT`` at it."""
    tmp, final = staging_dir(out_dir, version), out_dir / version
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    current = out_dir / "CURRENT"
    current.with_suffix(".tmp").write_text(version + "\n", encoding="utf-8")
    os.replace(current.with_suffix(".tmp"), current)
    return final


def source_commit(src_dir: Path) -> str | None:
    """The upstream commit stated in a README beside or above the folder (the shared copy records it there)."""
    for folder in (src_dir, *src_dir.parents[:2]):
        readme = folder / "README.md"
        if readme.is_file():
            found = _COMMIT.search(readme.read_text(encoding="utf-8", errors="replace"))
            if found:
                return found.group(0)
    return None
