"""Minors mode: curfew, daily limit, usage per local day, the pipeline gate, and the policy hints."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from lingxi.compliance.minors import (
    MinorsBlocked,
    MinorsGate,
    MinorsPolicy,
    MinorsUsage,
    allows_personalized_shopping,
    is_minor,
    screen_threshold,
)
from lingxi.errors import InvalidInput
from lingxi.privacy.consent import AgeBand, ConsentStore
from lingxi.storage.sqlite import Database

SH = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 2) -> int:
    return int(datetime(2026, 3, day, hour, minute, tzinfo=SH).timestamp() * 1000)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[ConsentStore, MinorsUsage]:
    db = Database(tmp_path / "m.db")
    consents = ConsentStore(db)
    consents.update("kid", age_band=AgeBand.UNDER_14, guardian_consent=True)
    consents.update("teen", age_band=AgeBand.FROM_14_TO_17)
    consents.update("adult", age_band=AgeBand.ADULT)
    return consents, MinorsUsage(db, consents, MinorsPolicy(daily_limit_min=10))


def test_who_is_minor_and_hints(setup: tuple[ConsentStore, MinorsUsage]) -> None:
    consents, usage = setup
    kid, teen, adult, unknown = (consents.status(u) for u in ("kid", "teen", "adult", "nobody"))
    assert is_minor(kid) and is_minor(teen) and not is_minor(adult) and not is_minor(unknown)
    assert not allows_personalized_shopping(teen) and allows_personalized_shopping(adult)
    assert screen_threshold(kid, usage.policy) < screen_threshold(adult, usage.policy)


def test_curfew(setup: tuple[ConsentStore, MinorsUsage]) -> None:
    _, usage = setup
    for hour in (22, 23, 0, 5):
        decision = usage.check("kid", at(hour, 30))
        assert not decision.allowed and "夜间" in decision.reason_zh
    assert usage.check("kid", at(6)).allowed and usage.check("kid", at(21, 59)).allowed
    assert usage.check("adult", at(23)).allowed


def test_daily_limit_per_local_day(setup: tuple[ConsentStore, MinorsUsage]) -> None:
    _, usage = setup
    usage.add_seconds("teen", 9 * 60, at(10))
    assert usage.check("teen", at(10, 5)).allowed
    usage.touch("teen", at(10, 6))  # 6 minutes after the last use: over the idle gap, so one minute
    decision = usage.check("teen", at(10, 7))
    assert not decision.allowed and "使用时间上限" in decision.reason_zh
    assert usage.check("teen", at(10, day=3)).allowed  # a new local day
    # the day follows Asia/Shanghai, so the next morning starts from zero
    assert usage.used_seconds("teen", at(7, 30, day=3)) == 0


def test_touch_counts_short_gaps(setup: tuple[ConsentStore, MinorsUsage]) -> None:
    _, usage = setup
    assert usage.touch("kid", at(9)) == 60
    assert usage.touch("kid", at(9, 2)) == 180
    assert usage.touch("kid", at(9, 30)) == 240


def test_gate(setup: tuple[ConsentStore, MinorsUsage]) -> None:
    _, usage = setup
    gate = MinorsGate(usage)

    def turn(user: str, now: int) -> Any:
        return cast(Any, SimpleNamespace(user_id=user, now_ms=now, consent=None))  # no status read yet

    asyncio.run(gate.run(turn("kid", at(12))))
    assert usage.used_seconds("kid", at(12)) == 60
    with pytest.raises(MinorsBlocked) as info:
        asyncio.run(gate.run(turn("kid", at(22, 30))))
    assert info.value.status == 403 and "22:00–06:00" in info.value.message_zh
    asyncio.run(gate.run(turn("adult", at(23))))
    assert usage.used_seconds("adult", at(23)) == 0


def test_gate_decides_on_the_status_the_consent_gate_read(setup: tuple[ConsentStore, MinorsUsage]) -> None:
    """One consent read per turn: the gate takes the turn's status (here: a minor) over a second read."""
    consents, usage = setup
    kid = consents.status("kid")
    assert kid.age_band is AgeBand.UNDER_14  # the store knows "kid" as a minor; "adult" is not one
    as_read = kid.model_copy(update={"user_id": "adult"})  # what the consent gate kept on this turn
    with pytest.raises(MinorsBlocked):
        asyncio.run(MinorsGate(usage).run(cast(Any, SimpleNamespace(user_id="adult", now_ms=at(23), consent=as_read))))


def test_bad_policy() -> None:
    with pytest.raises(InvalidInput):
        MinorsPolicy(curfew_start="25:00")
