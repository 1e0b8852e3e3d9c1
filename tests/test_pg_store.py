"""The PostgreSQL event store keeps the SQLite store's promises, and holds up with several workers.

Each test gets a fresh database on one throwaway server (tests/pg_server.py); the tests skip, saying why,
where PostgreSQL cannot be started.
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from lingxi.context.event_base import EVENT_SCHEMA_VERSION
from lingxi.context.event_sql import seal_event
from lingxi.context.events import Event, NotificationEvent, parse_event
from lingxi.context.index import SearchIndex
from lingxi.context.store import EventStore
from lingxi.errors import InvalidInput, StorageError
from lingxi.privacy.crypto import Vault
from lingxi.storage.sqlite import Database

psycopg = pytest.importorskip("psycopg", reason="psycopg not installed (pip install 'lingxi[postgres]')")

from lingxi.context import pg_store  # noqa: E402
from lingxi.context.pg_store import PgEventStore  # noqa: E402
from pg_server import postgres_or_skip  # noqa: E402

VAULT = Vault(b"k" * 32)
TS = 1_763_800_000_000
_db_names = itertools.count()


def note(i: int, user: str = "u1", ts: int = TS) -> NotificationEvent:
    return NotificationEvent(event_id=f"n{i}", user_id=user, ts=ts + i, source_app="美团外卖", body=f"第{i}条通知")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_or_skip("postgres_admin") as dsn:
        yield dsn


@pytest.fixture
def dsn(server: str) -> str:
    """A fresh, empty database on the module's server, with a linguistic default collation as in production."""
    name = f"t{next(_db_names)}"
    with psycopg.connect(server, autocommit=True) as conn:
        try:
            conn.execute(f"CREATE DATABASE {name} LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C' TEMPLATE template0")
        except psycopg.Error:  # a server built without ICU
            conn.execute(f"CREATE DATABASE {name}")
    return server.replace("dbname=postgres_admin", f"dbname={name}")


@pytest.fixture
def store(dsn: str) -> Iterator[PgEventStore]:
    with PgEventStore(dsn, VAULT) as s:
        yield s


def test_add_is_idempotent_and_scoped_per_user(store: PgEventStore) -> None:
    assert store.add([note(1), note(2)]).added == 2
    again = store.add([note(2), note(3), note(3)])  # a repeat inside one batch is a duplicate too
    assert (again.added, again.duplicates) == (1, 2)
    assert store.add([note(1, user="u2")]).added == 1  # same event_id, other user: a different event
    assert [e.event_id for e in store.query("u1")] == ["n3", "n2", "n1"]
    assert [e.event_id for e in store.query("u2")] == ["n1"]
    assert store.count("u1") == {"notification": 3}
    assert store.get("u2", ["n2", "n1"]) == [note(1, user="u2")]  # u1's n2 is not found through u2
    assert store.add([]).added == 0


def test_events_round_trip_exactly(store: PgEventStore) -> None:
    order = parse_event(
        {
            "type": "order",
            "event_id": "o1",
            "user_id": "u1",
            "ts": TS,
            "source_app": "京东",
            "order_id": "JD1",
            "platform": "京东",
            "items": [{"name": "降噪耳机", "brand": "索尼", "price_fen": 199900}],
            "total_fen": 199900,
            "status": "shipped",
            "carrier": "京东物流",
        }
    )
    store.add([order, note(1)])
    assert store.query("u1", types=["order"]) == [order]
    assert store.get("u1", ["n1", "o1", "missing"]) == [note(1), order]
    assert store.count("u1") == {"notification": 1, "order": 1}


def test_query_filters_by_time_and_type_like_the_sqlite_store(store: PgEventStore, tmp_path: Path) -> None:
    sqlite = EventStore(Database(tmp_path / "x.db"), VAULT)
    tied = [NotificationEvent(event_id=i, user_id="u1", ts=TS, source_app="x", body="同一毫秒") for i in ("a", "B")]
    for s in (store, sqlite):
        s.add([note(i) for i in range(10)] + tied)
    got = store.query("u1", types=["notification"], since_ms=TS + 3, until_ms=TS + 6)
    assert [e.event_id for e in got] == ["n5", "n4", "n3"]
    assert store.query("u1", types=["payment"]) == []
    assert [e.event_id for e in store.query("u1", limit=2)] == ["n9", "n8"]
    # equal ts: ties broken by event_id byte-wise, as SQLite does, whatever the database's collation
    assert [e.event_id for e in store.query("u1", until_ms=TS + 1)] == ["n0", "a", "B"]
    for kw in ({}, {"until_ms": TS + 1}, {"since_ms": TS + 8, "types": ["notification", "order"]}, {"limit": 3}):
        assert store.query("u1", **kw) == sqlite.query("u1", **kw)


def test_failed_batch_stores_nothing(store: PgEventStore) -> None:
    def batch() -> Iterator[NotificationEvent]:
        yield note(1)
        raise InvalidInput("bad", message_zh="坏")

    with pytest.raises(InvalidInput):
        store.add(batch())

    class Exploding:
        backend = "postgres"

        def on_ingest(self, conn: Any, events: Sequence[Event]) -> None:
            raise RuntimeError("hook failed after the rows were inserted")

        def on_delete(self, conn: Any, user_id: str) -> None: ...

    store.hooks.append(Exploding())
    with pytest.raises(RuntimeError):
        store.add([note(2), note(3)])
    assert store.query("u1") == []


def test_postgres_hooks_run_in_the_same_transaction(store: PgEventStore, dsn: str) -> None:
    class Counter:
        backend = "postgres"

        def on_ingest(self, conn: Any, events: Sequence[Event]) -> None:
            conn.execute("CREATE TABLE IF NOT EXISTS seen (user_id TEXT, event_id TEXT)")
            for e in events:
                conn.execute("INSERT INTO seen VALUES (%s, %s)", (e.user_id, e.event_id))

        def on_delete(self, conn: Any, user_id: str) -> None:
            conn.execute("DELETE FROM seen WHERE user_id = %s", (user_id,))

    store.hooks.extend([Counter()])
    store.add([note(1), note(2)])
    store.add([note(2)])  # duplicates are not shown to hooks
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT event_id FROM seen ORDER BY event_id").fetchall() == [("n1",), ("n2",)]
    store.delete_user("u1")
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT COUNT(*) FROM seen").fetchone() == (0,)


def test_sqlite_hooks_are_refused(store: PgEventStore, tmp_path: Path) -> None:
    index = SearchIndex(Database(tmp_path / "x.db"), VAULT)
    with pytest.raises(StorageError) as info:
        store.hooks.extend([index])  # type: ignore[list-item]
    assert "SQLite" in info.value.message_zh and store.hooks == []
    store.hooks += [index]  # type: ignore[list-item]  # `+=` bypasses the check on attach: add checks again
    with pytest.raises(StorageError):
        store.add([note(1)])
    assert store.count("u1") == {}


def test_delete_user_removes_only_that_user(store: PgEventStore) -> None:
    store.add([note(1), note(2), note(1, user="u2")])
    assert store.delete_user("u1") == 2
    assert store.query("u1") == [] and store.count("u1") == {}
    assert [e.event_id for e in store.query("u2")] == ["n1"]
    assert store.delete_user("u1") == 0


def test_data_is_sealed_at_rest(store: PgEventStore, dsn: str) -> None:
    store.add([note(1)])
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT * FROM events").fetchone()
        assert row is not None
        raw = b"".join(v if isinstance(v, bytes) else str(v).encode() for v in row)
        assert "第1条通知".encode() not in raw and b"body" not in raw
        conn.execute("UPDATE events SET user_id = 'u2'")  # a sealed record cannot be moved to another user
    with pytest.raises(StorageError, match="failed authentication"):
        store.query("u2")


def test_two_workers_see_each_others_writes(dsn: str) -> None:
    with PgEventStore(dsn, VAULT) as a, PgEventStore(dsn, VAULT) as b:
        a.add([note(1)])
        assert [e.event_id for e in b.query("u1")] == ["n1"]
        assert b.add([note(1), note(2)]).duplicates == 1  # a's event is a duplicate for b
        assert a.count("u1") == {"notification": 2}
        assert b.delete_user("u1") == 2 and a.query("u1") == []


def test_concurrent_adds_do_not_duplicate(dsn: str) -> None:
    events = [note(i) for i in range(40)]
    results = []
    with PgEventStore(dsn, VAULT, max_connections=8) as a, PgEventStore(dsn, VAULT, max_connections=8) as b:
        start = threading.Barrier(8)

        def worker(k: int) -> None:
            start.wait()
            results.append((a if k % 2 else b).add(events[k:] + events[:k]))  # same events, different orders

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(r.added for r in results) == 40 and sum(r.duplicates for r in results) == 7 * 40
        assert a.count("u1") == {"notification": 40}


def test_migrations_run_once_and_newer_schema_is_refused(store: PgEventStore, dsn: str) -> None:
    store.add([note(1)])
    with PgEventStore(dsn, VAULT) as again:  # a second worker starting up: nothing re-run, data intact
        assert again.count("u1") == {"notification": 1}
    with psycopg.connect(dsn) as conn:
        conn.execute("UPDATE schema_migrations SET version = 99 WHERE component = 'events'")
    with pytest.raises(StorageError, match="newer than this lingxi"):
        PgEventStore(dsn, VAULT)


def test_dropped_connections_are_replaced(store: PgEventStore, dsn: str) -> None:
    store.add([note(1)])
    with psycopg.connect(dsn, autocommit=True) as conn:  # as after a server restart or a failover
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lingxi'")
    assert [e.event_id for e in store.query("u1")] == ["n1"]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_server_going_away_is_a_clear_storage_error() -> None:
    with postgres_or_skip("outage") as dsn, PgEventStore(dsn, VAULT, pool_timeout_s=1) as store:
        store.add([note(1)])
        with psycopg.connect(dsn) as conn:
            row = conn.execute("SELECT split_part(pg_read_file('postmaster.pid'), E'\\n', 1)").fetchone()
        assert row is not None
        os.kill(int(row[0]), signal.SIGINT)  # the server shuts down ("fast" mode), as in an outage
        port = int(dsn.split("port=")[1].split()[0])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _listening(port):
            time.sleep(0.05)
        with pytest.raises(StorageError) as info:
            store.add([note(2)])
        assert "暂时不可用" in info.value.message_zh


def test_unreachable_server_and_bad_dsn_are_clear_storage_errors() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here
    with pytest.raises(StorageError) as info:
        PgEventStore(f"postgresql://lingxi:s3cret@127.0.0.1:{port}/lingxi", VAULT, connect_timeout_s=2)
    assert "无法连接" in info.value.message_zh and f"127.0.0.1:{port}/lingxi" in info.value.message
    assert "s3cret" not in info.value.message + info.value.message_zh
    with pytest.raises(StorageError) as info:
        PgEventStore("host=127.0.0.1 password=s3cret nonsense", VAULT)
    assert "连接串" in info.value.message_zh and "s3cret" not in info.value.message


def _expected(events: Sequence[Event], user_id: str, **kw: Any) -> list[Event]:
    """The documented query contract, computed in Python: the oracle both backends are held to."""
    types, since, until, limit = kw.get("types", ()), kw.get("since_ms"), kw.get("until_ms"), kw.get("limit", 500)
    kept = [
        e
        for e in events
        if e.user_id == user_id
        and (not types or e.type in types)
        and (since is None or e.ts >= since)
        and (until is None or e.ts < until)
    ]
    return sorted(kept, key=lambda e: (e.ts, e.event_id), reverse=True)[:limit]  # code points = UTF-8 byte order


def test_one_sequence_gives_identical_results_on_both_backends(store: PgEventStore, tmp_path: Path) -> None:
    sqlite = EventStore(Database(tmp_path / "x.db"), VAULT)
    pay = [
        parse_event({"type": "payment", "event_id": f"p{i}", "user_id": "u1", "ts": TS + 2 * i, "source_app": "支付宝",
                     "amount_fen": 100 * i, "merchant": "瑞幸咖啡"})
        for i in range(8)
    ]  # fmt: skip
    tied = [  # "n4" repeats note(4)'s key with other content: a duplicate, which must not overwrite
        NotificationEvent(event_id=i, user_id="u1", ts=TS + 4, source_app="x", body="同一毫秒")
        for i in ("Z", "a", "n4")
    ]
    batches: list[list[Event]] = [
        [note(i) for i in range(12)],
        pay + tied[:2],
        [note(3), pay[2], tied[2], note(5, user="u2"), note(20, user="u2")],  # duplicates mixed with new events
    ]
    stored: dict[tuple[str, str], Event] = {}
    for batch in batches:
        results = [s.add(batch) for s in (sqlite, store)]
        new = {(e.user_id, e.event_id): e for e in batch if (e.user_id, e.event_id) not in stored}
        assert results[0] == results[1] and results[0].added == len(new), batch
        stored.update(new)
    events = list(stored.values())
    cases: list[dict[str, Any]] = [
        {},
        {"types": ["payment"]},
        {"types": ["notification", "payment"], "since_ms": TS + 3, "until_ms": TS + 9, "limit": 5},
        {"types": ["payment", "order"], "since_ms": TS + 4, "limit": 2},
        {"types": ["notification"], "until_ms": TS + 5, "limit": 4},  # the limit cuts inside the tie at TS + 4
        {"since_ms": TS + 4, "until_ms": TS + 5},
        {"types": ["calendar"], "since_ms": TS, "until_ms": TS + 100, "limit": 3},
        {"limit": 0},
    ]
    for user in ("u1", "u2", "nobody"):
        for kw in cases:
            want = _expected(events, user, **kw)
            assert sqlite.query(user, **kw) == store.query(user, **kw) == want, (user, kw)
    assert [e.event_id for e in store.query("u1", types=["notification"], until_ms=TS + 5, limit=4)] == [
        "n4", "a", "Z", "n3"
    ]  # fmt: skip
    ids = ["p3", "n20", "missing", "n4", "Z", "p3"]  # n20 is u2's: not found through u1
    assert sqlite.get("u1", ids) == store.get("u1", ids) == [stored["u1", i] for i in ids if ("u1", i) in stored]
    assert sqlite.get("u2", ids) == store.get("u2", ids) == [stored["u2", "n20"]]
    assert sqlite.count("u1") == store.count("u1") == {"notification": 14, "payment": 8}
    assert sqlite.delete_user("u2") == store.delete_user("u2") == 2
    assert sqlite.query("u2") == store.query("u2") == [] and sqlite.count("u2") == store.count("u2") == {}
    assert sqlite.query("u1", limit=3) == store.query("u1", limit=3) == _expected(events, "u1", limit=3)


def test_v1_rows_read_after_the_v2_migration(dsn: str) -> None:
    """A database written by the v1 code (no schema_version column) opens, migrates, and reads unchanged."""
    old = note(1)
    with psycopg.connect(dsn) as conn:
        pg_store.migrate(conn, "events", pg_store._MIGRATIONS[:3])
        conn.execute(
            "INSERT INTO events(user_id, event_id, type, ts, source_app, payload, ingested_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            ("u1", old.event_id, old.type, old.ts, old.source_app, seal_event(VAULT, old), TS),
        )
    with PgEventStore(dsn, VAULT) as store:
        assert store.query("u1") == [old]
        store.add([note(2)])
        assert store.count_by_schema("u1") == {1: 1, EVENT_SCHEMA_VERSION: 1}
