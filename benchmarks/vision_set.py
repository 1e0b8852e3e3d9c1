"""The labeled picture set for ``bench_vision.py``: phone screenshots generated from random field values.

Independent of the extraction rules: each sample starts from drawn values (a date, a time, a place, an
amount, a pickup code, a tracking number), and the labels are those values and the rows as drawn, written
before anything is recognized. Layout wording comes from several templates per kind, written from what
such notices look like (not from the extractor's label lists); appearance varies per sample: font (every
CJK font installed), size, background, bubble colors, Gaussian noise, a slight rotation and JPEG re-encoding.

``script`` ``zh-Hant`` (or ``zh-Hant-TW``) draws the same samples in Traditional characters, converted with
OpenCC (``s2t`` / ``s2twp``) before drawing; the random draws are the same as for Simplified, so a seed
gives the same pictures in either script. The place label becomes OpenCC's Simplified form of the drawn
Traditional place: what a perfect reading, converted as lingxi converts it, would give.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lingxi.text_script import to_simplified, to_traditional

FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
SIZE = (1080, 2400)
TODAY = date(2026, 12, 3)

NAMES = ("张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "周敏", "吴昊", "孙悦")
CHAT_TEXTS = (
    "周六上午十点在公司开会", "好的，我会准时到", "记得带上季度报表", "报表已经发到群里了", "晚上一起吃饭吗",
    "我在地铁上，十分钟后到", "明天的航班改到下午了", "收到，谢谢提醒", "这个方案我再改一版", "周末去爬香山吧",
    "孩子的家长会是几点", "快递帮我拿一下", "会议室订好了吗", "合同今天下班前发我",
)  # fmt: skip
EVENTS = ("年度客户答谢会", "新品发布会", "校友聚会", "婚礼", "产品评审会", "读书分享会", "开业庆典", "技术沙龙")
PLACES = (
    "北京国贸大酒店三层宴会厅", "上海浦东香格里拉大酒店", "杭州西湖国宾馆紫薇厅", "深圳南山科技园会议中心",
    "成都环球中心天堂洲际酒店", "广州白云国际会议中心", "南京金陵饭店二楼", "武汉光谷会展中心",
)  # fmt: skip
SHOPS = ("盒马鲜生", "全家便利店", "星巴克", "永辉超市", "麦当劳", "海底捞火锅", "瑞幸咖啡", "屈臣氏")
ITEMS = ("牛奶", "面包", "鸡蛋", "苹果", "拿铁", "矿泉水", "纸巾", "酸奶", "香蕉", "薯片")
CARRIERS = (("中通快递", ""), ("顺丰速运", "SF"), ("圆通速递", "YT"), ("韵达快递", ""), ("京东物流", "JD"))
STATIONS = ("望京西园三区菜鸟驿站", "幸福里小区丰巢快递柜", "科技园南门妈妈驿站", "学院路兔喜生活超市")


@dataclass
class Sample:
    kind: str
    rows: list[str]  # the text as drawn, row by row
    fields: dict[str, str] = field(default_factory=dict)  # the drawn values
    image: Image.Image | None = None
    drawn: list[str] = field(default_factory=list)  # every row on the screen: the status-bar clock, then rows


def _cn_time(h: int, m: int) -> str:
    period = "上午" if h < 12 else "下午" if h < 18 else "晚上"
    return f"{period}{h if h <= 12 else h - 12}:{m:02d}"


def invitation(rng: random.Random) -> Sample:
    day = TODAY + timedelta(days=rng.randint(3, 120))
    h, m = rng.choice((9, 10, 14, 15, 18, 19)), rng.choice((0, 30))
    event, place = rng.choice(EVENTS), rng.choice(PLACES)
    date_text = rng.choice((f"{day.year}年{day.month}月{day.day}日", f"{day.month}月{day.day}日"))
    time_text = rng.choice((f"{h:02d}:{m:02d}", _cn_time(h, m)))
    rows = rng.choice(
        (
            ["诚邀您参加", event, f"时间：{date_text} {time_text}", f"地点：{place}", "敬请光临"],
            ["邀请函", f"诚挚邀请您出席{event}", f"日期：{date_text}", f"时间：{time_text}", f"地址：{place}"],
            [f"【{event}】邀请", f"时间：{date_text} {time_text}开始", f"地点：{place}", "期待您的到来"],
        )
    )
    fields = {"date": day.isoformat(), "time": f"{h:02d}:{m:02d}", "place": place}
    return Sample("invitation", rows, fields)


def receipt(rng: random.Random) -> Sample:
    shop = rng.choice(SHOPS)
    lines = [(rng.choice(ITEMS), rng.randint(100, 5000)) for _ in range(rng.randint(2, 5))]
    total = sum(p for _, p in lines)
    off = rng.choice((0, 0, 300, 500))
    paid = total - off if total > off else total
    day = TODAY - timedelta(days=rng.randint(0, 20))
    stamp = f"{day.isoformat()} {rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}"
    rows = [shop, stamp] + [f"{name} ¥{p / 100:.2f}" for name, p in lines]
    label = rng.choice(("实付", "实付金额", "合计", "应付金额"))
    rows += [f"优惠 -{off / 100:.2f}"] if off and paid != total else []
    rows += [f"{label} ¥{paid / 100:.2f}", rng.choice(("支付方式：微信支付", "支付方式：支付宝", "谢谢惠顾"))]
    return Sample("receipt", rows, {"amount": f"{paid / 100:.2f}"})


def parcel(rng: random.Random) -> Sample:
    carrier, prefix = rng.choice(CARRIERS)
    number = prefix + "".join(rng.choice("0123456789") for _ in range(13 if prefix else 14))
    code = rng.choice(
        (f"{rng.randint(1, 9)}-{rng.randint(1, 9)}-{rng.randint(1000, 9999)}", f"{rng.randint(100000, 999999)}")
    )
    station = rng.choice(STATIONS)
    rows = rng.choice(
        (
            [f"【{carrier}】您的包裹已到", f"{station}，", f"请凭取件码 {code} 取件", f"运单号：{number}"],
            ["取件通知", f"取件码：{code}", f"快递公司：{carrier}", f"快递单号：{number}", f"地址：{station}"],
            [f"您的{carrier}包裹已送达{station}", f"取货码 {code}", f"运单号 {number}"],
        )
    )
    return Sample("parcel", rows, {"pickup_code": code, "tracking_no": number})


def chat(rng: random.Random) -> Sample:
    rows = [f"{rng.choice(NAMES)}：{rng.choice(CHAT_TEXTS)}" for _ in range(rng.randint(5, 9))]
    return Sample("chat", rows)


def draw(sample: Sample, rng: random.Random, fonts: list[str]) -> Image.Image:
    """Render ``sample`` as a phone screenshot with this sample's look (see the module docstring)."""
    font_px = rng.randint(34, 54)
    font = ImageFont.truetype(rng.choice(fonts), font_px)
    bg = rng.choice(((255, 255, 255), (237, 237, 237), (250, 246, 236), (232, 240, 250)))
    img = Image.new("RGB", SIZE, bg)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, SIZE[0], 96), fill=tuple(max(0, c - 12) for c in bg))
    clock = f"{rng.randint(8, 22)}:{rng.randint(10, 59)}"
    sample.drawn = [clock, *sample.rows]
    d.text((40, 24), clock, fill=(60, 60, 60), font=font.font_variant(size=34))
    y = rng.randint(150, 260)
    for i, row in enumerate(sample.rows):
        w = d.textlength(row, font=font)
        x = 60 if sample.kind != "chat" or i % 2 == 0 else int(SIZE[0] - 60 - w)
        if sample.kind == "chat":
            bubble = (255, 255, 255) if i % 2 == 0 else (149, 236, 105)
            d.rounded_rectangle((x - 24, y - 18, x + w + 24, y + font_px + 22), radius=14, fill=bubble)
        d.text((x, y), row, fill=(rng.randint(0, 50),) * 3, font=font)
        y += int(font_px * rng.uniform(2.0, 2.8))
    arr = np.asarray(img).astype(np.float32)
    arr += np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(0, 6), arr.shape)
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    img = img.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, fillcolor=bg)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=rng.randint(70, 95))
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _in_script(sample: Sample, script: str) -> Sample:
    """``sample`` drawn in ``script`` (see the module docstring); Simplified as it is."""
    if script == "zh-Hans":
        return sample
    sample.rows = [to_traditional(row, script) for row in sample.rows]
    if "place" in sample.fields:
        sample.fields["place"] = to_simplified(to_traditional(sample.fields["place"], script))
    return sample


def build(n_per_kind: int, seed: int = 20261206, script: str = "zh-Hans") -> list[Sample]:
    fonts = [f for f in FONTS if Path(f).is_file()]
    if not fonts:
        raise SystemExit("no CJK font installed (apt-get install fonts-wqy-microhei)")
    rng = random.Random(seed)
    out: list[Sample] = []
    for make in (chat, invitation, receipt, parcel):
        for _ in range(n_per_kind):
            s = _in_script(make(rng), script)
            s.image = draw(s, rng, fonts)
            out.append(s)
    return out
