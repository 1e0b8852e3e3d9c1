"""Writing tools: rule rewrite, proofreading offsets, tables, translation, scripts, HTTP, CLI and checks.

Offsets are Python ``str`` indices (code points): an emoji before an error counts as one.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import ScriptedModel
from lingxi import Lingxi
from lingxi.errors import InvalidInput, ModelUnavailable
from lingxi.evals.writing import CHECKS
from lingxi.features.proofread import CONFUSIONS, parse_llm_edits, rule_edits, verify
from lingxi.features.rewrite import TONE_RULES, parse_tone, rule_rewrite
from lingxi.features.table import parse_markdown, parse_table
from lingxi.features.translate import detect_language, resolve_target
from lingxi.models.base import Locality
from lingxi.pipeline import Answer
from lingxi.server.app import create_app
from lingxi.text_script import ScriptView, detect_script, simplified_view

COLLOQUIAL = "其实那个，俺觉得这事儿咋说呢挺好的吧，然后明天下午3点开会，你们必须准时到！！😀 我们要搞定这个项目啦~"


def scripted(home: Path, answer: str) -> tuple[Lingxi, ScriptedModel]:
    model = ScriptedModel("scripted-llm", locality=Locality.ON_DEVICE, chunks=[answer[:5], answer[5:]])
    return Lingxi(home, models=[model]), model


# -- rewrite -------------------------------------------------------------------------------------------
def test_rule_rewrite_each_tone_does_its_job() -> None:
    formal = rule_rewrite(COLLOQUIAL, "正式")
    assert not any(w in formal for w in ("俺", "咋", "搞定", "挺好")) and "3点" in formal
    friendly = rule_rewrite(COLLOQUIAL, "友好")
    assert "必须" not in friendly and friendly.endswith("谢谢！")
    concise = rule_rewrite(COLLOQUIAL, "简洁")
    assert len(concise) < len(COLLOQUIAL) and "其实" not in concise and "然后" not in concise and "3点" in concise
    assert rule_rewrite("非常非常好", "简洁") == "非常好"
    professional = rule_rewrite("搞定啦😀,明天见哈!", "专业")
    assert professional == "完成，明天见！"
    assert set(TONE_RULES) == {"正式", "友好", "简洁", "专业"}
    ask = rule_rewrite("老板，那个报告我明天估计搞不完了，能不能宽限两天啊", "正式")
    assert ask == "老板，那个报告我明天估计无法完成了，能否宽限两天"


def test_tone_aliases_and_unknown_tone() -> None:
    assert [parse_tone(t) for t in ("formal", "Friendly", "concise", "professional")] == [
        "正式",
        "友好",
        "简洁",
        "专业",
    ]
    with pytest.raises(InvalidInput) as info:
        parse_tone("sarcastic")
    assert "未知的语气" in info.value.message_zh


def test_rewrite_on_lite_is_rule_based_and_labeled(lx: Lingxi) -> None:
    result = lx.writing.rewrite(COLLOQUIAL, "正式")
    assert result.text == rule_rewrite(COLLOQUIAL, "正式")
    assert result.method == "rules" and result.model == "lite/rules"
    assert isinstance(result.answer, Answer) and result.answer.model_kind == "classical"


def test_rewrite_on_llm_uses_tone_prompt(home: Path) -> None:
    lx, model = scripted(home, "我认为这个方案很好。")
    result = lx.writing.rewrite("俺觉得这方案挺好", "professional", model="scripted-llm")
    assert result.text == "我认为这个方案很好。" and result.method == "llm"
    assert "专业" in model.requests[0].messages[0].content and "数字" in model.requests[0].messages[0].content


# -- proofread -----------------------------------------------------------------------------------------
def test_proofread_rules_offsets_and_kinds() -> None:
    text = "他认真的学习，以经按装好了软件,明天在见。我的帐号做为测试。。他跑的很快。她说「你好”。"
    edits = rule_edits(text)
    assert all(text[e.start : e.end] == e.original for e in edits)
    got = {(e.original, e.replacement, e.kind) for e in edits}
    assert ("的", "地", "de_di_de") in got and ("的", "得", "de_di_de") in got
    for pair in [("以经", "已经"), ("按装", "安装"), ("在见", "再见"), ("帐号", "账号"), ("做为", "作为")]:
        assert (*pair, "typo") in got
    assert {(",", "，"), ("。。", "。"), ("”", "」")} <= {(e.original, e.replacement) for e in edits}
    assert len(CONFUSIONS) >= 40


def test_proofread_is_conservative_on_correct_text() -> None:
    for text in ("我吃的很多，开心的事情很多。", "快乐的生活，目标是3.5亿。", "Hello, world. 价格是1,000元"):
        assert rule_edits(text) == [], text
    assert rule_edits("视觉的效果很好，我感觉的确不错。") == []  # 觉的 is a typo only after a subject


def test_juede_after_a_subject_is_a_typo() -> None:
    edits = rule_edits("这个方案我觉的还行，大家也觉的可以。")
    assert [(e.original, e.replacement, e.kind) for e in edits] == [
        ("我觉的", "我觉得", "typo"),
        ("也觉的", "也觉得", "typo"),
    ]


def test_offsets_are_code_points_with_emoji(lx: Lingxi) -> None:
    text = "😀👍🏻好消息：以经按装好了,大家👨‍👩‍👧在见！"
    result = lx.writing.proofread(text)
    assert [(e.original, e.start) for e in result.edits if e.kind == "typo"] == [
        ("以经", text.index("以经")),
        ("按装", text.index("按装")),
        ("在见", text.index("在见")),
    ]
    assert all(text[e.start : e.end] == e.original for e in result.edits)
    assert result.text == "😀👍🏻好消息：已经安装好了，大家👨‍👩‍👧再见！"


def test_proofread_traditional_keeps_original_offsets(lx: Lingxi) -> None:
    text = "我們的帳號以經開通了,明天在見。"
    assert detect_script(text) == "zh-Hant" and len(simplified_view(text)) == len(text)
    result = lx.writing.proofread(text)
    assert result.script == "zh-Hant"
    assert {(e.original, e.replacement) for e in result.edits} == {
        ("帳號", "賬號"),
        ("以經", "已經"),
        (",", "，"),
        ("在見", "再見"),
    }
    assert all(text[e.start : e.end] == e.original for e in result.edits)
    assert result.text == "我們的賬號已經開通了，明天再見。"


def test_llm_edits_verified_reanchored_and_merged(home: Path) -> None:
    text = "我们明天讨论一下这个计划，以经通知大家了。"  # 讨论 → 商讨: a wording edit no rule makes
    plan = text.index("讨论")
    llm = {
        "edits": [
            {
                "start": plan + 4,
                "original": "讨论",
                "replacement": "商讨",
                "reason_zh": "用词",
            },  # off by 4: re-anchored
            {
                "start": 3,
                "original": "不存在的词",
                "replacement": "x",
                "reason_zh": "bogus",
            },  # not in the text: dropped
            {"start": text.index("以经"), "original": "以经通", "replacement": "已经通", "reason_zh": "overlaps rule"},
        ]
    }
    lx, model = scripted(home, "```json\n" + json.dumps(llm, ensure_ascii=False) + "\n```")
    result = lx.writing.proofread(text, model="scripted-llm")
    assert model.requests[0].response_format is not None and model.requests[0].response_format.type == "json_schema"
    assert [(e.original, e.replacement, e.kind, e.start) for e in result.edits] == [
        ("讨论", "商讨", "llm", plan),
        ("以经", "已经", "typo", text.index("以经")),  # the rule edit wins the overlap
    ]
    assert result.text == "我们明天商讨一下这个计划，已经通知大家了。" and result.method == "llm"


def test_parse_llm_edits_is_lenient() -> None:
    assert parse_llm_edits('好的：[{"original": "a", "replacement": "b"}] 完') == [
        {"original": "a", "replacement": "b"}
    ]
    assert parse_llm_edits("没有 JSON") == [] and parse_llm_edits('{"edits": 3}') == []
    assert verify("abc", [{"original": "b", "replacement": "B", "start": "nonsense"}])[0].start == 1


# -- table ---------------------------------------------------------------------------------------------
def test_table_rule_shapes() -> None:
    cols, rows = parse_table("张三 销售部 5000元；李四 技术部 6000元")
    assert rows == [["张三", "销售部", "5000元"], ["李四", "技术部", "6000元"]] and len(cols) == 3
    cols, rows = parse_table("姓名：张三，部门：销售部\n姓名：李四，部门：技术部")
    assert cols == ["姓名", "部门"] and rows == [["张三", "销售部"], ["李四", "技术部"]]
    cols, rows = parse_table("姓名：张三\n部门：销售\n姓名：李四\n部门：技术")
    assert cols == ["姓名", "部门"] and rows == [["张三", "销售"], ["李四", "技术"]]
    cols, rows = parse_table("姓名 部门 工资\n张三 销售部 5000\n李四 技术部 6000")
    assert cols == ["姓名", "部门", "工资"] and len(rows) == 2


def test_table_no_structure_on_lite_is_clear(lx: Lingxi) -> None:
    with pytest.raises(InvalidInput) as info:
        lx.writing.table("今天天气很好，我们去公园散步。")
    assert "表格" in info.value.message_zh


def test_table_from_llm_markdown(home: Path) -> None:
    lx, _ = scripted(home, "下面是表格：\n| 姓名 | 金额 |\n|---|---|\n| 张三 | 5000元 |\n| 李四 | 6000元 |")
    result = lx.writing.table("张三拿了5000元，李四拿了6000元", model="scripted-llm")
    assert result.columns == ["姓名", "金额"] and result.rows == [["张三", "5000元"], ["李四", "6000元"]]
    assert result.markdown.startswith("| 姓名 | 金额 |")
    assert parse_markdown("no table here") is None


def test_table_traditional_output(lx: Lingxi) -> None:
    result = lx.writing.table("張三 銷售部 5000元；李四 技術部 6000元")
    assert result.script == "zh-Hant" and result.rows[0] == ["張三", "銷售部", "5000元"]


# -- translate -----------------------------------------------------------------------------------------
def test_translate_without_llm_says_it_needs_one(lx: Lingxi) -> None:
    with pytest.raises(ModelUnavailable) as info:
        lx.writing.translate("明天开会。", "en")
    assert "翻译需要大语言模型" in info.value.message_zh


def test_translate_with_llm(home: Path) -> None:
    lx, model = scripted(home, "The meeting is at 10 am tomorrow.")
    result = lx.writing.translate("明天上午10点开会。", model="scripted-llm")
    assert result.text == "The meeting is at 10 am tomorrow." and result.source == "zh" and result.target == "en"
    assert model.requests[0].task is not None and model.requests[0].task.kind == "translate"


def test_script_conversion_runs_on_lite(lx: Lingxi) -> None:
    result = lx.writing.translate("软件和头发", "zh-Hant-TW")
    assert result.text == "軟體和頭髮" and result.method == "rules"
    assert detect_language("Hello world, 你好") == "en" and resolve_target("hello", None) == "zh"
    with pytest.raises(InvalidInput):
        resolve_target("x", "fr")


def test_script_view_round_trip() -> None:
    view = ScriptView.of("這個軟體很好用", "zh-Hant-TW")
    assert view.simplified == "这个软体很好用" and view.restore("这个软件") == "這個軟體"
    with pytest.raises(InvalidInput):
        ScriptView.of("x", "zh-Latn")


# -- summaries keep working ----------------------------------------------------------------------------
def test_summaries_and_facade_methods(lx: Lingxi) -> None:
    text = "会议定于12月20日举行。请大家提前准备材料。会议地点在三楼。报名截止到12月15日。"
    assert isinstance(lx.summarize(text, sentences=1), Answer)
    points = lx.writing.key_points(text, sentences=2)
    assert len(points.points) == 2 and all(p in text for p in points.points)
    with pytest.raises(InvalidInput):
        lx.writing.summarize("   ")


# -- HTTP ----------------------------------------------------------------------------------------------
def test_http_json_and_sse(lx: Lingxi) -> None:
    client = TestClient(create_app(lx))
    r = client.post("/v1/features/writing/proofread", json={"text": "以经按装好了,明天在见。"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [e["original"] for e in body["edits"]] == ["以经", "按装", ",", "在见"]
    assert body["answer"]["model"] == "lite/rules" and body["answer"]["audit_id"]
    with client.stream(
        "POST", "/v1/features/writing/rewrite", json={"text": COLLOQUIAL, "tone": "简洁", "stream": True}
    ) as s:
        events = [ln.removeprefix("event: ") for ln in s.iter_lines() if ln.startswith("event: ")]
        assert s.status_code == 200
    assert events[0] == "delta" and events[-1] == "done"
    r = client.post("/v1/features/writing/translate", json={"text": "明天开会。", "target": "en"})
    assert r.status_code == 503 and "翻译需要大语言模型" in r.json()["detail_zh"]
    assert client.post("/v1/features/writing/poem", json={"text": "x"}).status_code == 400
    assert client.post("/v1/features/writing/rewrite", json={"text": "x", "tone": "bad"}).status_code == 400


# -- CLI -----------------------------------------------------------------------------------------------
def test_cli_write(home: Path) -> None:
    from lingxi.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["features", "write", "proofread", "以经按装好了", "--home", str(home)])
    assert r.exit_code == 0, r.output
    assert "以经" in r.output and "已经" in r.output and "0" in r.output
    r = runner.invoke(
        app, ["features", "write", "rewrite", "-", "--tone", "formal", "--home", str(home)], input="俺咋办"
    )
    assert r.exit_code == 0 and "我怎么办" in r.output


# -- quality checks ------------------------------------------------------------------------------------
def test_checks_pass_on_lite(lx: Lingxi) -> None:
    for check in CHECKS:
        if not check.needs_llm:
            result = asyncio.run(check.run(lx, None))
            assert result.passed, (check.name, result.detail)


def test_translate_check_passes_on_an_llm(home: Path) -> None:
    lx, _ = scripted(home, "Meeting in room 3 at 10 am tomorrow; please be on time.")
    check = next(c for c in CHECKS if c.needs_llm)
    assert asyncio.run(check.run(lx, "scripted-llm")).passed
    lx_bad, _ = scripted(home / "bad", "明天上午十点开会。")
    assert not asyncio.run(check.run(lx_bad, "scripted-llm")).passed
