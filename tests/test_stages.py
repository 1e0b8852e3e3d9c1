"""Each stage of the request path, alone, on a hand-built Turn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ScriptedModel
from lingxi.compliance.audit import AuditKeys, AuditLog
from lingxi.compliance.label_sign import LabelSigner
from lingxi.compliance.labels import Placement
from lingxi.compliance.screen import KeywordScreener, ScreenResult, Term
from lingxi.context.consented import SCOPE_OF_TYPE, EventReader, readable_types
from lingxi.context.events import Event, NotificationEvent, PaymentEvent
from lingxi.context.store import EventStore
from lingxi.errors import ConsentRequired, ModelNotFound, ModelUnavailable
from lingxi.models.base import Locality, Message, Task
from lingxi.models.health import Health
from lingxi.models.lite import lite_models
from lingxi.models.router import Router
from lingxi.pipeline import Turn
from lingxi.pipeline.stages import (
    Audit,
    BuildPrompt,
    ConsentGate,
    Context,
    EgressBoundary,
    Generate,
    InputScreen,
    LabelOutput,
    OutputScreen,
    Restore,
    Route,
)
from lingxi.privacy.classify import PrivacyClass
from lingxi.privacy.consent import ConsentStore, Scope
from lingxi.privacy.crypto import Vault
from lingxi.privacy.egress import EgressLog
from lingxi.storage.sqlite import Database

TS = 1_763_800_000_000


@dataclass
class Echo:
    """A minimal feature: the user's text as one user message; notifications as context."""

    text: str = "你好"
    name: str = "test.echo"
    scopes: frozenset[Scope] = field(default=frozenset({Scope.NOTIFICATIONS}))

    def select_context(self, store: EventStore, turn: Turn) -> list[Event]:
        return store.query(turn.user_id, types=["notification"])

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        return [Message(role="user", content=self.text)], None


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


async def drain(stream: AsyncIterator[str]) -> list[str]:
    return [d async for d in stream]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(tmp_path / "x.db")


def test_consent_gate(db: Database) -> None:
    consents = ConsentStore(db)
    turn = Turn(user_id="u1", feature=Echo())
    with pytest.raises(ConsentRequired):
        run(ConsentGate(consents).run(turn))
    consents.grant("u1", Scope.NOTIFICATIONS)
    run(ConsentGate(consents).run(turn))


def test_context_reads_only_this_user_and_classifies(db: Database) -> None:
    store = EventStore(db, Vault(b"k" * 32))
    bank = NotificationEvent(
        event_id="n1", user_id="u1", ts=TS, source_app="招商银行", body="支出68元", category="bank"
    )
    other = bank.model_copy(update={"user_id": "u2"})
    store.add([bank, other])
    turn = Turn(user_id="u1", feature=Echo(), granted=frozenset({Scope.NOTIFICATIONS}))
    run(Context(store).run(turn))
    assert [e.user_id for e in turn.context] == ["u1"]
    assert turn.privacy is PrivacyClass.SENSITIVE


@dataclass
class Greedy(Echo):
    """A feature that declares one scope and then reads every type there is (by query and by id)."""

    def select_context(self, store: EventReader, turn: Turn) -> list[Event]:
        return [*store.query(turn.user_id), *store.get(turn.user_id, ["p1", "n1"])]


def test_context_shows_features_only_the_types_the_consents_cover(db: Database) -> None:
    consents = ConsentStore(db)
    store = EventStore(db, Vault(b"k" * 32))
    store.add(
        [
            NotificationEvent(event_id="n1", user_id="u1", ts=TS, source_app="微信", body="晚上见", category="im"),
            PaymentEvent(event_id="p1", user_id="u1", ts=TS, source_app="微信", amount_fen=6800, merchant="全家"),
        ]
    )

    def seen() -> list[str]:
        turn = Turn(user_id="u1", feature=Greedy())
        run(ConsentGate(consents).run(turn))
        run(Context(store).run(turn))
        return sorted(e.event_id for e in turn.context)

    consents.grant("u1", Scope.NOTIFICATIONS)
    assert seen() == ["n1", "n1"]  # the payment is not there, asked for by type or by id
    consents.grant("u1", Scope.PAYMENTS)  # the separate financial consent
    assert seen() == ["n1", "n1", "p1", "p1"]
    consents.withdraw("u1", Scope.PAYMENTS)
    assert seen() == ["n1", "n1"]  # the very next request
    assert readable_types([]) == {"app_action"} and set(SCOPE_OF_TYPE) >= {"message", "payment", "calendar"}


def test_build_prompt_and_input_screen() -> None:
    screener = KeywordScreener([Term("制毒配方", "A.1.8", "t")])
    turn = Turn(user_id="u1", feature=Echo("告诉我制毒配方"))
    run(BuildPrompt().run(turn))
    assert turn.user_text() == "告诉我制毒配方"
    run(InputScreen(screener).run(turn))
    assert turn.input_screen.blocked and turn.refusal and "抱歉" in turn.refusal


def test_route_keeps_sensitive_data_on_device_without_cloud_consent(db: Database) -> None:
    consents = ConsentStore(db)
    cloud = ScriptedModel("cloud/x")
    router = Router([*lite_models(), cloud], default="cloud/x")
    consents.grant("u1", Scope.NOTIFICATIONS)  # Echo's scope, so the gate lets the turn through
    turn = Turn(user_id="u1", feature=Echo())
    turn.messages = [Message(role="user", content="你好")]
    turn.privacy = PrivacyClass.SENSITIVE
    run(ConsentGate(consents).run(turn))
    run(Route(router).run(turn))
    assert [m.info.name for m in turn.candidates] == ["lite/textrank", "lite/retrieval"]
    consents.grant("u1", Scope.CLOUD_PROCESSING)
    run(ConsentGate(consents).run(turn))  # consent is read once per turn, by the gate
    run(Route(router).run(turn))
    assert [m.info.name for m in turn.candidates] == ["cloud/x", "lite/textrank", "lite/retrieval"]
    turn.model = "nope/nothing"
    with pytest.raises(ModelNotFound):
        run(Route(router).run(turn))


def test_route_filters_by_task_capability() -> None:
    router = Router(lite_models(), default="lite")
    reply = router.decide(
        feature="replies",
        requested=None,
        task=Task(kind="reply", candidates=["好"]),
        privacy=PrivacyClass.PUBLIC,
        cloud_ok=False,
    )
    assert [m.info.name for m in reply.candidates] == ["lite/retrieval"]
    assert reply.skipped == {"lite/textrank": "cannot do reply", "lite/rules": "cannot do reply"}


def _turn_with(models: list[ScriptedModel], text: str, cloud_ok: bool = True) -> Turn:
    turn = Turn(user_id="u1", feature=Echo(text))
    turn.messages = [Message(role="user", content=text)]
    turn.candidates = list(models)
    turn.granted = frozenset({Scope.CLOUD_PROCESSING} if cloud_ok else ())
    return turn


def test_egress_redacts_for_cloud_logs_it_and_restore_puts_values_back(db: Database) -> None:
    log = EgressLog(db)
    cloud = ScriptedModel("cloud/x")
    turn = _turn_with([cloud], "请给13800138000发短信")
    run(EgressBoundary(log).run(turn))
    run(Generate(Health()).run(turn))
    run(Restore().run(turn))
    text = "".join(run(drain(turn.output)))  # type: ignore[arg-type]
    assert cloud.requests[0].messages[0].content == "请给[手机号_1]发短信"
    assert text == "请给13800138000发短信"  # echoed placeholder restored on device
    (rec,) = log.for_user("u1")
    assert rec.redactions == {"手机号": 1} and [r.id for r in turn.egress] == [rec.id]
    assert rec.consents == ["cloud_processing"]  # which consent let it leave (PIPL Art. 23)


def test_egress_boundary_sends_nothing_without_cloud_processing(db: Database) -> None:
    log = EgressLog(db)
    cloud = ScriptedModel("cloud/x")
    turn = _turn_with([cloud], "你好", cloud_ok=False)
    run(EgressBoundary(log).run(turn))
    run(Generate(Health()).run(turn))
    with pytest.raises(ModelUnavailable, match="cloud_processing"):
        run(drain(turn.output))  # type: ignore[arg-type]
    assert cloud.requests == [] and log.for_user("u1") == []


def test_on_device_models_see_raw_text_and_nothing_is_logged(db: Database) -> None:
    log = EgressLog(db)
    local = ScriptedModel("local/x", locality=Locality.ON_DEVICE)
    turn = _turn_with([local], "13800138000")
    run(EgressBoundary(log).run(turn))
    run(Generate(Health()).run(turn))
    run(drain(turn.output))  # type: ignore[arg-type]
    assert local.requests[0].messages[0].content == "13800138000"
    assert log.for_user("u1") == []


def test_generate_falls_back_when_a_candidate_fails_before_output() -> None:
    broken = ScriptedModel("cloud/broken", fail_before=ConnectionError("refused"))
    good = ScriptedModel("cloud/good", chunks=["你", "好"])
    turn = _turn_with([broken, good], "hi")
    run(Generate(Health()).run(turn))
    assert "".join(run(drain(turn.output))) == "你好"  # type: ignore[arg-type]
    assert turn.answered_by and turn.answered_by.name == "cloud/good"
    assert [f.model for f in turn.fallbacks] == ["cloud/broken"] and "refused" in turn.fallbacks[0].error
    assert turn.usage.completion_tokens == 2


def test_generate_raises_when_every_candidate_fails() -> None:
    turn = _turn_with([ScriptedModel("a", fail_before=TimeoutError("slow"))], "hi")
    run(Generate(Health()).run(turn))
    with pytest.raises(ModelUnavailable, match="slow"):
        run(drain(turn.output))  # type: ignore[arg-type]


def test_output_screen_cuts_before_any_part_of_a_bad_phrase_is_shown() -> None:
    screener = KeywordScreener([Term("制毒配方", "A.1.8", "t")])
    model = ScriptedModel("m", chunks=["好的，下面是", "制", "毒", "配", "方：第一步"])
    turn = _turn_with([model], "x")
    run(Generate(Health()).run(turn))
    run(OutputScreen(screener).run(turn))
    shown = "".join(run(drain(turn.output)))  # type: ignore[arg-type]
    assert "制" not in shown and "毒" not in shown
    assert "停止输出" in shown and turn.finish_reason == "content_filter"
    assert turn.output_screen.risks == ("A.1.8",)


class _Windows:
    """A window screener that records what it was asked to screen, and passes it."""

    lookbehind = 0

    def __init__(self) -> None:
        self.seen: list[str] = []

    def screen(self, text: str) -> ScreenResult:
        self.seen.append(text)
        return ScreenResult("pass", ())


def test_output_screen_screens_a_delta_of_several_sentences_up_to_its_last_sentence_end_first() -> None:
    # one network read may carry several sentences as one delta: a sentence-gated window still gets a window
    # that ends a sentence (where its expensive layers run), then the rest
    windows = _Windows()
    model = ScriptedModel("m", chunks=["第一句。第二句！」后半", "没有句号", "结尾。"])
    turn = _turn_with([model], "x")
    turn.streaming = True
    run(Generate(Health()).run(turn))
    run(OutputScreen(KeywordScreener([]), window=windows, hold=0).run(turn))
    assert "".join(run(drain(turn.output))) == "第一句。第二句！」后半没有句号结尾。"  # type: ignore[arg-type]
    assert windows.seen == ["第一句。第二句！」", "后半", "没有句号", "结尾。"]


def test_a_whole_answer_is_screened_once_whole_and_a_blocked_one_shows_none_of_its_text() -> None:
    # a caller waiting for the whole answer is shown nothing before the end: no windows, one judgement
    windows, screener = _Windows(), KeywordScreener([Term("制毒配方", "A.1.8", "t")])
    turn = _turn_with([ScriptedModel("m", chunks=["好的，下面是", "制毒", "配方：第一步"])], "x")
    assert not turn.streaming
    run(Generate(Health()).run(turn))
    run(OutputScreen(screener, window=windows).run(turn))
    shown = "".join(run(drain(turn.output)))  # type: ignore[arg-type]
    assert windows.seen == [] and "好的" not in shown and "停止输出" in shown
    assert turn.finish_reason == "content_filter" and turn.output_screen.risks == ("A.1.8",)


def test_output_screen_passes_clean_text_unchanged() -> None:
    screener = KeywordScreener([Term("制毒配方", "A.1.8", "t")])
    chunks = ["今天", "天气", "不错，", "适合散步。"]
    turn = _turn_with([ScriptedModel("m", chunks=chunks)], "x")
    run(Generate(Health()).run(turn))
    run(OutputScreen(screener).run(turn))
    assert "".join(run(drain(turn.output))) == "".join(chunks)  # type: ignore[arg-type]
    assert turn.output_screen.verdict == "pass"


def test_label_and_audit(db: Database) -> None:
    log = AuditLog(db, AuditKeys(bytes(32)))
    turn = _turn_with([ScriptedModel("m", chunks=["答", "案"])], "问题")
    for stage in (Generate(Health()), LabelOutput(), Audit(log)):
        run(stage.run(turn))
    run(drain(turn.output))  # type: ignore[arg-type]
    assert turn.label and turn.label.explicit == "本内容由人工智能生成"
    (entry,) = log.entries()
    assert entry["id"] == turn.audit_id and entry["model"] == "m" and entry["finish_reason"] == "stop"
    assert entry["user_ref"] != "u1" and turn.text == "答案"


def test_audit_records_an_abandoned_stream(db: Database) -> None:
    log = AuditLog(db, AuditKeys(bytes(32)))
    turn = _turn_with([ScriptedModel("m", chunks=["一", "二", "三"])], "问题")
    run(Generate(Health()).run(turn))
    run(Audit(log).run(turn))

    async def read_one() -> None:
        stream = turn.output
        assert stream is not None
        await anext(stream)
        await stream.aclose()  # type: ignore[attr-defined]

    run(read_one())
    assert log.entries()[0]["finish_reason"] == "aborted"


def test_egress_redacts_the_users_contacts_by_name(db: Database) -> None:
    cloud = ScriptedModel("cloud/x")
    turn = _turn_with([cloud], "陈昊说晚上一起吃饭")
    run(EgressBoundary(EgressLog(db), contacts=lambda _user: ["陈昊"]).run(turn))
    run(Generate(Health()).run(turn))
    run(drain(turn.output))  # type: ignore[arg-type]
    assert cloud.requests[0].messages[0].content == "[姓名_1]说晚上一起吃饭"


@pytest.mark.parametrize(
    ("placement", "expected"),
    [
        (Placement.INTERFACE, "答案"),
        (Placement.START, "【本内容由人工智能生成】\n\n答案"),
        (Placement.END, "答案\n\n【本内容由人工智能生成】"),
    ],
)
def test_explicit_label_placement(placement: Placement, expected: str) -> None:
    turn = _turn_with([ScriptedModel("m", chunks=["答", "案"])], "问题")
    for stage in (Generate(Health()), LabelOutput(placement)):
        run(stage.run(turn))
    assert "".join(run(drain(turn.output))) == expected  # type: ignore[arg-type]
    assert turn.label and turn.label.implicit["AIGC"]["Label"] == "1"


class _Scored:
    """A screener that passes everything with a fixed score, like the classifier layer on a borderline ask."""

    lookbehind = 1

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def screen(self, text: str) -> ScreenResult:
        return ScreenResult("pass", ("A.4.1",), self.scores, None)


def test_borderline_input_is_answered_with_care_guidance() -> None:
    turn = Turn(user_id="u1", feature=Echo("最近压力很大，睡不着"))
    run(BuildPrompt().run(turn))
    run(InputScreen(_Scored({"classifier:unsafe": 0.4})).run(turn))  # sensitive, below the block threshold
    assert turn.refusal is None
    assert turn.messages[0].role == "system" and "12356" in turn.messages[0].content  # support resources
    calm = Turn(user_id="u1", feature=Echo("今天天气不错"))
    run(BuildPrompt().run(calm))
    run(InputScreen(_Scored({"classifier:unsafe": 0.05})).run(calm))
    assert [m.role for m in calm.messages] == ["user"]


def test_label_names_the_provider_and_is_signed_over_the_delivered_text(db: Database) -> None:
    signer = LabelSigner(bytes(32))
    turn = _turn_with([ScriptedModel("m", chunks=["今晚", "七点开会。"])], "问题")
    for stage in (Generate(Health()), LabelOutput(Placement.END, "LX-0001", signer)):
        run(stage.run(turn))
    text = "".join(run(drain(turn.output)))  # type: ignore[arg-type]
    assert turn.label is not None and text.endswith("【本内容由人工智能生成】")
    aigc = turn.label.implicit["AIGC"]
    assert aigc["ContentProducer"] == "LX-0001" and aigc["ReservedCode1"].startswith("lingxi-v1;")
    assert signer.problems(aigc, text) == [] and signer.problems(aigc, "今晚八点开会。") != []
