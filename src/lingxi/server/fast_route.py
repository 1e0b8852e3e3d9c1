"""A route whose well-formed JSON requests skip FastAPI's generic per-request machinery; every other request
takes FastAPI's own handler, so errors, defaults and the OpenAPI schema stay exactly FastAPI's.

Why: for the chat route FastAPI's handler parses the content type with ``email.message``, decodes the body
with the standard library's ``json`` (~27 µs for 1 KB of escaped Chinese), then solves every parameter class
in turn (path, query, header, cookie, body, a sub-response, the dependency cache, telemetry hooks) through
its generic code: ~4–6 % of a non-streamed chat request's gateway CPU in a py-spy profile (benchmarks/
README.md, wave 8). Here a request whose content type is ``application/json`` has its body decoded by orjson
(a dependency already) and its header and body parameters validated by FastAPI's own functions
(``request_params_to_args``, ``request_body_to_args``: the same validators, defaults and aliases). The first
sign of anything else — another content type, a body orjson refuses (it is stricter than ``json``: NaN,
non-UTF-8, integers beyond 64 bits), a validation error — hands the request to FastAPI's handler, which reads
the cached body again and answers as it always has (the problem JSON of ``problems.install``).

Only a route whose endpoint is a coroutine taking the request, header parameters and one JSON body model,
and returning a ``Response``, with no dependencies, is served this way; any other route built with this class
gets FastAPI's handler unchanged. A FastAPI release that no longer has the internals used here turns the fast
path off (the imports below), never the route.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import Headers

_EFFECTIVE: ContextVar[Any] | None
try:  # FastAPI internals: the parameter validators its own handler calls, and the included-route context
    from fastapi import routing as _routing
    from fastapi.dependencies.models import Dependant
    from fastapi.dependencies.utils import _get_param_aliases, request_body_to_args, request_params_to_args

    _EFFECTIVE = _routing._effective_route_context_var
except (ImportError, AttributeError):  # pragma: no cover - a FastAPI without them: FastAPI's handler only
    _EFFECTIVE = None
try:  # a body limit enforced by the framework (none in lingxi): FastAPI's handler reads such a body, not this path
    from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY as _BODY_LIMIT

    _BODY_LIMIT_KEY: str | None = _BODY_LIMIT
except ImportError:  # pragma: no cover - older Starlette: no such limit
    _BODY_LIMIT_KEY = None

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
#: what the route's endpoint may take besides header and body parameters (the request itself)
_OTHER_PARAMS = (
    "websocket_param_name",
    "http_connection_param_name",
    "response_param_name",
    "background_tasks_param_name",
    "security_scopes_param_name",
)


#: default values used as they are: FastAPI deep-copies a default per request, a no-op for these
_ATOMS = (type(None), str, bytes, int, float, bool)


@dataclass(frozen=True)
class _Plan:
    """What the fast path needs of a route: its endpoint and FastAPI's own fields for its parameters."""

    dependant: Any
    embed_body_fields: bool
    #: the request header names the header parameters read (lowercase)
    header_names: frozenset[bytes]
    #: the header parameters' values when none of those headers is sent, as FastAPI's own validator gave them
    #: once (checking the headers' absence per request instead of validating each default: FastAPI's check of
    #: whether each header parameter is a model was ~2 % of a chat request's CPU); None: validate every time
    header_defaults: dict[str, Any] | None

    @classmethod
    def of(cls, route: Any) -> _Plan | None:
        """The plan for ``route`` (FastAPI's effective route while it builds an included route's handler), or
        None when the route has anything the fast path does not serve."""
        d = route.dependant
        simple = (
            isinstance(d, Dependant)
            and inspect.iscoroutinefunction(d.call)
            and not (d.path_params or d.query_params or d.cookie_params or d.dependencies)
            and len(d.body_params) == 1
            and not any(getattr(d, name, None) for name in _OTHER_PARAMS)
            and not getattr(route, "is_json_stream", False)
            and getattr(route, "stream_item_field", None) is None
            and getattr(route, "max_body_size", None) is None
        )
        if not simple:
            return None
        names = frozenset(key.lower().encode("latin-1") for f in d.header_params for _, key in _get_param_aliases(f))
        defaults, errors = request_params_to_args(d.header_params, Headers())
        fixed = not errors and all(
            f.field_info.default_factory is None and isinstance(defaults.get(f.name), _ATOMS) for f in d.header_params
        )
        return cls(d, bool(getattr(route, "_embed_body_fields", False)), names, defaults if fixed else None)

    async def values(self, request: Request, body: bytes) -> dict[str, Any] | None:
        """The endpoint's arguments, or None when FastAPI's handler must decide (any doubt, any error)."""
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        d = self.dependant
        if self.header_defaults is not None and not any(
            name.lower() in self.header_names for name, _ in request.scope["headers"]
        ):
            values = dict(self.header_defaults)
        else:
            values, errors = request_params_to_args(d.header_params, request.headers)
            if errors:
                return None
        body_values, errors = await request_body_to_args(d.body_params, document, self.embed_body_fields)
        if errors:
            return None
        values.update(body_values)
        if d.request_param_name:
            values[d.request_param_name] = request
        return values


def _json_body(request: Request) -> bool:
    """Whether FastAPI would read this request's body as JSON for certain: ``application/json``, nothing else
    (no parameters but a charset; a missing or other JSON-like type goes to FastAPI's own rules)."""
    value = request.headers.get("content-type")
    if value is None:
        return False
    media, _, params = value.partition(";")
    return media.strip().lower() == "application/json" and params.strip().lower() in ("", "charset=utf-8")


class PrevalidatedRoute(APIRoute):
    """An ``APIRoute`` with the fast path of the module doc for its well-formed JSON requests."""

    def get_route_handler(self) -> Handler:
        standard = super().get_route_handler()
        if _EFFECTIVE is None:
            return standard
        effective = _EFFECTIVE.get()  # set by FastAPI while it builds an included route's handler
        route = effective if effective is not None and effective.original_route is self else self
        plan = _Plan.of(route)
        if plan is None:
            return standard

        async def handler(request: Request) -> Response:
            if (_BODY_LIMIT_KEY is not None and _BODY_LIMIT_KEY in request.scope) or not _json_body(request):
                return await standard(request)
            try:
                body = await request.body()  # cached on the request: FastAPI's handler reads it again
            except Exception as exc:  # the client left mid-body: what FastAPI's handler answers then
                raise HTTPException(status_code=400, detail="There was an error parsing the body") from exc
            values = await plan.values(request, body) if body else None
            if values is None:
                return await standard(request)
            response = await plan.dependant.call(**values)
            if not isinstance(response, Response):
                raise TypeError(f"{self.path}: a PrevalidatedRoute's endpoint must return a Response")
            return response

        return handler
