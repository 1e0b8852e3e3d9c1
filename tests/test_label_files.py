"""Round trips of both AI-content labels through Markdown, text, PDF and DOCX; what `label check` catches."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lingxi.compliance.label_files import check, export
from lingxi.compliance.label_pdf import xmp_aigc
from lingxi.compliance.label_sign import LabelSigner
from lingxi.compliance.labels import (
    EXPLICIT_CLASSICAL,
    EXPLICIT_RULES,
    Filing,
    Placement,
    apply_explicit,
    implicit_problems,
    is_explicit_label,
    label_for,
)
from lingxi.errors import InvalidInput
from lingxi.models.base import ModelKind

TEXT = "今晚七点在家吃饭，记得买菜。\n\n明天上午九点开会。"


@pytest.mark.parametrize("suffix", [".md", ".txt", ".pdf", ".docx"])
@pytest.mark.parametrize("placement", [Placement.START, Placement.END])
def test_round_trip(tmp_path: Path, suffix: str, placement: Placement) -> None:
    label = label_for(ModelKind.LLM, "req-42", "示例科技有限公司")
    path = export(TEXT, label, tmp_path / f"out{suffix}", placement)
    result = check(path)
    assert result.ok, result.problems
    assert result.explicit_found
    assert result.implicit == label.implicit
    assert result.implicit["AIGC"]["ContentProducer"] == "示例科技有限公司"


def test_pdf_label_is_visible_text(tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = export(TEXT * 40, label_for(ModelKind.CLASSICAL, "r1"), tmp_path / "long.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) > 1
    assert "本内容由人工智能算法从原文中抽取生成" in (reader.pages[0].extract_text() or "")
    assert '"Label": "1"' in str(reader.metadata["/AIGC"])  # type: ignore[index]


def test_docx_custom_property(tmp_path: Path) -> None:
    path = export(TEXT, label_for(ModelKind.LLM, "r2"), tmp_path / "a.docx")
    with zipfile.ZipFile(path) as zf:
        assert 'name="AIGC"' in zf.read("docProps/custom.xml").decode()
        assert "custom-properties" in zf.read("_rels/.rels").decode()


def test_unlabeled_files_have_problems(tmp_path: Path) -> None:
    import docx
    from pypdf import PdfWriter

    md = tmp_path / "plain.md"
    md.write_text("# 标题\n\n普通文字。\n", encoding="utf-8")
    pdf = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    with pdf.open("wb") as fh:
        writer.write(fh)
    doc = tmp_path / "plain.docx"
    d = docx.Document()
    d.add_paragraph("普通文字")
    d.save(str(doc))
    for path in (md, pdf, doc):
        result = check(path)
        assert not result.ok and not result.explicit_found and result.implicit is None
        assert any("显式" in p for p in result.problems) and any("隐式" in p for p in result.problems)


def test_markdown_block_front_matter_and_bad_label(tmp_path: Path) -> None:
    md = tmp_path / "other.md"
    md.write_text('---\ntitle: x\nAIGC:\n  Label: "7"\n  ContentProducer: a\n---\n\n本文由AI合成\n', encoding="utf-8")
    result = check(md)
    assert result.explicit_found
    assert result.implicit == {"AIGC": {"Label": "7", "ContentProducer": "a"}}
    assert any("Label" in p for p in result.problems)
    assert any("ProduceID" in p for p in result.problems)


def test_unsupported_suffix(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        export("x", label_for(ModelKind.LLM, "r"), tmp_path / "a.rtf")


def test_apply_explicit_and_validation() -> None:
    label = label_for(ModelKind.LLM, "r")
    assert apply_explicit("答案", label, Placement.START).startswith("【本内容由人工智能生成】")
    end = apply_explicit("答案", label, Placement.END)
    assert end.endswith("】") and apply_explicit(end, label, Placement.END) == end
    assert apply_explicit("答案", label, Placement.INTERFACE) == "答案"
    assert is_explicit_label("AI生成") and not is_explicit_label("人工智能") and not is_explicit_label("生成")
    assert implicit_problems(label.implicit) == []
    assert implicit_problems(None)


def test_filing_display_and_missing() -> None:
    empty = Filing()
    assert "算法备案号" in empty.missing()
    filing = Filing(
        service_filing_no="Beijing-LX-202601", algorithm_filing_no="网信算备110000000000001", model_name="灵犀"
    )
    assert "算法备案号：网信算备110000000000001" in filing.display_zh()
    assert filing.missing() == ["服务提供者"]


# -- provider, XMP, DOCX core properties, signatures -------------------------------------------------------
SIGNER = LabelSigner(b"s" * 32)
PROVIDER = "示例科技有限公司"


def _signed(tmp_path: Path, suffix: str, text: str = TEXT, produce_id: str = "req-1") -> Path:
    label = label_for(ModelKind.LLM, produce_id, PROVIDER)
    return export(text, label, tmp_path / f"{produce_id}{suffix}", signer=SIGNER)


@pytest.mark.parametrize("suffix", [".md", ".txt", ".pdf", ".docx"])
def test_signed_labels_verify_and_another_key_rejects_them(tmp_path: Path, suffix: str) -> None:
    path = _signed(tmp_path, suffix, TEXT + "\n\nEmoji 😀 and a long line " + "很长的一行" * 30)
    assert check(path, SIGNER).ok, check(path, SIGNER).problems
    assert check(path, LabelSigner(b"t" * 32)).problems == [
        "隐式标识签名无效：标识字段被改动，或标识是伪造的（并非本服务签发）"
    ]


def _front(path: Path) -> tuple[str, str]:
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    return head + "\n---\n", body


def test_edited_content_and_a_copied_label_are_caught(tmp_path: Path) -> None:
    md = _signed(tmp_path, ".md")
    md.write_text(md.read_text(encoding="utf-8").replace("七点", "八点"), encoding="utf-8")
    assert any("内容不符" in p for p in check(md, SIGNER).problems)
    a, b = _signed(tmp_path, ".txt", produce_id="a"), _signed(tmp_path, ".txt", "另一段由人写的文字。", "b")
    b.write_text(_front(a)[0] + _front(b)[1], encoding="utf-8")  # a's label on b's text
    assert any("内容不符" in p for p in check(b, SIGNER).problems)
    doc = _signed(tmp_path, ".docx")
    import docx

    d = docx.Document(str(doc))
    d.paragraphs[1].text = "改过的内容"
    d.save(str(doc))
    assert any("内容不符" in p for p in check(doc, SIGNER).problems)


def test_forged_and_unsigned_labels_are_caught(tmp_path: Path) -> None:
    md = _signed(tmp_path, ".md")
    md.write_text(md.read_text(encoding="utf-8").replace("req-1", "req-2"), encoding="utf-8")
    assert any("签名无效" in p for p in check(md, SIGNER).problems)
    unsigned = export(TEXT, label_for(ModelKind.LLM, "r", PROVIDER), tmp_path / "u.md")
    assert check(unsigned).ok and any("未签名" in p for p in check(unsigned, SIGNER).problems)


def test_a_denial_is_no_explicit_label(tmp_path: Path) -> None:
    signed = _signed(tmp_path, ".md")
    front = _front(signed)[0]
    for denial in ("本文并非人工智能生成", "本内容非AI生成", "不是由人工智能合成的"):
        path = tmp_path / "denial.md"
        path.write_text(front + f"\n【{denial}】\n\n" + TEXT + "\n", encoding="utf-8")
        result = check(path)
        assert not result.explicit_found and any("否认" in p for p in result.problems), denial
    assert is_explicit_label(EXPLICIT_CLASSICAL) and is_explicit_label(EXPLICIT_RULES)
    assert not is_explicit_label("SAID 生成")


def test_empty_producer_and_id_fields_are_problems(tmp_path: Path) -> None:
    md = tmp_path / "empty.md"
    aigc = {**label_for(ModelKind.LLM, "x").implicit["AIGC"], "ContentProducer": "", "ProduceID": " "}
    md.write_text(
        f"---\nAIGC: {json.dumps(aigc, ensure_ascii=False)}\n---\n\n【本内容由人工智能生成】\n\n正文\n", "utf-8"
    )
    problems = check(md).problems
    assert any("ContentProducer" in p and "为空" in p for p in problems)
    assert any("ProduceID" in p and "为空" in p for p in problems)


def test_pdf_carries_xmp_and_keeps_the_info_dictionary(tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = _signed(tmp_path, ".pdf")
    reader = PdfReader(path)
    packet = reader.root_object["/Metadata"].get_object().get_data().decode()
    assert "http://www.tc260.org.cn/ns/AIGC/1.0/" in packet and "<TC260:AIGC>" in packet
    xmp = json.loads(xmp_aigc(packet.encode()) or "")
    assert xmp == json.loads(str(reader.metadata["/AIGC"]))  # type: ignore[index]
    assert xmp["ContentProducer"] == PROVIDER and xmp["ReservedCode1"].startswith("lingxi-v1;")


def test_docx_core_properties_name_the_provider_and_now(tmp_path: Path) -> None:
    import docx

    path = _signed(tmp_path, ".docx")
    core = docx.Document(str(path)).core_properties
    assert core.author == core.last_modified_by == PROVIDER
    assert core.created is not None and abs((datetime.now(UTC) - core.created).total_seconds()) < 3600
    with zipfile.ZipFile(path) as zf:
        assert "python-docx" not in zf.read("docProps/core.xml").decode()


def test_cli_exports_with_the_configured_provider_and_checks_the_signature(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from lingxi.cli.labels import label_app

    (tmp_path / "lingxi.toml").write_text('[labels]\nprovider_code = "LX-0001"\n', encoding="utf-8")
    src, dest = tmp_path / "a.txt", tmp_path / "out.txt"
    src.write_text(TEXT, encoding="utf-8")
    runner, home = CliRunner(), ["--home", str(tmp_path)]
    assert runner.invoke(label_app, ["export", str(src), str(dest), *home]).exit_code == 0
    assert '"ContentProducer": "LX-0001"' in dest.read_text(encoding="utf-8")
    assert runner.invoke(label_app, ["check", str(dest), *home]).exit_code == 0
    dest.write_text(dest.read_text(encoding="utf-8").replace("开会", "休息"), encoding="utf-8")
    result = runner.invoke(label_app, ["check", str(dest), *home])
    assert result.exit_code == 1 and "内容不符" in result.output
    assert runner.invoke(label_app, ["check", str(dest), "--no-signature", *home]).exit_code == 0
