"""The embedded SQLite database: connections, transactions, and per-component migrations.

Every component that persists something (events, consents, audit, egress log) owns its tables and lists
its schema as an ordered list of SQL statements; :meth:`Database.migrate` applies the ones not yet applied and
records the version per component in ``schema_migrations``. That keeps one file per installation while
letting each module evolve its own schema, the way ``llm`` keeps its prompt log.

Each thread keeps one connection and reuses it for every unit of work (opening a connection and setting
its pragmas cost ~1 ms, more than a small query), so the same object is safe from FastAPI's worker
threads; a nested use on the same thread gets a short-lived connection of its own. WAL mode lets readers
run beside one writer; ``synchronous=NORMAL`` in WAL mode keeps every committed transaction across a
process crash (kill -9), which is the durability we promise. A server takes WAL checkpoints off the commits
of requests (:meth:`Database.defer_checkpoints`): a checkpoint's copy and fsync cost 60–200 ms. It also hands
the records each request writes to one writer thread (:meth:`Database.start_writer`,
:mod:`lingxi.storage.writer`), which commits the writes of the requests in flight together, off the event loop;
:meth:`Database.write` is the same call with or without that thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from lingxi.errors import StorageError
from lingxi.storage.writer import Writer

T = TypeVar("T")


def _storage_error(path: Path, exc: sqlite3.Error) -> StorageError:
    text = str(exc)
    if "full" in text:
        return StorageError(
            f"{path}: disk is full ({text}); nothing from this operation was saved",
            message_zh="磁盘空间不足，本次操作未保存任何数据",
            hint="free some disk space and retry; earlier data is intact",
        )
    if "locked" in text or "busy" in text:
        return StorageError(
            f"{path}: database is busy ({text})",
            message_zh="数据库正忙，请稍后重试",
            hint="another process holds a long write lock; retry",
        )
    return StorageError(f"{path}: {text}", message_zh=f"本地数据库出错：{text}", hint="check the file and disk")


def _rewind(conn: sqlite3.Connection) -> None:
    """A commit that changes nothing (``user_version`` set to what it is): after a complete checkpoint it
    starts the WAL over (see :meth:`Database.checkpoint`)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    conn.execute(f"PRAGMA user_version = {version}")


def append_only(table: str, prefix: str | None = None) -> tuple[str, str]:
    """Two migration steps: triggers ``<prefix>_no_update`` / ``<prefix>_no_delete`` that make ``table`` reject
    UPDATE and DELETE, for logs that must never change (``prefix`` defaults to the table name)."""

    def trigger(op: str) -> str:
        return f"""CREATE TRIGGER {prefix or table}_no_{op.lower()} BEFORE {op} ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""

    return trigger("UPDATE"), trigger("DELETE")


class Database:
    """One SQLite file. Thread-safe: every call opens its own short-lived connection."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._migrate_lock = threading.Lock()
        self._local = threading.local()
        if str(self.path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"cannot create {self.path.parent}: {exc.strerror}",
                    message_zh=f"无法创建数据目录：{self.path.parent}",
                    hint="choose another --home or fix permissions",
                ) from exc
        with self.connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )

    #: set by :meth:`defer_checkpoints`: connections opened from then on never checkpoint on commit
    _deferred = False
    #: set by :meth:`start_writer`: :meth:`write` goes through this thread
    _writer: Writer | None = None

    # -- the records of requests: one writer thread in a server, the caller's thread elsewhere -----------
    def start_writer(self) -> None:
        """From now on :meth:`write` and :meth:`write_later` go through one writer thread that commits the
        jobs of concurrent requests together (:mod:`lingxi.storage.writer`); for servers."""
        if self._writer is None:
            self._writer = Writer(self)

    def stop_writer(self) -> None:
        """Commit every queued job and end the writer thread (blocks until then: call it off the event loop).
        Writes after this run on their caller's thread again."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()

    async def write(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """``job(conn)`` in a write transaction; its result once that is committed.

        With the writer started, the job joins the writer's next group commit and the caller's event loop
        goes on serving others meanwhile; without it, the job runs here in a transaction of its own. Either
        way, when this returns the job's changes are committed, and its errors (an SQLite error as a
        :class:`StorageError`: full disk, busy, corrupt file) are raised here, the same in both. ``job`` may
        use only ``conn``.
        """
        writer = self._writer
        if writer is None:
            return self.run_in_transaction(job)
        return await writer.write(job)

    def write_later(self, job: Callable[[sqlite3.Connection], object]) -> None:
        """``job(conn)`` in a write transaction that nobody waits for (a record no response depends on):
        queued for the writer when it runs (its errors are logged), else run now in the caller's thread
        (its errors raised, as a :class:`StorageError`)."""
        writer = self._writer
        if writer is None or not writer.submit(job):
            self.run_in_transaction(job)

    def run_in_transaction(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """``job(conn)`` in a transaction of its own on the caller's thread (what the writer does per job)."""
        with self.transaction() as conn:
            return job(conn)

    def storage_error(self, exc: sqlite3.Error) -> StorageError:
        """The :class:`StorageError` this database raises for ``exc`` (disk full, busy, anything else)."""
        return _storage_error(self.path, exc)

    def defer_checkpoints(self) -> None:
        """Leave WAL checkpoints to :meth:`checkpoint` instead of the commit that fills the WAL (for servers).

        SQLite checkpoints when a commit takes the WAL past 1,000 pages: that commit copies the pages into
        the database and fsyncs it, 60–200 ms on a virtual disk. In ``lingxi serve`` the commit runs on the
        event loop (the audit record of a turn), so every request in flight waited: one in ~150 chat turns
        took that long. The server calls :meth:`checkpoint` from a worker thread instead. Durability is the
        same (a commit is in the WAL either way); connections other threads opened before keep checkpointing.
        """
        self._deferred = True
        cached: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if cached is not None:
            cached.execute("PRAGMA wal_autocheckpoint=0")

    def checkpoint(self) -> tuple[int, int, int]:
        """Copy the WAL into the database without waiting for readers or writers (a PASSIVE checkpoint);
        returns SQLite's (busy, WAL pages, pages checkpointed).

        When every page was copied, the WAL is also started over here, by a commit of one unchanged page
        (``user_version`` set to what it is). The first commit after a complete checkpoint rewinds the WAL and
        fsyncs its new header (``synchronous=NORMAL`` does that although it syncs no commit): 4–8 ms on this
        machine's disk. Left to the next commit, that fsync ran on the server's event loop once per
        checkpoint, so with light traffic one request a second waited for it (benchmarks/README.md, wave 10).
        With the writer thread started, the rewind is a job of its own in its queue: the jobs queued behind it
        wait for the fsync, the event loop does not, and the writer never waits for the lock held by this
        thread (SQLite's busy handler sleeps 1, 2, 5 ms… between tries). Without it, a commit that comes
        while the rewind holds the write lock waits for it, as before. Durability is unchanged. The rewind
        leaves its one page in the WAL, so a WAL of one page is not rewound again: an idle server would
        otherwise write every second.
        """
        with self.connect() as conn:
            busy, log, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if not busy and 1 < log == done:  # (a commit that came in between has rewound it already: no harm)
            writer = self._writer
            if writer is None:
                self.run_in_transaction(_rewind)
            else:  # in the writer's queue, alone: it never waits for the lock a batch holds, nor joins a batch
                writer.call(_rewind, alone=True)
        return int(busy), int(log), int(done)

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA synchronous=NORMAL")
            if self._deferred:
                conn.execute("PRAGMA wal_autocheckpoint=0")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA secure_delete=ON")  # deleted personal data is overwritten, not left in free pages
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc
        return conn

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, in autocommit mode; use :meth:`transaction` for atomic writes."""
        cached: sqlite3.Connection | None = getattr(self._local, "conn", None)
        nested = getattr(self._local, "busy", False)
        conn = self._open() if cached is None or nested else cached
        if not nested:
            self._local.conn, self._local.busy = conn, True
        try:
            yield conn
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _storage_error(self.path, exc) from exc
        finally:
            if nested:
                conn.close()
            else:
                self._local.busy = False

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls the whole unit back."""
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def migrate(self, component: str, steps: Sequence[str]) -> int:
        """Apply ``steps[version:]`` for ``component`` atomically; return the new version.

        Each step is exactly one SQL statement (so triggers with inner ``;`` work); steps are append-only.
        """
        with self._migrate_lock, self.transaction() as conn:
            row = conn.execute("SELECT version FROM schema_migrations WHERE component = ?", (component,)).fetchone()
            current = int(row["version"]) if row else 0
            if current > len(steps):
                raise StorageError(
                    f"{self.path}: {component} schema v{current} is newer than this lingxi (v{len(steps)})",
                    message_zh="数据库版本比当前程序新，请升级 lingxi",
                    hint="upgrade lingxi, or use another --home",
                )
            for statement in steps[current:]:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(component, version) VALUES (?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                (component, len(steps)),
            )
            return len(steps)
