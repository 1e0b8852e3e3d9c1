"""OpenAI clients see lingxi's errors as readable exceptions, and a named model answers or fails clearly.

The official ``openai`` client (sync and async) against a real server on a loopback socket: every error
status it maps to an exception class carries lingxi's message (not a bare ``Error code: 404``), with
``type``/``code``/``param`` from OpenAI's error object; the problem-JSON members stay alongside.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from lingxi import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.server.app import create_app
from lingxi.server.keys import KeyStore, load_secret
from live_server import free_port, serve

HELLO = [{"role": "user", "content": "你好"}]
CLOUD_USER = "u-cloud"  # has agreed to cloud processing (PIPL Art. 23)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    home = tmp_path_factory.mktemp("oai") / "home"
    home.mkdir()
    dead = free_port()  # nothing listens here: a self-hosted model that is down
    (home / "lingxi.toml").write_text(
        "[server]\nmax_body_bytes = 4096\n"
        f'[providers.dead]\npreset = "vllm"\nbase_url = "http://127.0.0.1:{dead}/v1"\nmodels = ["qwen"]\n'
        "[providers.deepseek]\n",  # configured by the operator, but the server has no DEEPSEEK_API_KEY
        encoding="utf-8",
    )
    lx = Lingxi(home)
    lx.consents.grant(CLOUD_USER, Scope.CLOUD_PROCESSING)  # personal text may reach an off-device model
    store = KeyStore(lx.db, load_secret(lx.settings.home))
    keys = {"features": store.create("app", ["features"])[1], "events": store.create("ingest", ["events"])[1]}
    with serve(create_app(lx)) as (url, _):
        yield url, keys


def _client(served: tuple[str, dict[str, str]], key: str | None = None) -> openai.OpenAI:
    url, keys = served
    return openai.OpenAI(base_url=url + "/v1", api_key=key or keys["features"], max_retries=0, timeout=30)


def _readable(exc: openai.APIStatusError, status: int, *words: str) -> None:
    assert exc.status_code == status
    text = str(exc)
    assert text.startswith(f"Error code: {status} - ") and len(text) > len(f"Error code: {status} - ") + 5
    assert all(w in text for w in words), text
    assert isinstance(exc.body, dict) and exc.body["message"] in text and exc.type


def test_400_names_the_parameter(served: tuple[str, dict[str, str]]) -> None:
    with pytest.raises(openai.BadRequestError) as e:
        _client(served).chat.completions.create(model="lite", messages=HELLO, temperature=5)
    _readable(e.value, 400, "temperature")
    assert e.value.type == "invalid_request_error" and e.value.param == "temperature" and e.value.code


def test_401_403_404(served: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(openai.AuthenticationError) as e401:
        _client(served, "lx_not-a-key").chat.completions.create(model="lite", messages=HELLO)
    _readable(e401.value, 401)
    with pytest.raises(openai.PermissionDeniedError) as e403:
        _client(served, served[1]["events"]).chat.completions.create(model="lite", messages=HELLO)
    _readable(e403.value, 403, "features")
    with pytest.raises(openai.NotFoundError) as e404:
        _client(served).chat.completions.create(model="nobody/nothing", messages=HELLO)
    _readable(e404.value, 404, "nobody")
    assert e404.value.code == "model_not_found"


def test_413_and_429(served: tuple[str, dict[str, str]], home: Path) -> None:
    with pytest.raises(openai.APIStatusError) as e413:
        _client(served).chat.completions.create(model="lite", messages=[{"role": "user", "content": "长" * 5000}])
    _readable(e413.value, 413, "4096")
    home.mkdir(parents=True)
    (home / "lingxi.toml").write_text("[server]\nuser_rate_per_s = 0.001\nuser_burst = 2\n", encoding="utf-8")
    lx = Lingxi(home)
    _, key = KeyStore(lx.db, load_secret(lx.settings.home)).create("app", ["features"])
    with serve(create_app(lx)) as (url, _):
        _test_rate_limit(openai.OpenAI(base_url=url + "/v1", api_key=key, max_retries=0, timeout=30))


def _test_rate_limit(client: openai.OpenAI) -> None:
    for _ in range(2):
        client.chat.completions.create(model="lite", messages=HELLO, user="busy")
    with pytest.raises(openai.RateLimitError) as e429:
        client.chat.completions.create(model="lite", messages=HELLO, user="busy")
    _readable(e429.value, 429)
    assert e429.value.type == "rate_limit_error"


def test_missing_vendor_key_on_the_server_is_503(
    served: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    with pytest.raises(openai.InternalServerError) as e:
        _client(served).chat.completions.create(model="deepseek/deepseek-chat", messages=HELLO, user=CLOUD_USER)
    _readable(e.value, 503, "DEEPSEEK_API_KEY")
    assert e.value.code == "missing_credentials"


def test_a_named_model_that_is_down_fails_fast_unless_fallback_is_allowed(served: tuple[str, dict[str, str]]) -> None:
    with pytest.raises(openai.InternalServerError) as e:
        _client(served).chat.completions.create(model="dead/qwen", messages=HELLO, user=CLOUD_USER)
    _readable(e.value, 503, "dead/qwen")
    r = _client(served).chat.completions.create(
        model="dead/qwen", messages=HELLO, user=CLOUD_USER, extra_headers={"X-Lingxi-Fallback": "allow"}
    )
    assert r.model.startswith("lite/")  # opted in: another tier answered, and says which model failed
    assert [f["model"] for f in r.model_extra["lingxi"]["fallbacks"]] == ["dead/qwen"]  # type: ignore[index]


def test_a_lite_model_is_answered_by_that_model_or_refused(served: tuple[str, dict[str, str]]) -> None:
    r = _client(served).chat.completions.create(model="lite/retrieval", messages=HELLO)
    assert r.model == "lite/retrieval"
    with pytest.raises(openai.InternalServerError) as e:  # lite/rules only returns computed answers
        _client(served).chat.completions.create(model="lite/rules", messages=HELLO)
    _readable(e.value, 503, "lite/rules", "chat")


def test_async_client_and_non_openai_routes_share_the_error_object(served: tuple[str, dict[str, str]]) -> None:
    async def call() -> openai.APIStatusError:
        client = openai.AsyncOpenAI(base_url=served[0] + "/v1", api_key=served[1]["features"], max_retries=0)
        try:
            await client.chat.completions.create(model="nobody/nothing", messages=HELLO)  # type: ignore[arg-type]
        except openai.APIStatusError as exc:
            return exc
        finally:
            await client.close()
        raise AssertionError("no error")

    _readable(asyncio.run(call()), 404, "nobody")
    r = httpx.get(served[0] + "/v1/no/such/route", headers={"Authorization": f"Bearer {served[1]['features']}"})
    body = r.json()
    assert r.status_code == 404 and body["detail_zh"] and body["status"] == 404  # RFC 9457 stays
    assert body["error"]["message"] and body["error"]["type"] == "not_found_error"


def test_a_second_openai_compatible_client(served: tuple[str, dict[str, str]]) -> None:
    """Cerebras' SDK (a light OpenAI-compatible client with its own error mapping) parses answers and errors."""
    sdk = pytest.importorskip("cerebras.cloud.sdk", reason="cerebras-cloud-sdk (dev extra) is not installed")
    client = sdk.Cerebras(base_url=served[0], api_key=served[1]["features"], max_retries=0, warm_tcp_connection=False)
    r = client.chat.completions.create(model="lite/retrieval", messages=HELLO)
    assert r.model == "lite/retrieval" and r.choices[0].message.content.startswith("当前没有配置语言模型")
    with pytest.raises(sdk.NotFoundError) as e:
        client.chat.completions.create(model="nobody/nothing", messages=HELLO)
    assert e.value.status_code == 404 and "未知的模型 'nobody/nothing'" in str(e.value)
