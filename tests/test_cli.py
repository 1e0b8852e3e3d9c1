"""The installed ``lingxi`` command, run as a user would (a subprocess), on a temporary home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lingxi import Lingxi
from lingxi.__about__ import __version__

LINGXI = [sys.executable, "-c", "from lingxi.cli import main; main()"]


def cli(*args: str, stdin: str | None = None, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1", "LINGXI_LANG": "zh"}
    env.pop("LINGXI_DEBUG", None)
    if home is not None:
        env["LINGXI_HOME"] = str(home)
    return subprocess.run([*LINGXI, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)


def test_version() -> None:
    r = cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"lingxi {__version__}"


def test_help_is_english_with_chinese_examples() -> None:
    r = cli("--help")
    assert r.returncode == 0 and "demo" in r.stdout and "serve" in r.stdout
    assert "示例" in cli("demo", "--help").stdout


def test_demo_runs_on_the_sample_user(tmp_path: Path) -> None:
    r = cli("demo", "--home", str(tmp_path / "h"))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "林晓雨" in out and "通知摘要" in out and "紧急" in out and "要点" in out
    assert "lite/textrank" in out and "抽取" in out  # says which tier answered, honestly
    again = cli("demo", "--home", str(tmp_path / "h"))
    assert "新增 0 条" in again.stdout  # idempotent reload


def test_ingest_then_summarize(tmp_path: Path) -> None:
    lines = [
        {
            "type": "notification",
            "event_id": f"n{i}",
            "user_id": "u9",
            "ts": 1_763_818_000_000 + i * 60_000,
            "source_app": "菜鸟",
            "body": f"您的包裹已到驿站，取件码 3-2-110{i}，请及时领取。",
            "category": "delivery",
        }
        for i in range(3)
    ]
    f = tmp_path / "events.jsonl"
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    r = cli("ingest", str(f), home=tmp_path / "h")
    assert r.returncode == 0 and "已写入 3 条" in r.stdout
    r = cli("notifications", "u9", "--now", "2026-11-22T22:00:00+08:00", home=tmp_path / "h")
    assert r.returncode == 1 and "notifications" in r.stderr  # no consent given yet: refused, with the reason


def test_bad_input_is_one_line_reason_and_hint(tmp_path: Path) -> None:
    missing = cli("ingest", str(tmp_path / "nope.jsonl"), home=tmp_path / "h")
    assert missing.returncode == 1 and "找不到文件" in missing.stderr and "提示" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"type":"notification","event_id":"a","user_id":"u","ts":1763818000000,"source_app":"x","body":"ok"}\n{oops\n'
    )
    r = cli("ingest", str(bad), "--on-error", "reject", home=tmp_path / "h")
    assert r.returncode == 1 and "第 2 行" in r.stderr and "Traceback" not in r.stderr
    assert Lingxi(tmp_path / "h").events.count("u") == {}  # reject: nothing from the bad file was stored
    r = cli("ingest", str(bad), home=tmp_path / "h")  # default skip: the good line is stored, exit code still 1
    assert r.returncode == 1 and "第 2 行" in r.stderr
    assert Lingxi(tmp_path / "h").events.count("u") == {"notification": 1}
    unknown = cli("frobnicate")
    assert unknown.returncode != 0 and "frobnicate" in unknown.stderr and "Traceback" not in unknown.stderr
    r = cli("notifications", "u", "--now", "yesterday", home=tmp_path / "h")
    assert r.returncode == 1 and "ISO-8601" in r.stderr


def test_privacy_redact_plain_and_json() -> None:
    text = "请联系张伟先生，手机13800138000\n订单号 123456789012345678 验证码 482913\n"
    r = cli("privacy", "redact", stdin=text)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["请联系[姓名_1]先生，手机[手机号_1]", "订单号 123456789012345678 验证码 482913"]
    r = cli("privacy", "redact", "--json", stdin="手机13800138000\n")
    spans = json.loads(r.stdout)["spans"]
    assert spans == [{"start": 2, "end": 13, "type": "手机号", "text": "13800138000"}]


def test_an_error_hint_quoting_a_config_section_prints_verbatim(tmp_path: Path) -> None:
    done = subprocess.run(
        [*LINGXI, "index", "status", "--home", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and "未配置向量模型" in done.stderr
    assert "添加 [embeddings] model =" in " ".join(done.stderr.split())  # Chinese hint, not eaten as rich markup


def test_chat_takes_lite_model_names_and_never_echoes(tmp_path: Path) -> None:
    r = cli("chat", "-m", "lite/textrank", "谢谢", home=tmp_path / "h")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("当前没有配置语言模型") and "谢谢" not in r.stdout
    assert "lite/textrank" in r.stderr
    refused = cli("chat", "-m", "lite/rules", "你好", home=tmp_path / "h")  # named: answers or fails, no fallback
    assert refused.returncode != 0 and "lite/rules" in refused.stderr


def test_serve_on_a_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = cli("serve", "--port", str(port), home=tmp_path / "h")
    assert r.returncode == 1 and "端口已被占用" in r.stderr and f"--port {port + 1}" in r.stderr
    assert "Traceback" not in r.stderr and "uvicorn" not in r.stderr.lower()


def test_complaints_list_shows_whole_ids(tmp_path: Path) -> None:
    home = tmp_path / "h"
    added = cli("complaints", "add", "用户A", "回答内容有误，请核实" * 5, home=home)
    assert added.returncode == 0, added.stderr
    cid = added.stdout.split("投诉 ")[1].split(" ")[0]
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "LINGXI_HOME": str(home)}  # a narrow terminal
    narrow = subprocess.run([*LINGXI, "complaints", "list"], capture_output=True, text=True, env=env, timeout=120)
    assert cid in narrow.stdout  # whole, on one line: what `show` and `resolve` take
    assert cli("complaints", "show", cid, home=home).returncode == 0


def test_one_language_per_locale(tmp_path: Path) -> None:
    zh = cli("ingest", str(tmp_path / "missing.jsonl"))
    assert zh.returncode == 1 and zh.stderr.count("找不到文件") == 1 and "not found" not in zh.stderr.lower()
    en = cli("--lang", "en", "ingest", str(tmp_path / "missing.jsonl"))
    assert en.returncode == 1 and "error:" in en.stderr and "找不到" not in en.stderr
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1", "LANG": "en_US.UTF-8"}
    env.pop("LINGXI_LANG", None)
    by_locale = subprocess.run([*LINGXI, "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert "consent comes first" in by_locale.stdout
    assert "自己的用户先授权" in cli("--help").stdout  # Chinese by default, and it says consent comes first
    assert "载入内置的虚构样例用户" in cli("demo", "--help").stdout and "示例" in cli("demo", "--help").stdout
    english = cli("--lang", "en", "demo", "--help").stdout
    assert "Load the bundled sample user" in english and "载入" not in english
