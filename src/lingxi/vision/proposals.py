"""What a picture proposes to the user's data, as pending actions they confirm (never done silently).

An invitation proposes the assistant's ``create_calendar_event``; a receipt or bill proposes
``record_payment``; a parcel notice proposes ``update_parcel`` for the order with the same tracking number
(read only with the ``shopping`` consent). Each proposal is stored as a
:class:`~lingxi.features.sessions.PendingAction` in an assistant session, so the assistant's confirm runs
it, with the tool's own consent check at that moment.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from lingxi.context.consented import ConsentedEvents, readable_types
from lingxi.context.entities import orders as order_states
from lingxi.features.sessions import PendingAction
from lingxi.ids import uuid7
from lingxi.vision.extract import Extracted
from lingxi.vision.tools import order_events

if TYPE_CHECKING:
    from lingxi.features.host import ToolHost

#: an invitation that names no end time is proposed as one hour long (said in the proposal's note)
DEFAULT_HOURS = 1


class Proposal(BaseModel):
    """One pending action from a picture: confirm with the assistant's confirm (session_id, action_id)."""

    action_id: str
    tool: str
    args: dict[str, object]
    summary_zh: str
    note_zh: str = ""


class Proposals(BaseModel):
    session_id: str | None = None
    items: list[Proposal] = []
    notes_zh: list[str] = []


def _ms(day: str, hhmm: str, tz: str) -> int:
    h, m = (int(x) for x in hhmm.split(":"))
    d = date.fromisoformat(day)
    return int(datetime(d.year, d.month, d.day, h, m, tzinfo=ZoneInfo(tz)).timestamp() * 1000)


def _calendar(ex: Extracted, tz: str) -> tuple[str, dict[str, object], str] | str:
    if not ex.date:
        return "图片中没有识别到日期，无法建议日程。"
    note = ""
    if ex.time:
        start = _ms(ex.date, ex.time, tz)
        if ex.end_time:
            end = _ms(ex.date, ex.end_time, tz)
        else:
            end, note = start + DEFAULT_HOURS * 3_600_000, f"未写结束时间，按 {DEFAULT_HOURS} 小时计。"
    else:
        start, note = _ms(ex.date, "00:00", tz), "未写具体时间，按全天计。"
        end = start + 86_400_000
    args = {"title": (ex.title or "活动")[:200], "start_ms": start, "end_ms": end, "location": (ex.place or "")[:200]}
    return "create_calendar_event", args, note


def _payment(ex: Extracted, tz: str, now_ms: int) -> tuple[str, dict[str, object], str] | str:
    if ex.amount_fen is None:
        return "图片中没有识别到金额，无法建议记账。"
    when, note = now_ms, ""
    if ex.date:
        when = _ms(ex.date, ex.time or "12:00", tz)
        if when > now_ms:  # a receipt's date is in the past; a future one is a misread year
            when, note = now_ms, "小票日期晚于今天，按当前时间记。"
    else:
        note = "小票上没有日期，按当前时间记。"
    args = {"amount_fen": ex.amount_fen, "merchant": (ex.merchant or "未知商户")[:200], "channel": ex.channel or ""}
    return "record_payment", {**args, "ts_ms": when}, note


def _parcel(lx: ToolHost, user_id: str, ex: Extracted) -> tuple[str, dict[str, object], str] | str:
    if not ex.tracking_no:
        return "图片中没有识别到运单号，无法对应到订单。"
    view = ConsentedEvents(lx.events, readable_types(lx.consents.granted(user_id)))
    orders = [o for o in order_states(order_events(view, user_id)) if o.tracking_no == ex.tracking_no]
    if not orders:
        return f"没有找到运单号为 {ex.tracking_no} 的订单（或未授权读取购物数据）。"
    status = {"awaiting_pickup": "out_for_delivery"}.get(ex.parcel_status or "", ex.parcel_status or "in_transit")
    note = f"取件码 {ex.pickup_code}。" if ex.pickup_code else ""
    eta = ex.date if status in ("in_transit", "out_for_delivery") else None
    args = {
        "order_id": orders[0].order_id,
        "status": status,
        "tracking_no": ex.tracking_no,
        "carrier": ex.carrier or "",
    }
    return "update_parcel", {**args, "eta_day": eta}, note


def propose(lx: ToolHost, user_id: str, ex: Extracted, *, now_ms: int, session_id: str | None = None) -> Proposals:
    """The pending actions ``ex`` suggests, saved in the user's assistant session (a new one when None)."""
    tz = lx.settings.timezone
    made: tuple[str, dict[str, object], str] | str | None = None
    if ex.kind == "invitation":
        made = _calendar(ex, tz)
    elif ex.kind == "receipt":
        made = _payment(ex, tz, now_ms)
    elif ex.kind == "parcel":
        made = _parcel(lx, user_id, ex)
    out = Proposals()
    if made is None:
        return out
    if isinstance(made, str):
        out.notes_zh.append(made)
        return out
    tool_name, raw, note = made
    tools = lx.assistant.tools
    args = tools.validate(tool_name, raw)
    action = PendingAction(
        action_id=uuid7(),
        tool=tool_name,
        args=args.model_dump(mode="json"),
        summary_zh=tools.get(tool_name).summary_zh(args),
    )
    session = lx.assistant.sessions.open(user_id, session_id)
    session.state.pending[action.action_id] = action
    lx.assistant.sessions.save(session, [])
    out.session_id = session.session_id
    out.items.append(Proposal(**action.model_dump(exclude={"status"}), note_zh=note))
    return out


def today(now_ms: int, tz: str) -> date:
    return datetime.fromtimestamp(now_ms / 1000, ZoneInfo(tz)).date()


__all__ = ["Proposal", "Proposals", "propose", "today"]
