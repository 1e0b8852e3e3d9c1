"""Real-time retrieval over one user's encrypted events: time window + BM25 + recency.

A query such as "上周三妈妈说了什么" is split into a time window (:func:`~lingxi.context.timeparse.parse_time`)
and words (:func:`~lingxi.text.tokenize`). The words are hashed and matched in the FTS5 index
(:class:`~lingxi.context.index.SearchIndex`), scoped to the user, the window and the requested types; the
best ``candidates`` by BM25 are re-ranked with recency, and only the final ``limit`` are decrypted. A query
that is only a time expression ("昨天") lists that window's events, newest first.

Ranking, in one line (documented here because callers show it to users as "why this result")::

    score = (1 − w) · rel / max_rel  +  w · 0.5 ^ (age / half_life)
    rel   = bm25                                              without a vector index
    rel   = 1 / (60 + rank_bm25)  +  1 / (60 + rank_cosine)   with one (a missing term counts 0)

``bm25`` is FTS5's Okapi BM25 (k1 = 1.2, b = 0.75) made positive; ``rel`` is normalised by the best
candidate's so the two terms share a 0..1 scale; ``age`` is ``now −`` :func:`~lingxi.context.index.when` (a
calendar entry's start, else ``ts``), and 0 for what lies in the future; by default ``w = 0.3`` and
``half_life`` is 7 days: among equally relevant events the newer wins, but a week-old exact match still beats
yesterday's passing mention.

Hybrid retrieval (when a :class:`~lingxi.context.vectors.VectorIndex` is given): the BM25 candidates and the
nearest events by cosine (same user, window and types) are fused by reciprocal rank fusion with k = 60 — by
rank, because BM25 (unbounded, query-dependent) and cosine (−1..1, model-dependent) are on scales that no
fixed weight can reconcile. An event found by both lists outranks one found by either alone, so an exact
keyword match that is also close in meaning stays first, while an event that shares no word with the query
("快递到哪了" / "您的包裹正在派送中") is still found by meaning. ``Hit.semantic`` shows the cosine.

Isolation: the index match is scoped by a keyed tag of the user id, and events are then read with
:meth:`EventStore.get <lingxi.context.store.EventStore.get>`, which is itself scoped by ``user_id``, so
another user's event cannot come back even if an index row were wrong.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from lingxi.context.current import current, settle, with_update_types
from lingxi.context.events import CalendarEvent, Event
from lingxi.context.index import IndexHit, SearchIndex, when
from lingxi.context.store import EventStore
from lingxi.context.timeparse import DEFAULT_TZ, TimeWindow, parse_time
from lingxi.errors import LingxiError
from lingxi.ids import now_ms as _now_ms
from lingxi.text import tokenize

if TYPE_CHECKING:
    from lingxi.context.vectors import VectorHit, VectorIndex

__all__ = ["Hit", "ParsedQuery", "Retriever"]

DAY_MS = 86_400_000
RRF_K = 60  # the constant of Cormack et al. (2009): damps the head of each list so no single list dominates
log = logging.getLogger(__name__)
_T = TypeVar("_T")


def _blocking(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coro`` to completion from synchronous code, also when called on a running event loop's thread
    (a sync caller inside async code): then in a worker thread with its own loop, blocking the caller."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@dataclass(frozen=True)
class Hit:
    """One result: the decrypted event, its blended ``score``, and the parts it was made of (``semantic`` is
    the cosine with the query, 0 when there is no vector index or the event was not a vector candidate)."""

    event: Event
    score: float
    bm25: float
    recency: float
    semantic: float = 0.0

    @property
    def event_id(self) -> str:
        """Provenance: the id of the event this hit came from."""
        return self.event.event_id


@dataclass(frozen=True)
class ParsedQuery:
    """What a query was understood as: its time window (if any) and the words searched for."""

    window: TimeWindow | None
    words: list[str]


@dataclass(frozen=True)
class _Plan:
    """A query understood and its keyword candidates, waiting to be ranked (with or without vectors)."""

    user_id: str
    types: Sequence[str]
    parsed: ParsedQuery
    since_ms: int | None
    until_ms: int | None
    now: int
    limit: int
    candidates: int
    found: list[IndexHit]


class Retriever:
    """Searches one user's events; safe to share between threads (it holds no per-query state)."""

    def __init__(
        self,
        store: EventStore,
        index: SearchIndex,
        *,
        half_life_ms: int = 7 * DAY_MS,
        recency_weight: float = 0.3,
        candidates: int = 50,
        vectors: VectorIndex | None = None,
    ) -> None:
        """``vectors``: the optional vector index; None keeps keyword-only (BM25) retrieval."""
        if not 0.0 <= recency_weight <= 1.0:
            raise ValueError("recency_weight must be within [0, 1]")
        self.store = store
        self.index = index
        self.vectors = vectors
        self.half_life_ms = half_life_ms
        self.recency_weight = recency_weight
        self.candidates = candidates

    def parse(self, query: str, *, now_ms: int, tz: str = DEFAULT_TZ) -> ParsedQuery:
        """Split ``query`` into a time window and the words left once the time phrase is removed."""
        window = parse_time(query, now_ms, tz)
        rest = window.strip(query) if window else query
        return ParsedQuery(window=window, words=tokenize(rest))

    def recency(self, ts: int, now_ms: int) -> float:
        """``0.5 ^ (age / half_life)``: 1.0 now (or in the future), 0.5 one half-life ago."""
        return float(0.5 ** (max(0, now_ms - ts) / self.half_life_ms))

    def search(
        self,
        user_id: str,
        query: str,
        *,
        types: Sequence[str] = (),
        since_ms: int | None = None,
        until_ms: int | None = None,
        now_ms: int | None = None,
        limit: int = 10,
        tz: str = DEFAULT_TZ,
    ) -> list[Hit]:
        """The ``limit`` best events of ``user_id`` for ``query``, best first.

        A time expression in the query sets the window unless ``since_ms``/``until_ms`` are given, which then
        replace it. With no words left, or none matching inside a time window, the window's events are listed
        newest first; with no words and no filter at all, nothing is returned (rather than everything).
        With a vector index this runs :meth:`asearch` to completion (async callers should await that).
        """
        if self.vectors is not None:
            return _blocking(
                self.asearch(
                    user_id, query, types=types, since_ms=since_ms, until_ms=until_ms, now_ms=now_ms, limit=limit, tz=tz
                )
            )
        plan = self._plan(user_id, query, types, since_ms, until_ms, now_ms, limit, tz)
        return plan if isinstance(plan, list) else self._hits(plan, None)

    async def asearch(
        self,
        user_id: str,
        query: str,
        *,
        types: Sequence[str] = (),
        since_ms: int | None = None,
        until_ms: int | None = None,
        now_ms: int | None = None,
        limit: int = 10,
        tz: str = DEFAULT_TZ,
    ) -> list[Hit]:
        """:meth:`search`, hybrid when a vector index is given: BM25 and cosine candidates fused by RRF.

        The query minus its time phrase is embedded (after the user's own pending events are embedded, so
        what was just ingested is found). If the vector side fails (the embedder is down), the failure is
        logged and the keyword results are returned: retrieval degrades, it does not break.
        """
        plan = self._plan(user_id, query, types, since_ms, until_ms, now_ms, limit, tz)
        if isinstance(plan, list) or self.vectors is None:
            return plan if isinstance(plan, list) else self._hits(plan, None)
        text = plan.parsed.window.strip(query) if plan.parsed.window else query
        try:
            near = await self.vectors.search(
                user_id, text, types=types, since_ms=plan.since_ms, until_ms=plan.until_ms, limit=plan.candidates
            )
        except LingxiError as exc:
            log.warning("vector retrieval failed, keyword results only: %s", exc.message)
            near = []
        return self._hits(plan, near)

    def _plan(
        self,
        user_id: str,
        query: str,
        types: Sequence[str],
        since_ms: int | None,
        until_ms: int | None,
        now_ms: int | None,
        limit: int,
        tz: str,
    ) -> _Plan | list[Hit]:
        """The window, the words and the BM25 candidates; or the final answer when no ranking is needed."""
        now = _now_ms() if now_ms is None else now_ms
        parsed = self.parse(query, now_ms=now, tz=tz)
        if since_ms is None and until_ms is None and parsed.window is not None:
            since_ms, until_ms = parsed.window.start_ms, parsed.window.end_ms
        if limit <= 0:
            return []
        if not parsed.words:
            if since_ms is None and until_ms is None and not types:
                return []
            return self._listing(user_id, types, since_ms, until_ms, now, limit)
        n = max(self.candidates, limit)
        found = self.index.search(
            user_id, parsed.words, types=with_update_types(types), since_ms=since_ms, until_ms=until_ms, limit=n
        )
        return _Plan(user_id, types, parsed, since_ms, until_ms, now, limit, n, found)

    def _hits(self, plan: _Plan, near: list[VectorHit] | None) -> list[Hit]:
        """Rank the candidates (BM25 alone, or fused with ``near``) and read the winners' events."""
        if not plan.found and not near and (plan.since_ms is not None or plan.until_ms is not None):
            # "下周三下午有空吗": no event says "有空", but the question is about that window, so list it
            return self._listing(plan.user_id, plan.types, plan.since_ms, plan.until_ms, plan.now, plan.limit)
        if near is None:
            ranked = [(h, score, rec, 0.0) for h, score, rec in self._rank(plan.found, plan.now)]
        else:
            ranked = self._fuse(plan.found, near, plan.now)
        ranked = ranked[: plan.limit]
        events = {e.event_id: e for e in self.store.get(plan.user_id, [h.event_id for h, _, _, _ in ranked])}
        hits = [
            Hit(events[h.event_id], score, h.bm25, rec, cos)
            for h, score, rec, cos in ranked
            if h.event_id in events and events[h.event_id].user_id == plan.user_id
        ]
        return self._settle(plan.user_id, hits)

    def _settle(self, user_id: str, hits: list[Hit]) -> list[Hit]:
        """Each hit as its event stands now (:func:`~lingxi.context.current.current`): a calendar hit shows
        its entry's latest version, a deleted message is dropped, a corrected one (or the correction that
        matched) shows the corrected message; each entity once, at its best-ranked hit."""
        out: list[Hit] = []
        seen: set[str] = set()
        for h, mapped in zip(hits, settle(self.store, user_id, [h.event for h in hits]), strict=True):
            if mapped is not None and mapped.event_id not in seen:
                seen.add(mapped.event_id)
                out.append(Hit(mapped, h.score, h.bm25, h.recency, h.semantic))
        return out

    def _fuse(
        self, found: list[IndexHit], near: list[VectorHit], now: int
    ) -> list[tuple[IndexHit, float, float, float]]:
        """Reciprocal rank fusion of the two lists, then the recency blend (module docstring); ties to the newer."""
        rrf: dict[str, float] = {}
        hits: dict[str, IndexHit] = {}
        cosine: dict[str, float] = {}
        for rank, h in enumerate(found, 1):
            rrf[h.event_id] = 1.0 / (RRF_K + rank)
            hits[h.event_id] = h
        for rank, v in enumerate(near, 1):
            rrf[v.event_id] = rrf.get(v.event_id, 0.0) + 1.0 / (RRF_K + rank)
            hits.setdefault(v.event_id, IndexHit(v.event_id, v.ts, 0.0))
            cosine[v.event_id] = v.cosine
        if not rrf:
            return []
        best = max(rrf.values())
        w = self.recency_weight
        scored = []
        for event_id, rel in rrf.items():
            h = hits[event_id]
            rec = self.recency(h.ts, now)
            scored.append((h, (1 - w) * rel / best + w * rec, rec, cosine.get(event_id, 0.0)))
        scored.sort(key=lambda t: (t[1], t[0].ts), reverse=True)
        return scored

    def _listing(
        self, user_id: str, types: Sequence[str], since_ms: int | None, until_ms: int | None, now: int, limit: int
    ) -> list[Hit]:
        """A window's events with no words to match: the newest first, plus calendar entries starting in it."""
        events = self.store.query(user_id, types=types, since_ms=since_ms, until_ms=until_ms, limit=limit)
        if not types or "calendar" in types:
            seen = {e.event_id for e in events}
            starting = [h.event_id for h in self.index.calendar(user_id, since_ms, until_ms) if h.event_id not in seen]
            events += self.store.get(user_id, starting)
        inside = [
            e
            for e in current(self.store, user_id, events)  # moved entries at their new slot, cancelled ones gone
            if not isinstance(e, CalendarEvent)
            or (
                e.status != "cancelled"
                and (since_ms is None or when(e) >= since_ms or e.ts >= since_ms)
                and (until_ms is None or when(e) < until_ms or e.ts < until_ms)
            )
        ]
        hits = [Hit(e, self.recency(when(e), now), 0.0, self.recency(when(e), now)) for e in inside]
        hits.sort(key=lambda h: when(h.event), reverse=True)
        return hits[:limit]

    def _rank(self, found: list[IndexHit], now: int) -> list[tuple[IndexHit, float, float]]:
        """Blend BM25 with recency (see the module docstring); ties go to the newer event."""
        if not found:
            return []
        best = max(h.bm25 for h in found) or 1.0
        w = self.recency_weight
        scored = []
        for h in found:
            rec = self.recency(h.ts, now)
            scored.append((h, (1 - w) * h.bm25 / best + w * rec, rec))
        scored.sort(key=lambda t: (t[1], t[0].ts), reverse=True)
        return scored
