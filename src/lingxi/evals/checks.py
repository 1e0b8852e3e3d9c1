"""What a quality check is: an input, a feature call, and a predicate on the result that must hold.

A check gets a :class:`~lingxi.facade.Lingxi` whose home already holds the bundled sample user (the caller
ran ``lx.load_sample()``) and a model name (``None``: the router's default). A check that needs other data
ingests its own events under its own user id, so checks never disturb each other. It returns a
:class:`CheckResult` saying whether what must hold held, and why not when it did not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingxi.facade import Lingxi
    from lingxi.pipeline import Answer


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    detail: str = ""  # why it failed (or a short note of what was measured), in English or Chinese
    answer: Answer | None = None  # the answer judged, when there was one (model, usage, label...)
    score: float | None = None  # optional graded score in [0, 1]; None means 1.0 if passed else 0.0

    @property
    def value(self) -> float:
        return self.score if self.score is not None else float(self.passed)


@dataclass(frozen=True)
class QualityCheck:
    name: str  # stable id, e.g. "writing.proofread.de_di_de"
    feature: str  # the feature it exercises, e.g. "writing.proofread"
    run: Callable[[Lingxi, str | None], Awaitable[CheckResult]]
    needs_llm: bool = False  # True when the lite tier cannot be expected to pass (e.g. translation)
    tags: frozenset[str] = field(default_factory=frozenset)
