"""The personal assistant: questions over the user's own data, with citations, and app actions.

A question becomes a typed plan (:mod:`lingxi.query`): by the rule parser, or — with ``query_planner`` set —
by a language model in a first turn (``assistant.plan``, JSON constrained by the plan's schema, falling back
to the rules when it does not validate). The :class:`AssistantFeature` carries the plan's consent scopes, so
the ``ConsentGate`` refuses a spending question without the ``payments`` grant while order and calendar
questions still work. Requests to act (「提醒我…」) are mapped by :mod:`lingxi.features.actions`.
Facts are computed by code *inside* ``select_context`` — after the consent gate, never before — and go to a
language model as a numbered fact list it must answer from, and to the lite tier as a ``compose`` task (the
rule-computed answer, labeled as such). Ids a model cites that are not among the facts are dropped from
the text and reported as ``invalid_citations``.

A model that calls tools gets them (``turn.tools``, only those whose scopes the user granted); a read-only
call runs at once, a side-effect call becomes a pending action, bad arguments become an error message for
the model; then a second turn (a :class:`~lingxi.features.followup.FollowUp`, streamed like the first) lets
it answer with the tool results. Without tool calling, the rules map 「提醒我…」-style requests to the same tool
calls and the same confirmation (:meth:`Assistant.aconfirm`).
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from lingxi.context.consented import EventReader
from lingxi.context.events import Event
from lingxi.errors import InvalidInput, LingxiError
from lingxi.features.actions import Action, action
from lingxi.features.followup import FollowUp, complete
from lingxi.features.plan_facts import plan_facts
from lingxi.features.sessions import ChatLine, PendingAction, Session, SessionStore
from lingxi.features.tools import ToolContext, ToolRegistry, default_registry
from lingxi.ids import now_ms as _now_ms
from lingxi.ids import uuid7
from lingxi.models.base import Document, Message, Role, Task, ToolCall
from lingxi.pipeline import Answer, Turn
from lingxi.privacy.consent import Scope
from lingxi.query import rules
from lingxi.query.answer import Facts
from lingxi.query.llm_plan import PlanFeature, Planned, plan_from_answer
from lingxi.query.plan import Plan
from lingxi.query.synonyms import Synonyms
from lingxi.query.windows import WindowError

if TYPE_CHECKING:
    from lingxi.features.host import AssistantHost

MAX_QUESTION_CHARS = 500
_CITATION = re.compile(r"\[([A-Za-z0-9_.:-]{1,128})\]")
_SYSTEM = (
    "你是「灵犀」个人助理。只根据下面「事实」回答用户的问题，不要编造事实之外的信息，也不要自己计算金额或日期，"
    "直接使用事实中的数字。引用某条事实时，在句末保留它方括号里的事件编号，例如 [demo-000248]。"
    "如果事实不足以回答，就如实说明。需要执行操作（建日程、设提醒、加购物车、发消息）时调用相应工具。\n\n事实：\n{facts}"
)


class AssistantReply(BaseModel):
    """What the assistant answered, with the evidence and anything waiting for the user's confirmation."""

    session_id: str
    text: str
    intent: str
    citations: list[str] = Field(default_factory=list)
    invalid_citations: list[str] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)
    numbers: dict[str, int] = Field(default_factory=dict)
    pending_action: PendingAction | None = None
    tool_results: list[str] = Field(default_factory=list)
    answer: dict[str, Any] = Field(default_factory=dict)
    plan: dict[str, Any] | None = Field(default=None, description="the typed query plan the facts come from")
    planner: str = Field(default="", description="rules | llm | rules-fallback (the model's plan was invalid)")


class ConfirmResult(BaseModel):
    session_id: str
    action_id: str
    status: str
    text: str
    citations: list[str] = Field(default_factory=list)


@dataclass
class AssistantFeature:
    """One assistant turn: the typed query decides the scopes; facts are computed after the consent gate."""

    lx: AssistantHost
    question: str
    plan: Plan | None = None  # a question over the user's data
    action: Action | None = None  # a request to do something
    planner: str = "rules"
    history: list[ChatLine] = field(default_factory=list)
    preset: Facts | None = None  # facts known without reading stored data (an action's confirmation)
    followup: list[Message] = field(default_factory=list)  # the tool-call exchange, for the second turn
    facts: Facts | None = None
    name: str = "assistant"

    @property
    def scopes(self) -> frozenset[Scope]:
        if self.action is not None:
            return self.lx.assistant.tools.get(self.action.tool).scopes
        return self.plan.scopes if self.plan else frozenset()

    @property
    def intent(self) -> str:
        if self.action is not None:
            return self.action.tool
        return self.plan.intent if self.plan else "unanswerable"

    async def select_context(self, store: EventReader, turn: Turn) -> list[Event]:
        if self.facts is None:
            if self.preset is None and self.plan is not None:
                table = self.lx.assistant.synonyms
                self.preset = await plan_facts(
                    self.lx, store, turn.user_id, self.plan, turn.now_ms, table, self.question
                )
            self.facts = self.preset or Facts()
        return self.facts.events

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        if self.facts is None:  # non-personalized mode: Context read nothing
            self.facts = self.preset or Facts(
                lines=["（非个性化模式：未读取你的个人数据，无法回答关于你的数据的问题。）"]
            )
        lines = "\n".join(self.facts.lines)
        history = [Message(role=_role(h.role), content=h.content) for h in self.history]
        messages = [
            Message(role="system", content=_SYSTEM.format(facts=lines)),
            *history,
            Message(role="user", content=self.question),
            *self.followup,
        ]
        return messages, Task(kind="compose", documents=[Document(title="助理回答", text=lines)])


def _role(role: str) -> Role:
    return "assistant" if role == "assistant" else "user"


def check_citations(text: str, facts: Facts) -> tuple[str, list[str], list[str]]:
    """Cited ids that are among the facts, and the others (removed from the text)."""
    cited = list(dict.fromkeys(_CITATION.findall(text)))
    valid = [c for c in cited if c in facts.citations]
    invalid = [c for c in cited if c not in facts.citations]
    for c in invalid:
        text = text.replace(f"[{c}]", "")
    return text, valid, invalid


class Assistant:
    """``lx.assistant``: ask, confirm, and the tool registry apps extend."""

    def __init__(self, lx: AssistantHost) -> None:
        self.lx = lx
        self.tools: ToolRegistry = default_registry(lx.settings.timezone)
        self.sessions = SessionStore(lx.db, lx.vault)
        self.synonyms = Synonyms.load(lx.settings.home)  # defaults + <home>/synonyms.toml

    def prepare(
        self,
        user_id: str,
        question: str,
        *,
        session_id: str | None = None,
        model: str | None = None,
        now_ms: int | None = None,
    ) -> tuple[Turn, Any]:
        """The turn for ``question`` and the ``finish(turn, answer)`` coroutine that completes the reply."""
        question = question.strip()
        if not question or len(question) > MAX_QUESTION_CHARS:
            raise InvalidInput(
                f"question must be 1..{MAX_QUESTION_CHARS} characters",
                message_zh=f"问题不能为空，且不超过 {MAX_QUESTION_CHARS} 字",
            )
        now = _now_ms() if now_ms is None else now_ms
        session = self.sessions.open(user_id, session_id)
        tz = self.lx.settings.timezone
        act = action(question, now, tz)
        if act is not None:
            tool = self.tools.get(act.tool)
            args = self.tools.validate(tool.name, dict(act.args))
            pending = PendingAction(
                action_id=uuid7(), tool=tool.name, args=args.model_dump(mode="json"), summary_zh=tool.summary_zh(args)
            )
            preset = Facts(lines=[f"将为你{pending.summary_zh}，确认吗？"])
            feature = AssistantFeature(self.lx, question, action=act, history=list(session.history), preset=preset)
            return self._answer_turn(session, feature, user_id, model, now, pending)
        previous = session.state.last_plan
        if self.lx.settings.query_planner is None:
            feature = self._question(question, session, lambda: Planned(self._rules(question, now, previous), "rules"))
            return self._answer_turn(session, feature, user_id, model, now, None)
        planning = self.lx.turn(PlanFeature(question), user_id, model=self.lx.settings.query_planner, now_ms=now)

        def planned(turn: Turn, answer: Answer) -> FollowUp:
            body = "" if answer.refused else answer.text
            feature = self._question(
                question, session, lambda: plan_from_answer(body, question, now, tz, self.synonyms, previous)
            )
            again, finish = self._answer_turn(session, feature, user_id, model, now, None)
            note = {"planner": feature.planner, "plan": feature.plan.model_dump(mode="json") if feature.plan else None}
            return FollowUp(again, finish, note)

        return planning, planned

    def _rules(self, question: str, now: int, previous: Plan | None) -> Plan:
        return rules.parse(question, now, self.lx.settings.timezone, self.synonyms, previous)

    def _question(self, question: str, session: Session, plan: Any) -> AssistantFeature:
        """The feature answering a question; a time it cannot resolve is said as such, nothing is read."""
        history = list(session.history)
        try:
            planned: Planned = plan()
        except WindowError as exc:
            preset = Facts(lines=[f"没有找到可以回答的数据：{exc.message_zh}。"])
            return AssistantFeature(self.lx, question, history=history, preset=preset)
        return AssistantFeature(self.lx, question, plan=planned.plan, planner=planned.planner, history=history)

    def _answer_turn(
        self,
        session: Session,
        feature: AssistantFeature,
        user_id: str,
        model: str | None,
        now: int,
        pending: PendingAction | None,
    ) -> tuple[Turn, Any]:
        turn = self.lx.turn(feature, user_id, model=model, now_ms=now)
        if feature.action is None:  # only the tools whose data the user let us use: a model cannot pick the rest
            turn.tools = self.tools.schemas(self.lx.consents.granted(user_id))

        async def finish(turn: Turn, answer: Answer) -> AssistantReply | FollowUp:
            return await self._finish(session, feature, turn, answer, pending)

        return turn, finish

    async def _run_calls(
        self, calls: list[ToolCall], user_id: str, now: int, facts: Facts, session: Session
    ) -> tuple[list[Message], list[str], PendingAction | None]:
        """Execute read-only calls, park side-effect ones, report bad ones: one tool message per call."""
        out: list[Message] = [Message(role="assistant", content="", tool_calls=calls)]
        results: list[str] = []
        pending: PendingAction | None = None
        for call in calls:
            try:
                tool = self.tools.get(call.name)
                args = self.tools.validate(call.name, call.arguments)
                if tool.side_effects:
                    pending = PendingAction(
                        action_id=uuid7(),
                        tool=tool.name,
                        args=args.model_dump(mode="json"),
                        summary_zh=tool.summary_zh(args),
                    )
                    content = f"已请求用户确认：{pending.summary_zh}（尚未执行）"
                else:
                    self.lx.consents.require(user_id, tool.scopes)
                    found = tool.handler(ToolContext(self.lx, user_id, now), args)
                    for line, ev in zip(found.lines, found.events, strict=False):
                        facts.add(line.split("[")[0], [ev])
                    content = "\n".join(found.lines)
            except LingxiError as exc:
                content = f"错误：{exc.message_zh}（{exc.message}）"
            results.append(content)
            out.append(Message(role="tool", content=content, tool_call_id=call.id))
        if pending:
            session.state.pending[pending.action_id] = pending
        return out, results, pending

    async def _finish(
        self, session: Session, feature: AssistantFeature, turn: Turn, answer: Answer, pending: PendingAction | None
    ) -> AssistantReply | FollowUp:
        """The reply; or, when the model called tools, their results and the turn that answers with them."""
        facts = feature.facts or Facts()
        if answer.tool_calls and not answer.refused:
            followup, results, called = await self._run_calls(
                answer.tool_calls, turn.user_id, turn.now_ms, facts, session
            )
            second = AssistantFeature(
                self.lx,
                feature.question,
                plan=feature.plan,
                action=feature.action,
                planner=feature.planner,
                history=feature.history,
                preset=facts,
                followup=followup,
            )
            again = self.lx.turn(second, turn.user_id, model=turn.model, now_ms=turn.now_ms)

            def reply(t: Turn, a: Answer) -> AssistantReply:
                return self._reply(session, feature, facts, a, called or pending, results)

            calls = [{"name": c.name, "arguments": c.arguments} for c in answer.tool_calls]
            return FollowUp(again, reply, {"tool_calls": calls, "tool_results": results})
        if pending and not answer.refused:
            session.state.pending[pending.action_id] = pending
        return self._reply(session, feature, facts, answer, None if answer.refused else pending, [])

    def _reply(
        self,
        session: Session,
        feature: AssistantFeature,
        facts: Facts,
        answer: Answer,
        pending: PendingAction | None,
        results: list[str],
    ) -> AssistantReply:
        text, valid, invalid = check_citations(answer.text, facts)
        if feature.plan is not None:
            session.state.last_plan = feature.plan
        self.sessions.save(
            session, [ChatLine(role="user", content=feature.question), ChatLine(role="assistant", content=text)]
        )
        return AssistantReply(
            session_id=session.session_id,
            text=text,
            intent=feature.intent,
            plan=feature.plan.model_dump(mode="json") if feature.plan else None,
            planner=feature.planner if feature.plan else "",
            citations=valid,
            invalid_citations=invalid,
            facts=facts.lines,
            numbers=facts.numbers,
            pending_action=pending,
            tool_results=results,
            answer={
                "request_id": answer.request_id,
                "model": answer.model,
                "model_kind": answer.model_kind,
                "label": answer.label.explicit if answer.label else None,
                "refused": answer.refused,
                "finish_reason": answer.finish_reason,
                "audit_id": answer.audit_id,
                "context_ids": answer.context_ids,
            },
        )

    async def aask(
        self,
        user_id: str,
        question: str,
        *,
        session_id: str | None = None,
        model: str | None = None,
        now_ms: int | None = None,
    ) -> AssistantReply:
        turn, finish = self.prepare(user_id, question, session_id=session_id, model=model, now_ms=now_ms)
        reply, _ = await complete(self.lx, turn, finish)
        assert isinstance(reply, AssistantReply)
        return reply

    def ask(
        self,
        user_id: str,
        question: str,
        *,
        session_id: str | None = None,
        model: str | None = None,
        now_ms: int | None = None,
    ) -> AssistantReply:
        """Answer ``question`` from the user's own data (see the module docstring)."""
        return asyncio.run(self.aask(user_id, question, session_id=session_id, model=model, now_ms=now_ms))

    async def aconfirm(
        self, user_id: str, session_id: str, action_id: str, approve: bool, *, now_ms: int | None = None
    ) -> ConfirmResult:
        """Run (``approve``) or cancel a pending action; a handled or unknown action is an error."""
        session = self.sessions.open(user_id, session_id)
        action = session.state.pending.get(action_id)
        if action is None:
            raise InvalidInput(
                f"no pending action {action_id!r} in this session", message_zh="该会话中没有这个待确认操作"
            )
        if action.status != "pending":
            raise InvalidInput(f"action {action_id} is already {action.status}", message_zh="该操作已处理过")
        text, cited = f"已取消：{action.summary_zh}。", []
        if approve:
            tool = self.tools.get(action.tool)
            self.lx.consents.require(user_id, tool.scopes)
            args = self.tools.validate(tool.name, json.dumps(action.args))
            now = _now_ms() if now_ms is None else now_ms
            done = tool.handler(ToolContext(self.lx, user_id, now), args)
            text, cited = "\n".join(done.lines), done.citations
        action.status = "done" if approve else "cancelled"
        self.sessions.save(session, [ChatLine(role="assistant", content=text)])
        return ConfirmResult(
            session_id=session_id, action_id=action_id, status=action.status, text=text, citations=cited
        )

    def confirm(self, user_id: str, session_id: str, action_id: str, approve: bool) -> ConfirmResult:
        return asyncio.run(self.aconfirm(user_id, session_id, action_id, approve))
