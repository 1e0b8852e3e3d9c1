"""The bake-off report: one self-contained HTML file (scorecard, live weights, tables, SVG plots) + JSON + CSV.

Plots are matplotlib SVG with ``svg.fonttype = 'none'``, so Chinese labels stay text (the browser picks a
font) instead of paths drawn from a font the machine may lack; everything is inline, so the file can be
mailed or archived and opens with no server and no network.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path
from typing import Any

import jinja2
import matplotlib
from matplotlib import font_manager

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from lingxi.bakeoff.report_script import REPORT_SCRIPT
from lingxi.bakeoff.scoring import DIMENSION_NAMES_ZH, DIMENSIONS, Scorecard, score
from lingxi.bakeoff.store import ResultStore
from lingxi.bakeoff.tasks import TASK_KINDS, TASK_NAMES_ZH

plt.rcParams["svg.fonttype"] = "none"
#: CJK fonts tried for text layout (the SVG keeps text, so the browser's own fonts draw it in the end)
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC")


def _cjk_fonts() -> list[str]:
    """The CJK fonts matplotlib can lay text out with. Its font list is cached on disk and not refreshed when a
    font is installed later (a CI image adds WenQuanYi after matplotlib first ran), so when the cache knows none,
    the system's font files are looked at once and CJK ones added: without that every Chinese glyph falls back
    to DejaVu Sans metrics, with a warning per glyph and mis-sized labels."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known.intersection(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name.lower() for k in ("wqy", "cjk", "sourcehan", "yahei", "pingfang")):
                with contextlib.suppress(OSError, RuntimeError):
                    font_manager.fontManager.addfont(path)
        known = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FONTS if f in known]


plt.rcParams["font.sans-serif"] = [*_cjk_fonts(), "DejaVu Sans"]
plt.rcParams["axes.unicode_minus"] = False


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.find("<svg") :]


def plot_quality_cost(cards: list[Scorecard]) -> str:
    """Quality over cost; when every model costs the same (all on-device: ¥0) a scatter would stack them on
    one vertical line, so quality is drawn per model instead, with the shared cost in the title."""
    points = [
        (c.provider, c.cost_per_1k_cny, q)
        for c in cards
        if c.cost_per_1k_cny is not None and (q := c.dims.get("quality")) is not None
    ]
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    costs = {x for _, x, _ in points}
    if len(costs) == 1:
        ax.bar(range(len(points)), [y for _, _, y in points], color="#4c78a8")
        ax.set_xticks(range(len(points)), [p for p, _, _ in points], rotation=20, fontsize=8)
        ax.set_title(f"质量 vs 成本（各模型成本相同：每千次 {costs.pop():.2f} 元）")
    else:
        for provider, x, y in points:
            ax.scatter([x], [y], s=60)
            ax.annotate(provider, (x, y), textcoords="offset points", xytext=(5, 5), fontsize=8)
        ax.set_xlabel("每千次请求成本（元）")
        ax.set_title("质量 vs 成本")
    ax.set_ylabel("功能质量")
    ax.set_ylim(-0.05, 1.05)
    return _svg(fig)


def plot_latency(cards: list[Scorecard]) -> str:
    shown = [c for c in cards if c.latencies_ms]
    fig, ax = plt.subplots(figsize=(max(4.0, 1.3 * len(shown) + 2), 3.8))
    if shown:
        ax.boxplot([c.latencies_ms for c in shown], showfliers=True)
        ax.set_xticks(range(1, len(shown) + 1), [c.provider for c in shown], rotation=20, fontsize=8)
    ax.set_ylabel("单次请求耗时（毫秒）")
    ax.set_title("延迟分布")
    return _svg(fig)


def plot_radar(cards: list[Scorecard]) -> str:
    angles = np.linspace(0, 2 * np.pi, len(DIMENSIONS), endpoint=False).tolist()
    fig, ax = plt.subplots(figsize=(5.0, 4.6), subplot_kw={"projection": "polar"})
    for c in cards:
        values = [c.dims.get(d) or 0.0 for d in DIMENSIONS]
        ax.plot([*angles, angles[0]], [*values, values[0]], label=c.provider, linewidth=1.5)
        ax.fill([*angles, angles[0]], [*values, values[0]], alpha=0.08)
    ax.set_xticks(angles, [DIMENSION_NAMES_ZH[d] for d in DIMENSIONS])
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right", bbox_to_anchor=(1.45, 1.1), fontsize=7)
    ax.set_title("各模型六维雷达图")
    return _svg(fig)


def _fmt(value: float | None, digits: int = 2, pct: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.0f}%" if pct else f"{value:.{digits}f}"


def build_report(
    store: ResultStore, run: str, out_dir: Path, weights: dict[str, float]
) -> tuple[Path, Path, Path, list[Scorecard]]:
    """Write ``report.html``, ``results.json`` and ``results.csv`` into ``out_dir``; return them and the cards."""
    cards = score(store, run, weights)
    data = {"run": run, "weights": weights, "scorecards": [c.to_json() for c in cards]}
    json_path = out_dir / "results.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    csv_path = out_dir / "results.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["rank", "provider", "total", *DIMENSIONS, *(f"task_{t}" for t in TASK_KINDS),
                         "ttft_p50_ms", "ttft_p95_ms", "total_p50_ms", "total_p95_ms", "tokens_per_s",
                         "cost_per_1k_cny", "refusal_rate", "wrong_refusal_rate", "error"])  # fmt: skip
        for n, c in enumerate(cards, 1):
            rank: int | str = "baseline" if c.baseline else (n if c.ran else "not run")
            writer.writerow([rank, c.provider, round(c.total, 4), *(c.dims.get(d) for d in DIMENSIONS),
                             *(c.tasks.get(t) for t in TASK_KINDS), c.ttft_p50_ms, c.ttft_p95_ms, c.total_p50_ms,
                             c.total_p95_ms, c.tokens_per_s, c.cost_per_1k_cny, c.refusal_rate,
                             c.wrong_refusal_rate, c.error])  # fmt: skip
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lingxi.bakeoff", "templates"), autoescape=True, keep_trailing_newline=True
    )
    env.filters["fmt"] = _fmt
    tasks = [t for t in TASK_KINDS if any(t in c.tasks for c in cards)]
    rows = store.rows(run)
    html = env.get_template("report.html.j2").render(
        run=run,
        cards=cards,
        weights=weights,
        dimensions=DIMENSIONS,
        dim_names=DIMENSION_NAMES_ZH,
        tasks=tasks,
        task_names=TASK_NAMES_ZH,
        failures=[r for r in rows if r.score is None and not r.screened][:50],
        dims_json={c.provider: c.dims for c in cards},
        report_script=REPORT_SCRIPT,
        plots={  # models that never ran have nothing to draw
            "quality_cost": plot_quality_cost([c for c in cards if c.ran]),
            "latency": plot_latency(cards),
            "radar": plot_radar([c for c in cards if c.ran]),
        },
    )
    html_path = out_dir / "report.html"
    html_path.write_text(html, encoding="utf-8")
    return html_path, json_path, csv_path, cards
