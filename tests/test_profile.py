"""The incremental, explainable profile, on the sample user's week and on hand-made events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lingxi import Lingxi
from lingxi.context.events import parse_event
from lingxi.context.profile import Profile
from lingxi.context.profile_models import UserProfile
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID

DAY = 86_400_000


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Lingxi, Profile, UserProfile]:
    lx = Lingxi(tmp_path_factory.mktemp("profile") / "home")
    profile = lx.profile  # wired into the store's ingest hooks by the facade
    lx.load_sample()
    return lx, profile, profile.get(SAMPLE_USER_ID, now_ms=SAMPLE_NOW_MS)


@pytest.fixture
def fresh(tmp_path: Path) -> tuple[Lingxi, Profile]:
    lx = Lingxi(tmp_path / "home")
    profile = lx.profile  # wired into the store's ingest hooks by the facade
    return lx, profile


def order(eid: str, ts: int, *, brand: str, category: str, price: int, status: str = "paid", **kw: Any) -> Any:
    item = {"name": kw.pop("name", "商品"), "brand": brand, "category": category, "price_fen": price}
    return parse_event(
        {
            "type": "order",
            "event_id": eid,
            "user_id": kw.pop("user", "u1"),
            "ts": ts,
            "source_app": "京东",
            "order_id": kw.pop("order_id", eid),
            "platform": "京东",
            "items": [item],
            "total_fen": price,
            "status": status,
        }
    )


def test_sample_interests_and_price_bands(sample: tuple[Lingxi, Profile, UserProfile]) -> None:
    lx, _, p = sample
    assert p.events == 426 and p.categories and p.brands
    assert p.categories[0].name in {"宠物", "零食"}  # the two orders with two items each, paid
    assert {"索尼", "三只松鼠", "优衣库"} <= {b.name for b in p.brands}
    sony = next(b for b in p.brands if b.name == "索尼")
    assert "京东" in sony.explanation_zh and "索尼" in sony.explanation_zh and "买了" in sony.explanation_zh
    # evidence ids are real events of this user, and they name the headphones
    evidence = lx.events.get(SAMPLE_USER_ID, sony.event_ids)
    assert len(evidence) == len(sony.event_ids) >= 1
    assert any("WH-1000XM5" in e.search_text() for e in evidence)
    digital = next(b for b in p.price_bands if b.category == "数码")
    assert digital.median_fen == 229_900 and "¥2299" in digital.explanation_zh
    assert "暖手宝" not in str(p.model_dump())  # the cancelled order left no trace


def test_sample_contacts_hours_and_spending(sample: tuple[Lingxi, Profile, UserProfile]) -> None:
    _, _, p = sample
    incoming = [c.name for c in p.contacts_incoming[:5]]
    assert {"陈昊", "妈妈", "张伟"} <= set(incoming)
    assert "陈昊" in [c.name for c in p.contacts_outgoing[:3]]
    assert "陈昊" in p.contacts_incoming[0].explanation_zh
    assert sum(p.active_hours) > 50 and sum(p.active_hours[0:6]) == 0  # nobody ordered at 3 a.m. here
    assert all(7 <= h.hour <= 22 for h in p.peak_hours) and "活跃" in p.peak_hours[0].explanation_zh
    takeout = next(s for s in p.spend_categories if s.name == "外卖")
    assert "点外卖" in takeout.explanation_zh and f"{takeout.peak_hour:02d}:00" in takeout.explanation_zh
    assert p.merchants[0].name == "杭州地铁"
    blind = p.without_payments()
    assert blind.merchants == [] and blind.spend_categories == [] and blind.brands == p.brands
    assert UserProfile.model_validate_json(p.model_dump_json()) == p  # JSON round trip


def test_one_new_order_changes_interests_immediately(fresh: tuple[Lingxi, Profile]) -> None:
    lx, profile = fresh
    now = 1_790_000_000_000
    lx.ingest([order("o1", now - 40 * DAY, brand="优衣库", category="服装", price=19_900)])
    assert profile.get("u1", now_ms=now).brands[0].name == "优衣库"
    lx.ingest([order("o2", now, brand="索尼", category="数码", price=229_900, name="降噪耳机")])
    top = profile.get("u1", now_ms=now).brands[0]  # the older purchase has decayed below the new one
    assert top.name == "索尼" and top.event_ids == ["o2"]
    assert top.explanation_zh.startswith("因为你最近在京东买了索尼降噪耳机")
    # a status update of the same order is not a second purchase; a refund takes it back out
    lx.ingest(
        [order("o2-shipped", now + 1, brand="索尼", category="数码", price=229_900, order_id="o2", status="shipped")]
    )
    assert profile.get("u1", now_ms=now).brands[0].count == 1
    pay = {"type": "payment", "event_id": "p2", "user_id": "u1", "ts": now + 1, "source_app": "微信支付"}
    lx.ingest([{**pay, "amount_fen": 229_900, "merchant": "京东商城", "order_id": "o2", "category": "购物"}])
    assert profile.get("u1", now_ms=now).brands[0].event_ids == ["p2", "o2"]  # the payment confirms it
    lx.ingest(
        [order("o2-refund", now + 2, brand="索尼", category="数码", price=229_900, order_id="o2", status="refunded")]
    )
    p = profile.get("u1", now_ms=now)
    assert [b.name for b in p.brands] == ["优衣库"] and [b.category for b in p.price_bands] == ["服装"]


def test_browse_and_search_and_other_users(fresh: tuple[Lingxi, Profile]) -> None:
    lx, profile = fresh
    base = {"user_id": "u1", "source_app": "淘宝", "ts": 1_790_000_000_000}
    lx.ingest(
        [
            {**base, "type": "browse", "event_id": "b1", "item_id": "i1", "item_name": "跑鞋", "category": "运动",
             "brand": "李宁", "price_fen": 39_900, "platform": "淘宝", "dwell_ms": 45_000},
            {**base, "type": "search", "event_id": "s1", "query": "李宁跑鞋 男", "platform": "淘宝"},
            {**base, "type": "app_action", "event_id": "a1", "app": "Keep", "action": "start_run"},
            {**base, "user_id": "u2", "type": "search", "event_id": "s2", "query": "猫粮", "platform": "淘宝"},
        ]
    )  # fmt: skip
    brand = profile.get("u1").brands[0]
    assert brand.name == "李宁" and brand.count == 2 and brand.event_ids == ["s1", "b1"]
    assert "搜索过“李宁跑鞋 男”" in brand.explanation_zh
    assert sum(profile.get("u1").active_hours) == 3 and profile.get("u2").brands == []


def test_cart_and_favorite_are_interests(fresh: tuple[Lingxi, Profile]) -> None:
    lx, profile = fresh
    base = {"user_id": "u1", "source_app": "淘宝", "ts": 1_790_000_000_000, "platform": "淘宝"}
    lx.ingest(
        [
            {**base, "type": "cart", "event_id": "c1", "item_id": "i1", "item_name": "冲锋衣", "category": "户外",
             "brand": "凯乐石"},
            {**base, "type": "favorite", "event_id": "f1", "item_id": "i2", "item_name": "登山鞋", "category": "户外",
             "brand": "萨洛蒙"},
            {**base, "type": "cart", "event_id": "c2", "item_id": "i3", "item_name": "猫砂", "category": "宠物",
             "action": "remove"},
        ]
    )  # fmt: skip
    p = profile.get("u1")
    assert [c.name for c in p.categories] == ["户外"] and sorted(p.categories[0].event_ids) == ["c1", "f1"]
    assert p.brands[0].name == "凯乐石" and "加购了凯乐石冲锋衣" in p.brands[0].explanation_zh  # cart > favourite


def test_sealed_reset_delete_and_rebuild(fresh: tuple[Lingxi, Profile]) -> None:
    lx, profile = fresh
    lx.ingest([order("o1", 1_790_000_000_000, brand="索尼", category="数码", price=99_900, name="降噪耳机")])
    with lx.db.connect() as conn:
        blob = conn.execute("SELECT payload FROM profiles WHERE user_id = 'u1'").fetchone()["payload"]
    assert "索尼".encode() not in blob and "数码".encode() not in blob  # sealed at rest
    profile.reset("u1")
    assert profile.get("u1").events == 0 and lx.events.count("u1") == {"order": 1}
    profile.rebuild(lx.events, "u1")
    assert profile.get("u1").brands[0].name == "索尼"
    lx.events.delete_user("u1")
    with lx.db.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM profiles").fetchone()[0] == 0


def test_the_contact_index_names_whom_the_rendered_profile_names(sample: tuple[Lingxi, Profile, UserProfile]) -> None:
    """The egress boundary's names come from the small sealed index, and they are the profile's own."""
    lx, profile, _ = sample
    rendered = profile.get(SAMPLE_USER_ID, top=50)  # now, not the sample's clock: decay keeps the ranking
    names = sorted({f.name for f in [*rendered.contacts_incoming, *rendered.contacts_outgoing]})
    assert names and profile.contact_names(SAMPLE_USER_ID) == names
    assert profile.contact_names("nobody") == []
    with lx.db.connect() as conn:
        (sealed,) = conn.execute("SELECT contacts FROM profiles WHERE user_id = ?", (SAMPLE_USER_ID,)).fetchone()
    assert all(n.encode() not in sealed for n in names)  # sealed at rest, like the profile itself


def test_a_profile_stored_before_the_index_still_gives_its_contacts(fresh: tuple[Lingxi, Profile]) -> None:
    lx, profile = fresh
    lx.load_sample()
    expected = profile.contact_names(SAMPLE_USER_ID)
    with lx.db.transaction() as conn:
        conn.execute("UPDATE profiles SET contacts = NULL")  # as a row written before the index existed
    assert expected and profile.contact_names(SAMPLE_USER_ID) == expected
