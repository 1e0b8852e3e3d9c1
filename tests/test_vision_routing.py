"""Where an image turn goes: to a model that sees when the picture may leave, else its recognized text to the
normally routed model — always inside the routing policy, whatever model the client names.

Two "cloud" models on a real loopback OpenAI-compatible server (tests/fake_openai.py): ``blind`` (the default
model, text only) and ``seeing`` (``vision_models``). Each test uses its own pair of model ids, so it reads
only its own requests from the shared server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fake_openai import FakeOpenAI, Script
from lingxi.facade import Lingxi
from lingxi.models.base import Locality, ModelInfo, ModelKind
from lingxi.models.router import Router, Rule
from lingxi.privacy.classify import PrivacyClass
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app
from vision_images import NO_FONT, cjk_font, data_url, image_parts, png, render

PHONE_NO = "13812345678"
PAIRS = [(f"route-blind-{i}", f"route-sees-{i}") for i in range(6)]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    scripts = {name: Script(reply="这是一张截图。") for pair in PAIRS for name in pair}
    with FakeOpenAI(scripts) as server:
        yield server


def _home(tmp_path: Path, fake: FakeOpenAI, pair: tuple[str, str], extra: str = "") -> Lingxi:
    blind, seeing = pair
    (tmp_path / "lingxi.toml").write_text(
        f'default_model = "vllm/{blind}"\n'
        f'[providers.vllm]\nbase_url = "{fake.base_url}"\nmodels = {json.dumps([blind, seeing])}\n'
        f"vision_models = {json.dumps([seeing])}\n{extra}",
        encoding="utf-8",
    )
    return Lingxi(tmp_path)


def _chat(model: str) -> dict[str, object]:
    url = data_url(render(["王芳：明天下午三点开会", f"王芳：有事打我电话{PHONE_NO}"]))
    parts = [{"type": "text", "text": "这张截图说了什么"}, {"type": "image_url", "image_url": {"url": url}}]
    return {"model": model, "messages": [{"role": "user", "content": parts}]}


needs_font = pytest.mark.skipif(cjk_font() is None, reason=NO_FONT)


@needs_font
def test_a_chat_picture_goes_to_the_model_that_sees_only_with_both_consents(fake: FakeOpenAI, tmp_path: Path) -> None:
    blind, seeing = PAIRS[0]
    lx = _home(tmp_path, fake, PAIRS[0])
    client = TestClient(create_app(lx))
    headers = {"X-Lingxi-User": "u1"}
    listed = {m["id"]: m["lingxi"]["supports_vision"] for m in client.get("/v1/models").json()["data"]}
    assert listed[f"vllm/{seeing}"] is True and listed[f"vllm/{blind}"] is False

    lx.consents.grant("u1", Scope.CAMERA_PHOTOS)  # pictures read on the device, the cloud not allowed
    r = client.post("/v1/chat/completions", json=_chat("auto"), headers=headers)
    assert r.status_code == 200 and r.json()["model"].startswith("lite/")  # answered on the device
    assert fake.received(blind) == [] and fake.received(seeing) == []  # neither pixels nor text left
    assert lx.egress.for_user("u1") == []

    lx.consents.grant("u1", Scope.CLOUD_PROCESSING)
    r = client.post("/v1/chat/completions", json=_chat("auto"), headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["model"] == f"vllm/{seeing}" and fake.received(blind) == []
    [sent] = fake.received(seeing)
    assert len(image_parts(sent.body)) == 1
    assert PHONE_NO not in json.dumps(sent.body, ensure_ascii=False).replace(image_parts(sent.body)[0], "")
    assert lx.egress.for_user("u1")[0].images == 1


@needs_font
def test_without_the_operator_switch_the_normal_route_gets_redacted_text(fake: FakeOpenAI, tmp_path: Path) -> None:
    blind, seeing = PAIRS[1]
    lx = _home(tmp_path, fake, PAIRS[1], extra="[vision]\ncloud_images = false\n")
    lx.consents.grant("u1", Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING)
    r = TestClient(create_app(lx)).post("/v1/chat/completions", json=_chat("auto"), headers={"X-Lingxi-User": "u1"})
    assert r.status_code == 200, r.text
    assert fake.received(seeing) == []  # no picture attached: no reason to prefer the model that sees
    [sent] = fake.received(blind)
    wire = json.dumps(sent.body, ensure_ascii=False)
    assert image_parts(sent.body) == [] and "base64" not in wire
    assert PHONE_NO not in wire and "明天下午三点开会" in wire
    assert lx.egress.for_user("u1")[0].images == 0


@needs_font
def test_lx_vision_ask_prefers_the_model_that_sees_or_stays_home(fake: FakeOpenAI, tmp_path: Path) -> None:
    blind, seeing = PAIRS[2]
    lx = _home(tmp_path, fake, PAIRS[2])
    picture = png(render(["实付 ¥45.50", f"客服电话 {PHONE_NO}"]))
    lx.consents.grant("u1", Scope.CAMERA_PHOTOS)
    _, answer = lx.vision.ask("u1", picture, "我付了多少钱？")
    assert (answer.model or "").startswith("lite/") and lx.egress.for_user("u1") == []  # on the device

    lx.consents.grant("u1", Scope.CLOUD_PROCESSING)
    _, answer = lx.vision.ask("u1", picture, "我付了多少钱？")
    assert answer.model == f"vllm/{seeing}" and fake.received(blind) == []
    [sent] = fake.received(seeing)
    assert len(image_parts(sent.body)) == 1 and lx.egress.for_user("u1")[0].images == 1

    lx.consents.withdraw("u1", Scope.CLOUD_PROCESSING)
    _, answer = lx.vision.ask("u1", picture, "我付了多少钱？")
    assert (answer.model or "").startswith("lite/") and len(fake.received(seeing)) == 1


@needs_font
def test_a_rule_wins_over_the_picture_and_over_the_client(fake: FakeOpenAI, tmp_path: Path) -> None:
    blind, seeing = PAIRS[3]
    rule = f'[[routing.rules]]\nfeature = "chat"\ncandidates = ["vllm/{blind}"]\n'
    lx = _home(tmp_path, fake, PAIRS[3], extra=rule)
    lx.consents.grant("u1", Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING)
    client = TestClient(create_app(lx))
    r = client.post("/v1/chat/completions", json=_chat(f"vllm/{seeing}"), headers={"X-Lingxi-User": "u1"})
    assert r.status_code == 403 and fake.received(seeing) == []  # the client cannot name its way past the rule

    r = client.post("/v1/chat/completions", json=_chat("auto"), headers={"X-Lingxi-User": "u1"})
    assert r.status_code == 200, r.text
    assert fake.received(seeing) == []  # the rule allows no model that sees: the picture stays home
    [sent] = fake.received(blind)
    assert image_parts(sent.body) == [] and PHONE_NO not in json.dumps(sent.body, ensure_ascii=False)


@needs_font
def test_a_client_naming_a_model_keeps_it(fake: FakeOpenAI, tmp_path: Path) -> None:
    blind, seeing = PAIRS[4]
    lx = _home(tmp_path, fake, PAIRS[4])
    lx.consents.grant("u1", Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING)
    r = TestClient(create_app(lx)).post(
        "/v1/chat/completions", json=_chat(f"vllm/{blind}"), headers={"X-Lingxi-User": "u1"}
    )
    assert r.status_code == 200, r.text
    assert fake.received(seeing) == []
    [sent] = fake.received(blind)
    assert image_parts(sent.body) == []  # the egress boundary drops the picture for a model that does not see


class _Stub:
    """A model that is never called: the router only reads its info."""

    def __init__(self, name: str, provider: str, locality: Locality, sees: bool = False) -> None:
        self.info = ModelInfo(name=name, provider=provider, locality=locality, kind=ModelKind.LLM, supports_vision=sees)

    async def stream(self, request: object) -> None:  # pragma: no cover - never called
        raise AssertionError


def _router(rules: tuple[Rule, ...] = ()) -> Router:
    models = [
        _Stub("lite/x", "lite", Locality.ON_DEVICE),
        _Stub("c/blind", "c", Locality.CLOUD),
        _Stub("c/sees", "c", Locality.CLOUD, sees=True),
    ]
    return Router(models, default="c/blind", rules=rules)  # type: ignore[arg-type]


def _names(router: Router, **kw: object) -> list[str]:
    args: dict[str, object] = {"feature": "vision", "requested": None, "task": None}
    args |= {"privacy": PrivacyClass.PERSONAL, "cloud_ok": True} | kw
    return [m.info.name for m in router.decide(**args).candidates]  # type: ignore[arg-type]


def test_router_puts_the_models_that_see_first_only_for_a_picture_that_may_leave() -> None:
    router = _router()
    assert _names(router) == ["c/blind", "lite/x"]
    assert _names(router, images=True) == ["c/sees", "c/blind", "lite/x"]
    assert _names(router, images=True, cloud_ok=False) == ["lite/x"]  # privacy still drops the cloud
    assert _names(router, images=True, requested="c/blind") == ["c/blind", "c/sees", "lite/x"]
    ruled = _router((Rule("vision", ("c/blind",)),))
    assert _names(ruled, images=True) == ["c/blind", "lite/x"]  # the rule has no model that sees


def test_models_list_shows_which_models_see(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from lingxi.cli.root import app

    (tmp_path / "lingxi.toml").write_text(
        '[providers.vllm]\nbase_url = "http://127.0.0.1:9/v1"\nmodels = ["a", "b"]\nvision_models = ["b"]\n',
        encoding="utf-8",
    )
    out = CliRunner().invoke(app, ["models", "list", "--home", str(tmp_path)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "识图" in out.output
    rows = {line.split("│")[1].strip(): line for line in out.output.splitlines() if line.count("│") > 4}
    assert rows["vllm/b"].split("│")[4].strip() == "是" and rows["vllm/a"].split("│")[4].strip() == ""
