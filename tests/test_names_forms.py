"""Name shapes with no surname to anchor them, and the pseudonym convention (:mod:`lingxi.privacy.names_forms`).

Sentences written for these tests, not taken from any benchmark set. Run on the seed (no names resource) and on
the session's tiny build: the passes read only the dictionary and given-name statistics both carry.
"""

from __future__ import annotations

import pytest

from lingxi.privacy import names as names_mod
from lingxi.privacy.names_forms import refine
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.pii import find_pii
from test_names import names


@pytest.fixture(params=["seed", "built"])
def model(request: pytest.FixtureRequest, seed: NameModel) -> NameModel:
    if request.param == "seed":
        return seed
    return request.getfixturevalue("names_build").model


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("原告王某诉称双方曾口头约定", ["王"]),
        ("第三人王某某未到庭参加诉讼", ["王"]),
        ("某天在某公司遇到了某人", []),  # 某 as "some"
    ],
)
def test_a_court_pseudonym_is_the_surname_alone(model: NameModel, text: str, want: list[str]) -> None:
    assert names(text, model) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("报名表：吐尔洪·阿不力孜，男，维吾尔族", ["吐尔洪·阿不力孜"]),
        ("下周的讲座由玛格丽特·米勒主讲", ["玛格丽特·米勒"]),
        ("你知道汤姆·汉克斯吗", ["汤姆·汉克斯"]),  # 知道 keeps its 道
    ],
)
def test_an_interpunct_name_is_found_whole(model: NameModel, text: str, want: list[str]) -> None:
    assert names(text, model) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("我们班的卓玛明天请假", ["卓玛"]),
        ("今年的优秀员工是斯琴高娃", ["斯琴高娃"]),
        ("刚才古丽娜扎打电话找你", ["古丽娜扎"]),
    ],
)
def test_a_run_with_a_minority_name_part_is_a_name(model: NameModel, text: str, want: list[str]) -> None:
    assert names(text, model) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("婷婷，妈妈晚点到", ["婷婷"]),
        ("放学后我去接晨晨", ["晨晨"]),
        ("这是浩浩的作业，请转交", ["浩浩"]),
        ("和欢欢一起去的动物园", ["欢欢"]),  # 和 is no surname in front of the pair
    ],
)
def test_a_doubled_given_name_in_a_persons_place(model: NameModel, text: str, want: list[str]) -> None:
    assert names(text, model) == want


@pytest.mark.parametrize(
    "text",
    [
        "中国·杭州国际马拉松",  # a heading, not a name
        "扎西德勒！欢迎来到拉萨",  # a greeting
        "刚刚到家，常常加班",  # adverbs
        "对对，就是那家店",  # an interjection
        "这件衣服妥妥的",
        "他做事马马虎虎，高高兴兴地走了",  # inside a longer doubling
        "萌萌的小猫在睡觉",  # a doubled adjective before 的 and a noun
        "狗狗今天打了疫苗",  # baby talk for a thing
    ],
)
def test_no_name_in_ordinary_text(model: NameModel, text: str) -> None:
    assert names(text, model) == []


def test_the_pseudonym_span_reaches_redaction(seed: NameModel) -> None:
    spans = [s for s in find_pii("被告贺某未到庭", names=seed) if s.type == "姓名"]
    assert [(s.start, s.end, s.text) for s in spans] == [(2, 3, "贺")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("值日生：周三敖丽，周四游子杰", ["敖丽", "游子杰"]),  # a roster's day is a cue, not a surname's start
        ("早读：周二伍强，周四殷红", ["伍强", "殷红"]),
        ("副组长：周一鸣", ["周一鸣"]),  # a name that starts like a weekday
        ("周一方便的话来一趟", []),
    ],
)
def test_a_weekday_in_a_roster_puts_the_name_after_it(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("被执行人罗建新至今未还款", ["罗建新"]),  # a dictionary noun for a person in a role, ending in 人
        ("委托人韩立国至今未到", ["韩立国"]),
        ("海燕你快看群消息", ["海燕"]),  # the text speaks to its first word: 你 with no comma
        ("成都你去过吗", []),  # a place, not someone spoken to
        ("你好你们好", []),
    ],
)
def test_a_role_noun_before_and_you_after_mark_a_name(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


def test_a_common_word_is_no_surname_after_xiao_or_lao(seed: NameModel) -> None:
    """老师 is a word, not 老 + the surname 师 (the seed never accepts it; a build's re-ranker did)."""
    ix = names_mod._index(seed)
    assert names_mod._short_forms("老师让家长签字", 1, 2, 0.0, seed, ix) == []
    assert names_mod._short_forms("小心地滑", 1, 2, 0.0, seed, ix) == []
    assert [(s, e) for _, s, e in names_mod._short_forms("老李让我带句话", 1, 2, 0.0, seed, ix)] == [(1, 2)]


def test_a_span_ending_like_a_place_or_shop_is_dropped(seed: NameModel) -> None:
    """Whatever scored it (a build's re-ranker took 钟表店 at its margin), 店/村/镇… never end a given name."""
    assert refine("钟表店明天关门", [(0, 3)], seed) == []
    assert refine("瓷都景德镇", [(2, 5)], seed) == []
    assert refine("王晓峰明天到", [(0, 3)], seed) == [(0, 3)]
