"""The on-device vector index of a user's events: sealed embeddings, a queue, brute-force cosine in numpy.

Why sealed: an embedding can be inverted back into much of the text it was made from, so a vector is
personal data like the text itself. Each vector is stored sealed by the :class:`~lingxi.privacy.crypto.Vault`
(AES-GCM) with the user id and ``vector:<model>:<event_id>`` as associated data, so a sealed vector cannot be
moved to another user or event, relabelled as another model's, or passed off as an event payload (those are
bound to the bare event id). The file holds no float of any vector. What stays in the clear is what the
``events`` table already shows: user id, event id, type and time (needed to filter candidates without
decrypting), plus the model tag.

Why brute force: search decrypts one user's vectors once into an in-memory ``float32`` matrix and ranks
by a matrix-vector product. On a phone or laptop a user has thousands to tens of thousands of events:
10,000 events at d = 1024 are 40 MiB of float32 (15 MiB at d = 384), and one query reads all of it —
memory-bound, ~5 ms of numpy on a shared 2-core machine (benchmarks/bench_vectors.py). Filling the matrix
costs one AES-GCM open per vector (10,000 at d = 1024 in ~0.2 s there, once per fill). The cache holds at
most ``cache_users`` users (LRU over users; 4 × 40 MiB worst case at the defaults, 10k events and d = 1024)
and is dropped for a user whenever that user's vectors change (a drain batch or a deletion). Beyond ~100k
events per user (400 MiB, ~50 ms per query at d = 1024) this design stops fitting a device and an ANN index
(sqlite-vec, HNSW) would be needed — with its vectors sealed the same way, which such indexes do not
support, hence brute force here.

Why a queue: embedding costs milliseconds to tens of ms per text on a CPU, far more than the rest of an
ingest, so it must not run inside the event store's write transaction (which blocks every other writer).
The :class:`~lingxi.context.store.IngestHook` only enqueues ``(user_id, event_id)`` in ``vector_queue``,
in the ingest transaction, so nothing is ever lost between commit and embedding. :meth:`VectorIndex.drain`
embeds queued events in batches outside any transaction and writes each batch's sealed vectors in one short
transaction; :meth:`VectorIndex.search` first drains the querying user's own queue (at most
``search_drain``, so one query never embeds a backlog), which makes an event findable by meaning on the very
next query; :meth:`run_forever` (or periodic :meth:`drain` calls) works through the rest, and
:meth:`enqueue_missing` queues events stored before an embedder was configured.

Model changes: each vector is tagged with the embedder's name and dimensions. Vectors of another model are
never compared with this model's (their spaces are unrelated): search loads only rows of the current tag,
and opening the index re-queues every event whose vector has another tag, to be re-embedded by the drain
(the old row is replaced when the new vector is written).

Deletion: :meth:`on_delete` removes the user's vectors and queue rows in the store's delete transaction and
drops the user's cached matrix. A drain racing a deletion cannot resurrect a vector: a vector is written only
in the same transaction that removes its queue row, and only if that row still exists. Nor can a search
racing it keep the user's vectors in memory: until a load sees the deletion committed (no rows), or a drain
writes the user's new vectors, loads of that user are not cached.

Only on-device embedders are accepted: embedding a personal event with a cloud model would send its text off
the device, which the user never agreed to for indexing.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from lingxi.context.events import Event
from lingxi.context.index import when
from lingxi.context.vector_cache import UserVectors, VectorCache, VectorHit, rank
from lingxi.errors import InvalidInput, ProviderError
from lingxi.ids import now_ms
from lingxi.models.base import Locality
from lingxi.models.embed_base import Embedder
from lingxi.privacy.crypto import Vault
from lingxi.privacy.sealed import SealedColumn, by_user, register
from lingxi.storage.sqlite import Database

__all__ = ["EventGetter", "UserVectors", "VectorHit", "VectorIndex"]

log = logging.getLogger(__name__)

_MIGRATIONS = (
    """CREATE TABLE vector_queue (
        user_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        queued_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, event_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX vector_queue_by_age ON vector_queue(queued_at)",
    """CREATE TABLE event_vectors (
        user_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        model TEXT NOT NULL,
        dims INTEGER NOT NULL,
        kind TEXT NOT NULL,
        ts INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (user_id, event_id)
    ) WITHOUT ROWID""",
)
register(
    SealedColumn(
        "event_vectors",
        "vector",
        ("user_id", "event_id"),
        by_user,
        lambda r: f"vector:{r['model']}@{r['dims']}:{r['event_id']}",
        also=("model", "dims"),
    )
)


class EventGetter(Protocol):
    """What the drain reads events through: the event store's user-scoped ``get`` (SQLite or PostgreSQL)."""

    def get(self, user_id: str, event_ids: Sequence[str]) -> list[Event]: ...


class VectorIndex:
    """Sealed event embeddings of many users; an ingest hook of the event store. Thread-safe."""

    def __init__(
        self,
        db: Database,
        vault: Vault,
        embedder: Embedder,
        events: EventGetter,
        *,
        batch_size: int = 32,
        search_drain: int = 32,
        cache_users: int = 4,
        min_cosine: float = 0.2,
    ) -> None:
        """``min_cosine``: neighbours less similar than this are not candidates (every event has *some* cosine
        with every query; below this it is noise). It depends on the model: tune it with the embedder."""
        info = embedder.info
        if info.locality != Locality.ON_DEVICE:
            raise InvalidInput(
                f"embedder {info.name} runs in the cloud ({info.provider}); personal events are embedded on-device",
                message_zh=f"嵌入模型 {info.name} 运行在云端，个人事件不会发送给云端模型建立向量索引",
                hint="configure an on-device embedding model (e.g. a GGUF model run by llama.cpp)",
            )
        self.db = db
        self.vault = vault
        self.embedder = embedder
        self.events = events
        self.model = f"{info.provider}/{info.name}"
        self.dims = info.dimensions
        self.batch_size = max(1, batch_size)
        self.search_drain = search_drain
        self.min_cosine = min_cosine
        self._cache = VectorCache(cache_users)  # the decrypted matrices (lingxi.context.vector_cache)
        db.migrate("vectors", _MIGRATIONS)
        self.requeue_stale()

    # -- sealing --------------------------------------------------------------------------------------------

    def _record(self, event_id: str) -> str:
        return f"vector:{self.model}@{self.dims}:{event_id}"

    def seal(self, user_id: str, event_id: str, vector: NDArray[np.float32]) -> bytes:
        """One vector as stored: little-endian float32 bytes, sealed and bound to user, event and model."""
        raw = np.asarray(vector, dtype="<f4").tobytes()
        return self.vault.seal(raw, user_id=user_id, record_id=self._record(event_id))

    def _open(self, user_id: str, event_id: str, sealed: bytes) -> NDArray[np.float32]:
        raw = self.vault.open(bytes(sealed), user_id=user_id, record_id=self._record(event_id))
        return np.frombuffer(raw, dtype="<f4").astype(np.float32)

    # -- IngestHook -----------------------------------------------------------------------------------------

    def on_ingest(self, conn: sqlite3.Connection, events: Sequence[Event]) -> None:
        """Queue new events for embedding (in the ingest transaction; embedding itself happens in :meth:`drain`)."""
        now = now_ms()
        conn.executemany(
            "INSERT OR IGNORE INTO vector_queue(user_id, event_id, queued_at) VALUES (?, ?, ?)",
            [(e.user_id, e.event_id, now) for e in events],
        )

    def on_delete(self, conn: sqlite3.Connection, user_id: str) -> None:
        """Erase the user's vectors and queue rows (in the store's delete transaction) and cached matrix."""
        conn.execute("DELETE FROM event_vectors WHERE user_id = ?", (user_id,))
        conn.execute("DELETE FROM vector_queue WHERE user_id = ?", (user_id,))
        self._invalidate(user_id, erased=True)

    # -- queue ----------------------------------------------------------------------------------------------

    def requeue_stale(self) -> int:
        """Queue every event whose vector was made by another model (or dimension); returns how many."""
        with self.db.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO vector_queue(user_id, event_id, queued_at) "
                "SELECT user_id, event_id, ? FROM event_vectors WHERE model != ? OR dims != ?",
                (now_ms(), self.model, self.dims),
            )
            return int(cur.rowcount)

    def enqueue_missing(self, user_id: str | None = None) -> int:
        """Backfill: queue stored events (of ``user_id``, or everyone's) that have no vector of this model.

        Reads the SQLite ``events`` table; with a PostgreSQL event store the events are not in this database,
        and nothing is queued (use the store's export to re-ingest, or queue ids with :meth:`enqueue`).
        """
        with self.db.transaction() as conn:
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone():
                return 0
            sql = (
                "INSERT OR IGNORE INTO vector_queue(user_id, event_id, queued_at) SELECT e.user_id, e.event_id, ? "
                "FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_vectors v WHERE v.user_id = e.user_id "
                "AND v.event_id = e.event_id AND v.model = ? AND v.dims = ?)"
            )
            args: list[object] = [now_ms(), self.model, self.dims]
            if user_id is not None:
                sql += " AND e.user_id = ?"
                args.append(user_id)
            return int(conn.execute(sql, args).rowcount)

    def enqueue(self, user_id: str, event_ids: Sequence[str]) -> None:
        """Queue specific events of one user (e.g. to re-embed them)."""
        now = now_ms()
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO vector_queue(user_id, event_id, queued_at) VALUES (?, ?, ?)",
                [(user_id, i, now) for i in event_ids],
            )

    def pending(self, user_id: str | None = None) -> int:
        """Queued events not yet embedded (of one user, or of all)."""
        with self.db.connect() as conn:
            if user_id is None:
                row = conn.execute("SELECT COUNT(*) FROM vector_queue").fetchone()
            else:
                row = conn.execute("SELECT COUNT(*) FROM vector_queue WHERE user_id = ?", (user_id,)).fetchone()
        return int(row[0])

    def count(self, user_id: str | None = None) -> int:
        """Vectors of the current model (of one user, or of all)."""
        sql, args = "SELECT COUNT(*) FROM event_vectors WHERE model = ? AND dims = ?", [self.model, self.dims]
        if user_id is not None:
            sql, args = sql + " AND user_id = ?", [*args, user_id]
        with self.db.connect() as conn:
            return int(conn.execute(sql, args).fetchone()[0])

    # -- drain ----------------------------------------------------------------------------------------------

    async def drain(self, limit: int = 256, *, user_id: str | None = None) -> int:
        """Embed up to ``limit`` queued events (oldest first; only ``user_id``'s if given); returns how many
        vectors were written. Embedding runs outside any transaction; each batch commits on its own."""
        if limit <= 0:
            return 0
        with self.db.connect() as conn:
            if user_id is None:
                rows = conn.execute(
                    "SELECT user_id, event_id FROM vector_queue ORDER BY queued_at LIMIT ?", (limit,)
                ).fetchall()
            else:
                rows = conn.execute(
                    "SELECT user_id, event_id FROM vector_queue WHERE user_id = ? ORDER BY queued_at LIMIT ?",
                    (user_id, limit),
                ).fetchall()
        by_user: dict[str, list[str]] = {}
        for r in rows:
            by_user.setdefault(str(r[0]), []).append(str(r[1]))
        written = 0
        for user, ids in by_user.items():
            found = self.events.get(user, ids)
            gone = set(ids) - {e.event_id for e in found}
            if gone:  # a phantom (see lingxi.storage.stores) or an event since deleted: nothing to embed
                with self.db.transaction() as conn:
                    conn.executemany(
                        "DELETE FROM vector_queue WHERE user_id = ? AND event_id = ?", [(user, i) for i in gone]
                    )
            for start in range(0, len(found), self.batch_size):
                written += await self._embed_batch(user, found[start : start + self.batch_size])
        return written

    async def _embed_batch(self, user_id: str, events: list[Event]) -> int:
        vectors = await self.embedder.embed([e.search_text() for e in events])
        if vectors.shape != (len(events), self.dims):
            raise ProviderError(
                f"embedder {self.model} returned shape {vectors.shape}, expected ({len(events)}, {self.dims})",
                message_zh="嵌入模型返回的向量维度不正确",
                provider=self.embedder.info.provider,
                retryable=False,
            )
        rows = [
            (user_id, e.event_id, self.model, self.dims, e.type, when(e), self.seal(user_id, e.event_id, v))
            for e, v in zip(events, vectors, strict=True)
        ]
        written = 0
        with self.db.transaction() as conn:
            for row in rows:
                # written only while still queued: a deletion committed meanwhile removed the queue row
                if conn.execute("DELETE FROM vector_queue WHERE user_id = ? AND event_id = ?", row[:2]).rowcount:
                    conn.execute("INSERT OR REPLACE INTO event_vectors VALUES (?, ?, ?, ?, ?, ?, ?)", row)
                    written += 1
        self._invalidate(user_id)
        return written

    async def run_forever(self, interval_s: float = 2.0, *, batch: int = 256) -> None:
        """Drain the whole queue, batch by batch, then poll every ``interval_s``; a failing embedder is
        logged and retried at the next interval (queued rows stay queued). Cancel the task to stop."""
        while True:
            try:
                n = await self.drain(batch)
            except Exception:  # keep the server's background task alive; the rows remain queued
                log.exception("vector drain failed; retrying in %.1f s", interval_s)
                n = 0
            if n < batch:
                await asyncio.sleep(interval_s)

    # -- search ---------------------------------------------------------------------------------------------

    def _invalidate(self, user_id: str, *, erased: bool = False) -> None:
        self._cache.invalidate(user_id, erased=erased)

    def matrix(self, user_id: str) -> UserVectors:
        """The user's decrypted vectors of the current model (cached, LRU over users)."""
        cached, generation = self._cache.lookup(user_id)
        if cached is not None:
            return cached
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT event_id, kind, ts, vector FROM event_vectors WHERE user_id = ? AND model = ? AND dims = ?",
                (user_id, self.model, self.dims),
            ).fetchall()
        vectors = np.zeros((len(rows), self.dims), dtype=np.float32)
        for i, r in enumerate(rows):
            vectors[i] = self._open(user_id, r[0], r[3])
        m = UserVectors(
            ids=[str(r[0]) for r in rows],
            ts=np.array([int(r[2]) for r in rows], dtype=np.int64),
            kinds=np.array([str(r[1]) for r in rows], dtype=np.str_),
            vectors=vectors,
        )
        self._cache.store(user_id, m, generation)  # not cached if it changed while loading, or predates a deletion
        return m

    def nearest(
        self,
        user_id: str,
        query: NDArray[np.float32],
        *,
        types: Sequence[str] = (),
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 50,
    ) -> list[VectorHit]:
        """The user's events most similar to a unit ``query`` vector, best first, at least ``min_cosine``."""
        return rank(
            self.matrix(user_id),
            query,
            min_cosine=self.min_cosine,
            types=types,
            since_ms=since_ms,
            until_ms=until_ms,
            limit=limit,
        )

    async def search(
        self,
        user_id: str,
        text: str,
        *,
        types: Sequence[str] = (),
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 50,
    ) -> list[VectorHit]:
        """Embed ``text`` and return :meth:`nearest`, after draining up to ``search_drain`` of the user's queue."""
        if not text.strip() or limit <= 0:
            return []
        if self.search_drain > 0:
            await self.drain(self.search_drain, user_id=user_id)
        query = await self.embedder.embed([text])
        return self.nearest(user_id, query[0], types=types, since_ms=since_ms, until_ms=until_ms, limit=limit)
