"""Quality checks for shopping recommendations (classical ranker: every check runs on the lite tier).

What must hold: a browse event changes the next list and is cited; every "because you …" reason names an
item from the user's own events; another user's one-off purchase never surfaces for someone else; the top
five span at least two categories.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.evals.checks import CheckResult, QualityCheck
from lingxi.privacy.consent import Scope

if TYPE_CHECKING:
    from lingxi.facade import Lingxi

_HOUR = 3_600_000
# a small community with planted co-purchases: each pair is bought together by several users
PAIRS = [
    (("无谷全价成猫粮 1.8kg", "宠物", "渴望", 32900), ("豆腐猫砂 6L×4包", "宠物", "洁客", 8900)),
    (("FreeBuds Pro 3 降噪耳机", "数码", "华为", 119900), ("耳机收纳包 硬壳", "数码", "绿联", 3990)),
    (("连帽羽绒服 加厚", "服装", "波司登", 89900), ("羊绒围巾 灰色", "服装", "鄂尔多斯", 59900)),
    (("意式浓缩咖啡豆 454g", "咖啡", "星巴克", 9800), ("手摇磨豆机", "咖啡", "泰摩", 19900)),
]


def _item(name: str, category: str, brand: str, price: int) -> dict[str, Any]:
    return {"name": name, "category": category, "brand": brand, "price_fen": price}


def community(lx: Lingxi, prefix: str, now_ms: int, users: int = 4) -> None:
    """``users`` other users per planted pair, each buying the pair in one order, in the last week."""
    events = []
    for p, (a, b) in enumerate(PAIRS):
        for u in range(users):
            ts = now_ms - (p * users + u + 2) * _HOUR
            events.append({
                "type": "order", "event_id": f"{prefix}-o{p}-{u}", "user_id": f"{prefix}-u{p}-{u}", "ts": ts,
                "source_app": "淘宝", "order_id": f"{prefix}-{p}-{u}", "platform": "淘宝",
                "items": [_item(*a), _item(*b)], "total_fen": a[3] + b[3], "status": "paid",
            })  # fmt: skip
    lx.ingest(events)


def browse(user: str, event_id: str, ts: int, name: str, category: str, brand: str, price: int) -> dict[str, Any]:
    return {
        "type": "browse", "event_id": event_id, "user_id": user, "ts": ts, "source_app": "淘宝",
        "item_id": f"tb-{name}", "item_name": name,
        "category": category, "brand": brand, "price_fen": price, "platform": "淘宝", "dwell_ms": 30_000,
    }  # fmt: skip


async def _browse_changes(lx: Lingxi, model: str | None) -> CheckResult:
    del model
    user, now = "eval-shop-rt", SAMPLE_NOW_MS
    # fictional users: cloud models are compared on their data too
    lx.consents.grant(user, Scope.SHOPPING, Scope.CLOUD_PROCESSING, source="eval")
    community(lx, "eval-rt", now)
    lx.ingest([{**browse(user, "rt-1", now - 2 * _HOUR, *PAIRS[3][0]), "item_id": "x-coffee"}])
    before = await lx.shopping.arecommend(user, k=5, now_ms=now)
    cat = PAIRS[0][0]
    lx.ingest([{**browse(user, "rt-2", now - 60_000, *cat), "item_id": "x-catfood"}])
    after = await lx.shopping.arecommend(user, k=5, now_ms=now)
    top = after.items[0] if after.items else None
    changed = [i.item_id for i in before.items] != [i.item_id for i in after.items]
    cited = top is not None and any(cat[0][:8] in r for r in top.reasons_zh)
    detail = f"before={[i.name for i in before.items]} after={[(i.name, i.reasons_zh) for i in after.items[:2]]}"
    return CheckResult(passed=changed and cited and top is not None and top.category == "宠物", detail=detail)


async def _reasons_cite_own(lx: Lingxi, model: str | None) -> CheckResult:
    del model
    recs = await lx.shopping.arecommend(SAMPLE_USER_ID, k=10, now_ms=SAMPLE_NOW_MS)
    own = " ".join(e.search_text() for e in lx.events.query(SAMPLE_USER_ID, types=("browse", "order"), limit=2000))
    bad = []
    for item in recs.items:
        for r in item.reasons_zh:
            for lead in ("因为你最近浏览了 ", "常与 你买过的 "):
                if r.startswith(lead):
                    cited = r.removeprefix(lead).removesuffix(" 一起购买").rstrip("…")
                    if not cited or (cited[:6] not in own and cited[-6:] not in own):
                        bad.append(r)
    return CheckResult(passed=bool(recs.items) and not bad, detail=f"uncited: {bad}" if bad else "")


async def _no_other_users_items(lx: Lingxi, model: str | None) -> CheckResult:
    del model
    now = SAMPLE_NOW_MS
    community(lx, "eval-priv", now)
    secret = ("刻字定制保温杯 张三专属", "日用", "", 12800)
    lx.ingest([
        {"type": "order", "event_id": "priv-o", "user_id": "eval-priv-other", "ts": now - _HOUR, "source_app": "淘宝",
         "order_id": "priv-1", "platform": "淘宝", "items": [_item(*secret), _item(*PAIRS[0][0])],
         "total_fen": 12800 + 32900, "status": "paid"},
    ])  # fmt: skip
    user = "eval-priv-me"
    # fictional users: cloud models are compared on their data too
    lx.consents.grant(user, Scope.SHOPPING, Scope.CLOUD_PROCESSING, source="eval")
    lx.ingest([{**browse(user, "priv-b", now - 60_000, *PAIRS[0][0]), "item_id": "p-cat"}])
    recs = await lx.shopping.arecommend(user, k=20, now_ms=now)
    text = " ".join(f"{i.name} {' '.join(i.reasons_zh)}" for i in recs.items)
    return CheckResult(passed=bool(recs.items) and "张三" not in text, detail=text[:300])


async def _diverse_top5(lx: Lingxi, model: str | None) -> CheckResult:
    del model
    recs = await lx.shopping.arecommend(SAMPLE_USER_ID, k=5, now_ms=SAMPLE_NOW_MS)
    cats = {i.category for i in recs.items if i.category}
    return CheckResult(
        passed=len(cats) >= 2, detail=f"categories in top 5: {sorted(cats)}", score=min(len(cats), 3) / 3
    )


CHECKS: list[QualityCheck] = [
    QualityCheck("shopping.realtime.browse_changes_recs", "shopping", _browse_changes),
    QualityCheck("shopping.reasons.cite_own_events", "shopping", _reasons_cite_own),
    QualityCheck("shopping.privacy.no_other_users_items", "shopping", _no_other_users_items),
    QualityCheck("shopping.diversity.top5_two_categories", "shopping", _diverse_top5),
]
