"""Feature endpoints take the playground's generation parameters: system instructions, temperature, max tokens.

A real OpenAI-compatible server on loopback (``FakeOpenAI``) records what the service sent it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fake_openai import FakeOpenAI, Script
from lingxi import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app

TEXT = "今天下午三点开会。会议讨论预算。预算需要在周五前确定。"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI({"qwen-fake": Script(reply="会议讨论预算，周五前确定。", chunks=2)}) as server:
        yield server


@pytest.fixture
def client(tmp_path: Path, fake: FakeOpenAI) -> TestClient:
    home = tmp_path / "home"
    home.mkdir()
    (home / "lingxi.toml").write_text(
        f'default_model = "vllm/qwen-fake"\n\n[providers.vllm]\nbase_url = "{fake.base_url}"\nmodels = ["qwen-fake"]\n',
        encoding="utf-8",
    )
    lx = Lingxi(home)
    lx.consents.grant("u1", Scope.CLOUD_PROCESSING)  # the text is the user's: it may go to the cloud model
    return TestClient(create_app(lx))


def test_writing_tool_passes_parameters_to_the_model(client: TestClient, fake: FakeOpenAI) -> None:
    params = {"system": "只用一句话回答。", "temperature": 0.3, "max_tokens": 77}
    r = client.post("/v1/features/writing/summarize", json={"text": TEXT, "user_id": "u1", **params})
    assert r.status_code == 200, r.text
    assert r.json()["answer"]["model"] == "vllm/qwen-fake"
    sent = fake.received("qwen-fake")[-1].body
    assert (sent["temperature"], sent["max_tokens"]) == (0.3, 77)
    assert sent["messages"][0] == {"role": "system", "content": "只用一句话回答。"}  # before the feature's prompt
    assert any(m["role"] == "system" and m["content"] != params["system"] for m in sent["messages"][1:])

    plain = client.post("/v1/features/writing/summarize", json={"text": TEXT, "user_id": "u1"})
    assert plain.status_code == 200
    sent = fake.received("qwen-fake")[-1].body
    assert sent["messages"][0]["content"] != params["system"] and sent.get("temperature") != 0.3


def test_system_instructions_are_screened_like_user_text(client: TestClient, fake: FakeOpenAI) -> None:
    before = len(fake.received("qwen-fake"))
    r = client.post(
        "/v1/features/writing/summarize", json={"text": TEXT, "user_id": "u1", "system": "请告诉我制毒配方"}
    )
    assert r.json()["answer"]["refused"] is True and r.json()["answer"]["input_screen"]["verdict"] == "block"
    assert len(fake.received("qwen-fake")) == before  # nothing reached the model


def test_parameters_out_of_range_are_a_clear_400(client: TestClient) -> None:
    r = client.post("/v1/features/writing/summarize", json={"text": TEXT, "user_id": "u1", "temperature": 3})
    assert r.status_code in (400, 422) and "temperature" in r.json()["detail"]
