"""App actions the assistant can take, as a typed registry of tools.

An :class:`AppTool` is a name, a pydantic model for its arguments (whose ``model_json_schema()`` is what a
tool-calling model sees), whether it has side effects, and a handler. Apps add their own with
:meth:`ToolRegistry.register` — a plain API on purpose: no plugin framework (pluggy, entry points) is needed
for an in-process list of functions.

Tools with side effects never run when asked: the assistant turns the call into a pending action that the
user must confirm; read-only tools (order search, package tracking) run at once. A side-effect handler
records what it did as an ``app_action`` event in the user's own store, so the action is part of their data.
Arguments from a model are untrusted: :meth:`ToolRegistry.validate` turns bad JSON or bad fields into
:class:`~lingxi.errors.InvalidInput` with a message the model (or the user) can act on.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Set
from copy import deepcopy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, ValidationError

from lingxi import plugins
from lingxi.context.consented import ConsentedEvents, EventReader, readable_types
from lingxi.context.entities import orders as entity_orders
from lingxi.context.events import AppActionEvent
from lingxi.errors import InvalidInput, NotFound
from lingxi.ids import uuid7
from lingxi.models.base import Tool
from lingxi.privacy.consent import Scope
from lingxi.query.answer import Facts, local
from lingxi.query.exec_entities import SETTLED, STATUS_ZH, eta_zh, orders_answer
from lingxi.query.execute import TYPES, Context, matches
from lingxi.query.plan import Filters, Plan
from lingxi.query.synonyms import Synonyms

if TYPE_CHECKING:
    from lingxi.features.host import ToolHost


@dataclass(frozen=True)
class ToolContext:
    """Who a tool acts for, and when."""

    lx: ToolHost
    user_id: str
    now_ms: int

    @property
    def events(self) -> EventReader:
        """The user's events as their consents let tools read them (see :mod:`lingxi.context.consented`)."""
        return ConsentedEvents(self.lx.events, readable_types(self.lx.consents.granted(self.user_id)))


Handler = Callable[[ToolContext, Any], Facts]


@dataclass(frozen=True)
class AppTool:
    """One app action. ``summary_zh`` renders validated args as the confirmation question's subject."""

    name: str
    description: str
    args: type[BaseModel]
    handler: Handler
    side_effects: bool
    app: str
    summary_zh: Callable[[Any], str]
    scopes: frozenset[Scope] = field(default_factory=frozenset)

    def schema(self) -> Tool:
        """The tool as a model sees it (OpenAI function with a JSON schema)."""
        return Tool(name=self.name, description=self.description, parameters=deepcopy(_json_schema(self.args)))


@functools.cache
def _json_schema(args: type[BaseModel]) -> dict[str, Any]:
    """An argument model's JSON schema, built once: pydantic takes ~2 ms per model, and every assistant turn
    offers every tool (it was a third of a lite-tier answer's time)."""
    return args.model_json_schema()


class ToolRegistry:
    """The tools the assistant may use; apps extend it with :meth:`register`."""

    def __init__(self) -> None:
        self._tools: dict[str, AppTool] = {}

    def register(self, tool: AppTool) -> None:
        if tool.name in self._tools:
            raise InvalidInput(f"tool {tool.name!r} is already registered", message_zh=f"工具 {tool.name} 已注册")
        self._tools[tool.name] = tool

    def get(self, name: str) -> AppTool:
        if name not in self._tools:
            raise NotFound(f"no tool named {name!r}", message_zh=f"没有名为 {name} 的工具", hint="see the tools list")
        return self._tools[name]

    def all(self) -> list[AppTool]:
        return list(self._tools.values())

    def schemas(self, granted: Set[Scope] | None = None) -> list[Tool]:
        """The tools as a model sees them; with ``granted``, only those whose scopes it covers."""
        return [t.schema() for t in self._tools.values() if granted is None or t.scopes <= granted]

    def validate(self, name: str, arguments: str | dict[str, Any]) -> BaseModel:
        """Parse and check a call's arguments (JSON text or a dict) against the tool's pydantic model."""
        tool = self.get(name)
        try:
            data = json.loads(arguments) if isinstance(arguments, str) else arguments
            return tool.args.model_validate(data)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                f"arguments of {name} are not valid JSON: {exc.msg}", message_zh=f"工具 {name} 的参数不是合法 JSON"
            ) from exc
        except ValidationError as exc:
            e = exc.errors()[0]
            where = ".".join(str(p) for p in e["loc"]) or "(arguments)"
            raise InvalidInput(
                f"argument '{where}' of {name}: {e['msg']}",
                message_zh=f"工具 {name} 的参数 {where} 无效：{e['msg']}",
                hint=f"arguments must match the schema of {name}",
            ) from exc


# -- built-in tools -----------------------------------------------------------------------------------------
class CalendarArgs(BaseModel):
    title: str = Field(min_length=1, max_length=200, description="日程标题")
    start_ms: int = Field(ge=946_684_800_000, description="开始时间，UTC 毫秒")
    end_ms: int = Field(ge=946_684_800_000, description="结束时间，UTC 毫秒")
    location: str = Field(default="", max_length=200)


class ReminderArgs(BaseModel):
    text: str = Field(min_length=1, max_length=200, description="提醒内容")
    at_ms: int = Field(ge=946_684_800_000, description="提醒时间，UTC 毫秒")


class OrderSearchArgs(BaseModel):
    keywords: list[str] = Field(default_factory=list, description="商品关键词")
    platform: str = Field(default="", description="平台，如 京东、淘宝")


class TrackArgs(BaseModel):
    order_id: str = Field(default="", description="订单号；为空时按关键词找最近的订单")
    keywords: list[str] = Field(default_factory=list)


class DraftArgs(BaseModel):
    to: str = Field(min_length=1, max_length=64, description="收件人")
    text: str = Field(min_length=1, max_length=2000, description="消息内容")


class CartArgs(BaseModel):
    item: str = Field(min_length=1, max_length=200, description="商品名")
    quantity: int = Field(default=1, ge=1, le=99)
    platform: str = Field(default="淘宝")


def record_action(ctx: ToolContext, tool: AppTool, args: BaseModel, target: str) -> Facts:
    """Write what a side-effect tool did into the user's store, and cite that event."""
    event = AppActionEvent(
        event_id=f"act-{uuid7()}",
        user_id=ctx.user_id,
        ts=ctx.now_ms,
        source_app="灵犀助手",
        app=tool.app,
        action=tool.name,
        target=target,
        params=args.model_dump(mode="json"),
    )
    ctx.lx.ingest([event])
    facts = Facts()
    facts.add(f"已完成：{tool.summary_zh(args)}。", [event])
    return facts


def _side_effect(name: str) -> Handler:
    def run(ctx: ToolContext, args: BaseModel) -> Facts:
        tool = ctx.lx.assistant.tools.get(name)
        return record_action(ctx, tool, args, tool.summary_zh(args))

    return run


def _order_plan(keywords: list[str], platform: str = "") -> Plan:
    merchants = [platform] if platform else []
    return Plan(operation="list", subject="order", include=Filters(categories=keywords, merchants=merchants))


def _order_facts(ctx: ToolContext, plan: Plan) -> Facts:
    """Orders as they now stand (:mod:`lingxi.context.entities`), through the query executor."""
    pool = ctx.events.query(ctx.user_id, types=list(TYPES["order"]), limit=50_000)
    table = Synonyms.load(ctx.lx.settings.home)
    return orders_answer(plan, Context(pool, ctx.now_ms, ctx.lx.settings.timezone, table))


def _search_orders(ctx: ToolContext, args: OrderSearchArgs) -> Facts:
    return _order_facts(ctx, _order_plan(args.keywords, args.platform))


def _track(ctx: ToolContext, args: TrackArgs) -> Facts:
    pool = ctx.events.query(ctx.user_id, types=list(TYPES["order"]), limit=50_000)
    states = entity_orders(pool, ctx.now_ms)
    table = Synonyms.load(ctx.lx.settings.home)
    plan = _order_plan(args.keywords)
    found = [
        o
        for o in sorted(states, key=lambda o: o.updated_ts, reverse=True)  # the one that moved last
        if (not args.order_id or o.order_id == args.order_id)
        and matches(" ".join(f"{i.brand}{i.name} {i.category}" for i in o.items), plan.include, Filters(), table)
    ]
    facts = Facts()
    if not found:
        facts.lines.append("没有找到这个订单的物流信息。")
        return facts
    o = found[0]
    where = f"{o.carrier} 运单 {o.tracking_no}" if o.carrier else "尚未发货"
    eta = eta_zh(o, ctx.lx.settings.timezone) if o.status not in SETTLED else ""
    facts.add(
        f"- 订单 {o.order_id} 物流：{where}（{STATUS_ZH.get(o.status, o.status)}）"
        + (f"，{eta}" if eta else "")
        + "。",
        [e for e in pool if e.event_id == o.versions[-1]],
    )
    return facts


def builtin_tools(tz: str) -> list[AppTool]:
    return [
        AppTool(
            "create_calendar_event", "在用户日历中创建日程", CalendarArgs, _side_effect("create_calendar_event"),
            True, "日历", lambda a: f"创建日程：「{a.title}」，{local(a.start_ms, tz)}–{local(a.end_ms, tz, '%H:%M')}",
            frozenset({Scope.CALENDAR}),
        ),
        AppTool(
            "set_reminder", "设置提醒", ReminderArgs, _side_effect("set_reminder"), True, "提醒事项",
            lambda a: f"设置提醒：{local(a.at_ms, tz)}「{a.text}」",
        ),
        AppTool(
            "search_orders", "查找用户的订单及状态", OrderSearchArgs, _search_orders, False, "购物",
            lambda a: f"查找订单 {' '.join(a.keywords)}", frozenset({Scope.SHOPPING}),
        ),
        AppTool(
            "track_package", "查询订单物流", TrackArgs, _track, False, "购物",
            lambda a: f"查询物流 {a.order_id or ' '.join(a.keywords)}", frozenset({Scope.SHOPPING}),
        ),
        AppTool(
            "draft_message", "起草一条消息（发送前需用户确认）", DraftArgs, _side_effect("draft_message"), True,
            "微信", lambda a: f"起草给{a.to}的消息：「{a.text}」", frozenset({Scope.MESSAGES}),
        ),
        AppTool(
            "add_to_cart", "把商品加入购物车", CartArgs, _side_effect("add_to_cart"), True, "购物",
            lambda a: f"把「{a.item}」×{a.quantity} 加入{a.platform}购物车", frozenset({Scope.SHOPPING}),
        ),
    ]  # fmt: skip


def default_registry(tz: str) -> ToolRegistry:
    """The built-in tools plus those installed plug-ins register (``register_tools``)."""
    registry = ToolRegistry()
    for tool in builtin_tools(tz):
        registry.register(tool)
    for tool in plugins.collect("register_tools"):
        if not isinstance(tool, AppTool):
            raise InvalidInput(
                f"a plug-in registered {type(tool).__name__} as a tool; tools are AppTool",
                message_zh=f"插件注册的工具 {type(tool).__name__} 不是 AppTool",
            )
        registry.register(tool)
    return registry
