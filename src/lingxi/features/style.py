"""The user's texting style, learned from the messages they sent (classical statistics, no language model).

A reply suggestion only feels like the user's own when it sounds like them: 林晓雨 writes short lines, says
"好呀" rather than "好的", and rarely ends on "。". Counting a few surface features over the user's sent
messages (typical length, emoji, sentence-final particles, ！ vs 。, ~, common openers) is enough to describe
that style to a language model and to adapt the lite tier's fixed templates to it.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel, Field

PARTICLES = ("哈", "呀", "啦", "嗯", "哦", "嘛", "呢", "哟", "咯")
OPENERS = ("好的", "好呀", "好啊", "好", "行", "嗯", "哈哈", "收到", "ok", "OK", "没问题", "可以")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_END_PUNCT = "。！？!?~～，,. "
MIN_SAMPLES = 3  # fewer sent messages than this: too little to call anything a habit
HABIT = 0.2  # a feature present in at least this share of messages is a habit


class StyleProfile(BaseModel):
    """Surface features of the user's sent messages and a Chinese description of them."""

    samples: int = Field(description="sent messages counted")
    avg_length: float = Field(description="mean characters per message")
    emoji_rate: float
    emoji: str | None = Field(description="the user's most used emoji, when emoji are a habit")
    particle: str | None = Field(description="habitual sentence-final particle (哈/呀/啦/嗯/哦…)")
    particle_rate: float
    exclaim_rate: float = Field(description="share of messages with ！")
    period_rate: float = Field(description="share of messages ending with 。")
    tilde_rate: float
    openers: list[str] = Field(description="words the user often starts with, most used first")
    description_zh: str


def _final_particle(text: str) -> str | None:
    core = text.rstrip(_END_PUNCT)
    core = _EMOJI.sub("", core).rstrip(_END_PUNCT)
    return core[-1] if core and core[-1] in PARTICLES else None


def learn_style(texts: list[str]) -> StyleProfile:
    """Count style features over ``texts`` (the user's sent messages, any order)."""
    texts = [t.strip() for t in texts if t.strip()]
    n = len(texts)
    share = (lambda k: k / n) if n else (lambda k: 0.0)
    emojis = Counter(e for t in texts for e in _EMOJI.findall(t))
    particles = Counter(p for t in texts if (p := _final_particle(t)))
    openers = Counter(next((o for o in OPENERS if t.startswith(o)), "") for t in texts)
    openers.pop("", None)
    emoji_rate = share(sum(1 for t in texts if _EMOJI.search(t)))
    top_particle, particle_count = particles.most_common(1)[0] if particles else (None, 0)
    enough = n >= MIN_SAMPLES
    style = StyleProfile(
        samples=n,
        avg_length=round(sum(len(t) for t in texts) / n, 1) if n else 0.0,
        emoji_rate=round(emoji_rate, 2),
        emoji=emojis.most_common(1)[0][0] if enough and emojis and emoji_rate >= HABIT else None,
        particle=top_particle if enough and share(particle_count) >= HABIT / 2 else None,
        particle_rate=round(share(particle_count), 2),
        exclaim_rate=round(share(sum(1 for t in texts if "！" in t or "!" in t)), 2),
        period_rate=round(share(sum(1 for t in texts if t.endswith("。"))), 2),
        tilde_rate=round(share(sum(1 for t in texts if "~" in t or "～" in t)), 2),
        openers=[o for o, c in openers.most_common(3) if c >= 2] if enough else [],
        description_zh="",
    )
    return style.model_copy(update={"description_zh": describe(style)})


def describe(style: StyleProfile) -> str:
    """A one-line description for the language model's prompt."""
    if style.samples < MIN_SAMPLES:
        return "用户发过的消息太少，无法判断风格：用自然、简短、礼貌的口吻。"
    parts = [f"消息一般约 {round(style.avg_length)} 个字"]
    if style.particle:
        parts.append(f"句尾常用语气词「{style.particle}」")
    if style.openers:
        parts.append("常以「" + "」「".join(style.openers) + "」开头")
    if style.emoji:
        parts.append(f"常用表情 {style.emoji}")
    elif style.emoji_rate < 0.05:
        parts.append("很少用表情")
    if style.exclaim_rate >= HABIT:
        parts.append("常用感叹号")
    parts.append("句末很少加句号" if style.period_rate < HABIT else "句末习惯加句号")
    if style.tilde_rate >= HABIT:
        parts.append("喜欢用「~」")
    return "，".join(parts) + "。"


def apply_style(text: str, style: StyleProfile | None) -> str:
    """``text`` adapted to the user's habits: drop a final 。 they never write, add their particle/emoji/~."""
    if style is None or style.samples < MIN_SAMPLES:
        return text
    out = text.strip()
    if style.period_rate < HABIT and out.endswith("。"):
        out = out[:-1]
    if style.particle and style.particle not in out and not _final_particle(out) and not out.endswith(("？", "?")):
        core = out.rstrip("！!")
        out = core + style.particle + out[len(core) :]
    if style.tilde_rate >= HABIT and not out.endswith(("~", "～")):
        out += "~"
    if style.emoji and not _EMOJI.search(out):
        out += style.emoji
    return out
