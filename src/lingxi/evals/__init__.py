"""Per-feature quality checks: small Chinese test sets with what must hold, runnable on any model.

The same checks back the test suite (on the lite tier and scripted models) and the vendor bake-off (on every
configured provider). Each feature's module lists its checks in ``CHECKS``; :func:`all_checks` collects them.
"""

from __future__ import annotations

import importlib

from lingxi.evals.checks import CheckResult, QualityCheck

__all__ = ["FEATURE_CHECK_MODULES", "CheckResult", "QualityCheck", "all_checks"]

#: modules under ``lingxi.evals`` that define ``CHECKS``; a feature adds its module here
FEATURE_CHECK_MODULES: tuple[str, ...] = ("assistant", "shopping", "notifications", "replies", "writing")


def all_checks() -> list[QualityCheck]:
    """Every feature's checks, in a stable order."""
    checks: list[QualityCheck] = []
    for name in FEATURE_CHECK_MODULES:
        module = importlib.import_module(f"lingxi.evals.{name}")
        checks.extend(module.CHECKS)
    return checks
