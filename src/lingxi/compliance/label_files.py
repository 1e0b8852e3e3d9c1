"""Write and check AI-content labels in exported files (GB 45438-2025, CAC Labeling Measures Art. 5–6).

An exported file must carry both labels, because once it leaves the app nothing else says where it came
from: the explicit label as text a reader sees (its own paragraph at the start or end of the body) and the
implicit label as ``{"AIGC": {...}}`` metadata in the place each format reserves for it:

- **Markdown** — YAML front matter, ``AIGC: {...}`` written as a JSON flow mapping (valid YAML, so any
  front-matter reader parses it, and we need no YAML library to write it). Reading also accepts the block
  form (``AIGC:`` followed by indented ``Key: value`` lines) that other tools write.
- **Plain text** — the same front-matter header. A .txt has no metadata of its own; a sidecar file
  (``answer.txt.json``) is lost the first time the text is copied, mailed or pasted, and the labelling rules
  want the implicit label to travel with the content. A ``---``-delimited header at the top travels with
  it, is what front-matter readers already parse, and is plainly machine metadata to a person.
- **PDF** — XMP (``TC260:AIGC``) and the Info dictionary (:mod:`lingxi.compliance.label_pdf`).
- **DOCX** — custom property ``AIGC`` in ``docProps/custom.xml`` (python-docx has no API for custom
  properties, so that part is written with :mod:`zipfile`); the body is written with ``python-docx``, whose
  template's core properties (author "python-docx", created 2013) are replaced by the provider and now.

With a :class:`~lingxi.compliance.label_sign.LabelSigner`, :func:`export` signs ``ReservedCode1`` over the
text as written and :func:`check` verifies it. :func:`check` reads a file back and lists every problem in
Chinese — a denial such as 「本文并非人工智能生成」 is no explicit label, empty producer or content ids are
problems — so it serves both our tests and a deployer auditing files.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from lingxi.compliance.label_pdf import pdf_lines, read_pdf, write_pdf
from lingxi.compliance.label_sign import LabelSigner
from lingxi.compliance.labels import Label, Placement, implicit_problems, is_denial, is_explicit_label
from lingxi.errors import InvalidInput, NotFound

SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx")


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


def export(
    text: str,
    label: Label,
    path: Path | str,
    placement: Placement = Placement.START,
    *,
    signer: LabelSigner | None = None,
) -> Path:
    """Write ``text`` with both labels to ``path``; the format follows the suffix; ``signer`` signs the label."""
    path = Path(path)
    suffix = _suffix(path)
    paragraphs = _paragraphs(text, label, placement)
    written = pdf_lines(paragraphs) if suffix == ".pdf" else paragraphs  # what reading back will see
    implicit = signer.sign(label.implicit, "\n".join(written)) if signer else label.implicit
    producer = str(implicit["AIGC"].get("ContentProducer", ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        write_pdf(paragraphs, _implicit_json(implicit), producer, path)
    elif suffix == ".docx":
        _write_docx(paragraphs, implicit, label.explicit, path)
    else:
        _write_markdown(paragraphs, implicit, path)
    return path


def check(path: Path | str, signer: LabelSigner | None = None) -> LabelCheck:
    """Read the labels back from ``path`` and validate them (GB 45438-2025); ``signer`` verifies the signature."""
    path = Path(path)
    suffix = _suffix(path)
    if not path.is_file():
        raise NotFound(f"{path}: no such file", message_zh=f"文件不存在：{path}")
    problems: list[str] = []
    try:
        if suffix == ".pdf":
            paragraphs, aigc, problems = read_pdf(path)
            meta = _wrap(aigc)
        elif suffix == ".docx":
            paragraphs, meta = _read_docx(path)
        else:
            paragraphs, meta = _read_markdown(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, ET.ParseError) as exc:
        return LabelCheck(False, None, [f"无法读取文件：{exc}"])
    ends = [p for p in paragraphs if p.strip()]
    edges = [ends[0], ends[-1]] if ends else []
    explicit = any(is_explicit_label(p) for p in edges)
    if any(is_denial(p) for p in edges):
        problems.append("正文开头或结尾是否认人工智能生成的声明，不能作为显式标识")
    if not explicit:
        problems.append("缺少显式标识：正文开头或结尾没有含“人工智能/AI”与“生成/合成”的提示文字")
    problems.extend(implicit_problems(meta))
    if signer is not None and meta is not None and isinstance(meta.get("AIGC"), dict):
        problems.extend(signer.problems(meta["AIGC"], "\n".join(paragraphs)))
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


def _write_docx(paragraphs: list[str], implicit: dict[str, Any], explicit: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for para in paragraphs:
        document.add_paragraph(para)
    core, now = document.core_properties, datetime.now(UTC).replace(microsecond=0)
    producer = str(implicit["AIGC"].get("ContentProducer", ""))
    core.author = core.last_modified_by = producer
    core.created = core.modified = now
    core.revision = 1
    core.comments, core.keywords = explicit, "AIGC"
    core.title = core.subject = core.category = ""
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
