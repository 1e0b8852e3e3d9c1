"""What every ``lingxi`` command module shares: the ``--home`` option and the two consoles.

Defined once so that every command spells ``--home`` the same way and writes results to stdout, messages to
stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

HomeOpt = Annotated[Path | None, typer.Option("--home", help="data directory (default: LINGXI_HOME or user data dir)")]
out = Console()
err = Console(stderr=True)
