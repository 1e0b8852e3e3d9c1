"""The full-text index over a user's events: SQLite FTS5 over keyed hashes of jieba words.

Why FTS5 and not an in-memory BM25 (bm25s): the index must change with every ingest batch and be
searchable the moment that batch commits, survive restarts, and stay in step with the events through
crashes. As an :class:`~lingxi.context.store.IngestHook` it is written inside the store's ingest transaction,
so the events and their index rows commit (or roll back) together, and FTS5's ``bm25()`` ranks in C.

Why hashes: the file must hold no plaintext words. Each word of ``tokenize(event.search_text())`` is stored
as :meth:`Vault.token <lingxi.privacy.crypto.Vault.token>` (16 hex chars of HMAC-SHA256); a query hashes
its words the same way, so matching and BM25 statistics work unchanged on the tags. What leaks is what any
token index leaks (which events share a word, how often), never the words.

Columns: ``tokens`` (the word tags, the only column that scores), ``owner`` (one tag derived from the
user id) and ``kind`` (the event type), so user and type filters are part of the ``MATCH`` and FTS5
intersects posting lists instead of reading every matching row; ``user_id``, ``event_id`` and ``ts`` are
``UNINDEXED`` payload for the time filter and for provenance. ``detail=column`` drops word positions (no
phrase queries are ever issued), which makes the index smaller and ingest faster; term frequency within
an event is then counted once, immaterial for texts of a sentence or two.

Long words are also indexed by their dictionary sub-words (as jieba's search mode does): "降噪耳机" is
found by "耳机". Queries are not expanded, so a query word still has to be a whole word or such a part.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import jieba

from lingxi.context.event_sql import open_event
from lingxi.context.events import CalendarEvent, Event
from lingxi.privacy.crypto import Vault
from lingxi.privacy.sealed import RekeyRun, register_rekey
from lingxi.storage.sqlite import Database
from lingxi.text import tokenize

__all__ = ["IndexHit", "SearchIndex", "when"]

_MIGRATIONS = (
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        tokens, owner, kind, user_id UNINDEXED, event_id UNINDEXED, ts UNINDEXED,
        tokenize = "ascii tokenchars '_'", detail = column
    )""",
)

#: Characters at which jieba (and any sane segmenter) always ends a word: text split here tokenizes to the
#: same words as the whole, so each piece can be cached on its own. Phone texts repeat their pieces a lot
#: ("京东物流", "您的快递", a contact's name), which is what the cache is for.
_PIECE = re.compile(r"[\s，。！？、：；「」『』（）()【】《》〈〉“”‘’\"',!?;:~～…—]+")
_CJK = re.compile(r"^[\u4e00-\u9fff]{3,}$")


@dataclass(frozen=True)
class IndexHit:
    """One matching event as the index sees it: id, :func:`when` it is about, BM25 (higher is better)."""

    event_id: str
    ts: int
    bm25: float


def _sub_words(word: str) -> list[str]:
    """Dictionary 2- and 3-character parts of a long Chinese word, like ``jieba.cut_for_search``."""
    if not _CJK.match(word):
        return []
    freq = jieba.dt.FREQ
    parts = [word[i : i + 2] for i in range(len(word) - 1) if freq.get(word[i : i + 2])]
    if len(word) > 3:
        parts += [word[i : i + 3] for i in range(len(word) - 2) if freq.get(word[i : i + 3])]
    return parts


def when(event: Event) -> int:
    """The time an event is *about*: a calendar entry's start, otherwise when it happened (``ts``).

    "下周三下午有会吗" asks about entries starting then, not about when they were created; the index's ``ts``
    column holds this time, and the time filter and recency use it.
    """
    return event.start_ts if isinstance(event, CalendarEvent) else event.ts


def _quote(tag: str) -> str:
    escaped = tag.replace('"', '""')
    return f'"{escaped}"'  # quoted, so that no tag or type name is read as AND/OR/NOT or a column filter


class SearchIndex:
    """FTS5 index of hashed words per event; an ingest hook of :class:`~lingxi.context.store.EventStore`."""

    def __init__(self, db: Database, vault: Vault, *, cache_size: int = 50_000) -> None:
        self.db = db
        self.vault = vault
        self._cache: dict[str, tuple[str, ...]] = {}
        self._cache_size = cache_size
        db.migrate("search", _MIGRATIONS)

    # -- hashing ------------------------------------------------------------------------------------------

    def owner_tag(self, user_id: str) -> str:
        """The ``owner`` column's tag for a user: keyed, and domain-separated from word tags."""
        return "u" + self.vault.token("\x00user\x00" + user_id)

    def word_tags(self, words: Sequence[str]) -> list[str]:
        """Tags of query words, de-duplicated in order (BM25 should not count a repeated query word twice)."""
        return list(dict.fromkeys(self.vault.token(w) for w in words))

    def _piece_tags(self, piece: str) -> tuple[str, ...]:
        tags = self._cache.get(piece)
        if tags is None:
            words = tokenize(piece)
            for w in list(words):
                words.extend(_sub_words(w))
            tags = tuple(self.vault.token(w) for w in words)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()  # cheaper than LRU bookkeeping on every hit; refills with what recurs
            self._cache[piece] = tags
        return tags

    def document(self, text: str) -> str:
        """The ``tokens`` column for an event's search text: space-joined tags of its words and sub-words."""
        return " ".join(tag for piece in _PIECE.split(text) if piece for tag in self._piece_tags(piece))

    # -- IngestHook -----------------------------------------------------------------------------------------

    def prepare(self, events: Sequence[Event]) -> None:
        """Tokenize the events' text into the word cache before the ingest transaction (see ``IngestHook``)."""
        for e in events:
            self.document(e.search_text())

    def on_ingest(self, conn: sqlite3.Connection, events: Sequence[Event]) -> None:
        """Index newly added events, inside the store's ingest transaction."""
        owners: dict[str, str] = {}
        rows = []
        for e in events:
            owner = owners.get(e.user_id) or owners.setdefault(e.user_id, self.owner_tag(e.user_id))
            rows.append((self.document(e.search_text()), owner, e.type, e.user_id, e.event_id, when(e)))
        conn.executemany(
            "INSERT INTO search_fts(tokens, owner, kind, user_id, event_id, ts) VALUES (?, ?, ?, ?, ?, ?)", rows
        )

    def on_delete(self, conn: sqlite3.Connection, user_id: str) -> None:
        """Remove every index row of ``user_id`` (in the store's delete transaction), and forget cached words."""
        conn.execute(
            "DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)",
            (f"owner : {_quote(self.owner_tag(user_id))}",),
        )
        self._cache.clear()

    # -- queries ----------------------------------------------------------------------------------------------

    def search(
        self,
        user_id: str,
        words: Sequence[str],
        *,
        types: Sequence[str] = (),
        since_ms: int | None = None,
        until_ms: int | None = None,
        limit: int = 50,
    ) -> list[IndexHit]:
        """The user's events matching any of ``words``, best BM25 first, at most ``limit``.

        ``types`` and ``[since_ms, until_ms)`` filter; the user scope is part of the match itself.
        """
        tags = self.word_tags(words)
        if not tags or limit <= 0:
            return []
        expr = f"owner : {_quote(self.owner_tag(user_id))} AND tokens : ({' OR '.join(map(_quote, tags))})"
        if types:
            expr += f" AND kind : ({' OR '.join(map(_quote, types))})"
        sql = ["SELECT event_id, ts, bm25(search_fts, 1.0, 0.0, 0.0) AS s FROM search_fts WHERE search_fts MATCH ?"]
        args: list[object] = [expr]
        if since_ms is not None:
            sql.append("AND ts >= ?")
            args.append(since_ms)
        if until_ms is not None:
            sql.append("AND ts < ?")
            args.append(until_ms)
        sql.append("ORDER BY s LIMIT ?")
        args.append(limit)
        with self.db.connect() as conn:
            rows = conn.execute(" ".join(sql), args).fetchall()
        # FTS5's bm25() is negated so that ascending order is best first; report it as a positive relevance.
        return [IndexHit(event_id=r[0], ts=int(r[1]), bm25=-float(r[2])) for r in rows]

    def calendar(self, user_id: str, since_ms: int | None, until_ms: int | None, *, limit: int = 200) -> list[IndexHit]:
        """Calendar entries of ``user_id`` *starting* in ``[since_ms, until_ms)``, latest first.

        The store filters on ``ts`` (when an entry was created); this is the other half of "what is on then".
        """
        sql = (
            "SELECT event_id, ts FROM search_fts WHERE search_fts MATCH ? AND ts >= ? AND ts < ? "
            "ORDER BY ts DESC LIMIT ?"
        )
        expr = f"owner : {_quote(self.owner_tag(user_id))} AND kind : calendar"
        lo = -(2**62) if since_ms is None else since_ms
        hi = 2**62 if until_ms is None else until_ms
        with self.db.connect() as conn:
            rows = conn.execute(sql, (expr, lo, hi, limit)).fetchall()
        return [IndexHit(event_id=r[0], ts=int(r[1]), bm25=0.0) for r in rows]

    def count(self, user_id: str) -> int:
        """Number of indexed events of ``user_id``."""
        with self.db.connect() as conn:
            row = conn.execute(
                "SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH ?",
                (f"owner : {_quote(self.owner_tag(user_id))}",),
            ).fetchone()
        return int(row[0])


_REKEY_BATCH = 500


def _rekey(db: Database, new: Vault) -> RekeyRun:
    """Key rotation's step for the index (:mod:`lingxi.privacy.rotate`): its tokens are keyed hashes, so it is
    rebuilt under the new key from the events, read with the old one, inside the rotation's transaction."""
    index = SearchIndex(db, new)  # migrations run here, before the transaction

    def run(conn: sqlite3.Connection, old: Vault) -> int:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone() is None:
            return 0
        conn.execute("DELETE FROM search_fts")
        rows = conn.execute("SELECT user_id, event_id, payload FROM events").fetchall()
        for i in range(0, len(rows), _REKEY_BATCH):
            batch = [open_event(old, r["user_id"], r["event_id"], r["payload"]) for r in rows[i : i + _REKEY_BATCH]]
            index.on_ingest(conn, batch)
        return len(rows)

    return run


register_rekey("search_index", _rekey)
