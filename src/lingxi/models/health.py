"""Per-provider health: a circuit breaker plus recent latency, shared by the router and the generate stage.

A provider that fails ``threshold`` times in a row is *open*: the router skips it for ``cooldown_s``. After
the cooldown it is *half-open*: one request may probe it; success closes the circuit, failure opens it
again for another cooldown. Latency is kept as a small window of recent time-to-first-token values so the
router can respect a request's latency budget with what it has actually measured, not with vendor claims.
The clock is injectable so tests need not sleep.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

State = Literal["closed", "open", "half_open"]


@dataclass
class _Provider:
    failures: int = 0
    opened_at: float | None = None
    probing: bool = False
    last_error: str = ""
    ttft_ms: deque[float] = field(default_factory=lambda: deque(maxlen=50))


@dataclass(frozen=True)
class ProviderHealth:
    """A snapshot for reports and ``lingxi models``."""

    provider: str
    state: State
    consecutive_failures: int
    last_error: str
    p50_ttft_ms: float | None


class Health:
    """Thread-safe breaker and latency window per provider."""

    def __init__(self, threshold: int = 3, cooldown_s: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._providers: dict[str, _Provider] = {}

    def _get(self, provider: str) -> _Provider:
        return self._providers.setdefault(provider, _Provider())

    def _state(self, p: _Provider) -> State:
        if p.opened_at is None:
            return "closed"
        return "half_open" if self._clock() - p.opened_at >= self.cooldown_s else "open"

    def available(self, provider: str) -> bool:
        """Whether ``provider`` may be tried now (the router's filter; claims nothing)."""
        with self._lock:
            p = self._get(provider)
            state = self._state(p)
            return state == "closed" or (state == "half_open" and not p.probing)

    def allow(self, provider: str) -> bool:
        """Claim the right to send one request now; in half-open state only one probe at a time gets it."""
        with self._lock:
            p = self._get(provider)
            state = self._state(p)
            if state == "closed":
                return True
            if state == "half_open" and not p.probing:
                p.probing = True
                return True
            return False

    def success(self, provider: str, ttft_ms: float) -> None:
        with self._lock:
            p = self._get(provider)
            p.failures, p.opened_at, p.probing = 0, None, False
            p.ttft_ms.append(ttft_ms)

    def release(self, provider: str) -> None:
        """A claimed request ended with neither success nor failure (e.g. the client went away)."""
        with self._lock:
            self._get(provider).probing = False

    def failure(self, provider: str, error: str) -> None:
        with self._lock:
            p = self._get(provider)
            p.failures += 1
            p.last_error = error
            if p.probing or p.failures >= self.threshold:
                p.opened_at, p.probing = self._clock(), False

    def p50_ttft_ms(self, provider: str) -> float | None:
        with self._lock:
            window = list(self._get(provider).ttft_ms)
        return statistics.median(window) if window else None

    def snapshot(self) -> list[ProviderHealth]:
        with self._lock:
            items = list(self._providers.items())
            return [
                ProviderHealth(
                    name,
                    self._state(p),
                    p.failures,
                    p.last_error,
                    statistics.median(p.ttft_ms) if p.ttft_ms else None,
                )
                for name, p in items
            ]
