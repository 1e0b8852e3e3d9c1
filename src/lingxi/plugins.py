"""Extension points: packages add models, tools, PII recognizers, keywords, screen layers and features.

lingxi uses `pluggy <https://pluggy.readthedocs.io/>`_ the way ``llm`` does: a plug-in is an installed
distribution with an entry point in the ``lingxi`` group naming a module whose functions are marked
``@lingxi.hookimpl``. Each hook receives a ``register`` callback (and, where a plug-in needs them, the
settings), so the hook specifications import nothing from the layers that consume them and this module sits at
the bottom of the layer order: the privacy layer asks it for recognizers, the models layer for models, and so
on, without any upward import.

Plug-ins are code the operator installed: they run with lingxi's rights. ``LINGXI_PLUGINS`` (a comma-separated
list of entry-point names) loads only those, and ``LINGXI_PLUGINS=""`` none — the way to rule out a plug-in
when diagnosing a problem. What a plug-in registers still goes through lingxi's own rules: its models through
the router's privacy policy, its features through the consent gate, screening, egress redaction, labels and
audit like every built-in feature.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pluggy

from lingxi.errors import LingxiError

ENTRY_POINT_GROUP = "lingxi"
hookspec = pluggy.HookspecMarker("lingxi")
hookimpl = pluggy.HookimplMarker("lingxi")

log = logging.getLogger(__name__)
T = TypeVar("T")


class HookSpecs:
    """The hooks a plug-in may implement; each calls ``register`` once per thing it adds."""

    @hookspec
    def register_models(self, register: Callable[[Any], None], settings: Any) -> None:
        """Add chat models (objects implementing :class:`lingxi.ChatModel`); the router treats them like any
        other, by their ``info.locality`` (on-device or cloud) and the operator's policy rules."""

    @hookspec
    def register_tools(self, register: Callable[[Any], None]) -> None:
        """Add assistant tools (:class:`lingxi.features.tools.Tool`), offered only with their consent scopes."""

    @hookspec
    def register_pii_recognizers(self, register: Callable[[Any], None]) -> None:
        """Add PII recognizers (:class:`lingxi.privacy.pii.Recognizer`) used at the egress boundary and by
        ``lingxi privacy redact``."""

    @hookspec
    def register_keyword_sources(self, register: Callable[[Any], None]) -> None:
        """Add screening keywords (iterables of :class:`lingxi.compliance.screen.Term`) to the keyword layer."""

    @hookspec
    def register_screen_layers(self, register: Callable[[Any], None], settings: Any) -> None:
        """Add screen layers (objects with ``screen(text) -> ScreenResult`` and ``lookbehind``), run after the
        classifier and before an LLM guard."""

    @hookspec
    def register_features(self, register: Callable[[Any], None]) -> None:
        """Add features (:class:`lingxi.features.extension.ExtensionFeature`), served by
        ``lx.extensions`` and ``POST /v1/features/ext/{name}`` through the one request path."""


_lock = threading.Lock()
_manager: pluggy.PluginManager | None = None
_generation = 0  # bumped for each new manager: what callers key their caches of registered things by


def manager() -> pluggy.PluginManager:
    """The process's plug-in manager, with the installed plug-ins loaded once (see ``LINGXI_PLUGINS``)."""
    global _manager, _generation
    with _lock:
        if _manager is None:
            pm = pluggy.PluginManager("lingxi")
            pm.add_hookspecs(HookSpecs)
            _load_entry_points(pm)
            _manager, _generation = pm, _generation + 1
        return _manager


def generation() -> int:
    """Which plug-in manager is current (changes after :func:`reset`): a cache key that an ``id()`` of a freed
    manager could not be. Without the lock once a manager exists: PII redaction asks for every text."""
    if _manager is None:
        manager()
    return _generation


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    wanted = os.environ.get("LINGXI_PLUGINS")
    if wanted is None:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        return
    names = {n.strip() for n in wanted.split(",") if n.strip()}
    for name in sorted(names):
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name=name)


def reset() -> None:
    """Forget the loaded plug-ins (tests; a process that installed a plug-in while running)."""
    global _manager
    with _lock:
        _manager = None


def collect(hook: str, **kwargs: Any) -> list[Any]:
    """Everything the plug-ins register through ``hook``, in registration order.

    A plug-in that raises is reported with its name instead of breaking lingxi's start-up in an unrelated
    place: the error says which plug-in and which hook, and the operator can rule it out with
    ``LINGXI_PLUGINS``.
    """
    items: list[Any] = []
    pm = manager()
    caller = getattr(pm.hook, hook)
    for impl in caller.get_hookimpls():
        try:
            impl.function(register=items.append, **{k: v for k, v in kwargs.items() if k in impl.argnames})
        except Exception as exc:
            raise LingxiError(
                f"plug-in {impl.plugin_name!r} failed in {hook}: {type(exc).__name__}: {exc}",
                message_zh=f"插件 {impl.plugin_name!r} 在 {hook} 中出错：{exc}",
                hint="set LINGXI_PLUGINS to the plug-ins to load (empty: none) to rule it out",
            ) from exc
    return items
