"""Settings: defaults, then ``<home>/lingxi.toml``, then ``LINGXI_*`` environment variables.

The home directory holds everything lingxi writes for one installation (the SQLite store, pulled models,
built libraries). It defaults to the platform's user data dir so that a plain ``lingxi demo`` works on a
fresh machine with no configuration; ``--home`` or ``LINGXI_HOME`` moves it (tests use a temp dir).
API keys are never read from the TOML file, only from the environment, so config files can be shared.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lingxi.errors import InvalidInput


class Settings(BaseModel):
    """Resolved settings for one lingxi home."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    home: Path
    default_model: str = Field(default="lite/textrank", description="model used when a request names none")
    timezone: str = Field(default="Asia/Shanghai", description="zone for Chinese time expressions and display")
    notification_window_hours: int = Field(default=24, ge=1, le=24 * 31)

    @property
    def db_path(self) -> Path:
        return self.home / "lingxi.db"

    @classmethod
    def load(cls, home: Path | str | None = None) -> Settings:
        """Resolve settings for ``home`` (or ``LINGXI_HOME``, or the user data dir)."""
        resolved = Path(home or os.environ.get("LINGXI_HOME") or platformdirs.user_data_dir("lingxi"))
        values: dict[str, Any] = {}
        toml_path = resolved / "lingxi.toml"
        if toml_path.is_file():
            try:
                values.update(tomllib.loads(toml_path.read_text(encoding="utf-8")))
            except tomllib.TOMLDecodeError as exc:
                raise InvalidInput(
                    f"{toml_path}: not valid TOML: {exc}",
                    message_zh=f"配置文件格式错误：{toml_path}",
                    hint="fix the file or move it away",
                ) from exc
        for name in ("default_model", "timezone", "notification_window_hours"):
            env = os.environ.get(f"LINGXI_{name.upper()}")
            if env is not None:
                values[name] = env
        try:
            return cls(home=resolved, **values)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InvalidInput(
                f"bad setting {where}: {first['msg']}",
                message_zh=f"配置项 {where} 无效：{first['msg']}",
                hint=f"check {toml_path} and LINGXI_* environment variables",
            ) from exc
