"""Write and check AI-content labels in exported files (GB 45438-2025, CAC Labeling Measures Art. 5–6).

An exported file must carry both labels, because once it leaves the app nothing else says where it came
from: the explicit label as text a reader sees (its own paragraph at the start or end of the body) and the
implicit label as ``{"AIGC": {...}}`` metadata in the place each format reserves for it:

- **Markdown** — YAML front matter, ``AIGC: {...}`` written as a JSON flow mapping (valid YAML, so any
  front-matter reader parses it, and we need no YAML library to write it). Reading also accepts the block
  form (``AIGC:`` followed by indented ``Key: value`` lines) that other tools write.
- **PDF** — Info dictionary key ``/AIGC`` holding the JSON (via ``pypdf``). The page text uses the standard
  Adobe-GB1 CID font ``STSong-Light`` (every conforming viewer supplies it, so no font file is embedded and
  no font library is needed) with a ``/ToUnicode`` map, so the label is both visible and extractable.
- **DOCX** — custom property ``AIGC`` in ``docProps/custom.xml`` (python-docx has no API for custom
  properties, so that part is written with :mod:`zipfile`); the body is written with ``python-docx``.

:func:`check` reads a file back and lists every problem in Chinese, so it serves both our tests and a
deployer auditing files produced elsewhere.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from lingxi.compliance.labels import Label, Placement, implicit_problems, is_explicit_label
from lingxi.errors import InvalidInput, NotFound

SUFFIXES = (".md", ".markdown", ".pdf", ".docx")


@dataclass
class LabelCheck:
    """What :func:`check` found: the explicit label, the implicit metadata, and what is wrong (Chinese)."""

    explicit_found: bool
    implicit: dict[str, Any] | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(
            f"{path}: unsupported file type {suffix or '(none)'}; supported: {', '.join(SUFFIXES)}",
            message_zh=f"不支持的文件类型 {suffix or '（无扩展名）'}，支持：{'、'.join(SUFFIXES)}",
        )
    return suffix


def _paragraphs(text: str, label: Label, placement: Placement) -> list[str]:
    """Body paragraphs with the explicit label first or last (``interface`` becomes ``start`` in files)."""
    body = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    mark = f"【{label.explicit}】"
    return [*body, mark] if placement is Placement.END else [mark, *body]


def export(text: str, label: Label, path: Path | str, placement: Placement = Placement.START) -> Path:
    """Write ``text`` with both labels to ``path``; the format follows the suffix."""
    path = Path(path)
    suffix = _suffix(path)
    paragraphs = _paragraphs(text, label, placement)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        _write_pdf(paragraphs, label.implicit, path)
    elif suffix == ".docx":
        _write_docx(paragraphs, label.implicit, path)
    else:
        _write_markdown(paragraphs, label.implicit, path)
    return path


def check(path: Path | str) -> LabelCheck:
    """Read the labels back from ``path`` and validate them (GB 45438-2025)."""
    path = Path(path)
    suffix = _suffix(path)
    if not path.is_file():
        raise NotFound(f"{path}: no such file", message_zh=f"文件不存在：{path}")
    problems: list[str] = []
    try:
        if suffix == ".pdf":
            paragraphs, meta = _read_pdf(path)
        elif suffix == ".docx":
            paragraphs, meta = _read_docx(path)
        else:
            paragraphs, meta = _read_markdown(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, ET.ParseError) as exc:
        return LabelCheck(False, None, [f"无法读取文件：{exc}"])
    ends = [p for p in paragraphs if p.strip()]
    explicit = bool(ends) and (is_explicit_label(ends[0]) or is_explicit_label(ends[-1]))
    if not explicit:
        problems.append("缺少显式标识：正文开头或结尾没有含“人工智能/AI”与“生成/合成”的提示文字")
    problems.extend(implicit_problems(meta))
    return LabelCheck(explicit, meta, problems)


def _implicit_json(implicit: dict[str, Any]) -> str:
    return json.dumps(implicit["AIGC"], ensure_ascii=False, separators=(", ", ": "))


def _wrap(aigc: Any) -> dict[str, Any] | None:
    return {"AIGC": aigc} if aigc is not None else None


# -- Markdown ----------------------------------------------------------------------------------------------
def _write_markdown(paragraphs: list[str], implicit: dict[str, Any], path: Path) -> None:
    front = f"---\nAIGC: {_implicit_json(implicit)}\n---\n\n"
    path.write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def _read_markdown(path: Path) -> tuple[list[str], dict[str, Any] | None]:
    text = path.read_text(encoding="utf-8-sig")
    meta: dict[str, Any] | None = None
    match = re.match(r"---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.S)
    if match:
        meta = _wrap(_front_matter_aigc(match.group(1)))
        text = text[match.end() :]
    return re.split(r"\n\s*\n", text.strip()), meta


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _front_matter_aigc(front: str) -> Any:
    """The ``AIGC`` value of a front matter: a JSON/flow mapping on one line, or an indented block."""
    lines = front.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"AIGC\s*:\s*(.*)$", line)
        if not m:
            continue
        inline = m.group(1).strip()
        if inline:
            return json.loads(inline)  # ValueError (bad JSON) is reported by check()
        block: dict[str, str] = {}
        for sub in lines[i + 1 :]:
            km = re.match(r"\s+(\w+)\s*:\s*(.*)$", sub)
            if not km:
                break
            block[km.group(1)] = _scalar(km.group(2))
        return block
    return None


# -- PDF ---------------------------------------------------------------------------------------------------
_PAGE_W, _PAGE_H, _MARGIN, _SIZE, _LEADING = 595.0, 842.0, 56.0, 12.0, 18.0
_CHARS_PER_LINE = int((_PAGE_W - 2 * _MARGIN) // _SIZE)  # CJK glyphs are 1 em wide; Latin ones narrower
_LINES_PER_PAGE = int((_PAGE_H - 2 * _MARGIN) // _LEADING)

_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _pdf_lines(paragraphs: list[str]) -> list[str]:
    lines: list[str] = []
    for para in paragraphs:
        for raw in para.splitlines() or [""]:
            raw = "".join(c if 0x20 <= ord(c) <= 0xFFFF else "?" for c in raw)  # UCS-2: BMP only
            lines.extend(raw[i : i + _CHARS_PER_LINE] for i in range(0, max(len(raw), 1), _CHARS_PER_LINE))
        lines.append("")
    return lines[:-1]


def _write_pdf(paragraphs: list[str], implicit: dict[str, Any], path: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject
    from pypdf.generic import TextStringObject as Text

    writer = PdfWriter()
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(_TO_UNICODE)
    descendant = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): Text("Adobe"),
                    NameObject("/Ordering"): Text("GB1"),
                    NameObject("/Supplement"): NumberObject(2),
                }
            ),
            NameObject("/FontDescriptor"): writer._add_object(
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/FontDescriptor"),
                        NameObject("/FontName"): NameObject("/STSong-Light"),
                        NameObject("/Flags"): NumberObject(6),
                        NameObject("/FontBBox"): ArrayObject([NumberObject(v) for v in (-25, -254, 1000, 880)]),
                        NameObject("/ItalicAngle"): NumberObject(0),
                        NameObject("/Ascent"): NumberObject(880),
                        NameObject("/Descent"): NumberObject(-120),
                        NameObject("/CapHeight"): NumberObject(880),
                        NameObject("/StemV"): NumberObject(93),
                    }
                )
            ),
        }
    )
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type0"),
                NameObject("/BaseFont"): NameObject("/STSong-Light-UniGB-UCS2-H"),
                NameObject("/Encoding"): NameObject("/UniGB-UCS2-H"),
                NameObject("/DescendantFonts"): ArrayObject([writer._add_object(descendant)]),
                NameObject("/ToUnicode"): writer._add_object(to_unicode),
            }
        )
    )
    lines = _pdf_lines(paragraphs)
    for start in range(0, max(len(lines), 1), _LINES_PER_PAGE):
        page = writer.add_blank_page(_PAGE_W, _PAGE_H)
        ops = [f"BT /F1 {_SIZE:g} Tf {_LEADING:g} TL {_MARGIN:g} {_PAGE_H - _MARGIN:g} Td"]
        ops += [f"<{line.encode('utf-16-be').hex().upper()}> Tj T*" for line in lines[start : start + _LINES_PER_PAGE]]
        ops.append("ET")
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    writer.add_metadata({"/AIGC": _implicit_json(implicit), "/Producer": "lingxi"})
    with path.open("wb") as fh:
        writer.write(fh)


def _read_pdf(path: Path) -> tuple[list[str], dict[str, Any] | None]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        raw = reader.metadata.get("/AIGC") if reader.metadata is not None else None
    except PdfReadError as exc:
        raise ValueError(str(exc)) from exc
    meta = _wrap(json.loads(str(raw))) if raw is not None else None
    return text.strip().splitlines(), meta  # extraction loses blank lines: first and last *line* count


# -- DOCX --------------------------------------------------------------------------------------------------
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the FMTID every custom property uses (ECMA-376 Part 1)


def _custom_xml(implicit: dict[str, Any]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">'
        f'<property fmtid="{_FMTID}" pid="2" name="AIGC"><vt:lpwstr>{escape(_implicit_json(implicit))}</vt:lpwstr>'
        "</property></Properties>"
    ).encode()


def _write_docx(paragraphs: list[str], implicit: dict[str, Any], path: Path) -> None:
    import docx

    document = docx.Document()
    for para in paragraphs:
        document.add_paragraph(para)
    document.save(str(path))
    with zipfile.ZipFile(path) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
    types = parts["[Content_Types].xml"].decode()
    if "/docProps/custom.xml" not in types:
        override = f'<Override PartName="/docProps/custom.xml" ContentType="{_CUSTOM_CT}"/>'
        parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    rels = parts["_rels/.rels"].decode()
    if _CUSTOM_REL not in rels:
        rel = f'<Relationship Id="rIdAigc" Type="{_CUSTOM_REL}" Target="docProps/custom.xml"/>'
        parts["_rels/.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode()
    parts["docProps/custom.xml"] = _custom_xml(implicit)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)


def _read_docx(path: Path) -> tuple[list[str], dict[str, Any] | None]:
    import docx

    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    with zipfile.ZipFile(path) as zf:
        if "docProps/custom.xml" not in zf.namelist():
            return paragraphs, None
        root = ET.fromstring(zf.read("docProps/custom.xml"))
    for prop in root.findall(f"{{{_CUSTOM_NS}}}property"):
        if prop.get("name") == "AIGC":
            value = next(iter(prop), None)
            return paragraphs, _wrap(json.loads(value.text or "") if value is not None else None)
    return paragraphs, None
