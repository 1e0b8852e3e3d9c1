"""The sealed vector index and hybrid retrieval: storage, queue, freshness, isolation, model change, deletion.

The embedder is :class:`conftest.BigramEmbedder`, hashed character bigrams: crude, deterministic, and a real
implementation of the ``Embedder`` protocol. Where a test says "found by meaning" it means "shares character
pairs but no jieba word with the query": these tests check the index's and the fusion's mechanics, not the
quality of any embedding model.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from conftest import BigramEmbedder
from lingxi import Lingxi
from lingxi.context.events import Event, MessageEvent, NotificationEvent
from lingxi.context.index import SearchIndex
from lingxi.context.retrieve import Retriever
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.context.store import EventStore
from lingxi.context.vectors import VectorIndex
from lingxi.errors import InvalidInput, ProviderError
from lingxi.models.base import Locality
from lingxi.privacy.crypto import Vault
from lingxi.privacy.subject_rights import delete_user, residual_rows
from lingxi.storage.sqlite import Database

NOW = SAMPLE_NOW_MS
HOUR = 3_600_000
PARCEL = "您的包裹正在派送中，请保持电话畅通"
LOCKER = "您的快件已到驿站，请凭取件码取件"


def note(i: int, body: str, user: str = "u1", ts: int = NOW - HOUR, title: str = "顺丰速运") -> NotificationEvent:
    return NotificationEvent(event_id=f"n{i}", user_id=user, ts=ts, source_app="顺丰", title=title, body=body)


def msg(i: int, text: str, user: str = "u1", ts: int = NOW - HOUR) -> MessageEvent:
    return MessageEvent(
        event_id=f"m{i}",
        user_id=user,
        ts=ts,
        source_app="微信",
        conversation_id="c1",
        sender="王芳",
        direction="in",
        text=text,
    )


EVENTS: list[Event] = [
    note(1, PARCEL),
    note(2, LOCKER, ts=NOW - 30 * HOUR),
    note(3, "本月账单已出，请按时还款", title="招商银行"),
    msg(4, "周末一起去爬山吧"),
    msg(5, "晚上吃火锅怎么样"),
]


class Setup:
    def __init__(self, path: Path, embedder: BigramEmbedder | None = None, **kw: object) -> None:
        self.db = Database(path / "x.db")
        self.vault = Vault(b"v" * 32)
        self.store = EventStore(self.db, self.vault)
        self.index = SearchIndex(self.db, self.vault)
        self.embedder = embedder or BigramEmbedder()
        self.vectors = VectorIndex(self.db, self.vault, self.embedder, self.store, min_cosine=0.05, **kw)  # type: ignore[arg-type]
        self.store.hooks.extend([self.index, self.vectors])
        self.hybrid = Retriever(self.store, self.index, vectors=self.vectors)
        self.keyword = Retriever(self.store, self.index)


def embed(embedder: BigramEmbedder, text: str) -> NDArray[np.float32]:
    return asyncio.run(embedder.embed([text]))[0]


def test_vectors_are_sealed_at_rest(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add([note(1, PARCEL)])
    assert asyncio.run(s.vectors.drain()) == 1
    vec = embed(s.embedder, note(1, PARCEL).search_text())
    # the index holds exactly this vector (so the byte search below looks for something that was stored)
    assert np.allclose(s.vectors.matrix("u1").vectors[0], vec)
    first = int(np.flatnonzero(vec)[0])
    needle = vec[first : first + 8].astype("<f4").tobytes()
    with s.db.connect() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (blob,) = conn.execute("SELECT vector FROM event_vectors").fetchone()
    assert needle not in bytes(blob)
    for f in (s.db.path, s.db.path.with_name(s.db.path.name + "-wal")):
        if f.exists():
            assert needle not in f.read_bytes()
    # bound to user and event: the sealed bytes do not open as another event's vector
    with pytest.raises(Exception, match="authentication"):
        s.vault.open(bytes(blob), user_id="u1", record_id=s.vectors._record("n2"))


def test_queue_then_drain_then_search(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add(EVENTS)
    assert s.vectors.pending("u1") == len(EVENTS)  # the ingest hook only queued: no embedding in the transaction
    assert s.embedder.calls == 0
    assert s.vectors.nearest("u1", embed(s.embedder, PARCEL)) == []
    assert asyncio.run(s.vectors.drain(limit=2)) == 2  # bounded
    assert asyncio.run(s.vectors.drain()) == len(EVENTS) - 2
    assert s.vectors.pending() == 0
    hits = s.vectors.nearest("u1", embed(s.embedder, note(1, PARCEL).search_text()))
    assert hits[0].event_id == "n1" and hits[0].cosine == pytest.approx(1.0, abs=1e-5)
    assert len(hits) < len(EVENTS)  # unrelated events fall below min_cosine


def test_just_ingested_event_is_found_on_next_query(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add(EVENTS)
    asyncio.run(s.vectors.drain())
    s.store.add([note(9, "骑手已取餐，正在派送途中", title="美团外卖")])
    assert s.vectors.pending("u1") == 1
    hits = s.hybrid.search("u1", "派送到哪了", now_ms=NOW)  # no drain call: search drains the user's own queue
    assert "n9" in [h.event_id for h in hits]
    assert s.vectors.pending("u1") == 0
    # found by meaning only: the query segments to 派/送到, and the event's words are 派送, 途中, ...
    assert "n9" not in [h.event_id for h in s.keyword.search("u1", "派送到哪了", now_ms=NOW)]


def test_search_drains_at_most_its_bound(tmp_path: Path) -> None:
    s = Setup(tmp_path, search_drain=2)
    s.store.add(EVENTS)
    s.hybrid.search("u1", "派送到哪了", now_ms=NOW)
    assert s.vectors.pending("u1") == len(EVENTS) - 2


def test_other_users_vectors_never_returned(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add([note(1, PARCEL, user="u1"), note(2, PARCEL, user="u2"), note(3, LOCKER, user="u2")])
    asyncio.run(s.vectors.drain())
    assert [h.event_id for h in s.vectors.nearest("u1", embed(s.embedder, PARCEL))] == ["n1"]
    hits = s.hybrid.search("u2", "派送到哪了", now_ms=NOW)
    assert [h.event_id for h in hits] == ["n2"] and all(h.event.user_id == "u2" for h in hits)
    assert s.hybrid.search("u3", "派送到哪了", now_ms=NOW) == []


def test_cloud_embedder_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    vault = Vault(b"v" * 32)
    with pytest.raises(InvalidInput) as err:
        VectorIndex(db, vault, BigramEmbedder(locality=Locality.CLOUD), EventStore(db, vault))
    assert "云端" in err.value.message_zh


def test_model_change_requeues_and_ignores_old_vectors(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add(EVENTS)
    asyncio.run(s.vectors.drain())
    other = BigramEmbedder(name="bigram-v2", dimensions=256)
    v2 = VectorIndex(s.db, s.vault, other, s.store, min_cosine=0.05)
    assert v2.pending() == len(EVENTS)  # every old-model vector queued for re-embedding
    assert v2.nearest("u1", embed(other, PARCEL)) == []  # 512-d vectors of another model are never compared
    assert asyncio.run(v2.drain()) == len(EVENTS)
    assert v2.nearest("u1", embed(other, PARCEL))[0].event_id == "n1"
    with s.db.connect() as conn:
        assert {tuple(r) for r in conn.execute("SELECT model, dims FROM event_vectors")} == {("test/bigram-v2", 256)}


def test_deletion_leaves_no_residue(lx: Lingxi) -> None:
    vectors = VectorIndex(lx.db, lx.vault, BigramEmbedder(), lx.events)
    lx.events.hooks.append(vectors)
    lx.load_sample()
    lx.ingest([note(1, PARCEL, user="other")])
    assert asyncio.run(vectors.drain(limit=100)) == 100  # some embedded, the rest still queued
    assert vectors.pending(SAMPLE_USER_ID) > 0 and vectors.matrix(SAMPLE_USER_ID).ids
    receipt = delete_user(lx, SAMPLE_USER_ID)
    assert receipt.residual == {} and residual_rows(lx, SAMPLE_USER_ID) == {}
    assert receipt.verified
    assert vectors.pending(SAMPLE_USER_ID) == 0 and vectors.matrix(SAMPLE_USER_ID).ids == []
    assert vectors.pending("other") == 1  # other users untouched


def test_drain_racing_a_deletion_writes_nothing(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add(EVENTS)

    class Deleting(BigramEmbedder):
        async def embed(self, texts: list[str]) -> NDArray[np.float32]:
            s.store.delete_user("u1")  # the user is erased while their texts are being embedded
            return await super().embed(texts)

    racer = VectorIndex(s.db, s.vault, Deleting(), s.store)
    assert asyncio.run(racer.drain()) == 0
    with s.db.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM event_vectors").fetchone()[0] == 0


def test_a_load_racing_a_deletion_is_not_cached(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add(EVENTS)
    asyncio.run(s.vectors.drain())
    assert s.vectors.matrix("u1").ids
    with s.db.transaction() as conn:
        s.vectors.on_delete(conn, "u1")
        # a search on another connection still sees the rows: the deletion has not committed yet
        assert s.vectors.matrix("u1").ids
    assert s.vectors.matrix("u1").ids == []  # that snapshot was not cached


def test_hybrid_finds_semantic_only_match_and_keeps_exact_match_first(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add(EVENTS)
    # "派送到哪了" segments to 派/送到: no word in common with the parcel notice, only the pair 派送
    assert all(h.event_id != "n1" for h in s.keyword.search("u1", "派送到哪了", now_ms=NOW))
    hits = s.hybrid.search("u1", "派送到哪了", now_ms=NOW)
    assert hits[0].event_id == "n1" and hits[0].bm25 == 0.0 and hits[0].semantic > 0
    # an exact keyword match (30 hours old) ranks first, above a newer event that is only close by meaning
    s.store.add([note(6, "请到车站取票窗口取票", ts=NOW - 60_000, title="12306")])  # shares the pair 站取, no word
    exact = s.hybrid.search("u1", "驿站取件码", now_ms=NOW)
    assert [h.event_id for h in exact] == ["n2", "n6"]
    assert exact[0].bm25 > 0 and exact[0].semantic > 0 and exact[1].bm25 == 0 and exact[1].semantic > 0
    assert exact[1].recency > exact[0].recency


def test_window_and_type_filters_apply_to_vector_candidates(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add(
        [
            note(1, PARCEL, ts=NOW - HOUR),
            msg(2, PARCEL, ts=NOW - 2 * HOUR),
            note(3, PARCEL, ts=NOW - 5 * 24 * HOUR),
        ]
    )
    q = "派送到哪了"
    assert {h.event_id for h in s.hybrid.search("u1", q, now_ms=NOW)} == {"n1", "m2", "n3"}
    assert {h.event_id for h in s.hybrid.search("u1", q, types=["message"], now_ms=NOW)} == {"m2"}
    day = s.hybrid.search("u1", q, since_ms=NOW - 24 * HOUR, until_ms=NOW, now_ms=NOW)
    assert {h.event_id for h in day} == {"n1", "m2"}
    assert {h.event_id for h in s.hybrid.search("u1", "今天" + q, now_ms=NOW)} == {"n1", "m2"}  # parsed window


def test_backfill_queues_events_stored_before_the_embedder(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    vault = Vault(b"v" * 32)
    store = EventStore(db, vault)
    store.add([*EVENTS, note(7, PARCEL, user="u2")])
    vectors = VectorIndex(db, vault, BigramEmbedder(), store, min_cosine=0.05)
    assert vectors.pending() == 0
    assert vectors.enqueue_missing("u2") == 1
    assert vectors.enqueue_missing() == len(EVENTS)
    assert vectors.enqueue_missing() == 0  # already queued
    assert asyncio.run(vectors.drain()) == len(EVENTS) + 1
    assert vectors.enqueue_missing() == 0  # already embedded


def test_async_callers_and_a_failing_embedder(tmp_path: Path) -> None:
    s = Setup(tmp_path)
    s.store.add(EVENTS)

    async def inside_a_loop() -> tuple[list[str], list[str]]:
        awaited = await s.hybrid.asearch("u1", "派送到哪了", now_ms=NOW)
        blocking = s.hybrid.search("u1", "派送到哪了", now_ms=NOW)  # sync call on the loop's thread still works
        return [h.event_id for h in awaited], [h.event_id for h in blocking]

    awaited, blocking = asyncio.run(inside_a_loop())
    assert awaited == blocking and awaited[0] == "n1"

    class Down(BigramEmbedder):
        async def embed(self, texts: list[str]) -> NDArray[np.float32]:
            raise ProviderError("down", message_zh="模型不可用", provider="test", retryable=True)

    down = VectorIndex(s.db, s.vault, Down(), s.store)
    s.store.add([note(8, LOCKER)])
    hybrid = Retriever(s.store, s.index, vectors=down)
    hits = hybrid.search("u1", "驿站取件码", now_ms=NOW)  # keyword results survive a failing embedder
    assert {h.event_id for h in hits} == {"n2", "n8"} and all(h.semantic == 0 for h in hits)
    assert down.pending("u1") == 1  # the new event stays queued for a later drain
