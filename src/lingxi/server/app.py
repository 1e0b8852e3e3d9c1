"""The FastAPI application: OpenAI-compatible API, feature endpoints, health, problem-JSON errors."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST

from lingxi.__about__ import __version__
from lingxi.compliance import restore
from lingxi.config import ServerSettings
from lingxi.facade import Lingxi
from lingxi.features import dedide, writing_pool
from lingxi.features.proofread import rule_edits
from lingxi.pipeline.generation import Generate
from lingxi.server import (
    admin_keys_api,
    admin_ops_api,
    assistant_api,
    audit_api,
    compliance_api,
    console,
    console_api,
    embeddings_api,
    events_api,
    extensions_api,
    features_api,
    feedback_api,
    openai_api,
    privacy_api,
    problems,
    replies_api,
    shopping_api,
    tracing,
    vision_api,
    writing_api,
)
from lingxi.server import auth as auth_mod
from lingxi.server.browser import BrowserGuard
from lingxi.server.inputs import JsonGuard
from lingxi.server.keys import KeyStore, load_secret
from lingxi.server.limits import Limits, LimitsMiddleware, RateLimited, limit_problem
from lingxi.server.metrics import Metrics, ObservabilityMiddleware
from lingxi.server.quota import ReserveQuota
from lingxi.server.request_log import RequestLog
from lingxi.server.slow_clients import guarded_protocol
from lingxi.storage.sqlite import Database
from lingxi.text import count_tokens

#: FastAPI's own OpenTelemetry (newer releases, on whenever a tracer provider is set) puts raw URL paths —
#: user ids — and exception messages (user text) into spans and logs. It stays off: lingxi's request span is
#: named by the route template (server/metrics.py) and its turn spans carry no user data (server/tracing.py).
_NO_NATIVE_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters
    else {}
)


def _warm_up() -> None:
    """Load jieba's dictionaries before serving: their first use costs seconds of CPU, and while a worker
    thread loads them it holds the interpreter lock in long stretches, stalling every request in flight."""
    count_tokens("预热")
    dedide.tokens("预热")
    restore.warm()  # the screen's sound index (pinyin and same-sound text spelled back)
    writing_pool.start(rule_edits, "预热")  # the process long proofreads run in, with its own dictionaries


#: how often the server checkpoints the WAL (see Database.defer_checkpoints); ~3 pages per chat turn
CHECKPOINT_EVERY_S = 1.0


async def _checkpoints(db: Database) -> None:
    """Checkpoint the WAL every ``CHECKPOINT_EVERY_S`` in a worker thread, off every request's path."""
    while True:
        await asyncio.sleep(CHECKPOINT_EVERY_S)
        try:
            await anyio.to_thread.run_sync(db.checkpoint)
        except Exception as exc:  # a busy or full disk: the next round tries again; the WAL keeps every commit
            problems.log.warning("WAL checkpoint failed: %s", type(exc).__name__)


#: net allocations of tracked objects between two young collections (CPython's default: 700). The objects of 16
#: chat requests in flight pass 700 by themselves, so at that load the collector ran ~5 young collections per 24
#: requests (every tenth an older one, and a full one every ~600 requests), each walking the same live requests
#: again: ~0.3 ms of CPU per request and pauses of 10–60 ms on a busy machine (benchmarks/README.md, wave 9).
#: Cyclic garbage still goes, at most this many objects later; the refcounted rest goes at once, as before.
YOUNG_COLLECTION = 10_000


def _freeze_heap() -> None:
    """Move everything loaded so far (dictionaries, models, modules: ~300,000 objects) out of the collector's
    reach: they live as long as the process, yet each full collection walked them all (~180 ms on 2 cores),
    paid by whichever request happened to allocate at that moment. Requests' own garbage is still collected,
    young collections every :data:`YOUNG_COLLECTION` allocations.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])


def create_app(lx: Lingxi, *, auth_mode: auth_mod.AuthMode | None = None) -> FastAPI:
    """An app serving ``lx``; one ``Lingxi`` (one home) per app.

    ``auth_mode`` overrides ``settings.server.auth`` (``lingxi serve`` forces ``required`` off loopback).
    Middleware order, outermost first: the browser guard (Host/Origin allow-list with auth off, security
    headers on every response, a 500 too), observability (request id, metrics, access log, 500 for anything
    unexpected), authentication (identity on ``request.state``),
    limits (per-key rate, body size and pace, timeout), the JSON guard (surrogates, 64-bit integers), routes.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(_warm_up)
        _freeze_heap()
        # semantic search: embed what was ingested in the background (a search also embeds its user's own)
        drain = asyncio.create_task(lx.vectors.run_forever()) if lx.vectors is not None else None
        lx.db.defer_checkpoints()  # a request's commit never copies and fsyncs the WAL on the event loop
        if lx.settings.server.write_thread:  # nor commits there at all: turns' records are committed together
            lx.db.start_writer()
        checkpoints = asyncio.create_task(_checkpoints(lx.db))
        try:
            yield
        finally:
            for task in (drain, checkpoints):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            await lx.router.aclose()  # the cloud models' connection pools, on the loop that opened them
            await anyio.to_thread.run_sync(lx.db.stop_writer)  # every queued record committed before we go
            await anyio.to_thread.run_sync(lx.db.checkpoint)

    # /docs and /redoc load Swagger UI and ReDoc from the service (fastapi-offline bundles them): the CDN
    # FastAPI uses by default is slow or blocked in mainland China and absent offline, leaving blank pages
    app = FastAPIOffline(
        static_url=auth_mod.DOCS_ASSETS,
        **_NO_NATIVE_TELEMETRY,
        lifespan=lifespan,
        title="lingxi 灵犀",
        version=__version__,
        description="Personal AI features in Chinese: OpenAI-compatible chat plus feature endpoints. "
        "Errors are RFC 9457 problem JSON with a Chinese `detail_zh`.",
    )
    problems.install(app)
    server = lx.settings.server
    secret = load_secret(lx.settings.home)
    limits = Limits(server, lx.db, lx.settings.timezone)
    authenticator = auth_mod.Authenticator(
        KeyStore(lx.db, secret),
        limits,
        secret,
        auth_mode or server.auth,
        holds_data=lambda user: bool(lx.events.count(user)) or bool(lx.consents.history(user)),
    )
    requests = RequestLog(lx.db, lx.settings.timezone, lx.audit.pseudonym)
    metrics = Metrics(record_usage=limits.record, record_request=requests.record)
    # one Lingxi feeds one app's metrics: an app built later on the same Lingxi (tests build many) takes over
    lx.pipeline.observers = [o for o in lx.pipeline.observers if not isinstance(o, Metrics)] + [metrics]
    # the quota reservation runs right before generation (and, like the observer, the latest app's takes over)
    stages = [s for s in lx.pipeline.stages if not isinstance(s, ReserveQuota)]
    at = next(i for i, s in enumerate(stages) if isinstance(s, Generate))
    lx.pipeline.stages = [*stages[:at], ReserveQuota(limits, owner=metrics), *stages[at:]]
    tracing.install(lx, server.tracing)  # off: no observer at all; on: spans per turn and stage
    app.state.lingxi_auth, app.state.lingxi_metrics = authenticator, metrics
    app.add_middleware(JsonGuard)
    app.add_middleware(LimitsMiddleware, limits=limits)
    app.add_middleware(auth_mod.AuthMiddleware, auth=authenticator)
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    app.add_middleware(BrowserGuard, auth=authenticator, allowed_hosts=server.allowed_hosts)

    @app.exception_handler(RateLimited)
    async def _limited(request: Request, exc: RateLimited) -> Response:
        return limit_problem(exc, request.url.path)  # type: ignore[no-any-return]

    app.include_router(auth_mod.router(authenticator, server.user_token_ttl_s))
    app.include_router(auth_mod.admin_router(authenticator))
    app.include_router(openai_api.router(lx))
    app.include_router(embeddings_api.router(lx))
    app.include_router(features_api.router(lx))
    app.include_router(shopping_api.router(lx))
    app.include_router(replies_api.router(lx))
    app.include_router(feedback_api.router(lx))
    app.include_router(assistant_api.router(lx))
    app.include_router(writing_api.router(lx))
    app.include_router(extensions_api.router(lx))
    app.include_router(vision_api.router(lx))
    app.include_router(events_api.router(lx, max_body_bytes=server.max_body_bytes))
    app.include_router(privacy_api.router(lx))
    app.include_router(console_api.router(lx))
    app.include_router(audit_api.router(lx))
    app.include_router(admin_keys_api.router(authenticator, limits))
    app.include_router(admin_ops_api.router(lx, authenticator, requests))
    app.include_router(console.router(lx))
    app.include_router(
        compliance_api.router(
            lx,
            complaints=lx.complaints,
            filing=lx.filing,
            placement=lx.settings.labels.placement,
            admin_token=lx.settings.complaints.admin_token or None,
        )
    )

    @app.get("/healthz", tags=["ops"], summary="Liveness, version, and each provider's circuit breaker")
    async def healthz() -> dict[str, Any]:
        providers = [asdict(h) for h in lx.health.snapshot()]
        return {"status": "ok", "version": __version__, "models": len(lx.models()), "providers": providers}

    @app.get("/readyz", tags=["ops"], summary="Readiness: the database answers and models can be listed (503 if not)")
    def readyz() -> Response:
        try:
            with lx.db.connect() as conn:
                conn.execute("SELECT 1").fetchone()
            models = len(lx.models())
        except Exception as exc:  # any failure means not ready; the detail goes to the log, not the client
            problems.log.warning("not ready: %s", type(exc).__name__)
            models = -1
        if models <= 0:
            return problems.problem_response(
                {
                    "type": "https://lingxi.dev/problems/not_ready",
                    "title": "Not ready",
                    "status": 503,
                    "detail": "the database or the model registry is not available",
                    "detail_zh": "服务尚未就绪：数据库或模型不可用",
                    "instance": "/readyz",
                }
            )
        return JSONResponse({"status": "ready", "models": models})

    @app.get("/metrics", tags=["ops"], summary="Prometheus metrics (admin scope when auth is on)")
    def prometheus(request: Request) -> Response:
        auth_mod.require_admin(request)
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return app


def serve_config(server: ServerSettings) -> dict[str, Any]:
    """uvicorn settings for ``lingxi serve`` (and tests that serve the app the same way).

    No uvicorn access log — it writes raw paths (user ids) and query strings; the app logs each request
    itself, as JSON with a pseudonymous user (server/logs.py) — and uvicorn's own messages go through the
    same JSON handler. HTTP is parsed by httptools on uvloop (uvicorn's standard extras). Slow clients are cut:
    headers within ``header_timeout_s`` (server/slow_clients.py),
    idle keep-alive connections after 5 s; the body's pace is checked by the limits middleware.
    """
    return {
        "log_config": None,  # keep logs.configure()'s handlers; uvicorn's loggers propagate to the root
        "log_level": "info",
        "access_log": False,
        "http": guarded_protocol(server.header_timeout_s),  # httptools (C), with the slow-header guard
        "loop": "auto",  # uvloop when installed (it is a dependency): a faster event loop than asyncio's
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": int(server.graceful_shutdown_s),
    }
