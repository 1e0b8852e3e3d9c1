"""Phone-screenshot images rendered by the tests themselves (Pillow + a CJK font from the system packages).

``.ci/run`` installs ``fonts-wqy-microhei``; Noto CJK works too. :func:`cjk_font` is None where neither is
installed, and the tests that need one skip with that reason.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
NO_FONT = "no CJK font installed (apt-get install fonts-wqy-microhei, as .ci/run does)"
PHONE = (1080, 2400)


def cjk_font() -> Path | None:
    return next((Path(p) for p in FONT_CANDIDATES if Path(p).is_file()), None)


def render(rows: list[str], *, size: tuple[int, int] = PHONE, font_px: int = 44, top: int = 160) -> Image.Image:
    """Rows of text on a white phone-sized canvas, one row per line, left-aligned, with a status bar."""
    font_path = cjk_font()
    assert font_path is not None, NO_FONT
    font = ImageFont.truetype(str(font_path), font_px)
    img = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, size[0], 90), fill=(245, 245, 245))
    y = top
    for row in rows:
        draw.text((64, y), row, fill=(20, 20, 20), font=font)
        y += int(font_px * 2.2)
    return img


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def data_url(img: Image.Image) -> str:
    return "data:image/png;base64," + base64.b64encode(png(img)).decode()


CHAT = ["张伟：周六上午十点在公司开会", "李娜：好的，我会准时到", "王芳：记得带上季度报表", "张伟：报表发到群里了"]
INVITATION = [
    "诚邀您参加",
    "星河科技2027新品发布会",
    "时间：2027年1月16日 下午2:30-5:00",
    "地点：北京国贸大酒店三层宴会厅",
]
RECEIPT = [
    "盒马鲜生（望京店）",
    "2026-12-03 19:42",
    "商品合计 ¥135.50",
    "优惠 -7.00",
    "实付 ¥128.50",
    "支付方式：支付宝",
]
PARCEL = [
    "【菜鸟驿站】您的中通快递已到",
    "望京西园三区菜鸟驿站，请凭",
    "取件码 8-3-2051 取件",
    "运单号：78812345678901",
]


def image_parts(body: dict[str, object]) -> list[str]:
    """The image URLs of an OpenAI-style chat request body (what reached a recording upstream)."""
    urls = []
    for m in body["messages"]:  # type: ignore[attr-defined]
        if isinstance(m["content"], list):
            urls += [p["image_url"]["url"] for p in m["content"] if p["type"] == "image_url"]
    return urls
