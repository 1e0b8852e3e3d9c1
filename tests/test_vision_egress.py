"""A picture in a chat request never leaves the device as pixels, and its text leaves only redacted, with consent.

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
from vision_images import NO_FONT, cjk_font, data_url, render

pytestmark = pytest.mark.skipif(cjk_font() is None, reason=NO_FONT)
PHONE_NO = "13812345678"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI({"qwen-vl-fake": Script(reply="这是一张聊天截图。")}) as server:
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
