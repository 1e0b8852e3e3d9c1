"""The last look at name spans (:mod:`lingxi.privacy.names_context`): dates and time words read as names, a
surname character that a word before it has taken, names written in pinyin; and a given name alone after a
scene-setting word at a text's start (:mod:`lingxi.privacy.names_given`).

Runs on the seed (no names resource built); sentences written for these tests, not taken from any benchmark set.
"""

from __future__ import annotations

import pytest

from lingxi.privacy.names_context import famous_names, pinyin_names, review
from lingxi.privacy.names_model import NameModel
from test_names import names


@pytest.mark.parametrize(
    ("text", "spans", "want"),
    [
        ("排班：周三 孟凡宇", [(3, 5), (6, 9)], [(6, 9)]),  # 周三 is a weekday, not 周 + a given name
        ("请于周四前交表", [(1, 4)], []),  # 于 is the preposition before a time word
        ("夏天把伞忘在车上了", [(0, 2)], [(0, 2)]),  # a time word that is no date stays a possible name
        ("王伟明天来", [(0, 2)], [(0, 2)]),  # a name that ends before a time word is untouched
    ],
)
def test_time_words_are_not_names(seed: NameModel, text: str, spans: list[tuple[int, int]], want: object) -> None:
    assert review(text, spans, seed) == want


@pytest.mark.parametrize(
    ("text", "spans", "want"),
    [
        ("上周婉婷来过电话", [(1, 4)], [(2, 4)]),  # 周 belongs to 上周: the name is 婉婷
        ("谢谢林姐帮忙", [(1, 3)], [(2, 3)]),  # 谢 belongs to 谢谢: 林 is the surname before 姐
        ("收件人马丽娟已签收", [(3, 6)], [(3, 6)]),  # 人马 is a word, but a role ends before the name
        ("你先跟上官婉儿说一声", [(3, 7)], [(3, 7)]),  # a compound surname is its own reading
    ],
)
def test_a_surname_that_closes_a_word_before_it(
    seed: NameModel, text: str, spans: list[tuple[int, int]], want: object
) -> None:
    assert review(text, spans, seed) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("报销单签字：Zhao Min，部门：市场部", ["Zhao Min"]),
        ("Dear Liu Yang，会议纪要见附件", ["Liu Yang"]),
        ("对接人Chen Xiaoming，邮件里有他的电话", ["Chen Xiaoming"]),
    ],
)
def test_pinyin_names(seed: NameModel, text: str, want: list[str]) -> None:
    assert [text[a:b] for a, b in pinyin_names(text, seed)] == want


@pytest.mark.parametrize(
    "text",
    [
        "He Said 这首歌很好听",  # He is also English
        "The Long Men Inn 在哪",  # a run of capitalized words is a title
        "Wang Fang is here",  # no Chinese in the text
        "推荐一款 Super Mario 的周边",  # Mario is no pinyin
    ],
)
def test_not_pinyin_names(seed: NameModel, text: str) -> None:
    assert pinyin_names(text, seed) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("刚才婉婷打电话说她不来了", ["婉婷"]),
        ("对不起佳琪，我昨天说重了", ["佳琪"]),
        ("思琪这周末搬去新家", ["思琪"]),  # a time word right after the name: it is the subject
        ("丽娟下午不在座位上", ["丽娟"]),
    ],
)
def test_given_name_after_a_scene_word_at_the_start(seed: NameModel, text: str, want: list[str]) -> None:
    assert names(text, seed) == want


@pytest.mark.parametrize("text", ["刚才明白了你的意思", "今天天气不错", "对不起，我来晚了"])
def test_scene_words_alone_are_no_names(seed: NameModel, text: str) -> None:
    assert names(text, seed) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("诸葛亮的故事我讲了三遍", ["诸葛亮"]),  # a dictionary person word before what is said of a famous person
        ("苏轼写的这首词你背过吗", ["苏轼"]),
        ("孔子故居在曲阜", ["孔子"]),
        ("贾宝玉是红楼梦里的人物", ["贾宝玉"]),
    ],
)
def test_famous_names(seed: NameModel, text: str, want: list[str]) -> None:
    assert [text[a:b] for a, b in famous_names(text, seed)] == want


@pytest.mark.parametrize(
    "text",
    [
        "明白的事就不用再说了",  # the dictionary tags 明白 as a person word: no famous predicate follows
        "他说孔子的故事很长",  # not at the text's start: 孔子 is left to the scorer
        "老师说诸葛亮的故事很长",
    ],
)
def test_not_famous_names(seed: NameModel, text: str) -> None:
    assert famous_names(text, seed) == []


@pytest.mark.parametrize(
    ("text", "spans", "want"),
    [
        ("他得了肩周炎很久了", [(4, 6)], []),  # 周炎 lies inside 肩周炎
        ("大家要学习拾金不昧的精神", [(5, 7)], []),  # 拾金 lies inside the idiom 拾金不昧
        ("小金明天过来吃饭", [(1, 2)], [(1, 2)]),  # a surname after 小 is read with it, not as a word
        ("晓东哥你到哪了", [(0, 3)], [(0, 2)]),  # 哥 is the title after the given name
        ("昨天佳怡和思琪一起来的", [(4, 7)], [(5, 7)]),  # 和 joins two names: 思琪 alone
        ("名单：刘洋、和春燕", [(6, 9)], [(6, 9)]),  # a list item: 和 is the surname
        ("请于九点前到会议室", [(1, 3)], []),  # 九 reads with 点: a time
        ("石榴籽可以直接吃", [(0, 3)], []),  # a common noun and a character that heads no name: a thing
        ("刘裕曾于京口起兵", [(0, 3)], [(0, 2)]),  # the dictionary's person, then 曾 (once)
        ("收件人：房子轩", [(4, 7)], [(4, 7)]),  # after a label the same shape is a name
        ("欧阳青主任：明天检查", [(0, 3)], [(0, 3)]),  # a compound surname
    ],
)
def test_spans_read_again_by_their_neighbours(
    seed: NameModel, text: str, spans: list[tuple[int, int]], want: object
) -> None:
    assert review(text, spans, seed) == want
