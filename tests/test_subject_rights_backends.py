"""Export and delete through the registered user-data holders, the same on SQLite and on PostgreSQL.

With ``database_url`` set the events, audit log and complaints live in PostgreSQL (a real server on loopback,
tests/pg_server.py; the PostgreSQL case skips, saying why, where none can be started) and the rest in the
home's SQLite file. Two users get data in every component; deleting one must leave every holder empty for
them (the pseudonymous audit log excepted, which is kept by law) and the other exactly as it was.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BigramEmbedder, ScriptedModel
from lingxi import Lingxi, Message
from lingxi.compliance.suspension import SuspensionStore
from lingxi.config import Settings
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID, sample_events
from lingxi.context.vectors import VectorIndex
from lingxi.features.sessions import ChatLine
from lingxi.privacy.consent import Scope
from lingxi.privacy.subject_rights import delete_user, export_user
from lingxi.server.keys import KeyStore
from lingxi.server.limits import QuotaStore, user_subject

OTHER = "other-user"
_names = itertools.count()


@pytest.fixture(scope="module")
def pg_server() -> Iterator[str]:
    pytest.importorskip("psycopg", reason="psycopg not installed (pip install 'lingxi[postgres]')")
    from pg_server import postgres_or_skip

    with postgres_or_skip("postgres_admin") as dsn:
        yield dsn


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "sqlite":
        return Settings(home=tmp_path / "home")
    import psycopg

    server: str = request.getfixturevalue("pg_server")
    name = f"sr{next(_names)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return Settings(home=tmp_path / "home", database_url=server.replace("dbname=postgres_admin", f"dbname={name}"))


def _populate(lx: Lingxi, user: str) -> None:
    """Data about ``user`` in every component: events (and what hooks derive), consents, audit, egress, a
    complaint about one of their answers, an assistant session, API ownership, quota, minors, suspension."""
    if user == SAMPLE_USER_ID:
        lx.load_sample()
        lx.consents.grant(user, Scope.CLOUD_PROCESSING)  # their chat may reach the cloud model (PIPL Art. 23)
    else:
        # fixed ids: see tests/test_subject_rights.py::_populated (random ids made the file check flaky)
        lx.ingest(
            e.model_copy(
                update={"user_id": user, "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{user}/{e.event_id}"))}
            )
            for e in sample_events()[:80]
        )
        lx.consents.grant(user, Scope.NOTIFICATIONS, Scope.SHOPPING, Scope.CLOUD_PROCESSING)
    lx.notification_summary(user, now_ms=SAMPLE_NOW_MS)
    lx.chat([Message(role="user", content="我的手机是13912345678")], user_id=user, model="cloud/echo")
    audited = lx.audit.entries_for(lx.audit.pseudonym(user))[-1]
    lx.complaints.add(f"{user}@example.cn", "content", "回答不准确", audit_id=audited["id"])
    session = lx.assistant.sessions.open(user, None)
    lx.assistant.sessions.save(session, [ChatLine(role="user", content="明天提醒我取快递")])
    KeyStore(lx.db, b"s" * 32).claim_user("notes-app", user)
    QuotaStore(lx.db, "Asia/Shanghai").add(user_subject(user), 120)
    lx.minors.add_seconds(user, 60)
    SuspensionStore(lx.db).record(user, blocked=True)
    with lx.db.transaction() as conn:
        conn.execute("INSERT INTO notification_watermarks(user_id, seen_ms) VALUES (?, ?)", (user, SAMPLE_NOW_MS))


def _sections(lx: Lingxi, user: str) -> str:
    """``user``'s export without the moments it was made at (the profile is taken at a fixed time: its
    scores decay with the clock)."""
    data = export_user(lx, user)
    data["profile"] = lx.profile.get(user, now_ms=SAMPLE_NOW_MS).model_dump(mode="json")
    return json.dumps({k: v for k, v in data.items() if k != "exported_at"}, ensure_ascii=False, sort_keys=True)


def test_export_and_delete_cover_every_component(settings: Settings) -> None:
    lx = Lingxi(settings=settings, models=[ScriptedModel("cloud/echo")])
    vectors = VectorIndex(lx.db, lx.vault, BigramEmbedder(), lx.events)  # as with an embedding model configured
    lx.events.hooks.append(vectors)
    for user in (SAMPLE_USER_ID, OTHER):
        _populate(lx, user)
    asyncio.run(vectors.drain(limit=200))  # some embedded, the rest still queued
    names = lx.holders.names()
    held = {h.name: h.count_user(SAMPLE_USER_ID) for h in lx.holders}
    assert all(held.values()), held  # every component holds something of the user

    data = export_user(lx, SAMPLE_USER_ID)
    assert data["counts"]["records"] == held and set(names) <= set(data)
    assert len(data["events"]) == len(sample_events())
    assert data["complaints"][0]["contact"] == f"{SAMPLE_USER_ID}@example.cn"
    assert data["assistant_sessions"][0]["messages"][0]["content"] == "明天提醒我取快递"
    assert data["shopping"]["interactions"] and data["api_ownership"]["user_owner"][0]["app_id"] == "notes-app"
    assert len(data["audit_pseudonymous"]["entries"]) == held["audit_pseudonymous"] == 2
    assert OTHER not in json.dumps(data, ensure_ascii=False)
    other_before = _sections(lx, OTHER)

    receipt = delete_user(lx, SAMPLE_USER_ID)
    assert receipt.verified and receipt.residual == {}
    for name in names:
        c = receipt.components[name]
        if name == "audit_pseudonymous":  # kept by law: pseudonym and hashes only
            assert c.retained and c.remaining == c.held == 2 and c.erased == 0
        else:
            assert (c.held, c.erased, c.remaining) == (held[name], held[name], 0), name
    assert {h.name: h.count_user(SAMPLE_USER_ID) for h in lx.holders if not h.retained} == dict.fromkeys(
        [n for n in names if n != "audit_pseudonymous"], 0
    )
    assert receipt.events_deleted == len(sample_events()) and receipt.audit_entries_kept == 2
    after = export_user(lx, SAMPLE_USER_ID)
    assert after["events"] == [] and after["complaints"] == [] and after["consent"]["history"] == []
    # the other user is exactly as before, and the audit chain still verifies
    assert _sections(lx, OTHER) == other_before
    assert lx.audit.verify() == (True, None)
    assert delete_user(lx, SAMPLE_USER_ID).verified  # idempotent


def test_every_table_keyed_by_a_user_has_a_holder(tmp_path: Path) -> None:
    """A new store that keys rows by user must register a holder, or export and delete would miss it."""
    lx = Lingxi(tmp_path / "home", models=[ScriptedModel("cloud/echo")])
    lx.events.hooks.append(VectorIndex(lx.db, lx.vault, BigramEmbedder(), lx.events))
    _populate(lx, SAMPLE_USER_ID)
    covered = {t for h in lx.holders for t in getattr(h, "tables", ())}
    covered |= {"events"}  # the events holder goes through the event store's interface (SQLite or PostgreSQL)
    kept = {"deletion_log"}  # the pseudonymous record that a deletion happened (Art. 47 accountability)
    with lx.db.connect() as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        keyed = {
            t
            for t in tables
            if not t.startswith("search_fts")  # the index's shadow tables: the search_index holder
            and {"user_id", "user_ref", "subject"} & {c[1] for c in conn.execute(f'PRAGMA table_info("{t}")')}
        }
    assert {"user_owner", "usage_daily", "suspension_state", "shop_inter", "event_vectors", "profiles"} <= keyed
    assert keyed - covered - kept == set()
