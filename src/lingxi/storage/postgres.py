"""PostgreSQL plumbing shared by every store that can live there: the optional driver, migrations, a pool.

The storage layer: the event store (:mod:`lingxi.context.pg_store`) and the compliance tables
(:mod:`lingxi.compliance.pg_audit`, :mod:`lingxi.compliance.pg_complaints`) build on it, so it imports
nothing above :mod:`lingxi.errors`. ``psycopg`` is the optional extra ``lingxi[postgres]``: importing this
module never fails, using it without the extra raises a :class:`~lingxi.errors.StorageError` saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from lingxi.errors import StorageError

_IMPORT_ERROR: ImportError | None = None
try:
    import psycopg
    from psycopg import conninfo
    from psycopg_pool import ConnectionPool
except ImportError as exc:  # the optional extra `lingxi[postgres]` is not installed: fail on use, not on import
    _IMPORT_ERROR = exc

if TYPE_CHECKING:
    from psycopg.rows import TupleRow

    _Conn = psycopg.Connection[TupleRow]

T = TypeVar("T")

_MIGRATION_LOCK = 0x6C696E6778690001  # pg_advisory_xact_lock key: workers starting together migrate one at a time


def migrate(conn: _Conn, component: str, steps: Sequence[str]) -> int:
    """Apply ``steps[version:]`` for ``component`` in the caller's transaction; return the new version.

    The same contract as :meth:`lingxi.storage.sqlite.Database.migrate` (append-only steps, one statement each, versions
    in ``schema_migrations``). An advisory lock held to the end of the transaction serializes workers that
    start together, so each step runs exactly once and nobody reads a half-migrated schema.
    """
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    row = conn.execute("SELECT version FROM schema_migrations WHERE component = %s", (component,)).fetchone()
    current = int(row[0]) if row else 0
    if current > len(steps):
        raise StorageError(
            f"PostgreSQL: {component} schema v{current} is newer than this lingxi (v{len(steps)})",
            message_zh="数据库版本比当前程序新，请升级 lingxi",
            hint="upgrade every worker to the same lingxi version",
        )
    for statement in steps[current:]:
        conn.execute(statement)  # steps are constants in the source, never input
    conn.execute(
        "INSERT INTO schema_migrations(component, version) VALUES (%s, %s) "
        "ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version",
        (component, len(steps)),
    )
    return len(steps)


def _describe(dsn: str) -> str:
    """``host:port/dbname`` for messages: a DSN may carry a password, which must not reach logs."""
    parts = conninfo.conninfo_to_dict(dsn)
    return f"{parts.get('host') or 'localhost'}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


class PgDatabase:
    """A small psycopg pool for the compliance tables, with :func:`migrate`.

    Errors become :class:`~lingxi.errors.StorageError` naming ``host:port/dbname`` only (a URL may carry a
    password, which must not reach a log or a problem response).
    """

    def __init__(self, dsn: str, *, max_connections: int = 4, connect_timeout_s: int = 5) -> None:
        if _IMPORT_ERROR is not None:
            raise StorageError(
                f"PostgreSQL support is not installed ({_IMPORT_ERROR})",
                message_zh="未安装 PostgreSQL 支持",
                hint='pip install "lingxi[postgres]"',
            )
        import psycopg
        from psycopg_pool import ConnectionPool

        try:
            self.where = _describe(dsn)
        except psycopg.ProgrammingError:
            raise StorageError(
                "the PostgreSQL DSN could not be parsed", message_zh="PostgreSQL 连接串格式无效"
            ) from None
        options: dict[str, Any] = {"connect_timeout": connect_timeout_s, "application_name": "lingxi"}
        self._migrate = migrate
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

    async def write(self, job: Callable[[_Conn], T]) -> T:
        """``job(conn)`` in a transaction, committed when this returns: the interface of
        :meth:`lingxi.storage.sqlite.Database.write`. PostgreSQL takes concurrent writers itself (each on a
        pooled connection, row locks instead of one file lock), so there is no writer thread here: the job runs
        on the caller's thread, as every PostgreSQL write did before."""
        with self.transaction() as conn:
            return job(conn)

    def close(self) -> None:
        self._pool.close()
