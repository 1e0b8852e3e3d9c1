"""What every ``lingxi`` command module shares: the ``--home`` option, the two consoles, how an error reads.

Defined once so that every command spells ``--home`` the same way and writes results to stdout, messages to
stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from lingxi.context.sample import SAMPLE_USER_ID
from lingxi.errors import LingxiError

if TYPE_CHECKING:
    from lingxi.facade import Lingxi

HomeOpt = Annotated[Path | None, typer.Option("--home", help="data directory (default: LINGXI_HOME or user data dir)")]
out = Console()
err = Console(stderr=True)


def print_error(exc: LingxiError) -> None:
    """An expected error as a person sees it: the reason (Chinese, then English) and the hint, on stderr."""
    # escaped: reasons and hints quote config sections (「[embeddings]」) that rich would read as markup
    err.print(f"[red]错误[/]：{escape(exc.reason())}", highlight=False)
    if exc.hint:
        err.print(f"提示：{escape(exc.hint)}", highlight=False)


def user_now(lx: Lingxi, user_id: str, now_ms: int | None) -> int | None:
    """The "now" a command answers at: ``--now`` when given; for the sample user, the loaded sample week's
    Sunday evening (the week is moved near today when loaded, but today may fall on any weekday, and the
    README's answers are the ones that evening gives); otherwise None, the wall clock."""
    if now_ms is None and user_id == SAMPLE_USER_ID:
        return lx.sample_now_ms()
    return now_ms


def provenance(model: object, kind: object, *, label: object = None, audit: object = None) -> str:
    """The dim line under a result: which model (and kind) answered, its AI label and audit record.

    A result with nothing to generate (an empty digest) was answered by no model: it says so instead of
    printing ``模型：None（None）``.
    """
    parts = [f"模型：{model}（{kind}）" if model else "模型：未调用（没有需要生成的内容）"]
    parts += [f"标识：{label}"] if label else []
    parts += [f"审计记录：{audit}"] if audit else []
    return "[dim]" + escape(" · ".join(parts)) + "[/]"
