"""A PrevalidatedRoute answers every request exactly as FastAPI's own route does, and serves the well-formed ones
through its fast path (server/fast_route.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

import pytest
from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from lingxi.server import fast_route, openai_api, problems
from lingxi.server.fast_route import PrevalidatedRoute


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=8)
    count: int = Field(default=1, ge=1)
    tags: list[str] = Field(default_factory=list, max_length=2)


def _app(route_class: type[APIRoute]) -> FastAPI:
    app = FastAPI()
    problems.install(app)  # lingxi's problem JSON for validation errors, as in the server
    api = APIRouter(prefix="/v1", route_class=route_class)

    @api.post("/items")
    async def create(
        request: Request,
        item: Item,
        x_user: Annotated[str | None, Header(max_length=4)] = None,
        x_mode: Literal["a", "b"] = Header(default="a"),
    ) -> Response:
        return JSONResponse({"item": item.model_dump(), "user": x_user, "mode": x_mode, "path": request.url.path})

    @api.post("/keyed")  # a required header: validated on every request
    async def keyed(item: Item, x_key: Annotated[str, Header(min_length=2)]) -> Response:
        return JSONResponse({"item": item.model_dump(), "key": x_key})

    @api.get("/items")  # no body: FastAPI's handler, unchanged
    async def listing() -> dict[str, Any]:
        return {"items": []}

    app.include_router(api)
    return app


JSON = {"content-type": "application/json"}
CASES: list[tuple[bytes, dict[str, str]]] = [
    (b'{"name": "\xe7\x81\xb5\xe7\x8a\x80", "count": 2}', JSON),  # well-formed, UTF-8 Chinese
    (b'{"name": "a"}', {"content-type": "application/json; charset=utf-8", "x-user": "me", "x-mode": "b"}),
    (b'{"name": "a", "name": "bb"}', JSON),  # a repeated key: the last one, as the standard library reads it
    (b'{"name": ""}', JSON),  # too short
    (b'{"name": "a", "count": 0}', JSON),
    (b'{"name": "a", "tags": ["x", "y", "z"]}', JSON),
    (b'{"name": "a", "count": NaN}', JSON),  # the standard library parses NaN, orjson does not
    (b'{"name": "a", "count": "3"}', JSON),  # lax: a numeric string is an int
    (b"[1, 2]", JSON),
    (b"not json", JSON),
    (b"", JSON),
    (b'{"name": "a"}', {**JSON, "x-user": "toolong"}),
    (b'{"name": "a"}', {**JSON, "x-mode": "c"}),
    (b'{"name": "a"}', {"content-type": "text/plain"}),
    (b'{"name": "a"}', {"content-type": "application/vnd.api+json"}),
    (b'{"name": "a"}', {"content-type": "application/json; charset=latin-1"}),
    (b'\xef\xbb\xbf{"name": "a"}', JSON),  # a byte-order mark: the standard library skips it, orjson refuses
    (b'{"name": "\xff"}', JSON),  # not UTF-8
]


def test_every_answer_is_fastapis_own() -> None:
    plain, fast = TestClient(_app(APIRoute)), TestClient(_app(PrevalidatedRoute))
    for path in ("/v1/items", "/v1/keyed"):
        for body, headers in [
            *CASES,
            (b'{"name": "a"}', {**JSON, "x-key": "k1"}),
            (b'{"name": "a"}', {**JSON, "X-Key": "k"}),
        ]:
            want = plain.post(path, content=body, headers=headers)
            got = fast.post(path, content=body, headers=headers)
            assert (got.status_code, got.content) == (want.status_code, want.content), (path, body, headers)
    assert fast.get("/v1/items").json() == {"items": []}
    bad = fast.post("/v1/items", content=b'{"name": ""}', headers=JSON).json()  # a clear error, in Chinese too
    assert bad["status"] == 400 and bad["errors"][0]["loc"] == ["body", "name"] and "name" in bad["detail_zh"]


def test_only_well_formed_requests_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[bool] = []
    values = fast_route._Plan.values

    async def counted(self: fast_route._Plan, request: Request, body: bytes) -> dict[str, Any] | None:
        out = await values(self, request, body)
        served.append(out is not None)
        return out

    monkeypatch.setattr(fast_route._Plan, "values", counted)
    client = TestClient(_app(PrevalidatedRoute))
    assert client.post("/v1/items", json={"name": "a"}, headers={"x-user": "me"}).json()["user"] == "me"
    assert client.post("/v1/items", json={"name": ""}).status_code == 400
    assert client.post("/v1/items", content=b'{"name": "a"}', headers={"content-type": "text/plain"}).is_error
    assert client.post("/v1/keyed", json={"name": "a"}, headers={"x-key": "k1"}).json()["key"] == "k1"
    assert served == [True, False, True]  # the text/plain body never reached the fast path


def test_the_chat_route_qualifies() -> None:
    """The OpenAI chat route keeps to what the fast path serves (no dependencies, header and body parameters)."""
    api = openai_api.router(cast(Any, None))  # the endpoints use lingxi only when called
    chat = next(r for r in api.routes if isinstance(r, APIRoute) and r.path == "/v1/chat/completions")
    assert isinstance(chat, PrevalidatedRoute) and fast_route._Plan.of(chat) is not None
