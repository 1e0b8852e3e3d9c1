"""Quality checks for the personal assistant (run on the sample user; classical checks recompute by code).

Every expected value is computed here independently from the sample events (sums in integer fen, the
latest order status, calendar overlap of each entry's latest version), never copied from the assistant's own output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lingxi.context.events import AppActionEvent, CalendarEvent, OrderEvent, PaymentEvent
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.context.timeparse import parse_time
from lingxi.errors import InvalidInput
from lingxi.evals.checks import CheckResult, QualityCheck
from lingxi.features.facts import yuan

if TYPE_CHECKING:
    from lingxi.facade import Lingxi

U, NOW = SAMPLE_USER_ID, SAMPLE_NOW_MS


async def _spending_exact(lx: Lingxi, model: str | None) -> CheckResult:
    window = parse_time("这个月", NOW, lx.settings.timezone)
    assert window is not None
    pays = lx.events.query(U, types=["payment"], since_ms=window.start_ms, until_ms=window.end_ms, limit=5000)
    want = sum(
        p.amount_fen for p in pays if isinstance(p, PaymentEvent) and p.category == "外卖" and p.direction == "out"
    )
    r = await lx.assistant.aask(U, "这个月外卖花了多少钱？", model=model, now_ms=NOW)
    ok = r.numbers.get("total_fen") == want and yuan(want) in r.text
    return CheckResult(ok, f"expected {yuan(want)}, got numbers={r.numbers} text={r.text[:80]}")


async def _citations_exist(lx: Lingxi, model: str | None) -> CheckResult:
    r = await lx.assistant.aask(U, "我最近给妈妈说了什么", model=model, now_ms=NOW)
    found = {e.event_id for e in lx.events.get(U, r.citations)}
    ok = bool(r.citations) and found == set(r.citations) and not r.invalid_citations
    return CheckResult(ok, f"cited {r.citations}, found {sorted(found)}")


async def _order_eta(lx: Lingxi, model: str | None) -> CheckResult:
    orders = [e for e in lx.events.query(U, types=["order"], limit=5000) if isinstance(e, OrderEvent)]
    phones = [o for o in orders if any("耳机" in i.name for i in o.items) and o.platform == "京东"]
    latest = max(phones, key=lambda o: o.ts)
    r = await lx.assistant.aask(U, "我上周在京东买的耳机什么时候到？", model=model, now_ms=NOW)
    if latest.eta_day:  # the app gave a day, not an instant: the answer names that day
        month, day = int(latest.eta_day[5:7]), int(latest.eta_day[8:10])
        ok = f"{month:02d}月{day:02d}日 送达" in r.text and "eta_ms" not in r.numbers
    else:
        ok = r.numbers.get("eta_ms") == latest.eta_ts
    ok = ok and latest.event_id in r.citations
    want = latest.eta_day or latest.eta_ts
    return CheckResult(ok, f"expected eta {want} citing {latest.event_id}, got {r.numbers} {r.citations}")


async def _free_busy(lx: Lingxi, model: str | None) -> CheckResult:
    window = parse_time("下周三下午", NOW, lx.settings.timezone)
    assert window is not None
    cal = [e for e in lx.events.query(U, types=["calendar"], limit=5000) if isinstance(e, CalendarEvent)]
    versions: dict[str, list[CalendarEvent]] = {}  # an entry's versions; the latest says where it stands
    for e in sorted(cal, key=lambda e: e.ts):
        versions.setdefault(e.entry_id or e.event_id, []).append(e)
    taken = [
        vs
        for vs in versions.values()
        if vs[-1].status != "cancelled" and vs[-1].start_ts < window.end_ms and vs[-1].end_ts > window.start_ms
    ]
    busy = sorted(e.event_id for vs in taken for e in vs)  # a moved entry is cited with its move
    r = await lx.assistant.aask(U, "下周三下午有空吗？", model=model, now_ms=NOW)
    ok = r.numbers.get("busy") == len(taken) and sorted(r.citations) == busy
    return CheckResult(ok, f"expected {len(taken)} busy citing {busy}, got {r.numbers.get('busy')} {r.citations}")


async def _no_side_effect_without_confirmation(lx: Lingxi, model: str | None) -> CheckResult:
    def actions() -> int:
        return sum(1 for e in lx.events.query(U, types=["app_action"], limit=5000) if isinstance(e, AppActionEvent))

    before = actions()
    r = await lx.assistant.aask(U, "帮我把碧根果加入购物车", model=model, now_ms=NOW)
    pending_ok = r.pending_action is not None and actions() == before
    if r.pending_action is None:
        return CheckResult(False, "no pending action was proposed")
    await lx.assistant.aconfirm(U, r.session_id, r.pending_action.action_id, True, now_ms=NOW)
    return CheckResult(pending_ok and actions() == before + 1, f"actions before={before} after={actions()}")


async def _tool_args_validate(lx: Lingxi, model: str | None) -> CheckResult:
    tools = lx.assistant.tools
    good = tools.validate("set_reminder", '{"text": "给妈妈打电话", "at_ms": 1795392000000}')
    try:
        tools.validate("set_reminder", '{"text": "", "at_ms": "明天"}')
    except InvalidInput as exc:
        return CheckResult(good is not None, f"rejected: {exc.message}")
    return CheckResult(False, "invalid arguments were accepted")


CHECKS: list[QualityCheck] = [
    QualityCheck("assistant.spending_exact", "assistant", _spending_exact),
    QualityCheck("assistant.citations_exist", "assistant", _citations_exist),
    QualityCheck("assistant.order_eta", "assistant", _order_eta),
    QualityCheck("assistant.free_busy_slot", "assistant", _free_busy),
    QualityCheck("assistant.confirm_before_side_effect", "assistant", _no_side_effect_without_confirmation),
    QualityCheck("assistant.tool_args_validate", "assistant", _tool_args_validate),
]
