"""Retrieval over encrypted events: time expressions, ranking, filters, freshness, deletion, isolation."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lingxi.context.events import MessageEvent, NotificationEvent
from lingxi.context.index import SearchIndex, when
from lingxi.context.retrieve import Retriever
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID, sample_events
from lingxi.context.store import EventStore
from lingxi.context.timeparse import cn_number, parse_time
from lingxi.privacy.crypto import Vault
from lingxi.storage.sqlite import Database

SH = ZoneInfo("Asia/Shanghai")
NOW = SAMPLE_NOW_MS  # Sunday 2026-11-22 21:30 Asia/Shanghai


def sh(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SH).timestamp() * 1000)


def make(tmp_path: Path) -> tuple[EventStore, SearchIndex, Retriever]:
    db = Database(tmp_path / "x.db")
    vault = Vault(b"k" * 32)
    store = EventStore(db, vault)
    index = SearchIndex(db, vault)
    store.hooks.append(index)
    return store, index, Retriever(store, index)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[EventStore, SearchIndex, Retriever]:
    store, index, retriever = make(tmp_path_factory.mktemp("sample"))
    store.add(sample_events())
    return store, index, retriever


def msg(i: int, text: str, user: str = "u1", ts: int = NOW - 3_600_000, sender: str = "王芳") -> MessageEvent:
    return MessageEvent(
        event_id=f"m{i}",
        user_id=user,
        ts=ts,
        source_app="微信",
        conversation_id="c1",
        sender=sender,
        direction="in",
        text=text,
    )


# -- time expressions ------------------------------------------------------------------------------------

TIME_CASES = [
    ("今天吃了什么", "今天", "2026-11-22 00:00", "2026-11-23 00:00"),
    ("昨天的快递", "昨天", "2026-11-21 00:00", "2026-11-22 00:00"),
    ("前天", "前天", "2026-11-20 00:00", "2026-11-21 00:00"),
    ("明天上午有会吗", "明天上午", "2026-11-23 06:00", "2026-11-23 12:00"),
    ("后天", "后天", "2026-11-24 00:00", "2026-11-25 00:00"),
    ("昨天晚上和谁聊天", "昨天晚上", "2026-11-21 18:00", "2026-11-22 00:00"),
    ("今晚", "今晚", "2026-11-22 18:00", "2026-11-23 00:00"),
    ("上周的订单", "上周", "2026-11-09 00:00", "2026-11-16 00:00"),
    ("这周", "这周", "2026-11-16 00:00", "2026-11-23 00:00"),
    ("本周", "本周", "2026-11-16 00:00", "2026-11-23 00:00"),
    ("下周有什么安排", "下周", "2026-11-23 00:00", "2026-11-30 00:00"),
    ("这周末", "这周末", "2026-11-21 00:00", "2026-11-23 00:00"),
    ("上个月花了多少", "上个月", "2026-10-01 00:00", "2026-11-01 00:00"),
    ("这个月", "这个月", "2026-11-01 00:00", "2026-12-01 00:00"),
    ("本月", "本月", "2026-11-01 00:00", "2026-12-01 00:00"),
    ("下个月", "下个月", "2026-12-01 00:00", "2027-01-01 00:00"),
    ("最近3天的外卖", "最近3天", "2026-11-20 00:00", "2026-11-23 00:00"),
    ("近七天", "近七天", "2026-11-16 00:00", "2026-11-23 00:00"),
    ("过去十天", "过去十天", "2026-11-13 00:00", "2026-11-23 00:00"),
    ("最近两天", "最近两天", "2026-11-21 00:00", "2026-11-23 00:00"),
    ("最近一周", "最近一周", "2026-11-16 00:00", "2026-11-23 00:00"),
    ("最近一个月", "最近一个月", "2026-10-23 00:00", "2026-11-23 00:00"),
    ("周一开会", "周一", "2026-11-16 00:00", "2026-11-17 00:00"),
    ("星期天", "星期天", "2026-11-22 00:00", "2026-11-23 00:00"),
    ("上周三", "上周三", "2026-11-11 00:00", "2026-11-12 00:00"),
    ("下周三下午有空吗", "下周三下午", "2026-11-25 12:00", "2026-11-25 18:00"),
    ("11月3日", "11月3日", "2026-11-03 00:00", "2026-11-04 00:00"),
    ("十一月二十号", "十一月二十号", "2026-11-20 00:00", "2026-11-21 00:00"),
    ("5号的账单", "5号", "2026-11-05 00:00", "2026-11-06 00:00"),
    ("今年", "今年", "2026-01-01 00:00", "2027-01-01 00:00"),
    ("去年", "去年", "2025-01-01 00:00", "2026-01-01 00:00"),
    ("今年3月", "今年3月", "2026-03-01 00:00", "2026-04-01 00:00"),
    ("2025年1月5日", "2025年1月5日", "2025-01-05 00:00", "2025-01-06 00:00"),
]


@pytest.mark.parametrize(("query", "phrase", "start", "end"), TIME_CASES)
def test_time_expressions(query: str, phrase: str, start: str, end: str) -> None:
    window = parse_time(query, NOW)
    assert window is not None
    assert (window.phrase, window.start_ms, window.end_ms) == (phrase, sh(start), sh(end))
    assert phrase not in window.strip(query)


@pytest.mark.parametrize("query", ["坐3号线去公司", "耳机", "下午茶", "2月30日", "晚上好"])
def test_not_time_expressions(query: str) -> None:
    assert parse_time(query, NOW) is None


def test_time_in_another_zone() -> None:
    window = parse_time("今天", NOW, tz="UTC")  # 21:30 in Shanghai is 13:30 UTC, the same date
    assert window is not None
    assert window.start_ms == int(datetime(2026, 11, 22, tzinfo=ZoneInfo("UTC")).timestamp() * 1000)


def test_chinese_numbers() -> None:
    assert [cn_number(s) for s in ("7", "十", "十二", "二十", "二十一", "两", "一百", "几", "x")] == [
        7,
        10,
        12,
        20,
        21,
        2,
        100,
        3,
        None,
    ]


# -- ranking on the sample user ----------------------------------------------------------------------------


def test_headphones_find_the_sony_order(sample: tuple[EventStore, SearchIndex, Retriever]) -> None:
    _, _, retriever = sample
    hits = retriever.search(SAMPLE_USER_ID, "耳机", now_ms=NOW, limit=5)
    assert hits and hits[0].event.type == "order"
    assert all("耳机" in h.event.search_text() for h in hits)
    orders = retriever.search(SAMPLE_USER_ID, "耳机", types=("order",), now_ms=NOW)
    assert len(orders) >= 3 and {h.event.type for h in orders} == {"order"}
    assert all("索尼" in h.event.search_text() for h in orders)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(0 < h.recency <= 1 and h.bm25 > 0 for h in hits)


def test_mom_and_suzhou(sample: tuple[EventStore, SearchIndex, Retriever]) -> None:
    _, _, retriever = sample
    hits = retriever.search(SAMPLE_USER_ID, "妈妈 苏州", types=("message",), now_ms=NOW, limit=3)
    assert len(hits) == 3
    for h in hits:
        assert h.event.type == "message" and h.event.conversation_name == "妈妈"
        assert "苏州" in h.event.search_text()


def test_time_only_query_lists_the_window_newest_first(sample: tuple[EventStore, SearchIndex, Retriever]) -> None:
    _, _, retriever = sample
    hits = retriever.search(SAMPLE_USER_ID, "昨天", now_ms=NOW, limit=20)
    assert len(hits) == 20
    # calendar entries count by when they start, everything else by when it happened
    assert all(sh("2026-11-21 00:00") <= when(h.event) < sh("2026-11-22 00:00") for h in hits)
    assert [when(h.event) for h in hits] == sorted((when(h.event) for h in hits), reverse=True)


def test_calendar_is_found_by_when_it_starts(sample: tuple[EventStore, SearchIndex, Retriever]) -> None:
    _, _, retriever = sample
    hits = retriever.search(SAMPLE_USER_ID, "下周三下午有空吗", now_ms=NOW)
    assert hits and {h.event.type for h in hits} == {"calendar"}
    for h in hits:
        assert sh("2026-11-25 12:00") <= h.event.start_ts < sh("2026-11-25 18:00")  # type: ignore[union-attr]


def test_time_window_and_words_combine(sample: tuple[EventStore, SearchIndex, Retriever]) -> None:
    _, _, retriever = sample
    hits = retriever.search(SAMPLE_USER_ID, "最近三天的外卖", now_ms=NOW)
    assert hits and all(h.event.ts >= sh("2026-11-20 00:00") and "外卖" in h.event.search_text() for h in hits)
    everything = retriever.search(SAMPLE_USER_ID, "外卖", now_ms=NOW, limit=100)
    assert len(everything) > len(hits)
    # explicit bounds replace the parsed window
    since = sh("2026-11-16 00:00")
    wide = retriever.search(SAMPLE_USER_ID, "最近三天的外卖", since_ms=since, now_ms=NOW, limit=100)
    assert len(wide) == len(everything)


def test_type_filter(sample: tuple[EventStore, SearchIndex, Retriever]) -> None:
    _, _, retriever = sample
    hits = retriever.search(SAMPLE_USER_ID, "外卖", types=("payment",), now_ms=NOW, limit=50)
    assert hits and {h.event.type for h in hits} == {"payment"}
    assert retriever.search(SAMPLE_USER_ID, "外卖", types=("calendar",), now_ms=NOW) == []


def test_nothing_to_search_returns_nothing(sample: tuple[EventStore, SearchIndex, Retriever]) -> None:
    _, _, retriever = sample
    assert retriever.search(SAMPLE_USER_ID, "", now_ms=NOW) == []
    assert retriever.search(SAMPLE_USER_ID, "吗？", now_ms=NOW) == []
    assert retriever.search(SAMPLE_USER_ID, "量子色动力学", now_ms=NOW) == []


# -- hand-made events ----------------------------------------------------------------------------------------


def test_recency_breaks_ties_and_sub_words_match(tmp_path: Path) -> None:
    store, _, retriever = make(tmp_path)
    store.add(
        [msg(1, "新买的降噪耳机到了", ts=NOW - 30 * 86_400_000), msg(2, "新买的降噪耳机到了", ts=NOW - 3_600_000)]
    )
    hits = retriever.search("u1", "耳机", now_ms=NOW)  # "降噪耳机" is one jieba word; its part "耳机" is indexed
    assert [h.event_id for h in hits] == ["m2", "m1"]
    assert hits[0].bm25 == pytest.approx(hits[1].bm25) and hits[0].recency > hits[1].recency


def test_fresh_events_are_found_by_the_next_search(tmp_path: Path) -> None:
    store, _, retriever = make(tmp_path)
    for i in range(20):
        store.add([msg(i, f"第{i}号提醒：记得买牛奶和面包")])
        assert retriever.search("u1", "牛奶", now_ms=NOW, limit=50)[0].event_id == f"m{i}" or i > 0
        assert len(retriever.search("u1", "牛奶", now_ms=NOW, limit=50)) == i + 1


def test_duplicates_are_not_indexed_twice(tmp_path: Path) -> None:
    store, index, retriever = make(tmp_path)
    store.add([msg(1, "周末去爬山")])
    store.add([msg(1, "周末去爬山")])
    assert index.count("u1") == 1
    assert len(retriever.search("u1", "爬山", now_ms=NOW)) == 1


def test_users_are_isolated(tmp_path: Path) -> None:
    store, index, retriever = make(tmp_path)
    store.add([msg(1, "我的银行卡密码提示问题是小狗的名字", user="alice")])
    store.add([msg(1, "小狗今天打疫苗", user="bob"), msg(2, "银行卡挂失了", user="bob")])
    alice = retriever.search("alice", "银行卡 小狗 疫苗 挂失", now_ms=NOW)
    assert [(h.event.user_id, h.event_id) for h in alice] == [("alice", "m1")]
    bob = retriever.search("bob", "银行卡 小狗 密码", now_ms=NOW)
    assert {h.event.user_id for h in bob} == {"bob"} and len(bob) == 2
    assert retriever.search("carol", "银行卡", now_ms=NOW) == []
    assert retriever.search("carol", "今天", now_ms=NOW) == []
    assert index.count("alice") == 1 and index.count("bob") == 2


def test_delete_user_removes_index_rows(tmp_path: Path) -> None:
    store, index, retriever = make(tmp_path)
    store.add([msg(1, "体检报告出来了", user="alice"), msg(1, "体检预约成功", user="bob")])
    assert store.delete_user("alice") == 1
    assert index.count("alice") == 0
    assert retriever.search("alice", "体检", now_ms=NOW) == []
    assert [h.event.user_id for h in retriever.search("bob", "体检", now_ms=NOW)] == ["bob"]


def test_failed_batch_leaves_no_index_rows(tmp_path: Path) -> None:
    store, index, retriever = make(tmp_path)

    class Boom:
        def on_ingest(self, conn: object, events: object) -> None:
            raise RuntimeError("boom")

        def on_delete(self, conn: object, user_id: str) -> None:
            pass

    store.hooks.append(Boom())
    with pytest.raises(RuntimeError):
        store.add([msg(1, "这条不该留下")])
    assert index.count("u1") == 0
    assert retriever.search("u1", "留下", now_ms=NOW) == []


def test_database_file_holds_no_plaintext_words(tmp_path: Path) -> None:
    store, index, retriever = make(tmp_path)
    store.add(sample_events())
    store.add(
        [
            NotificationEvent(
                event_id="n1", user_id="u1", ts=NOW, source_app="银行", title="动账提醒", body="招商银行尾号8848消费"
            )
        ]
    )
    assert retriever.search("u1", "招商银行", now_ms=NOW)
    with index.db.connect() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # (source_app is a plaintext column of the events table by design, so no app names are checked here)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("x.db"))
    for word in ("耳机", "索尼", "苏州", "外婆", "动账提醒", "8848", "降噪", "1000xm5"):
        assert word.encode() not in raw, word
