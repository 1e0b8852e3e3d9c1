"""The language-model parser: a model on a real OpenAI-compatible server (loopback) writes the plan as JSON, code
validates and executes it; an invalid plan falls back to the rule parser. On the hand-made user (not the demo)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from fake_openai import FakeOpenAI, Script
from gguf_fixture import write_random_qwen2_gguf
from lingxi import Lingxi
from lingxi.models.base import ChatRequest, Locality, Message, ModelInfo, ModelKind, ResponseFormat, collect
from lingxi.models.llamacpp import LlamaCppModel
from lingxi.models.openai_compat import OpenAICompatModel
from lingxi.privacy.consent import Scope
from lingxi.query.llm_plan import PLAN_SCHEMA, plan_from_answer
from lingxi.query.synonyms import Synonyms
from query_user import NOW, TZ, USER, events

EMPTY = {"categories": [], "merchants": [], "counterpart": "", "app": "", "text": []}


def plan_json(**over: Any) -> str:
    plan = {"operation": "count", "subject": "payment", "field": "", "include": EMPTY, "exclude": EMPTY,
            "direction": "out", "sent_by_me": False, "time": "", "what": ""}  # fmt: skip
    return json.dumps({**plan, **over}, ensure_ascii=False)


def planner_lingxi(home: Path, fake: FakeOpenAI) -> Lingxi:
    home.mkdir(parents=True, exist_ok=True)
    (home / "lingxi.toml").write_text('query_planner = "local/planner"\n', encoding="utf-8")
    info = ModelInfo(name="local/planner", provider="local", locality=Locality.ON_DEVICE, kind=ModelKind.LLM)
    lx = Lingxi(home, models=[OpenAICompatModel(info, base_url=fake.base_url, model_id="planner")])
    lx.ingest(events())
    lx.consents.grant(USER, Scope.PAYMENTS, Scope.SHOPPING, Scope.MESSAGES, Scope.CALENDAR, source="test")
    return lx


def test_the_models_plan_is_executed_by_code(home: Path) -> None:
    # 「叫车」 is not in the synonym table: the rules cannot read it, the model maps it to 打车
    reply = plan_json(include={**EMPTY, "categories": ["打车"]}, time="上礼拜", what="叫车")
    with FakeOpenAI({"planner": Script(reply=reply)}) as fake:
        lx = planner_lingxi(home, fake)
        r = lx.assistant.ask(USER, "上礼拜叫了几回车？", now_ms=NOW)
        sent = fake.received("planner")[0].body
    assert r.planner == "llm" and r.plan is not None and r.plan["operation"] == "count"
    assert r.numbers == {"count": 2, "total_fen": 5470} and sorted(r.citations) == ["p3", "p4"]
    assert r.answer["model_kind"] == "classical"  # the facts are phrased by the lite tier; the model only planned
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"] == PLAN_SCHEMA
    assert "window" not in PLAN_SCHEMA["properties"]  # a model never writes dates: code resolves 「上礼拜」


@pytest.mark.parametrize(
    "reply",
    [
        plan_json(operation="sum_everything"),  # not an operation
        '{"operation": "count"',  # not JSON
        plan_json(include={**EMPTY, "colour": "red"}),  # an unknown field
        "好的，我来帮你查一下。",  # no JSON at all
    ],
)
def test_an_invalid_plan_falls_back_to_the_rules(home: Path, reply: str) -> None:
    with FakeOpenAI({"planner": Script(reply=reply)}) as fake:
        lx = planner_lingxi(home, fake)
        r = lx.assistant.ask(USER, "上周打车几次？", now_ms=NOW)
    assert r.planner == "rules-fallback" and r.numbers == {"count": 2, "total_fen": 5470}


def test_consent_still_follows_the_plan(home: Path) -> None:
    with FakeOpenAI({"planner": Script(reply=plan_json(include={**EMPTY, "categories": ["打车"]}, time="上周"))}) as f:
        lx = planner_lingxi(home, f)
        lx.consents.withdraw(USER, Scope.PAYMENTS)
        with pytest.raises(Exception, match="payments"):
            lx.assistant.ask(USER, "上周打车几次？", now_ms=NOW)


def test_time_words_are_resolved_by_code_and_a_made_up_window_is_ignored() -> None:
    text = json.loads(plan_json(time="国庆", operation="sum"))
    text["window"] = {"start_ms": 0, "end_ms": 1, "phrase": "编造的"}
    planned = plan_from_answer(json.dumps(text), "国庆花了多少", NOW, TZ, Synonyms())
    assert planned.planner == "llm" and planned.plan.window is not None
    assert (
        planned.plan.window.phrase == "国庆"
        and planned.plan.window.end_ms - planned.plan.window.start_ms == 7 * 86_400_000
    )
    dropped = plan_from_answer(plan_json(time=""), "上周打车几次", NOW, TZ, Synonyms())  # the model left it out
    assert dropped.plan.window is not None and dropped.plan.time == "上周"


def test_on_llama_cpp_the_schema_is_a_grammar_so_even_random_weights_write_a_valid_plan(tmp_path: Path) -> None:
    """A tiny random-weight GGUF: what it says is noise, but the grammar makes it a plan that validates."""
    model = LlamaCppModel(write_random_qwen2_gguf(tmp_path / "tiny.gguf"), name="tiny", n_ctx=4096, threads=2)
    fmt = ResponseFormat(type="json_schema", json_schema=PLAN_SCHEMA, name="query_plan")
    request = ChatRequest(
        messages=[Message(role="user", content="上周打车几次？")], max_tokens=1500, seed=3, response_format=fmt
    )
    result = asyncio.run(collect(model, request))
    planned = plan_from_answer(result.text, "上周打车几次？", NOW, TZ, Synonyms())
    assert result.finish_reason == "stop" and planned.planner == "llm", (result.text, planned.error)
