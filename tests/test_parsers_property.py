"""Hypothesis tests on the parsers that read untrusted input.

What must hold for any input: ``parse_event`` returns an event or raises :class:`InvalidInput` (never another
exception), and a valid event survives a JSON round trip; JSON Lines ingestion reports every bad line and
stores every good one; Chinese time expressions parse to an ordered window or to nothing; PII redaction
followed by restoration gives back the original text, streamed in any chunking; model-written summaries are
parsed without crashing.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lingxi.context.events import EVENT_TYPES, parse_event
from lingxi.context.ingest import ingest_lines
from lingxi.context.store import EventStore
from lingxi.context.timeparse import parse_time
from lingxi.errors import InvalidInput
from lingxi.features.notifications import parse_summaries
from lingxi.privacy.crypto import Vault
from lingxi.privacy.redact import RedactionMap, Redactor, StreamRestorer, restore
from lingxi.storage.sqlite import Database

NOW_MS = 1_795_440_600_000  # 2026-11-23 21:30 +08:00
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
TEXT = st.text(alphabet=st.one_of(HAN, st.sampled_from("0123456789 ，。：；！？-@.abcXYZ\n")), max_size=80)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
JSON_VALUES = st.recursive(
    JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
)
FIELDS = st.sampled_from(
    ["event_id", "user_id", "ts", "source_app", "type", "text", "direction", "conversation_id", "sender", "body",
     "amount_fen", "merchant", "items", "order_id", "platform", "status", "total_fen", "start_ts", "end_ts", "title",
     "entry_id", "eta_day", "item_id", "item_name", "action", "reminder_id", "contact_id", "name", "aliases",
     "handles", "target_event_id", "op"]
)  # fmt: skip
TYPES = st.sampled_from(EVENT_TYPES)
EVENTISH = st.fixed_dictionaries({"type": TYPES}, optional={"ts": st.integers()}).flatmap(
    lambda base: st.dictionaries(FIELDS, JSON_VALUES, max_size=10).map(lambda extra: {**extra, **base})
)
PII = st.sampled_from(
    ["13812345678", "138-1234-5678", "zhang.wei@example.com", "11010519491231002X", "6222021234567890123"]
)


@given(EVENTISH)
def test_parse_event_returns_an_event_or_a_clear_error(data: dict[str, Any]) -> None:
    try:
        event = parse_event(data)
    except InvalidInput as exc:
        assert exc.message and exc.message_zh
        return
    assert parse_event(event.model_dump_json()) == event


@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode()))
def test_parse_event_on_arbitrary_bytes(raw: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        parse_event(raw)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.one_of(st.just("good"), st.text(max_size=40)), min_size=1, max_size=8))
def test_ingest_lines_stores_good_lines_and_reports_every_bad_one(tmp_path_factory: Any, kinds: list[str]) -> None:
    store = EventStore(Database(tmp_path_factory.mktemp("ingest") / "lingxi.db"), Vault(b"k" * 32))
    lines: list[str] = []
    for n, kind in enumerate(kinds):
        if kind == "good":
            event = {"type": "search", "event_id": f"e{n}", "user_id": "u", "ts": NOW_MS, "source_app": "淘宝",
                     "query": "耳机", "platform": "淘宝"}  # fmt: skip
            lines.append(json.dumps(event, ensure_ascii=False))
        else:
            lines.append(kind.replace("\n", " "))
    report = ingest_lines(store, lines, on_error="skip")
    good = sum(1 for k in kinds if k == "good")
    blank = sum(1 for k in kinds if k != "good" and not k.strip())
    assert report.added == good
    assert report.invalid == len(report.errors) == len(kinds) - good - blank
    assert all(1 <= e.line <= len(kinds) for e in report.errors)


@given(
    st.text(
        alphabet=st.sampled_from(
            list("上下这本周月年天前后最近三十二一两个星期礼拜日号点半早晚午中今明昨去年号0123456789")
        ),
        max_size=12,
    )
)
def test_parse_time_gives_an_ordered_window_or_nothing(query: str) -> None:
    window = parse_time(query, NOW_MS)
    if window is not None:
        assert window.start_ms < window.end_ms


@given(st.lists(st.one_of(TEXT, PII), max_size=8), st.lists(st.integers(min_value=1, max_value=7), max_size=20))
def test_redaction_round_trips_in_any_chunking(parts: list[str], cuts: list[int]) -> None:
    text = "".join(parts).replace("[", "(")  # user text with brackets could contain placeholder look-alikes
    mapping = RedactionMap()
    redacted, spans = Redactor().redact_spans(text, mapping)
    for span in spans:
        assert text[span.start : span.end] == span.text
        # each recognized value is replaced (the same digits may remain inside a longer, non-PII number)
        assert redacted.count(span.text) < text.count(span.text)
    assert restore(redacted, mapping) == text
    restorer, out, pos = StreamRestorer(mapping), [], 0
    for cut in cuts:
        out.append(restorer.feed(redacted[pos : pos + cut]))
        pos += cut
    out += [restorer.feed(redacted[pos:]), restorer.flush()]
    assert "".join(out) == text


@given(st.text(max_size=300))
def test_parse_summaries_never_crashes(text: str) -> None:
    parsed = parse_summaries(text)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.items())
