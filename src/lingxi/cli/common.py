"""What every ``lingxi`` command module shares: the ``--home`` option, the two consoles, how an error reads.

Defined once so that every command spells ``--home`` the same way and writes results to stdout, messages to
stderr.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from lingxi.errors import LingxiError

if TYPE_CHECKING:
    from lingxi.facade import Lingxi

HomeOpt = Annotated[Path | None, typer.Option("--home", help="data directory (default: LINGXI_HOME or user data dir)")]
out = Console()
err = Console(stderr=True)


def language(argv: list[str] | None = None) -> str:
    """``zh`` or ``en``: ``--lang`` on the command line, else ``LINGXI_LANG``, else ``LANG``; Chinese by default.

    Read before Typer parses anything, so ``--help`` and errors raised while parsing use it too.
    """
    args = sys.argv[1:] if argv is None else argv
    for i, arg in enumerate(args):
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1].lower().startswith("en") else "zh"
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1].lower().startswith("en") else "zh"
    chosen = os.environ.get("LINGXI_LANG") or os.environ.get("LANG") or "zh"
    return "en" if chosen.lower().startswith("en") else "zh"


def print_error(exc: LingxiError) -> None:
    """An expected error as a person sees it, once, in the user's language: the reason and the hint, on stderr."""
    # escaped: reasons and hints quote config sections (「[embeddings]」) that rich would read as markup
    if language() == "en":
        err.print(f"[red]error[/]: {escape(exc.message)}", highlight=False)
        if exc.hint:
            err.print(f"hint: {escape(exc.hint)}", highlight=False)
        return
    from lingxi.hints_zh import hint_zh  # a table of text: loaded only when an error is printed

    err.print(f"[red]错误[/]：{escape(exc.message_zh)}", highlight=False)
    if exc.hint:
        err.print(f"提示：{escape(hint_zh(exc.hint) or exc.hint)}", highlight=False)


def user_now(lx: Lingxi, user_id: str, now_ms: int | None) -> int | None:
    """``--now`` when given, else the user's clock (:meth:`Lingxi.clock`: the sample week's evening for the
    sample user)."""
    return lx.clock(user_id, now_ms)


def provenance(model: object, kind: object, *, label: object = None, audit: object = None) -> str:
    """The dim line under a result: which model (and kind) answered, its AI label and audit record.

    A result with nothing to generate (an empty digest) was answered by no model: it says so instead of
    printing ``模型：None（None）``.
    """
    parts = [f"模型：{model}（{kind}）" if model else "模型：未调用（没有需要生成的内容）"]
    parts += [f"标识：{label}"] if label else []
    parts += [f"审计记录：{audit}"] if audit else []
    return "[dim]" + escape(" · ".join(parts)) + "[/]"


F = TypeVar("F", bound=Callable[..., object])


def zh_help(text: str) -> Callable[[F], F]:
    """A command's Chinese help, used instead of its (English) docstring unless the language is English.

    The docstring's 「示例」 lines are kept under either. Apply below ``@app.command()``: Typer reads the
    docstring when it builds the command line, after this has run.
    """

    def apply(fn: F) -> F:
        if language() == "zh":
            doc = inspect.cleandoc(fn.__doc__ or "")
            examples = doc[doc.find("示例") :] if "示例" in doc else ""
            fn.__doc__ = text + (f"\n\n{examples}" if examples else "")
        return fn

    return apply
