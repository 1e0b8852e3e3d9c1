"""灵犀 lingxi: personal AI features in Chinese, on device or in the cloud, private and compliant.

The public API is re-exported here; the modules behind it are implementation details.
"""

from lingxi.__about__ import __version__
from lingxi.errors import (
    ConsentRequired,
    InvalidInput,
    LingxiError,
    ModelNotFound,
    ModelUnavailable,
    NotFound,
)
from lingxi.facade import Lingxi
from lingxi.models.base import ChatChunk, ChatModel, ChatRequest, ChatResult, Message, ModelInfo, Task
from lingxi.pipeline import Answer, Options
from lingxi.privacy.consent import Scope

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
