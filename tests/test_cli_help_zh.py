"""Chinese ``--help`` for every sub-command and option (issue 18 item 7), English under ``--lang en``.

Walks the real command tree the way ``lingxi … --help`` resolves it (lazy groups included) and fails on any
help text with no Chinese in it: a new option without its line in ``lingxi.cli.help_zh`` fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer import _click as click

from lingxi.cli import app
from lingxi.cli.lazy import GROUPS

CJK = re.compile("[\u4e00-\u9fff]")
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _helps(command: Any, path: str, ctx: Any) -> list[tuple[str, str]]:
    found = [(path, command.help)] if command.help else []
    found += [(f"{path} {p.name}", p.help) for p in command.params if getattr(p, "help", None)]
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.resolve_command(ctx, [name])[1] if name in GROUPS else command.get_command(ctx, name)
            found += _helps(sub, f"{path} {name}", ctx)
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_help_text_is_in_the_chosen_language(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("LINGXI_LANG", lang)
    monkeypatch.setattr(sys, "argv", ["lingxi"])
    root = typer.main.get_command(app)
    root.format_help(click.Context(root), click.HelpFormatter())  # the top level's own options
    helps = _helps(root, "lingxi", click.Context(root))
    assert len(helps) > 150
    if lang == "zh":
        english = [(where, text[:60]) for where, text in helps if not CJK.search(text)]
        assert not english, english
    else:  # English help stays English (commands' 「示例」 lines aside)
        chinese = [where for where, text in helps if CJK.search(text.split("示例")[0])]
        assert len(chinese) < len(helps) / 4, chinese


def test_help_subprocess_follows_lang() -> None:
    def run(*args: str, env_lang: str) -> str:
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": SRC, "LANG": env_lang, "HOME": "/tmp", "COLUMNS": "120"}
        code = "from lingxi.cli import main; main()"
        r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=60)
        return r.stdout

    zh = run("privacy", "delete", "--help", env_lang="zh_CN.UTF-8")
    assert "不可撤销" in zh and "Cannot be undone" not in zh
    assert "显示此帮助并退出" in zh and "Show this message" not in zh and "选项" in zh and "Options" not in zh
    en = run("--lang", "en", "privacy", "delete", "--help", env_lang="zh_CN.UTF-8")
    assert "Cannot be undone" in en and "确认：此操作不可撤销" not in en
    assert "Show this message and exit." in en and "Options" in en
