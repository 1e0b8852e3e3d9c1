"""Optional OpenTelemetry traces: one ``lingxi.turn`` span per pipeline turn, one child span per stage.

Off by default (``[server] tracing = true`` turns it on); when off the observer is not attached at all, so the
request path pays nothing. The observer only uses the OpenTelemetry *API*; :func:`install` sets up the SDK's
``TracerProvider`` only when the host process has not configured one, exporting over OTLP when
``opentelemetry-exporter-otlp`` is installed (``OTEL_EXPORTER_OTLP_ENDPOINT`` and the other standard
variables apply) and warning loudly otherwise, because spans with no exporter go nowhere.

The pipeline tells observers how long a stage took only after it finished, so spans are created after the
fact with explicit start and end times (nanoseconds) — legitimate OTel usage that keeps the pipeline free
of tracing code. Stages after ``Generate`` only wrap the answer's stream, so their spans are short; the time
spent streaming the answer is the ``lingxi.stream`` span that follows them.

Attributes are operational data that leave for a third-party trace store, like the access log: feature,
model, privacy class, refusal, fallbacks, finish reason, token counts, the HTTP request id and — only when
auth has set it — the same keyed user hash the logs carry. Never user ids, user text, prompts, answers or
error messages (a message can quote the user): a failing turn records its error *code* only.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lingxi.__about__ import __version__
from lingxi.errors import InvalidInput, LingxiError
from lingxi.pipeline import Turn
from lingxi.server import logs

if TYPE_CHECKING:
    from opentelemetry.context import Context
    from opentelemetry.sdk.trace.export import SpanExporter
    from opentelemetry.trace import Span, TracerProvider

    from lingxi.facade import Lingxi

log = logging.getLogger("lingxi.tracing")

TURN_SPAN = "lingxi.turn"
STREAM_SPAN = "lingxi.stream"
_MAX_OPEN = 4096  # turns whose stream was never consumed never report back: forget the oldest beyond this
_INSTALL_HINT = "pip install 'lingxi[otel]' (or set [server] tracing = false)"


@dataclass
class _Open:
    span: Span
    context: Context  # the turn span as parent, for its stage spans
    last_end_ns: int


class Tracing:
    """A pipeline observer turning stage timings into spans (see the module docstring).

    ``provider`` is for tests and embedders holding their own ``TracerProvider``; by default the global one
    (which may be the API's no-op proxy until the host configures it — spans then follow it once set).
    """

    def __init__(self, provider: TracerProvider | None = None) -> None:
        from opentelemetry import trace

        self._trace = trace
        self._tracer = trace.get_tracer("lingxi", __version__, tracer_provider=provider)
        self._open: OrderedDict[str, _Open] = OrderedDict()
        self._lock = threading.Lock()

    # the PipelineObserver protocol
    def stage_done(self, turn: Turn, stage: str, seconds: float, error: BaseException | None) -> None:
        end = time.time_ns()
        start = end - int(seconds * 1e9)
        state = self._state(turn, start)
        child = self._tracer.start_span(stage, context=state.context, start_time=start)
        child.set_attribute("lingxi.duration_ms", round(seconds * 1000, 3))
        failure = error
        if failure is not None:
            _mark_failed(child, failure)
        child.end(end_time=end)
        state.last_end_ns = end
        if failure is not None:  # the stage raised: no turn_done will come, so the turn ends here
            self._finish(turn, state, end, failure)

    def turn_done(self, turn: Turn, ttft_s: float | None, total_s: float, error: BaseException | None) -> None:
        end = time.time_ns()
        state = self._state(turn, end - int(total_s * 1e9))
        failure = error
        stream = self._tracer.start_span(STREAM_SPAN, context=state.context, start_time=min(state.last_end_ns, end))
        if ttft_s is not None:
            stream.set_attribute("lingxi.ttft_ms", round(ttft_s * 1000, 3))
            state.span.set_attribute("lingxi.ttft_ms", round(ttft_s * 1000, 3))
        if failure is not None:
            _mark_failed(stream, failure)
        stream.end(end_time=end)
        self._finish(turn, state, end, failure)

    def _state(self, turn: Turn, start_ns: int) -> _Open:
        """The turn's open span, started at ``start_ns`` by its first callback."""
        with self._lock:
            state = self._open.get(turn.request_id)
            if state is not None:
                return state
            span = self._tracer.start_span(TURN_SPAN, start_time=start_ns)  # parent: the HTTP span, if any
            state = _Open(span, self._trace.set_span_in_context(span), start_ns)
            self._open[turn.request_id] = state
            while len(self._open) > _MAX_OPEN:
                _, stale = self._open.popitem(last=False)
                stale.span.set_attribute("lingxi.abandoned", True)
                stale.span.end()
        ctx = logs.current.get()
        if ctx is not None:  # the HTTP request this turn serves (echoed as X-Request-Id)
            span.set_attribute("lingxi.request_id", ctx.request_id)
        return state

    def _finish(self, turn: Turn, state: _Open, end_ns: int, failure: BaseException | None) -> None:
        with self._lock:
            if self._open.pop(turn.request_id, None) is None:
                return
        span = state.span
        span.set_attributes(_turn_attributes(turn))
        ctx = logs.current.get()
        if ctx is not None:
            if ctx.app_id:
                span.set_attribute("lingxi.app_id", ctx.app_id)
            if ctx.user:  # the logs' keyed hash (set by auth), never the id itself
                span.set_attribute("lingxi.user_hash", ctx.user)
        if failure is not None:
            _mark_failed(span, failure)
        span.end(end_time=end_ns)


def _turn_attributes(turn: Turn) -> dict[str, str | bool | int]:
    """What a turn span says about its turn: names, classes, counts — nothing the user wrote."""
    attrs: dict[str, str | bool | int] = {
        "lingxi.feature": turn.feature.name,
        "lingxi.turn_id": turn.request_id,
        "lingxi.privacy": turn.privacy.value,
        "lingxi.personalized": turn.personalized,
        "lingxi.streaming": turn.streaming,
        "lingxi.refused": turn.refusal is not None or turn.output_screen.blocked,
        "lingxi.fallbacks": len(turn.fallbacks),
        "lingxi.finish_reason": turn.finish_reason,
        "lingxi.egress_bytes": sum(r.bytes for r in turn.egress),
        "gen_ai.usage.input_tokens": turn.usage.prompt_tokens,
        "gen_ai.usage.output_tokens": turn.usage.completion_tokens,
    }
    info = turn.answered_by
    if info is not None:
        attrs.update(
            {
                "lingxi.model": info.name,
                "lingxi.model.provider": info.provider,
                "lingxi.model.kind": info.kind.value,
                "lingxi.model.locality": info.locality.value,
            }
        )
    risks = turn.input_screen.risks + turn.output_screen.risks  # category codes such as "A.1.8", not text
    if risks:
        attrs["lingxi.risks"] = ",".join(dict.fromkeys(risks))
    return attrs


def _error_code(exc: BaseException) -> str:
    if isinstance(exc, LingxiError):
        return exc.code
    if isinstance(exc, (GeneratorExit, asyncio.CancelledError)):
        return "cancelled"  # the client went away mid-stream
    return type(exc).__name__


def _mark_failed(span: Span, exc: BaseException) -> None:
    """ERROR status with the error's code only: messages may quote user text, so they stay out of traces."""
    from opentelemetry.trace import Status, StatusCode

    code = _error_code(exc)
    span.set_attribute("error.type", code)
    if code != "cancelled":
        span.set_status(Status(StatusCode.ERROR, code))


def install(lx: Lingxi, enabled: bool, provider: TracerProvider | None = None) -> Tracing | None:
    """Attach a :class:`Tracing` observer to ``lx`` (replacing an earlier one), or detach it when disabled.

    Without ``provider`` the global provider is used, set up first by :func:`ensure_provider`.
    """
    kept = [o for o in lx.pipeline.observers if not isinstance(o, Tracing)]
    if not enabled:
        lx.pipeline.observers = kept
        return None
    if provider is None:
        ensure_provider()
    tracing = Tracing(provider)
    lx.pipeline.observers = [*kept, tracing]
    return tracing


def ensure_provider() -> None:
    """Configure the SDK's global ``TracerProvider`` unless the host process already configured one."""
    try:
        from opentelemetry import trace
    except ImportError as exc:
        raise _missing("opentelemetry-api") from exc
    if not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        return  # the host (or an earlier app in this process) owns tracing setup
    try:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise _missing("opentelemetry-sdk") from exc
    attributes = {"service.version": __version__}
    if not os.environ.get("OTEL_SERVICE_NAME"):
        attributes["service.name"] = "lingxi"
    provider = TracerProvider(resource=Resource.create(attributes))
    exporter = _otlp_exporter()
    if exporter is None:
        log.warning(
            "tracing is on but no OTLP exporter is installed: spans are recorded and dropped. "
            "Install one with `pip install opentelemetry-exporter-otlp` and set OTEL_EXPORTER_OTLP_ENDPOINT "
            "(已开启链路追踪，但未安装 OTLP 导出器，追踪数据不会发送到任何地方)"
        )
    else:
        provider.add_span_processor(BatchSpanProcessor(exporter))
        log.info("tracing: exporting spans over OTLP to %s", os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "(default)"))
    trace.set_tracer_provider(provider)


def _otlp_exporter() -> SpanExporter | None:
    """The OTLP span exporter for ``OTEL_EXPORTER_OTLP_PROTOCOL`` (default http/protobuf), if installed."""
    kind = "grpc" if os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL") == "grpc" else "http"
    try:
        module = importlib.import_module(f"opentelemetry.exporter.otlp.proto.{kind}.trace_exporter")
    except ImportError:
        return None
    exporter: SpanExporter = module.OTLPSpanExporter()  # reads OTEL_EXPORTER_OTLP_ENDPOINT, headers, timeouts
    return exporter


def _missing(package: str) -> InvalidInput:
    return InvalidInput(
        f"server.tracing is on but {package} is not installed",
        message_zh=f"已开启链路追踪（server.tracing），但未安装 {package}",
        hint=_INSTALL_HINT,
    )
