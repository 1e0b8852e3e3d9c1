"""Suspension policy: N blocked inputs in a row, or M a day, suspend a user for T minutes, and it is logged."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from lingxi.compliance.screen import ScreenResult
from lingxi.compliance.suspension import (
    DAY_MS,
    SuspensionGate,
    SuspensionPolicy,
    SuspensionStore,
    UserSuspended,
)
from lingxi.features.chat import Chat
from lingxi.models.base import Message
from lingxi.pipeline import Turn
from lingxi.storage.sqlite import Database

T0 = 1_800_000_000_000
BLOCK = ScreenResult("block", ("A.1.4",), {"A.1.4": 1.0}, "keyword")


def _store(tmp_path: Path, **policy: int) -> SuspensionStore:
    return SuspensionStore(Database(tmp_path / "s.db"), SuspensionPolicy(**policy))


def test_consecutive_blocks_suspend_and_the_suspension_ends(tmp_path: Path) -> None:
    store = _store(tmp_path, max_consecutive=3, max_per_day=0, minutes=10)
    assert store.record("u", True, T0) is None
    assert store.record("u", True, T0 + 1) is None
    until = store.record("u", True, T0 + 2)
    assert until == T0 + 2 + 10 * 60_000
    assert store.suspended_until("u", T0 + 3) == until
    assert store.suspended_until("u", until + 1) is None
    assert store.suspended_until("someone-else", T0 + 3) is None
    (entry,) = store.history()
    assert "3 blocked inputs in a row" in entry.reason and entry.user_ref != "u"  # pseudonymous


def test_a_passing_input_resets_the_run(tmp_path: Path) -> None:
    store = _store(tmp_path, max_consecutive=3, max_per_day=0)
    for i in range(10):  # block, block, pass, ... never three in a row
        assert store.record("u", i % 3 != 2, T0 + i) is None
    assert store.suspended_until("u", T0 + 11) is None


def test_a_clean_input_writes_nothing_unless_a_run_is_reset(tmp_path: Path) -> None:
    """The state is written only when it changes: a clean input of a user with no run leaves the table alone."""
    store = _store(tmp_path, max_consecutive=3, max_per_day=0)

    def rows() -> list[tuple[str, int]]:
        with store.db.connect() as conn:
            return [tuple(r) for r in conn.execute("SELECT user_ref, consecutive FROM suspension_state")]

    for i in range(3):
        assert store.record("u", False, T0 + i) is None
    assert rows() == []  # no row created, none updated
    store.record("u", True, T0 + 3)
    assert [c for _, c in rows()] == [1]
    store.record("u", False, T0 + 4)  # resets the run: a write
    assert [c for _, c in rows()] == [0]


def test_daily_count_suspends_and_old_strikes_expire(tmp_path: Path) -> None:
    store = _store(tmp_path, max_consecutive=0, max_per_day=3, minutes=5)
    store.record("u", True, T0)
    store.record("u", False, T0 + 1)
    store.record("u", True, T0 + 2)
    assert store.record("u", True, T0 + 3) is not None
    other = _store(tmp_path / "b", max_consecutive=0, max_per_day=3)
    other.record("v", True, T0)
    other.record("v", True, T0 + 1)
    assert other.record("v", True, T0 + DAY_MS + 5) is None  # the first strike is more than a day old


def test_lift_ends_a_suspension_and_is_logged(tmp_path: Path) -> None:
    store = _store(tmp_path, max_consecutive=1)
    assert store.record("u", True) is not None
    assert store.suspended_until("u") is not None
    store.lift("u")
    assert store.suspended_until("u") is None
    assert store.history()[0].reason == "lifted by operator"


def _turn(user: str, text: str, screen: ScreenResult | None = None) -> Turn:
    turn = Turn(user_id=user, feature=Chat())
    turn.messages = [Message(role="user", content=text)]
    if screen is not None:
        turn.input_screen = screen
    return turn


def test_gate_raises_a_chinese_error_while_suspended(tmp_path: Path) -> None:
    gate = SuspensionGate(_store(tmp_path, max_consecutive=2, minutes=30))
    for _ in range(2):
        asyncio.run(gate.run(_turn("u", "x")))
        asyncio.run(gate.recorder.run(_turn("u", "bad", BLOCK)))
    with pytest.raises(UserSuspended) as info:
        asyncio.run(gate.run(_turn("u", "hello")))
    assert "暂停" in info.value.message_zh and info.value.status == 429
    asyncio.run(gate.run(_turn("other", "hello")))  # other users are unaffected
    assert gate.record(_turn("other", "")) is None  # no user text: nothing to count


def test_policy_survives_a_restart(tmp_path: Path) -> None:
    _store(tmp_path, max_consecutive=2).record("u", True)
    assert _store(tmp_path, max_consecutive=2).record("u", True) is not None
