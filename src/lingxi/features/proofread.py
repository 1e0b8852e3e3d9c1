"""Proofreading: a list of edits with character offsets into the caller's original text.

The rules are code (no large language model): 的/地/得 decided from jieba part-of-speech tags and kept
conservative (:mod:`lingxi.features.dedide`), 在/再 by role (:mod:`lingxi.features.zaizai`), everyday pairs
(带/戴, 象/像, 必须/必需, 副/幅, 和/喝/合, 作/做, 以/已) by role (:mod:`lingxi.features.everyday`), idioms from
jieba's idiom list (:mod:`lingxi.features.idioms`), homophone typos
judged in context by jieba's word scores (:mod:`lingxi.features.homophone`; a built-in seed, used only while
no language model is built), sound-alike and look-alike characters judged by a
character 4-gram language model when one was built (:mod:`lingxi.features.lmcheck`), members of confusable
groups (在/再, 那/哪, 做/作/坐, 买/卖 …) by per-group context classifiers when built
(:mod:`lingxi.features.confusable`), a confusion set of
well-known Chinese typos (data, :data:`CONFUSIONS`), and punctuation (half-width marks between Chinese
characters, doubled marks, mixed 「”/“」 quotes). A large language model is asked for JSON edits too; every one
is verified against the original (the ``original`` string must be found at or near the stated offset, else the
edit is dropped) and merged with the rule edits, rules winning on overlap.

Offsets are Python ``str`` indices (Unicode code points): ``text[start:end] == original``.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from lingxi.features import confusable, dedide, everyday, homophone, idioms, lmcheck, lmguard, whichna, zaizai
from lingxi.features.proofread_pool import long_rule_edits
from lingxi.features.typos import CONFUSIONS
from lingxi.features.writing_base import (
    NO_SCOPES,
    WritingResult,
    answer_body,
    is_classical,
    method_of,
    no_context,
    turn_text,
)
from lingxi.models.base import Document, Message, ResponseFormat, Task
from lingxi.pipeline import Answer, Turn
from lingxi.privacy.consent import Scope
from lingxi.text_script import ScriptView, simplified_view, to_traditional

#: How far (code points) from its stated offset an LLM edit's ``original`` may be found and still be kept.
ANCHOR_WINDOW = 30

_CONFUSION_RE = re.compile("|".join(re.escape(w) for w, r in CONFUSIONS if w != r))
_RIGHT = {w: r for w, r in CONFUSIONS}

_CJK = "\u4e00-\u9fff"
_PUNCT_FIXES: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (
        re.compile(rf"(?<=[{_CJK}]){re.escape(h)}(?=[{_CJK}“「]|\s*$|\n)", re.MULTILINE),
        f,
        f"中文句子中应使用全角「{f}」",
    )
    for h, f in ((",", "，"), (".", "。"), ("?", "？"), ("!", "！"), (":", "："), (";", "；"))
)


class Edit(BaseModel):
    """Replace ``original`` (``text[start:end]``) with ``replacement``."""

    start: int
    end: int
    original: str
    replacement: str
    kind: str  # de_di_de | zai_zai | idiom | homophone | typo | punctuation | llm
    reason_zh: str


class _Finding(Protocol):
    """What the one-character checkers (dedide, zaizai, idioms, homophone) report."""

    @property
    def start(self) -> int: ...
    @property
    def original(self) -> str: ...
    @property
    def replacement(self) -> str: ...


_F = TypeVar("_F", bound=_Finding)


def _one_char(found: Iterable[_F], kind: str, reason: Callable[[_F], str]) -> list[Edit]:
    """Edits replacing the one character at each finding's ``start``."""
    return [
        Edit(
            start=f.start,
            end=f.start + 1,
            original=f.original,
            replacement=f.replacement,
            kind=kind,
            reason_zh=reason(f),
        )
        for f in found
    ]


def _de_di_de(text: str) -> list[Edit]:
    """的/地/得 fixes from the jieba-tag rules in :mod:`lingxi.features.dedide` (conservative: few false alarms)."""
    return _one_char(dedide.find(text), "de_di_de", lambda f: f.reason_zh)


def _zai_zai(text: str) -> list[Edit]:
    """在/再 fixes from the role rules in :mod:`lingxi.features.zaizai`."""
    return _one_char(zaizai.find(text), "zai_zai", lambda f: f.reason_zh)


def _everyday(text: str) -> list[Edit]:
    """带/戴, 象/像, 必须/必需, 副/幅, 和/喝/合, 作/做, 以/已 by role (:mod:`lingxi.features.everyday`)."""
    return _one_char(everyday.find(text), "homophone", lambda f: f.reason_zh)


def _which_na(text: str) -> list[Edit]:
    """那 → 哪 in a question with no other question word (:mod:`lingxi.features.whichna`)."""
    return _one_char(whichna.find(text), "homophone", lambda f: f.reason_zh)


def _idioms(text: str) -> tuple[list[Edit], set[int]]:
    """Idioms with one sound-alike character wrong (:mod:`lingxi.features.idioms`), and the offsets the idioms
    cover: their other characters are right as written (大家在接再厉: 在 → 再, and the second 再 stays)."""
    found = idioms.find(text)
    covered = {k for f in found for k in range(f.begin, f.begin + len(f.idiom))}
    return _one_char(found, "idiom", lambda f: f"成语「{f.idiom}」中应为「{f.replacement}」"), covered


def _homophones(text: str, home: Path | None) -> list[Edit]:
    """Sound-alike typos the context model is sure of (:mod:`lingxi.features.homophone`), when no language model
    was built: the language model's lower margin for swaps that make a word (:mod:`lingxi.features.lmcheck`)
    covers the same typos (a lone character put back into a word) with a stronger model. Run beside it, the older
    check alone alarmed five of the spelling corpus's clean validation sentences (同食 → 同时, 不实 → 不是)."""
    if lmcheck.load_checker(home) is not None:
        return []
    found = homophone.find(text, homophone.load_model())
    return _one_char(found, "homophone", lambda f: f"同音或近音字误用：「{f.original}」应为「{f.replacement}」")


def _language_model(text: str, home: Path | None) -> list[Edit]:
    """Swaps the built n-gram language model is sure of (:mod:`lingxi.features.lmcheck`); none when not built."""
    checker = lmcheck.load_checker(home)
    if checker is None:
        return []
    fixes = [f for f in lmcheck.find(text, checker) if not lmguard.breaks_word(text, f.start, f.replacement, f.gain)]
    return _one_char(fixes, "homophone", lambda f: f"据上下文判断：「{f.original}」应为「{f.replacement}」")


def _confusable(text: str, home: Path | None) -> list[Edit]:
    """Members of a confusable group (在/再, 那/哪, 做/作/坐 …) the build's context classifiers are sure of
    (:mod:`lingxi.features.confusable`); none when not built."""
    model = confusable.load_model(home)
    if model is None:
        return []
    checker = lmcheck.load_checker(home)
    return _one_char(
        confusable.find(text, model, checker.lm if checker else None),
        "homophone",
        lambda f: f"按上下文搭配，此处应为「{f.replacement}」而非「{f.original}」",
    )


def _typos(text: str) -> list[Edit]:
    return [
        Edit(
            start=m.start(),
            end=m.end(),
            original=m.group(),
            replacement=_RIGHT[m.group()],
            kind="typo",
            reason_zh=f"常见错别字：「{m.group()}」应为「{_RIGHT[m.group()]}」",
        )
        for m in _CONFUSION_RE.finditer(text)
    ]


def _mark(m: re.Match[str], group: int, replacement: str, why: str) -> Edit:
    """A punctuation edit replacing ``group`` of the match ``m``."""
    start, end = m.span(group)
    return Edit(start=start, end=end, original=m[group], replacement=replacement, kind="punctuation", reason_zh=why)


_REPEATED = re.compile(r"([。，、；：])\1+")
_OPEN_CORNER = re.compile(r"「[^「」“”\"\n]*([”\"])")  # 「 closed by a curly or straight quote
_CLOSE_CORNER = re.compile(r"([“\"])[^「」“”\"\n]*」")  # 」 opened by one


def _punctuation(text: str) -> list[Edit]:
    edits = [_mark(m, 0, full, why) for pattern, full, why in _PUNCT_FIXES for m in pattern.finditer(text)]
    # a written-out ellipsis 「。。。」 is left alone
    edits += [_mark(m, 0, m[1], "标点重复") for m in _REPEATED.finditer(text) if m[0] != "。。。"]
    edits += [_mark(m, 1, "」", "引号不配对：「 应与 」配对") for m in _OPEN_CORNER.finditer(text)]
    edits += [_mark(m, 1, "「", "引号不配对：」应与 「 配对") for m in _CLOSE_CORNER.finditer(text)]
    return edits


def merge(first: Iterable[Edit], second: Iterable[Edit]) -> list[Edit]:
    """Edits sorted by offset with no overlaps; on overlap the one from ``first`` (then the earlier) wins."""
    kept: list[Edit] = []
    # the same, in O(n log n) (every kept edit against every other was 2.3 s for a 20,000-character text):
    # kept edits never overlap, so sorted by (start, end) their ends are sorted too, and the one edit that
    # could overlap a new one is the last that starts before the new one ends
    placed: list[Edit] = []
    for edit in [*first, *second]:
        i = bisect.bisect_left(placed, edit.end, key=lambda k: k.start)
        if i == 0 or placed[i - 1].end <= edit.start:
            bisect.insort(placed, edit, key=lambda k: (k.start, k.end))
            kept.append(edit)
    return sorted(kept, key=lambda e: e.start)


def rule_edits(text: str, *, context: bool = True, home: Path | None = None) -> list[Edit]:
    """Every rule edit on ``text``: table typos win on overlap, then punctuation, 的/地/得, 在/再, the everyday
    pairs, idioms, the homophone check (only without a built language model), the language model, the
    confusion-set classifiers. ``context=False`` leaves out the 在/再 rules, idioms and the context models (the
    rules as they were before them, which the benchmark compares against); ``home`` holds the built models, if
    any. Without a built language model the classical rules and the seed homophone check run alone.
    """
    if not context:
        return _classical(text)
    edits = merge(model_free_edits(text), _homophones(text, home))
    # the language model reads the text with the rules' same-length fixes in place, so a swap beside a fixed
    # character is judged in the corrected context (我们约再地铁站: 再 → 在, not 约 → 要 as well); its swaps clear
    # large margins: they win where a classifier proposes another character
    fixed = apply_edits(text, [e for e in edits if len(e.original) == len(e.replacement)])
    # where a role rule says the written member is right (一定要戴头盔), statistics do not overrule it
    owned = everyday.affirmed(fixed)
    statistical = [e for e in merge(_language_model(fixed, home), _confusable(text, home)) if e.start not in owned]
    return merge(edits, statistical)


def _classical(text: str) -> list[Edit]:
    return merge(merge(_typos(text), _punctuation(text)), _de_di_de(text))


def model_free_edits(text: str) -> list[Edit]:
    """The edits that need no built model and run whatever was built: table typos, punctuation, 的/地/得, 在/再,
    the everyday pairs and idioms (table typos win).

    They win over the language model's swaps on overlap, so the build chooses the language model's margins with
    their edits in place (:mod:`lingxi.features.proofread_build`). The seed homophone check is not one of them:
    it runs only while no language model is built.
    """
    fixes, covered = _idioms(text)
    roles = [e for e in merge(merge(_zai_zai(text), _everyday(text)), _which_na(text)) if e.start not in covered]
    return merge(_classical(text), merge(merge(_typos(text), roles), fixes))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        out += [text[pos : e.start], e.replacement]
        pos = e.end
    return "".join([*out, text[pos:]])


def parse_llm_edits(raw: str) -> list[dict[str, Any]]:
    """The edit objects in a model's answer: ``{"edits": [...]}`` or a bare list, fenced or not; [] if none."""
    start = min((i for i in (raw.find("{"), raw.find("[")) if i >= 0), default=-1)
    if start < 0:
        return []
    try:
        value, _ = json.JSONDecoder().raw_decode(raw[start:])
    except json.JSONDecodeError:
        return []
    items = value.get("edits", []) if isinstance(value, dict) else value
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def verify(text: str, items: Iterable[dict[str, Any]]) -> list[Edit]:
    """Keep the model's edits whose ``original`` is really in ``text`` near the stated offset (re-anchored)."""
    kept: list[Edit] = []
    for item in items:
        original, replacement = str(item.get("original") or ""), str(item.get("replacement") or "")
        if not original or original == replacement:
            continue
        try:
            stated = int(item.get("start", 0))
        except (TypeError, ValueError):
            stated = 0
        found = [m.start() for m in re.finditer(re.escape(original), text) if abs(m.start() - stated) <= ANCHOR_WINDOW]
        if found:
            start = min(found, key=lambda s: abs(s - stated))
            reason = str(item.get("reason_zh") or item.get("reason") or "语言模型建议")
            kept.append(
                Edit(
                    start=start,
                    end=start + len(original),
                    original=original,
                    replacement=replacement,
                    kind="llm",
                    reason_zh=reason,
                )
            )
    return kept


def render(edits: list[Edit]) -> str:
    """The edit list as text: the lite tier's answer and the LLM's reference."""
    if not edits:
        return "未发现需要修改的地方。（按规则检查）"
    lines = [f"{e.start}-{e.end}：「{e.original}」→「{e.replacement}」（{e.reason_zh}）" for e in edits]
    return "\n".join([f"发现 {len(edits)} 处可修改：", *lines])


_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "edits": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "start": {"type": "integer"},
                    "original": {"type": "string"},
                    "replacement": {"type": "string"},
                    "reason_zh": {"type": "string"},
                },
                "required": ["start", "original", "replacement", "reason_zh"],
            },
        }
    },
    "required": ["edits"],
}


class ProofreadResult(WritingResult):
    text: str  # the corrected text, in the caller's script
    original: str
    edits: list[Edit]


@dataclass
class ProofreadTool:
    name: str = "writing.proofread"
    home: Path | None = None  # where ``lingxi features proofread build`` put its model, if it ran
    scopes: frozenset[Scope] = field(default=NO_SCOPES)
    select_context = staticmethod(no_context)

    def build_prompt(self, turn: Turn) -> tuple[list[Message], Task | None]:
        text = turn_text(turn)
        rendered = render(long_rule_edits(rule_edits, text, self.home))
        turn.response_format = ResponseFormat(type="json_schema", json_schema=_SCHEMA, name="edits")
        system = (
            "你是中文校对助手。找出用户文本中的错别字、「的/地/得」误用和标点错误，只改确实错误的地方。"
            '只输出 JSON：{"edits": [{"start": 字符下标(从0开始), "original": 原文片段, "replacement": 改正后, '
            '"reason_zh": 原因}]}。规则检查已发现：\n' + rendered
        )
        messages = [Message(role="system", content=system), Message(role="user", content=text)]
        return messages, Task(kind="compose", documents=[Document(text=rendered)])

    def finish(self, turn: Turn, answer: Answer, view: ScriptView) -> ProofreadResult:
        simplified = turn_text(turn)
        edits = long_rule_edits(rule_edits, simplified, self.home)
        if not is_classical(answer) and not answer.refused:
            edits = merge(edits, verify(simplified, parse_llm_edits(answer_body(answer))))
        located = [_to_original(e, view) for e in edits]
        mapped = [e for e in located if e is not None]
        return ProofreadResult(
            text=apply_edits(view.original, mapped),
            original=view.original,
            edits=mapped,
            script=view.script,
            method=method_of(answer),
            answer=answer,
        )


def _to_original(edit: Edit, view: ScriptView) -> Edit | None:
    """The edit with offsets and strings in the caller's text (the same offsets: the view keeps lengths)."""
    if not view.traditional:
        return edit
    original = view.original[edit.start : edit.end]
    if simplified_view(original) != edit.original:  # not expected (the view keeps lengths): re-anchor by search
        target = to_traditional(edit.original, view.script)
        found = [m.start() for m in re.finditer(re.escape(target), view.original)]
        if not found:
            return None
        start = min(found, key=lambda s: abs(s - edit.start))
        edit = edit.model_copy(update={"start": start, "end": start + len(target)})
        original = target
    replacement = to_traditional(edit.replacement, view.script)
    return edit.model_copy(update={"original": original, "replacement": replacement})
