"""Every feature reads calendar, orders and messages as they stand: a cancellation, a move or a correction
ingested now changes the assistant, replies, digest, meeting-soon urgency and search at once."""

from __future__ import annotations

from typing import Any

from lingxi import Lingxi
from lingxi.context.events import Event, parse_event
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID, sample_events
from lingxi.privacy.consent import Scope

U, NOW = SAMPLE_USER_ID, SAMPLE_NOW_MS
MIN, HOUR = 60_000, 3_600_000


def version_of(entry_id: str, event_id: str, **change: Any) -> Event:
    """A new version of a sample calendar entry, as its app would send it (title and times repeated)."""
    last = [e for e in sample_events() if e.type == "calendar" and getattr(e, "entry_id", "") == entry_id][-1]
    data = {**last.model_dump(mode="json"), "event_id": event_id, "ts": NOW - MIN, **change}
    return parse_event(data)


def test_assistant_free_busy_follows_cancellation_and_move(sample: Lingxi) -> None:
    before = sample.assistant.ask(U, "下周三下午有空吗？", now_ms=NOW)
    assert before.numbers["busy"] == 1 and "16:00–17:00 版本上线评审" in before.text and "（已改期）" in before.text
    assert "14:00–15:00" not in before.text  # the moved review occupies only its new slot
    sample.ingest([version_of("cal-10", "t-cancel", status="cancelled")])
    after = sample.assistant.ask(U, "下周三下午有空吗？", now_ms=NOW)
    assert after.numbers["busy"] == 0 and "有空" in after.text


def test_assistant_order_status_follows_a_new_status(sample: Lingxi) -> None:
    phones = [e for e in sample_events() if e.type == "order" and getattr(e, "order_id", "") == "298801234567"][-1]
    first = sample.assistant.ask(U, "我上周在京东买的耳机什么时候到？", now_ms=NOW)
    assert "运输中" in first.text and "预计 11月24日 送达" in first.text
    change = {"event_id": "t-ofd", "ts": NOW - MIN, "status": "out_for_delivery", "eta_day": "2026-11-23"}
    sample.ingest([parse_event({**phones.model_dump(mode="json"), **change})])
    later = sample.assistant.ask(U, "我上周在京东买的耳机什么时候到？", now_ms=NOW)
    assert "派送中" in later.text and "预计 11月23日 送达" in later.text and "t-ofd" in later.citations


def test_reply_to_a_free_busy_question_follows_cancellation(sample: Lingxi) -> None:
    busy = sample.replies.suggest(U, "wx-zhangwei", now_ms=NOW).candidates[0]
    assert "16:00-17:00" in busy.text and "换个时间" in busy.text
    sample.ingest([version_of("cal-10", "t-cancel", status="cancelled")])
    free = sample.replies.suggest(U, "wx-zhangwei", now_ms=NOW)
    first = free.candidates[0]
    assert "下周三下午我有空" in first.text and first.act == "accept" and "t-cancel" not in free.context_ids


def test_reply_reads_the_corrected_message(sample: Lingxi) -> None:
    zhang = sample.replies.suggest(U, "wx-zhangwei", now_ms=NOW)
    assert zhang.message and zhang.message_id
    fix = {
        "event_id": "t-fix",
        "target_event_id": zhang.message_id,
        "op": "correct",
        "text": "晓雨，下周四上午有空吗？",
    }
    sample.ingest([parse_event({"type": "message_update", "user_id": U, "ts": NOW - MIN, "source_app": "微信", **fix})])
    after = sample.replies.suggest(U, "wx-zhangwei", now_ms=NOW)
    assert after.message == "晓雨，下周四上午有空吗？" and after.message_id == zhang.message_id
    assert not any("版本上线评审" in c.text for c in after.candidates)  # Thursday morning is free


def test_digest_drops_a_recalled_message(sample: Lingxi) -> None:
    before = sample.notifications.digest(U, now_ms=NOW)
    zhang = next(g for g in before.conversations if g.name == "张伟")
    recall = {"event_id": "t-del", "target_event_id": zhang.event_ids[-1], "op": "delete"}
    sample.ingest(
        [parse_event({"type": "message_update", "user_id": U, "ts": NOW - MIN, "source_app": "微信", **recall})]
    )
    after = sample.notifications.digest(U, NOW - 24 * HOUR, NOW)
    assert after.messages == before.messages - 1
    assert all(zhang.event_ids[-1] not in g.event_ids for g in after.conversations)


def test_meeting_soon_follows_cancellation_and_move(lx: Lingxi) -> None:
    user = "u-meet"
    lx.consents.grant(user, Scope.NOTIFICATIONS, Scope.CALENDAR, source="test")
    now = NOW

    def cal(event_id: str, start: int, ts: int, **extra: Any) -> Event:
        return parse_event(
            {"type": "calendar", "event_id": event_id, "user_id": user, "ts": ts, "source_app": "日历",
             "entry_id": "q", "title": "季度预算评审", "start_ts": start, "end_ts": start + HOUR, **extra}
        )  # fmt: skip

    def codes(event_id: str) -> list[str]:
        note = parse_event(
            {"type": "notification", "event_id": event_id, "user_id": user, "ts": now - MIN, "source_app": "日历",
             "title": "日历", "body": "季度预算评审 · B座"}
        )  # fmt: skip
        lx.ingest([note])
        digest = lx.notifications.digest(user, now - HOUR, now)
        return [w.code for i in digest.urgent if i.event_id == event_id for w in i.why]

    lx.ingest([cal("v1", now + 10 * MIN, now - 30 * MIN)])
    assert codes("n1") == ["meeting_soon"]
    lx.ingest([cal("v2", now + 26 * HOUR, now - 20 * MIN)])  # moved to tomorrow: not soon any more
    assert codes("n2") == []
    lx.ingest([cal("v3", now + 10 * MIN, now - 10 * MIN, status="cancelled")])  # moved back, but cancelled
    assert codes("n3") == []


def test_search_finds_corrected_text_and_not_deleted_messages(sample: Lingxi) -> None:
    hits = sample.retriever.search(U, "晚到十分钟", now_ms=NOW, types=["message"])
    assert hits and hits[0].event_id == "demo-000422" and "晚到十分钟" in getattr(hits[0].event, "text", "")
    assert not any(
        "晚到半小时" in getattr(h.event, "text", "") for h in sample.retriever.search(U, "晚到半小时", now_ms=NOW)
    )
    assert not any(
        h.event_id == "demo-000424" for h in sample.retriever.search(U, "语音", now_ms=NOW, types=["message"])
    )
    meetings = sample.retriever.search(U, "1:1 张伟", now_ms=NOW, types=["calendar"])
    one_on_ones = [h.event for h in meetings if getattr(h.event, "entry_id", "") == "cal-11"]
    assert len(one_on_ones) == 1 and getattr(one_on_ones[0], "status", "") == "cancelled"  # one entry, as it stands
