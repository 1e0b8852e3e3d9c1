"""Property-based API fuzzing from the service's own OpenAPI schema (schemathesis + hypothesis).

Every operation the schema lists is called with generated requests, both valid ones (positive mode) and ones
that break the schema (negative mode). What must hold: the service never answers 5xx — except the documented
503 ``model_unavailable`` when no configured model can do the task — and every rejection is RFC 9457 problem
JSON with a Chinese ``detail_zh``, so a client can always show the user why. Examples per operation are
bounded to keep the suite fast (``LINGXI_FUZZ_EXAMPLES`` raises them); generation is random, so each run
explores other inputs. schemathesis's own pytest plugin does not load under pytest 9, so the operations are
driven by hypothesis directly, one ``@given`` per operation and mode.

Schema-driven generation rarely produces what broke the service before: integers beyond 64 bits, lone
UTF-16 surrogates, extreme dates, deep nesting, non-ASCII header values. ``test_hostile_values_*`` sends
exactly those, in every field, query parameter and path parameter the schema lists, and in headers.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from lingxi import Lingxi
from lingxi.facade import SAMPLE_CONSENTS
from lingxi.server.app import create_app

#: generated examples per operation and mode (the schema has a few dozen operations)
EXAMPLES = int(os.environ.get("LINGXI_FUZZ_EXAMPLES", "20"))


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    home: Path = tmp_path_factory.mktemp("fuzz-home")
    lx = Lingxi(home)
    lx.load_sample()
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(lx))


def check_problem(response: Any) -> None:
    status = response.status_code
    if status == 503 and response.json().get("code") == "model_unavailable":
        # the one intended 5xx: this deployment has no model that can do the task (e.g. translation on
        # the lite tier alone); the problem JSON says so and how to configure one
        assert response.json().get("detail_zh")
        return
    assert status < 500, f"server error {status}: {response.text[:500]}"
    if status >= 400:
        content_type = response.headers.get("content-type", "")
        if isinstance(content_type, list):
            content_type = content_type[0]
        assert content_type.startswith("application/problem+json"), f"{status} is not problem JSON: {content_type}"
        body = response.json()
        assert body["status"] == status
        assert body.get("detail_zh"), f"{status} problem without a Chinese detail: {body}"


def fuzz(operation: Any, mode: Any, calls: dict[str, int]) -> None:
    """Call ``operation`` with up to EXAMPLES generated requests of ``mode``, checking every response."""
    label = operation.label

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case: Any) -> None:
        calls[label] = calls.get(label, 0) + 1
        check_problem(case.call())

    try:
        call()
    except Unsatisfiable:
        # an operation without parameters or body has no invalid request to generate
        assert mode is schemathesis.GenerationMode.NEGATIVE, f"{label}: no valid request generated"
    except AssertionError as exc:
        raise AssertionError(f"{label}: {exc}") from exc


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=lambda m: m.value)
def test_no_server_errors_and_every_rejection_is_problem_json(api_schema: Any, mode: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10, "the OpenAPI schema lost its operations"
    calls: dict[str, int] = {}
    for operation in operations:
        fuzz(operation, mode, calls)
    # most operations got several requests (guards against a schema or generator that silently yields nothing)
    assert sum(1 for n in calls.values() if n >= 3) >= len(operations) // 2, calls


# -- hostile values in every field -------------------------------------------------------------------------

_TEXT = st.text(st.characters(categories=("Cs", "Lo", "Nd", "Po", "Zs", "Cc")), max_size=12) | st.sampled_from(
    ["\ud800", "名\udc00字", "\udbff\udbff", "é", "名" * 300]  # Cs: lone surrogates
)
_DATES = st.sampled_from(
    ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "-999999-01-01", "2024-02-30T25:61:00+99:00", "1e400"]
)
_INTS = st.integers(min_value=-(2**80), max_value=2**80) | st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**30])
_SCALAR = _TEXT | _DATES | _INTS | st.floats(allow_nan=False) | st.booleans() | st.none()
_VALUE = st.recursive(
    _SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3), max_leaves=8
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)  # a lone surrogate becomes an escape, as clients send it


_NOW = "2025-11-23T20:00:00+08:00"
_EVENT = {
    "type": "order",
    "event_id": "o1",
    "user_id": "u1",
    "ts": 1_764_000_000_000,
    "source_app": "taobao",
    "order_id": "A1",
    "platform": "淘宝",
    "items": [{"name": "耳机", "price_fen": 19_900, "quantity": 1}],
    "total_fen": 19_900,
    "status": "paid",
}
#: a valid body per JSON endpoint: one member at a time is replaced by a hostile value, so the request gets
#: past the structural checks to where that value is used
VALID_BODIES: dict[str, Any] = {
    "/v1/chat/completions": {"model": "lite", "messages": [{"role": "user", "content": "今天开会"}], "seed": 1},
    "/v1/events": [_EVENT],
    "/v1/features/replies": {"user_id": "u1", "conversation_id": "c1", "now": _NOW},
    "/v1/features/writing/{kind}": {"text": "今天天气很好。我们去公园。", "sentences": 1},
    "/v1/features/assistant": {"user_id": "u1", "question": "我最近买了什么", "now": _NOW},
    "/v1/features/notifications/summary": {"user_id": "u1", "now": _NOW},
    "/v1/features/notifications/conversations": {"user_id": "u1", "now": _NOW},
    "/v1/features/notifications/digest": {"user_id": "u1", "now": _NOW, "since": _NOW},
    "/v1/users/{user_id}/consents": {"grant": ["messages"], "source": "app"},
    "/v1/complaints": {"contact": "a@example.com", "category": "other", "text": "回答有误"},
    "/v1/auth/user-tokens": {"user_id": "u1", "ttl_s": 900},
}
VALID_PARAMS = {"user_id": "u1", "kind": "summarize", "before": "1764000000000", "now_ms": "1764000000000", "k": "3"}


def _leaves(doc: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every member and item of ``doc`` (containers too: a hostile value may replace a whole list)."""
    out = [where] if where else []
    if isinstance(doc, dict):
        out += [p for k, v in doc.items() for p in _leaves(v, (*where, k))]
    elif isinstance(doc, list):
        out += [p for i, v in enumerate(doc) for p in _leaves(v, (*where, i))]
    return out


def _replaced(doc: Any, where: tuple[Any, ...], value: Any) -> Any:
    if not where:
        return value
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[where[0]] = _replaced(doc[where[0]], where[1:], value)  # type: ignore[index]
    return copy


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(method, path, parameters) of every operation in the OpenAPI document."""
    return [
        (method.upper(), path, op.get("parameters", []))
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    lx = Lingxi(tmp_path_factory.mktemp("hostile-home"))
    lx.load_sample()
    lx.consents.grant("u1", *SAMPLE_CONSENTS, source="test")  # so feature requests get past the consent gate
    return TestClient(create_app(lx))


KNOWN_HOSTILE: list[Any] = [2**64, -(2**70), "\ud800", "名\udc00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]


def _send(client: TestClient, op: tuple[str, str, list[dict[str, Any]]], target: Any, value: Any, **kw: Any) -> Any:
    """Call ``op`` with ``value`` in ``target`` (a parameter name, a body path, or "deep"), the rest valid."""
    method, path, params = op
    hostile = value if isinstance(value, str) else _dumps(value)
    query: dict[str, bytes] = {}
    for p in params:
        text = hostile if target == p["name"] else VALID_PARAMS.get(p["name"], "1")
        raw = text.encode("utf-8", "surrogatepass")
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", quote(raw, safe="") or "x")
        elif p["in"] == "query":
            query[p["name"]] = raw
    body = None
    if method in ("POST", "PUT", "PATCH"):
        base = VALID_BODIES.get(op[1], {})
        if target == "deep":
            body = "[" * 30_000 + "]" * 30_000
        else:
            body = _dumps(_replaced(base, target, value) if isinstance(target, tuple) else base)
    headers = [(b"content-type", b"application/json"), (b"x-request-id", kw.get("request_id", b"ok-1"))]
    return client.request(method, path, params=query, content=body, headers=headers)


def _targets(op: tuple[str, str, list[dict[str, Any]]]) -> list[Any]:
    body = [*_leaves(VALID_BODIES.get(op[1], {})), "deep"] if op[0] in ("POST", "PUT", "PATCH") else []
    return [p["name"] for p in op[2]] + body


def test_known_hostile_values_in_every_field_get_4xx(hostile_client: TestClient) -> None:
    """Each value that once caused a 500, in every parameter and body member of every operation."""
    operations = _operations(hostile_client.get("/openapi.json").json())
    failures = []
    for op in operations:
        for target in _targets(op) or [None]:
            for value in KNOWN_HOSTILE if target is not None else [None]:
                for request_id in (b"ok-1", "é".encode(), b"caf\xe9"):
                    try:
                        check_problem(_send(hostile_client, op, target, value, request_id=request_id))
                    except AssertionError as exc:
                        failures.append(f"{op[0]} {op[1]} {target}={value!r} rid={request_id!r}: {exc}")
                    if target is not None:
                        break  # the header cases once per operation are enough
    assert not failures, "\n".join(failures[:20])


def test_random_hostile_values_get_4xx(hostile_client: TestClient) -> None:
    operations = [op for op in _operations(hostile_client.get("/openapi.json").json()) if _targets(op)]

    @settings(max_examples=EXAMPLES * 10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(op=st.sampled_from(operations), value=_VALUE, pick=st.integers(0, 10**6))
    def call(op: tuple[str, str, list[dict[str, Any]]], value: Any, pick: int) -> None:
        targets = _targets(op)
        check_problem(_send(hostile_client, op, targets[pick % len(targets)], value))

    call()
