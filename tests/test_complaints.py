"""Complaints: intake, status history, deadlines, export, the HTTP API and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lingxi.cli.complaints import complaints_app
from lingxi.compliance.complaints import DAY_MS, ComplaintStore, Status
from lingxi.compliance.labels import Filing
from lingxi.errors import InvalidInput, NotFound, StorageError
from lingxi.facade import Lingxi
from lingxi.privacy.crypto import Vault
from lingxi.server import compliance_api, problems
from lingxi.storage.sqlite import Database

T0 = 1_790_000_000_000


@pytest.fixture
def store(tmp_path: Path, vault: Vault) -> ComplaintStore:
    return ComplaintStore(Database(tmp_path / "c.db"), vault)


def test_contact_and_text_are_sealed_at_rest(tmp_path: Path, vault: Vault) -> None:
    db = Database(tmp_path / "c.db")
    c = ComplaintStore(db, vault).add("手机13912345678", "privacy", "请删除我在贵平台的全部聊天记录")
    raw = (tmp_path / "c.db").read_bytes() + (tmp_path / "c.db-wal").read_bytes()
    assert b"13912345678" not in raw and "聊天记录".encode() not in raw
    again = ComplaintStore(db, vault).get(c.id)
    assert (again.contact, again.text) == ("手机13912345678", "请删除我在贵平台的全部聊天记录")
    with pytest.raises(StorageError):  # another installation's key cannot read it
        ComplaintStore(db, Vault(bytes(32))).get(c.id)


def test_plaintext_rows_of_an_older_version_are_sealed_on_open(tmp_path: Path, vault: Vault) -> None:
    db = Database(tmp_path / "c.db")
    ComplaintStore(db, vault)  # creates the tables
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO complaints VALUES "
            "('old-1', 1, 1, 2, '老用户', 'other', '旧的明文投诉', NULL, NULL, 'received')"
        )
    store = ComplaintStore(db, vault)
    with db.connect() as conn:
        row = conn.execute("SELECT contact, text FROM complaints WHERE id = 'old-1'").fetchone()
    assert row["contact"].startswith("sealed:") and row["text"].startswith("sealed:")
    assert store.get("old-1").text == "旧的明文投诉"


def test_lifecycle_and_history(store: ComplaintStore) -> None:
    c = store.add("用户甲", "content", "回答里有错误信息", request_id="req-1", audit_id="aud-1", now=T0)
    assert c.status is Status.RECEIVED and c.status_zh == "已受理"
    assert (c.deadline - c.created).days == 15
    store.set_status(c.id, "processing", note="核查中", now=T0 + 1000)
    done = store.set_status(c.id, Status.RESOLVED, note="已更正", actor="ops", now=T0 + 2000)
    assert [h.status for h in done.history] == [Status.RECEIVED, Status.PROCESSING, Status.RESOLVED]
    assert done.history[-1].actor == "ops" and done.request_id == "req-1"
    with pytest.raises(InvalidInput):
        store.set_status(c.id, Status.PROCESSING)  # resolved is final


def test_validation(store: ComplaintStore) -> None:
    with pytest.raises(InvalidInput):
        store.add("a", "weather", "x")
    with pytest.raises(InvalidInput):
        store.add("a", "other", "   ")
    with pytest.raises(NotFound):
        store.get("nope")


def test_overdue_listing_and_export(tmp_path: Path, vault: Vault) -> None:
    store = ComplaintStore(Database(tmp_path / "c.db"), vault, deadline_days=3)
    old = store.add("甲", "privacy", "请删除我的数据", now=T0)
    new = store.add("乙", "other", "建议", now=T0 + 2 * DAY_MS)
    closed = store.add("丙", "content", "不当内容", now=T0)
    store.set_status(closed.id, "rejected", note="未发现问题", now=T0 + 1)
    later = T0 + 4 * DAY_MS
    assert [c.id for c in store.overdue(now=later)] == [old.id]
    assert {c.id for c in store.list_complaints("received", now=later)} == {old.id, new.id}
    data = json.loads(store.export_json(now=later))
    assert data["deadline_days"] == 3 and len(data["complaints"]) == 3
    assert any(len(c["history"]) == 2 for c in data["complaints"])


def _client(lx: Lingxi, token: str | None = None) -> TestClient:
    app = FastAPI()
    problems.install(app)
    filing = Filing(
        service_filing_no="Beijing-LX-1", algorithm_filing_no="网信算备1", model_name="灵犀", deployer="示例"
    )
    app.include_router(compliance_api.router(lx, filing=filing, admin_token=token))
    return TestClient(app)


def test_api(lx: Lingxi) -> None:
    client = _client(lx, token="s3cret")
    filing = client.get("/v1/compliance/filing").json()
    assert filing["filing"]["algorithm_filing_no"] == "网信算备1" and filing["missing_zh"] == []
    assert filing["labels"]["llm"] == "本内容由人工智能生成"
    r = client.post("/v1/complaints", json={"contact": "甲", "category": "content", "text": "有误"})
    assert r.status_code == 201
    cid = r.json()["id"]
    assert client.get(f"/v1/complaints/{cid}").json()["status"] == "received"
    denied = client.patch(f"/v1/complaints/{cid}", json={"status": "resolved"})
    assert denied.status_code == 401 and denied.json()["detail_zh"] == "修改投诉状态需要管理员令牌"
    ok = client.patch(f"/v1/complaints/{cid}", json={"status": "resolved", "note": "已处理"},
                      headers={"X-Lingxi-Admin": "s3cret"})  # fmt: skip
    assert ok.status_code == 200 and len(ok.json()["history"]) == 2
    assert client.get("/v1/complaints", params={"status": "resolved"}).json()["complaints"][0]["id"] == cid
    assert client.get("/v1/complaints", params={"status": "received"}).json()["complaints"] == []
    bad = client.patch(f"/v1/complaints/{cid}", json={"status": "processing"}, headers={"X-Lingxi-Admin": "s3cret"})
    assert bad.status_code == 400
    assert client.get("/v1/complaints/none").status_code == 404
    assert client.post("/v1/complaints", json={"contact": "甲", "category": "x", "text": "t"}).status_code in (400, 422)


def test_cli(home: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(complaints_app, ["add", "用户乙", "隐私问题", "--category", "privacy", "--home", str(home)])
    assert added.exit_code == 0, added.output
    cid = added.output.split()[1]
    assert runner.invoke(complaints_app, ["list", "--home", str(home)]).exit_code == 0
    shown = runner.invoke(complaints_app, ["resolve", cid, "--note", "已删除", "--home", str(home)])
    assert shown.exit_code == 0 and "已处理" in shown.output
    dest = home / "c.json"
    assert runner.invoke(complaints_app, ["export", str(dest), "--home", str(home)]).exit_code == 0
    assert json.loads(dest.read_text(encoding="utf-8"))["complaints"][0]["status"] == "resolved"
