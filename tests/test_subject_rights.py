"""Export and verifiable deletion of one user's data, next to a second user whose data must stay untouched."""

from __future__ import annotations

import gc
import json
import sqlite3
import stat
import uuid
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import ScriptedModel
from lingxi import InvalidInput, Lingxi, Message
from lingxi.cli.privacy import privacy_app
from lingxi.compliance.audit import user_ref
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID, sample_events
from lingxi.privacy import pii, subject_rights
from lingxi.privacy.consent import Scope
from lingxi.privacy.file_scan import CHANCE_HITS, chance_hits, min_needle_bytes
from lingxi.privacy.pii import find_pii
from lingxi.privacy.subject_rights import (
    EXPORT_FORMAT,
    delete_user,
    deletion_records,
    export_json,
    export_user,
    residual_rows,
)
from lingxi.server import privacy_api, problems

OTHER = "other-user"


def _populated(home: Path) -> Lingxi:
    """The sample user and a second user, each with events, consents, an audit entry and an egress record."""
    lx = Lingxi(home, models=[ScriptedModel("cloud/echo")])
    lx.load_sample()
    # fixed ids (not uuid4): random ids give a different B-tree layout each run, and about one run in 40 left one
    # stale copy of a deleted row's cell in a live events page (SQLite's secure_delete does not zero every copy
    # B-tree rebalancing leaves); the receipt then says "not verified", truthfully, and these tests failed at random
    lx.ingest(
        e.model_copy(update={"user_id": OTHER, "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"other/{e.event_id}"))})
        for e in sample_events()[:60]
    )
    lx.consents.grant(OTHER, Scope.NOTIFICATIONS, Scope.CLOUD_PROCESSING)
    lx.consents.grant(SAMPLE_USER_ID, Scope.CLOUD_PROCESSING)
    lx.consents.set_non_personalized(SAMPLE_USER_ID, False)
    for user in (SAMPLE_USER_ID, OTHER):
        lx.notification_summary(user, now_ms=SAMPLE_NOW_MS)
        lx.chat([Message(role="user", content="我的手机是13912345678")], user_id=user, model="cloud/echo")
    return lx


@pytest.fixture
def lx(home: Path) -> Lingxi:
    return _populated(home)


def _db_bytes(lx: Lingxi) -> bytes:
    path = Path(lx.db.path)
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_export_has_the_users_data_decrypted_and_nothing_of_another_user(lx: Lingxi) -> None:
    data = export_user(lx, SAMPLE_USER_ID)
    assert data["format"] == EXPORT_FORMAT and data["user_id"] == SAMPLE_USER_ID
    mine = {e.event_id: e for e in sample_events()}
    assert {e["event_id"] for e in data["events"]} == set(mine)  # every event, not just the newest 500
    first = data["events"][0]
    assert first == mine[first["event_id"]].model_dump(mode="json")  # decrypted, whole
    assert data["counts"]["events"] == len(mine) == sum(data["counts"]["events_by_type"].values())
    history = data["consent"]["history"]
    assert {h["name"] for h in history if h["kind"] == "scope"} == {
        "messages",
        "notifications",
        "shopping",
        "payments",
        "calendar",
        "cloud_processing",
    }
    assert data["consent"]["status"]["non_personalized"] is False
    (egress,) = data["egress"]
    assert egress["provider"] == "cloud/echo" and egress["bytes"] > 0 and "13912345678" not in json.dumps(egress)
    assert egress["consents"] == ["cloud_processing"]  # the user sees which consent let it leave
    assert egress["images"] == 0  # and that only text left, no picture
    audit = data["audit_pseudonymous"]
    assert (
        audit["user_ref"] == lx.audit.pseudonym(SAMPLE_USER_ID) != user_ref(SAMPLE_USER_ID)
        and "假名" in audit["note_zh"]
    )
    assert len(audit["entries"]) == 2 and all(e["user_ref"] == audit["user_ref"] for e in audit["entries"])
    text = json.dumps(data, ensure_ascii=False)
    assert OTHER not in text and lx.audit.pseudonym(OTHER) not in text
    others = {e.event_id for e in lx.events.query(OTHER, limit=1000)}
    assert others and not any(i in text for i in others)


def test_export_json_is_private_utf8(lx: Lingxi, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = export_json(lx, SAMPLE_USER_ID, folder / "export.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # decrypted personal data: owner only
    text = path.read_text(encoding="utf-8")
    assert "林晓雨" in text or "招商银行" in text  # Chinese kept readable, not \\u-escaped
    assert json.loads(text)["counts"]["events"] == len(sample_events())
    assert [p.name for p in folder.iterdir()] == ["export.json"]  # no temporary file left behind


def test_delete_removes_everything_and_verifies(lx: Lingxi) -> None:
    ids = {e.event_id for e in sample_events()}
    other_before = export_user(lx, OTHER)
    assert all(i.encode() in _db_bytes(lx) for i in list(ids)[:5])  # the check below can see ids
    receipt = delete_user(lx, SAMPLE_USER_ID)

    assert receipt.verified and receipt.residual == {} and receipt.file_scrubbed is True
    assert receipt.events_deleted == len(ids) and sum(receipt.events_by_type.values()) == len(ids)
    assert receipt.withdrawn_scopes == [
        "calendar",
        "cloud_processing",
        "messages",
        "notifications",
        "payments",
        "shopping",
    ]
    assert receipt.consent_records_deleted >= 5 and receipt.egress_records_anonymized == 1
    assert receipt.egress_providers == ["cloud/echo"] and receipt.audit_entries_kept == 2
    # re-query: nothing left under the user id, in any table
    assert lx.events.query(SAMPLE_USER_ID) == [] and lx.events.count(SAMPLE_USER_ID) == {}
    assert lx.consents.history(SAMPLE_USER_ID) == [] and lx.consents.granted(SAMPLE_USER_ID) == set()
    assert lx.egress.for_user(SAMPLE_USER_ID) == [] and residual_rows(lx, SAMPLE_USER_ID) == {}
    # nor in the raw file (database and WAL)
    raw = _db_bytes(lx)
    assert not any(i.encode() in raw for i in ids)
    # the second user is untouched
    other_after = export_user(lx, OTHER)
    for key in ("events", "consent", "egress", "counts"):
        assert other_after[key] == other_before[key]
    # kept: the egress facts without the person, the audit chain, a pseudonymous deletion record
    with lx.db.connect() as conn:
        rows = conn.execute("SELECT user_id, request_id, provider, bytes FROM egress_log WHERE user_id = ''").fetchall()
    assert [(r["user_id"], r["request_id"], r["provider"]) for r in rows] == [("", "", "cloud/echo")]
    assert lx.audit.verify() == (True, None)
    (record,) = deletion_records(lx, SAMPLE_USER_ID)
    assert record["verified"] and record["counts"]["events"] == len(ids) and record["id"] == receipt.receipt_id
    with lx.db.connect() as conn:
        assert conn.execute("SELECT * FROM deletion_log WHERE user_ref = ?", (receipt.user_ref,)).fetchone()
        stored = json.dumps([tuple(r) for r in conn.execute("SELECT * FROM deletion_log")])
    assert SAMPLE_USER_ID not in stored
    # exporting now finds only the pseudonymous audit entries
    after = export_user(lx, SAMPLE_USER_ID)
    assert after["events"] == [] and after["consent"]["history"] == [] and after["egress"] == []
    assert len(after["audit_pseudonymous"]["entries"]) == 2


def test_delete_is_idempotent(lx: Lingxi) -> None:
    delete_user(lx, SAMPLE_USER_ID)
    again = delete_user(lx, SAMPLE_USER_ID)
    assert again.verified and again.events_deleted == 0 and again.consent_records_deleted == 0
    assert len(deletion_records(lx, SAMPLE_USER_ID)) == 2


def test_verification_is_computed_not_asserted(lx: Lingxi) -> None:
    with lx.db.transaction() as conn:  # a component delete_user knows nothing about
        conn.execute("CREATE TABLE app_notes (owner TEXT, note TEXT)")
        conn.execute("INSERT INTO app_notes VALUES (?, '周末去杭州')", (SAMPLE_USER_ID,))
    receipt = delete_user(lx, SAMPLE_USER_ID)
    assert not receipt.verified and receipt.residual == {"app_notes.owner": 1}


def test_deleting_a_user_without_data_verifies(home: Path) -> None:
    receipt = delete_user(Lingxi(home), "nobody")
    assert receipt.verified and receipt.events_deleted == 0 and receipt.egress_providers == []


def test_deletion_empties_the_redactors_result_cache(home: Path) -> None:
    find_pii("收件人：王芳，电话13812345678")  # redacted texts are kept in memory for repeated history
    assert pii._RESULTS
    delete_user(Lingxi(home), "nobody")
    assert pii._RESULTS == {}


# -- HTTP ---------------------------------------------------------------------------------------------------
def test_api_export_and_delete(lx: Lingxi) -> None:
    app = FastAPI()
    problems.install(app)
    app.include_router(privacy_api.router(lx))
    api = TestClient(app)
    r = api.get(f"/v1/users/{SAMPLE_USER_ID}/export")
    assert r.status_code == 200 and r.json()["counts"]["events"] == len(sample_events())
    r = api.delete(f"/v1/users/{SAMPLE_USER_ID}")
    body = r.json()
    assert r.status_code == 200 and body["verified"] is True and body["events_deleted"] == len(sample_events())
    assert body["egress_providers"] == ["cloud/echo"] and body["kept_zh"]
    assert api.get(f"/v1/users/{SAMPLE_USER_ID}/consents").json()["scopes"] == []
    assert api.get(f"/v1/users/{OTHER}/export").json()["counts"]["events"] == 60


# -- CLI ----------------------------------------------------------------------------------------------------
def test_cli_export_and_delete(home: Path, tmp_path: Path) -> None:
    _populated(home)
    runner = CliRunner()
    h = ["--home", str(home)]
    out = tmp_path / "me.json"
    r = runner.invoke(privacy_app, ["export", SAMPLE_USER_ID, "-o", str(out), *h])
    assert r.exit_code == 0, r.output
    assert "已导出" in r.output and json.loads(out.read_text(encoding="utf-8"))["user_id"] == SAMPLE_USER_ID
    r = runner.invoke(privacy_app, ["export", OTHER, *h])
    assert r.exit_code == 0 and json.loads(r.stdout)["counts"]["events"] == 60
    r = runner.invoke(privacy_app, ["delete", SAMPLE_USER_ID, *h])
    assert isinstance(r.exception, InvalidInput) and "--yes" in (r.exception.hint or "")
    assert Lingxi(home).events.count(SAMPLE_USER_ID)  # nothing deleted without --yes
    r = runner.invoke(privacy_app, ["delete", SAMPLE_USER_ID, "--yes", *h])
    assert r.exit_code == 0, r.output
    assert "删除回执" in r.output and "已核验" in r.output and "cloud/echo" in r.output
    assert f"事件 {len(sample_events())}/0" in r.output and "假名审计记录（依法保留） 0/2" in r.output
    assert Lingxi(home).events.count(SAMPLE_USER_ID) == {}


# -- the raw-file check with short event ids ------------------------------------------------------------------
def _with_short_ids(home: Path, user: str, n: int = 40) -> tuple[Lingxi, list[str]]:
    """The populated store plus ``user`` whose ``n`` events have 2-character ids ("a0", "a1", …), as some apps use."""
    lx = _populated(home)
    ids = [f"{chr(97 + i // 10)}{i % 10}" for i in range(n)]
    lx.ingest(e.model_copy(update={"user_id": user, "event_id": i}) for i, e in zip(ids, sample_events(), strict=False))
    return lx, ids


def _leave_unzeroed_copies(lx: Lingxi, user: str) -> None:
    """Copy the user's row keys into a table and delete them without ``secure_delete``: the freed cells keep the
    bytes, as a component that deletes without zeroing would leave them (``delete_user`` knows nothing of it)."""
    conn = sqlite3.connect(lx.db.path, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = OFF")
        conn.execute(
            "CREATE TABLE app_cache (user_id TEXT, event_id TEXT, type TEXT, PRIMARY KEY (user_id, event_id)) "
            "WITHOUT ROWID"
        )
        conn.execute("INSERT INTO app_cache SELECT user_id, event_id, type FROM events WHERE user_id = ?", (user,))
        conn.execute("DELETE FROM app_cache")
    finally:
        conn.close()


def test_short_event_ids_are_checked_by_record_key_and_a_clean_delete_verifies(home: Path) -> None:
    user = "short-id-user"
    lx, ids = _with_short_ids(home, user)
    receipt = delete_user(lx, user)
    raw = _db_bytes(lx)
    assert any(i.encode() in raw for i in ids)  # a bare 2-byte id turns up in a clean file: it proves nothing
    check = receipt.file_check
    assert check is not None and check.min_needle_bytes > 2 and check.searched_bytes > 0
    assert (check.checked_ids, check.checked_by_event_id, check.checked_by_record_key) == (len(ids), 0, len(ids))
    assert check.unchecked_ids == 0 and check.found_ids == 0
    assert not any((user + i).encode() in raw for i in ids)  # the record keys really are gone
    assert receipt.verified and receipt.residual == {} and receipt.file_scrubbed is True
    # long ids keep being searched as themselves
    sample = delete_user(lx, SAMPLE_USER_ID).file_check
    assert sample is not None and sample.checked_by_event_id == len(sample_events()) == sample.checked_ids


@pytest.mark.parametrize("short", [True, False], ids=["short-ids", "long-ids"])
def test_unzeroed_copies_are_found_then_vacuumed_away_and_the_receipt_says_so(
    home: Path, short: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Freed but unzeroed cells — what a stale copy left by B-tree rebalancing looks like to the file search —
    are found; the file is rebuilt (VACUUM) and searched again, and the receipt keeps both searches."""
    if short:
        lx, ids = _with_short_ids(home, user := "short-id-user")
    else:
        lx, ids = _populated(home), [e.event_id for e in sample_events()]
        user = SAMPLE_USER_ID
    _leave_unzeroed_copies(lx, user)
    before_vacuum: list[bytes] = []
    vacuum = subject_rights._vacuum
    monkeypatch.setattr(subject_rights, "_vacuum", lambda host: (before_vacuum.append(_db_bytes(lx)), vacuum(host)))
    receipt = delete_user(lx, user)
    assert receipt.residual == {}  # no table row names the user: only the file check can see the leftovers
    found = receipt.file_check_before_vacuum
    assert found is not None and found.checked_ids == len(ids)  # the detection stays visible in the receipt
    assert (found.checked_by_record_key if short else found.checked_by_event_id) == len(ids)
    (raw,) = before_vacuum  # the count agrees with a plain byte search for the same needles, before the rebuild
    assert found.found_ids == sum(((user + i) if short else i).encode() in raw for i in ids) > 0
    after = receipt.file_check
    assert after is not None and after.checked_ids == len(ids) and after.found_ids == 0
    assert receipt.file_scrubbed is True and receipt.verified
    assert not any(((user + i) if short else i).encode() in _db_bytes(lx) for i in ids)
    (record,) = deletion_records(lx, user)
    assert record["verified"] is True


def test_the_rebalancing_layout_that_left_a_stale_cell_now_verifies(home: Path) -> None:
    """The real case: with these ids for the second user (found by trying seeds: 77 is the first of 0–101 that
    gives the layout), deleting the sample user leaves one stale copy of a deleted row's cell in a live events
    page despite ``secure_delete``. The rebuild removes it; the receipt shows it was found."""
    lx = Lingxi(home, models=[ScriptedModel("cloud/echo")])
    lx.load_sample()
    lx.ingest(
        e.model_copy(update={"user_id": OTHER, "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"seed77/{e.event_id}"))})
        for e in sample_events()[:60]
    )
    receipt = delete_user(lx, SAMPLE_USER_ID)
    if receipt.file_check_before_vacuum is None:  # the layout depends on SQLite's version and the sample events
        pytest.skip("this SQLite build no longer leaves the stale cell with these ids; see the unzeroed-copies test")
    assert receipt.file_check_before_vacuum.found_ids == 1
    assert receipt.file_scrubbed is True and receipt.verified and receipt.residual == {}


def test_a_rebuild_blocked_by_a_writer_leaves_an_honest_receipt(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another connection holds the write lock: VACUUM cannot run, the deletion still completes, and the
    receipt reports the leftovers the second search still finds instead of raising."""
    lx, _ = _with_short_ids(home, user := "short-id-user")
    _leave_unzeroed_copies(lx, user)
    writer = sqlite3.connect(lx.db.path, isolation_level=None)
    vacuum = subject_rights._vacuum

    def vacuum_while_another_writes(host: object) -> None:
        writer.execute("BEGIN IMMEDIATE")
        try:
            vacuum(host)  # type: ignore[arg-type]
        finally:
            writer.execute("ROLLBACK")

    monkeypatch.setattr(subject_rights, "_vacuum", vacuum_while_another_writes)
    try:
        receipt = delete_user(lx, user)
    finally:
        writer.close()
    assert receipt.residual == {} and lx.events.count(user) == {}  # the rows are gone all the same
    before, after = receipt.file_check_before_vacuum, receipt.file_check
    assert before is not None and after is not None and before.found_ids > 0
    assert after.found_ids == before.found_ids and receipt.file_scrubbed is False and not receipt.verified


def test_leftovers_that_survive_the_rebuild_fail_the_check(home: Path) -> None:
    """A table no holder knows keeps the ids inside live text: VACUUM keeps live rows, so the receipt fails."""
    lx = _populated(home)
    with lx.db.connect() as conn:
        conn.execute("CREATE TABLE app_log (line TEXT)")
        conn.execute("INSERT INTO app_log SELECT 'opened ' || event_id FROM events")
    receipt = delete_user(lx, SAMPLE_USER_ID)
    assert receipt.residual == {} and receipt.file_scrubbed is False and not receipt.verified
    before, after = receipt.file_check_before_vacuum, receipt.file_check
    assert before is not None and after is not None
    assert before.found_ids == after.found_ids == len(sample_events())
    (record,) = deletion_records(lx, SAMPLE_USER_ID)
    assert record["verified"] is False
    r = CliRunner().invoke(privacy_app, ["delete", OTHER, "--yes", "--home", str(home)])
    text = "".join(ch for ch in r.output if not ch.isspace() and ch != "│")
    assert r.exit_code == 1 and "已重建数据库文件（VACUUM）后复查：仍有残留" in text and "核验未通过" in text


def test_ids_too_short_even_with_the_user_id_are_reported_unchecked(home: Path) -> None:
    """'u1' + 'a1' is 4 bytes: no search of the file can prove its absence, and the receipt must say so."""
    lx, ids = _with_short_ids(home, "u1")
    _leave_unzeroed_copies(lx, "u1")
    receipt = delete_user(lx, "u1")
    assert any(b"u1" + i.encode() in _db_bytes(lx) for i in ids)  # leftovers that this method cannot tell apart
    check = receipt.file_check
    assert check is not None and check.checked_ids == 0 and check.unchecked_ids == len(ids)
    assert receipt.file_scrubbed is None  # not True: nothing was checked in the file
    assert receipt.verified and receipt.residual == {}  # the rows are gone; the file part is declared unchecked


def test_cli_receipt_says_what_the_file_check_covered(home: Path) -> None:
    _with_short_ids(home, "u1")
    r = CliRunner().invoke(privacy_app, ["delete", "u1", "--yes", "--home", str(home)])
    assert r.exit_code == 0, r.output
    text = "".join(ch for ch in r.output if not ch.isspace() and ch != "│")  # the panel wraps long lines
    assert "文件核查：0条事件已在数据库文件中检索" in text and "40条标识过短或与保留数据重合，无法在文件中核查" in text


def test_an_id_another_user_also_uses_is_checked_by_record_key(lx: Lingxi) -> None:
    shared = [e.event_id for e in lx.events.query(OTHER, limit=10)]
    lx.ingest(
        e.model_copy(update={"user_id": "twin", "event_id": i}) for i, e in zip(shared, sample_events(), strict=False)
    )
    check = delete_user(lx, "twin").file_check
    assert check is not None and (check.checked_by_event_id, check.checked_by_record_key) == (0, len(shared))
    assert check.found_ids == 0 and {e.event_id for e in lx.events.query(OTHER, limit=10)} == set(shared)


def test_min_needle_bytes_keeps_chance_hits_negligible() -> None:
    for size, count in [(1 << 20, 100), (100 << 20, 10_000), (4096, 1), (1 << 30, 1)]:
        n = min_needle_bytes(size, count)
        assert chance_hits(n, size, count) <= CHANCE_HITS < chance_hits(n - 1, size, count)
    assert min_needle_bytes(1 << 20, 100) == 8 and min_needle_bytes(100 << 20, 10_000) == 10  # as documented
    assert chance_hits(2, 1 << 20, 1) == 256  # a 2-byte id is expected ~256 times in 1 MiB


def test_a_reader_holding_an_old_snapshot_does_not_stall_the_deletion(lx: Lingxi) -> None:
    reader = sqlite3.connect(lx.db.path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM events").fetchone()  # holds a snapshot: TRUNCATE must wait for it
        receipt = delete_user(lx, SAMPLE_USER_ID)  # completes while the snapshot is held (no wall-clock bound)
    finally:
        reader.close()
    assert receipt.residual == {}
    with lx.db.connect() as conn:  # the checkpoint loop's short busy timeout was restored afterwards
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 20


def test_a_reader_only_the_cycle_collector_can_free_does_not_keep_deleted_pages(lx: Lingxi) -> None:
    """A query left mid-way in a frame that a stored exception keeps in a reference cycle holds its WAL snapshot
    until the cycle collector runs; the deletion's checkpoint must not depend on when that happens."""
    reader = sqlite3.connect(lx.db.path)

    def stuck() -> None:
        cursor = reader.execute("SELECT event_id FROM events")
        cursor.fetchone()
        raise RuntimeError(cursor)

    try:
        stuck()
    except RuntimeError as exc:
        exc.__context__ = exc  # a cycle through the traceback, as storing an exception on an object makes
    gc.disable()
    try:
        receipt = delete_user(lx, SAMPLE_USER_ID)
    finally:
        gc.enable()
    assert receipt.verified and receipt.residual == {}
