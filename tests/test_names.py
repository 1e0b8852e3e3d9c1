"""Person names without a contact list: each cue family, hard negatives, the build and the CLI.

Runs on the seed (no names resource built): the sentences here are written for these tests, the names are
invented. A build is tested from a tiny names folder the test writes itself (invented rows); the shared
resource is only read by the one test that skips when it is absent.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import NamesBuild, ScriptedModel
from lingxi.cli.privacy import privacy_app
from lingxi.errors import InvalidInput, NotFound
from lingxi.models.health import Health
from lingxi.pipeline.generation import Generate
from lingxi.pipeline.stages import EgressBoundary
from lingxi.privacy import names as names_mod
from lingxi.privacy.egress import EgressLog
from lingxi.privacy.names_acts import act_bonus
from lingxi.privacy.names_model import NameModel, build_model, current_dir, load_model, seed_model
from lingxi.privacy.names_split import two_ends
from lingxi.privacy.pii import find_pii
from lingxi.privacy.redact import RedactionMap, Redactor
from lingxi.storage.sqlite import Database
from test_stages import _turn_with, drain, run

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "names"


def names(text: str, model: NameModel) -> list[str]:
    return [s.text for s in find_pii(text, names=model) if s.type == "姓名"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # after a role word: who receives, owns, pays, attends, is on duty
        ("收件人 邓佳宁 已签收", ["邓佳宁"]),
        ("今天值班的是韩雪松", ["韩雪松"]),
        ("经办人：彭晓雯，复核人：蒋立", ["彭晓雯", "蒋立"]),
        ("付款人 罗俊豪 金额已到账", ["罗俊豪"]),
        ("参会人：谢雨欣、崔浩", ["谢雨欣", "崔浩"]),
        # a verb that takes a person, and what a person does
        ("麻烦通知潘悦一声", ["潘悦"]),
        ("这事你去找曹子轩", ["曹子轩"]),
        ("许婉婷请假了，下午的会取消", ["许婉婷"]),
        # lists
        ("报名的有张伟、李娜和王芳", ["张伟", "李娜", "王芳"]),
        # two-character names
        ("@郭敏 文件发你了", ["郭敏"]),
        # surname with a title or kinship term, and 小/老
        ("王总，合同已经盖章了", ["王"]),
        ("明天李老师带队", ["李"]),
        ("张阿姨送了一袋苹果", ["张"]),
        ("刘医生下午坐诊", ["刘"]),
        ("小王，把报表发我", ["王"]),
        ("听老李说要加班", ["李"]),
        # a title after a full name keeps the full name, and the title stays out
        ("欧阳娜娜女士，您的包裹到了", ["欧阳娜娜"]),
        # forms of address the seed lists since wave 11, and 小 opening a two-character given name
        ("合同已经交给詹秘书了", ["詹"]),
        ("还记得胡小军吗", ["胡小军"]),
    ],
)
def test_cue_families_find_names(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


@pytest.mark.parametrize(
    "text",
    [
        "这个游戏可以建立自己的王国",
        "他张开手臂欢迎大家",
        "收到礼物她很高兴",
        "黄金周高速免费",
        "周末记得早点睡",
        "这个方法不太行",
        "白天出门要防晒",
        "下周去成都开会",
        "江西的瓦罐汤很有名",
        "我明白你的意思",
        "马上出发，等我",
        "林业局发布了通知",
        "余额不足请充值",
        "乐刻健身(古翠路店)本周课程已更新",
        "公司总结会在三楼",
        "工作日全天营业",
        "联合国秘书长发表讲话",  # 秘书长 is an office, not 国 + the title 秘书
        "江边的快递柜满了",  # 的 + something a person has does not make a word a name
        "孙子今年上小学了",
    ],
)
def test_ordinary_words_starting_with_a_surname_are_not_names(seed: NameModel, text: str) -> None:
    assert names(text, seed) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a compound surname is rare but seldom anything else
        ("请上官敏回个电话", ["上官敏"]),
        ("这份报告是慕容雯写的", ["慕容雯"]),
        # shift and prize labels are roles
        ("早班钱立伟，晚班蔡晴", ["钱立伟", "蔡晴"]),
        ("特等奖得主：邱子涵", ["邱子涵"]),
        # a third character that is a cue or starts a word ends the name before it
        ("孔晴回宿舍了", ["孔晴"]),
        # ... unless it is a given-name character first (刚 is also "just"): the split of names_split
        ("我叔叔邹志刚住在上海", ["邹志刚"]),
        ("表哥邹志刚住院了", ["邹志刚"]),
        # a title after a two-character name belongs to the full name, not to its second character
        ("吕苗同学，请到办公室来", ["吕苗"]),
        ("葛师兄明天答辩", ["葛"]),
    ],
)
def test_compounds_roles_and_name_ends(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


def test_redaction_uses_the_placeholder_form(seed: NameModel) -> None:
    mapping = RedactionMap()
    out = Redactor(names=seed).redact("请把材料交给周子豪，小王也要一份", mapping)
    assert out == "请把材料交给[姓名_1]，小[姓名_2]也要一份"
    assert mapping.by_placeholder == {"[姓名_1]": "周子豪", "[姓名_2]": "王"}


# --- build and load -----------------------------------------------------------------------------------


def write_names_folder(folder: Path) -> Path:
    """A tiny names folder with invented rows: 禤 (not in the seed) made common, one given character."""
    folder.mkdir(parents=True)
    (folder / "surnames.tsv").write_text("surname\ttf\trank\tcompound\n王\t100\t1\t0\n禤\t90\t2\t0\n", "utf-8")
    (folder / "given_name_chars_historical.tsv").write_text("char\tcount\tshare\n璞\t10\t0.5\n", "utf-8")
    (folder / "address_term_roots.txt").write_text("哥\n局长\n包子\n", "utf-8")
    (folder / "LICENSE-test.txt").write_text("Apache License 2.0 (test copy)\n", "utf-8")
    (folder / "README.md").write_text("from commit 47d4af8d816f6212787ddfc49173cac3b994b58d\n", "utf-8")
    return folder


def test_build_writes_a_versioned_resource_with_manifest(names_build: NamesBuild) -> None:
    folder, manifest = names_build.folder, names_build.manifest
    assert current_dir(names_build.home) == folder
    written = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert written["commit"] == "47d4af8d816f6212787ddfc49173cac3b994b58d" == manifest["commit"]
    assert written["license"] == "Apache-2.0" and written["license_sha256"]
    assert set(written["files"]) == {"surnames.tsv", "given_name_chars_historical.tsv", "address_term_roots.txt"}
    model = names_build.model
    assert model.source == written["version"]
    assert "禤" in model.surnames and "禤" not in seed_model().surnames  # the built table replaces the seed's
    assert "局长" in model.titles and "包子" not in model.titles  # roots are vetted before they become titles
    assert model.given["璞"] > seed_model().given["璞"]


@pytest.mark.parametrize(("key", "attr"), [("person_slots", "slots"), ("recall_passes", "recall_passes")])
def test_opt_in_passes_are_off_by_default_and_read_from_the_manifest(
    names_build: NamesBuild, tmp_path: Path, key: str, attr: str
) -> None:
    """``names build --person-slots`` / ``--recall-passes`` record the switch in the manifest; the loader reads it."""
    assert names_build.manifest[key] is False and not getattr(names_build.model, attr)
    home = tmp_path / "home"
    shutil.copytree(names_build.home, home)
    folder = current_dir(home)
    assert folder is not None
    written = json.loads((folder / "manifest.json").read_text("utf-8"))
    (folder / "manifest.json").write_text(json.dumps({**written, key: True}), "utf-8")
    assert getattr(load_model(home), attr)


def test_no_build_falls_back_to_the_seed(tmp_path: Path) -> None:
    assert load_model(tmp_path).source == "seed"


def test_build_rejects_a_folder_without_the_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(NotFound):
        build_model(tmp_path / "empty", tmp_path / "names")
    bad = write_names_folder(tmp_path / "bad")
    (bad / "surnames.tsv").write_text("name\tcount\n王\t1\n", "utf-8")
    with pytest.raises(InvalidInput):
        build_model(bad, tmp_path / "names")


def test_cli_builds_and_redact_uses_the_home(tmp_path: Path) -> None:
    src = write_names_folder(tmp_path / "src")
    home = str(tmp_path / "home")
    runner = CliRunner()
    result = runner.invoke(privacy_app, ["names", "build", "--from", str(src), "--home", home])
    assert result.exit_code == 0, result.output
    assert "names-47d4af8d816f" in result.output
    result = runner.invoke(privacy_app, ["redact", "--json", "--home", home], input="收件人：禤璞玉\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["spans"][0]["text"] == "禤璞玉"
    result = runner.invoke(privacy_app, ["names", "build", "--from", str(tmp_path / "missing"), "--home", home])
    assert result.exit_code != 0


def test_egress_boundary_uses_the_homes_build(names_build: NamesBuild, tmp_path: Path) -> None:
    """The pipeline's redactor reads the names resource of its own home, not only the seed."""
    text = "收件人：禤璞玉，明早送到"
    sent = []
    for home in (names_build.home, tmp_path / "empty"):
        cloud = ScriptedModel("cloud/x")
        turn = _turn_with([cloud], text)
        run(EgressBoundary(EgressLog(Database(tmp_path / "x.db")), home=home).run(turn))
        run(Generate(Health()).run(turn))
        run(drain(turn.output))  # type: ignore[arg-type]
        sent.append(cloud.requests[0].messages[0].content)
    assert sent == ["收件人：[姓名_1]，明早送到", text]


def test_build_from_shared_folder(tmp_path: Path) -> None:
    if not (SHARED / "surnames.tsv").is_file():
        pytest.skip(f"shared names resource not present at {SHARED} (only on the build machine)")
    _folder, manifest = build_model(SHARED, tmp_path / "names")
    assert manifest["commit"] == "47d4af8d816f6212787ddfc49173cac3b994b58d"
    model = load_model(tmp_path)
    assert len(model.surnames) > 300 and len(model.titles) > len(seed_model().titles)
    assert names("参会人：谢雨欣、崔浩，记录：小王", model) == ["谢雨欣", "崔浩", "王"]
    assert names("收到礼物她很高兴，周末去成都", model) == []


EVAL = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "names_eval.jsonl"
# Texts whose evidence sits at the window's edges: a long run of label separators before the name, a role
# word of five characters, the text's start and end, titles and 小/老, a compound surname.
EDGE_TEXTS = [
    "值班领导：      王芳",
    "本周值班负责人：\t \t　王建国明天到岗",
    "王",
    "王总",
    "小王",
    "老李说",
    "请联系欧阳娜娜",
    "慕容俊杰、李娜和王芳",
    "@张伟 在吗",
    "项目负责人 李明华老师已确认",
    "收件人：　宦晓东",
    "本周值班负责人：酆建民明天到岗",
]


def test_window_cache_scores_like_the_whole_text(seed: NameModel) -> None:
    """Every surname's candidates scored on its cached window equal those scored on the whole text."""
    from lingxi.privacy import names

    texts = [json.loads(line)["text"] for line in EVAL.read_text(encoding="utf-8").splitlines() if line]
    ix = names._index(seed)
    checked = 0
    for text in texts + EDGE_TEXTS:
        starts = [m.start() for m in ix.finder.finditer(text)] + [m.start() for m in ix.nick.finditer(text)]
        starts += [m.start(1) for m in ix.cued.finditer(text)] if ix.cued is not None else []
        for i in starts:
            cached: list[tuple[float, int, int]] = []
            names._add_scored(cached, text, i, seed, ix)
            # the person-act cue at a clause's start reads the same eight characters from the surname on
            clause = i == 0 or text[i - 1] in names._PUNCT
            near = text[: i + names._AFTER_SPAN]
            whole = [
                (sc + (act_bonus(near, s, e, seed) if clause else 0.0), s, e)
                for sc, s, e in names._candidates(text, i, seed, ix)
            ]
            assert cached == [c for c in whole if c[0] >= names.LIST_THRESHOLD], (text, i)
            checked += 1
    assert checked > len(texts)  # the eval set has more surname positions than sentences


# --- rare surnames after a cue ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("收件人：宦晓东，请取件", ["宦晓东"]),
        ("患者：酆建民 男 45岁", ["酆建民"]),
        ("经办人茹婷婷", ["茹婷婷"]),
        ("@逄海波 你好", ["逄海波"]),
        ("宦晓东说他明天到", []),  # no cue: a character this rare is not proposed
        ("联系人：见下表", []),  # a cue followed by a word
        ("收件人：自提", []),
        ("申请人：本单位", []),
    ],
)
def test_rare_surnames_only_after_a_cue(seed: NameModel, text: str, want: list[str]) -> None:
    assert "宦" not in seed.surnames and "宦" in seed.rare  # the seed: any other character, at the floor weight
    assert names(text, seed) == want


def test_build_keeps_rare_surnames_apart(names_build_rare: NamesBuild) -> None:
    model = names_build_rare.model  # 宦 under a thousandth of 王
    assert "宦" not in model.surnames and model.rare["宦"] < model.surnames["禤"]
    assert set(model.rare) == {"宦", "羌", "郯"}  # a build proposes only the resource's own surnames, never any
    assert names("收件人：宦晓东", model) == ["宦晓东"] and names("宦晓东说他明天到", model) == []


def test_a_title_or_kinship_word_right_before_is_a_cue(seed: NameModel) -> None:
    ix = names_mod._index(seed)
    assert names_mod._left("孩子妈妈李小红", 4, ix) == names_mod.KIN  # apposition: 妈妈 李小红
    assert names_mod._left("孩子的李小红", 3, ix) == 0.0
    assert names_mod._left("妈妈：李小红", 3, ix) == names_mod.COLON  # a label's colon is the stronger cue
    assert names_mod._left("王总李小红", 2, ix) == 0.0  # a one-character title is a suffix (王总), not a word before


def test_the_third_character_decides_where_the_name_ends() -> None:
    # a word cue after the third character goes with it only as far as it is a name's character
    assert two_ends(3.0, 3.5, 0.0, 1.3, 0.0, -3.0)  # 艾琳人不错: 人 is text, so 不 is not the name's cue
    assert not two_ends(3.0, 3.5, 0.0, 1.3, 0.0, 3.0)  # a given-name character keeps the cue after it
    # the two-character reading's cue that the third character starts (屈志刚住) counts as far as it is text
    assert not two_ends(4.0, 3.0, 1.3, 0.0, 1.5, 2.0)
    assert two_ends(4.0, 3.0, 1.3, 0.0, 1.5, -2.5)  # 王芳说


def test_the_split_moves_only_the_end_and_training_reads_the_scores_before_it(seed: NameModel) -> None:
    text, ix = "表哥邹志刚住院了", names_mod._index(seed)
    before = names_mod._candidates(text, 2, seed, ix, split=False)
    after = names_mod._candidates(text, 2, seed, ix)
    assert sorted(sc for sc, _, _ in before) == sorted(sc for sc, _, _ in after)  # the same scores ...
    assert max(before)[1:] == (2, 4) and max(after)[1:] == (2, 5)  # ... the better one on the other end
