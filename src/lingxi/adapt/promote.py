"""Switching a feature's route to its adapted model — only when the bake-off shows a win.

``lingxi adapt promote`` reads a comparison report (:mod:`lingxi.bakeoff.adapted`) and, only if the lower
bound of the confidence interval on the quality difference (adapted − base) is above zero, writes a route
``feature → [adapted, base]`` to ``HOME/adapt/routes.json``; the facade puts these rules before the ones in
``lingxi.toml`` (the operator can still remove the file or ``lingxi adapt demote``). No win, no route: the
refusal says by how much the interval misses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lingxi.errors import InvalidInput, PolicyForbidden

__all__ = ["demote", "promote", "promoted_routes"]


def _path(home: Path) -> Path:
    return home / "adapt" / "routes.json"


def promoted_routes(home: Path) -> dict[str, dict[str, Any]]:
    """feature → {"candidates": [adapted, base], "ci_low": …, "report": …} for every promoted feature."""
    path = _path(home)
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data) if isinstance(data, dict) else {}


def promote(home: Path, report_path: Path) -> dict[str, Any]:
    """Write the route for the report's feature if it shows a win; raise :class:`PolicyForbidden` otherwise."""
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
        feature, base, adapted = report["feature"], report["base"]["model"], report["adapted"]["model"]
        low, high = report["quality_diff"]["ci_low"], report["quality_diff"]["ci_high"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(
            f"{report_path}: not a comparison report ({exc})",
            message_zh=f"不是有效的对比报告：{report_path}",
            hint="run `lingxi adapt bakeoff` first",
        ) from exc
    if not low > 0:
        raise PolicyForbidden(
            f"{adapted} does not beat {base} on {feature}: the 95% CI of the quality difference is "
            f"[{low:+.3f}, {high:+.3f}], its lower bound is not above 0; the route is unchanged",
            message_zh=f"{adapted} 在「{feature}」上没有显著胜过 {base}"
            f"（质量差的 95% 置信区间 [{low:+.3f}, {high:+.3f}]，下限不大于 0），路由保持不变",
        )
    routes = promoted_routes(home)
    routes[feature] = {"candidates": [adapted, base], "ci_low": low, "ci_high": high, "report": str(report_path)}
    _path(home).parent.mkdir(parents=True, exist_ok=True)
    _path(home).write_text(json.dumps(routes, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return routes[feature]


def demote(home: Path, feature: str) -> bool:
    """Remove the feature's promoted route; True if there was one."""
    routes = promoted_routes(home)
    if routes.pop(feature, None) is None:
        return False
    _path(home).write_text(json.dumps(routes, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return True
