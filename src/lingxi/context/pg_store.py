"""The event store on PostgreSQL, for deployments where several gateway workers share state.

One process on SQLite is the default (DESIGN: "scale-out is designed, not faked"). When several workers
serve the same users they must see one another's writes the moment a batch commits, and a re-sent event
must be stored once even when two workers receive it at the same time. :class:`PgEventStore` gives that
with the same interface and semantics as :class:`~lingxi.context.store.EventStore`: the server decides
``INSERT … ON CONFLICT DO NOTHING`` on the key ``(user_id, event_id)``, row by row, so of two racing
workers exactly one adds the event and the other counts a duplicate.

Privacy is unchanged: the event is sealed by the same :class:`~lingxi.privacy.crypto.Vault` (AES-GCM, user
and event id bound as associated data) before it leaves the process, so the server — and its backups —
hold ciphertext plus the few plaintext columns queries filter on (type, time, source app). The key never
reaches PostgreSQL.

Hooks: the SQLite search index and profile are SQLite-specific (FTS5 tables written in the same SQLite
transaction as the events) and cannot follow this store; a PostgreSQL deployment will index server-side
(out of scope for now). ``hooks`` therefore accepts only :class:`PgIngestHook` objects, which declare
``backend = "postgres"`` and get the psycopg connection of the ingest transaction; attaching a SQLite hook
raises :class:`~lingxi.errors.StorageError` at once rather than leaving an index silently stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, Self, SupportsIndex

from lingxi.context.consented import EventReader
from lingxi.context.event_sql import POSTGRES, EventReads, EventSql, Statement, seal_event
from lingxi.context.events import Event
from lingxi.context.store import EventStore, IngestResult
from lingxi.errors import StorageError
from lingxi.ids import now_ms
from lingxi.privacy.crypto import Vault
from lingxi.storage.postgres import _IMPORT_ERROR, _describe, migrate

try:
    import psycopg
    from psycopg_pool import ConnectionPool
except ImportError:  # the optional extra is missing: lingxi.storage.postgres._IMPORT_ERROR says so on use
    pass

if TYPE_CHECKING:
    from psycopg.rows import TupleRow

    from lingxi.storage.postgres import _Conn


_MIGRATIONS = (
    # COLLATE "C": byte-wise comparison as in SQLite, so ORDER BY and equality match the default store
    """CREATE TABLE events (
        user_id TEXT COLLATE "C" NOT NULL,
        event_id TEXT COLLATE "C" NOT NULL,
        type TEXT COLLATE "C" NOT NULL,
        ts BIGINT NOT NULL,
        source_app TEXT NOT NULL,
        payload BYTEA NOT NULL,
        ingested_at BIGINT NOT NULL,
        PRIMARY KEY (user_id, event_id)
    )""",
    "CREATE INDEX events_by_user_type_ts ON events(user_id, type, ts)",
    "CREATE INDEX events_by_user_ts ON events(user_id, ts)",
    # event model v2 (issue 13): each row records the event format it was written in; rows already stored
    # were written in v1, which v2 reads unchanged (every new field has a default)
    "ALTER TABLE events ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1",
)


class EventStoreLike(EventReader, Protocol):
    """What features, retrieval and the facade need from an event store, whichever database holds it: the
    reads (:class:`~lingxi.context.consented.EventReader`) plus these."""

    def add(self, events: Iterable[Event]) -> IngestResult: ...

    def count(self, user_id: str) -> dict[str, int]: ...

    def delete_user(self, user_id: str) -> int: ...


class PgIngestHook(Protocol):
    """A hook kept in step with the events inside the PostgreSQL ingest transaction."""

    @property
    def backend(self) -> str: ...  # must be "postgres": how a SQLite hook is told apart at run time

    def on_ingest(self, conn: _Conn, events: Sequence[Event]) -> None: ...

    def on_delete(self, conn: _Conn, user_id: str) -> None: ...


def _checked(hook: PgIngestHook) -> PgIngestHook:
    if getattr(hook, "backend", None) != "postgres":
        name = type(hook).__name__
        raise StorageError(
            f"{name} is not a PostgreSQL hook; the SQLite search index and profile cannot follow a PgEventStore",
            message_zh=f"{name} 不是 PostgreSQL 钩子：SQLite 的搜索索引和用户画像不能挂在 PostgreSQL 事件存储上",
            hint='a PostgreSQL deployment indexes server-side; leave hooks empty or set backend = "postgres"',
        )
    return hook


class _PgHooks(list["PgIngestHook"]):
    """A hook list that refuses a SQLite hook the moment it is attached (``add`` checks again, for ``+=``)."""

    def append(self, hook: PgIngestHook) -> None:
        super().append(_checked(hook))

    def extend(self, hooks: Iterable[PgIngestHook]) -> None:
        super().extend([_checked(h) for h in hooks])

    def insert(self, index: SupportsIndex, hook: PgIngestHook) -> None:
        super().insert(index, _checked(hook))


class PgEventStore(EventReads):
    """Typed events of many users in one PostgreSQL database; every read is scoped to one ``user_id``.

    Safe to share between threads (a small connection pool) and between processes (the server arbitrates).
    Call :meth:`close` (or use it as a context manager) to release the pool. The statements and the reads
    are the SQLite store's own (:mod:`lingxi.context.event_sql`); this class supplies the pool, the error
    mapping and the hooks.
    """

    _sql = EventSql(POSTGRES)

    def __init__(
        self,
        dsn: str,
        vault: Vault,
        *,
        max_connections: int = 4,
        connect_timeout_s: int = 5,
        pool_timeout_s: float = 30,
    ) -> None:
        if _IMPORT_ERROR is not None:
            raise StorageError(
                f"PostgreSQL support is not installed ({_IMPORT_ERROR})",
                message_zh="未安装 PostgreSQL 支持",
                hint='pip install "lingxi[postgres]"',
            )
        self.vault = vault
        self.hooks: list[PgIngestHook] = _PgHooks()
        try:
            self.where = _describe(dsn)
        except psycopg.ProgrammingError:
            raise StorageError(  # the parser's message may quote the DSN, password included: not repeated here
                "the PostgreSQL DSN could not be parsed",
                message_zh="PostgreSQL 连接串格式无效",
                hint='use e.g. "postgresql://user@host:5432/lingxi" or "host=… port=… dbname=… user=…"',
            ) from None
        options: dict[str, Any] = {"connect_timeout": connect_timeout_s, "application_name": "lingxi"}
        try:  # one direct connection first: an unreachable server fails here, fast and with libpq's reason
            with psycopg.connect(dsn, **options) as conn:
                migrate(conn, "events", _MIGRATIONS)
        except psycopg.Error as exc:
            raise self._error(exc, connecting=True) from exc
        self._pool: ConnectionPool[_Conn] = ConnectionPool(
            dsn,
            kwargs=options,
            min_size=1,
            max_size=max_connections,
            timeout=pool_timeout_s,
            check=ConnectionPool.check_connection,  # a connection dropped by a server restart is replaced
            name="lingxi-events",
            open=True,
        )

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _error(self, exc: psycopg.Error, *, connecting: bool = False) -> StorageError:
        text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if connecting and isinstance(exc, psycopg.OperationalError):
            return StorageError(
                f"cannot connect to PostgreSQL at {self.where}: {text}",
                message_zh=f"无法连接 PostgreSQL 数据库：{self.where}",
                hint="check that the server runs and the DSN's host, port, database, user and password",
            )
        if isinstance(exc, psycopg.OperationalError):  # includes PoolTimeout
            return StorageError(
                f"PostgreSQL at {self.where} is unavailable: {text}",
                message_zh="PostgreSQL 数据库暂时不可用，本次操作未完成",
                hint="retry when the server is back (adding events again is safe: duplicates are skipped)",
            )
        return StorageError(
            f"PostgreSQL at {self.where}: {text}",
            message_zh=f"PostgreSQL 数据库出错：{text}",
            hint="see the server log",
        )

    @contextmanager
    def _transaction(self) -> Iterator[_Conn]:
        """A pooled connection in one transaction: committed on success, rolled back on any exception."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.Error as exc:
            raise self._error(exc) from exc

    def add(self, events: Iterable[Event]) -> IngestResult:
        """Store a batch atomically: every new event and its hooks' updates, or nothing."""
        batch = list(events)
        if not batch:
            return IngestResult(added=0, duplicates=0)
        hooks = [_checked(h) for h in self.hooks]
        now = now_ms()
        # Inserted in key order: concurrent batches holding the same keys then take their unique-index locks
        # in the same order, so they wait for each other instead of deadlocking.
        batch.sort(key=lambda e: (e.user_id, e.event_id))
        # sealed before the transaction: row locks are held for the round trip only, not for the crypto
        rows = [EventSql.insert_row(e, seal_event(self.vault, e), now) for e in batch]
        for hook in hooks:  # and tokenized before it (see IngestHook.prepare)
            prepare = getattr(hook, "prepare", None)
            if prepare is not None:
                prepare(batch)
        added: list[Event] = []
        with self._transaction() as conn, conn.cursor() as cur:
            cur.executemany(self._sql.insert, rows, returning=True)  # pipelined: one round trip, one result per row
            for e in batch:
                if cur.fetchone() is not None:
                    added.append(e)
                cur.nextset()
            if added:
                for hook in hooks:
                    hook.on_ingest(conn, added)
        return IngestResult(added=len(added), duplicates=len(batch) - len(added))

    def _fetch(self, statement: Statement) -> list[TupleRow]:
        with self._transaction() as conn:
            return conn.execute(*statement).fetchall()

    def delete_user(self, user_id: str) -> int:
        """Delete every event of ``user_id`` and everything hooks derived from them; returns the count."""
        hooks = [_checked(h) for h in self.hooks]
        with self._transaction() as conn:
            n = conn.execute(*self._sql.delete_user(user_id)).rowcount
            for hook in hooks:
                hook.on_delete(conn, user_id)
        return int(n)


if TYPE_CHECKING:  # both stores satisfy the shared interface; mypy fails here if either drifts

    def _conforms(sqlite: EventStore, pg: PgEventStore) -> tuple[EventStoreLike, EventStoreLike]:
        return sqlite, pg
