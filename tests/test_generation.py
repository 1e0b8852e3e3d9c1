"""Fallback across candidates: before output, mid-stream (continue without duplication), breaker, budget."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from conftest import ScriptedModel
from lingxi.errors import ConsentRequired, MalformedToolCall, ModelUnavailable, PolicyForbidden
from lingxi.models.base import ChatChunk, ChatRequest, Locality, Message, ModelKind, Tool
from lingxi.models.health import Health
from lingxi.models.lite import lite_models
from lingxi.models.router import Budget, Router, Rule
from lingxi.pipeline import Turn
from lingxi.pipeline.generation import INCOMPLETE_NOTE, Generate, OverlapTrimmer
from lingxi.privacy.classify import PrivacyClass
from test_stages import Echo


def turn_with(models: list[ScriptedModel], *, streaming: bool) -> Turn:
    turn = Turn(user_id="u1", feature=Echo("问题"), streaming=streaming)
    turn.messages = [Message(role="user", content="问题")]
    turn.candidates = list(models)
    return turn


async def _drain(stream: AsyncIterator[str]) -> list[str]:
    return [d async for d in stream]


def generate(turn: Turn, health: Health | None = None) -> list[str]:
    asyncio.run(Generate(health or Health()).run(turn))
    assert turn.output is not None
    return asyncio.run(_drain(turn.output))


def test_mid_stream_failure_continues_without_repeating() -> None:
    first = ScriptedModel("a", chunks=["杭州是", "浙江省的", "省会，", "风景优美"], fail_after=2)
    # the second model restarts the whole answer; what the caller already saw must not appear twice
    second = ScriptedModel("b", chunks=["杭州是浙江", "省的省会，以西湖闻名。"])
    turn = turn_with([first, second], streaming=True)
    text = "".join(generate(turn))
    assert text == "杭州是浙江省的省会，以西湖闻名。"
    assert [(f.model, f.after_chars) for f in turn.fallbacks] == [("a", len("杭州是浙江省的"))]
    sent = second.requests[0].messages
    assert sent[-2] == Message(role="assistant", content="杭州是浙江省的") and "继续" in sent[-1].content
    assert turn.answered_by and turn.answered_by.name == "b"


def test_non_streaming_caller_gets_a_clean_restart() -> None:
    first = ScriptedModel("a", chunks=["半句", "话"], fail_after=1)
    second = ScriptedModel("b", chunks=["完整的", "回答。"])
    turn = turn_with([first, second], streaming=False)
    assert "".join(generate(turn)) == "完整的回答。"
    assert second.requests[0].messages == [Message(role="user", content="问题")]  # fresh, not a continuation


def test_classical_models_cannot_continue_and_the_answer_says_it_is_incomplete() -> None:
    first = ScriptedModel("a", chunks=["前半", "后半"], fail_after=1)
    lite = ScriptedModel("lite-like", chunks=["摘要"], kind=ModelKind.CLASSICAL)
    turn = turn_with([first, lite], streaming=True)
    assert "".join(generate(turn)) == "前半" + INCOMPLETE_NOTE
    assert turn.finish_reason == "error" and lite.requests == []
    assert turn.skipped["lite-like"] == "cannot continue a partial answer"


class SlipsOnTools(ScriptedModel):
    """Offered tools, it writes a little and then fails the way llama.cpp does on a tool call it cannot parse."""

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        if not request.tools:
            async for chunk in super().stream(request):
                yield chunk
            return
        self.requests.append(request)
        yield ChatChunk(delta="我查一下")
        slip = "The model produced output that does not match the expected peg-native format"
        raise MalformedToolCall(slip, message_zh="格式有误", provider="local", retryable=True)


@pytest.mark.parametrize("streaming", [True, False])
def test_a_malformed_tool_call_is_retried_on_the_same_model_without_tools(streaming: bool) -> None:
    local = SlipsOnTools("local", locality=Locality.ON_DEVICE, chunks=["我查一下", "：快递明天到。"])
    cloud = ScriptedModel("cloud", chunks=["云端的回答"])
    health = Health(threshold=2)
    for _ in range(3):  # a slip is not a provider failure: the breaker stays closed
        turn = turn_with([local, cloud], streaming=streaming)
        turn.tools = [Tool(name="track_package", description="查询快递")]
        assert "".join(generate(turn, health)) == "我查一下：快递明天到。"  # the delivered part is not repeated
        assert turn.answered_by and turn.answered_by.name == "local" and cloud.requests == []
        assert [f.model for f in turn.fallbacks] == ["local"] and "MalformedToolCall" in turn.fallbacks[0].error
        retry = local.requests[-1]
        assert retry.tools == [] and retry.tool_choice == "none"
    assert health.available("local")


def test_a_required_tool_call_that_does_not_parse_goes_to_the_next_candidate() -> None:
    local = SlipsOnTools("local", locality=Locality.ON_DEVICE)
    cloud = ScriptedModel("cloud", chunks=["云端的回答"])
    turn = turn_with([local, cloud], streaming=False)
    turn.tools, turn.tool_choice = [Tool(name="track_package")], "required"
    assert "".join(generate(turn)) == "云端的回答"
    assert len(local.requests) == 1 and turn.answered_by and turn.answered_by.name == "cloud"


def test_all_fail_before_output_raises() -> None:
    turn = turn_with([ScriptedModel("a", fail_before=TimeoutError("slow"))], streaming=True)
    with pytest.raises(ModelUnavailable, match="slow"):
        generate(turn)


@pytest.mark.parametrize(
    ("delivered", "pieces", "expected"),
    [
        ("今天天气", ["今天天气很好，", "适合散步。"], "很好，适合散步。"),  # full restart
        ("今天天气很", ["气很好，适合散步。"], "好，适合散步。"),  # overlapping tail
        ("今天天气很", ["好，适合", "散步。"], "好，适合散步。"),  # clean continuation
        ("今天天气很好", ["今天"], ""),  # only a repeat, then it stopped
    ],
)
def test_overlap_trimmer(delivered: str, pieces: list[str], expected: str) -> None:
    t = OverlapTrimmer(delivered)
    assert "".join(t.feed(p) for p in pieces) + t.flush() == expected


def test_circuit_breaker_opens_half_opens_and_closes() -> None:
    now = [0.0]
    h = Health(threshold=2, cooldown_s=10, clock=lambda: now[0])
    for _ in range(2):
        assert h.allow("p")
        h.failure("p", "boom")
    assert not h.available("p") and not h.allow("p")
    now[0] = 11
    assert h.available("p") and h.allow("p")  # one probe
    assert not h.allow("p")  # a second concurrent probe is refused
    h.failure("p", "still down")
    assert not h.available("p")
    now[0] = 22
    assert h.allow("p")
    h.success("p", 120.0)
    assert h.available("p") and h.p50_ttft_ms("p") == 120.0
    assert h.snapshot()[0].state == "closed"


def test_router_skips_open_circuits_and_generate_feeds_the_breaker() -> None:
    health = Health(threshold=1, cooldown_s=60)
    broken = ScriptedModel("cloud/down", fail_before=ConnectionError("refused"))
    router = Router([*lite_models(), broken], default="cloud/down", health=health)
    decide = lambda: router.decide(  # noqa: E731
        feature="chat", requested=None, task=None, privacy=PrivacyClass.PUBLIC, cloud_ok=False
    )
    turn = turn_with(decide().candidates, streaming=True)  # type: ignore[arg-type]
    generate(turn, health)
    assert turn.answered_by and turn.answered_by.provider == "lite"
    decision = decide()
    assert "cloud/down" not in [m.info.name for m in decision.candidates]
    assert decision.skipped["cloud/down"] == "circuit open after repeated failures"


def test_policy_rules_budget_and_privacy() -> None:
    cheap = ScriptedModel("cloud/cheap", cost_per_1k=0.001)
    dear = ScriptedModel("cloud/dear", cost_per_1k=0.5)
    rules = [Rule("notifications.*", ("cloud/dear", "cloud/cheap")), Rule("*", ("cloud/cheap",))]
    router = Router([*lite_models(), cheap, dear], default="lite", rules=rules)
    msgs = [Message(role="user", content="通知" * 100)]

    def names(
        feature: str,
        budget: Budget | None = None,
        privacy: PrivacyClass = PrivacyClass.PERSONAL,
        cloud_ok: bool = True,
        requested: str | None = None,
    ) -> list[str]:
        d = router.decide(
            feature=feature,
            requested=requested,
            task=None,
            privacy=privacy,
            cloud_ok=cloud_ok,
            messages=msgs,
            max_tokens=200,
            budget=budget or Budget(),
        )
        return [m.info.name for m in d.candidates]

    assert names("notifications.summary") == ["cloud/dear", "cloud/cheap", "lite/textrank", "lite/retrieval"]
    assert names("chat") == ["cloud/cheap", "lite/textrank", "lite/retrieval"]
    assert names("notifications.summary", Budget(max_cost_cny=0.01))[0] == "cloud/cheap"
    # personal data (not only sensitive) leaves only with cloud_processing (PIPL Art. 23)
    assert names("notifications.summary", cloud_ok=False) == ["lite/textrank", "lite/retrieval"]
    assert names("notifications.summary", privacy=PrivacyClass.SENSITIVE, cloud_ok=False) == [
        "lite/textrank",
        "lite/retrieval",
    ]
    assert names("notifications.summary", privacy=PrivacyClass.PUBLIC, cloud_ok=False)[0] == "cloud/dear"
    # the client's model is a preference inside the rule, never a way around it
    assert names("notifications.summary", requested="cloud/cheap")[0] == "cloud/cheap"
    with pytest.raises(PolicyForbidden) as refused:
        names("chat", requested="cloud/dear")
    assert refused.value.status == 403 and "feature='*'" in refused.value.message


def test_cloud_only_policy_without_consent_is_a_403_naming_the_scope() -> None:
    router = Router([ScriptedModel("cloud/only")], default="cloud/only")
    with pytest.raises(ConsentRequired) as info:
        router.decide(feature="chat", requested=None, task=None, privacy=PrivacyClass.PERSONAL, cloud_ok=False)
    assert info.value.scopes == ["cloud_processing"] and info.value.status == 403


def test_latency_budget_uses_measured_time_to_first_token() -> None:
    health = Health()
    slow = ScriptedModel("cloud/slow")
    router = Router([*lite_models(), slow], default="cloud/slow", health=health)
    for _ in range(3):
        health.success("cloud/slow", 2500.0)
    d = router.decide(
        feature="chat",
        requested=None,
        task=None,
        privacy=PrivacyClass.PUBLIC,
        cloud_ok=False,
        budget=Budget(max_latency_ms=1000),
    )
    assert "2500 ms" in d.skipped["cloud/slow"]
