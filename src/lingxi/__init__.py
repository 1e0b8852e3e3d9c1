"""灵犀 lingxi: personal AI features in Chinese, on device or in the cloud, private and compliant.

The public API is re-exported here; the modules behind it are implementation details. The heavy ones (the
facade pulls in jieba, numpy, the screening libraries) load on first use (PEP 562), so importing a light
module such as ``lingxi.errors`` — and ``lingxi --help`` — does not pay for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from lingxi.__about__ import __version__
from lingxi.errors import (
    ConsentRequired,
    InvalidInput,
    LingxiError,
    ModelNotFound,
    ModelUnavailable,
    NotFound,
)

if TYPE_CHECKING:
    from lingxi.compliance.screen import Term
    from lingxi.context.consented import EventReader
    from lingxi.context.events import Event
    from lingxi.facade import Lingxi
    from lingxi.features.extension import ExtensionFeature
    from lingxi.features.tools import AppTool
    from lingxi.models.base import ChatChunk, ChatModel, ChatRequest, ChatResult, Document, Message, ModelInfo, Task
    from lingxi.pipeline import Answer, Options, Turn
    from lingxi.plugins import hookimpl
    from lingxi.privacy.consent import Scope
    from lingxi.privacy.pii_types import Recognizer, Span

_LAZY = {
    "Lingxi": "lingxi.facade",
    "ChatChunk": "lingxi.models.base",
    "ChatModel": "lingxi.models.base",
    "ChatRequest": "lingxi.models.base",
    "ChatResult": "lingxi.models.base",
    "Message": "lingxi.models.base",
    "ModelInfo": "lingxi.models.base",
    "Task": "lingxi.models.base",
    "Answer": "lingxi.pipeline",
    "Options": "lingxi.pipeline",
    "Scope": "lingxi.privacy.consent",
    # extension points (lingxi.plugins): what a plug-in implements and registers
    "hookimpl": "lingxi.plugins",
    "AppTool": "lingxi.features.tools",
    "Document": "lingxi.models.base",
    "Event": "lingxi.context.events",
    "EventReader": "lingxi.context.consented",
    "ExtensionFeature": "lingxi.features.extension",
    "Recognizer": "lingxi.privacy.pii_types",
    "Span": "lingxi.privacy.pii_types",
    "Term": "lingxi.compliance.screen",
    "Turn": "lingxi.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value  # once loaded, a plain attribute
        return value
    raise AttributeError(f"module 'lingxi' has no attribute {name!r}")


__all__ = [
    "Answer",
    "AppTool",
    "ChatChunk",
    "ChatModel",
    "ChatRequest",
    "ChatResult",
    "ConsentRequired",
    "Document",
    "Event",
    "EventReader",
    "ExtensionFeature",
    "InvalidInput",
    "Lingxi",
    "LingxiError",
    "Message",
    "ModelInfo",
    "ModelNotFound",
    "ModelUnavailable",
    "NotFound",
    "Options",
    "Recognizer",
    "Scope",
    "Span",
    "Task",
    "Term",
    "Turn",
    "__version__",
    "hookimpl",
]
