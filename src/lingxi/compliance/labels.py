"""AI-content labels under the CAC Labeling Measures (2025-09-01) and GB 45438-2025.

Every answer gets an explicit label (text a person sees: it contains "人工智能" and "生成") and an implicit
label (machine-readable ``AIGC`` metadata for files and API responses). Output of the classical lite tier is
still machine-produced, so it is labeled too, and the label says honestly that it was extracted from the
source by an algorithm rather than written by a large model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lingxi.models.base import ModelKind

EXPLICIT_LLM = "本内容由人工智能生成"
EXPLICIT_CLASSICAL = "本内容由人工智能算法从原文中抽取生成（抽取式，非大模型撰写）"
PRODUCER = "lingxi"


@dataclass(frozen=True)
class Label:
    explicit: str
    implicit: dict[str, Any]


def label_for(kind: ModelKind, produce_id: str, producer: str = PRODUCER) -> Label:
    """The explicit text and the implicit metadata for content produced by a model of ``kind``."""
    explicit = EXPLICIT_LLM if kind is ModelKind.LLM else EXPLICIT_CLASSICAL
    implicit = {
        "AIGC": {
            "Label": "1",  # 1 = is AI-generated/synthesized content (GB 45438-2025)
            "ContentProducer": producer,
            "ProduceID": produce_id,
            "ReservedCode1": "",
            "ContentPropagator": producer,
            "PropagateID": produce_id,
            "ReservedCode2": "",
        }
    }
    return Label(explicit, implicit)
