"""What every ``lingxi`` command module shares: the ``--home`` option, the two consoles, how an error reads.

Defined once so that every command spells ``--home`` the same way and writes results to stdout, messages to
stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from lingxi.errors import LingxiError

HomeOpt = Annotated[Path | None, typer.Option("--home", help="data directory (default: LINGXI_HOME or user data dir)")]
out = Console()
err = Console(stderr=True)


def print_error(exc: LingxiError) -> None:
    """An expected error as a person sees it: the reason (Chinese, then English) and the hint, on stderr."""
    # escaped: reasons and hints quote config sections (「[embeddings]」) that rich would read as markup
    err.print(f"[red]错误[/]：{escape(exc.reason())}", highlight=False)
    if exc.hint:
        err.print(f"提示：{escape(exc.hint)}", highlight=False)
