"""What the user sees when screening stops a request or an answer.

Refusals are polite, in Chinese, name the risk class in plain words (so the user understands why) and
never echo the offending content back.
"""

from __future__ import annotations

from typing import Literal

from lingxi.compliance.screen import ScreenResult
from lingxi.compliance.taxonomy import CLASSES


def refusal_text(result: ScreenResult, where: Literal["input", "output"]) -> str:
    """A refusal message for a blocked input or a cut output."""
    classes = sorted({code.rsplit(".", 1)[0] for code in result.risks})
    topic = "、".join(CLASSES[c][0] for c in classes if c in CLASSES) or "不适宜的内容"
    if where == "input":
        return f"抱歉，这个请求涉及「{topic}」，我无法提供帮助。如有其他问题，欢迎继续提问。"
    return f"抱歉，生成的内容涉及「{topic}」，未通过安全审核，已停止输出。"
