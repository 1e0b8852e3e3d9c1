"""The language-model tier's parser: the model writes the plan as JSON; code validates and executes it.

:class:`PlanFeature` is an ordinary pipeline feature (``assistant.plan``: no consent scope, reads no stored
data — only the question goes to the model) whose turn asks for JSON matching :data:`PLAN_SCHEMA`. The
schema is enforced where the backend can: on llama.cpp it becomes a grammar
(:mod:`lingxi.models.llamacpp` turns ``response_format`` into one), on cloud presets it is sent as
``json_schema`` (or ``json_object`` for vendors that only have that, see ``Quirks.json_schema_mode``).

:func:`plan_from_answer` is the only way a model's output becomes a plan: it must parse as JSON and validate
as a :class:`~lingxi.query.plan.Plan`; the time is resolved by code from the words the model copied out of the
question (a model never computes a date), and when those words do not resolve, from the question itself. Any
failure falls back to the rule parser, and the result says which parser produced the plan.
"""

from __future__ import annotations

import json
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from lingxi.context.consented import EventReader
from lingxi.context.events import Event
from lingxi.models.base import Message, ResponseFormat, Task
from lingxi.pipeline import Turn
from lingxi.privacy.consent import Scope
from lingxi.query import rules
from lingxi.query.plan import Plan
from lingxi.query.synonyms import Synonyms
from lingxi.query.windows import WindowError, parse_window

__all__ = ["PLAN_SCHEMA", "PlanFeature", "Planned", "plan_from_answer"]

Planner = Literal["rules", "llm", "rules-fallback"]


def _schema() -> dict[str, Any]:
    """The plan's JSON schema without ``window`` (code resolves it), every property required (strict)."""
    schema = deepcopy(Plan.model_json_schema())
    schema["properties"].pop("window", None)
    schema["properties"].pop("versus_window", None)
    schema.get("$defs", {}).pop("Window", None)
    for obj in (schema, *schema.get("$defs", {}).values()):
        if obj.get("type") == "object":
            obj["required"] = list(obj["properties"])
            obj["additionalProperties"] = False
    return schema


PLAN_SCHEMA: dict[str, Any] = _schema()

_SYSTEM = (
    "把用户关于自己数据（消费、订单、消息、日程、浏览）的问题翻译成查询计划 JSON，只输出 JSON，不要回答问题。\n"
    "operation: count 次数/笔数, sum 金额合计, average 平均, min/max 最低/最高一笔, first/last 第一次/最近一次, "
    "list 列出, exists 有没有, field 某一项属性, free_busy 是否有空。\n"
    "subject: payment 付款/花钱, order 订单/快递, message 聊天消息, calendar 日程, browse 浏览记录。\n"
    "include/exclude: categories 类别(外卖/打车/咖啡/耳机…), merchants 商家/品牌/平台, counterpart 联系人, app 应用, "
    "text 消息或日程里的词。「不含X」「除了X」的 X 放进 exclude。\n"
    "time: 原样抄写问题里的时间词（如「上周」「10月12日到15日」「国庆」「明天上午十点到十一点」），没有就留空；"
    "不要自己换算日期。what: 用户对所问东西的称呼。direction: out 支出, in 收入。"
    "sent_by_me: 只看用户自己发出的消息时为 true；to_me: 只看别人发给用户的消息时为 true；"
    "pending: 只问还没送到的订单时为 true。"
    "field 只在 operation 为 field/first/last 时填写。"
    "group_by: 「各类/每类」category,「每家店」merchant,「每天」day,"
    "「X和Y各花了多少」each（X、Y 放进 include），否则留空。"
    "versus: 比较两个时间段时（「比上个月多花了多少」）原样抄写另一个时间词，否则留空。"
    "min_fen/max_fen: 金额下限/上限（分，含边界；「超过200元」→ min_fen 20001，"
    "「不到10块」→ max_fen 999），没有为 0。\n"
    '例：「上周打车几次」→ {"operation":"count","subject":"payment","field":"","include":{"categories":["打车"],'
    '"merchants":[],"counterpart":"","app":"","text":[]},"exclude":{"categories":[],"merchants":[],"counterpart":"",'
    '"app":"","text":[]},"direction":"out","sent_by_me":false,"time":"上周","what":"打车","group_by":"",'
    '"versus":"","min_fen":0,"max_fen":0}'
)


@dataclass
class Planned:
    """A plan and who wrote it (``rules-fallback``: the model's plan failed validation; ``error`` says why)."""

    plan: Plan
    planner: Planner
    error: str = ""


@dataclass
class PlanFeature:
    """The planning turn: the question in, JSON matching :data:`PLAN_SCHEMA` out."""

    question: str
    name: str = "assistant.plan"
    scopes: frozenset[Scope] = field(default_factory=frozenset)

    def select_context(self, store: EventReader, turn: Turn) -> list[Event]:
        return []  # the plan is written from the question alone

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        turn.response_format = ResponseFormat(type="json_schema", json_schema=PLAN_SCHEMA, name="query_plan")
        return [Message(role="system", content=_SYSTEM), Message(role="user", content=self.question)], None


def _json_body(text: str) -> Any:
    """The JSON object in a model's answer (a fenced block or text around it is tolerated)."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the answer")
    return json.loads(text[start : end + 1])


def plan_from_answer(
    text: str, question: str, now_ms: int, tz: str, table: Synonyms, previous: Plan | None = None
) -> Planned:
    """The model's plan, validated and with its window resolved by code; else the rule parser's.

    Raises :class:`~lingxi.query.windows.WindowError` only when the rule parser would (the question names a
    time that cannot be resolved).
    """
    try:
        data = _json_body(text)
        if isinstance(data, dict):
            data.pop("window", None)
        plan = Plan.model_validate(data)
        window = parse_window(plan.time, now_ms, tz) if plan.time else None
        window = window or parse_window(question, now_ms, tz)
        versus = parse_window(plan.versus, now_ms, tz) if plan.versus else None
    except (ValueError, ValidationError, WindowError) as exc:
        reason = str(exc).splitlines()[0][:200]
        return Planned(rules.parse(question, now_ms, tz, table, previous), "rules-fallback", reason)
    plan.window = window
    plan.time = window.phrase if window else ""
    plan.versus_window = versus
    plan.versus = versus.phrase if versus else ""
    return Planned(plan, "llm")
