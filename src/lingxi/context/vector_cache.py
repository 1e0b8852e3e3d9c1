"""One user's decrypted vectors in memory, the LRU cache of them, and the ranking of a query against them.

Split from :mod:`lingxi.context.vectors` (which stores, queues and embeds): this is the search side. The
cache keeps at most ``users`` matrices and drops a user's whenever the user's vectors change; the rules that
keep a deleted user's vectors from being cached again (a load racing a deletion) are the "Deletion" paragraph
of :mod:`lingxi.context.vectors`, implemented by :meth:`VectorCache.invalidate` and :meth:`VectorCache.store`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["UserVectors", "VectorCache", "VectorHit", "rank"]


@dataclass(frozen=True)
class VectorHit:
    """One nearest neighbour: the event id, the time it is about (:func:`~lingxi.context.index.when`), cosine."""

    event_id: str
    ts: int
    cosine: float


@dataclass(frozen=True)
class UserVectors:
    """One user's decrypted vectors with the columns filters need, row-aligned."""

    ids: list[str]
    ts: NDArray[np.int64]
    kinds: NDArray[np.str_]
    vectors: NDArray[np.float32]


class VectorCache:
    """Users' decrypted matrices, LRU over users, invalidated per user when that user's vectors change."""

    def __init__(self, users: int) -> None:
        self.users = max(1, users)
        self._cache: OrderedDict[str, UserVectors] = OrderedDict()
        self._generation: dict[str, int] = {}
        self._erased: set[str] = set()  # deleted users whose deletion a load has not yet seen committed
        self._lock = threading.Lock()

    def invalidate(self, user_id: str, *, erased: bool = False) -> None:
        """Drop the user's matrix; ``erased``: the user's vectors were deleted (not cached again until a load
        sees the deletion committed, or a drain writes new vectors)."""
        with self._lock:
            self._cache.pop(user_id, None)
            self._generation[user_id] = self._generation.get(user_id, 0) + 1
            if erased:
                self._erased.add(user_id)
            else:  # a drain wrote vectors: they were queued after the deletion committed
                self._erased.discard(user_id)

    def lookup(self, user_id: str) -> tuple[UserVectors | None, int]:
        """The cached matrix (None: load it), and the generation a load must hand back to :meth:`store`."""
        with self._lock:
            cached = self._cache.get(user_id)
            if cached is not None:
                self._cache.move_to_end(user_id)
            return cached, self._generation.get(user_id, 0)

    def store(self, user_id: str, m: UserVectors, generation: int) -> None:
        """Cache a loaded matrix unless the user's vectors changed while it loaded (or it may predate a deletion)."""
        with self._lock:
            if user_id in self._erased and not m.ids:
                self._erased.discard(user_id)  # the deletion is committed and visible
            if self._generation.get(user_id, 0) == generation and user_id not in self._erased:
                self._cache[user_id] = m
                while len(self._cache) > self.users:
                    self._cache.popitem(last=False)


def rank(
    m: UserVectors,
    query: NDArray[np.float32],
    *,
    min_cosine: float,
    types: Sequence[str] = (),
    since_ms: int | None = None,
    until_ms: int | None = None,
    limit: int = 50,
) -> list[VectorHit]:
    """The rows of ``m`` most similar to a unit ``query`` vector, best first, at least ``min_cosine``."""
    if not m.ids or limit <= 0:
        return []
    scores = m.vectors @ np.asarray(query, dtype=np.float32).reshape(-1)
    keep = scores >= min_cosine
    if types:
        keep &= np.isin(m.kinds, list(types))
    if since_ms is not None:
        keep &= m.ts >= since_ms
    if until_ms is not None:
        keep &= m.ts < until_ms
    idx = np.flatnonzero(keep)
    if len(idx) > limit:
        idx = idx[np.argpartition(-scores[idx], limit - 1)[:limit]]
    idx = idx[np.lexsort((-m.ts[idx], -scores[idx]))]  # best cosine first, ties to the newer
    return [VectorHit(m.ids[i], int(m.ts[i]), float(scores[i])) for i in idx]
