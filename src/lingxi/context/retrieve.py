"""Real-time retrieval over one user's encrypted events: time window + BM25 + recency.

A query such as "上周三妈妈说了什么" is split into a time window (:func:`~lingxi.context.timeparse.parse_time`)
and words (:func:`~lingxi.text.tokenize`). The words are hashed and matched in the FTS5 index
(:class:`~lingxi.context.index.SearchIndex`), scoped to the user, the window and the requested types; the
best ``candidates`` by BM25 are re-ranked with recency, and only the final ``limit`` are decrypted. A query
that is only a time expression ("昨天") lists that window's events, newest first.

Ranking, in one line (documented here because callers show it to users as "why this result")::

    score = (1 − w) · bm25 / max_bm25  +  w · 0.5 ^ (age / half_life)

``bm25`` is FTS5's Okapi BM25 (k1 = 1.2, b = 0.75) made positive, normalised by the best candidate's so
the two terms share a 0..1 scale; ``age`` is ``now −`` :func:`~lingxi.context.index.when` (a calendar
entry's start, else ``ts``), and 0 for what lies in the future; by default ``w = 0.3`` and ``half_life`` is
7 days: among equally relevant events the newer wins, but a week-old exact match still beats yesterday's
passing mention.

Isolation: the index match is scoped by a keyed tag of the user id, and events are then read with
:meth:`EventStore.get <lingxi.context.store.EventStore.get>`, which is itself scoped by ``user_id``, so
another user's event cannot come back even if an index row were wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lingxi.context.events import Event
from lingxi.context.index import IndexHit, SearchIndex, when
from lingxi.context.store import EventStore
from lingxi.context.timeparse import DEFAULT_TZ, TimeWindow, parse_time
from lingxi.ids import now_ms as _now_ms
from lingxi.text import tokenize

__all__ = ["Hit", "ParsedQuery", "Retriever"]

DAY_MS = 86_400_000


@dataclass(frozen=True)
class Hit:
    """One result: the decrypted event, its blended ``score``, and the two parts it was made of."""

    event: Event
    score: float
    bm25: float
    recency: float

    @property
    def event_id(self) -> str:
        """Provenance: the id of the event this hit came from."""
        return self.event.event_id


@dataclass(frozen=True)
class ParsedQuery:
    """What a query was understood as: its time window (if any) and the words searched for."""

    window: TimeWindow | None
    words: list[str]


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
    ) -> None:
        if not 0.0 <= recency_weight <= 1.0:
            raise ValueError("recency_weight must be within [0, 1]")
        self.store = store
        self.index = index
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
        """
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
        found = self.index.search(
            user_id,
            parsed.words,
            types=types,
            since_ms=since_ms,
            until_ms=until_ms,
            limit=max(self.candidates, limit),
        )
        if not found and (since_ms is not None or until_ms is not None):
            # "下周三下午有空吗": no event says "有空", but the question is about that window, so list it
            return self._listing(user_id, types, since_ms, until_ms, now, limit)
        ranked = self._rank(found, now)[:limit]
        events = {e.event_id: e for e in self.store.get(user_id, [h.event_id for h, _, _ in ranked])}
        return [
            Hit(events[h.event_id], score, h.bm25, rec)
            for h, score, rec in ranked
            if h.event_id in events and events[h.event_id].user_id == user_id
        ]

    def _listing(
        self, user_id: str, types: Sequence[str], since_ms: int | None, until_ms: int | None, now: int, limit: int
    ) -> list[Hit]:
        """A window's events with no words to match: the newest first, plus calendar entries starting in it."""
        events = self.store.query(user_id, types=types, since_ms=since_ms, until_ms=until_ms, limit=limit)
        if not types or "calendar" in types:
            seen = {e.event_id for e in events}
            starting = [h.event_id for h in self.index.calendar(user_id, since_ms, until_ms) if h.event_id not in seen]
            events += self.store.get(user_id, starting)
        hits = [Hit(e, self.recency(when(e), now), 0.0, self.recency(when(e), now)) for e in events]
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
