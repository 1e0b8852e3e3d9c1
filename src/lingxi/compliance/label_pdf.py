"""PDF with both AI-content labels: the text on the page, the ``AIGC`` metadata in XMP and in the Info dictionary.

The page text uses the standard Adobe-GB1 CID font ``STSong-Light`` (every conforming viewer supplies it, so
no font file is embedded and no font library is needed) with a ``/ToUnicode`` map, so the explicit label is
both visible and extractable.

The implicit label goes where the labelling practice guides put it for PDF — an XMP packet (the document's
``/Metadata`` stream) with the property ``TC260:AIGC`` in the namespace ``http://www.tc260.org.cn/ns/AIGC/1.0/``
holding the JSON — and also in the Info dictionary (``/AIGC``), which older tools and our earlier files use.
Reading prefers XMP and reports the two disagreeing. The packet is written by hand (a dozen lines of XML):
pypdf stores any bytes as ``/Metadata`` but has no API for custom XMP namespaces.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


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


def pdf_lines(paragraphs: list[str]) -> list[str]:
    lines: list[str] = []
    for para in paragraphs:
        for raw in para.splitlines() or [""]:
            raw = "".join(c if 0x20 <= ord(c) <= 0xFFFF else "?" for c in raw)  # UCS-2: BMP only
            lines.extend(raw[i : i + _CHARS_PER_LINE] for i in range(0, max(len(raw), 1), _CHARS_PER_LINE))
        lines.append("")
    return lines[:-1]


def xmp_packet(aigc_json: str, producer: str, when: datetime) -> bytes:
    """An XMP packet carrying ``TC260:AIGC`` plus the usual creator tool and dates."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'<rdf:RDF xmlns:rdf="{_RDF_NS}">'
        f'<rdf:Description rdf:about="" xmlns:TC260="{TC260_NS}" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<TC260:AIGC>{escape(aigc_json)}</TC260:AIGC>"
        f"<xmp:CreatorTool>{escape(producer)}</xmp:CreatorTool>"
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
        "<pdf:Producer>lingxi</pdf:Producer>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def xmp_aigc(packet: bytes) -> str | None:
    """The ``TC260:AIGC`` value of an XMP packet (element or attribute form), or None."""
    root = ET.fromstring(packet.decode("utf-8").split("?>", 1)[-1].rsplit("<?xpacket", 1)[0])
    for desc in root.iter(f"{{{_RDF_NS}}}Description"):
        attr = desc.get(f"{{{TC260_NS}}}AIGC")
        if attr is not None:
            return attr
        node = desc.find(f"{{{TC260_NS}}}AIGC")
        if node is not None:
            return node.text or ""
    return None


def write_pdf(paragraphs: list[str], aigc_json: str, producer: str, path: Path) -> None:
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
    lines = pdf_lines(paragraphs)
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
    now = datetime.now(UTC)
    stamp = now.strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata(
        {"/AIGC": aigc_json, "/Producer": "lingxi", "/Creator": producer, "/CreationDate": stamp, "/ModDate": stamp}
    )
    xmp = DecodedStreamObject()
    xmp.set_data(xmp_packet(aigc_json, producer, now))
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    with path.open("wb") as fh:
        writer.write(fh)


def read_pdf(path: Path) -> tuple[list[str], Any, list[str]]:
    """(text lines, the ``AIGC`` value or None, problems): XMP first, the Info dictionary as fallback."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        raw = reader.metadata.get("/AIGC") if reader.metadata is not None else None
        stream = reader.root_object.get("/Metadata")
        packet = stream.get_object().get_data() if stream is not None else None
    except PdfReadError as exc:
        raise ValueError(str(exc)) from exc
    info = json.loads(str(raw)) if raw is not None else None
    from_xmp = xmp_aigc(packet) if packet else None
    xmp = json.loads(from_xmp) if from_xmp is not None else None
    problems = []
    if xmp is None:
        problems.append("PDF 缺少 XMP 元数据中的隐式标识（TC260:AIGC）")
    elif info is not None and info != xmp:
        problems.append("PDF 的 XMP 与文档信息字典中的隐式标识不一致")
    lines = text.strip().splitlines()  # extraction loses blank lines: first and last *line* count
    return lines, xmp if xmp is not None else info, problems
