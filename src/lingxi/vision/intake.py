"""Image intake: bytes, files, data URLs and (only when the operator allows the host) http(s) URLs.

Every path ends in :func:`decode`, which checks the encoded size, reads only the header to check the format
and the pixel count *before* decoding (so a decompression bomb or a 50,000 × 50,000 PNG is refused without
allocating it), then decodes to RGB. Errors are :class:`~lingxi.errors.InvalidInput` in Chinese and English.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from PIL import Image, UnidentifiedImageError

from lingxi.config import VisionSettings
from lingxi.errors import InvalidInput

#: formats Pillow decodes that phones and chat apps produce
FORMATS = frozenset({"PNG", "JPEG", "WEBP", "GIF", "BMP"})
_DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?P<params>(;[\w-]+=[^;,]*)*)(?P<b64>;base64)?,", re.I)


@dataclass(frozen=True)
class Picture:
    """A decoded image, ready for OCR: RGB pixels and where they came from (never the bytes themselves)."""

    image: Image.Image
    format: str
    source: str  # "bytes", "file", "data_url" or "url"

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size


def _too_big(n: int, limit: int) -> InvalidInput:
    return InvalidInput(
        f"image is {n} bytes; the limit is {limit} bytes",
        message_zh=f"图片过大（{n} 字节），上限为 {limit} 字节",
        hint="send a smaller or more compressed image",
    )


def decode(data: bytes, limits: VisionSettings, *, source: str = "bytes") -> Picture:
    """Decode ``data`` to an RGB :class:`Picture` within ``limits`` (see the module docstring)."""
    if not data:
        raise InvalidInput("image is empty", message_zh="图片为空")
    if len(data) > limits.max_bytes:
        raise _too_big(len(data), limits.max_bytes)
    try:
        img = Image.open(io.BytesIO(data))  # reads the header only
    except (UnidentifiedImageError, OSError) as exc:
        raise InvalidInput(
            "not an image lingxi can read (PNG, JPEG, WEBP, GIF or BMP)",
            message_zh="无法识别的图片格式（支持 PNG、JPEG、WEBP、GIF、BMP）",
        ) from exc
    fmt = (img.format or "").upper()
    if fmt not in FORMATS:
        raise InvalidInput(
            f"image format {fmt or 'unknown'} is not supported (PNG, JPEG, WEBP, GIF or BMP)",
            message_zh=f"不支持的图片格式 {fmt or '未知'}（支持 PNG、JPEG、WEBP、GIF、BMP）",
        )
    w, h = img.size
    if w < 1 or h < 1 or w * h > limits.max_pixels:
        raise InvalidInput(
            f"image is {w}×{h} pixels; the limit is {limits.max_pixels} pixels",
            message_zh=f"图片尺寸过大（{w}×{h}），像素上限为 {limits.max_pixels}",
            hint="scale the image down",
        )
    try:
        img.seek(0)  # an animation: its first frame
        rgb = img.convert("RGB")  # decodes now, within the checked size
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidInput("the image data is damaged", message_zh="图片数据已损坏，无法解码") from exc
    return Picture(image=rgb, format=fmt, source=source)


def from_data_url(url: str, limits: VisionSettings) -> Picture:
    """A ``data:image/...;base64,...`` URL (what OpenAI-style ``image_url`` parts carry)."""
    m = _DATA_URL.match(url)
    if m is None or not m.group("b64"):
        raise InvalidInput(
            "image data URL must look like data:image/png;base64,...",
            message_zh="图片 data URL 格式应为 data:image/png;base64,...",
        )
    mime = (m.group("mime") or "").lower()
    if mime and not mime.startswith("image/"):
        raise InvalidInput(f"data URL is {mime}, not an image", message_zh=f"data URL 的类型是 {mime}，不是图片")
    payload = url[m.end() :]
    if len(payload) > limits.max_bytes * 4 // 3 + 4:  # before decoding the base64 at all
        raise _too_big(len(payload) * 3 // 4, limits.max_bytes)
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("image data URL is not valid base64", message_zh="图片 data URL 不是有效的 base64") from exc
    return decode(data, limits, source="data_url")


def from_file(path: Path | str, limits: VisionSettings) -> Picture:
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"no image file at {p}", message_zh=f"找不到图片文件：{p}")
    size = p.stat().st_size
    if size > limits.max_bytes:
        raise _too_big(size, limits.max_bytes)
    return decode(p.read_bytes(), limits, source="file")


def from_url(url: str, limits: VisionSettings) -> Picture:
    """Fetch an http(s) image, only from a host in ``limits.allowed_url_hosts`` (the operator's choice).

    Redirects are not followed (they could lead to a host nobody allowed) and the body is read in pieces up
    to ``max_bytes``, so a slow or endless response cannot exhaust memory.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or host not in {h.lower() for h in limits.allowed_url_hosts}:
        raise InvalidInput(
            f"image URLs from {host or url[:40]!r} are not allowed; send the image as a data URL",
            message_zh="不允许从该地址获取图片，请以 data URL（base64）直接上传图片",
            hint="an operator may allow hosts with [vision] allowed_url_hosts in lingxi.toml",
        )
    chunks: list[bytes] = []
    total = 0
    try:
        with (
            httpx.Client(timeout=limits.fetch_timeout_s, follow_redirects=False) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise InvalidInput(
                    f"fetching the image returned HTTP {response.status_code}",
                    message_zh=f"获取图片失败（HTTP {response.status_code}）",
                )
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > limits.max_bytes:
                    raise _too_big(total, limits.max_bytes)
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise InvalidInput(f"could not fetch the image: {exc}", message_zh="无法获取图片") from exc
    return decode(b"".join(chunks), limits, source="url")


def load(source: bytes | Path | str, limits: VisionSettings) -> Picture:
    """Bytes, a ``Path``, or a string that is a data URL or an http(s) URL.

    A string is never taken as a file path: strings arrive from HTTP clients, and a path there would let a
    caller read (and OCR) the server's own files. Pass a :class:`~pathlib.Path` for a file.
    """
    if isinstance(source, bytes):
        return decode(source, limits)
    if isinstance(source, Path):
        return from_file(source, limits)
    if source.startswith("data:"):
        return from_data_url(source, limits)
    if source.startswith(("http://", "https://")):
        return from_url(source, limits)
    raise InvalidInput(
        "an image must be a data URL (data:image/png;base64,...) or an http(s) URL",
        message_zh="图片须为 data URL（data:image/png;base64,...）或 http(s) 地址",
    )
