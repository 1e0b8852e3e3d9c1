"""Where the shared records live: SQLite in the home (default) or PostgreSQL when ``database_url`` is set.

One device or one server process keeps everything in ``<home>/lingxi.db``. Several gateway workers serving
the same users must instead agree on three things the issue names — the events, the audit chain and the
complaints — so with ``database_url`` (env ``LINGXI_DATABASE_URL``) :func:`open_stores` puts exactly those in
PostgreSQL (:class:`~lingxi.context.pg_store.PgEventStore`, :class:`~lingxi.compliance.pg_audit.PgAuditLog`,
:class:`~lingxi.compliance.pg_complaints.PgComplaintStore`). Everything else (consents, egress log, minors'
usage, suspensions, the search index and the profile) stays in the home's SQLite file; workers on one host
share it by sharing the home directory (SQLite's WAL is safe between processes of one machine, not over a
network file system). docs/deploy.md states what that means for a deployment over several hosts.

The search index, the profile (and any other SQLite ingest hook, e.g. shopping counts) are derived from the
events inside the ingest transaction. A PostgreSQL event store cannot run SQLite hooks, so
:class:`LocalMirror` wraps them as one PostgreSQL hook (:class:`MirrorHooks` routes hooks attached later): inside the
PostgreSQL ingest transaction it writes them in a SQLite transaction of its own. The two commits are not
atomic: if PostgreSQL fails after SQLite committed, the index may name an event that was never stored.
That is harmless for reading (retrieval re-reads events from PostgreSQL by id, scoped by user, so a phantom
is simply not found) and a retried batch re-indexes only what PostgreSQL then adds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from lingxi.compliance.audit import AuditKeys, AuditLog, CheckpointSink
from lingxi.compliance.complaints import ComplaintStore
from lingxi.config import Settings
from lingxi.context.events import Event
from lingxi.context.store import EventStore, IngestHook
from lingxi.db import Database
from lingxi.errors import StorageError
from lingxi.privacy.crypto import Vault, integrity_key

if TYPE_CHECKING:
    import psycopg
    from psycopg.rows import TupleRow

    from lingxi.context.pg_store import PgIngestHook

    _Conn = psycopg.Connection[TupleRow]


def is_postgres(url: str | None) -> bool:
    """Whether ``url`` names a PostgreSQL database (URL or libpq key=value form)."""
    if not url:
        return False
    return url.startswith(("postgresql://", "postgres://")) or "dbname=" in url or "host=" in url


def _postgres_url(settings: Settings) -> str | None:
    """``settings.database_url`` when set (checked to be PostgreSQL), else None for SQLite."""
    url = settings.database_url
    if url and not is_postgres(url):
        raise StorageError(
            "database_url must be a PostgreSQL URL (postgresql://…) or libpq key=value string",
            message_zh="database_url 只支持 PostgreSQL 连接串",
            hint="e.g. LINGXI_DATABASE_URL=postgresql://lingxi:secret@db:5432/lingxi; unset it for SQLite",
        )
    return url or None


def open_audit(settings: Settings, db: Database | None = None) -> AuditLog:
    """The audit log alone (``lingxi audit``): needs the integrity key, not the master key."""
    a = settings.audit
    keys = AuditKeys(integrity_key(settings.home))  # the audit MAC key never enters the database
    sink = CheckpointSink(a.checkpoint_file or None, a.checkpoint_url or None)
    every, interval = a.checkpoint_every, a.checkpoint_interval_s
    url = _postgres_url(settings)
    if url is None:
        return AuditLog(
            db or Database(settings.db_path), keys, sink, checkpoint_every=every, checkpoint_interval_s=interval
        )
    from lingxi.compliance.pg_audit import PgAuditLog

    return PgAuditLog(PgDatabase(url), keys, sink, checkpoint_every=every, checkpoint_interval_s=interval)


def open_compliance(
    settings: Settings, db: Database | None = None, vault: Vault | None = None
) -> tuple[AuditLog, ComplaintStore]:
    """The audit log and complaint store (what ``lingxi complaints`` needs); complaints are sealed, so the
    master key is checked (``vault`` None: loaded and checked here)."""
    deadline = settings.complaints.deadline_days
    local = db or Database(settings.db_path)
    audit = open_audit(settings, local)
    vault = vault or _vault(settings, local)
    url = _postgres_url(settings)
    if url is None:
        return audit, ComplaintStore(local, vault, deadline_days=deadline)
    from lingxi.compliance.pg_complaints import PgComplaintStore

    return audit, PgComplaintStore(PgDatabase(url), vault, deadline_days=deadline)


def _vault(settings: Settings, db: Database) -> Vault:
    """The home's vault, key checked like the facade's (complaints are sealed like events)."""
    from lingxi.privacy.keycheck import open_vault  # keycheck reads through this module's PostgreSQL helper

    return open_vault(settings.home, db, remote=remote_sealed_sample(settings))


def open_stores(
    settings: Settings, db: Database, vault: Vault, *, hooks: Sequence[IngestHook] = ()
) -> tuple[EventStore, AuditLog, ComplaintStore]:
    """The event store (with ``hooks`` attached), audit log and complaint store for ``settings``."""
    audit, complaints = open_compliance(settings, db, vault)
    url = _postgres_url(settings)
    if url is None:
        events = EventStore(db, vault)
        events.hooks.extend(hooks)
        return events, audit, complaints
    from lingxi.context.pg_store import PgEventStore

    pg_events = PgEventStore(url, vault)
    pg_events.hooks = MirrorHooks(LocalMirror(db, hooks))
    # PgEventStore has EventStore's query interface (checked by mypy in pg_store: EventStoreLike) but is not
    # a subclass; the pipeline's annotations still name EventStore, hence the cast.
    return cast(EventStore, pg_events), audit, complaints


def remote_sealed_sample(settings: Settings) -> tuple[str, str, bytes] | None:
    """One sealed event of the PostgreSQL store, if ``settings`` names one and it holds any (else None).

    Read before the home's key is loaded, so a home whose key cannot open the shared events is refused
    before a new key is generated for it (:func:`lingxi.privacy.keycheck.open_vault`).
    """
    url = _postgres_url(settings)
    if url is None:
        return None
    pg = PgDatabase(url, max_connections=1)
    try:
        with pg.transaction() as conn:
            if conn.execute("SELECT to_regclass('events')").fetchone() == (None,):
                return None
            row = conn.execute("SELECT user_id, event_id, payload FROM events LIMIT 1").fetchone()
    finally:
        pg.close()
    return (str(row[0]), str(row[1]), bytes(row[2])) if row else None


class LocalMirror:
    """SQLite ingest hooks (search index, profile) run from a PostgreSQL event store; see the module doc."""

    backend = "postgres"

    def __init__(self, db: Database, hooks: Sequence[IngestHook]) -> None:
        self.db = db
        self.hooks = list(hooks)

    def prepare(self, events: Sequence[Event]) -> None:
        """The SQLite hooks' lock-free work (tokenizing), before either database's transaction begins."""
        for hook in self.hooks:
            prepare = getattr(hook, "prepare", None)
            if prepare is not None:
                prepare(events)

    def on_ingest(self, conn: _Conn, events: Sequence[Event]) -> None:
        del conn  # the PostgreSQL transaction: still open, committed after this returns
        with self.db.transaction() as local:
            for hook in self.hooks:
                hook.on_ingest(local, events)

    def on_delete(self, conn: _Conn, user_id: str) -> None:
        del conn
        with self.db.transaction() as local:
            for hook in self.hooks:
                hook.on_delete(local, user_id)


class MirrorHooks(list["PgIngestHook"]):
    """A PostgreSQL store's hook list that routes SQLite hooks attached later into its :class:`LocalMirror`.

    So code written for the SQLite store (``events.hooks.append(SomeSqliteHook(db))``) keeps working; a
    real PostgreSQL hook (``backend = "postgres"``) is attached as such.
    """

    def __init__(self, mirror: LocalMirror) -> None:
        super().__init__([mirror])
        self.mirror = mirror

    def append(self, hook: object) -> None:
        if getattr(hook, "backend", None) == "postgres":
            super().append(cast("PgIngestHook", hook))
        else:
            self.mirror.hooks.append(cast(IngestHook, hook))

    def extend(self, hooks: Iterable[object]) -> None:
        for hook in hooks:
            self.append(hook)


class PgDatabase:
    """A small psycopg pool for the compliance tables, with :func:`~lingxi.context.pg_store.migrate`.

    Errors become :class:`~lingxi.errors.StorageError` naming ``host:port/dbname`` only (a URL may carry a
    password, which must not reach a log or a problem response).
    """

    def __init__(self, dsn: str, *, max_connections: int = 4, connect_timeout_s: int = 5) -> None:
        from lingxi.context import pg_store

        if pg_store._IMPORT_ERROR is not None:
            raise StorageError(
                f"PostgreSQL support is not installed ({pg_store._IMPORT_ERROR})",
                message_zh="未安装 PostgreSQL 支持",
                hint='pip install "lingxi[postgres]"',
            )
        import psycopg
        from psycopg_pool import ConnectionPool

        try:
            self.where = pg_store._describe(dsn)
        except psycopg.ProgrammingError:
            raise StorageError(
                "the PostgreSQL DSN could not be parsed", message_zh="PostgreSQL 连接串格式无效"
            ) from None
        options: dict[str, Any] = {"connect_timeout": connect_timeout_s, "application_name": "lingxi"}
        self._migrate = pg_store.migrate
        self._pool: ConnectionPool[_Conn] = ConnectionPool(
            dsn,
            kwargs=options,
            min_size=1,
            max_size=max_connections,
            timeout=30,
            check=ConnectionPool.check_connection,
            name="lingxi-compliance",
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=connect_timeout_s + 5)
        except Exception as exc:  # PoolTimeout: the server is unreachable
            self._pool.close()
            raise StorageError(
                f"cannot connect to PostgreSQL at {self.where}: {type(exc).__name__}",
                message_zh=f"无法连接 PostgreSQL 数据库：{self.where}",
                hint="check that the server runs and the DSN's host, port, database, user and password",
            ) from exc

    def migrate(self, component: str, steps: Sequence[str]) -> int:
        with self.transaction() as conn:
            return self._migrate(conn, component, steps)

    @contextmanager
    def transaction(self) -> Iterator[_Conn]:
        """A pooled connection in one READ COMMITTED transaction: committed on success, else rolled back."""
        import psycopg

        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.Error as exc:
            text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise StorageError(
                f"PostgreSQL at {self.where}: {text}",
                message_zh="PostgreSQL 数据库出错或暂时不可用，本次操作未完成",
                hint="retry when the server is back; see the server log",
            ) from exc

    def close(self) -> None:
        self._pool.close()
