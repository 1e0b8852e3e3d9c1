"""``lx.vision``: read a picture, extract what it proposes, answer questions about it — on the device.

Every entry point first requires the user's ``camera_photos`` consent (a separate consent, never part of
"agree to all"), *before* any pixel is decoded: recognizing the text of a screenshot is already processing
the personal information in it. Decoding and OCR run in worker threads, bounded by the engine's semaphore.
Questions go through the pipeline as recognized text (see :mod:`lingxi.vision.ask`), which screens it and
redacts it before any cloud model; the picture itself rides along only under :mod:`lingxi.vision.outbound`'s
rules, and the egress boundary drops it for any model that does not see.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol

import anyio.to_thread
from pydantic import BaseModel

from lingxi.features.host import Gateway, ToolHost
from lingxi.ids import now_ms as _now_ms
from lingxi.models.base import ModelInfo
from lingxi.pipeline import Answer
from lingxi.privacy.consent import Scope
from lingxi.vision import intake, outbound
from lingxi.vision.ask import ImageQuestion
from lingxi.vision.extract import Extracted, extract
from lingxi.vision.intake import Picture
from lingxi.vision.ocr import Reading, shared_engine
from lingxi.vision.proposals import Proposals, propose, today
from lingxi.vision.qr import Code, read_codes

Source = bytes | Path | str
CONSENT = frozenset({Scope.CAMERA_PHOTOS})


class LineOut(BaseModel):
    text: str
    box: list[list[float]]
    confidence: float


class ImageReading(BaseModel):
    """What the device read: the text (rows in reading order), each box, QR codes, and the script."""

    text: str
    lines: list[LineOut]
    codes: list[dict[str, object]]
    width: int
    height: int
    script: str
    method: str = "on-device OCR (PP-OCRv4 via rapidocr_onnxruntime); QR via zxing-cpp"


class ImageExtraction(BaseModel):
    reading: ImageReading
    extracted: Extracted
    proposals: Proposals


def _reading(r: Reading, codes: list[Code]) -> ImageReading:
    return ImageReading(
        text=r.text,
        lines=[LineOut(text=b.text, box=[list(p) for p in b.box], confidence=b.confidence) for b in r.lines],
        codes=[{"text": c.text, "format": c.format, "position": list(c.position)} for c in codes],
        width=r.width,
        height=r.height,
        script=r.script,
    )


class VisionHost(Gateway, ToolHost, Protocol):
    """What pictures use: the request path for questions, what proposals use (:func:`propose`), and the
    configured models (does any see images? :mod:`lingxi.vision.outbound`)."""

    def models(self) -> list[ModelInfo]: ...


class Vision:
    """``lx.vision`` (see the module docstring)."""

    def __init__(self, lx: VisionHost) -> None:
        self.lx = lx
        self.settings = lx.settings.vision
        self.engine = shared_engine(self.settings)

    async def aread(self, user_id: str, image: Source, *, simplified: bool = True) -> ImageReading:
        reading, codes = await self._aread(user_id, image, simplified=simplified)
        return _reading(reading, codes)

    async def _aread(self, user_id: str, image: Source, *, simplified: bool = True) -> tuple[Reading, list[Code]]:
        reading, codes, _ = await self._aread_picture(user_id, image, simplified=simplified)
        return reading, codes

    async def _aread_picture(
        self, user_id: str, image: Source, *, simplified: bool = True
    ) -> tuple[Reading, list[Code], Picture]:
        self.lx.consents.require(user_id, CONSENT)
        picture = await anyio.to_thread.run_sync(intake.load, image, self.settings)
        reading = await self.engine.aread(picture, simplified=simplified)
        codes = await anyio.to_thread.run_sync(read_codes, picture)
        return reading, codes, picture

    async def _cloud_copy(self, user_id: str, picture: Picture) -> tuple[str, ...]:
        """The picture as a data URL when it may ride along to a vision model (:mod:`lingxi.vision.outbound`)."""
        if not outbound.may_attach(self.settings, self.lx.consents.granted(user_id), self.lx.models()):
            return ()
        return (await anyio.to_thread.run_sync(outbound.data_url, picture, self.settings.cloud_image_side),)

    async def aextract(
        self, user_id: str, image: Source, *, session_id: str | None = None, now_ms: int | None = None
    ) -> ImageExtraction:
        """Read ``image``, classify it, extract its fields and save what it proposes as pending actions."""
        reading, codes = await self._aread(user_id, image)
        now = _now_ms() if now_ms is None else now_ms
        extracted = extract(reading.text, today(now, self.lx.settings.timezone))
        proposals = await anyio.to_thread.run_sync(
            lambda: propose(self.lx, user_id, extracted, now_ms=now, session_id=session_id)
        )
        return ImageExtraction(reading=_reading(reading, codes), extracted=extracted, proposals=proposals)

    async def aask(
        self, user_id: str, image: Source, question: str = "这是什么？", *, model: str | None = None,
        now_ms: int | None = None,
    ) -> tuple[ImageReading, Answer]:  # fmt: skip
        """Answer ``question`` about ``image`` through the pipeline, from its recognized text (and the picture
        itself for a vision model, when :func:`~lingxi.vision.outbound.may_attach` allows it)."""
        reading, codes, picture = await self._aread_picture(user_id, image)
        now = _now_ms() if now_ms is None else now_ms
        extracted = extract(reading.text, today(now, self.lx.settings.timezone))
        feature = ImageQuestion(
            text=reading.text, question=question.strip() or "这是什么？", extracted=extracted,
            images=await self._cloud_copy(user_id, picture),
        )  # fmt: skip
        turn = self.lx.turn(feature, user_id, model=model, now_ms=now)
        return _reading(reading, codes), await self.lx.acomplete(turn)

    async def atext_of(self, user_id: str, image: Source) -> str:
        """The recognized text alone."""
        return (await self.apart(user_id, image))[0]

    async def apart(self, user_id: str, image: Source) -> tuple[str, tuple[str, ...]]:
        """What an image part of a chat message becomes: its recognized text (QR codes included), and the
        picture as a data URL when it may ride along to a vision model."""
        reading, codes, picture = await self._aread_picture(user_id, image)
        extra = [f"[二维码] {c.text}" for c in codes]
        return "\n".join([reading.text, *extra]).strip(), await self._cloud_copy(user_id, picture)

    # -- synchronous forms for scripts and the CLI ----------------------------------------------------
    def read(self, user_id: str, image: Source, *, simplified: bool = True) -> ImageReading:
        return asyncio.run(self.aread(user_id, image, simplified=simplified))

    def extract(
        self, user_id: str, image: Source, *, session_id: str | None = None, now_ms: int | None = None
    ) -> ImageExtraction:
        return asyncio.run(self.aextract(user_id, image, session_id=session_id, now_ms=now_ms))

    def ask(
        self, user_id: str, image: Source, question: str = "这是什么？", *, model: str | None = None,
        now_ms: int | None = None,
    ) -> tuple[ImageReading, Answer]:  # fmt: skip
        return asyncio.run(self.aask(user_id, image, question, model=model, now_ms=now_ms))
