"""Reversible redaction of Chinese PII at the egress boundary.

A recognizer finds spans (regex + a validity check such as the resident-ID checksum or Luhn for bank cards,
so random digit runs are not redacted); :class:`Redactor` swaps each distinct value for a numbered,
typed placeholder like ``[手机号_1]`` and keeps the mapping on the device. The same value always gets the
same placeholder within one request, so a cloud model can still refer to "the same phone number", and
:class:`StreamRestorer` puts the real values back into a streamed answer even when a placeholder is split
across chunks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_resident_id(value: str) -> bool:
    """GB 11643 check digit of an 18-character resident identity number."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def luhn_ok(digits: str) -> bool:
    """Luhn checksum, used by UnionPay and international bank cards."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


@dataclass(frozen=True)
class Recognizer:
    """One kind of PII: a Chinese label used in placeholders, a pattern, and an optional validator."""

    label: str
    pattern: re.Pattern[str]
    validate: Callable[[str], bool] = lambda _: True


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


RECOGNIZERS: tuple[Recognizer, ...] = (
    Recognizer("身份证号", re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"), valid_resident_id),
    Recognizer(
        "银行卡号",
        re.compile(r"(?<!\d)(?:\d{4}[ -]?){3,4}\d{1,4}(?!\d)"),
        lambda s: 16 <= len(_digits(s)) <= 19 and luhn_ok(_digits(s)),
    ),
    Recognizer("手机号", re.compile(r"(?<!\d)(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")),
    Recognizer("邮箱", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
)

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
    """Replaces recognized PII with placeholders, in recognizer order (most specific first)."""

    def __init__(self, recognizers: tuple[Recognizer, ...] = RECOGNIZERS) -> None:
        self.recognizers = recognizers

    def redact(self, text: str, mapping: RedactionMap) -> str:
        for rec in self.recognizers:

            def swap(m: re.Match[str], rec: Recognizer = rec) -> str:
                value = m.group(0)
                return mapping.placeholder_for(rec.label, value) if rec.validate(value) else value

            text = rec.pattern.sub(swap, text)
        return text


def restore(text: str, mapping: RedactionMap) -> str:
    """Put original values back for every placeholder the mapping knows; unknown ones stay as they are."""
    return _PLACEHOLDER.sub(lambda m: mapping.by_placeholder.get(m.group(0), m.group(0)), text)


class StreamRestorer:
    """Restores placeholders in a stream, holding back only an unfinished ``[...`` at a chunk's end."""

    def __init__(self, mapping: RedactionMap) -> None:
        self.mapping = mapping
        self._pending = ""

    def feed(self, delta: str) -> str:
        text = self._pending + delta
        cut = text.rfind("[")
        if cut != -1 and "]" not in text[cut:] and len(text) - cut <= 16:
            self._pending, text = text[cut:], text[:cut]
        else:
            self._pending = ""
        return restore(text, self.mapping)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return restore(text, self.mapping)
