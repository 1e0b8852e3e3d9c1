"""Round trips of both AI-content labels through Markdown, PDF and DOCX, and detection of unlabeled files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from lingxi.compliance.label_files import check, export
from lingxi.compliance.labels import (
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


@pytest.mark.parametrize("suffix", [".md", ".pdf", ".docx"])
@pytest.mark.parametrize("placement", [Placement.START, Placement.END])
def test_round_trip(tmp_path: Path, suffix: str, placement: Placement) -> None:
    label = label_for(ModelKind.LLM, "req-42")
    path = export(TEXT, label, tmp_path / f"out{suffix}", placement)
    result = check(path)
    assert result.ok, result.problems
    assert result.explicit_found
    assert result.implicit == label.implicit


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
        export("x", label_for(ModelKind.LLM, "r"), tmp_path / "a.txt")


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
