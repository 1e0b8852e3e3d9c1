"""Turn text with repeated structure into a table: Markdown plus ``{columns, rows}``.

The rule parse (no language model) handles three common shapes:

* records of positional fields — ``张三 销售部 5000元；李四 技术部 6000元`` (records split on lines, ；
  and 。; fields on whitespace, ，、| ; most records must have the same number of fields, at least two);
* records of ``key：value`` pairs — ``姓名：张三，部门：销售部`` per record, the keys becoming the header;
* one ``key：value`` per line — a new record starts when a key repeats.

A language model is asked for a Markdown table, which is parsed back leniently; when its answer has no
table the rule parse is used. With no model and no structure the caller gets a clear error.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lingxi.errors import InvalidInput
from lingxi.features.writing_base import (
    NO_SCOPES,
    WritingResult,
    answer_body,
    is_classical,
    method_of,
    no_context,
    turn_text,
)
from lingxi.models.base import Document, Message, Task
from lingxi.pipeline import Answer, Turn
from lingxi.privacy.consent import Scope
from lingxi.text_script import ScriptView

_RECORD_SPLIT = re.compile(r"[\n；;。]+")
_FIELD_SPLIT = re.compile(r"[\s，,、|｜]+")
_PAIR = re.compile(r"^\s*([^：:\s]{1,12})\s*[：:]\s*(.+?)\s*$")


class TableData(WritingResult):
    columns: list[str]
    rows: list[list[str]]
    markdown: str


def no_structure() -> InvalidInput:
    return InvalidInput(
        "no repeated structure found to make a table from",
        message_zh="没有在文本中找到可整理成表格的重复结构（如每行「姓名 部门 金额」或「键：值」）",
        hint="put one record per line (or separate records with ；) with the same fields, or use a language model",
    )


def _pairs(record: str) -> list[tuple[str, str]] | None:
    """The record's ``key：value`` pairs, or None when some field is not one."""
    pairs = []
    for part in re.split(r"[，,、|｜]+", record):
        if part.strip():
            m = _PAIR.match(part)
            if m is None:
                return None
            pairs.append((m.group(1), m.group(2)))
    return pairs or None


def _keyed(records: list[str]) -> tuple[list[str], list[list[str]]] | None:
    parsed = [_pairs(r) for r in records]
    if any(p is None for p in parsed):
        return None
    groups: list[dict[str, str]] = []
    for pairs in parsed:
        assert pairs is not None
        if len(pairs) == 1 and groups and pairs[0][0] not in groups[-1] and len(parsed[0] or []) == 1:
            groups[-1][pairs[0][0]] = pairs[0][1]  # one pair per line: continue the current record
        else:
            groups.append(dict(pairs))
    columns = list(dict.fromkeys(k for g in groups for k in g))
    if len(groups) < 1 or len(columns) < 2:
        return None
    return columns, [[g.get(c, "") for c in columns] for g in groups]


def _positional(records: list[str]) -> tuple[list[str], list[list[str]]] | None:
    fields = [[f for f in _FIELD_SPLIT.split(r) if f] for r in records]
    width, count = Counter(len(f) for f in fields).most_common(1)[0]
    if width < 2 or count < 2 or count < len(fields) / 2:
        return None
    rows = [f for f in fields if len(f) == width]
    numeric = [all(any(ch.isdigit() for ch in r[c]) for r in rows[1:]) for c in range(width)]
    header_like = not any(any(ch.isdigit() for ch in cell) for cell in rows[0]) and any(numeric)
    if header_like and len(rows) > 2:
        return rows[0], rows[1:]
    return [f"列{i + 1}" for i in range(width)], rows


def parse_table(text: str) -> tuple[list[str], list[list[str]]]:
    """Columns and rows found by the rules (no language model); :func:`no_structure` when there are none."""
    records = [r.strip() for r in _RECORD_SPLIT.split(text) if r.strip()]
    found = _keyed(records) or (_positional(records) if len(records) >= 2 else None)
    if found is None:
        raise no_structure()
    return found


def to_markdown(columns: list[str], rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(columns), "| " + " | ".join("---" for _ in columns) + " |", *map(line, rows)])


def parse_markdown(text: str) -> tuple[list[str], list[list[str]]] | None:
    """The first Markdown table in ``text`` (lenient: outer pipes optional, separator row optional)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.count("|") >= 1 and ln.strip()]
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    cells = [c for c in cells if not all(re.fullmatch(r":?-{2,}:?", x) for x in c if x)]
    if len(cells) < 2 or len(cells[0]) < 2:
        return None
    width = len(cells[0])
    return cells[0], [(r + [""] * width)[:width] for r in cells[1:]]


@dataclass
class TableTool:
    name: str = "writing.table"
    scopes: frozenset[Scope] = field(default=NO_SCOPES)
    select_context = staticmethod(no_context)
    #: True when only the lite tier can answer: then no structure is an error before any model runs
    lite_only: bool = False

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        text = turn_text(turn)
        try:
            computed = to_markdown(*parse_table(text))
        except InvalidInput:
            if self.lite_only:
                raise
            computed = "（规则未能识别出表格结构）"
        system = (
            "你是中文写作助手。请把用户文本中重复出现的记录整理成一个 Markdown 表格：第一行是表头，"
            "每条记录一行，保留原文的数值和单位，不要添加原文没有的信息。只输出表格。"
        )
        messages = [Message(role="system", content=system), Message(role="user", content=text)]
        return messages, Task(kind="compose", documents=[Document(text=computed)])

    def finish(self, turn: Turn, answer: Answer, view: ScriptView) -> TableData:
        parsed = None if is_classical(answer) or answer.refused else parse_markdown(answer_body(answer))
        columns, rows = parsed or parse_table(turn_text(turn))
        columns = [view.restore(c) for c in columns]
        rows = [[view.restore(c) for c in r] for r in rows]
        return TableData(
            columns=columns,
            rows=rows,
            markdown=to_markdown(columns, rows),
            script=view.script,
            method=method_of(answer),
            answer=answer,
        )
