"""The layout rules of docs/architecture.md that `lint-imports` does not check by itself.

`lint-imports` (``make lint``) checks that imports point down the layer order in ``[tool.importlinter]``.
These tests keep that contract meaningful: it lists every top-level module (an unlisted one would sit
above everything, unchecked), it tolerates no upward import (no ``ignore_imports``), and no module grows past
the 400 lines the house rules allow. The console entry points keep working after the package moves.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "lingxi"
MAX_LINES = 400
#: top-level modules deliberately outside the layer order: the package root (lazy public re-exports), the
#: plug-in hooks (pluggy: imported from several layers, imports only lingxi.errors) and a data folder
UNLISTED = {"lingxi", "lingxi.plugins", "lingxi.data"}


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _layered(contract: dict[str, object]) -> set[str]:
    layers = contract["layers"]
    assert isinstance(layers, list)
    return {name.strip() for layer in layers for name in layer.replace(":", "|").split("|")}


def test_the_layer_contract_lists_every_top_level_module() -> None:
    listed = _layered(_contracts()[0])
    top = {f"lingxi.{p.stem}" for p in SRC.glob("*.py") if p.stem != "__init__"}
    top |= {f"lingxi.{p.name}" for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    covered = {m for m in top if m in listed or any(name.startswith(m + ".") for name in listed)}
    assert top - covered - UNLISTED == set(), "add the new module to a layer in pyproject's [tool.importlinter]"


def test_the_layer_contracts_tolerate_no_upward_import() -> None:
    for contract in _contracts():
        assert not contract.get("ignore_imports"), contract["name"]


def test_no_module_is_longer_than_the_house_limit() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these modules by job (at most {MAX_LINES} lines each)"


def test_python_dash_m_lingxi_cli_runs_the_command_line() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "lingxi.cli", "--version"], capture_output=True, text=True, timeout=120, check=False
    )
    assert r.returncode == 0 and r.stdout.strip(), r.stderr
