"""Base vs adapted on a feature's held-out items: quality, latency, cost, and a CI on the difference.

Why a paired bootstrap: both models answer the same items, so the per-item difference carries the signal
and the item-to-item spread cancels; resampling items (2,000 times, fixed seed) gives a 95 % percentile
interval for the mean difference without assuming normality. ``lingxi adapt promote`` switches the route only
when the interval's lower bound is above zero (:mod:`lingxi.adapt.promote`).

Quality is the character-level F1 between the answer and the user's own text (what they accepted or edited
to; ``eval.jsonl`` from :mod:`lingxi.adapt.export`): a surface measure of "wrote what the user would have",
fixed before any run, and blind to which model wrote the answer. The items are already redacted, and the
models are called directly (as the vendor would see a training set), greedy (temperature 0).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lingxi.errors import InvalidInput
from lingxi.models.base import ChatModel, ChatRequest, Message, collect

__all__ = ["Comparison", "char_f1", "compare", "load_items", "paired_bootstrap", "render_markdown"]


def char_f1(answer: str, reference: str) -> float:
    """F1 of the multisets of non-space characters (1.0 for identical texts, 0.0 for nothing shared)."""
    a = Counter(c for c in answer if not c.isspace())
    r = Counter(c for c in reference if not c.isspace())
    common = sum((a & r).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(r.values())
    return 2 * precision * recall / (precision + recall)


def paired_bootstrap(diffs: list[float], *, n: int = 2000, seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """The ``level`` percentile interval of the mean of ``diffs`` over ``n`` resamples of the items."""
    if not diffs:
        return (0.0, 0.0)
    d = np.asarray(diffs, dtype=float)
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, len(d), size=(n, len(d)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    return float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))


def load_items(path: Path) -> list[dict[str, Any]]:
    """The evaluation items of ``eval.jsonl``, checked."""
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item["messages"], list) or not isinstance(item["reference"], str):
                raise TypeError("messages must be a list and reference a string")
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInput(
                f"{path}:{n}: not an evaluation item ({exc})", message_zh=f"{path} 第 {n} 行不是评测条目"
            ) from exc
        items.append(item)
    if not items:
        raise InvalidInput(
            f"{path}: no evaluation items", message_zh=f"{path} 中没有评测条目", hint="export more feedback"
        )
    return items


@dataclass(frozen=True)
class Side:
    model: str
    quality: float
    latency_ms_median: float
    cost_cny_per_1k_requests: float
    answered: int

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class Comparison:
    feature: str
    items: int
    base: Side
    adapted: Side
    diff: float
    ci: tuple[float, float]

    @property
    def wins(self) -> bool:
        return self.ci[0] > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "items": self.items,
            "base": self.base.to_json(),
            "adapted": self.adapted.to_json(),
            "quality_diff": {"mean": self.diff, "ci_low": self.ci[0], "ci_high": self.ci[1], "level": 0.95},
            "wins": self.wins,
            "metric": "character F1 against the user's own text; paired bootstrap, 2000 resamples, seed 0",
        }


async def _run(
    model: ChatModel, items: list[dict[str, Any]], max_tokens: int
) -> tuple[list[float], list[float], float]:
    scores: list[float] = []
    latencies: list[float] = []
    cost = 0.0
    info = model.info
    for item in items:
        request = ChatRequest(
            messages=[Message(role=m["role"], content=m["content"]) for m in item["messages"]],
            max_tokens=max_tokens,
            temperature=0.0,
        )
        start = time.perf_counter()
        try:
            result = await collect(model, request)
        except Exception:  # a failed answer scores 0 for this item: availability is part of quality here
            scores.append(0.0)
            continue
        latencies.append((time.perf_counter() - start) * 1000)
        scores.append(char_f1(result.text, item["reference"]))
        cost += (
            result.usage.prompt_tokens * info.cost_input_per_1k_cny
            + result.usage.completion_tokens * info.cost_output_per_1k_cny
        ) / 1000
    return scores, latencies, cost


def _side(model: ChatModel, scores: list[float], latencies: list[float], cost: float) -> Side:
    return Side(
        model=model.info.name,
        quality=float(np.mean(scores)) if scores else 0.0,
        latency_ms_median=float(np.median(latencies)) if latencies else 0.0,
        cost_cny_per_1k_requests=cost / max(1, len(scores)) * 1000,
        answered=len(latencies),
    )


def compare(
    feature: str, base: ChatModel, adapted: ChatModel, items: list[dict[str, Any]], *, max_tokens: int = 128
) -> Comparison:
    """Run both models on ``items`` (base first, then adapted) and compare them."""
    b_scores, b_lat, b_cost = asyncio.run(_run(base, items, max_tokens))
    a_scores, a_lat, a_cost = asyncio.run(_run(adapted, items, max_tokens))
    diffs = [a - b for a, b in zip(a_scores, b_scores, strict=True)]
    return Comparison(
        feature=feature,
        items=len(items),
        base=_side(base, b_scores, b_lat, b_cost),
        adapted=_side(adapted, a_scores, a_lat, a_cost),
        diff=float(np.mean(diffs)),
        ci=paired_bootstrap(diffs),
    )


def render_markdown(c: Comparison) -> str:
    """The side-by-side report (also what the CLI prints)."""
    verdict = (
        "adapted wins: the CI's lower bound is above 0 (可以切换路由)"
        if c.wins
        else "no proven win: the CI includes 0 or is below it (不切换路由)"
    )
    rows = [
        f"# Bake-off: base vs adapted on `{c.feature}` ({c.items} held-out items)",
        "",
        "| | model | quality (char F1) | median latency (ms) | cost (CNY / 1k requests) | answered |",
        "|---|---|---|---|---|---|",
    ]
    for label, s in (("base", c.base), ("adapted", c.adapted)):
        rows.append(
            f"| {label} | {s.model} | {s.quality:.3f} | {s.latency_ms_median:.1f} | "
            f"{s.cost_cny_per_1k_requests:.3f} | {s.answered}/{c.items} |"
        )
    rows += [
        "",
        f"Quality difference (adapted − base): {c.diff:+.3f}, 95% CI [{c.ci[0]:+.3f}, {c.ci[1]:+.3f}] "
        "(paired bootstrap, 2000 resamples).",
        "",
        f"Verdict: {verdict}.",
        "",
    ]
    return "\n".join(rows)
