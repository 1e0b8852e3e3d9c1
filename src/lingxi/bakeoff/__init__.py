"""The vendor bake-off: the same tasks, through the real pipeline, on every candidate model, scored and reported.

Apple compared five Chinese vendors on function, cost, personalization, agility and regulatory fit before it
chose Qwen; this package makes that comparison a rerunnable command (``lingxi bakeoff run`` / ``report``).
Tasks live in :mod:`.tasks`, how each is asked and judged in :mod:`.probes`, the resumable run in
:mod:`.runner`, results in :mod:`.store`, the numbers in :mod:`.scoring` and the HTML/JSON/CSV in :mod:`.report`.
"""

from __future__ import annotations

from lingxi.bakeoff.runner import Bakeoff, RunSummary
from lingxi.bakeoff.scoring import DEFAULT_WEIGHTS, Scorecard, parse_weights, score
from lingxi.bakeoff.tasks import TASK_KINDS

__all__ = ["DEFAULT_WEIGHTS", "TASK_KINDS", "Bakeoff", "RunSummary", "Scorecard", "parse_weights", "score"]
