"""The server's SQLite writer thread: concurrent requests' writes share one commit, yet each request gets its
own outcome — committed when its await returns, or the error it would have had alone (a duplicate key, a full
disk) — and stopping the writer commits everything queued."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lingxi import Lingxi
from lingxi.errors import StorageError
from lingxi.server import app as app_module
from lingxi.server.app import create_app
from lingxi.storage.sqlite import Database
from lingxi.storage.writer import Writer


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    db = Database(tmp_path / "w.db")
    with db.transaction() as conn:
        conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)")
    db.start_writer()
    yield db
    db.stop_writer()


def _held(db: Database) -> threading.Event:
    """Occupy the writer with a job that waits for the returned event, so the next jobs queue up together."""
    release, started = threading.Event(), threading.Event()

    def hold(conn: sqlite3.Connection) -> None:
        started.set()
        release.wait(10)

    db.write_later(hold)
    assert started.wait(10)
    return release


def _insert(k: int, blob: int = 10, outside: sqlite3.Connection | None = None) -> Callable[[sqlite3.Connection], Any]:
    def job(conn: sqlite3.Connection) -> int | None:
        conn.execute("INSERT INTO t VALUES (?, zeroblob(?))", (k, blob))
        return outside.execute("SELECT COUNT(*) FROM t").fetchone()[0] if outside else None

    return job


def _keys(db: Database) -> list[int]:
    with db.connect() as conn:
        return [r[0] for r in conn.execute("SELECT k FROM t ORDER BY k")]


async def _together(db: Database, jobs: list[Callable[[sqlite3.Connection], Any]]) -> list[Any]:
    """Run ``jobs`` as concurrent requests would: all queued while the writer is busy, then released."""
    release = await asyncio.to_thread(_held, db)
    tasks = [asyncio.ensure_future(db.write(job)) for job in jobs]
    await asyncio.sleep(0.05)  # every task has queued its job
    release.set()
    return await asyncio.gather(*tasks, return_exceptions=True)


def test_concurrent_writes_share_one_commit_and_are_committed_when_awaited(db: Database) -> None:
    outside = sqlite3.connect(db.path, check_same_thread=False)  # sees committed rows only
    seen = asyncio.run(_together(db, [_insert(k, outside=outside) for k in range(5)]))
    assert seen == [0, 0, 0, 0, 0]  # no job's row was visible outside while the batch ran: one transaction
    assert outside.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 5  # and all committed once awaited


def test_a_failing_job_fails_alone_with_the_usual_error(db: Database) -> None:
    asyncio.run(db.write(_insert(1)))
    got = asyncio.run(_together(db, [_insert(2), _insert(1), _insert(3)]))  # 1 is taken: a constraint error
    assert got[0] is None and got[2] is None
    assert isinstance(got[1], StorageError) and "UNIQUE" in str(got[1])
    assert _keys(db) == [1, 2, 3]


def test_a_full_disk_fails_only_the_write_that_does_not_fit(db: Database) -> None:
    asyncio.run(db.write(lambda conn: conn.execute("PRAGMA max_page_count = 40")))  # the writer's connection
    got = asyncio.run(_together(db, [_insert(1), _insert(2, blob=400_000), _insert(3)]))
    assert isinstance(got[1], StorageError) and got[1].message_zh.startswith("磁盘空间不足")
    assert got[0] is None and got[2] is None and _keys(db) == [1, 3]


def test_a_write_whose_request_was_cancelled_is_still_committed(db: Database) -> None:
    async def hang_up() -> None:
        release = await asyncio.to_thread(_held, db)
        task = asyncio.ensure_future(db.write(_insert(7)))
        await asyncio.sleep(0.05)
        task.cancel()  # the client went away while its record waited in the queue
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(hang_up())
    db.stop_writer()
    assert _keys(db) == [7]


def test_stopping_the_writer_commits_every_queued_write_and_later_writes_run_directly(db: Database) -> None:
    release = _held(db)
    for k in range(10):
        db.write_later(_insert(k))
    release.set()
    db.stop_writer()
    assert _keys(db) == list(range(10))
    assert asyncio.run(db.write(_insert(10))) is None and _keys(db)[-1] == 10


def test_a_full_queue_makes_the_next_write_wait_for_room(tmp_path: Path) -> None:
    db = Database(tmp_path / "q.db")
    with db.transaction() as conn:
        conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)")
    writer = Writer(db, capacity=2)
    release, started = threading.Event(), threading.Event()
    writer.submit(lambda conn: (started.set(), release.wait(10)))
    assert started.wait(10)

    async def fill() -> tuple[bool, list[Any]]:
        first = [asyncio.ensure_future(writer.write(_insert(k))) for k in range(2)]  # the queue is full now
        late = asyncio.ensure_future(writer.write(_insert(2)))
        await asyncio.sleep(0.05)
        waited = not late.done()
        release.set()
        return waited, await asyncio.gather(*first, late)

    waited, got = asyncio.run(fill())
    writer.close()
    assert waited and got == [None, None, None] and _keys(db) == [0, 1, 2]


def test_a_complete_checkpoint_still_starts_the_wal_over_beside_the_writer(tmp_path: Path) -> None:
    """With the writer running, the rewind is a job in its queue (it must not wait for, or block, a batch)."""
    db = Database(tmp_path / "c.db")
    db.defer_checkpoints()
    db.start_writer()
    try:
        for k in range(20):
            asyncio.run(db.write(lambda conn, k=k: conn.execute(f"CREATE TABLE f{k} (x)")))
        busy, log, done = db.checkpoint()
        assert busy == 0 and log > 1 and done == log
        assert db.checkpoint()[1] == 1  # only the rewind's own page is left in the WAL
    finally:
        db.stop_writer()


@pytest.mark.parametrize("thread", [True, False])
def test_the_server_commits_records_through_the_writer_and_drains_it_on_shutdown(
    lx: Lingxi, monkeypatch: pytest.MonkeyPatch, thread: bool
) -> None:
    """``lingxi serve`` starts the writer when ``[server] write_thread = true``; the answer's audit record
    is committed before the response, and the request log row, which nobody waits for, by shutdown at the latest."""
    committed: list[int] = []
    plain = Writer._settle
    monkeypatch.setattr(Writer, "_settle", lambda self, batch: (committed.append(len(batch)), plain(self, batch))[1])
    monkeypatch.setattr(app_module, "_warm_up", lambda: None)  # dictionaries: seconds, and beside the point here
    server = lx.settings.server.model_copy(update={"write_thread": thread})
    monkeypatch.setattr(lx, "settings", lx.settings.model_copy(update={"server": server}))
    body = {"model": "lite/textrank", "messages": [{"role": "user", "content": "总结：周一十点开会。"}]}
    with TestClient(create_app(lx)) as client:
        answer = client.post("/v1/chat/completions", json=body).json()
        assert [e["id"] for e in lx.audit.entries(1)] == [answer["lingxi"]["audit_id"]]
    with lx.db.connect() as conn:
        logged = [r[0] for r in conn.execute("SELECT audit_id FROM request_log")]
    assert logged == [answer["lingxi"]["audit_id"]]
    assert (sum(committed) >= 2) is thread  # the audit record and the request log row went through the writer
