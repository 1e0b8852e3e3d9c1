"""Extension points: the example plug-in in examples/ adds a recognizer, keywords and a feature, 0 edits to lingxi.

The plug-in is found the way an installed one is — an entry point in the ``lingxi`` group of a distribution's
metadata on ``sys.path`` — without pip: the test writes the ``.dist-info`` that installing it would write.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lingxi import plugins
from lingxi.compliance.layers import screening_service
from lingxi.errors import LingxiError
from lingxi.facade import Lingxi
from lingxi.privacy.pii import find_pii
from lingxi.privacy.redact import RedactionMap, Redactor
from lingxi.server.app import create_app
from live_server import serve

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "lingxi-example-plugin"


def _install_metadata(site: Path) -> None:
    info = site / "lingxi_example_plugin-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: lingxi-example-plugin\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[lingxi]\nexample = lingxi_example_plugin\n")


@pytest.fixture
def example_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    site = tmp_path / "site"
    _install_metadata(site)
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv("LINGXI_PLUGINS", raising=False)
    plugins.reset()
    yield
    plugins.reset()
    sys.modules.pop("lingxi_example_plugin", None)


def test_recognizer_from_a_plugin_redacts_at_the_boundary(example_plugin: None) -> None:
    text = "我的学号是2021123456，麻烦帮我查成绩"
    assert [(s.type, s.text) for s in find_pii(text) if s.type == "学号"] == [("学号", "2021123456")]
    assert "2021123456" not in Redactor().redact(text, RedactionMap())
    assert not [s for s in find_pii("订单2021123456已发货") if s.type == "学号"]  # context word required


def test_no_plugins_when_the_operator_rules_them_out(example_plugin: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGXI_PLUGINS", "")
    plugins.reset()
    assert not [s for s in find_pii("学号2021123456") if s.type == "学号"]
    monkeypatch.setenv("LINGXI_PLUGINS", "example")
    plugins.reset()
    assert [s for s in find_pii("学号2021123456") if s.type == "学号"]


def test_keyword_source_from_a_plugin_blocks(example_plugin: None, home: Path) -> None:
    lx = Lingxi(home)
    screener, _ = screening_service(lx.settings, warn=False)
    assert screener.screen("这里有示例违禁短语").blocked
    assert not screener.screen("今天天气不错").blocked


def test_feature_from_a_plugin_runs_through_the_pipeline(example_plugin: None, home: Path) -> None:
    lx = Lingxi(home)
    assert lx.extensions.names() == ["greeting"]
    result = lx.extensions.run("greeting", {"to": "王老师", "festival": "中秋"})
    assert "王老师" in result["greeting"] and "中秋快乐" in result["greeting"]
    entries = lx.audit.entries()
    assert entries and entries[0]["feature"] == "greeting"  # audited like every built-in feature (newest first)

    with serve(create_app(lx)) as (url, _):
        listed = httpx.get(f"{url}/v1/features/ext")
        assert listed.json() == {"features": ["greeting"]}
        r = httpx.post(f"{url}/v1/features/ext/greeting", json={"inputs": {"to": "李阿姨", "festival": "春节"}})
        body: dict[str, Any] = r.json()
        assert r.status_code == 200, body
        assert "李阿姨" in body["greeting"] and body["answer"]["label"]  # AI-content label like any feature
        assert body["answer"]["model_kind"] != "llm"  # the lite tier's rule-made answer says what it is
        missing = httpx.post(f"{url}/v1/features/ext/nothing", json={})
        assert missing.status_code == 404 and "greeting" in missing.json()["detail_zh"]


def test_a_failing_plugin_is_named(example_plugin: None) -> None:
    class Broken:
        @plugins.hookimpl
        def register_pii_recognizers(self, register: Any) -> None:
            raise RuntimeError("boom")

    plugins.manager().register(Broken(), name="broken-plugin")
    with pytest.raises(LingxiError) as err:
        plugins.collect("register_pii_recognizers")
    assert "broken-plugin" in str(err.value) and "boom" in str(err.value)
