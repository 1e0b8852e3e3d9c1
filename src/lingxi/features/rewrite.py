"""Rewrite a text in another tone: 正式, 友好, 简洁 or 专业.

On a language model this is a prompt per tone that insists on keeping every fact, name and number. On the
lite tier it is an honest rule-based rewrite (no language model): one table of regular-expression rules per
tone, applied in order by a single mechanism (:func:`rule_rewrite`). The tables are deliberately small and
only make edits that cannot change a fact:

* 正式 — colloquial words to their standard forms (咋→怎么, 啥→什么, 搞定→完成, 搞不完→无法完成,
  能不能→能否 ...), and drops sentence-final particles (吧/啦/呗/哈/啊).
* 友好 — softens orders (必须→需要, 马上→尽快, 不准→请不要) and thanks the reader when the text does not.
* 简洁 — drops filler words (其实, 那个, 就是说, 然后, 基本上 ...) and collapses repeated words and marks.
* 专业 — full-width punctuation between Chinese characters, no emoji, no sentence-final 语气词 (啦/哈/呀/哦/啊).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from lingxi.errors import InvalidInput
from lingxi.features.writing_base import NO_SCOPES, WritingResult, answer_body, method_of, no_context, turn_text
from lingxi.models.base import Document, Message, Task
from lingxi.pipeline import Answer, Turn
from lingxi.privacy.consent import Scope
from lingxi.text_script import ScriptView

Tone = Literal["正式", "友好", "简洁", "专业"]
TONES: dict[str, Tone] = {
    "正式": "正式",
    "formal": "正式",
    "友好": "友好",
    "friendly": "友好",
    "简洁": "简洁",
    "concise": "简洁",
    "专业": "专业",
    "professional": "专业",
}

Rule = tuple[str, str]  # (regular expression, replacement)

_CJK = r"\u4e00-\u9fff"
_END = r"(?=[，。！？,.!?~～\s]|$)"
EMOJI = r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]"  # pictographs, symbols, VS16, ZWJ
#: Half-width marks between Chinese characters (or at the end after one) → full-width.
PUNCT_RULES: tuple[Rule, ...] = tuple(
    (rf"(?<=[{_CJK}]){re.escape(half)}(?=[{_CJK}“「]|\s*$|\n)", full)
    for half, full in ((",", "，"), (".", "。"), ("?", "？"), ("!", "！"), (":", "："), (";", "；"))
)
#: Run after every tone: collapse marks the rules left doubled, and stray commas before an end mark.
CLEANUP: tuple[Rule, ...] = (
    (r"([，。！？；、])\1+", r"\1"),
    (r"[，、](?=[。！？])", ""),
    (r"^[，、。]+", ""),
    (r"[ \t]{2,}", " "),
)

#: Colloquial words → standard written forms (正式 and 专业).
FORMAL_WORDS: tuple[Rule, ...] = (
    (r"有木有", "有没有"),
    (r"木有", "没有"),
    (r"咋样", "怎么样"),
    (r"咋", "怎么"),
    (r"啥", "什么"),
    (r"神马", "什么"),
    (r"搞定", "完成"),
    (r"俺们", "我们"),
    (r"俺", "我"),
    (r"咱们", "我们"),
    (r"甭", "不用"),
    (r"挺好", "很好"),
    (r"好滴|好哒|嗯嗯", "好的"),
    (r"靠谱", "可靠"),
    (r"给力", "出色"),
    (r"酱紫", "这样"),
    (r"搞不完|搞不定", "无法完成"),
    (r"能不能", "能否"),
    (r"是不是", "是否"),
)

TONE_RULES: dict[Tone, tuple[Rule, ...]] = {
    "正式": (
        *FORMAL_WORDS,
        (rf"(?<=[{_CJK}])(吧|啦|呗|哈|啊)+{_END}", ""),
        (r"[~～]+", ""),
        *PUNCT_RULES,
    ),
    "友好": (
        (r"必须", "需要"),
        (r"立即|立刻|马上|赶紧", "尽快"),
        (r"不准|不许|禁止", "请不要"),
        (r"你们", "大家"),
        (r"(?s)^(?!.*谢)(.*?)[。！!~～\s]*$", r"\1，谢谢！"),
    ),
    "简洁": (
        (r"其实|那个|就是说|然后|基本上|总的来说|说实话|怎么说呢|嗯+|呃+|啊+(?=[，,])", ""),
        (rf"([{_CJK}]{{2,4}})\1+", r"\1"),
        (r"([！？!?~～])\1+", r"\1"),
        (r"[~～]+", ""),
        *PUNCT_RULES,
    ),
    "专业": (
        (EMOJI, ""),
        *FORMAL_WORDS,
        (rf"(?<=[{_CJK}])(啦|哈|呀|哦|嘛|哒|噢|滴|吧|啊)+{_END}", ""),
        (r"[~～]+", ""),
        (r"([！？!?])\1+", r"\1"),
        *PUNCT_RULES,
    ),
}

_DESCRIPTION: dict[Tone, str] = {
    "正式": "正式、书面的语气（用规范用语，去掉口语词）",
    "友好": "友好、亲切、礼貌的语气（语气柔和，不生硬）",
    "简洁": "简洁的表达（删去冗余和口头禅，尽量缩短）",
    "专业": "专业、客观的语气（用规范标点，不用表情符号和语气词）",
}


def parse_tone(value: object) -> Tone:
    tone = TONES.get(str(value or "正式").strip().lower())
    if tone is None:
        raise InvalidInput(
            f"unknown tone {value!r}; use 正式/友好/简洁/专业 or formal/friendly/concise/professional",
            message_zh=f"未知的语气 {value!r}，可选：正式、友好、简洁、专业",
        )
    return tone


def rule_rewrite(text: str, tone: Tone) -> str:
    """The rule-based rewrite: the tone's table, then :data:`CLEANUP`, each rule one ``re.sub`` (no LLM)."""
    for pattern, replacement in (*TONE_RULES[tone], *CLEANUP):
        text = re.sub(pattern, replacement, text, flags=re.MULTILINE)
    return text.strip()


class RewriteResult(WritingResult):
    text: str
    tone: str
    original: str


@dataclass
class RewriteTool:
    """Rewrite ``turn.inputs['text']`` in ``turn.inputs['tone']``."""

    name: str = "writing.rewrite"
    scopes: frozenset[Scope] = field(default=NO_SCOPES)
    select_context = staticmethod(no_context)

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        text = turn_text(turn)
        tone = parse_tone(turn.inputs.get("tone"))
        system = (
            f"你是中文写作助手。请把用户给出的文本改写成{_DESCRIPTION[tone]}。"
            "必须保留原文的全部事实、人名、地名、数字、日期和金额，不要添加原文没有的信息。只输出改写后的文本。"
        )
        messages = [Message(role="system", content=system), Message(role="user", content=text)]
        return messages, Task(kind="compose", documents=[Document(text=rule_rewrite(text, tone))])

    def finish(self, turn: Turn, answer: Answer, view: ScriptView) -> RewriteResult:
        return RewriteResult(
            text=view.restore(answer_body(answer)),
            tone=parse_tone(turn.inputs.get("tone")),
            original=view.original,
            script=view.script,
            method=method_of(answer),
            answer=answer,
        )
