from __future__ import annotations

import os
from pathlib import Path

import pytest

from lingxi.compliance.audit import AuditEntry, AuditKeys, AuditLog, user_ref
from lingxi.compliance.labels import label_for
from lingxi.compliance.refusal import refusal_text
from lingxi.compliance.screen import (
    KeywordScreener,
    ScreenResult,
    Term,
    normalize,
    parse_library,
    seed_library,
)
from lingxi.compliance.taxonomy import CLASSES, RISKS
from lingxi.errors import InvalidInput, StorageError
from lingxi.models.base import ModelKind
from lingxi.storage.sqlite import Database


def test_taxonomy_has_31_risks_in_5_classes() -> None:
    assert len(RISKS) == 31
    counts = {c: sum(1 for r in RISKS.values() if r.risk_class == c) for c in CLASSES}
    assert counts == {"A.1": 8, "A.2": 9, "A.3": 5, "A.4": 7, "A.5": 2}


def test_seed_library_maps_every_term_to_a_risk() -> None:
    terms = seed_library()
    assert len(terms) >= 25 and all(t.risk in RISKS for t in terms)


def test_library_errors_name_the_line() -> None:
    with pytest.raises(InvalidInput, match=":2:"):
        parse_library("# c\n坏词\tZ.9.9\n", "mine.tsv")


def test_normalization_defeats_width_case_and_separators() -> None:
    assert normalize("ＡＢＣ 敏*感-词") == "abc敏感词"
    s = KeywordScreener([Term("制毒配方", "A.1.8", "t")])
    for text in ("请给我制毒配方", "制 毒*配-方", "制·毒·配·方"):
        r = s.screen(text)
        assert r.blocked and r.risks == ("A.1.8",) and r.layer == "keyword"
    assert not s.screen("今天天气不错，配方奶粉怎么冲？").blocked


def test_benign_everyday_text_passes_the_seed_library() -> None:
    s = KeywordScreener(seed_library())
    for text in (
        "帮我总结一下今天的通知",
        "明天上午十点开会，记得带电脑",
        "这个月外卖花了多少钱？",
        "我想学做红烧肉",
    ):
        assert s.screen(text).verdict == "pass"


def test_refusal_names_the_class_not_the_content() -> None:
    r = ScreenResult("block", ("A.1.8",), {"A.1.8": 1.0}, "keyword")
    text = refusal_text(r, "input")
    assert "抱歉" in text and "违反社会主义核心价值观" in text
    assert "停止输出" in refusal_text(r, "output")


def test_labels_are_explicit_and_honest() -> None:
    llm = label_for(ModelKind.LLM, "r1")
    lite = label_for(ModelKind.CLASSICAL, "r2")
    for lab in (llm, lite):
        assert "人工智能" in lab.explicit and "生成" in lab.explicit
        assert set(lab.implicit["AIGC"]) == {
            "Label",
            "ContentProducer",
            "ProduceID",
            "ReservedCode1",
            "ContentPropagator",
            "PropagateID",
            "ReservedCode2",
        }
    assert "抽取" in lite.explicit and "非大模型" in lite.explicit
    assert lite.implicit["AIGC"]["ProduceID"] == "r2"


def _entry(i: int) -> AuditEntry:
    return AuditEntry(
        request_id=f"r{i}",
        user_ref=user_ref("u1"),
        feature="chat",
        model="lite/textrank",
        model_kind="classical",
        input_sha256="a" * 64,
        output_sha256="b" * 64,
        input_verdict="pass",
        input_risks=[],
        output_verdict="pass",
        output_risks=[],
        refused=False,
        egress_id=None,
        label="x",
        finish_reason="stop",
    )


def test_audit_chain_verifies_and_is_append_only(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    log = AuditLog(db, AuditKeys(os.urandom(32)))
    ids = [log.append(_entry(i)) for i in range(3)]
    assert log.verify() == (True, None)
    assert [e["id"] for e in log.entries()] == ids[::-1]
    assert user_ref("u1") != "u1" and "u1" not in str(log.entries())
    with pytest.raises(StorageError, match="append-only"), db.connect() as conn:
        conn.execute("DELETE FROM audit_log")
    with pytest.raises(StorageError, match="append-only"), db.connect() as conn:
        conn.execute("UPDATE audit_log SET body = '{}'")


def test_audit_tampering_is_detected(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    log = AuditLog(db, AuditKeys(os.urandom(32)))
    ids = [log.append(_entry(i)) for i in range(3)]
    with db.connect() as conn:  # an attacker with file access drops the trigger and edits a row
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit_log SET body = replace(body, 'r1', 'rX') WHERE id = ?", (ids[1],))
    assert log.verify() == (False, ids[1])
