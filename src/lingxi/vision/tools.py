"""Side-effect tools a picture can propose: record a payment, update a parcel's order. Confirm before run.

They join the assistant's registry (:class:`~lingxi.features.tools.ToolRegistry`), so a proposal from a
picture is an ordinary pending action, approved or cancelled with the assistant's confirm
(``POST /v1/features/assistant/confirm``), and the event written cites what was done. The calendar entry of
an invitation needs no new tool: it is the assistant's own ``create_calendar_event``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from lingxi.context.consented import EventReader
from lingxi.context.events import OrderEvent, PaymentEvent
from lingxi.features.tools import AppTool, ToolContext
from lingxi.ids import uuid7
from lingxi.privacy.consent import Scope
from lingxi.query.answer import Facts

SOURCE_APP = "灵犀识图"


def order_events(events: EventReader, user_id: str) -> list[OrderEvent]:
    """Every order event of the user (one per status change); none without the shopping consent, since
    ``events`` is the consented view."""
    return [e for e in events.query(user_id, types=["order"], limit=5000) if isinstance(e, OrderEvent)]


class PaymentArgs(BaseModel):
    amount_fen: int = Field(ge=0, le=10**11, description="金额（分）")
    merchant: str = Field(min_length=1, max_length=200, description="商户")
    channel: str = Field(default="", max_length=64, description="支付方式，如 微信支付、支付宝")
    ts_ms: int = Field(ge=946_684_800_000, description="支付时间，UTC 毫秒")


class ParcelArgs(BaseModel):
    order_id: str = Field(min_length=1, max_length=128, description="订单号")
    status: Literal["in_transit", "out_for_delivery", "delivered"]
    tracking_no: str = Field(default="", max_length=64)
    carrier: str = Field(default="", max_length=64)
    eta_day: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")


def _record_payment(ctx: ToolContext, args: PaymentArgs) -> Facts:
    event = PaymentEvent(
        event_id=f"pay-{uuid7()}",
        user_id=ctx.user_id,
        ts=args.ts_ms,
        source_app=SOURCE_APP,
        amount_fen=args.amount_fen,
        merchant=args.merchant,
        channel=args.channel,
    )
    ctx.lx.ingest([event])
    facts = Facts()
    facts.add(f"已记账：{args.merchant} {args.amount_fen / 100:.2f} 元。", [event])
    return facts


def _update_parcel(ctx: ToolContext, args: ParcelArgs) -> Facts:
    facts = Facts()
    latest = max(
        (o for o in order_events(ctx.events, ctx.user_id) if o.order_id == args.order_id),
        key=lambda o: o.ts,
        default=None,
    )
    if latest is None:
        facts.lines.append(f"没有找到订单 {args.order_id}，未更新。")
        return facts
    update: dict[str, object] = {
        "event_id": f"ord-{uuid7()}",
        "ts": max(ctx.now_ms, latest.ts + 1),
        "source_app": SOURCE_APP,
        "status": args.status,
        "tracking_no": args.tracking_no or latest.tracking_no,
        "carrier": args.carrier or latest.carrier,
    }
    update["eta_day"] = args.eta_day
    event = OrderEvent.model_validate({**latest.model_dump(), **update})
    ctx.lx.ingest([event])
    facts.add(f"已更新订单 {args.order_id} 的物流状态。", [event])
    return facts


STATUS_ZH = {"in_transit": "运输中", "out_for_delivery": "派送中/待取件", "delivered": "已签收"}


def vision_tools() -> list[AppTool]:
    return [
        AppTool(
            "record_payment", "记录一笔支付（来自小票或账单，需用户确认）", PaymentArgs, _record_payment, True,
            "账本", lambda a: f"记账：{a.merchant} {a.amount_fen / 100:.2f} 元", frozenset({Scope.PAYMENTS}),
        ),
        AppTool(
            "update_parcel", "更新订单的物流状态（来自快递通知，需用户确认）", ParcelArgs, _update_parcel, True,
            "购物", lambda a: f"把订单 {a.order_id} 标记为{STATUS_ZH[a.status]}", frozenset({Scope.SHOPPING}),
        ),
    ]  # fmt: skip
