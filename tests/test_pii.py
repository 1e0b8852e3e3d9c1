"""Chinese PII recognition: one test per type and per look-alike class, the round trip through
redaction and restore, ``redact_lines`` in both modes, and recall/precision on the labeled set."""

from __future__ import annotations

import itertools
import json

import pytest

from lingxi.privacy.pii import find_pii
from lingxi.privacy.redact import RedactionMap, Redactor, StreamRestorer, redact_lines, restore
from pii_cases import ALL_CASES, CASES, HARD_NEGATIVES, expected_spans, score


def found(text: str, contacts: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(s.type, s.text) for s in find_pii(text, contacts=contacts)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("身份证11010519491231002X", [("身份证号", "11010519491231002X")]),
        ("老证件号110105690227095", [("身份证号", "110105690227095")]),
        ("电话 +86 139-1234-5678", [("手机号", "+86 139-1234-5678")]),
        ("座机021-54321234转8012", [("座机", "021-54321234转8012")]),
        ("卡号 4111 1111 1111 1111", [("银行卡号", "4111 1111 1111 1111")]),
        ("邮箱 linxy@example.com", [("邮箱", "linxy@example.com")]),
        ("护照号码 EA1234567", [("护照号", "EA1234567")]),
        ("车牌粤B·D12345", [("车牌", "粤B·D12345")]),
        ("寄到杭州市西湖区文三路478号", [("地址", "杭州市西湖区文三路478号")]),
        ("感谢王明老师，欧阳娜娜女士", [("姓名", "王明"), ("姓名", "欧阳娜娜")]),
        ("加我微信 lin_xy1990", [("微信号", "lin_xy1990")]),
        ("QQ：12345678", [("QQ号", "12345678")]),
    ],
)
def test_each_type(text: str, want: list[tuple[str, str]]) -> None:
    assert found(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "身份证110105194912310021",  # wrong check digit
        "卡号 4111 1111 1111 1112",  # fails Luhn
        "E12345678 是航班系统里的编号",  # passport shape, no 护照 nearby
        "12345678 这个数字",  # QQ shape, no QQ nearby
        "lin_xy1990 是我的用户名",  # WeChat shape, no 微信 nearby
        "我是周五到",  # 我是 + a word that starts with a surname
        "签收人：公司前台",
    ],
)
def test_shapes_without_validity_or_context_are_not_pii(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("kind", sorted({k for k, _ in HARD_NEGATIVES}))
def test_hard_negative_classes(kind: str) -> None:
    hits = {text: found(text) for k, text in HARD_NEGATIVES if k == kind}
    assert {t: h for t, h in hits.items() if h} == {}


def test_known_contacts_need_no_context() -> None:
    # no surname and a common word (建国): only the contact list knows it is a name
    assert found("建国说他晚点到") == []
    assert found("建国说他晚点到", contacts=("建国",)) == [("姓名", "建国")]


def test_overlaps_resolve_to_one_span() -> None:
    spans = find_pii("QQ邮箱：12345678@qq.com，身份证号 330203199202255712")
    assert [(s.type, s.text) for s in spans] == [("邮箱", "12345678@qq.com"), ("身份证号", "330203199202255712")]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_round_trip_every_case() -> None:
    r = Redactor()
    for text, _ in ALL_CASES:
        m = RedactionMap()
        out = r.redact(text, m)
        assert all(ph in out for ph in m.by_placeholder) and restore(out, m) == text


def test_same_value_same_placeholder() -> None:
    m = RedactionMap()
    r = Redactor()
    a = r.redact("我的微信 lin_xy1990，手机13800138000", m)
    b = r.redact("再说一次：13800138000", m)
    assert a == "我的微信 [微信号_1]，手机[手机号_1]" and b == "再说一次：[手机号_1]"


def test_stream_restore_of_placeholders_split_anywhere() -> None:
    text = "收件人：王芳 电话：13912345678 地址：江苏省南京市玄武区珠江路88号"
    m = RedactionMap()
    redacted = Redactor().redact(text, m)
    for size in (1, 2, 3, 5):
        r = StreamRestorer(m)
        pieces = [redacted[i : i + size] for i in range(0, len(redacted), size)]
        assert "".join(r.feed(p) for p in pieces) + r.flush() == text


def test_redact_lines_plain_and_json() -> None:
    lines = ["电话13800138000\n", "没有个人信息\n", "再打13800138000，邮箱 a@b.cn"]
    assert list(redact_lines(lines, as_json=False)) == [
        "电话[手机号_1]",
        "没有个人信息",
        "再打[手机号_1]，邮箱 [邮箱_1]",
    ]
    rows = [json.loads(x) for x in redact_lines(lines, as_json=True)]
    assert rows[1] == {"text": "没有个人信息", "spans": []}
    assert rows[2]["text"] == "再打[手机号_1]，邮箱 [邮箱_1]"
    for raw, row in zip(lines, rows, strict=True):
        for sp in row["spans"]:
            assert raw[sp["start"] : sp["end"]] == sp["text"]
    assert rows[0]["spans"] == [{"start": 2, "end": 13, "type": "手机号", "text": "13800138000"}]


def test_labeled_set_is_well_formed() -> None:
    per_type: dict[str, int] = {}
    for text, labels in CASES:
        for _, _, typ in expected_spans(text, labels):  # raises if a labeled substring is not in its text
            per_type[typ] = per_type.get(typ, 0) + 1
    assert min(per_type.values()) >= 25 and len(per_type) == 11
    assert len(HARD_NEGATIVES) >= 80


# Measured on pii_cases (see benchmarks/bench_pii.py for the table). 姓名 and QQ号 each have a case that
# needs context the recognizer deliberately does not use; both still clear 0.9.
RECALL_MIN = 0.9
PRECISION_MIN = 0.9


def test_recall_and_precision_per_type() -> None:
    results = score(lambda t: [(s.start, s.end, s.type) for s in find_pii(t)], ALL_CASES)
    for typ, (tp, fp, fn) in results.items():
        assert tp / (tp + fn) >= RECALL_MIN, (typ, tp, fn)
        assert tp / (tp + fp) >= PRECISION_MIN, (typ, tp, fp)
