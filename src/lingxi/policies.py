"""Policy values that settings carry and the compliance layer enforces: label placement, filing, minors mode.

They live below both :mod:`lingxi.config` and :mod:`lingxi.compliance` so that settings can hold them without
importing the compliance machinery (the layer contract in ``pyproject.toml`` forbids that upward import);
the compliance modules re-export them where callers have always found them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from zoneinfo import ZoneInfo

from lingxi.errors import InvalidInput


class Placement(StrEnum):
    """Where the explicit label goes (GB 45438-2025 §4: at the start, at the end, or in the interface).

    ``interface`` means the text itself stays clean and the app shows :attr:`Label.explicit` next to it
    (a badge, a footer); the implicit metadata is attached either way. Exported files never use
    ``interface``: a file leaves the interface, so :mod:`lingxi.compliance.label_files` puts the label
    at the start instead.
    """

    START = "start"
    END = "end"
    INTERFACE = "interface"


@dataclass(frozen=True)
class Filing:
    """The deployer's filing numbers and the model name shown to users.

    Generative-AI services open to the public in China must show their 生成式人工智能服务备案号 (or
    登记号) and their 算法备案号 (Interim Measures Art. 17; Provisions on Deep Synthesis Art. 19). These
    belong to whoever deploys lingxi, not to lingxi, so they come from settings and are empty by default;
    :meth:`missing` lets a startup check or ``/v1/compliance/filing`` say so instead of showing blanks.
    """

    service_filing_no: str = ""  # 生成式人工智能服务备案号 / 登记号
    algorithm_filing_no: str = ""  # 算法备案号
    model_name: str = ""  # the model's name as shown to users (备案的模型名称)
    deployer: str = ""  # 服务提供者名称

    def missing(self) -> list[str]:
        """Names (Chinese) of the fields still empty."""
        names = {
            "service_filing_no": "生成式人工智能服务备案号",
            "algorithm_filing_no": "算法备案号",
            "model_name": "模型名称",
            "deployer": "服务提供者",
        }
        return [zh for key, zh in names.items() if not getattr(self, key)]

    def display_zh(self) -> str:
        """One line for an about page or footer, e.g. ``服务提供者：… · 生成式人工智能服务备案号：…``."""
        parts = [
            ("服务提供者", self.deployer),
            ("模型", self.model_name),
            ("生成式人工智能服务备案号", self.service_filing_no),
            ("算法备案号", self.algorithm_filing_no),
        ]
        return " · ".join(f"{name}：{value}" for name, value in parts if value)


@dataclass(frozen=True)
class MinorsPolicy:
    """The knobs; defaults follow the CAC minors-mode guide. Settings fill these (see ``[minors]``)."""

    daily_limit_min: int = 40
    curfew_start: str = "22:00"  # local time; the curfew wraps past midnight when start > end
    curfew_end: str = "06:00"
    timezone: str = "Asia/Shanghai"
    screen_threshold: float = 0.3  # stricter than an adult's default (0.5): block on weaker evidence
    idle_gap_s: int = 300  # a gap longer than this between requests is not counted as use
    request_charge_s: int = 60  # what a request after a long gap (or the first of the day) costs

    def __post_init__(self) -> None:
        for value in (self.curfew_start, self.curfew_end):
            _clock(value)  # fail at load time, not on a minor's first request
        if self.daily_limit_min < 0:
            raise InvalidInput("daily_limit_min must be >= 0", message_zh="每日使用时长上限不能为负数")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _clock(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a time of day like 22:00", message_zh=f"{value!r} 不是有效的时刻，例如 22:00"
        ) from None
