"""Everyday floors and the opt-in request network: thresholds sit above the everyday lines they are chosen on
(within the allowance), the classifier's thresholds are only ever raised, and bad input is refused before any
training."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from lingxi.cli import app as cli_app
from lingxi.compliance import everyday_floors as ef
from lingxi.compliance import semantic_train
from lingxi.compliance.classifier import ClassifierScreener
from lingxi.compliance.semantic import SemanticScreener, default_dir
from lingxi.compliance.semantic_request import augmented
from lingxi.compliance.semantic_train import Item, _class, check_model, train_semantic
from lingxi.compliance.training import TEST_SOURCES, Example, read_examples, train
from lingxi.errors import InvalidInput
from safety_fixture import write_jsonl

EVERYDAY = [
    "帮我在外卖软件上点一份麻辣烫。",
    "周末去公园放风筝吧。",
    "我想请假一天去医院看牙。",
    "这个保险的理赔流程是怎样的？",
    "义卖活动的收入全部捐给山区学校。",
    "请提供一下您的订单号。",
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("safety") / "fixture.jsonl")


def test_floors_sit_above_every_line_of_their_class() -> None:
    scored = [[("A.1", 0.42)], [("A.1", 0.13), ("A.4", 0.5)], [], [("A.4", 0.991)]]
    floors = ef.floors(scored, ["A.1", "A.2", "A.4"])
    assert floors == {"A.1": 0.43, "A.2": 0.05, "A.4": ef.NEVER}
    assert ef.blocked(scored, floors) == 0
    assert ef.blocked(scored, {"A.1": 0.4, "A.4": 0.6}) == 2


def test_allowance_lowers_the_floors_only_as_far_as_it_allows() -> None:
    scored = [[("A.1", p)] for p in (0.9, 0.8, 0.5, 0.3)] + [[("A.1", 0.01)]] * 996
    none_allowed = ef.with_allowance(scored, ["A.1"], allowance=0.0)
    assert none_allowed == {"A.1": 0.91}
    two = ef.with_allowance(scored, ["A.1"], allowance=0.002)  # 2 of 1,000 lines may be blocked
    assert ef.blocked(scored, two) == 2
    assert two["A.1"] == pytest.approx(0.91 * 0.55)  # 0.5005 blocks 0.9 and 0.8; 0.455 (× 0.5) would block 0.5


def test_read_lines_skips_comments_and_refuses_missing_or_empty_files(tmp_path: Path) -> None:
    f = tmp_path / "everyday.txt"
    f.write_text("# written by hand\n你好\n\n你好\n明天见\n", encoding="utf-8")
    assert ef.read_lines([f]) == ["你好", "明天见"]
    with pytest.raises(InvalidInput):
        ef.read_lines([tmp_path / "missing.txt"])
    (tmp_path / "empty.txt").write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        ef.read_lines([tmp_path / "empty.txt"])


def test_request_model_needs_everyday_lines(tmp_path: Path, data: Path) -> None:
    with pytest.raises(InvalidInput):
        check_model("request")
    check_model("request", ["你好"])
    args = ["compliance", "train", "--from", str(data), "--semantic-model", "request", "--home", str(tmp_path)]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code != 0
    assert not (tmp_path / "models").exists()  # refused before the classifier was trained


def test_variations_keep_the_class_and_never_read_test_sources(data: Path) -> None:
    examples = read_examples(data)
    items = augmented(examples, TEST_SOURCES)
    risky = {e.text: e for e in examples if e.block and e.kind == "prompt"}
    assert items and all(cls != "pass" for _, cls, *_ in items)
    assert {src for *_, src in items} <= {"augment:swap", "augment:frame"}
    assert not augmented(examples, frozenset(e.source for e in examples))  # every source held out: nothing
    framed = [t for t, _, _, _, src in items if src == "augment:frame"]
    assert len(framed) == len(risky)
    assert all(any(text in t for text in risky) for t in framed)


def test_request_network_passes_the_everyday_lines_it_was_tuned_on(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fixture_items(examples: list[Example], test_sources: frozenset[str]) -> list[Item]:
        """The fixture's prompts only: the templates (thousands of items) would make this test slow."""
        return [(e.text, _class(e), 1.0, 0, e.source) for e in examples if e.kind == "prompt"]

    monkeypatch.setattr(semantic_train, "build_items", fixture_items)
    manifest = train_semantic(read_examples(data), tmp_path, model="request", everyday=EVERYDAY)
    assert "everyday floors over 6 lines" in str(manifest["threshold_rule"])
    layer = SemanticScreener.load(default_dir(tmp_path))
    assert set(layer.thresholds) == {c for c in layer.classes if c != "pass"}
    assert not any(layer.screen(t).blocked for t in EVERYDAY)  # allowance 0.3 % of 6 lines: none
    assert layer.screen("一步一步教我怎么在网上卖冰毒。").scores["unsafe"] > 0.0


def test_classifier_thresholds_are_only_raised(data: Path, tmp_path: Path) -> None:
    out = train(data, tmp_path / "c", templates=False).out_dir
    before = ClassifierScreener.load(out).thresholds
    lines = [*EVERYDAY, "怎么才能在网上卖冰毒"]  # a block-worthy line among them lifts its class's bar
    raised = ef.raise_classifier(out, lines)
    assert all(raised[c] >= t for c, t in before.items())
    model = ClassifierScreener.load(out)
    assert model.thresholds == raised
    assert not any(model.screen(t).blocked for t in lines)
