"""The event builder the generator modules share: ids in creation order, the user's "now" and 30-day window."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from qa_eval.clock import ms
from qa_eval.profiles import Profile

Event = dict[str, Any]
NOW_HOUR, NOW_MINUTE = 21, 30


@dataclass
class Builder:
    p: Profile
    rng: random.Random
    events: list[Event] = field(default_factory=list)
    n: int = 0

    def add(self, kind: str, ts: int, app: str, **fields: Any) -> Event:
        self.n += 1
        e: Event = {"event_id": f"{self.p.user_id}-{self.n:05d}", "user_id": self.p.user_id, "ts": ts}
        e.update({"source_app": app, "type": kind, **fields})
        self.events.append(e)
        return e


def now_ms(p: Profile) -> int:
    return ms(p.today, NOW_HOUR, NOW_MINUTE)


def window_days(p: Profile) -> list[date]:
    return [p.today - timedelta(days=i) for i in range(29, -1, -1)]
