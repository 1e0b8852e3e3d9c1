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

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, cast

from lingxi.compliance.audit import AuditKeys, AuditLog, CheckpointSink
from lingxi.compliance.complaints import ComplaintStore
from lingxi.config import Settings
from lingxi.context.events import Event
from lingxi.context.store import EventStore, IngestHook
from lingxi.errors import StorageError
from lingxi.privacy.crypto import Vault, integrity_key
from lingxi.storage.postgres import PgDatabase as PgDatabase  # re-exported: where callers always found it
from lingxi.storage.sqlite import Database

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
