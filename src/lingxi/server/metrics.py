"""Prometheus metrics (one registry per app, so many apps in one process never collide) and the outermost
middleware that gives each request an id, times it, counts it, and writes its access log line.

``GET /metrics`` needs the admin scope once auth is on. Loopback-only would be weaker than it looks: behind
a reverse proxy on the same host every client is loopback. With auth off (a loopback dev server) it is
open like everything else. Labels are route templates, stage names, models and providers — never user ids.

Metrics: ``lingxi_http_requests_total{route,method,status}``, ``lingxi_http_request_seconds{route}``,
``lingxi_stage_seconds{stage}``, ``lingxi_model_ttft_seconds{provider,model}``,
``lingxi_model_seconds{provider,model}``, ``lingxi_refusals_total{feature}``,
``lingxi_fallbacks_total{model}``, ``lingxi_egress_bytes_total{provider}``,
``lingxi_rate_limited_total{route}``.

OpenTelemetry hook: when the ``opentelemetry`` package is importable, each request runs inside a span named
after its route *template* (``POST /v1/users/{user_id}/consents``: a raw path would put user ids into span
names), with the request id and status as attributes; the pipeline's turn and stage spans
(:mod:`lingxi.server.tracing`) nest under it. Turn on ``server.tracing`` or configure a provider in the
embedding process to export them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lingxi.ids import uuid7
from lingxi.pipeline import Turn
from lingxi.server import logs, problems

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """The app's collectors, and the pipeline observer feeding them (and the token quotas)."""

    def __init__(
        self,
        record_usage: Callable[[str, str, int], None] | None = None,
        record_request: Callable[[Turn, str | None, BaseException | None], None] | None = None,
    ) -> None:
        self.record_usage = record_usage
        self.record_request = record_request  # the operator's request log (server/request_log.py)
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("lingxi_http_requests", "HTTP requests", ["route", "method", "status"], registry=r)
        self.latency = Histogram("lingxi_http_request_seconds", "HTTP latency", ["route"], buckets=_BUCKETS, registry=r)
        self.stage = Histogram("lingxi_stage_seconds", "Pipeline stage time", ["stage"], buckets=_BUCKETS, registry=r)
        self.ttft = Histogram(
            "lingxi_model_ttft_seconds", "Time to first delta", ["provider", "model"], buckets=_BUCKETS, registry=r
        )
        self.total = Histogram(
            "lingxi_model_seconds", "Time to the whole answer", ["provider", "model"], buckets=_BUCKETS, registry=r
        )
        self.refusals = Counter("lingxi_refusals", "Refused requests or answers", ["feature"], registry=r)
        self.fallbacks = Counter("lingxi_fallbacks", "Failed candidates that fell back", ["model"], registry=r)
        self.egress = Counter("lingxi_egress_bytes", "Bytes sent off the device", ["provider"], registry=r)
        self.limited = Counter("lingxi_rate_limited", "429 responses", ["route"], registry=r)
        self._stages: dict[str, Any] = {}  # the stage histogram's children by stage name (a fixed, small set)

    def render(self) -> bytes:
        return generate_latest(self.registry)

    # the PipelineObserver protocol
    def stage_done(self, turn: Turn, stage: str, seconds: float, error: BaseException | None) -> None:
        if self._mine():
            if (child := self._stages.get(stage)) is None:  # labels() locks and builds a key: once per stage
                child = self._stages[stage] = self.stage.labels(stage)
            child.observe(seconds)

    def turn_done(self, turn: Turn, ttft_s: float | None, total_s: float, error: BaseException | None) -> None:
        ctx = self._mine()
        if ctx is None:
            return
        info = turn.answered_by
        if info is not None:
            if ttft_s is not None:
                self.ttft.labels(info.provider, info.name).observe(ttft_s)
            self.total.labels(info.provider, info.name).observe(total_s)
            ctx.model = info.name
        if turn.refusal is not None or turn.output_screen.blocked:
            self.refusals.labels(turn.feature.name).inc()
        for fallback in turn.fallbacks:
            self.fallbacks.labels(fallback.model).inc()
        for record in turn.egress:  # the records the egress stage logged: no need to read them back
            self.egress.labels(record.provider).inc(record.bytes)
        tokens = turn.usage.prompt_tokens + turn.usage.completion_tokens
        ctx.tokens += tokens
        _, reserved = ctx.reserved.pop(id(turn), ("", 0))  # the quota reservation becomes the real usage
        if self.record_usage is not None and ctx.app_id:
            self.record_usage(ctx.app_id, turn.user_id, tokens - reserved)
        if self.record_request is not None:
            self.record_request(turn, ctx.app_id, error)

    def _mine(self) -> logs.RequestContext | None:
        """The current request's context if this app is serving it (several apps may share one pipeline)."""
        ctx = logs.current.get()
        return ctx if ctx is not None and ctx.owner is self else None


def _span(method: str) -> contextlib.AbstractContextManager[Any]:
    """The request's span; named by method until the route is known (see ObservabilityMiddleware).

    None while no tracer provider is configured (OpenTelemetry's proxy provider): its spans are invalid and
    record nothing, yet making one and entering its context cost ~2 % of a chat request's CPU.
    """
    if importlib.util.find_spec("opentelemetry") is None:
        return contextlib.nullcontext()
    from opentelemetry import trace  # type: ignore[import-not-found,unused-ignore]  # optional hook

    if isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        return contextlib.nullcontext()
    return trace.get_tracer("lingxi").start_as_current_span(method)  # type: ignore[no-any-return,unused-ignore]


class ObservabilityMiddleware:
    """Request id (``X-Request-Id``, echoed), metrics, and one JSON access-log line per request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self._otel = importlib.util.find_spec("opentelemetry") is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        # echoed in a header and written to logs: only short ASCII letters, digits and dashes, else a new id
        rid = given if 0 < len(given) <= 64 and given.isascii() and given.replace("-", "").isalnum() else uuid7()
        ctx = logs.RequestContext(request_id=rid, owner=self.metrics)
        token = logs.current.set(ctx)
        status, started = 500, False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = int(message["status"]), True
                message.setdefault("headers", []).append((b"x-request-id", rid.encode("ascii")))
            await send(message)

        span = None
        try:
            with _span(scope["method"]) if self._otel else contextlib.nullcontext() as span:
                try:
                    await self.app(scope, receive, send_wrapper)
                except Exception as exc:
                    if started:  # a broken stream: only closing the connection can tell the client
                        raise
                    await problems.unexpected(scope, exc)(scope, receive, send_wrapper)  # keep-alive survives
                finally:
                    if span is not None:  # the template, never the path (it holds user ids)
                        template = getattr(scope.get("route"), "path", None) or "(unmatched)"
                        span.update_name(f"{scope['method']} {template}")
                        span.set_attribute("http.route", template)
                        span.set_attribute("http.response.status_code", status)
                        span.set_attribute("lingxi.request_id", rid)
        finally:
            route_obj = scope.get("route")
            route = getattr(route_obj, "path", None) or "(unmatched)"
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - ctx.started)
            if status == 429:
                self.metrics.limited.labels(route).inc()
            logs.access(ctx, method=scope["method"], route=route, status=status)
            release = self.metrics.record_usage
            for user_id, reserved in ctx.reserved.values():  # turns that never finished give their quota back
                if release is not None and ctx.app_id:
                    release(ctx.app_id, user_id, -reserved)
            logs.current.reset(token)
