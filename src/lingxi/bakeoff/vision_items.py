"""The bake-off's picture task: fields read from rendered invitations, receipts and parcel notices.

Tasks are data: each row below is a notice's lines and the values drawn into it; each item asks for one
field of one picture, in the canonical form the question names (date ``YYYY-MM-DD``, 24-hour ``HH:MM``,
amount ``12.34``), and is right when that exact value appears in the answer (full-width characters and
spaces folded). The pictures are rendered at run time with a CJK font from the system packages (the same
ones the tests use), so nothing binary is committed; without such a font the task has no items.

A model is asked through ``lx.vision.aask``, the production path: a vision model gets the picture itself
(the bake-off's fictional user consents to both ``camera_photos`` and ``cloud_processing``), any other model
the on-device OCR text, and the lite tier answers from the extracted fields — the classical floor.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from lingxi.bakeoff.tasks import Item
from lingxi.vision.fields import normalize

FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)

#: what each field's question says, worded so the canonical form is unambiguous
QUESTIONS: dict[str, str] = {
    "date": "这个活动是哪天？日期请写成 YYYY-MM-DD。",
    "time": "活动几点开始？请用 24 小时制 HH:MM 回答。",
    "place": "活动在哪里举行？",
    "amount": "我实付了多少钱？金额请写成数字，如 12.34。",
    "pickup_code": "取件码是什么？",
    "tracking_no": "运单号是什么？",
}

# (picture id, lines as drawn, the values drawn into them)
PICTURES: tuple[tuple[str, tuple[str, ...], dict[str, str]], ...] = (
    ("invite-a", ("诚邀您参加", "星河科技新品发布会", "时间：2027年3月18日 下午2:30", "地点：杭州国际博览中心B馆"),
     {"date": "2027-03-18", "time": "14:30", "place": "杭州国际博览中心B馆"}),
    ("invite-b", ("邀请函", "诚挚邀请您出席校友晚宴", "日期：2027年5月9日", "时间：18:00", "地址：南京金陵饭店二楼"),
     {"date": "2027-05-09", "time": "18:00", "place": "南京金陵饭店二楼"}),
    ("receipt-a", ("全家便利店", "2026-11-28 19:42", "饭团 ¥6.50", "乌龙茶 ¥5.00", "实付 ¥11.50", "支付方式：支付宝"),
     {"amount": "11.50"}),
    ("receipt-b", ("海底捞火锅", "2026-11-30 20:15", "锅底 ¥58.00", "肥牛 ¥68.00", "优惠 -10.00", "实付金额 ¥116.00"),
     {"amount": "116.00"}),
    ("parcel-a", ("【中通快递】您的包裹已到", "望京西园三区菜鸟驿站，", "请凭取件码 6-2-3071 取件",
                  "运单号：78613350924417"),
     {"pickup_code": "6-2-3071", "tracking_no": "78613350924417"}),
    ("parcel-b", ("取件通知", "取件码：482913", "快递公司：顺丰速运", "快递单号：SF1409937265518",
                  "地址：幸福里小区丰巢快递柜"),
     {"pickup_code": "482913", "tracking_no": "SF1409937265518"}),
)  # fmt: skip


def font() -> Path | None:
    return next((Path(p) for p in FONTS if Path(p).is_file()), None)


def render(lines: tuple[str, ...] | list[str], font_path: Path) -> bytes:
    """A 1080×2400 phone screenshot of ``lines`` as PNG bytes."""
    face = ImageFont.truetype(str(font_path), 44)
    img = Image.new("RGB", (1080, 2400), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 0, 1080, 90), fill=(245, 245, 245))
    for n, line in enumerate(lines):
        draw.text((64, 180 + n * 100), line, fill=(20, 20, 20), font=face)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def vision_items() -> list[Item]:
    """One item per (picture, field); none without a CJK font to draw them."""
    if font() is None:
        return []
    return [
        Item("vision", f"{pid}-{name}", QUESTIONS[name], expected=value, group=pid.split("-")[0],
             data={"lines": list(lines), "field": name})
        for pid, lines, values in PICTURES
        for name, value in values.items()
    ]  # fmt: skip


def field_found(expected: str, answer: str) -> bool:
    """The exact value in the answer, full-width forms and whitespace folded on both sides."""
    squash = "".join(normalize(answer).split())
    return "".join(normalize(expected).split()) in squash
