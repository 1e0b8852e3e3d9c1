"""Background-band trimming before detection (lingxi.vision.bands): content kept, boxes mapped back."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import ImageDraw, ImageFont

from lingxi.config import VisionSettings
from lingxi.vision.bands import busy_rows, content_bands, stitch, trimmed
from lingxi.vision.intake import Picture
from lingxi.vision.ocr import shared_engine
from vision_images import NO_FONT, cjk_font, render


def _canvas(h: int = 1200, w: int = 400, noise: float = 6.0) -> np.ndarray:
    rng = np.random.default_rng(7)
    img = np.full((h, w, 3), 240.0) + rng.normal(0, noise, (h, w, 3))
    return img.clip(0, 255).astype(np.uint8)


def test_noise_is_background_and_dark_strokes_are_content() -> None:
    img = _canvas()
    img[300:330, 50:200] = 20  # a "line of text"
    img[800:840, 100:300] = 30
    busy = busy_rows(img)
    assert not busy[:290].any() and not busy[340:790].any() and not busy[850:].any()
    assert busy[300:330].all() and busy[800:840].all()
    assert content_bands(img, pad=16) == [(284, 346), (784, 856)]


def test_stitched_rows_map_back_to_the_source() -> None:
    img = _canvas()
    img[300:330, 50:200] = 20
    img[800:840, 100:300] = 30
    st = stitch(img, content_bands(img, pad=16), separator=32)
    assert st.image.shape[0] == (346 - 284) + 32 + (856 - 784) + 32
    second = st.bands[1]
    assert st.to_source(second.at + 5) == 784 + 5  # a row of the second band
    assert st.to_source(346 - 284 + 3) is None  # inside the separator
    dark = np.flatnonzero(st.image.mean(axis=(1, 2)) < 200)  # the strokes survive, in order
    assert dark.size == 30 + 40


def test_a_busy_picture_is_left_whole() -> None:
    rng = np.random.default_rng(1)
    photo = rng.integers(0, 255, (600, 400, 3), dtype=np.uint8)
    st = trimmed(photo)
    assert st.image is photo and len(st.bands) == 1
    blank = _canvas(300, 200)
    assert trimmed(blank).image is blank  # nothing to find: detection sees the whole (empty) picture


def test_boxes_come_back_in_the_pictures_own_coordinates() -> None:
    """Detection sees a stitched, scaled copy; the boxes must still land where the text was drawn."""
    if cjk_font() is None:
        pytest.skip(NO_FONT)
    rows = ["第一行在上面", "第二行在很下面"]
    img = render(rows[:1], top=300)
    ImageDraw.Draw(img).text((64, 1700), rows[1], fill=(20, 20, 20), font=ImageFont.truetype(str(cjk_font()), 44))
    reading = shared_engine(VisionSettings()).read(Picture(img, "PNG", "test"))
    assert [" ".join(b.text for b in r) for r in reading.rows][-2:] == rows
    first, second = reading.rows[-2][0], reading.rows[-1][0]
    assert 280 < first.top < 320 and 1680 < second.top < 1720 and 40 < second.left < 90
