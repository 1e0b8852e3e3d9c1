"""Quality checks for the writing tools: seeded typos found at the right offsets, facts kept, tables right.

Proofreading cases are Chinese sentences with 3–5 seeded errors each. An expected edit is written as
(context, index of the wrong text inside the context, wrong, right), so its offset is located in the text
rather than typed in by hand. On an LLM the checks still require every seeded error to be found (the rule
edits always run) and nothing else to break the offsets.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lingxi.evals.checks import CheckResult, QualityCheck
from lingxi.text_script import cjk_ratio

if TYPE_CHECKING:
    from lingxi.facade import Lingxi

Seeded = tuple[str, int, str, str]  # context, index of the error in it, wrong text, right text

PROOFREAD_CASES: tuple[tuple[str, tuple[Seeded, ...]], ...] = (
    (
        "林晓雨认真的检查了方案，以经按装好新版本,明天在见。",
        (("认真的检查", 2, "的", "地"), ("以经", 0, "以经", "已经"), ("按装", 0, "按装", "安装"),
         ("本,明", 1, ",", "，"), ("在见", 0, "在见", "再见")),
    ),
    (
        "我的帐号做为测试用。。他跑的很快，迫不急待地冲了出去。",
        (("帐号", 0, "帐号", "账号"), ("做为", 0, "做为", "作为"), ("。。", 0, "。。", "。"),
         ("跑的很快", 1, "的", "得"), ("迫不急待", 0, "迫不急待", "迫不及待")),
    ),
    (
        "小明高兴的跳了起来，大家一股作气完成了竟赛。",
        (("高兴的跳", 2, "的", "地"), ("一股作气", 0, "一股作气", "一鼓作气"), ("竟赛", 0, "竟赛", "竞赛")),
    ),
    (  # Traditional input: offsets and strings refer to the Traditional text
        "我們的帳號以經開通了,明天在見。",
        (("帳號", 0, "帳號", "賬號"), ("以經", 0, "以經", "已經"), ("了,明", 1, ",", "，"),
         ("在見", 0, "在見", "再見")),
    ),
)  # fmt: skip

SUMMARY_TEXT = (
    "公司年会定于12月20日晚上7点在滨江国际酒店三楼宴会厅举行，全体员工需在12月15日前报名。"
    "年会设有抽奖环节，一等奖为价值3000元的购物卡。"
    "报名请联系行政部王敏，电话分机8021。"
    "各部门需准备一个节目，节目时长不超过5分钟。"
)
CONCISE_TEXT = "其实那个，我们基本上已经完成了，然后就是说下周一上午10点交付给客户，非常非常感谢大家这3个月的努力！！"
TABLE_TEXT = "张三 销售部 5000元；李四 技术部 6000元；王五 市场部 5500元"
TRANSLATE_TEXT = "明天上午十点在三号会议室开会，请准时参加。"


async def _proofread(lx: Lingxi, model: str | None) -> CheckResult:
    missing: list[str] = []
    for text, seeded in PROOFREAD_CASES:
        result = await lx.writing.aproofread(text, model=model)
        got = {(e.start, e.end, e.original, e.replacement) for e in result.edits}
        for context, index, wrong, right in seeded:
            start = text.index(context) + index
            if (start, start + len(wrong), wrong, right) not in got:
                missing.append(f"{wrong}→{right}@{start}")
        if any(text[e.start : e.end] != e.original for e in result.edits):
            missing.append("offset mismatch")
    total = sum(len(s) for _, s in PROOFREAD_CASES)
    return CheckResult(not missing, f"missing={missing}", score=1 - len(missing) / total)


async def _summary_keeps_facts(lx: Lingxi, model: str | None) -> CheckResult:
    result = await lx.writing.asummarize(SUMMARY_TEXT, model=model, sentences=2)
    ok = "12月20日" in result.text and "12月15日" in result.text
    return CheckResult(ok, f"summary={result.text!r}", answer=result.answer)


async def _concise(lx: Lingxi, model: str | None) -> CheckResult:
    result = await lx.writing.arewrite(CONCISE_TEXT, "简洁", model=model)
    numbers = re.findall(r"\d+", CONCISE_TEXT)
    ok = len(result.text) < len(CONCISE_TEXT) and all(n in result.text for n in numbers)
    return CheckResult(ok, f"rewrite={result.text!r}", answer=result.answer)


async def _formal(lx: Lingxi, model: str | None) -> CheckResult:
    result = await lx.writing.arewrite("俺觉得这个方案挺好的，啥时候能搞定？", "formal", model=model)
    ok = not any(w in result.text for w in ("俺", "啥", "搞定"))
    return CheckResult(ok, f"rewrite={result.text!r}", answer=result.answer)


async def _table(lx: Lingxi, model: str | None) -> CheckResult:
    result = await lx.writing.atable(TABLE_TEXT, model=model)
    cells = [" ".join(r) for r in result.rows]
    ok = len(result.rows) == 3 and len(result.columns) == 3 and "李四" in cells[1] and "6000" in cells[1]
    return CheckResult(ok, f"columns={result.columns} rows={result.rows}", answer=result.answer)


async def _translate(lx: Lingxi, model: str | None) -> CheckResult:
    result = await lx.writing.atranslate(TRANSLATE_TEXT, "en", model=model)
    ok = bool(result.text.strip()) and cjk_ratio(result.text) < 0.1 and "10" in result.text
    return CheckResult(ok, f"translation={result.text!r}", answer=result.answer)


CHECKS: list[QualityCheck] = [
    QualityCheck("writing.proofread.seeded_typos", "writing.proofread", _proofread),
    QualityCheck("writing.summarize.keeps_dates", "writing.summarize", _summary_keeps_facts),
    QualityCheck("writing.rewrite.concise_shorter", "writing.rewrite", _concise),
    QualityCheck("writing.rewrite.formal_no_slang", "writing.rewrite", _formal),
    QualityCheck("writing.table.rows_columns", "writing.table", _table),
    QualityCheck("writing.translate.to_english", "writing.translate", _translate, needs_llm=True),
]
