"""Configured models are used and honestly reported: the default model rule, and probing self-hosted servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from gguf_fixture import write_random_qwen2_gguf
from lingxi import Lingxi
from lingxi.config import Settings
from lingxi.models import registry
from live_server import free_port
from test_cli import cli


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_random_qwen2_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


def _home(root: Path, toml: str) -> Path:
    root.mkdir(parents=True)
    (root / "lingxi.toml").write_text(toml, encoding="utf-8")
    return root


def test_a_configured_gguf_is_the_default_when_none_is_named(tmp_path: Path, tiny_gguf: Path) -> None:
    models = (
        f'[models.never-pulled]\npath = "qwen2.5-0.5b-instruct"\n[models.tiny]\npath = "{tiny_gguf}"\nn_ctx = 2048\n'
    )
    lx = Lingxi(_home(tmp_path / "a", models))
    assert lx.router.default == "tiny"  # the first *usable* one: the never-pulled GGUF is skipped
    translated = lx.writing.translate("你好", target="en")
    assert translated.model == "tiny"  # was: "no model is available" (the default stayed lite)
    named = Lingxi(_home(tmp_path / "b", 'default_model = "lite"\n' + models))
    assert named.router.default == "lite"  # a default_model someone wrote wins
    assert Lingxi(_home(tmp_path / "c", "")).router.default == "lite"  # nothing configured: the lite tier


def test_models_list_probes_self_hosted_servers(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}/v1"
    home = _home(tmp_path / "h", f'[providers.ollama]\nbase_url = "{dead}"\nmodels = ["qwen2.5"]\n')
    settings = Settings.load(home)
    _, rows = registry.build(settings)
    row = next(r for r in registry.probe(rows, settings) if r.name == "ollama/qwen2.5")
    assert not row.usable and "无法连接" in row.reason  # not "available" with nothing running
    listed = cli("models", "list", home=home)
    assert listed.returncode == 0 and "ollama/qwen2.5" in listed.stdout and "无法连接" in listed.stdout
