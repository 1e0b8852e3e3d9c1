"""The PP-OCR stages, arranged for phone screenshots: detect small, on content only; recognize from full size.

rapidocr's own pipeline scales the whole picture so that its *short* side is 736 px before detection and
recognizes crops of that scaled picture, on onnxruntime sessions that spin their threads while waiting.
On a 1080×2400 screenshot detection was two thirds of the time, mostly spent on empty background. Here:

1. the working picture is the original, scaled down only past ``max_side`` (huge photos);
2. empty background bands are cut out and the content stitched (:mod:`lingxi.vision.bands`);
3. detection runs on that stitched image scaled by ``det_side / longest side`` (text in screenshots is
   large: at 960 px for 2400 a 34 px line is still 13 px tall, enough for the DB detector);
4. boxes are mapped back and cropped from the *working* picture, so recognition sees full-resolution
   strokes, in width-sorted batches of ``rec_batch`` (1 = no padding, the least CPU on our set);
5. both sessions are onnxruntime sessions with ``ocr_threads`` intra-op threads and thread spinning off:
   spinning buys a little latency on an idle machine with CPU time that, on a shared one, others need.

rapidocr still supplies the models (inside its wheel), the pre/post-processing and the crop geometry; only
its sessions are replaced (the models are read twice at load, once per process).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from lingxi.config import VisionSettings
from lingxi.vision.bands import Band, Stitched, trimmed

TEXT_SCORE = 0.5  # rapidocr's default: recognitions below it are dropped

Found = tuple[list[tuple[float, float]], str, float]


def _session(model_path: str, threads: int) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    return ort.InferenceSession(model_path, sess_options=opts, providers=["CPUExecutionProvider"])


def load_models(settings: VisionSettings) -> Any:
    """rapidocr's engine with lingxi's sessions (see the module docstring); ~0.5 s, once per engine."""
    from rapidocr_onnxruntime import RapidOCR  # onnxruntime and OpenCV: only when a picture comes

    engine = RapidOCR(use_cls=False, intra_op_num_threads=settings.ocr_threads, inter_op_num_threads=1)
    models = Path(engine.text_det.infer.session._model_path).parent
    engine.text_det.infer.session = _session(str(models / "ch_PP-OCRv4_det_infer.onnx"), settings.ocr_threads)
    engine.text_rec.session.session = _session(str(models / "ch_PP-OCRv4_rec_infer.onnx"), settings.ocr_threads)
    engine.text_det.limit_type, engine.text_det.limit_side_len = "min", 32  # we scale; it rounds to 32
    engine.text_rec.rec_batch_num = settings.rec_batch
    return engine


def _working(image: Image.Image, max_side: int) -> tuple[Image.Image, float]:
    w, h = image.size
    if max(w, h) <= max_side:
        return image, 1.0
    r = max_side / max(w, h)
    return image.resize((max(1, round(w * r)), max(1, round(h * r))), Image.Resampling.BILINEAR), r


def _detect(engine: Any, st: Stitched, scale: float) -> list[np.ndarray]:
    h, w = st.image.shape[:2]
    small = st.image
    if scale < 1:
        size = (max(32, round(w * scale)), max(32, round(h * scale)))
        small = np.asarray(Image.fromarray(st.image).resize(size, Image.Resampling.BILINEAR))
    boxes, _ = engine.text_det(np.ascontiguousarray(small[:, :, ::-1]))  # RGB → BGR, what it was trained on
    if boxes is None or len(boxes) == 0:
        return []
    sx, sy = w / small.shape[1], h / small.shape[0]
    out = []
    for box in boxes:
        pts = box.astype(np.float32) * np.array([sx, sy], dtype=np.float32)
        src = st.to_source(float(pts[:, 1].mean()))
        if src is None:
            continue
        pts[:, 1] += src - float(pts[:, 1].mean())
        out.append(pts)
    return out


def recognize(engine: Any, image: Image.Image, settings: VisionSettings) -> list[Found]:
    """Text boxes of ``image`` (corners in its own pixels), text and confidence, in detection order."""
    work, ratio = _working(image, settings.max_side)
    pixels = np.asarray(work)
    full = Stitched(pixels, (Band(0, pixels.shape[0], 0),))
    st = trimmed(pixels) if settings.skip_background else full
    scale = min(1.0, settings.det_side / max(pixels.shape[:2]))
    boxes = _detect(engine, st, scale)
    if not boxes:
        return []
    crops = engine.get_crop_img_list(np.ascontiguousarray(pixels[:, :, ::-1]), boxes)
    texts, _ = engine.text_rec(crops)
    out: list[Found] = []
    for pts, (text, score, *_rest) in zip(boxes, texts, strict=True):
        if float(score) >= TEXT_SCORE and str(text).strip():
            corners = [(float(x) / ratio, float(y) / ratio) for x, y in pts]
            out.append((corners, str(text), float(score)))
    return out
