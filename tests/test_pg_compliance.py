"""The PostgreSQL audit log and complaint store keep the SQLite ones' promises, with several writers.

A real PostgreSQL on loopback (tests/pg_server.py), a fresh database per test; skipped, saying why, where
no server can be started. Separate :class:`PgDatabase` objects stand in for separate workers: each has its
own connection pool, so the only thing they share is the server.
"""

from __future__ import annotations

import itertools
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lingxi import Lingxi
from lingxi.compliance.audit import AuditEntry, AuditKeys, AuditLog, entry_body
from lingxi.compliance.audit_chain import walk
from lingxi.compliance.audit_sink import CheckpointSink
from lingxi.compliance.complaints import ComplaintStore, Status
from lingxi.config import Settings
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.errors import InvalidInput, MasterKeyError, NotFound, StorageError
from lingxi.ids import now_ms
from lingxi.privacy.crypto import Vault
from lingxi.storage.sqlite import Database

psycopg = pytest.importorskip("psycopg", reason="psycopg not installed (pip install 'lingxi[postgres]')")

from lingxi.compliance.pg_audit import PgAuditLog  # noqa: E402
from lingxi.compliance.pg_complaints import PgComplaintStore  # noqa: E402
from lingxi.context.pg_store import PgEventStore  # noqa: E402
from lingxi.storage.stores import LocalMirror, PgDatabase, open_stores  # noqa: E402
from pg_server import postgres_or_skip  # noqa: E402

_names = itertools.count()
KEYS = AuditKeys(b"k" * 32)
DAY = 86_400_000


def entry(i: int, feature: str = "chat") -> AuditEntry:
    return AuditEntry(
        request_id=f"r{i}",
        user_ref="u" * 32,
        feature=feature,
        model="lite/textrank",
        model_kind="classical",
        input_sha256="a" * 64,
        output_sha256="b" * 64,
        input_verdict="pass",
        input_risks=[],
        output_verdict="pass",
        output_risks=[],
        refused=False,
        egress_id=None,
        label="ai",
        finish_reason="stop",
    )


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_or_skip("postgres_admin") as dsn:
        yield dsn


@pytest.fixture
def dsn(server: str) -> str:
    name = f"c{next(_names)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.replace("dbname=postgres_admin", f"dbname={name}")


@pytest.fixture
def pg(dsn: str) -> Iterator[PgDatabase]:
    db = PgDatabase(dsn)
    yield db
    db.close()


def test_audit_chain_matches_the_sqlite_log(pg: PgDatabase, tmp_path: Path) -> None:
    log, local = PgAuditLog(pg, KEYS), AuditLog(Database(tmp_path / "a.db"), KEYS)
    ids = [log.append(entry(i)) for i in range(5)]
    for i in range(5):
        local.append(entry(i))
    assert log.verify() == (True, None)
    assert [e["id"] for e in log.entries(limit=3)] == ids[:1:-1]  # newest first, as SQLite
    pg_items, sqlite_items = log.export(), local.export()
    assert [i["record"] for i in pg_items] == [i["record"] for i in sqlite_items]
    assert pg_items[0]["prev_hash"] == "0" * 64 and set(pg_items[0]) == set(sqlite_items[0])
    rows = [{**i, "body": entry_body(i["record"])} for i in pg_items]  # what a recipient of the export does
    assert walk(KEYS, "0" * 64, 0, rows).ok and not walk(AuditKeys(b"x" * 32), "0" * 64, 0, rows).ok
    assert log.export(since_ms=now_ms() + DAY) == []


def test_audit_log_is_append_only_and_tampering_shows(pg: PgDatabase, dsn: str) -> None:
    log = PgAuditLog(pg, KEYS)
    ids = [log.append(entry(i)) for i in range(4)]
    for statement in ("UPDATE audit_log SET body = '{}'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(StorageError, match="append-only"), pg.transaction() as conn:
            conn.execute(statement)
    with psycopg.connect(dsn, autocommit=True) as conn:  # the table owner switches the guard off and edits
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET body = replace(body, 'r2', 'rX') WHERE id = %s", (ids[2],))
    assert log.verify() == (False, ids[2])
    with pytest.raises(StorageError, match="broken"):
        log.prune(400, now=now_ms() + 500 * DAY)


def test_concurrent_writers_keep_one_linear_chain(dsn: str) -> None:
    workers = [PgDatabase(dsn, max_connections=2) for _ in range(4)]
    try:
        logs = [PgAuditLog(db, KEYS) for db in workers]  # four "workers" migrating at once, then appending at once
        errors: list[BaseException] = []

        def run(k: int) -> None:
            try:
                for i in range(25):
                    logs[k].append(entry(k * 100 + i))
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        items = logs[0].export()
        assert len(items) == 100
        prevs = [i["prev_hash"] for i in items]
        assert len(set(prevs)) == 100  # no two records point at the same predecessor: no fork
        assert logs[1].verify() == (True, None)
    finally:
        for db in workers:
            db.close()


def test_prune_keeps_a_verifiable_chain(pg: PgDatabase) -> None:
    log = PgAuditLog(pg, KEYS)
    for i in range(6):
        log.append(entry(i))
    with pytest.raises(InvalidInput):
        log.prune(30)
    assert log.prune(200, now=now_ms() - DAY) == 0  # nothing is that old yet
    assert log.prune(200, now=now_ms() + 201 * DAY) == 6  # all six are "older than 200 days" then
    items = log.export()
    assert len(items) == 1 and items[0]["record"]["kind"] == "checkpoint" and items[0]["record"]["pruned"] == 6
    log.append(entry(7))
    assert log.verify() == (True, None)
    with pytest.raises(StorageError, match="append-only"), pg.transaction() as conn:
        conn.execute("DELETE FROM audit_log")  # the delete guard is back after the prune


def test_complaints_behave_like_the_sqlite_store(pg: PgDatabase, tmp_path: Path) -> None:
    vault = Vault(bytes(range(32)))
    store = PgComplaintStore(pg, vault, deadline_days=3)
    local = ComplaintStore(Database(tmp_path / "c.db"), vault, deadline_days=3)
    t0 = 1_763_800_000_000
    made = [s.add(" 张先生 ", "content", "回答里有错误信息", request_id="r1", now=t0) for s in (store, local)]
    c, ref = made
    assert c.model_dump(exclude={"id"}) == ref.model_dump(exclude={"id"})
    moved = store.set_status(c.id, "processing", note="已转交", now=t0 + 1)
    assert [h.status for h in moved.history] == [Status.RECEIVED, Status.PROCESSING]
    assert [x.id for x in store.overdue(now=t0 + 4 * DAY)] == [c.id]
    store.set_status(c.id, Status.RESOLVED, now=t0 + 2)
    with pytest.raises(InvalidInput):
        store.set_status(c.id, "processing")  # final stays final
    with pytest.raises(NotFound):
        store.get("nope")
    with pytest.raises(InvalidInput):
        store.add("", "content", "x")
    with pytest.raises(InvalidInput):
        store.add("a", "bogus", "x")
    assert [x.id for x in store.list_complaints("resolved")] == [c.id]
    assert '"status": "resolved"' in store.export_json()
    with pg.transaction() as conn:  # sealed at rest on PostgreSQL too
        row = conn.execute("SELECT contact, text FROM complaints WHERE id = %s", (c.id,)).fetchone()
    assert "张先生" not in str(row) and "错误信息" not in str(row)


def test_two_workers_racing_on_one_complaint(dsn: str) -> None:
    a, b = PgDatabase(dsn), PgDatabase(dsn)
    try:
        vault = Vault(bytes(range(32)))
        s1, s2 = PgComplaintStore(a, vault), PgComplaintStore(b, vault)
        cid = s1.add("李女士", "privacy", "请删除我的数据").id
        outcomes: list[str] = []
        barrier = threading.Barrier(2)

        def move(store: PgComplaintStore, to: str) -> None:
            barrier.wait()
            try:
                store.set_status(cid, to)
                outcomes.append(to)
            except InvalidInput:
                outcomes.append("refused")

        threads = [threading.Thread(target=move, args=(s, to)) for s, to in ((s1, "resolved"), (s2, "rejected"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes)[1] == "refused" or sorted(outcomes)[0] == "refused"
        final = s2.get(cid)
        assert final.status.value in outcomes and len(final.history) == 2  # exactly one change recorded
    finally:
        a.close()
        b.close()


def test_facade_uses_postgres_when_database_url_is_set(dsn: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "w1", database_url=dsn)
    lx = Lingxi(settings=settings)
    assert isinstance(lx.events, PgEventStore) and isinstance(lx.audit, PgAuditLog)
    assert isinstance(lx.complaints, PgComplaintStore)
    assert any(isinstance(h, LocalMirror) for h in lx.events.hooks)
    assert lx.load_sample().added > 0
    digest = lx.notification_summary(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS)
    assert digest.groups  # the feature read the events back from PostgreSQL
    assert lx.audit.verify() == (True, None) and lx.audit.entries()[0]["feature"].startswith("notifications")
    # the SQLite hooks were mirrored: the home's profile saw the sample week
    assert lx.profile.get(SAMPLE_USER_ID, top=5).contacts_incoming or lx.profile.get(SAMPLE_USER_ID).contacts_outgoing
    # a second "worker" with its own home (and the same master key) sees the same events, audit chain and complaints
    (tmp_path / "w2").mkdir()
    shutil.copy(tmp_path / "w1" / "master.key", tmp_path / "w2" / "master.key")
    other = Lingxi(settings=Settings(home=tmp_path / "w2", database_url=dsn))
    assert other.events.count(SAMPLE_USER_ID) == lx.events.count(SAMPLE_USER_ID)
    assert other.audit.entries()[0]["id"] == lx.audit.entries()[0]["id"]


def test_a_worker_without_the_shared_key_is_refused(dsn: str, tmp_path: Path) -> None:
    Lingxi(settings=Settings(home=tmp_path / "w1", database_url=dsn)).load_sample()
    with pytest.raises(MasterKeyError) as caught:  # its own, empty home: it would generate a key of its own
        Lingxi(settings=Settings(home=tmp_path / "w2", database_url=dsn))
    assert "PostgreSQL" in caught.value.message and "LINGXI_MASTER_KEY" in (caught.value.hint or "")
    assert not (tmp_path / "w2" / "master.key").exists()


def test_database_url_setting_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGXI_DATABASE_URL", "postgresql://lingxi@127.0.0.1:1/none")
    assert Settings.load(tmp_path).database_url == "postgresql://lingxi@127.0.0.1:1/none"
    with pytest.raises(StorageError, match="cannot connect"):
        Lingxi(tmp_path)
    monkeypatch.delenv("LINGXI_DATABASE_URL")
    settings = Settings(home=tmp_path, database_url="mysql://x")
    with pytest.raises(StorageError) as info:
        open_stores(settings, Database(tmp_path / "x.db"), Lingxi(tmp_path).vault)
    assert "PostgreSQL" in info.value.message_zh
    lx = Lingxi(tmp_path)  # unset: SQLite, the default
    assert type(lx.audit) is AuditLog and type(lx.complaints) is ComplaintStore


def test_truncation_emptying_and_forged_appends_show_against_the_checkpoint(pg: PgDatabase, dsn: str,
                                                                           tmp_path: Path) -> None:  # fmt: skip
    log = PgAuditLog(pg, KEYS, CheckpointSink(tmp_path / "cp.jsonl"))
    ids = [log.append(entry(i)) for i in range(4)]
    cp = log.checkpoint()
    assert cp is not None and cp.count == 4 and log.verify() == (True, None)
    with psycopg.connect(dsn, autocommit=True) as conn:  # the owner switches the guards off
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
        conn.execute("DELETE FROM audit_log WHERE id = %s", (ids[-1],))
        assert log.verify() == (False, ids[-1])  # tail truncated
        head = conn.execute("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        conn.execute(
            "INSERT INTO audit_log(id, ts, body, prev_hash, hash) VALUES ('forged', 1, '{}', %s, %s)",
            (head[0], "m1:" + "0" * 64),
        )
        assert log.verify() == (False, "forged")
        conn.execute("TRUNCATE audit_log")
    report = log.report()
    assert not report.ok and report.count == 0 and "截断" in report.problems[0]
