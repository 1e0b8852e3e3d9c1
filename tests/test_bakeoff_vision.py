"""The bake-off's picture task: rendered notices, one field per item, exact values; vision models see pixels.

A real OpenAI-compatible server on loopback (tests/fake_openai.py) plays a vision model and a text model;
the lite tier (on-device OCR + extraction rules) is the classical floor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fake_openai import FakeOpenAI, Script
from lingxi.bakeoff import Bakeoff, score
from lingxi.bakeoff.tasks import DEFAULT_TASKS, parse_task_list
from lingxi.bakeoff.vision_items import PICTURES, field_found, font, vision_items
from lingxi.config import Settings

needs_font = pytest.mark.skipif(font() is None, reason="no CJK font installed (apt-get install fonts-wqy-microhei)")


def test_task_list_and_field_matching() -> None:
    assert "vision" not in parse_task_list("all") and list(DEFAULT_TASKS) == parse_task_list(None)
    assert parse_task_list("all,vision") == [*DEFAULT_TASKS, "vision"]
    assert parse_task_list("vision") == ["vision"]
    assert field_found("6-2-3071", "取件码是 ６－２－３０７１。") and field_found("14:30", "下午 14 : 30 开始")
    assert not field_found("116.00", "你付了 116 元") and not field_found("2027-03-18", "3月18日")


@needs_font
def test_items_are_the_pictures_fields() -> None:
    items = vision_items()
    assert len(items) == sum(len(values) for _, _, values in PICTURES)
    assert {i.data["field"] for i in items} == {"date", "time", "place", "amount", "pickup_code", "tracking_no"}


def _image_parts(body: dict[str, Any]) -> int:
    return sum(
        p["type"] == "image_url" for m in body["messages"] if isinstance(m["content"], list) for p in m["content"]
    )


@needs_font
def test_vision_task_sends_pictures_only_to_the_model_that_sees(tmp_path: Path) -> None:
    scripts = {"vl-bake": Script(reply="图片里写着 2027-03-18。"), "txt-bake": Script(reply="我看不到图片。")}
    with FakeOpenAI(scripts) as fake:
        (tmp_path / "lingxi.toml").write_text(
            f'[providers.vllm]\nbase_url = "{fake.base_url}"\nmodels = ["vl-bake", "txt-bake"]\n'
            'vision_models = ["vl-bake"]\ntimeout_s = 30\n',
            encoding="utf-8",
        )
        bake = Bakeoff(Settings.load(tmp_path), tmp_path / "out", concurrency=2, timeout_s=300, limit=4)
        bake.run(["vllm/vl-bake", "vllm/txt-bake", "lite"], ["vision"])
        seeing, blind = fake.received("vl-bake"), fake.received("txt-bake")
    assert len(seeing) == 4 and all(_image_parts(r.body) == 1 for r in seeing)
    assert len(blind) == 4 and all(_image_parts(r.body) == 0 for r in blind)
    assert all("base64" not in json.dumps(r.body) for r in blind)
    cards = {c.provider: c for c in score(bake.store, "default")}
    # the fixed reply names the first picture's date only: one of the four items, judged by the exact value
    assert cards["vllm/vl-bake"].tasks["vision"] == pytest.approx(0.25)
    assert cards["vllm/txt-bake"].tasks["vision"] == 0.0
    lite = cards["lite"].tasks["vision"]
    assert lite is not None and lite >= 0.75  # the classical floor: on-device OCR and the extraction rules
