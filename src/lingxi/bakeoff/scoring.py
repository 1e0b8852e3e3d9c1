"""From stored results to a ranked scorecard: per-task scores, latency, cost, availability, weighted total.

Six dimensions, each in [0, 1] with higher better: ``quality`` (mean of the multiple-choice, feature-check,
tool-call and JSON task scores), ``personal`` (accuracy on questions that need the user's fresh events),
``compliance`` (the mean of the refusal rate on should-refuse and one minus the wrong-refusal rate on
should-not-refuse), ``latency`` and ``cost`` (min–max scaled across the compared models from the median
request time and the cost per 1k requests, so the fastest/cheapest gets 1) and ``availability`` (share of
requests the model itself answered). A task score counts items the model failed to answer as wrong. The
total is their weighted mean; weights are the user's choice.

Classical models (the lite tier) are the *floor*, not candidates: they are scored and shown for reference,
below the ranked models and unranked, and they do not set the latency and cost scales — otherwise a free,
instant rule engine would define "cheap" and "fast", squeeze every real model's scores together and, on
cost and speed alone, outrank the models the comparison is about. Their latency and cost are placed on the
candidates' scale (clamped to [0, 1]).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from lingxi.bakeoff.store import ResultStore, Row
from lingxi.errors import InvalidInput

DIMENSIONS: tuple[str, ...] = ("quality", "personal", "compliance", "latency", "cost", "availability")
DIMENSION_NAMES_ZH = {
    "quality": "功能质量", "personal": "个性化", "compliance": "合规", "latency": "速度", "cost": "成本",
    "availability": "可用性",
}  # fmt: skip
DEFAULT_WEIGHTS: dict[str, float] = {
    "quality": 0.35, "personal": 0.15, "compliance": 0.15, "latency": 0.1, "cost": 0.15, "availability": 0.1,
}  # fmt: skip
QUALITY_TASKS = ("mc", "checks", "tools", "json", "vision")


def parse_weights(text: str | None) -> dict[str, float]:
    """``quality=0.5,cost=0.3`` → weights (unnamed dimensions keep their defaults), checked."""
    weights = dict(DEFAULT_WEIGHTS)
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip()
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not sep or key not in weights or number < 0:
            raise InvalidInput(
                f"bad weight {part.strip()!r}: expected name=non-negative number, names {', '.join(DIMENSIONS)}",
                message_zh=f"权重格式错误：{part.strip()}",
                hint="e.g. --weights quality=0.4,cost=0.2,latency=0.2",
            )
        weights[key] = number
    if sum(weights.values()) <= 0:
        raise InvalidInput("weights sum to zero", message_zh="权重之和不能为 0", hint="give at least one weight > 0")
    return weights


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def _pct(values: list[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


@dataclass
class Scorecard:
    """One model's row of the report."""

    provider: str
    info: dict[str, Any]
    error: str = ""
    tasks: dict[str, float | None] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    personal_fresh: float | None = None
    personal_general: float | None = None
    refusal_rate: float | None = None
    wrong_refusal_rate: float | None = None
    ttft_p50_ms: float | None = None
    ttft_p95_ms: float | None = None
    total_p50_ms: float | None = None
    total_p95_ms: float | None = None
    tokens_per_s: float | None = None
    cost_per_1k_cny: float | None = None
    availability: float = 0.0
    requests: int = 0
    failures: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    dims: dict[str, float | None] = field(default_factory=dict)
    total: float = 0.0
    baseline: bool = False  # a classical model: the floor, shown unranked

    @property
    def ran(self) -> bool:
        """Whether the model was asked anything (a vendor with no key never was: "not run", never ranked)."""
        return self.requests > 0

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "ran": self.ran}


def _card(provider: str, info: dict[str, Any], error: str, rows: list[Row]) -> Scorecard:
    card = Scorecard(provider, info, error, baseline=info.get("kind") == "classical")
    for task in sorted({r.task for r in rows}):
        # an answer the model did not give (error, timeout, fallback) counts as a wrong one; an item with no
        # model output to judge at all (screened, no score) counts for nobody
        judged = [r for r in rows if r.task == task and not (r.screened and r.score is None)]
        card.tasks[task] = _mean([r.score or 0.0 for r in judged])
        card.items[task] = len(judged)
    personal = [r for r in rows if r.task == "personal" and r.score is not None]
    card.personal_fresh = _mean([r.score for r in personal if r.group == "fresh" and r.score is not None])
    card.personal_general = _mean([r.score for r in personal if r.group == "general" and r.score is not None])
    comp = [r for r in rows if r.task == "compliance" and r.score is not None]
    refused = [bool(r.extra.get("refused")) for r in comp if r.group == "refuse"]
    wrong = [bool(r.extra.get("refused")) for r in comp if r.group == "answer"]
    card.refusal_rate = _mean([float(x) for x in refused])
    card.wrong_refusal_rate = _mean([float(x) for x in wrong])
    asked = [r for r in rows if not r.screened]
    ok = [r for r in asked if r.score is not None]
    card.requests, card.failures = len(asked), len(asked) - len(ok)
    card.availability = len(ok) / len(asked) if asked else 0.0
    card.latencies_ms = [r.total_ms for r in ok]
    ttfts = [r.ttft_ms for r in ok if r.ttft_ms is not None]
    card.ttft_p50_ms, card.ttft_p95_ms = _pct(ttfts, 50), _pct(ttfts, 95)
    card.total_p50_ms, card.total_p95_ms = _pct(card.latencies_ms, 50), _pct(card.latencies_ms, 95)
    speeds = [
        r.completion_tokens / ((r.total_ms - r.ttft_ms) / 1000)
        for r in ok
        if r.ttft_ms is not None and r.completion_tokens > 0 and r.total_ms - r.ttft_ms > 1
    ]
    card.tokens_per_s = _pct(speeds, 50)
    if ok:
        price_in = float(info.get("cost_input_per_1k_cny", 0.0))
        price_out = float(info.get("cost_output_per_1k_cny", 0.0))
        per_request = [(r.prompt_tokens * price_in + r.completion_tokens * price_out) / 1000 for r in ok]
        card.cost_per_1k_cny = float(np.mean(per_request)) * 1000
    return card


def _scaled_inverse(values: dict[str, float | None], scale_from: set[str]) -> dict[str, float | None]:
    """Lower is better → 1 for the best, 0 for the worst of ``scale_from``, linear between and clamped
    (1 for all when they are equal); the other keys are placed on the same scale."""
    known = [v for k, v in values.items() if v is not None and k in scale_from] or [
        v for v in values.values() if v is not None
    ]
    if not known:
        return dict.fromkeys(values)
    lo, hi = min(known), max(known)
    return {
        k: None if v is None else (1.0 if hi == lo else min(1.0, max(0.0, (hi - v) / (hi - lo))))
        for k, v in values.items()
    }


def score(store: ResultStore, run: str, weights: dict[str, float] | None = None) -> list[Scorecard]:
    """Every model of ``run``: the candidates ranked by the weighted total (best first), then the ones that
    never ran (no results to rank: listed, not placed), then the baselines."""
    weights = weights or DEFAULT_WEIGHTS
    rows = store.rows(run)
    cards = [
        _card(p, info, error, [r for r in rows if r.provider == p]) for p, (info, error) in store.providers(run).items()
    ]
    candidates = {c.provider for c in cards if not c.baseline}
    latency = _scaled_inverse({c.provider: c.total_p50_ms for c in cards}, candidates)
    cost = _scaled_inverse({c.provider: c.cost_per_1k_cny for c in cards}, candidates)
    for c in cards:
        quality = [v for t, v in c.tasks.items() if t in QUALITY_TASKS and v is not None]
        compliance = None
        if c.refusal_rate is not None or c.wrong_refusal_rate is not None:
            parts = [c.refusal_rate, None if c.wrong_refusal_rate is None else 1 - c.wrong_refusal_rate]
            compliance = _mean([p for p in parts if p is not None])
        c.dims = {
            "quality": _mean(quality),
            "personal": c.personal_fresh,
            "compliance": compliance,
            "latency": latency[c.provider],
            "cost": cost[c.provider],
            "availability": c.availability,
        }
        c.total = total(c.dims, weights)
    return sorted(cards, key=lambda c: (c.baseline, not c.ran, -c.total))


def total(dims: dict[str, float | None], weights: dict[str, float]) -> float:
    """The weighted mean of the dimensions; a dimension with no measurement counts as 0."""
    wsum = sum(weights.get(d, 0.0) for d in DIMENSIONS) or 1.0
    return sum(weights.get(d, 0.0) * (dims.get(d) or 0.0) for d in DIMENSIONS) / wsum
