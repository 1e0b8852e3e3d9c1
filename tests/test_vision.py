"""Pictures on the device: intake limits, OCR with layout, QR, extraction, proposals, consent, the surfaces.

Images are rendered here (tests/vision_images.py) with a CJK font from the system packages; the OCR model
loads once per session (``vision_lx`` shares one home, and engines are shared per process).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from lingxi.cli import app as cli_app
from lingxi.config import VisionSettings
from lingxi.errors import ConsentRequired, InvalidInput
from lingxi.facade import Lingxi
from lingxi.privacy.consent import SEPARATE_CONSENT, ConsentStore, Scope
from lingxi.server.app import create_app
from lingxi.vision import intake
from lingxi.vision.extract import classify, extract
from lingxi.vision.fields import find_amount_fen, find_date, find_times
from vision_images import CHAT, INVITATION, NO_FONT, PARCEL, RECEIPT, cjk_font, data_url, png, render

needs_font = pytest.mark.skipif(cjk_font() is None, reason=NO_FONT)
NOW = 1_796_300_000_000  # 2026-12-03 (Asia/Shanghai)


@pytest.fixture(scope="module")
def vision_lx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lingxi]:
    lx = Lingxi(tmp_path_factory.mktemp("vision"))
    lx.consents.grant("u1", Scope.CAMERA_PHOTOS, Scope.PAYMENTS, Scope.CALENDAR, Scope.SHOPPING)
    yield lx


# -- consent ---------------------------------------------------------------------------------------------
def test_camera_photos_is_a_separate_consent(tmp_path: Path) -> None:
    assert Scope.CAMERA_PHOTOS in SEPARATE_CONSENT
    lx = Lingxi(tmp_path)
    granted = lx.consents.grant_all_except_sensitive("u2")  # "agree to all" never includes it
    assert Scope.CAMERA_PHOTOS not in granted and Scope.CAMERA_PHOTOS not in ConsentStore(lx.db).granted("u2")
    with pytest.raises(ConsentRequired, match="camera_photos"):
        lx.vision.read("u2", b"not even an image")  # refused before any byte is decoded


# -- intake ----------------------------------------------------------------------------------------------
def test_intake_refuses_bad_input_clearly() -> None:
    limits = VisionSettings(max_bytes=50_000, max_pixels=1_000_000)
    with pytest.raises(InvalidInput) as e:
        intake.decode(b"GIF89a not really", limits)
    assert "无法识别的图片格式" in e.value.message_zh
    with pytest.raises(InvalidInput, match="pixels") as e:
        intake.decode(png(Image.new("L", (2000, 1000))), limits)  # 2 MP > 1 MP, refused from the header
    assert "像素上限" in e.value.message_zh
    with pytest.raises(InvalidInput, match="bytes"):
        intake.decode(b"\x89PNG" + b"0" * 60_000, limits)
    with pytest.raises(InvalidInput, match="base64"):
        intake.load("data:image/png;base64,@@@@", limits)
    with pytest.raises(InvalidInput, match="not an image"):
        intake.load("data:text/plain;base64," + base64.b64encode(b"hi").decode(), limits)
    with pytest.raises(InvalidInput, match="data URL"):
        intake.load("/etc/hostname", limits)  # a string from a client is never a server file path
    with pytest.raises(InvalidInput, match="not allowed") as e:
        intake.load("http://127.0.0.1:9/x.png", limits)  # no host allowed by default: nothing is fetched
    assert "data URL" in e.value.message_zh
    tiff = io.BytesIO()
    Image.new("RGB", (10, 10)).save(tiff, format="TIFF")
    with pytest.raises(InvalidInput, match="TIFF"):
        intake.decode(tiff.getvalue(), limits)
    ok = intake.load(data_url(Image.new("RGBA", (40, 30))), limits)
    assert ok.size == (40, 30) and ok.image.mode == "RGB" and ok.source == "data_url"


# -- fields and extraction (pure) ------------------------------------------------------------------------
def test_fields_from_text() -> None:
    today = date(2026, 12, 3)
    assert find_date("12月18日（周五）", today) == "2026-12-18"
    assert find_date("1月5日", today) == "2027-01-05"  # a passed month-day is next year's
    assert find_date("2026年12月1日", today) == "2026-12-01"
    assert find_times("下午2:30-5:00") == ["14:30", "17:00"]
    assert find_times("晚上七点半") == ["19:30"]
    assert find_amount_fen("商品合计 ¥135.50\n优惠 -7.00\n实付 ￥128.50") == 12850
    assert find_amount_fen("没有金额") is None


def test_extract_each_kind_from_text() -> None:
    today = date(2026, 12, 3)
    inv = extract("\n".join(INVITATION), today)
    assert (inv.kind, inv.title, inv.date, inv.time, inv.end_time) == (
        "invitation", "星河科技2027新品发布会", "2027-01-16", "14:30", "17:00",
    )  # fmt: skip
    assert inv.place == "北京国贸大酒店三层宴会厅"
    rec = extract("\n".join(RECEIPT), today)
    assert (rec.kind, rec.amount_fen, rec.channel, rec.date) == ("receipt", 12850, "支付宝", "2026-12-03")
    par = extract("".join(PARCEL), today)
    assert (par.kind, par.pickup_code, par.tracking_no, par.carrier) == ("parcel", "8-3-2051", "78812345678901", "中通")
    assert par.parcel_status == "awaiting_pickup"
    chat = extract("\n".join(CHAT), today)
    assert chat.kind == "chat" and chat.messages[1] == ("李娜", "好的，我会准时到")
    assert classify("今天天气不错") == "other"
    # a screenshot's status-bar clock is not the event's time
    shot = extract("\n".join(["14:56 5G 87%", *INVITATION[:2], "时间：2027年1月16日", "上午9:30开始"]), today)
    assert (shot.date, shot.time) == ("2027-01-16", "09:30")


# -- OCR, QR and proposals on rendered screenshots ----------------------------------------------------------
@needs_font
def test_ocr_reads_a_chat_screenshot_in_order(vision_lx: Lingxi) -> None:
    reading = vision_lx.vision.read("u1", png(render(CHAT)))
    rows = reading.text.splitlines()
    assert [r.replace(" ", "") for r in rows] == CHAT  # every row, in reading order
    assert reading.width == 1080 and reading.height == 2400
    assert all(line.confidence > 0.8 for line in reading.lines)
    top = [line.box[0][1] for line in reading.lines]
    assert top == sorted(top)  # boxes top to bottom


@needs_font
def test_traditional_text_is_converted_when_asked(vision_lx: Lingxi) -> None:
    # PP-OCR's Chinese model reads common Traditional characters (some rarer ones it misses: 幫, 議)
    img = png(render(["請出示會員卡"]))
    assert vision_lx.vision.read("u1", img).text == "请出示会员卡"
    kept = vision_lx.vision.read("u1", img, simplified=False)
    assert kept.script == "zh-Hant" and kept.text == "請出示會員卡"


def test_a_mixed_script_reading_is_converted_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """PP-OCR returns 實付金額 as 實付金额 (額 is not in its list, 额 is): the page no longer looks Traditional,
    and each box is converted all the same, so the amount rules see 实付金额."""
    from lingxi.config import VisionSettings
    from lingxi.vision import ocr
    from lingxi.vision.intake import Picture

    box = [[10, 10], [300, 10], [300, 50], [10, 50]]
    monkeypatch.setattr(ocr, "load_models", lambda settings: object())
    monkeypatch.setattr(ocr, "recognize", lambda engine, image, settings: [(box, "實付金额 ¥46.38", 0.9)])
    picture = Picture(Image.new("RGB", (400, 100), "white"), "PNG", "test")
    engine = ocr.OcrEngine(VisionSettings())
    assert engine.read(picture).text == "实付金额 ¥46.38"
    assert engine.read(picture, simplified=False).text == "實付金额 ¥46.38"


def test_qr_code_is_decoded(vision_lx: Lingxi) -> None:
    qr = zxingcpp.create_barcode("https://example.cn/取件?code=8-3-2051", zxingcpp.BarcodeFormat.QRCode)
    img = Image.new("RGB", (600, 600), "white")
    img.paste(Image.fromarray(qr.to_image(scale=8)).convert("RGB"), (100, 100))
    codes = vision_lx.vision.read("u1", png(img)).codes
    assert [c["text"] for c in codes] == ["https://example.cn/取件?code=8-3-2051"]
    assert codes[0]["format"] == "QRCode"


@needs_font
def test_invitation_proposes_a_calendar_entry_confirmed_first(vision_lx: Lingxi) -> None:
    result = vision_lx.vision.extract("u1", png(render(INVITATION)), now_ms=NOW)
    assert result.extracted.kind == "invitation"
    [p] = result.proposals.items
    assert p.tool == "create_calendar_event" and p.args["location"] == "北京国贸大酒店三层宴会厅"
    assert p.args["end_ms"] - p.args["start_ms"] == 150 * 60_000  # type: ignore[operator]
    before = vision_lx.events.query("u1", types=["app_action"])
    assert before == []  # nothing is created until the user confirms
    done = vision_lx.assistant.confirm("u1", result.proposals.session_id or "", p.action_id, True)
    assert done.status == "done" and len(vision_lx.events.query("u1", types=["app_action"])) == 1


@needs_font
def test_receipt_proposes_a_payment_and_answers_how_much(vision_lx: Lingxi) -> None:
    img = png(render(RECEIPT))
    result = vision_lx.vision.extract("u1", img, now_ms=NOW)
    [p] = result.proposals.items
    assert p.tool == "record_payment" and p.args["amount_fen"] == 12850
    vision_lx.assistant.confirm("u1", result.proposals.session_id or "", p.action_id, True)
    [pay] = vision_lx.events.query("u1", types=["payment"])
    assert pay.amount_fen == 12850 and pay.merchant.startswith("盒马鲜生")  # type: ignore[union-attr]
    _, answer = vision_lx.vision.ask("u1", img, "我付了多少？", now_ms=NOW)
    assert "128.50" in answer.text and answer.audit_id


@needs_font
def test_parcel_notice_updates_the_matching_order(vision_lx: Lingxi) -> None:
    order = {
        "type": "order", "event_id": "o-1", "user_id": "u1", "ts": NOW - 86_400_000, "source_app": "淘宝",
        "order_id": "TB-77", "platform": "淘宝", "items": [{"name": "保温杯", "price_fen": 9900}],
        "total_fen": 9900, "status": "shipped", "carrier": "中通", "tracking_no": "78812345678901",
    }  # fmt: skip
    vision_lx.ingest([order])
    result = vision_lx.vision.extract("u1", png(render(PARCEL)), now_ms=NOW)
    assert result.extracted.pickup_code == "8-3-2051"
    [p] = result.proposals.items
    assert p.tool == "update_parcel" and p.args["order_id"] == "TB-77" and "8-3-2051" in p.note_zh
    vision_lx.assistant.confirm("u1", result.proposals.session_id or "", p.action_id, True)
    latest = max(vision_lx.events.query("u1", types=["order"]), key=lambda e: e.ts)
    assert latest.status == "out_for_delivery"  # type: ignore[union-attr]


# -- surfaces ---------------------------------------------------------------------------------------------
@needs_font
def test_http_read_extract_and_chat_image_parts(vision_lx: Lingxi) -> None:
    client = TestClient(create_app(vision_lx))
    url = data_url(render(RECEIPT))
    r = client.post("/v1/features/vision/read", json={"image_url": url, "user_id": "u1"})
    assert r.status_code == 200 and "实付" in r.json()["text"]
    r = client.post("/v1/features/vision/extract", json={"image_url": url, "user_id": "u1"})
    assert r.json()["extracted"]["amount_fen"] == 12850 and r.json()["proposals"]["items"]
    r = client.post("/v1/features/vision/read", json={"image_url": "data:image/png;base64,AAAA", "user_id": "u1"})
    assert r.status_code == 400 and "图片" in r.json()["detail_zh"]
    r = client.post("/v1/features/vision/read", json={"image_url": url, "user_id": "nobody"})
    assert r.status_code == 403
    parts = [{"type": "text", "text": "这张图里有什么？"}, {"type": "image_url", "image_url": {"url": url}}]
    body = {"model": "lite", "user": "u1", "messages": [{"role": "user", "content": parts}]}
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 200, r.text
    too_many = {**body, "messages": [{"role": "user", "content": parts[1:] * 5}]}
    r = client.post("/v1/chat/completions", json=too_many)
    assert r.status_code == 400 and "最多 4 张" in r.json()["detail_zh"]
    audio = [{"type": "input_audio", "text": "x"}]
    r = client.post("/v1/chat/completions", json={**body, "messages": [{"role": "user", "content": audio}]})
    assert r.status_code == 400 and "image_url" in r.json()["detail"]
    body["user"] = "nobody"  # no camera_photos consent: refused, nothing read
    r = client.post("/v1/chat/completions", json=body)
    assert r.status_code == 403 and "camera_photos" in r.json()["detail"]


@needs_font
def test_chat_screenshot_summary_key_points_and_reply(vision_lx: Lingxi) -> None:
    img = png(render(CHAT))
    _, summary = vision_lx.vision.ask("u1", img, "总结一下这段聊天")
    assert summary.model == "lite/textrank" and any(m in summary.text for m in CHAT)  # extractive, labeled so
    _, points = vision_lx.vision.ask("u1", img, "有哪些要点？")
    assert points.text.count("\n") >= 1 and "张伟：周六上午十点在公司开会" in points.text
    _, reply = vision_lx.vision.ask("u1", img, "我该怎么回复？")
    assert reply.model == "lite/retrieval" and reply.text


@needs_font
def test_cli_see(vision_lx: Lingxi, tmp_path: Path) -> None:
    path = tmp_path / "receipt.png"
    render(RECEIPT).save(path)
    home = ["--home", str(vision_lx.settings.home)]
    r = CliRunner().invoke(cli_app, ["features", "see", str(path), "我付了多少？", "--user", "u1", *home])
    assert r.exit_code == 0, r.output
    assert "128.50" in r.output
