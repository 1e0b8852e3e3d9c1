"""The playground's feature list: one entry per endpoint, so a new feature is one line here.

``fields`` name the request members the playground asks for (labels come from the ``field_<name>`` strings);
entries that go through one model turn also take the generation parameters (``PARAMS``: system instructions,
temperature, max tokens — :class:`lingxi.server.feature_stream.GenerationParams`);
``user_id``, ``model`` and ``stream`` are filled in by the page from the sign-in box and the model picker.
Entries whose endpoint the running app does not serve are hidden (see :func:`available`), so planned
features appear as soon as their router is included.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class PlaygroundFeature:
    id: str
    zh: str
    en: str
    method: Literal["POST", "GET"]
    path: str
    fields: tuple[str, ...] = ()
    kind: Literal["chat", "feature"] = "feature"
    defaults: tuple[tuple[str, str], ...] = ()


PARAMS = ("system", "temperature", "max_tokens")
_W = ("text", *PARAMS)
FEATURES: tuple[PlaygroundFeature, ...] = (
    PlaygroundFeature("chat", "对话", "Chat", "POST", "/v1/chat/completions",
                      ("message", *PARAMS), kind="chat"),
    PlaygroundFeature("notifications_summary", "通知摘要", "Notification summary", "POST",
                      "/v1/features/notifications/summary", ("now",)),
    PlaygroundFeature("notifications_conversations", "会话摘要", "Conversation summary", "POST",
                      "/v1/features/notifications/conversations", ("now", *PARAMS)),
    PlaygroundFeature("notifications_digest", "错过了什么", "What I missed", "POST",
                      "/v1/features/notifications/digest", ("now", *PARAMS)),
    PlaygroundFeature("rewrite", "改写", "Rewrite", "POST", "/v1/features/writing/rewrite", ("text", "tone", *PARAMS)),
    PlaygroundFeature("proofread", "校对", "Proofread", "POST", "/v1/features/writing/proofread", _W),
    PlaygroundFeature("summarize", "摘要", "Summarize", "POST", "/v1/features/writing/summarize", _W),
    PlaygroundFeature("key_points", "要点", "Key points", "POST", "/v1/features/writing/key_points", _W),
    PlaygroundFeature("table", "转表格", "To table", "POST", "/v1/features/writing/table", _W),
    PlaygroundFeature("translate", "翻译", "Translate", "POST", "/v1/features/writing/translate",
                      ("text", "target", *PARAMS),
                      defaults=(("target", "en"),)),
    PlaygroundFeature("replies", "回复建议", "Reply suggestions", "POST", "/v1/features/replies",
                      ("conversation_id", "now", *PARAMS)),
    PlaygroundFeature("assistant", "个人助理", "Assistant", "POST", "/v1/features/assistant",
                      ("question", "session_id", "now", *PARAMS)),
    PlaygroundFeature("recommendations", "购物推荐", "Shopping picks", "GET", "/v1/features/shopping/recommendations",
                      ("k",), defaults=(("k", "5"),)),
)  # fmt: skip


def available(openapi: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries whose method and path the app serves (read from its OpenAPI paths), as JSON for the page.

    The OpenAPI document rather than ``app.routes``: FastAPI may keep included routers as opaque wrappers.
    A templated path (``/v1/features/writing/{kind}``) serves every entry it matches: the writing tools.
    """
    served = [
        (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"), methods)
        for path, methods in openapi.get("paths", {}).items()
    ]
    return [asdict(f) for f in FEATURES if any(p.match(f.path) and f.method.lower() in m for p, m in served)]
