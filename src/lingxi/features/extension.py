"""Features from plug-ins: ``lx.extensions`` and ``POST /v1/features/ext/{name}``, through the one request path.

A plug-in feature is the same shape as every built-in one — a :class:`~lingxi.pipeline.Feature` (name, consent
scopes, a context query, a prompt) plus ``finish``, the parser that turns the pipeline's answer into a JSON
result — so it gets the consent gate, minors mode, input and output screening, routing by privacy class,
egress redaction, AI labels and audit without writing any of them, and a new feature needs no edit to lingxi.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from lingxi import plugins
from lingxi.context.consented import EventReader
from lingxi.context.events import Event
from lingxi.errors import InvalidInput, NotFound
from lingxi.models.base import Message, Task
from lingxi.pipeline import Answer, Turn
from lingxi.privacy.consent import Scope

if TYPE_CHECKING:
    from lingxi.features.host import Gateway

_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")
MAX_INPUT_JSON = 32_000  # characters of JSON, like a chat message's content


@runtime_checkable
class ExtensionFeature(Protocol):
    """What a plug-in registers through ``register_features``."""

    @property
    def name(self) -> str:
        """Lower-case, ``[a-z0-9_.-]``; served at ``/v1/features/ext/{name}`` and named so in audit records."""
        ...

    @property
    def scopes(self) -> frozenset[Scope]: ...

    def select_context(self, store: EventReader, turn: Turn) -> list[Event] | Awaitable[list[Event]]: ...

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]: ...

    def finish(self, turn: Turn, answer: Answer) -> dict[str, Any]:
        """The JSON result (the caller also gets ``answer``: who answered, label, verdicts, audit id)."""
        ...


def load() -> dict[str, ExtensionFeature]:
    """The installed plug-ins' features by name, checked."""
    out: dict[str, ExtensionFeature] = {}
    for feature in plugins.collect("register_features"):
        if not isinstance(feature, ExtensionFeature):
            raise InvalidInput(
                f"plug-in feature {type(feature).__name__} lacks name/scopes/select_context/build_prompt/finish",
                message_zh=f"插件功能 {type(feature).__name__} 不完整（需要 name、scopes、上下文、提示词与 finish）",
            )
        if not _NAME.match(feature.name) or feature.name in out:
            raise InvalidInput(
                f"plug-in feature name {feature.name!r} is invalid or registered twice",
                message_zh=f"插件功能名称 {feature.name!r} 无效或重复",
            )
        out[feature.name] = feature
    return out


class Extensions:
    """``lx.extensions``: run a plug-in feature by name (``a…`` coroutine plus a sync wrapper)."""

    def __init__(self, lx: Gateway) -> None:
        self._lx = lx
        self._features = load()

    def names(self) -> list[str]:
        return sorted(self._features)

    def get(self, name: str) -> ExtensionFeature:
        if name not in self._features:
            known = "、".join(self.names()) or "（无）"
            raise NotFound(
                f"no plug-in feature named {name!r}", message_zh=f"没有名为 {name} 的插件功能；已安装：{known}"
            )
        return self._features[name]

    def prepare(
        self, name: str, inputs: dict[str, Any], *, user_id: str = "local", model: str | None = None
    ) -> tuple[Turn, Callable[[Turn, Answer], dict[str, Any]]]:
        """The turn for feature ``name`` and its ``finish`` (HTTP uses both to answer or stream)."""
        feature = self.get(name)
        if len(json.dumps(inputs, ensure_ascii=False, default=str)) > MAX_INPUT_JSON:
            raise InvalidInput(
                f"inputs are over {MAX_INPUT_JSON} characters of JSON", message_zh=f"输入超过 {MAX_INPUT_JSON} 字符"
            )
        turn = self._lx.turn(feature, user_id, model=model, inputs=dict(inputs))
        return turn, feature.finish

    async def arun(
        self, name: str, inputs: dict[str, Any], *, user_id: str = "local", model: str | None = None
    ) -> dict[str, Any]:
        turn, finish = self.prepare(name, inputs, user_id=user_id, model=model)
        answer = await self._lx.acomplete(turn)
        return finish(turn, answer)

    def run(
        self, name: str, inputs: dict[str, Any], *, user_id: str = "local", model: str | None = None
    ) -> dict[str, Any]:
        return asyncio.run(self.arun(name, inputs, user_id=user_id, model=model))
