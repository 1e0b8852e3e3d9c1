"""The opt-in whole-text tagger (``names build --whole-tagger``, :mod:`lingxi.privacy.names_whole`): its training
text's shapes, its recall pass and the manifest switch.

Trained here on a tiny training text written for these tests (not taken from any benchmark set), over the seed
model: well under a second, so no names build is needed.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import NamesBuild
from lingxi.privacy import names_whole
from lingxi.privacy.names import find_names
from lingxi.privacy.names_model import NameModel, current_dir, load_model
from lingxi.privacy.names_train import _Names
from lingxi.privacy.names_whole import WHOLE_FILE, crossed, whole_names
from lingxi.privacy.names_whole_train import TRAIN_FILE, labeled, parse, reshape, train_whole

# contexts where a given name stands alone (no surname window), and ordinary lines (all O)
_TINY = [
    "我和[思远]是发小，从小一起长大。",
    "我和[一诺]是发小，从小一起长大。",
    "我跟[建军]说了好几遍，他就是不听。",
    "我跟[海燕]说了好几遍，她就是不听。",
    "[苗苗]睡着了，你回来轻点。",
    "[小宝]睡着了，你回来轻点。",
    "这次数学[子涵]考了全班第一。",
    "发小的意思是从小一起长大。",
    "好几遍都说了，就是不听。",
    "今天的天气很好，适合出门。",
]


@pytest.fixture(scope="module")
def tagged(seed: NameModel, tmp_path_factory: pytest.TempPathFactory) -> NameModel:
    folder = tmp_path_factory.mktemp("whole")
    (folder / "train.txt").write_text("# a header line\n" + "\n".join(_TINY) + "\n", "utf-8")
    surnames = {s: 1.0 for s in "王李张刘陈"}
    given = {c: 0.01 for c in "思远一诺建军海燕苗子涵宝明华"}
    stats = train_whole(seed, surnames, given, None, folder / WHOLE_FILE, folder / "train.txt")
    assert stats["lines"] == len(_TINY) and stats["spans"] == 7
    return replace(seed, whole=str(folder / WHOLE_FILE))


def test_parse_reads_brackets() -> None:
    assert parse("我和[思远]、[王芳]是发小") == ("我和思远、王芳是发小", [(2, 4), (5, 7)])
    assert parse("没有名字的一行") == ("没有名字的一行", [])


def test_reshape_keeps_the_shape_of_each_span(seed: NameModel) -> None:
    names = _Names({s: 1.0 for s in "王李张"}, {c: 0.01 for c in "明华芳"}, [], seed)
    names.rng = random.Random(3)
    surnames = frozenset("王李张")
    for _ in range(20):
        assert reshape("张", names, surnames) in surnames  # a surname alone (张老师) stays one surname
        full = reshape("王建国", names, surnames)
        assert len(full) == 3 and full[0] in surnames
        assert reshape("小宝", names, surnames)[0] == "小" and reshape("阿强", names, surnames)[0] == "阿"
        doubled = reshape("苗苗", names, surnames)
        assert len(doubled) == 2 and doubled[0] == doubled[1]
        assert reshape("强子", names, surnames).endswith("子")
        assert len(reshape("欧阳修", names, surnames)) == 3
    assert reshape("买买提·艾力", names, surnames) == "买买提·艾力"  # no shape fits: kept as written


def test_labels_follow_the_clauses_the_runtime_tags() -> None:
    text, gold = parse("我和[思远]是发小。[苗苗]睡了")
    pieces = labeled(text, gold)
    assert [p for p, _ in pieces] == ["我和思远是发小。", "苗苗睡了"]
    assert pieces[0][1] == ["O", "O", "B", "I", "O", "O", "O", "O"] and pieces[1][1][:3] == ["B", "I", "O"]


def test_the_shipped_training_text_is_there_and_bracketed() -> None:
    lines = [x for x in TRAIN_FILE.read_text("utf-8").splitlines() if x and not x.startswith("# ")]
    assert len(lines) > 1000 and sum("[" in x for x in lines) > 500


def test_whole_tagger_adds_a_given_name_alone(tagged: NameModel, seed: NameModel) -> None:
    text = "我和国庆是发小，从小一起长大。"  # a name that is also a word
    assert find_names(text, seed) == []  # no surname window: the seed cannot see it
    assert find_names(text, tagged) == [(2, 4)]
    assert find_names("今天的天气很好，适合出门。", tagged) == []


def test_whole_tagger_only_adds_spans_beside_those_found(tagged: NameModel) -> None:
    text = "我和思远是发小，从小一起长大。"
    assert whole_names(text, [(0, 1)], tagged) == [(0, 1), (2, 4)]
    assert whole_names(text, [(1, 3)], tagged) == [(1, 3)]  # an overlap keeps what the other passes found
    assert whole_names(text, [], replace(tagged, whole="")) == []


def test_whole_tagger_is_off_by_default_and_read_from_the_manifest(
    names_build: NamesBuild, tagged: NameModel, tmp_path: Path
) -> None:
    """``names build --whole-tagger`` records its counts in the manifest; the loader opens the file only then."""
    assert names_build.manifest["whole_tagger"] is None and names_build.model.whole == ""
    home = tmp_path / "home"
    shutil.copytree(names_build.home, home)
    folder = current_dir(home)
    assert folder is not None
    shutil.copy(tagged.whole, folder / WHOLE_FILE)
    assert load_model(home).whole == ""  # a file the manifest does not name is not used
    written = json.loads((folder / "manifest.json").read_text("utf-8"))
    (folder / "manifest.json").write_text(json.dumps({**written, "whole_tagger": {"lines": 10}}), "utf-8")
    assert load_model(home).whole == str(folder / WHOLE_FILE)


def test_a_span_a_word_or_a_dot_crosses_is_not_added(seed: NameModel) -> None:
    assert crossed("和平叔今天来了", 1, 3, seed)  # 和平 crosses the start of 平叔
    assert crossed("客户安娜·彼得罗娃到了", 2, 4, seed)  # part of a longer transliterated name
    assert not crossed("我和国庆是发小", 2, 4, seed)


def test_one_character_alone_must_be_a_surname(tagged: NameModel, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tagger's one-character spans (a surname before a title, 快递员戚) count only for a listed surname."""
    monkeypatch.setattr(names_whole, "tagged_spans", lambda text, model, floor=0.0: [(0.99, 0, 1)])
    assert "副" not in tagged.surnames and whole_names("副经理到了", [], tagged) == []
    assert "戚" in tagged.surnames and whole_names("戚，快递到了", [], tagged) == [(0, 1)]


def test_cli_switch_reaches_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``names build --whole-tagger`` asks the build for the tagger; without it, the build is as before."""
    from typer.testing import CliRunner

    from lingxi.cli import privacy as cli

    asked: list[bool] = []

    def fake(src: Path, out: Path, slots: bool, recall: bool, whole: bool = False) -> tuple[Path, dict[str, object]]:
        asked.append(whole)
        counts = {"surnames": 1, "given_chars": 1, "titles": 1}
        return out, {"version": "v", "counts": counts, "source": "s", "license": "l", "commit": None}

    monkeypatch.setattr(cli, "build_model", fake)
    (tmp_path / "src").mkdir()
    for extra in ([], ["--whole-tagger"]):
        args = ["names", "build", "--from", str(tmp_path / "src"), "--home", str(tmp_path / "home"), *extra]
        result = CliRunner().invoke(cli.privacy_app, args)
        assert result.exit_code == 0, result.output
    assert asked == [False, True]


def test_a_field_value_under_a_label_naming_no_person_is_not_added(
    tagged: NameModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """付款方式：微信 is a form's value, not a name; a person label (联系人：, 接收人：, 值班：) keeps its slot."""
    monkeypatch.setattr(names_whole, "tagged_spans", lambda text, model, floor=0.0: [(0.99, 5, 7)])
    assert whole_names("付款方式：微信、支付宝均可", [], tagged) == []
    assert whole_names("付款方式，微信、支付宝均可", [], tagged) == [(5, 7)]  # no label: the tagger's call
    assert whole_names("店铺招聘：诚聘店长一名", [], tagged) == []
    assert whole_names("本周值班：思远，请准时", [], tagged) == [(5, 7)]  # a role word: a name slot
    assert whole_names("新接收人：思远", [], tagged) == [(5, 7)]  # any label ending in 人
