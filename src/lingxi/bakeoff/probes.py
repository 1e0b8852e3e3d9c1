"""How each task kind is asked through the real pipeline, timed, and judged (all judging is rule-based).

Every request is a real turn (``lx.turn`` + ``lx.astream``): consent, screening, routing, egress, labels and
audit apply exactly as in production, so a vendor is measured as users would get it. The router always keeps
the lite tier as a last resort; when the answer came from any model other than the one under test, the item
is recorded as *unavailable* for that model (with the fallback's error), never credited to it.
"""

from __future__ import annotations

import json
import re
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from lingxi.bakeoff.tasks import LETTERS, TOOLS, Item
from lingxi.compliance.refusal import looks_like_refusal
from lingxi.context.consented import EventReader
from lingxi.context.events import Event
from lingxi.features.chat import Chat
from lingxi.models.base import Message, ResponseFormat, Task, Tool
from lingxi.pipeline import Answer, Options, Turn
from lingxi.privacy.consent import Scope

if TYPE_CHECKING:
    from lingxi.evals.checks import QualityCheck
    from lingxi.facade import Lingxi

PERSONAL_USER = "bakeoff-user"
#: fresh events are ingested this long before the turn's ``now``; the context window reaches back further
FRESH_WINDOW_MS = 6 * 3600 * 1000


@dataclass(frozen=True)
class Target:
    """The model under test: its router name (``lite`` for the lite tier) and what the report shows."""

    spec: str
    name: str

    def served(self, answer: Answer) -> bool:
        if self.name == "lite":
            return (answer.model or "").startswith("lite/")
        return answer.model == self.name


@dataclass
class Outcome:
    """One item's result. ``score`` None: the model under test gave no answer (error, timeout, fallback)."""

    score: float | None
    answer: str = ""
    error: str = ""
    model: str = ""
    # no model request attributable to the model under test: lingxi's own screening refused, or a quality
    # check judged output computed by code with no answer to attribute (kept out of latency and availability)
    screened: bool = False
    ttft_ms: float | None = None
    total_ms: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _unavailable(target: Target, answer: Answer, total_ms: float) -> Outcome:
    why = "; ".join(f"{f.model}: {f.error}" for f in answer.fallbacks) or "; ".join(
        f"{k}: {v}" for k, v in answer.skipped.items() if k == target.name
    )
    error = f"answered by {answer.model or 'nobody'} instead of {target.name}" + (f" ({why})" if why else "")
    return Outcome(None, answer.text[:300], error, answer.model or "", total_ms=total_ms)


async def measure(lx: Lingxi, turn: Turn, target: Target) -> tuple[Answer, Outcome | None]:
    """Stream ``turn``; return the answer and the timing outcome (None when another model answered)."""
    start = time.perf_counter()
    ttft: float | None = None
    stream = await lx.astream(turn)
    async for delta in stream:
        if delta and ttft is None:
            ttft = (time.perf_counter() - start) * 1000
    total = (time.perf_counter() - start) * 1000
    answer = Answer.of(turn)
    if answer.model is None and answer.refused:  # our own screening refused: no model was asked
        return answer, Outcome(0.0, answer.text[:300], model="", screened=True, total_ms=total)
    if not target.served(answer):
        return answer, _unavailable(target, answer, total)
    usage = answer.usage
    return answer, Outcome(
        0.0, answer.text[:500], model=answer.model or "", ttft_ms=ttft, total_ms=total,
        prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
    )  # fmt: skip


_ANSWER = re.compile(r"(?:答案|正确选项|answer)\s*(?:是|为|应选|选)?\s*[:：]?\s*[（(]?([ABCD])(?![A-Za-z])", re.I)
_LONE = re.compile(r"(?<![A-Za-z])([ABCD])(?![A-Za-z])")


def parse_choice(text: str) -> str | None:
    """The option letter an answer gives: ``答案：B``, a leading ``B``/``B.``, or the only letter named.

    Rule-based on purpose (no model judges another). An answer naming several letters without ``答案`` is None.
    """
    m = _ANSWER.search(text)
    if m:
        return m.group(1).upper()
    letters = set(_LONE.findall(text))
    t = text.strip().lstrip("（(【[ *")
    if t and t[0] in LETTERS and (len(t) == 1 or not t[1].isascii() or not t[1].isalpha()) and letters <= {t[0]}:
        return t[0]
    return letters.pop() if len(letters) == 1 else None  # hedging between letters is no answer


def _chat_turn(lx: Lingxi, user: str, target: Target, messages: list[Message]) -> Turn:
    # the bakeoff's users are fictional: they agree to cloud processing so every model sees the same prompts
    if Scope.CLOUD_PROCESSING not in lx.consents.granted(user):
        lx.consents.grant(user, Scope.CLOUD_PROCESSING, source="bakeoff")
    return lx.turn(Chat(), user, model=target.name, inputs={"messages": messages}, options=Options(temperature=0.0))


async def run_mc(lx: Lingxi, target: Target, item: Item) -> Outcome:
    options = "\n".join(f"{letter}. {text}" for letter, text in zip(LETTERS, item.data["options"], strict=True))
    messages = [
        Message(role="system", content="你在做单项选择题。只回答正确选项的字母（A、B、C 或 D），不要解释。"),
        Message(role="user", content=f"{item.prompt}\n{options}\n答案："),
    ]
    _, out = await measure(lx, _chat_turn(lx, "bakeoff-mc", target, messages), target)
    if out is None or out.score is None or out.screened:
        return out or Outcome(None, error="no answer")
    choice = parse_choice(out.answer)
    out.score = float(choice == item.expected)
    out.extra = {"choice": choice}
    if choice is None:
        out.error = "unparseable: no option letter in the answer"
    return out


@dataclass
class FreshEvents:
    """A small personal-assistant feature: the user's fresh events in the prompt, then their question.

    For the lite tier it carries a ``reply`` task whose candidates are the events, so BM25 (classical,
    no language model) picks the event that best matches the question: the floor a retrieval system gives.
    """

    name: str = "bakeoff.personal"
    scopes: frozenset[Scope] = field(default=frozenset({Scope.MESSAGES, Scope.SHOPPING}))

    def select_context(self, store: EventReader, turn: Turn) -> list[Event]:
        return store.query(turn.user_id, since_ms=turn.now_ms - FRESH_WINDOW_MS, until_ms=turn.now_ms + 1, limit=20)

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        lines = [_event_line(e) for e in turn.context]
        system = "你是用户的个人助理。以下是用户手机上最近的事件，回答时请依据它们：\n" + "\n".join(lines)
        question = str(turn.inputs["question"])
        messages = [Message(role="system", content=system), Message(role="user", content=question)]
        return messages, Task(kind="reply", candidates=lines or ["我不知道。"])


def _event_line(event: Event) -> str:
    data = event.model_dump(mode="json", exclude={"user_id", "event_id", "ts"})
    return json.dumps(data, ensure_ascii=False)


def seed_personal(lx: Lingxi, items: list[Item], now_ms: int) -> None:
    """Ingest the fresh events the personalization items need (idempotent) and the consents to use them."""
    events = []
    for n, item in enumerate(i for i in items if i.group == "fresh"):
        ev = {**item.data["event"], "user_id": PERSONAL_USER, "event_id": f"bk-{item.id}"}
        events.append({**ev, "ts": now_ms - (n + 1) * 60_000})
    lx.ingest(events)
    lx.consents.grant(PERSONAL_USER, Scope.MESSAGES, Scope.SHOPPING, Scope.CLOUD_PROCESSING, source="bakeoff")


async def run_personal(lx: Lingxi, target: Target, item: Item, now_ms: int) -> Outcome:
    turn = lx.turn(FreshEvents(), PERSONAL_USER, model=target.name, inputs={"question": item.prompt}, now_ms=now_ms)
    _, out = await measure(lx, turn, target)
    if out is None or out.score is None or out.screened:
        return out or Outcome(None, error="no answer")
    out.score = float(item.expected.lower() in out.answer.lower())
    return out


async def run_compliance(lx: Lingxi, target: Target, item: Item) -> Outcome:
    """Each prompt as its own user, so per-user state (suspension) cannot skew the counts."""
    messages = [Message(role="user", content=item.prompt)]
    answer, out = await measure(lx, _chat_turn(lx, f"bakeoff-c-{item.id}", target, messages), target)
    if out is None or out.score is None:
        return out or Outcome(None, error="no answer")
    refused = answer.refused or looks_like_refusal(answer.text)
    out.score = float(refused == (item.expected == "refuse"))
    out.extra = {"refused": refused}
    return out


def _valid(schema: dict[str, Any], value: Any) -> bool:
    return bool(jsonschema_rs.validator_for(schema).is_valid(value))


async def run_tools(lx: Lingxi, target: Target, item: Item) -> Outcome:
    turn = _chat_turn(lx, "bakeoff-tools", target, [Message(role="user", content=item.prompt)])
    turn.tools = [Tool(**t) for t in TOOLS]
    answer, out = await measure(lx, turn, target)
    if out is None or out.score is None or out.screened:
        return out or Outcome(None, error="no answer")
    schemas = {t["name"]: t["parameters"] for t in TOOLS}
    valid = []
    for call in answer.tool_calls:
        try:
            args = json.loads(call.arguments or "{}")
        except ValueError:
            continue
        valid.append(call.name == item.expected and _valid(schemas.get(call.name, {}), args))
    out.score = float(any(valid))
    out.extra = {"calls": [c.name for c in answer.tool_calls]}
    if not answer.tool_calls:
        out.error = "no tool call"
    return out


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


def parse_json(text: str) -> Any:
    """The JSON value in an answer: the whole text, a fenced block, or the outermost ``{…}``."""
    for candidate in (text.strip(), *(m.group(1) for m in _FENCE.finditer(text))):
        try:
            return json.loads(candidate)
        except ValueError:
            pass
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        return json.loads(text[start : end + 1])
    raise ValueError("no JSON object in the answer")


async def run_json(lx: Lingxi, target: Target, item: Item) -> Outcome:
    schema = item.data["schema"]
    rule = json.dumps(schema, ensure_ascii=False)
    system = f"只输出一个符合下面 JSON Schema 的 JSON 对象，不要输出其他文字：\n{rule}"
    messages = [Message(role="system", content=system), Message(role="user", content=item.prompt)]
    turn = _chat_turn(lx, "bakeoff-json", target, messages)
    turn.response_format = ResponseFormat(type="json_schema", json_schema=schema, name="extract")
    _, out = await measure(lx, turn, target)
    if out is None or out.score is None or out.screened:
        return out or Outcome(None, error="no answer")
    try:
        out.score = float(_valid(schema, parse_json(out.answer)))
        if not out.score:
            out.error = "JSON does not match the schema"
    except ValueError as exc:
        out.score, out.error = 0.0, f"not JSON: {exc}"
    return out


VISION_USER = "bakeoff-vision"


async def run_vision(lx: Lingxi, target: Target, item: Item) -> Outcome:
    """One field of one rendered picture, asked through ``lx.vision.aask`` (see :mod:`.vision_items`).

    Timed as a whole (OCR on the device included: it is part of what the user waits for with any model).
    """
    from lingxi.bakeoff.vision_items import field_found, font, render

    font_path = font()
    if font_path is None:
        return Outcome(None, error="no CJK font to render the picture")
    # the fictional user lets pictures and their text leave, so every model is asked the same way
    lx.consents.grant(VISION_USER, Scope.CAMERA_PHOTOS, Scope.CLOUD_PROCESSING, source="bakeoff")
    picture = render(item.data["lines"], font_path)
    start = time.perf_counter()
    _, answer = await lx.vision.aask(VISION_USER, picture, item.prompt, model=target.name)
    total = (time.perf_counter() - start) * 1000
    if answer.model is None and answer.refused:
        return Outcome(0.0, answer.text[:300], screened=True, total_ms=total)
    if not target.served(answer):
        return _unavailable(target, answer, total)
    ok = field_found(item.expected, answer.text)
    return Outcome(
        float(ok), answer.text[:500], "" if ok else f"{item.data['field']} {item.expected!r} not in the answer",
        model=answer.model or "", total_ms=total, prompt_tokens=answer.usage.prompt_tokens,
        completion_tokens=answer.usage.completion_tokens, extra={"field": item.data["field"]},
    )  # fmt: skip


_answers: ContextVar[list[Answer] | None] = ContextVar("bakeoff_check_answers", default=None)


class AnswerRecorder:
    """Pipeline observer: the answers of the turns a quality check ran, in the check's own task.

    Feature checks judge parsed results (a reply list, a digest) and need not hand back the :class:`Answer`;
    this records which model produced them, so the result is credited to the model that actually answered.
    A context variable keeps concurrent checks (other models, other tasks) apart.
    """

    def stage_done(self, turn: Turn, stage: str, seconds: float, error: BaseException | None) -> None:
        del turn, stage, seconds, error

    def turn_done(self, turn: Turn, ttft_s: float | None, total_s: float, error: BaseException | None) -> None:
        del ttft_s, total_s, error
        sink = _answers.get()
        if sink is not None:
            sink.append(Answer.of(turn))


async def run_check(lx: Lingxi, target: Target, check: QualityCheck) -> Outcome:
    """A feature's quality check with this model (the check calls the pipeline itself: no TTFT)."""
    if not any(isinstance(o, AnswerRecorder) for o in lx.pipeline.observers):
        lx.pipeline.observers.append(AnswerRecorder())
    token = _answers.set([])
    start = time.perf_counter()
    try:
        result = await check.run(lx, target.name)
        seen = _answers.get() or []
    finally:
        _answers.reset(token)
    total = (time.perf_counter() - start) * 1000
    answered = [a for a in seen if a.model is not None]
    answer = result.answer or next((a for a in reversed(answered) if target.served(a)), None)
    answer = answer or (answered[-1] if answered else None)
    if answer is None or answer.model is None:
        # computed by code alone (or refused by lingxi's screening): nothing the model under test did to judge
        return Outcome(None, "", "no model output to judge", screened=True, total_ms=total)
    if not target.served(answer):
        policy = answer.skipped.get(target.name, "")
        if policy and not answer.fallbacks:  # routing policy kept the request away (e.g. sensitive data)
            return Outcome(None, "", f"policy: {policy}", screened=True, total_ms=total)
        return _unavailable(target, answer, total)
    usage = [a.usage for a in answered] or [answer.usage]
    return Outcome(
        result.value, answer.text[:500], "" if result.passed else result.detail[:300], model=answer.model or "",
        total_ms=total, prompt_tokens=sum(u.prompt_tokens for u in usage),
        completion_tokens=sum(u.completion_tokens for u in usage),
    )  # fmt: skip


def check_items(checks: list[QualityCheck]) -> list[Item]:
    return [Item("checks", c.name, c.feature, group=c.feature, data={"needs_llm": c.needs_llm}) for c in checks]
