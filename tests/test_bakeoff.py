"""The whole bake-off against two fake vendors on loopback (real HTTP), a dead vendor, the tiny GGUF and lite.

The fake vendors are real OpenAI-compatible servers (tests/fake_openai.py) playing DashScope and DeepSeek
with different accuracy, latency and list prices; their answers are computed from each request (right on a
share of quiz items, tool calls with valid or broken arguments, JSON or prose). The assertions check that the
measured differences — not the names — decide the ranking.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from fake_openai import FakeOpenAI, Script
from gguf_fixture import write_random_qwen2_gguf
from lingxi import Lingxi
from lingxi.bakeoff import Bakeoff, parse_weights, score
from lingxi.bakeoff.probes import parse_choice, parse_json
from lingxi.bakeoff.report import build_report
from lingxi.bakeoff.tasks import BUILTIN_MC, PERSONAL_GENERAL, load_mc_file, parse_task_list
from lingxi.cli import app
from lingxi.cli.bakeoff import demo_section
from lingxi.config import Settings
from lingxi.context.sample import SAMPLE_NOW_MS
from lingxi.errors import InvalidInput
from safety_fixture import records, write_jsonl

ANSWERS = {q.prompt: q.expected for q in BUILTIN_MC}
GENERAL = {q: a for _, q, a in PERSONAL_GENERAL}
SHOULD_REFUSE = {r["text"] for r in records() if r["expected_behavior"] == "refuse"}
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"


def vendor(accuracy: float, delay_s: float, usage: tuple[int, int], refuses: bool) -> Script:
    """A fake vendor that knows the answers and is right on ``accuracy`` of the items (chosen by hash);
    it declines should-refuse prompts itself when ``refuses``."""

    def respond(body: dict[str, Any]) -> Script:
        messages = body["messages"]
        system = next((m["content"] for m in messages if m["role"] == "system"), "")
        user = [m["content"] for m in messages if m["role"] == "user"][-1]
        base = {"first_byte_delay_s": delay_s, "usage": usage}
        lucky = int(hashlib.sha256(user.encode()).hexdigest(), 16) % 100 < accuracy * 100
        if "最近的事件" in system:  # personalization: reading the context (when lucky) answers fresh questions
            return Script(reply=GENERAL.get(user) or (system if lucky else "我不清楚。"), **base)
        for question, letter in ANSWERS.items():
            if user.startswith(question):
                wrong = "ABCD"[("ABCD".index(letter) + 1) % 4]
                return Script(reply=f"答案：{letter if lucky else wrong}", **base)
        if body.get("tools"):
            name = "send_message" if "发消息" in user else "set_reminder"
            args = (
                {"to": "周琳", "text": "晚十分钟到"}
                if name == "send_message"
                else {"time": "8:00", "content": "取快递"}
            )
            return Script(reply="", tool_call=(name, args if lucky else {"when": 1}), **base)
        if body.get("response_format"):
            schema = body["response_format"].get("json_schema", {}).get("schema", {})
            fields = {k: (1 if v.get("type") == "number" else "x") for k, v in schema.get("properties", {}).items()}
            return Script(reply=json.dumps(fields) if lucky else "好的，这是结果。", **base)
        if refuses and user in SHOULD_REFUSE:
            return Script(reply="抱歉，我无法提供这方面的帮助。", **base)
        return Script(reply="好的，我来帮你。", **base)

    return Script(respond=respond)


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_random_qwen2_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@pytest.fixture(scope="module")
def bakeoff_run(tmp_path_factory: pytest.TempPathFactory, tiny_gguf: Path) -> dict[str, Any]:
    """One full run (and a rerun) shared by the tests below; returns what they need."""
    tmp = tmp_path_factory.mktemp("bakeoff")
    home, out = tmp / "home", tmp / "out"
    home.mkdir()
    # time limits far above what an item needs and a latency gap of 0.25 s: a loaded machine must not turn
    # slow answers into gaps (the rerun would ask again) or swap the latency order
    good = vendor(0.9, 0.005, (40, 5), refuses=True)  # DashScope-like: accurate, fast, cheaper list price
    weak = vendor(0.4, 0.25, (40, 5), refuses=False)  # DeepSeek-like here: less accurate, slower, pricier list price
    with FakeOpenAI({"qwen-plus": good}) as f1, FakeOpenAI({"deepseek-chat": weak}) as f2:
        (home / "lingxi.toml").write_text(
            f'[providers.dashscope]\nbase_url = "{f1.base_url}"\ntimeout_s = 30\n'
            f'[providers.deepseek]\nbase_url = "{f2.base_url}"\ntimeout_s = 30\n'
            '[providers.moonshot]\nbase_url = "http://127.0.0.1:9/v1"\ntimeout_s = 1\n',
            encoding="utf-8",
        )
        mp = pytest.MonkeyPatch()
        for var in ("DASHSCOPE_API_KEY", "DEEPSEEK_API_KEY", "MOONSHOT_API_KEY"):
            mp.setenv(var, "sk-test")
        mp.delenv("ZHIPUAI_API_KEY", raising=False)
        try:
            safety = write_jsonl(tmp / "safety.jsonl")
            bake = Bakeoff(
                Settings.load(home), out, concurrency=4, timeout_s=60, safety_data=safety, compliance_limit=6
            )
            specs = ["dashscope/qwen-plus", "deepseek/deepseek-chat", "moonshot/kimi-k2-0905-preview",
                     "zhipu/glm-4-plus", "lite"]  # fmt: skip
            first = bake.run(specs, parse_task_list("all"))
            # the on-device GGUF is slow on two shared cores: a few items of two tasks, with a time limit far
            # above what they need, so a loaded machine does not turn it into an "unavailable" model
            small = Bakeoff(Settings.load(home), out, limit=2, timeout_s=600)
            small.run([str(tiny_gguf)], ["mc", "json"])
            seen = (len(f1.requests), len(f2.requests))
            again = bake.run(specs, parse_task_list("all"))
            after = (len(f1.requests), len(f2.requests))
        finally:
            mp.undo()
        html, json_path, csv_path, cards = build_report(bake.store, "default", out, parse_weights(None))
    return {"first": first, "again": again, "seen": seen, "after": after, "cards": cards, "bake": bake,
            "html": html, "json": json_path, "csv": csv_path, "out": out, "home": home}  # fmt: skip


def test_ranking_follows_measured_differences(bakeoff_run: dict[str, Any]) -> None:
    cards = {c.provider: c for c in bakeoff_run["cards"]}
    ranked = [c.provider for c in bakeoff_run["cards"]]
    print("\n" + "\n".join(f"{n}. {c.provider:32} total={c.total:.3f} " + " ".join(
        f"{k}={'—' if v is None else f'{v:.2f}'}" for k, v in c.dims.items()) + f" cost/1k={c.cost_per_1k_cny}"
        for n, c in enumerate(bakeoff_run["cards"], 1)))  # fmt: skip
    good, weak = cards["dashscope/qwen-plus"], cards["deepseek/deepseek-chat"]
    assert ranked[0] == "dashscope/qwen-plus"
    assert ranked[-1] == "lite" and cards["lite"].baseline and not good.baseline  # the floor: shown, not ranked
    assert good.tasks["mc"] is not None and weak.tasks["mc"] is not None and good.tasks["mc"] > weak.tasks["mc"]
    assert good.cost_per_1k_cny is not None and weak.cost_per_1k_cny is not None
    assert good.cost_per_1k_cny < weak.cost_per_1k_cny  # qwen-plus list price < deepseek-chat's
    assert good.total_p50_ms is not None and weak.total_p50_ms is not None
    assert good.total_p50_ms < weak.total_p50_ms
    assert good.availability == 1.0 and good.ttft_p50_ms is not None
    assert good.refusal_rate is not None and weak.refusal_rate is not None and good.refusal_rate > weak.refusal_rate
    assert good.wrong_refusal_rate == 0.0
    assert cards["lite"].personal_fresh == 1.0  # BM25 over the fresh events finds them (classical retrieval)
    assert good.personal_general == 1.0 and cards["lite"].personal_general == 0.0
    # the lite tier is the floor on quality among the models that answered
    answered = [c for c in bakeoff_run["cards"] if c.availability > 0 and c.dims["quality"] is not None]
    lite_q = cards["lite"].dims["quality"]
    assert lite_q is not None and all(lite_q <= c.dims["quality"] for c in answered if c.provider != "tiny")  # type: ignore[operator]
    assert lite_q < good.dims["quality"]  # type: ignore[operator]


def test_dead_and_keyless_vendors_are_unavailable(bakeoff_run: dict[str, Any]) -> None:
    cards = {c.provider: c for c in bakeoff_run["cards"]}
    dead = cards["moonshot/kimi-k2-0905-preview"]
    assert dead.availability == 0.0 and dead.requests > 0
    assert cards["zhipu/glm-4-plus"].error.startswith("智谱需要 API 密钥")
    assert "zhipu/glm-4-plus" in bakeoff_run["first"].errors
    ranked = [c.provider for c in bakeoff_run["cards"] if not c.baseline and c.ran]
    assert dead.total == min(cards[p].total for p in ranked)  # ran, every request failed: ranked, at the bottom
    keyless = cards["zhipu/glm-4-plus"]
    assert not keyless.ran and "zhipu/glm-4-plus" not in ranked  # never asked: listed as not run, not ranked
    html = bakeoff_run["html"].read_text(encoding="utf-8")
    row = html[html.index('data-provider="zhipu/glm-4-plus"') :].split("</tr>")[0]
    assert "未运行" in row and "notrun" in row
    csv_rows = bakeoff_run["csv"].read_text(encoding="utf-8-sig").splitlines()
    assert any(r.startswith("not run,zhipu/glm-4-plus,") for r in csv_rows)


def test_rerun_only_fills_gaps(bakeoff_run: dict[str, Any]) -> None:
    first, again = bakeoff_run["first"], bakeoff_run["again"]
    assert first.asked["dashscope/qwen-plus"] > 20
    assert again.asked["dashscope/qwen-plus"] == 0 and again.asked["deepseek/deepseek-chat"] == 0
    assert again.kept["dashscope/qwen-plus"] == first.asked["dashscope/qwen-plus"]
    assert bakeoff_run["after"] == bakeoff_run["seen"]  # the fake vendors received no new request
    assert again.asked["moonshot/kimi-k2-0905-preview"] > 0  # failures are gaps: asked again


def test_gguf_and_report_files(bakeoff_run: dict[str, Any]) -> None:
    cards = {c.provider: c for c in bakeoff_run["cards"]}
    assert cards["tiny"].items == {"mc": 2, "json": 2}
    data = json.loads(bakeoff_run["json"].read_text(encoding="utf-8"))
    assert [c["provider"] for c in data["scorecards"]] == [c.provider for c in bakeoff_run["cards"]]
    csv_text = bakeoff_run["csv"].read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[1].startswith("1,dashscope/qwen-plus,")
    html = bakeoff_run["html"].read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and "质量 vs 成本" in html  # Chinese stays text in the SVG


def test_report_in_headless_browser(bakeoff_run: dict[str, Any]) -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(bakeoff_run["html"].as_uri())
            first = page.locator("#scorecard tbody tr").first.get_attribute("data-provider")
            assert first == "dashscope/qwen-plus"
            assert page.locator("#plot-radar svg").count() == 1
            page.screenshot(path=str(ARTIFACTS / "bakeoff_report.png"), full_page=True)
            # only cost matters now: the free on-device model (cost 0) must come first; the lite floor stays last
            for dim in ("quality", "personal", "compliance", "latency", "availability"):
                page.fill(f"#w-{dim}", "0")
            page.fill("#w-cost", "1")
            rows = page.locator("#scorecard tbody tr")
            assert rows.first.get_attribute("data-provider") == "tiny"
            assert rows.first.locator(".rank").inner_text() == "1"
            assert rows.last.get_attribute("data-provider") == "lite"
            assert rows.last.locator(".rank").inner_text() == "基线"
        finally:
            browser.close()
    assert (ARTIFACTS / "bakeoff_report.png").stat().st_size > 10_000


def test_cli_report_and_errors(bakeoff_run: dict[str, Any], tmp_path: Path) -> None:
    runner = CliRunner()
    wide = {"COLUMNS": "200"}
    result = runner.invoke(
        app, ["bakeoff", "report", "--out", str(bakeoff_run["out"]), "--weights", "cost=1"], env=wide
    )
    assert result.exit_code == 0, result.output
    assert "模型评测综合排名" in result.output and "dashscope/qwen-plus" in result.output
    bad = runner.invoke(app, ["bakeoff", "report", "--out", str(bakeoff_run["out"]), "--weights", "speed=1"])
    assert bad.exit_code == 2 and "权重格式错误" in bad.output
    missing = runner.invoke(app, ["bakeoff", "report", "--out", str(tmp_path / "nothing")])
    assert missing.exit_code == 2 and "没有评测结果" in missing.output
    # a lite-only run through the CLI, with a clear error for a missing key
    out = tmp_path / "cli"
    ran = runner.invoke(app, ["bakeoff", "run", "--providers", "lite,zhipu/glm-4-plus", "--tasks", "mc,json",
                              "--limit", "3", "--out", str(out), "--home", str(tmp_path / "h")],
                        env={"ZHIPUAI_API_KEY": "", **wide})  # fmt: skip
    assert ran.exit_code == 0, ran.output
    assert "智谱需要 API 密钥" in ran.output and (out / "report.html").is_file()
    # without --out the results go under the home, where the web console's report viewer looks
    home = tmp_path / "h2"
    ran = runner.invoke(app, ["bakeoff", "run", "-p", "lite", "-t", "json", "--limit", "2", "--home", str(home)])
    assert ran.exit_code == 0, ran.output
    assert (home / "bakeoff" / "report.html").is_file()
    again = runner.invoke(app, ["bakeoff", "report", "--home", str(home)])
    assert again.exit_code == 0 and "lite" in again.output


def test_parsers_and_loaders(tmp_path: Path) -> None:
    assert parse_choice("答案：C") == "C" and parse_choice("B. 北京") == "B" and parse_choice("答案是D选项") == "D"
    assert parse_choice("我觉得是北京") is None and parse_choice("A 或 B") is None
    assert parse_json('好的：```json\n{"a": 1}\n```') == {"a": 1}
    cmmlu = tmp_path / "cmmlu_test.csv"
    cmmlu.write_text(",Question,A,B,C,D,Answer\n0,一加一等于几？,1,2,3,4,B\n", encoding="utf-8")
    ceval = tmp_path / "ceval_val.csv"
    ceval.write_text("id,question,A,B,C,D,answer,explanation\n7,二加二？,3,4,5,6,B,\n8,无答案,1,2,3,4,,\n", "utf-8")
    items = load_mc_file(cmmlu) + load_mc_file(ceval)
    assert [(i.id, i.expected) for i in items] == [("cmmlu_test-0", "B"), ("ceval_val-7", "B")]
    broken = tmp_path / "broken.csv"
    broken.write_text("x,y\n1,2\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        load_mc_file(broken)
    with pytest.raises(InvalidInput):
        parse_task_list("mc,speed")


def test_score_is_stable_after_rerun(bakeoff_run: dict[str, Any]) -> None:
    again = score(bakeoff_run["bake"].store, "default")
    assert [c.provider for c in again][:2] == [c.provider for c in bakeoff_run["cards"]][:2]


def test_demo_section_runs_the_lite_floor(lx: Lingxi) -> None:
    lx.load_sample()
    console = Console(record=True, width=140)
    demo_section(lx, console, SAMPLE_NOW_MS)
    text = console.export_text()
    assert "模型评测综合排名" in text and "lite" in text and "1.00" in text  # BM25 finds the fresh events


def test_quality_cost_plot_with_equal_costs_does_not_stack_the_models() -> None:
    from lingxi.bakeoff.report import plot_quality_cost
    from lingxi.bakeoff.scoring import Scorecard

    cards = [Scorecard(p, {}, cost_per_1k_cny=0.0, dims={"quality": q}) for p, q in (("甲", 0.8), ("乙", 0.5))]
    svg = plot_quality_cost(cards)
    assert "各模型成本相同" in svg and "甲" in svg and "乙" in svg  # one bar each, names kept as SVG text
    spread = plot_quality_cost([*cards[:1], Scorecard("丙", {}, cost_per_1k_cny=3.0, dims={"quality": 0.9})])
    assert "每千次请求成本" in spread and "各模型成本相同" not in spread


def test_report_plots_find_a_cjk_font_installed_after_matplotlib_cached_its_list() -> None:
    """A font cache written before the CJK font was installed (as on a CI image) must not leave the plots on
    DejaVu Sans, which lacks every Chinese glyph. Run in a child process: matplotlib's font list is global."""
    import subprocess
    import sys

    from matplotlib import font_manager

    if not any("wqy" in p.lower() or "cjk" in p.lower() for p in font_manager.findSystemFonts()):
        pytest.skip("no CJK font on this machine (.ci/run installs WenQuanYi)")
    code = (
        "from matplotlib import font_manager as fm\n"
        "fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if 'Hei' not in f.name and 'CJK' not in f.name]\n"
        "import warnings; warnings.simplefilter('error')\n"
        "from lingxi.bakeoff.report import CJK_FONTS, plot_latency\n"
        "import matplotlib.pyplot as plt\n"
        "assert plt.rcParams['font.sans-serif'][0] in CJK_FONTS, plt.rcParams['font.sans-serif']\n"
        "plot_latency([])\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
