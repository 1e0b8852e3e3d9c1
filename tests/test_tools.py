"""The app-action tool registry: schemas, validation, app-registered tools, read-only vs side effects."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from lingxi import Lingxi
from lingxi.context.sample import SAMPLE_NOW_MS, SAMPLE_USER_ID
from lingxi.errors import InvalidInput, NotFound
from lingxi.features.tools import AppTool, ToolContext, default_registry
from lingxi.query.answer import Facts


def test_builtin_schemas_come_from_the_pydantic_models() -> None:
    reg = default_registry("Asia/Shanghai")
    schemas = {t.name: t for t in reg.schemas()}
    assert set(schemas) == {
        "create_calendar_event", "set_reminder", "search_orders", "track_package", "draft_message", "add_to_cart"
    }  # fmt: skip
    assert schemas["set_reminder"].parameters["required"] == ["text", "at_ms"]
    assert {t.name for t in reg.all() if not t.side_effects} == {"search_orders", "track_package"}


def test_invalid_arguments_are_clear_errors() -> None:
    reg = default_registry("Asia/Shanghai")
    with pytest.raises(InvalidInput, match="at_ms"):
        reg.validate("set_reminder", '{"text": "开会", "at_ms": "明天"}')
    with pytest.raises(InvalidInput, match="not valid JSON"):
        reg.validate("add_to_cart", "{item: 碧根果")
    with pytest.raises(NotFound):
        reg.validate("launch_rocket", "{}")


class TipArgs(BaseModel):
    amount_fen: int = Field(ge=1)


def test_an_app_registers_its_own_tool_and_the_assistant_offers_it(lx: Lingxi) -> None:
    def tip(ctx: ToolContext, args: TipArgs) -> Facts:
        return Facts(lines=[f"tip {args.amount_fen}"])

    tool = AppTool("tip_rider", "给骑手打赏", TipArgs, tip, True, "外卖", lambda a: f"打赏 {a.amount_fen} 分")
    lx.assistant.tools.register(tool)
    assert "tip_rider" in [t.name for t in lx.assistant.tools.schemas()]
    with pytest.raises(InvalidInput):
        lx.assistant.tools.register(tool)
    with pytest.raises(InvalidInput, match="amount_fen"):
        lx.assistant.tools.validate("tip_rider", {"amount_fen": 0})


def test_read_only_tool_runs_on_the_users_orders(lx: Lingxi) -> None:
    lx.load_sample()
    reg = lx.assistant.tools
    tool = reg.get("track_package")
    found = tool.handler(
        ToolContext(lx, SAMPLE_USER_ID, SAMPLE_NOW_MS), reg.validate("track_package", {"keywords": ["耳机"]})
    )
    assert "JD0012345678901" in found.lines[0] and found.citations
    assert lx.events.get(SAMPLE_USER_ID, found.citations)[0].type == "order"
    assert not lx.events.query(SAMPLE_USER_ID, types=["app_action"])  # read-only: nothing written
