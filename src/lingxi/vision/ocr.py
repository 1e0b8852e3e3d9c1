"""On-device Chinese OCR with layout: PP-OCR (detection + recognition) on onnxruntime, via ``rapidocr_onnxruntime``.

The wheel carries the PP-OCRv4 Chinese models (Apache-2.0), so nothing is downloaded at run time. The models
are loaded once per :class:`OcrEngine` (≈0.5 s) and shared; runs are bounded by a semaphore
(``ocr_concurrency``) and each uses ``ocr_threads`` CPU threads, so a burst of screenshots queues instead
of taking every core. :meth:`OcrEngine.aread` runs in a worker thread so the event loop keeps serving.

Layout: the detector's boxes are grouped into rows (boxes whose vertical extents overlap by half the
smaller height), rows top to bottom, boxes left to right: the reading order of screenshots, receipts and
notices. The text-direction classifier is off: screenshots are upright. How the stages are arranged for
speed (detection small and on content only, recognition from full size; ~0.3 s of CPU per 1080×2400
screenshot, a quarter of rapidocr's own pipeline, same accuracy on ``benchmarks/bench_vision.py``'s set)
is :mod:`lingxi.vision.ppocr`'s job.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio.to_thread

from lingxi.config import VisionSettings
from lingxi.text_script import detect_script, to_simplified
from lingxi.vision.intake import Picture
from lingxi.vision.ppocr import load_models, recognize

if TYPE_CHECKING:
    from rapidocr_onnxruntime import RapidOCR

Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class OcrLine:
    """One detected text box: its text, four corners (pixels, clockwise from top-left) and confidence."""

    text: str
    box: Box
    confidence: float

    @property
    def top(self) -> float:
        return min(p[1] for p in self.box)

    @property
    def bottom(self) -> float:
        return max(p[1] for p in self.box)

    @property
    def left(self) -> float:
        return min(p[0] for p in self.box)


@dataclass
class Reading:
    """What OCR read: boxes in reading order, grouped in rows, and the script it was written in."""

    width: int
    height: int
    rows: list[list[OcrLine]] = field(default_factory=list)
    script: str = "zh-Hans"  # of the original text; ``lines`` are Simplified when conversion was asked

    @property
    def lines(self) -> list[OcrLine]:
        return [b for row in self.rows for b in row]

    @property
    def text(self) -> str:
        """One line per row; boxes of a row joined by a space."""
        return "\n".join(" ".join(b.text for b in row) for row in self.rows)


def reading_order(boxes: list[OcrLine]) -> list[list[OcrLine]]:
    """Rows top to bottom, boxes left to right (see the module docstring)."""
    rows: list[list[OcrLine]] = []
    for b in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        if rows:
            last = rows[-1]
            top, bottom = min(x.top for x in last), max(x.bottom for x in last)
            overlap = min(bottom, b.bottom) - max(top, b.top)
            if overlap > 0.5 * min(bottom - top, b.bottom - b.top):
                last.append(b)
                continue
        rows.append([b])
    return [sorted(r, key=lambda b: b.left) for r in rows]


class OcrEngine:
    """The shared OCR engine (see the module docstring)."""

    def __init__(self, settings: VisionSettings) -> None:
        self.settings = settings
        self._engine: RapidOCR | None = None
        self._load_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(settings.ocr_concurrency)

    def _get(self) -> RapidOCR:
        with self._load_lock:
            if self._engine is None:
                self._engine = load_models(self.settings)
            return self._engine

    def read(self, picture: Picture, *, simplified: bool = True) -> Reading:
        """Recognize the text of ``picture``; with ``simplified``, every box goes through OpenCC's t2s.

        Not only when the page reads as Traditional: PP-OCR returns a Traditional picture in mixed script (a
        character its list has only in Simplified form: 實付金額 comes back 實付金额), which the page-level
        detection can call Simplified and leave unconverted, so the rules miss 实付金额. t2s leaves Simplified
        text as it is (no wrong change in 3 M characters of Simplified text checked), so converting always is
        safe; ``script`` still says what the page was written in."""
        engine = self._get()
        with self._slots:
            found = recognize(engine, picture.image, self.settings)
        boxes = [OcrLine(text=t, box=_box(points), confidence=round(score, 4)) for points, t, score in found]
        w, h = picture.size
        reading = Reading(width=w, height=h, rows=reading_order(boxes))
        reading.script = detect_script(reading.text) if reading.text else "zh-Hans"
        if simplified:
            reading.rows = [[_simplify(b) for b in row] for row in reading.rows]
        return reading

    async def aread(self, picture: Picture, *, simplified: bool = True) -> Reading:
        """:meth:`read` in a worker thread (OCR is ~0.5 s of CPU: never on the event loop)."""
        return await anyio.to_thread.run_sync(lambda: self.read(picture, simplified=simplified))


@functools.cache
def shared_engine(settings: VisionSettings) -> OcrEngine:
    """One engine per distinct settings in a process: every ``Lingxi`` of the process shares its models."""
    return OcrEngine(settings)


def _box(points: Any) -> Box:
    p = [(round(float(x), 1), round(float(y), 1)) for x, y in points]
    return (p[0], p[1], p[2], p[3])


def _simplify(line: OcrLine) -> OcrLine:
    return OcrLine(text=to_simplified(line.text), box=line.box, confidence=line.confidence)
