"""AI-content labels under the CAC Labeling Measures (2025-09-01) and GB 45438-2025.

Every answer gets an explicit label (text a person sees: it contains "人工智能" and "生成") and an implicit
label (machine-readable ``AIGC`` metadata for files and API responses). Output of the classical lite tier is
still machine-produced, so it is labeled too, and the label says honestly that it was extracted from the
source by an algorithm rather than written by a large model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lingxi.errors import InvalidInput
from lingxi.models.base import ModelKind
from lingxi.policies import Filing as Filing  # re-exported: where callers always found them
from lingxi.policies import Placement as Placement

EXPLICIT_LLM = "本内容由人工智能生成"
EXPLICIT_CLASSICAL = "本内容由人工智能算法从原文中抽取生成（抽取式，非大模型撰写）"
EXPLICIT_RULES = "本内容由人工智能算法按规则计算生成（规则式，非大模型撰写）"
PRODUCER = "lingxi"  # only when the deployer configured no provider ([labels] provider_code / provider_name)


@dataclass(frozen=True)
class Label:
    explicit: str
    implicit: dict[str, Any]


def label_for(kind: ModelKind, produce_id: str, producer: str = PRODUCER, *, method: str = "") -> Label:
    """The explicit text and the implicit metadata for content produced by a model of ``kind``.

    ``producer`` is the service provider's name or code (``Settings.provider``); ``produce_id`` must be unique
    per piece of content (a request id, a UUIDv7). ``method`` is the classical model's own word for how it
    works (:attr:`ModelInfo.method`): a rule-based answer says "按规则计算", everything else classical says "抽取".
    """
    producer = producer or PRODUCER
    classical = EXPLICIT_RULES if method == "rules" else EXPLICIT_CLASSICAL
    explicit = EXPLICIT_LLM if kind is ModelKind.LLM else classical
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


# -- explicit placement ------------------------------------------------------------------------------------


def parse_placement(value: str) -> Placement:
    """A placement from settings or user input, with an error listing the valid ones."""
    try:
        return Placement(value)
    except ValueError:
        valid = ", ".join(p.value for p in Placement)
        raise InvalidInput(
            f"unknown label placement {value!r}; valid: {valid}",
            message_zh=f"未知的标识位置 {value!r}，可选：{valid}",
        ) from None


def apply_explicit(text: str, label: Label, placement: Placement = Placement.END) -> str:
    """``text`` with the explicit label where ``placement`` says; unchanged for ``interface``.

    The label is set off by a blank line so a reader (and :func:`has_explicit`) sees it as its own
    paragraph; applying twice does not add a second copy.
    """
    mark = f"【{label.explicit}】"
    if placement is Placement.INTERFACE or mark in text:
        return text
    body = text.strip("\n")
    if not body:
        return mark
    return f"{mark}\n\n{body}" if placement is Placement.START else f"{body}\n\n{mark}"


# -- validation (GB 45438-2025) ----------------------------------------------------------------------------
AIGC_KEYS = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)
LABEL_VALUES = frozenset({"1", "2", "3"})  # 1 = AI-generated; 2 = possibly; 3 = suspected (GB 45438 Annex)
# fields a producer must fill: who made it and which piece of content it is (the propagator fields are
# the propagating platform's, so they may legitimately be empty on a file that was never propagated)
REQUIRED_VALUES = {"ContentProducer": "生成合成服务提供者名称或编码", "ProduceID": "内容制作编号"}


# a negation right before "(由)人工智能/AI", or between it and 生成/合成: 「本文并非人工智能生成」,
# 「非AI生成」, 「不是由人工智能合成的」, 「人工智能未参与生成」. 「非大模型撰写」 in our classical label
# negates 大模型, not 人工智能.
_DENIAL = re.compile(
    r"(?:并非|不是|并不是|绝非|非|未|没有|无|不)(?:经|经过|由|使用|用|借助)?\s*(?:人工智能|AI)"
    r"|(?:人工智能|AI)[^，。,.；;]{0,4}?(?:未|没有|并未|不|无)(?:参与)?(?:生成|合成)",
    re.IGNORECASE,
)


def is_denial(text: str) -> bool:
    """Does ``text`` deny AI generation (which an explicit label must never do)?"""
    return bool(_DENIAL.search(text))


def is_explicit_label(text: str) -> bool:
    """Does ``text`` say what an explicit label must: 人工智能 or AI, and 生成 or 合成 — and not deny it."""
    says_ai = "人工智能" in text or re.search(r"(?<![A-Za-z])AI(?![A-Za-z])", text, re.IGNORECASE) is not None
    return says_ai and ("生成" in text or "合成" in text) and not is_denial(text)


def implicit_problems(meta: dict[str, Any] | None) -> list[str]:
    """What is wrong with an implicit label (``{"AIGC": {...}}``), in Chinese; empty when it is valid."""
    if meta is None:
        return ["缺少隐式标识（文件元数据中没有 AIGC 字段）"]
    aigc = meta.get("AIGC")
    if not isinstance(aigc, dict):
        return ["隐式标识格式错误：AIGC 应为键值对象"]
    problems = [f"隐式标识缺少字段 {key}" for key in AIGC_KEYS if key not in aigc]
    if "Label" in aigc and str(aigc["Label"]) not in LABEL_VALUES:
        problems.append(f"隐式标识 Label 取值 {aigc['Label']!r} 无效，应为 1、2 或 3")
    for key, zh in REQUIRED_VALUES.items():
        if key in aigc and not str(aigc[key] or "").strip():
            problems.append(f"隐式标识 {key}（{zh}）为空")
    return problems


# -- filing information (Interim Measures Art. 17) ---------------------------------------------------------
