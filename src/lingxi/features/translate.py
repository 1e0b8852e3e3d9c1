"""Translation between Chinese and English, plus Simplified ↔ Traditional conversion.

The source language is detected by the share of CJK ideographs among the letters (:func:`detect_language`).
Chinese ↔ English needs a language model: the task kind is ``translate``, which no lite model offers, so with
no language model the router finds no candidate and the caller gets a clear Chinese error saying so
(:func:`needs_llm_error`). Simplified ↔ Traditional is not translation: OpenCC does it exactly, so it runs as
a ``compose`` task on the lite tier and is labeled rule-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lingxi.errors import InvalidInput, ModelUnavailable
from lingxi.features.writing_base import NO_SCOPES, WritingResult, answer_body, method_of, no_context, turn_text
from lingxi.models.base import Document, Message, Task
from lingxi.pipeline import Answer, Turn
from lingxi.privacy.consent import Scope
from lingxi.text_script import ScriptView, cjk_ratio, to_simplified, to_traditional

Target = Literal["zh", "en", "zh-Hant", "zh-Hant-TW"]
TARGETS: tuple[str, ...] = ("zh", "en", "zh-Hant", "zh-Hant-TW")
#: At or above this share of CJK letters a text is taken as Chinese.
CHINESE_RATIO = 0.3

_NAMES = {"zh": "简体中文", "en": "英文", "zh-Hant": "繁體中文", "zh-Hant-TW": "繁體中文（台灣用語）"}


def detect_language(text: str) -> Literal["zh", "en"]:
    return "zh" if cjk_ratio(text) >= CHINESE_RATIO else "en"


def resolve_target(text: str, target: str | None) -> Target:
    """The requested target, or the other language of the pair when none is given."""
    if target is None or not target.strip():
        return "en" if detect_language(text) == "zh" else "zh"
    value = {"zh-hans": "zh", "zh-cn": "zh", "zh-tw": "zh-Hant-TW", "zh-hant": "zh-Hant", "zh-hk": "zh-Hant"}.get(
        target.strip().lower(), target.strip()
    )
    if value not in TARGETS:
        raise InvalidInput(
            f"unknown target language {target!r}; use one of {', '.join(TARGETS)}",
            message_zh=f"未知的目标语言 {target!r}，可选：{'、'.join(TARGETS)}",
        )
    return value  # type: ignore[return-value]


def needs_llm_error(cause: ModelUnavailable) -> ModelUnavailable:
    """The router's "no model" error, said plainly for translation."""
    return ModelUnavailable(
        f"translation needs a language model; none is available ({cause.message})",
        message_zh="翻译需要大语言模型：轻量（lite）层只有规则与抽取式方法，不能翻译。请配置并选择一个语言模型后重试。",
        hint="configure a model (`lingxi models list`) and pass it with -m / model",
    )


class TranslateResult(WritingResult):
    text: str
    source: str
    target: str


@dataclass
class TranslateTool:
    """Translate ``turn.inputs['text']`` (the caller's original text) to ``turn.inputs['target']``."""

    name: str = "writing.translate"
    scopes: frozenset[Scope] = field(default=NO_SCOPES)
    select_context = staticmethod(no_context)

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        text = turn_text(turn)
        target = resolve_target(text, str(turn.inputs.get("target") or "") or None)
        source = detect_language(text)
        if source == "zh" and target != "en":  # a change of script: exact, by OpenCC, no model needed
            converted = to_simplified(text) if target == "zh" else to_traditional(to_simplified(text), target)
            system = f"请把用户的中文文本转换为{_NAMES[target]}，只输出转换结果。"
            task = Task(kind="compose", documents=[Document(text=converted)])
        else:
            system = (
                f"你是专业翻译。请把用户的文本翻译成{_NAMES[target]}，准确保留人名、数字、日期和金额，"
                "语言自然流畅。只输出译文，不要解释。"
            )
            task = Task(kind="translate", documents=[Document(text=text)])
        return [Message(role="system", content=system), Message(role="user", content=text)], task

    def finish(self, turn: Turn, answer: Answer, view: ScriptView) -> TranslateResult:
        text = turn_text(turn)
        target = resolve_target(text, str(turn.inputs.get("target") or "") or None)
        out = answer_body(answer)
        if target == "zh":
            out = to_simplified(out)
        elif target.startswith("zh-Hant"):
            out = to_traditional(to_simplified(out), target)
        return TranslateResult(
            text=out,
            source=detect_language(text),
            target=target,
            script="zh-Hans" if target == "zh" else target,
            method=method_of(answer),
            answer=answer,
        )
