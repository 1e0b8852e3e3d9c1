"""What code found, as cited Chinese lines: the executor's output and the assistant's fact list.

:class:`Facts` holds lines of text, each ending in the ids of the events it came from (``[demo-000248]``),
every cited id, and the exact numbers (integer fen). A model only phrases these facts; the lite tier shows
them as they are. Money is formatted with :class:`~decimal.Decimal` (never float).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from lingxi.context.events import Event

__all__ = ["Facts", "local", "mean_fen", "span_zh", "yuan"]


@dataclass
class Facts:
    """What code found: lines (each citing its events), every cited id, and exact numbers."""

    lines: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def add(self, line: str, events: Sequence[Event]) -> None:
        ids = [e.event_id for e in events]
        self.lines.append(line + "".join(f"[{i}]" for i in ids))
        self.cite(events)

    def cite(self, events: Sequence[Event]) -> None:
        """Cite ``events`` without a line of their own: matches beyond those shown still made the count."""
        for e in events:
            if e.event_id not in self.citations:
                self.citations.append(e.event_id)
                self.events.append(e)


def yuan(fen: int) -> str:
    """Integer fen as ``¥12.30`` (exact: Decimal, never float)."""
    return f"¥{(Decimal(fen) / 100).quantize(Decimal('0.01'))}"


def mean_fen(total_fen: int, count: int) -> int:
    """The average in whole fen, rounded half up (as a receipt would), from integers only."""
    return int((Decimal(total_fen) / count).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def local(ms: int, tz: str, fmt: str = "%m月%d日 %H:%M") -> str:
    return datetime.fromtimestamp(ms / 1000, ZoneInfo(tz)).strftime(fmt)


def span_zh(since_ms: int, until_ms: int, tz: str) -> str:
    """``[since, until)`` for people: 「11月23日全天」, 「11月23日 12:00 至 18:00」, or both dates across days."""
    start, end = (datetime.fromtimestamp(ms / 1000, ZoneInfo(tz)) for ms in (since_ms, until_ms))
    if start.time() == end.time() == datetime.min.time():  # whole days
        last = datetime.fromtimestamp((until_ms - 1) / 1000, ZoneInfo(tz))
        same = last.date() == start.date()
        return f"{start:%m月%d日}全天" if same else f"{start:%m月%d日}至{last:%m月%d日}"
    if start.date() == end.date():
        return f"{start:%m月%d日 %H:%M} 至 {end:%H:%M}"
    return f"{start:%m月%d日 %H:%M} 至 {end:%m月%d日 %H:%M}"
