"""Command groups that load when used, so ``lingxi --help`` and light commands start in a fraction of a second.

Each group module imports what it runs (the facade pulls in jieba, numpy and the screening libraries: ~3 s).
:class:`LazyGroup` lists a group by name and help text alone, and imports its module only when the command
line names it; help listings show a stand-in carrying the same help text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from typer import _click as click  # Typer vendors click; its groups take and return these types
from typer.core import TyperGroup

from lingxi.cli.common import language

#: group name -> (loader returning the Typer app, help text); filled by lingxi.cli
GROUPS: dict[str, tuple[Callable[[], typer.Typer], Callable[[], str]]] = {}


def _chinese(command: Any) -> Any:
    """``command`` with its help in Chinese when that is the language (see :mod:`lingxi.cli.help_zh`)."""
    if command is not None and language() == "zh":
        from lingxi.cli.help_zh import localize  # a table of text: loaded only when Chinese help is wanted

        localize(command)
    return command


class LazyGroup(TyperGroup):
    """A Typer group whose sub-groups in :data:`GROUPS` are imported on first use; help in the user's language."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in GROUPS if n not in self.commands)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in GROUPS:
            return _chinese(super().get_command(ctx, cmd_name))  # type: ignore[no-any-return]
        return TyperGroup(name=cmd_name, help=GROUPS[cmd_name][1]())  # a stand-in for help listings

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _chinese(self)  # the top level's own options (--version, --lang)
        super().format_help(ctx, formatter)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name in GROUPS and name not in self.commands:
            load, help_text = GROUPS[name]
            group = load()
            group._add_completion = False  # a sub-group offers no shell-completion install of its own
            command = typer.main.get_command(group)
            command.name, command.help = name, help_text()
            self.commands[name] = _chinese(command)
        return super().resolve_command(ctx, args)
