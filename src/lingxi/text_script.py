"""Simplified / Traditional Chinese awareness for the text tools, on OpenCC.

The writing tools' rules and prompts are written for Simplified Chinese. Traditional input is converted to
Simplified, worked on, and the output converted back (``s2t``, or ``s2twp`` for ``zh-Hant-TW``), so a
Taiwanese or Hong Kong user gets their own script back. Offsets must keep pointing into the caller's text,
so :func:`simplified_view` never changes the length: it uses OpenCC's phrase conversion when that keeps the
length (nearly always) and falls back to converting character by character otherwise.

Offsets everywhere are Python ``str`` indices, i.e. Unicode code points (an emoji is one, not two UTF-16
units); JavaScript clients must convert.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import opencc

Script = Literal["zh-Hans", "zh-Hant", "zh-Hant-TW"]
SCRIPTS: tuple[str, ...] = ("zh-Hans", "zh-Hant", "zh-Hant-TW")


@lru_cache(maxsize=8)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def is_cjk(ch: str) -> bool:
    """A CJK unified ideograph (basic block and extension A)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def cjk_ratio(text: str) -> float:
    """Share of CJK ideographs among the letters of ``text`` (0 when it has no letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(map(is_cjk, letters)) / len(letters) if letters else 0.0


def to_simplified(text: str) -> str:
    return str(_converter("t2s").convert(text))


def to_traditional(text: str, script: str = "zh-Hant") -> str:
    return str(_converter("s2twp" if script == "zh-Hant-TW" else "s2t").convert(text))


def detect_script(text: str) -> Literal["zh-Hans", "zh-Hant"]:
    """``zh-Hant`` when converting to Simplified changes more characters than converting to Traditional."""
    to_s = sum(a != b for a, b in zip(text, to_simplified(text), strict=False))
    to_t = sum(a != b for a, b in zip(text, to_traditional(text), strict=False))
    return "zh-Hant" if to_s > to_t else "zh-Hans"


def simplified_view(text: str) -> str:
    """``text`` in Simplified with exactly the same length, so index ``i`` means the same place in both."""
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    chars = [to_simplified(ch) for ch in text]
    return "".join(c if len(c) == 1 else ch for c, ch in zip(chars, text, strict=True))


@dataclass(frozen=True)
class ScriptView:
    """The caller's text, the Simplified text the tools work on, and how to turn outputs back."""

    original: str
    simplified: str
    script: str  # the script outputs are given in

    @classmethod
    def of(cls, text: str, script: str | None = None) -> ScriptView:
        """Detect the script unless ``script`` names one (``zh-Hans``, ``zh-Hant`` or ``zh-Hant-TW``)."""
        from lingxi.errors import InvalidInput

        if script is not None and script not in SCRIPTS:
            raise InvalidInput(
                f"unknown script {script!r}; use one of {', '.join(SCRIPTS)}",
                message_zh=f"未知的字形 {script!r}，可选：{'、'.join(SCRIPTS)}",
            )
        chosen = script or detect_script(text)
        simplified = text if chosen == "zh-Hans" else simplified_view(text)
        return cls(original=text, simplified=simplified, script=chosen)

    @property
    def traditional(self) -> bool:
        return self.script != "zh-Hans"

    def restore(self, text: str) -> str:
        """An output written in Simplified, in the caller's script."""
        return to_traditional(text, self.script) if self.traditional else text
