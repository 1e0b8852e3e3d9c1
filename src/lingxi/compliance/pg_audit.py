"""The hash-chained audit log on PostgreSQL, one chain for every gateway worker.

Same records, same keyed MACs and checkpoints (:mod:`~lingxi.compliance.audit_chain`), same verification
(:func:`~lingxi.compliance.audit_chain.walk`) and same prune-with-checkpoint rules as the SQLite
:class:`~lingxi.compliance.audit.AuditLog`, whose interface this subclass keeps, so the pipeline's
:class:`~lingxi.pipeline.stages.Audit` stage and ``lingxi audit`` work unchanged.

Keeping the chain linear with several writers: two workers that read the same head and both insert a
record pointing at it would fork the chain. Every append (and a prune) therefore first takes
``pg_advisory_xact_lock(AUDIT_CHAIN_LOCK)``, then reads the head and inserts, in one READ COMMITTED
transaction; the lock is released by the commit, and the next writer's head query (a new snapshot per
statement under READ COMMITTED) sees the record just committed. We chose the advisory lock over
``SELECT … FOR UPDATE`` on a chain-head row because (1) a head row would be a mutable row beside an
append-only log — one more thing to protect and to update on every request; (2) locking the newest
log row does not work on an empty chain or right after a prune, where the head is the checkpoint anchor;
(3) a transaction-level advisory lock cannot be leaked: commit, rollback or a dropped connection release it.
The cost is that appends are serialized — one short transaction each (a few hundred per second on a
modest server), far above a gateway's request rate, and readers (verify, export) never wait for it.

Append-only is enforced by PostgreSQL triggers (``BEFORE UPDATE OR DELETE`` per row, ``BEFORE TRUNCATE``
per statement) that raise, like the SQLite ``append_only()`` triggers. :meth:`PgAuditLog.prune` drops and
recreates the delete trigger inside its transaction (DDL is transactional in PostgreSQL, and
``DROP TRIGGER`` locks the table exclusively until commit), exactly as the SQLite log does. For more
protection, run the gateway as a role that owns no tables (INSERT/SELECT only) and prune as the owner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lingxi.compliance.audit import (
    GENESIS,
    MIN_RETENTION_DAYS,
    AuditEntry,
    AuditLog,
    broken_chain,
    check_prune,
    checkpoint_body,
    entry_body,
    entry_item,
    export_item,
)
from lingxi.compliance.audit_chain import AuditKeys, ChainReport, walk
from lingxi.compliance.audit_sink import CheckpointSink
from lingxi.ids import now_ms, uuid7

if TYPE_CHECKING:
    from lingxi.storage.postgres import PgDatabase, _Conn

AUDIT_CHAIN_LOCK = 0x6C696E6778690002  # pg_advisory_xact_lock key of the audit chain (0x…01: migrations)


def _append_only_steps(table: str) -> tuple[str, ...]:
    """Migration steps making ``table`` reject UPDATE, DELETE and TRUNCATE (PostgreSQL's ``append_only()``)."""

    def trigger(op: str, each: str) -> str:
        return (
            f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"FOR EACH {each} EXECUTE FUNCTION {table}_append_only()"
        )

    return (
        f"""CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{table} is append-only'; END $$""",
        trigger("UPDATE", "ROW"),
        trigger("DELETE", "ROW"),
        trigger("TRUNCATE", "STATEMENT"),
    )


_MIGRATIONS = (
    """CREATE TABLE audit_log (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        ts BIGINT NOT NULL,
        body TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX audit_log_by_ts ON audit_log(ts)",
    *_append_only_steps("audit_log"),
    """CREATE TABLE audit_checkpoint (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        ts BIGINT NOT NULL,
        through_seq BIGINT NOT NULL,
        anchor_hash TEXT NOT NULL,
        pruned BIGINT NOT NULL,
        first_id TEXT NOT NULL,
        last_id TEXT NOT NULL
    )""",
    *_append_only_steps("audit_checkpoint"),
)
_NO_DELETE_TRIGGER = _MIGRATIONS[4]
_COLUMNS = "id, ts, body, prev_hash, hash"


def _rows(conn: _Conn, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(sql, args).fetchall()  # SQL: constants of this module only


class PgAuditLog(AuditLog):
    """:class:`AuditLog` on a shared PostgreSQL database (see the module doc for the locking)."""

    def __init__(  # no super().__init__: there is no SQLite file here
        self,
        pg: PgDatabase,
        keys: AuditKeys,
        sink: CheckpointSink | None = None,
        *,
        checkpoint_every: int = 100,
        checkpoint_interval_s: float = 3600.0,
    ) -> None:
        self.pg = pg
        pg.migrate("audit", _MIGRATIONS)
        self._init_checkpoints(keys, sink, checkpoint_every, checkpoint_interval_s)

    def append_record(self, entry: AuditEntry | dict[str, Any]) -> str:
        with self.pg.transaction() as conn:
            record_id = self._append_pg(conn, entry_body(entry))
        self._after_append()
        return record_id

    async def append_async(self, entry: AuditEntry) -> str:
        body = entry_body(entry)
        record_id = await self.pg.write(lambda conn: self._append_pg(conn, body))
        self._after_append()
        return record_id

    def _head(self) -> tuple[int, str, str] | None:
        with self.pg.transaction() as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            row = conn.execute("SELECT id, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
            if row is None:
                return None
            n = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()
            return self._pruned(conn) + int(n[0] if n else 0), str(row[0]), str(row[1])

    def _append_pg(self, conn: _Conn, body: str) -> str:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (AUDIT_CHAIN_LOCK,))
        record_id, ts = uuid7(), now_ms()
        head = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        prev = str(head[0]) if head else PgAuditLog._anchor_pg(conn)
        mac = self.keys.mac(prev, record_id, ts, body)
        conn.execute(
            "INSERT INTO audit_log(id, ts, body, prev_hash, hash) VALUES (%s, %s, %s, %s, %s)",
            (record_id, ts, body, prev, mac),
        )
        return record_id

    @staticmethod
    def _anchor_pg(conn: _Conn) -> str:
        row = conn.execute("SELECT anchor_hash FROM audit_checkpoint ORDER BY seq DESC LIMIT 1").fetchone()
        return str(row[0]) if row else GENESIS

    def entries(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.pg.transaction() as conn:
            rows = _rows(conn, f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT %s", (limit,))
        return [entry_item(r) for r in rows]

    def entries_for(self, *refs: str) -> list[dict[str, Any]]:
        with self.pg.transaction() as conn:
            sql = "SELECT id, ts, body, hash FROM audit_log WHERE (body::jsonb ->> 'user_ref') = ANY(%s) ORDER BY seq"
            rows = _rows(conn, sql, (list(refs),))
        return [entry_item(r) for r in rows]

    def _walk(self, want: str | None) -> ChainReport:
        """As :meth:`AuditLog._walk`, in one REPEATABLE READ snapshot so concurrent appends do not split it."""
        from psycopg.rows import dict_row

        with self.pg.transaction() as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            anchor, pruned = self._anchor_pg(conn), self._pruned(conn)
            with conn.cursor(name="audit_verify", row_factory=dict_row) as cur:  # server-side: streams rows
                cur.execute(f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq")
                return walk(self.keys, anchor, pruned, cur, want=want)

    def export(self, since_ms: int | None = None, until_ms: int | None = None) -> list[dict[str, Any]]:
        lo, hi = since_ms if since_ms is not None else 0, until_ms if until_ms is not None else 2**63 - 1
        with self.pg.transaction() as conn:
            rows = _rows(conn, f"SELECT {_COLUMNS} FROM audit_log WHERE ts >= %s AND ts < %s ORDER BY seq", (lo, hi))
        return [export_item(r) for r in rows]

    def prune(self, older_than_days: int, *, retention_days: int = MIN_RETENTION_DAYS, now: int | None = None) -> int:
        """As :meth:`AuditLog.prune`; holds the chain lock so no worker appends meanwhile."""
        check_prune(older_than_days, retention_days)
        ok, broken = self.verify()
        if not ok:
            raise broken_chain(broken)
        cutoff = (now_ms() if now is None else now) - older_than_days * 86_400_000
        with self.pg.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (AUDIT_CHAIN_LOCK,))
            kept = conn.execute("SELECT MIN(seq) FROM audit_log WHERE ts >= %s", (cutoff,)).fetchone()
            first_kept = kept[0] if kept else None
            bound = "seq < %s" if first_kept is not None else "TRUE"
            args: tuple[int, ...] = (first_kept,) if first_kept is not None else ()
            span = _rows(
                conn, f"SELECT COUNT(*) AS n, MAX(seq) AS hi, MIN(seq) AS lo FROM audit_log WHERE {bound}", args
            )
            count = int(span[0]["n"])
            if count == 0:
                return 0
            last = _rows(conn, "SELECT id, hash FROM audit_log WHERE seq = %s", (span[0]["hi"],))[0]
            first = _rows(conn, "SELECT id FROM audit_log WHERE seq = %s", (span[0]["lo"],))[0]
            conn.execute("DROP TRIGGER audit_log_no_delete ON audit_log")
            conn.execute(f"DELETE FROM audit_log WHERE {bound}", args)
            conn.execute(_NO_DELETE_TRIGGER)
            conn.execute(
                "INSERT INTO audit_checkpoint(ts, through_seq, anchor_hash, pruned, first_id, last_id) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (now_ms(), span[0]["hi"], last["hash"], count, first["id"], last["id"]),
            )
            self._append_pg(conn, checkpoint_body(count, first["id"], last["id"], last["hash"], older_than_days))
        self._after_append()
        return count
