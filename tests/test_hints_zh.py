"""Every hint an error can carry has Chinese, so the Chinese CLI prints one language (issue 18 item 7).

Reads every ``hint=`` keyword in the source (the AST, not a list kept by hand): a literal must be in
``HINTS_ZH``; an f-string, rendered with a stand-in value for each placeholder, must match a pattern.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from lingxi.hints_zh import HINTS_ZH, hint_zh

SRC = Path(__file__).resolve().parents[1] / "src"


def _rendered(node: ast.JoinedStr) -> str:
    return "".join(v.value if isinstance(v, ast.Constant) else "7" for v in node.values)  # 7: a port, a path...


def _hints() -> tuple[list[str], list[str], list[str]]:
    literal, formatted, other = [], [], []
    for path in sorted((SRC / "lingxi").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg != "hint":
                    continue
                where = f"{path.relative_to(SRC)}:{node.lineno}"
                if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    literal.append(kw.value.value)
                elif isinstance(kw.value, ast.JoinedStr):
                    formatted.append(_rendered(kw.value))
                else:
                    other.append(where)
    return literal, formatted, other


def test_every_hint_has_chinese() -> None:
    literal, formatted, _ = _hints()
    assert len(literal) > 100 and len(formatted) > 15
    assert not [h for h in literal if h not in HINTS_ZH]
    assert not [h for h in formatted if hint_zh(h) is None]
    assert hint_zh("lingxi privacy delete demo-user --yes") == "确认删除请运行：lingxi privacy delete demo-user --yes"
    assert hint_zh("no such hint") is None and hint_zh(None) is None


def test_cli_error_is_one_language(tmp_path: Path) -> None:
    def run(lang: str) -> str:
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(SRC), "LINGXI_LANG": lang, "HOME": str(tmp_path)}
        code = "from lingxi.cli import main; main()"
        args = ["audit", "prune", "--older-than-days", "1", "--home", str(tmp_path / "home")]
        r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 1
        return r.stderr

    zh, en = run("zh"), run("en")
    assert "错误" in zh and "提示：请使用 --older-than-days 183 或更大的值" in zh and "use --older-than-days" not in zh
    assert "error" in en and "hint: use --older-than-days 183 or more" in en and "提示" not in en
