from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lingxi.context.events import NotificationEvent, parse_event
from lingxi.context.store import EventStore
from lingxi.errors import InvalidInput, StorageError
from lingxi.privacy.crypto import Vault
from lingxi.storage.sqlite import Database

VAULT = Vault(b"k" * 32)

TS = 1_763_800_000_000


def note(i: int, user: str = "u1", ts: int = TS) -> NotificationEvent:
    return NotificationEvent(event_id=f"n{i}", user_id=user, ts=ts + i, source_app="美团外卖", body=f"第{i}条通知")


def test_database_uses_wal_and_migrates_once(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    with db.connect() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.migrate("demo", ["CREATE TABLE t (x INTEGER)"]) == 1
    assert db.migrate("demo", ["CREATE TABLE t (x INTEGER)", "CREATE INDEX t_x ON t(x)"]) == 2
    assert db.migrate("demo", ["CREATE TABLE t (x INTEGER)", "CREATE INDEX t_x ON t(x)"]) == 2  # nothing re-run


def test_migration_newer_than_code_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    db.migrate("demo", ["CREATE TABLE t (x INTEGER)", "CREATE TABLE u (x INTEGER)"])
    with pytest.raises(StorageError, match="newer than this lingxi"):
        db.migrate("demo", ["CREATE TABLE t (x INTEGER)"])


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    db.migrate("demo", ["CREATE TABLE t (x INTEGER)"])
    with pytest.raises(RuntimeError), db.transaction() as conn:
        conn.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("boom")
    with db.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0


def test_add_is_idempotent_and_scoped_per_user(tmp_path: Path) -> None:
    store = EventStore(Database(tmp_path / "x.db"), VAULT)
    assert store.add([note(1), note(2)]).added == 2
    again = store.add([note(2), note(3)])
    assert (again.added, again.duplicates) == (1, 1)
    # the same event_id from another user is a different event and cannot overwrite u1's
    assert store.add([note(1, user="u2")]).added == 1
    assert [e.event_id for e in store.query("u1")] == ["n3", "n2", "n1"]
    assert [e.event_id for e in store.query("u2")] == ["n1"]
    assert store.count("u1") == {"notification": 3}


def test_events_round_trip_exactly(tmp_path: Path) -> None:
    store = EventStore(Database(tmp_path / "x.db"), VAULT)
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
    store.add([order])
    assert store.query("u1", types=["order"]) == [order]


def test_query_filters_by_time_and_type(tmp_path: Path) -> None:
    store = EventStore(Database(tmp_path / "x.db"), VAULT)
    store.add([note(i) for i in range(10)])
    got = store.query("u1", types=["notification"], since_ms=TS + 3, until_ms=TS + 6)
    assert [e.event_id for e in got] == ["n5", "n4", "n3"]
    assert store.query("u1", types=["payment"]) == []


def test_failed_batch_stores_nothing(tmp_path: Path) -> None:
    store = EventStore(Database(tmp_path / "x.db"), VAULT)

    def batch():  # type: ignore[no-untyped-def]
        yield note(1)
        raise InvalidInput("bad", message_zh="坏")

    with pytest.raises(InvalidInput):
        store.add(batch())
    assert store.query("u1") == []


def test_data_survives_reopen(tmp_path: Path) -> None:
    EventStore(Database(tmp_path / "x.db"), VAULT).add([note(1)])
    assert len(EventStore(Database(tmp_path / "x.db"), VAULT).query("u1")) == 1


def test_unwritable_home_is_a_clear_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError) as info:
        Database(blocker / "sub" / "x.db")
    assert "无法创建数据目录" in info.value.message_zh


def test_corrupt_database_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError):
        Database(path)
    assert isinstance(StorageError("x", message_zh="y"), Exception)
    assert sqlite3.sqlite_version


def test_nested_use_on_one_thread_gets_its_own_connection(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    db.migrate("demo", ["CREATE TABLE t (x INTEGER)"])
    with db.transaction() as outer:
        outer.execute("INSERT INTO t VALUES (1)")
        with db.connect() as inner:  # a separate connection: the uncommitted row is not visible to it
            assert inner is not outer
            assert inner.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 0
    with db.connect() as again:  # the thread's cached connection is reused afterwards
        assert again is outer and again.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 1


def test_query_combines_types_window_and_limit_newest_first(tmp_path: Path) -> None:
    store = EventStore(Database(tmp_path / "x.db"), VAULT)
    pay = parse_event(
        {"type": "payment", "event_id": "p4", "user_id": "u1", "ts": TS + 4, "source_app": "支付宝",
         "amount_fen": 100, "merchant": "瑞幸咖啡"}
    )  # fmt: skip
    tied = NotificationEvent(event_id="B", user_id="u1", ts=TS + 4, source_app="x", body="同一毫秒")
    store.add([note(i) for i in range(10)] + [pay, tied, note(4, user="u2")])
    got = store.query("u1", types=["notification", "payment"], since_ms=TS + 2, until_ms=TS + 7, limit=4)
    assert [e.event_id for e in got] == ["n6", "n5", "p4", "n4"]  # equal ts: event_id descending, byte-wise
    assert [e.event_id for e in store.query("u1", types=["notification"], since_ms=TS + 4, limit=3)] == [
        "n9", "n8", "n7"
    ]  # fmt: skip
    assert store.query("u1", types=["payment"], until_ms=TS + 4) == [] and store.query("u1", limit=0) == []
    assert store.get("u1", ["B", "n4", "p4", "nope"]) == [tied, note(4), pay]
    assert store.count("u1") == {"notification": 11, "payment": 1}


def test_rows_written_before_sealing_are_still_readable(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    store = EventStore(db, VAULT)
    old = note(1)
    with db.transaction() as conn:  # as a 0.1 development build wrote it: the event's JSON in plaintext
        conn.execute(
            "INSERT INTO events(user_id, event_id, type, ts, source_app, payload, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (old.user_id, old.event_id, old.type, old.ts, old.source_app, old.model_dump_json(), 0),
        )
    store.add([note(2)])
    assert store.query("u1") == [note(2), old] and store.get("u1", ["n1"]) == [old]
    assert store.add([old]).duplicates == 1
