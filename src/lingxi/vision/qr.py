"""QR codes (and other barcodes) with ``zxing-cpp``: the maintained C++ port of ZXing, a self-contained wheel."""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp

from lingxi.vision.intake import Picture


@dataclass(frozen=True)
class Code:
    """One decoded code: its text, its format (QRCode, EAN13, …) and where it is (x, y, width, height)."""

    text: str
    format: str
    position: tuple[int, int, int, int]


def read_codes(picture: Picture) -> list[Code]:
    out: list[Code] = []
    for r in zxingcpp.read_barcodes(picture.image):
        p = r.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        position = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        out.append(Code(text=r.text, format=r.format.name, position=position))
    return out
