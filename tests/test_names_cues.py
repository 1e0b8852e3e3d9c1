"""Rare surnames put forward by a title after them, an honorific frame, a field's value or a list
(:mod:`lingxi.privacy.names_cues`), and fillers after a label that are not names.

Runs on the seed (no names resource built): these sentences were written for these tests (they are the dev
cases the cue weights were chosen on), with rare surnames not used in the benchmark sets.
"""

from __future__ import annotations

import pytest

from conftest import NamesBuild
from lingxi.privacy.names_cues import FILLERS, bounded, is_filler
from lingxi.privacy.names_model import NameModel
from test_names import names


@pytest.fixture(scope="module")
def built(names_build_rare: NamesBuild) -> NameModel:
    """A tiny build whose resource lists 羌 and 郯 (and 宦) as rare surnames (invented counts)."""
    return names_build_rare.model


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # honorific frames
        ("尊敬的郅国庆先生：您的订单已发货", ["郅国庆"]),
        ("尊敬的桓女士，您好", ["桓"]),
        ("亲爱的蒉思远同学，欢迎加入", ["蒉思远"]),
        # the whole value of a field, whatever its label
        ("发货人：郯志明　电话：13900001111", ["郯志明"]),
        ("主治医师：郅文涛", ["郅文涛"]),
        ("责任人：桓秀英", ["桓秀英"]),
        ("签到：蒉立新、刘洋", ["蒉立新", "刘洋"]),
        # the next item of a list whose first item is a name
        ("报名：王芳、桓刚强、李明", ["王芳", "桓刚强", "李明"]),
        ("值班表：张强和羌晓梅", ["张强", "羌晓梅"]),
    ],
)
def test_cued_rare_surnames(seed: NameModel, text: str, want: list[str]) -> None:
    assert "羌" not in seed.surnames and "羌" in seed.rare
    assert names(text, seed) == want


@pytest.mark.parametrize(
    "text",
    [
        "姓名：未填",
        "联系人：不详　电话：暂无",
        "负责人：待定",
        "备注：无",
        "体育老师今天没来",  # 育 forms a word with the character before it
        "英语老师布置了作业",
        "同学们好，今天考试",
        "宦晓东说他明天到",  # still no cue
    ],
)
def test_no_cue_no_name(seed: NameModel, text: str) -> None:
    assert names(text, seed) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("郯总，方案已经改好了", ["郯"]),
        ("羌哥，晚上一起吃饭吗", ["羌"]),
        ("羌医生今天坐诊", ["羌"]),
        ("请羌老师到三楼开会", ["羌"]),
        ("明天羌老师请假", []),  # mid-sentence after a word: not a cue (measured too loose on ordinary text)
    ],
)
def test_title_cue_needs_a_build(seed: NameModel, built: NameModel, text: str, want: list[str]) -> None:
    """A title alone is a cue only with a build: the seed counts every uncommon character as rare."""
    assert {"羌", "郯"} <= set(built.rare)
    assert names(text, built) == want
    assert names(text, seed) == []


def test_fillers_and_bounds(seed: NameModel) -> None:
    assert "未填" in FILLERS and is_filler("姓名：未填", 3) and not is_filler("姓名：未明辉", 3)
    assert bounded("羌老师", 1, seed) and bounded("羌晓梅、王芳", 3, seed) and not bounded("羌晓梅说", 2, seed)
    assert not bounded("听老赵说", 1, seed)  # a one-character title only before punctuation or the end
