"""Event model v2 on a database written by v1: the rows stay readable and feed the entity functions."""

from __future__ import annotations

import json
from pathlib import Path

from lingxi import Lingxi
from lingxi.context import store as store_module
from lingxi.context.entities import busy, calendar_entries, orders
from lingxi.context.event_base import EVENT_SCHEMA_VERSION
from lingxi.context.events import CalendarEvent, parse_event
from lingxi.context.sample import SAMPLE_USER_ID
from lingxi.context.store import EventStore
from lingxi.privacy.crypto import Vault
from lingxi.privacy.subject_rights import delete_user, export_user
from lingxi.storage.sqlite import Database

VAULT = Vault(b"k" * 32)
H = 3_600_000
T0 = 1_795_000_000_000

#: Rows exactly as the v1 code wrote them: the v1 JSON (no entry_id/status/eta_day keys) sealed, and the
#: v1 column list (no schema_version).
V1_ROWS = [
    {
        "type": "calendar", "event_id": "c1", "user_id": "u1", "ts": T0, "source_app": "日历",
        "title": "周会", "start_ts": T0 + 24 * H, "end_ts": T0 + 25 * H, "location": "", "attendees": ["张伟"],
    },
    {
        "type": "order", "event_id": "o1", "user_id": "u1", "ts": T0, "source_app": "京东", "order_id": "JD1",
        "platform": "京东", "items": [{"name": "耳机", "category": "", "brand": "", "price_fen": 5990,
        "quantity": 1}], "total_fen": 5990, "currency": "CNY", "status": "shipped", "carrier": "", "tracking_no": "",
        "eta_ts": T0 + 48 * H,
    },
]  # fmt: skip
_V1_STEPS = 4  # the events migrations the v1 code had


def _v1_database(path: Path) -> Database:
    db = Database(path)
    db.migrate("events", store_module._MIGRATIONS[:_V1_STEPS])
    with db.transaction() as conn:
        for row in V1_ROWS:
            sealed = VAULT.seal(json.dumps(row, ensure_ascii=False).encode(), user_id="u1", record_id=row["event_id"])
            conn.execute(
                "INSERT INTO events(user_id, event_id, type, ts, source_app, payload, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                ("u1", row["event_id"], row["type"], row["ts"], row["source_app"], sealed, T0),
            )
    return db


def test_v1_database_opens_migrated_and_readable(tmp_path: Path) -> None:
    _v1_database(tmp_path / "x.db")
    db = Database(tmp_path / "x.db")  # a fresh process: the v2 code opens the v1 file
    store = EventStore(db, VAULT)
    with db.connect() as conn:
        version = conn.execute("SELECT version FROM schema_migrations WHERE component = 'events'").fetchone()[0]
    assert version == len(store_module._MIGRATIONS) > _V1_STEPS
    old = {e.event_id: e for e in store.query("u1")}
    assert set(old) == {"c1", "o1"}
    assert isinstance(old["c1"], CalendarEvent) and old["c1"].status == "confirmed" and old["c1"].entry_id == ""
    assert store.count_by_schema("u1") == {1: 2}

    # a v2 cancellation of the v1 entry (whose entry id is its event id) and a v2 status change of the order
    store.add(
        [
            parse_event({**V1_ROWS[0], "event_id": "c2", "ts": T0 + H, "entry_id": "c1", "status": "cancelled"}),
            parse_event({**V1_ROWS[1], "event_id": "o2", "ts": T0 + H, "status": "in_transit",
                         "eta_ts": None, "eta_day": "2026-11-21"}),
        ]
    )  # fmt: skip
    assert store.count_by_schema("u1") == {1: 2, EVENT_SCHEMA_VERSION: 2}
    events = store.query("u1")
    [entry] = calendar_entries(events)
    assert entry.status == "cancelled" and entry.versions == ("c1", "c2")
    assert busy([entry], T0 + 24 * H, T0 + 25 * H) == []
    [order] = orders(events)
    assert (order.status, order.eta_day, order.versions) == ("in_transit", "2026-11-21", ("o1", "o2"))


def test_export_and_deletion_cover_the_v2_kinds(sample: Lingxi) -> None:
    """PIPL export (Art. 45) and deletion (Art. 47) include cart, favorite, reminder, contact, message_update."""
    v2 = {"cart", "favorite", "reminder", "contact", "message_update"}
    exported = export_user(sample, SAMPLE_USER_ID)
    assert v2 <= set(exported["counts"]["events_by_type"])
    kinds = {e["type"] for e in exported["events"]}
    assert v2 <= kinds
    contact = next(e for e in exported["events"] if e["type"] == "contact" and e["name"] == "妈妈")
    assert contact["relation"] == "妈妈" and contact["handles"] == {"微信": "wx-mom"}
    receipt = delete_user(sample, SAMPLE_USER_ID)
    assert v2 <= set(receipt.events_by_type) and sample.events.count(SAMPLE_USER_ID) == {}
