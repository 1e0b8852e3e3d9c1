"""Questions about a picture (「这是什么」「我付了多少」), answered from its recognized text through the pipeline.

:class:`ImageQuestion` is a feature like any other: its scope is ``camera_photos``; the recognized text is
the user's message, so input screening sees it, the router keeps it on the device without
``cloud_processing``, and the egress boundary redacts it before a cloud model sees it. The image itself is
part of the turn only as :mod:`lingxi.vision.outbound` allows (a vision model, both consents), and the
egress boundary still drops it for a model that does not see. The classical answer (:func:`rule_answer`,
from the extracted fields) is the ``compose`` task's document: the lite tier returns it as it is; a
language model answers from the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lingxi.context.consented import EventReader
from lingxi.context.events import Event
from lingxi.models.base import Document, Message, Task
from lingxi.pipeline import Turn
from lingxi.privacy.consent import Scope
from lingxi.vision.extract import Extracted

SYSTEM = (
    "你是灵犀识图助手。下面是设备端从用户图片中识别出的文字（可能有识别错误）。只根据这些文字回答用户的问题，"
    "简洁准确；文字里没有的信息就说图片中没有。"
)
#: how much recognized text a question carries (characters): a long receipt fits, a novel does not
MAX_IMAGE_TEXT = 6_000


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f} 元"


def describe(ex: Extracted) -> str:
    """One sentence: what the picture is and its main fields."""
    parts = [f"这是一张{ex.kind_zh}"]
    if ex.kind == "invitation":
        parts += [f"「{ex.title}」" if ex.title else "", f"时间 {ex.date or '未识别'} {ex.time or ''}".rstrip()]
        parts.append(f"地点 {ex.place}" if ex.place else "")
    elif ex.kind == "receipt":
        parts += [f"商户 {ex.merchant}" if ex.merchant else "", f"金额 {_yuan(ex.amount_fen)}" if ex.amount_fen else ""]
    elif ex.kind == "parcel":
        parts += [f"{ex.carrier}快递" if ex.carrier else "", f"运单号 {ex.tracking_no}" if ex.tracking_no else ""]
        parts.append(f"取件码 {ex.pickup_code}" if ex.pickup_code else "")
    elif ex.kind == "chat":
        speakers = list(dict.fromkeys(s for s, _ in ex.messages))
        parts.append(f"{len(ex.messages)} 条消息，来自 {'、'.join(speakers[:5])}" if speakers else "")
    return "，".join(p for p in parts if p) + "。"


_ASKS: tuple[tuple[str, str], ...] = (
    (r"多少钱|多少|金额|付了|花了|价格|总共", "amount"),
    (r"取件码|取货码|怎么取", "pickup"),
    (r"单号|运单", "tracking"),
    (r"几点|什么时候|哪天|日期|时间", "when"),
    (r"在哪|地点|地址|哪里", "where"),
)


def rule_answer(ex: Extracted, question: str, text: str) -> str:
    """The answer the extracted fields give to ``question``; otherwise what the picture is and its text."""
    wanted = next((k for pattern, k in _ASKS if re.search(pattern, question)), None)
    if wanted == "amount" and ex.amount_fen is not None:
        return f"你付了 {_yuan(ex.amount_fen)}" + (f"（{ex.merchant}）" if ex.merchant else "") + "。"
    if wanted == "pickup" and ex.pickup_code:
        return f"取件码是 {ex.pickup_code}" + (f"，在{ex.station}" if ex.station else "") + "。"
    if wanted == "tracking" and ex.tracking_no:
        return f"运单号是 {ex.tracking_no}" + (f"（{ex.carrier}）" if ex.carrier else "") + "。"
    if wanted == "when" and (ex.date or ex.time):
        span = f"{ex.time}–{ex.end_time}" if ex.time and ex.end_time else (ex.time or "")
        return f"时间是 {ex.date or ''} {span}".strip() + "。"
    if wanted == "where" and (ex.place or ex.station):
        return f"地点是 {ex.place or ex.station}。"
    lines = [describe(ex)]
    if wanted:
        lines.append("图片中没有识别到你问的信息。")
    if text:
        lines += ["图片中的文字：", text[:500]]
    return "\n".join(lines)


@dataclass
class ImageQuestion:
    """The pipeline feature for a question about a picture (see the module docstring)."""

    text: str
    question: str
    extracted: Extracted
    images: tuple[str, ...] = ()  # the picture, for a vision model: only what lingxi.vision.outbound allows
    name: str = "vision"
    scopes: frozenset[Scope] = field(default=frozenset({Scope.CAMERA_PHOTOS}))

    def select_context(self, store: EventReader, turn: Turn) -> list[Event]:
        return []

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        user = f"图片中的文字：\n{self.text[:MAX_IMAGE_TEXT]}\n\n问题：{self.question}"
        messages = [Message(role="system", content=SYSTEM), Message(role="user", content=user, images=self.images)]
        return messages, self._task()

    def _task(self) -> Task:
        """A chat screenshot asked for a summary, key points or a reply gets that task (the lite tier's
        TextRank and reply retrieval can do it); any other question the rule answer (``compose``)."""
        ex = self.extracted
        if ex.kind == "chat" and ex.messages:
            lines = "\n".join(f"{who}：{said}" for who, said in ex.messages)
            chat = [Document(title="聊天截图", text=lines)]
            if re.search(r"总结|概括|摘要|说了什么|讲了什么", self.question):
                return Task(kind="summarize", documents=chat, max_sentences=2)
            if re.search(r"要点|重点|关键", self.question):
                return Task(kind="key_points", documents=chat, max_sentences=3)
            if re.search(r"怎么回|回复|回什么|回答他|回答她", self.question):
                return Task(kind="reply", documents=[Document(title="最后一条消息", text=ex.messages[-1][1])])
        answer = rule_answer(ex, self.question, self.text)
        return Task(kind="compose", documents=[Document(title="识图回答", text=answer)])
