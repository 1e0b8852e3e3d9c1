"""What the self-assessment needs of the installation it assesses, so it does not import the facade above it.

:mod:`lingxi.compliance.assessment` asks every prompt through the service's own chat path and judges the
answers with the service's own screener; the facade (:class:`~lingxi.facade.Lingxi`) satisfies
:class:`AssessedService` structurally, and its ``Answer`` satisfies :class:`AssessedAnswer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from lingxi.ports import Configured, Consented

if TYPE_CHECKING:
    from lingxi.compliance.layers import LayeredScreener
    from lingxi.compliance.screen import ScreenResult
    from lingxi.models.base import Message
    from lingxi.models.router import Router


class AssessedAnswer(Protocol):
    """What the assessment reads of one answer (the pipeline's ``Answer`` has these and more)."""

    @property
    def text(self) -> str: ...
    @property
    def refused(self) -> bool: ...
    @property
    def model_kind(self) -> str | None: ...
    @property
    def input_screen(self) -> ScreenResult: ...
    @property
    def output_screen(self) -> ScreenResult: ...


class AssessedService(Configured, Consented, Protocol):
    """The installation assessed: its chat path end to end, its screener, router and home (the facade)."""

    @property
    def screener(self) -> LayeredScreener: ...
    @property
    def router(self) -> Router: ...
    def chat(
        self, messages: Sequence[Message], *, user_id: str = "local", model: str | None = None
    ) -> AssessedAnswer: ...
