"""What of a picture reaches the "cloud": its text only redacted and with consent; the picture itself only to
a vision model, with both ``camera_photos`` and ``cloud_processing``, and logged as such.

A real OpenAI-compatible server on loopback (tests/fake_openai.py) records what reaches the "cloud".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fake_openai import FakeOpenAI, Script
from lingxi.facade import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app
from vision_images import NO_FONT, cjk_font, data_url, image_parts, png, render

pytestmark = pytest.mark.skipif(cjk_font() is None, reason=NO_FONT)
PHONE_NO = "13812345678"
#: one model id per test, so each test reads only its own requests from the shared server
SEEING = ("vl-sees-1", "vl-sees-2", "vl-sees-3", "vl-sees-4")
BLIND = ("vl-blind-1",)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    scripts = {name: Script(reply="这是一张聊天截图。") for name in ("qwen-vl-fake", *SEEING, *BLIND)}
    with FakeOpenAI(scripts) as server:
        yield server


def test_image_text_reaches_the_cloud_only_redacted_and_with_consent(fake: FakeOpenAI, tmp_path: Path) -> None:
    (tmp_path / "lingxi.toml").write_text(
        f'[providers.vllm]\nbase_url = "{fake.base_url}"\nmodels = ["qwen-vl-fake"]\n', encoding="utf-8"
    )
    lx = Lingxi(tmp_path)
    client = TestClient(create_app(lx))
    url = data_url(render(["王芳：明天下午三点开会", f"王芳：有事打我电话{PHONE_NO}"]))
    parts = [{"type": "text", "text": "帮我总结这张截图"}, {"type": "image_url", "image_url": {"url": url}}]
    body = {"model": "vllm/qwen-vl-fake", "messages": [{"role": "user", "content": parts}]}
    headers = {"X-Lingxi-User": "u1"}

    lx.consents.grant("u1", Scope.CAMERA_PHOTOS)  # pictures allowed, the cloud not
    r = client.post("/v1/chat/completions", json=body, headers=headers)
    assert r.status_code == 403 and "cloud_processing" in r.json()["detail"]
    assert fake.received("qwen-vl-fake") == []  # nothing left the device

    lx.consents.grant("u1", Scope.CLOUD_PROCESSING)
    r = client.post("/v1/chat/completions", json=body, headers=headers)
    assert r.status_code == 200, r.text
    [sent] = fake.received("qwen-vl-fake")
    wire = json.dumps(sent.body, ensure_ascii=False)
    assert "image_url" not in wire and "base64" not in wire  # 0 images
    assert PHONE_NO not in wire  # the recognized phone number was redacted before it left
    assert "明天下午三点开会" in wire  # the rest of the recognized text is what the model works on
    [record] = lx.egress.for_user("u1")
    assert set(record.consents) == {"camera_photos", "cloud_processing"}


def _home(tmp_path: Path, fake: FakeOpenAI, models: list[str], seeing: list[str], extra: str = "") -> Lingxi:
    (tmp_path / "lingxi.toml").write_text(
        f'[providers.vllm]\nbase_url = "{fake.base_url}"\nmodels = {json.dumps(models)}\n'
        f"vision_models = {json.dumps(seeing)}\n{extra}",
        encoding="utf-8",
    )
    return Lingxi(tmp_path)


def _chat(model: str, url: str) -> dict[str, object]:
    parts = [{"type": "text", "text": "这张截图说了什么"}, {"type": "image_url", "image_url": {"url": url}}]
    return {"model": model, "messages": [{"role": "user", "content": parts}]}


def _texts(body: dict[str, object]) -> str:
    out = []
    for m in body["messages"]:  # type: ignore[attr-defined]
        c = m["content"]
        out += [c] if isinstance(c, str) else [p["text"] for p in c if p["type"] == "text"]
    return "\n".join(out)


def test_the_picture_reaches_a_vision_model_only_with_both_consents(fake: FakeOpenAI, tmp_path: Path) -> None:
    seeing = SEEING[0]
    lx = _home(tmp_path, fake, [seeing], [seeing])
    assert next(i for i in lx.models() if i.name == f"vllm/{seeing}").supports_vision
    client = TestClient(create_app(lx))
    body = _chat(f"vllm/{seeing}", data_url(render(["王芳：明天下午三点开会", f"王芳：有事打我电话{PHONE_NO}"])))
    headers = {"X-Lingxi-User": "u1"}

    lx.consents.grant("u1", Scope.CAMERA_PHOTOS)
    r = client.post("/v1/chat/completions", json=body, headers=headers)
    assert r.status_code == 403 and fake.received(seeing) == []  # no cloud consent: neither pixels nor text

    lx.consents.grant("u1", Scope.CLOUD_PROCESSING)
    r = client.post("/v1/chat/completions", json=body, headers=headers)
    assert r.status_code == 200, r.text
    [sent] = fake.received(seeing)
    [url] = image_parts(sent.body)  # the picture went, as a re-encoded JPEG (no EXIF rides along)
    assert url.startswith("data:image/jpeg;base64,")
    text = _texts(sent.body)
    assert PHONE_NO not in text and "明天下午三点开会" in text  # its recognized text still redacted
    [record] = lx.egress.for_user("u1")
    assert record.images == 1 and set(record.consents) == {"camera_photos", "cloud_processing"}


def test_a_model_that_does_not_see_gets_only_redacted_text(fake: FakeOpenAI, tmp_path: Path) -> None:
    seeing, blind = SEEING[1], BLIND[0]
    lx = _home(tmp_path, fake, [seeing, blind], [seeing])  # a vision model exists, so the picture is attached
    lx.consents.grant("u1", Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING)
    client = TestClient(create_app(lx))
    url = data_url(render([f"快递员电话{PHONE_NO}", "请到驿站取件"]))
    r = client.post("/v1/chat/completions", json=_chat(f"vllm/{blind}", url), headers={"X-Lingxi-User": "u1"})
    assert r.status_code == 200, r.text
    [sent] = fake.received(blind)
    wire = json.dumps(sent.body, ensure_ascii=False)
    assert image_parts(sent.body) == [] and "base64" not in wire and PHONE_NO not in wire
    assert lx.egress.for_user("u1")[0].images == 0  # the log says what left: text only


def test_the_operator_can_keep_pictures_home(fake: FakeOpenAI, tmp_path: Path) -> None:
    seeing = SEEING[2]
    lx = _home(tmp_path, fake, [seeing], [seeing], extra="[vision]\ncloud_images = false\n")
    lx.consents.grant("u1", Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING)
    client = TestClient(create_app(lx))
    url = data_url(render(["王芳：明天下午三点开会"]))
    r = client.post("/v1/chat/completions", json=_chat(f"vllm/{seeing}", url), headers={"X-Lingxi-User": "u1"})
    assert r.status_code == 200, r.text
    [sent] = fake.received(seeing)
    assert image_parts(sent.body) == [] and "明天下午三点开会" in _texts(sent.body)
    assert lx.egress.for_user("u1")[0].images == 0


def test_lx_vision_ask_sends_the_picture_to_a_vision_model_or_stays_home(fake: FakeOpenAI, tmp_path: Path) -> None:
    seeing = SEEING[3]
    lx = _home(tmp_path, fake, [seeing], [seeing])
    png_bytes = png(render(["实付 ¥45.50", "支付方式：微信支付"]))
    lx.consents.grant("u1", Scope.CAMERA_PHOTOS)
    _, answer = lx.vision.ask("u1", png_bytes, "我付了多少钱？", model=f"vllm/{seeing}")
    assert fake.received(seeing) == [] and (answer.model or "").startswith("lite/")  # on the device
    assert lx.egress.for_user("u1") == []

    lx.consents.grant("u1", Scope.CLOUD_PROCESSING)
    _, answer = lx.vision.ask("u1", png_bytes, "我付了多少钱？", model=f"vllm/{seeing}")
    assert answer.model == f"vllm/{seeing}"
    [sent] = fake.received(seeing)
    assert len(image_parts(sent.body)) == 1 and "45.50" in _texts(sent.body)
    assert lx.egress.for_user("u1")[0].images == 1
