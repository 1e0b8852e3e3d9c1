"""Forgetting in the shopping counts is exact: a deleted user or a cancelled order leaves the global tables as
if it had never been ingested (pairs, sessions, users, decayed popularity), and stops shaping others' lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lingxi.context.sample import SAMPLE_NOW_MS
from lingxi.evals import shopping as shop_checks
from lingxi.evals.shopping import PAIRS, _item, browse
from lingxi.facade import Lingxi
from lingxi.privacy.consent import Scope
from lingxi.privacy.subject_rights import delete_user
from lingxi.shopping.hook import item_id_for

NOW = SAMPLE_NOW_MS
MIN = 60_000
HOUR = 60 * MIN
DAY = 24 * HOUR
REF = NOW + DAY  # after every event: popularity is compared decayed to this one instant
HALF_LIFE = 14 * DAY  # ShoppingHook's default half-life
SPEAKER = ("蓝牙音箱 mini", "数码", "漫步者", 19900)
STAND = ("音箱支架 铝合金", "家居", "", 4900)
MUG = ("私人刻字马克杯", "日用", "", 5900)


def _order(user: str, event_id: str, order_id: str, ts: int, items: list[tuple[str, str, str, int]]) -> dict[str, Any]:
    return {
        "type": "order", "event_id": event_id, "user_id": user, "ts": ts, "source_app": "淘宝",
        "order_id": order_id, "platform": "淘宝", "items": [_item(*i) for i in items],
        "total_fen": sum(i[3] for i in items), "status": "paid",
    }  # fmt: skip


def _pay(user: str, event_id: str, order_id: str, ts: int) -> dict[str, Any]:
    return {
        "type": "payment", "event_id": event_id, "user_id": user, "ts": ts, "source_app": "支付宝",
        "amount_fen": 100, "merchant": "淘宝", "order_id": order_id,
    }  # fmt: skip


def _view(user: str, event_id: str, ts: int, item: tuple[str, str, str, int], dwell_ms: int = 30_000) -> dict[str, Any]:
    return {**browse(user, event_id, ts, *item), "dwell_ms": dwell_ms}


def _batches() -> list[list[dict[str, Any]]]:
    """Two users sharing items: browsing sessions, multi-item orders (one item twice), payments, a late event."""
    beans, grinder = PAIRS[3]
    catfood, litter = PAIRS[0]
    buds, case = PAIRS[1]
    coat, scarf = PAIRS[2]
    t = NOW - 3 * DAY
    return [
        [
            _view("A", "a1", t, beans), _view("A", "a2", t + 5 * MIN, grinder, 8_000),
            _view("A", "a3", t + 9 * MIN, catfood), _view("B", "b1", t + 2 * MIN, beans, 12_000),
            _view("B", "b2", t + 6 * MIN, litter),
        ],
        [
            _order("A", "a4", "oa1", t + 20 * MIN, [buds, case, MUG, buds]), _pay("A", "a5", "oa1", t + 21 * MIN),
            _order("B", "b3", "ob1", t + 15 * MIN, [catfood, litter, scarf]), _pay("B", "b4", "ob1", t + 16 * MIN),
        ],
        [
            _view("A", "a6", NOW - DAY, buds), _view("A", "a7", NOW - DAY + 3 * MIN, litter, 2_000),
            _view("B", "b5", NOW - DAY + MIN, buds), _view("B", "b6", NOW - DAY + 4 * MIN, coat),
            _order("A", "a8", "oa2", NOW - 2 * HOUR, [scarf, coat, grinder]),
        ],
        [_view("B", "b7", NOW - 2 * DAY, grinder, 20_000)],  # older than what is stored: arrives late
    ]  # fmt: skip


def _snapshot(lx: Lingxi) -> tuple[list[tuple[str, str, float, float]], dict[str, tuple[int, int, float]]]:
    with lx.db.connect() as conn:
        pairs = sorted((r["a"], r["b"], r["co"], r["tr"]) for r in conn.execute("SELECT * FROM shop_pairs"))
        items = {
            r["item_id"]: (r["sessions"], r["users"], r["pop"] * 0.5 ** ((REF - r["pop_ts"]) / HALF_LIFE))
            for r in conn.execute("SELECT * FROM shop_items")
        }
    return pairs, items


def _assert_same(got: Lingxi, want: Lingxi) -> None:
    (got_pairs, got_items), (want_pairs, want_items) = _snapshot(got), _snapshot(want)
    assert got_pairs == want_pairs
    assert {i: v[:2] for i, v in got_items.items()} == {i: v[:2] for i, v in want_items.items()}
    for item, (_, _, pop) in want_items.items():
        assert got_items[item][2] == pytest.approx(pop, rel=1e-9, abs=1e-12), item


def test_deleting_a_user_leaves_the_globals_of_a_store_that_never_saw_them(lx: Lingxi, tmp_path: Path) -> None:
    only_b = Lingxi(tmp_path / "only-b")
    for batch in _batches():
        lx.ingest(batch)
        only_b.ingest([e for e in batch if e["user_id"] == "B"])
    with_a = _snapshot(lx)
    assert len(with_a[0]) > len(_snapshot(only_b)[0])  # A added pairs (and items) B never had
    receipt = delete_user(lx, "A")
    assert receipt.residual == {}  # no row anywhere names A (the file scan is subject_rights' business)
    _assert_same(lx, only_b)
    with lx.db.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM shop_contrib WHERE user_id = 'A'").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM shop_contrib WHERE user_id = 'B'").fetchone()[0] > 0


def test_a_cancelled_order_leaves_the_globals_as_if_never_placed(lx: Lingxi, tmp_path: Path) -> None:
    never = Lingxi(tmp_path / "never")
    beans, grinder = PAIRS[3]
    catfood, litter = PAIRS[0]
    before = [
        _order("B", "b0", "ob0", NOW - 2 * DAY, [catfood, beans]),
        _order("C", "c0", "oc0", NOW - 2 * DAY, [grinder, beans]),
        _view("B", "b1", NOW - 5 * HOUR - 10 * MIN, grinder),  # pairs with the order below, in its contribution
    ]
    for store in (lx, never):
        store.ingest(before)
    placed = _order("B", "b2", "ob2", NOW - 5 * HOUR, [catfood, litter, MUG, litter])  # the mug: only here
    lx.ingest([placed, _pay("B", "b3", "ob2", NOW - 5 * HOUR + MIN)])
    assert _snapshot(lx) != _snapshot(never)
    lx.ingest([{**placed, "event_id": "b4", "ts": NOW - 4 * HOUR, "status": "cancelled"}])
    lx.ingest([{**placed, "event_id": "b5", "ts": NOW - 3 * HOUR, "status": "refunded"}])  # counted out once
    _assert_same(lx, never)
    after = [_view("B", "b6", NOW - HOUR, litter), _order("C", "c1", "oc1", NOW - HOUR, [catfood, MUG])]
    for store in (lx, never):
        store.ingest(after)
    _assert_same(lx, never)  # and later events build on the same state


def test_recommendations_for_others_lose_what_only_the_deleted_user_linked(lx: Lingxi) -> None:
    """A bought a speaker with a stand; B browsed the speaker. Only A links them: after A is gone, B's list
    no longer brings the stand in (two other users glanced at it long ago, so it is not hidden as rare)."""
    lx.consents.grant("B", Scope.SHOPPING, source="test")
    shop_checks.community(lx, "c", NOW)
    lx.ingest([
        _order("A", "a1", "oa1", NOW - 3 * HOUR, [SPEAKER, STAND]),
        _view("C", "c1", NOW - 20 * DAY, STAND, 1_000), _view("D", "d1", NOW - 20 * DAY, STAND, 1_000),
        _view("B", "b1", NOW - HOUR, SPEAKER),
    ])  # fmt: skip
    speaker, stand = item_id_for("淘宝", SPEAKER[0]), item_id_for("淘宝", STAND[0])
    listed = lx.shopping.recommend("B", k=3, now_ms=NOW).items
    assert speaker in [i.item_id for i in listed]  # B's own unbought interest is a candidate itself
    first = [i for i in listed if i.item_id != speaker]
    assert first[0].item_id == stand
    assert f"因为你最近浏览了 {SPEAKER[2]}{SPEAKER[0]}" in first[0].reasons_zh
    delete_user(lx, "A")
    assert stand not in [i.item_id for i in lx.shopping.recommend("B", k=3, now_ms=NOW).items]
    everything = {i.item_id: i for i in lx.shopping.recommend("B", k=50, now_ms=NOW).items}
    assert everything[stand].reasons_zh == ["近期热门"]  # no longer "因为你最近浏览了 …音箱"
    with lx.db.connect() as conn:
        left = conn.execute("SELECT COUNT(*) FROM shop_pairs WHERE a IN (?, ?)", (speaker, stand)).fetchone()[0]
        (users,) = conn.execute("SELECT users FROM shop_items WHERE item_id = ?", (stand,)).fetchone()
    assert left == 0 and users == 2  # still shown to others by popularity: two users remain


def test_events_from_before_the_contribution_table_keep_their_pairs(lx: Lingxi, tmp_path: Path) -> None:
    """No backfill: pairs an event added before ``shop_contrib`` existed stay; sessions and pop still go."""
    only_b = Lingxi(tmp_path / "only-b")
    for batch in _batches():
        lx.ingest(batch)
        only_b.ingest([e for e in batch if e["user_id"] == "B"])
    with lx.db.transaction() as conn:
        conn.execute("DELETE FROM shop_contrib WHERE user_id = 'A'")  # as if A's events were ingested before it
    delete_user(lx, "A")
    (kept, got_items), (want, want_items) = _snapshot(lx), _snapshot(only_b)
    assert {p[:2] for p in want} < {p[:2] for p in kept}  # A's pairs among shared items stay
    assert {i: v[:2] for i, v in got_items.items()} == {i: v[:2] for i, v in want_items.items()}
