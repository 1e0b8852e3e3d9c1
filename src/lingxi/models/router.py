"""Choosing the model for a request.

The router knows every registered model and turns (requested name, task, privacy class, cloud consent) into
an ordered list of candidates: the requested or default model first, then the always-available lite tier
as the last resort. Two rules are enforced here and nowhere else: a model is only a candidate for a task it
can do, and sensitive data never goes to an off-device model without the ``cloud_processing`` consent.
"""

from __future__ import annotations

from collections.abc import Iterable

from lingxi.errors import ModelNotFound, ModelUnavailable
from lingxi.models.base import ChatModel, Locality, ModelInfo, Task
from lingxi.privacy.classify import PrivacyClass

LITE_ALIAS = "lite"


class Router:
    """A registry of models plus the candidate policy."""

    def __init__(self, models: Iterable[ChatModel], default: str) -> None:
        self._models: dict[str, ChatModel] = {}
        for m in models:
            self.register(m)
        self.default = default

    def register(self, model: ChatModel) -> None:
        self._models[model.info.name] = model

    def infos(self) -> list[ModelInfo]:
        return [m.info for m in self._models.values()]

    def _named(self, name: str, task: Task | None) -> list[ChatModel]:
        if name == LITE_ALIAS:
            return [m for m in self._models.values() if m.info.provider == "lite" and m.info.can_do(task)]
        if name not in self._models:
            known = ", ".join(sorted([LITE_ALIAS, *self._models]))
            raise ModelNotFound(
                f"unknown model {name!r}; known: {known}",
                message_zh=f"未知的模型 {name!r}",
                hint="`lingxi models list` shows what is available",
            )
        return [self._models[name]]

    def candidates(
        self, requested: str | None, task: Task | None, privacy: PrivacyClass, cloud_ok: bool
    ) -> list[ChatModel]:
        """Ordered candidates; raises :class:`ModelUnavailable` when policy leaves none."""
        ordered = self._named(requested or self.default, task) + self._named(LITE_ALIAS, task)
        seen: set[str] = set()
        result: list[ChatModel] = []
        for m in ordered:
            if m.info.name in seen or not m.info.can_do(task):
                continue
            if m.info.locality is Locality.CLOUD and privacy is PrivacyClass.SENSITIVE and not cloud_ok:
                continue
            seen.add(m.info.name)
            result.append(m)
        if not result:
            kind = task.kind if task else "chat"
            raise ModelUnavailable(
                f"no model can do {kind!r} for this request under the current policy",
                message_zh=f"当前没有可处理该请求（{kind}）的模型",
                hint="choose another model or grant cloud_processing",
            )
        return result
