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
    from lingxi.facade import Lingxi
    from lingxi.models.base import ChatChunk, ChatModel, ChatRequest, ChatResult, Message, ModelInfo, Task
    from lingxi.pipeline import Answer, Options
    from lingxi.privacy.consent import Scope

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
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value  # once loaded, a plain attribute
        return value
    raise AttributeError(f"module 'lingxi' has no attribute {name!r}")


__all__ = [
    "Answer",
    "ChatChunk",
    "ChatModel",
    "ChatRequest",
    "ChatResult",
    "ConsentRequired",
    "InvalidInput",
    "Lingxi",
    "LingxiError",
    "Message",
    "ModelInfo",
    "ModelNotFound",
    "ModelUnavailable",
    "NotFound",
    "Options",
    "Scope",
    "Task",
    "__version__",
]
