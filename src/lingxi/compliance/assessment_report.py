"""Render the self-assessment report as one self-contained HTML file.

Charts are inline SVG from :func:`bar_chart` rather than matplotlib PNGs: matplotlib is not a lingxi
dependency (and is ~40 MB), SVG stays sharp when printed for a filing, its text is searchable and
copyable, and a horizontal bar with a threshold line is all these numbers need. No scripts, no external
CSS or fonts, so the file opens offline and can be attached to a filing as is.
"""

from __future__ import annotations

from html import escape
from typing import Any

_CSS = """
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:980px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.8em}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #e2e2e2;padding:.3em .5em;text-align:left}th{background:#f6f6f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 .55em;border-radius:.8em;font-size:.85em;color:#fff}
.pass{background:#2e7d32}.fail{background:#c62828}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{flex:1;min-width:250px;border:1px solid #ddd;
border-radius:6px;padding:.8em}.big{font-size:2em;font-weight:600}.muted{color:#666;font-size:.9em}
ul.short li{color:#b71c1c}
"""


_SYM = {">=": "≥", "<=": "≤"}


def _badge(ok: bool) -> str:
    return '<span class="badge pass">通过 PASS</span>' if ok else '<span class="badge fail">未通过 FAIL</span>'


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def bar_chart(
    rows: list[tuple[str, float, int]], *, threshold: float | None = None, higher_is_better: bool = True
) -> str:
    """Horizontal bars of rates in [0, 1], labelled ``name (n)``, with an optional dashed threshold line."""
    if not rows:
        return '<p class="muted">无数据 (no data)</p>'
    label_w, bar_w, row_h = 150, 520, 22
    height = row_h * len(rows) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 70}" height="{height}" '
        f'role="img" font-size="12">'
    ]
    for i, (name, rate, n) in enumerate(rows):
        y = i * row_h + 4
        good = threshold is None or (rate >= threshold if higher_is_better else rate <= threshold)
        color = "#43a047" if good else "#e53935"
        w = max(0.0, min(1.0, rate)) * bar_w
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(name)} ({n})</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{row_h - 6}" fill="#f0f0f0"/>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row_h - 6}" fill="{color}"/>')
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{rate:.1%}</text>')
    if threshold is not None:
        x = label_w + threshold * bar_w
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 16}" stroke="#222" stroke-dasharray="4 3"/>'
        )
        parts.append(f'<text x="{x:.1f}" y="{height - 3}" text-anchor="middle">阈值 {threshold:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _risk_table(by_risk: dict[str, dict[str, float]], count_label: str) -> str:
    head = f"<tr><th>风险 Risk</th><th>题量 Items</th><th>{escape(count_label)}</th><th>比例 Rate</th></tr>"
    body = "".join(
        f'<tr><td>{escape(k)}</td><td class="num">{int(v["n"])}</td><td class="num">{int(v["count"])}</td>'
        f'<td class="num">{_pct(v["rate"])}</td></tr>'
        for k, v in by_risk.items()
    )
    return f"<table>{head}{body}</table>"


def _metric_section(title: str, m: dict[str, Any], count_label: str, higher_is_better: bool) -> str:
    rows = [(k, float(v["rate"]), int(v["n"])) for k, v in m["by_risk"].items()]
    return (
        f"<h2>{title}</h2>"
        f"<p>{_badge(m['ok'])} 实测 measured <b>{_pct(m['rate'])}</b> ({m['count']}/{m['n']}) · "
        f"标准 standard {escape(m['op'])} {m['threshold']:.0%}</p>"
        + bar_chart(rows, threshold=m["threshold"], higher_is_better=higher_is_better)
        + _risk_table(m["by_risk"], count_label)
    )


def _card(zh: str, en: str, m: dict[str, Any]) -> str:
    return (
        f'<div class="card"><div>{zh}<br><span class="muted">{en}</span></div>'
        f'<div class="big">{_pct(m["rate"])}</div>'
        f'<div class="muted">标准 threshold {_SYM[m["op"]]} {m["threshold"]:.0%} · n = {m["n"]}</div>'
        f"{_badge(m['ok'])}</div>"
    )


def render_html(report: dict[str, Any]) -> str:
    """The whole report page."""
    gen, ref, nref, lex = (
        report["generated_content"],
        report["should_refuse"],
        report["should_not_refuse"],
        report["lexicon"],
    )
    checks = "".join(
        f"<tr><td>{escape(c['title_zh'])}<br><span class='muted'>{escape(c['title_en'])}</span></td>"
        f"<td>{escape(c['required'])}</td><td>{escape(c['actual'])}</td><td>{_badge(c['ok'])}</td></tr>"
        for c in report["checks"]
    )
    shortfalls = "".join(f"<li>{escape(s)}</li>" for s in report["shortfalls"]) or "<li>无 (none)</li>"
    lex_rows = [(k, min(1.0, v / 200), v) for k, v in lex["per_risk"].items()]
    behavior = "".join(
        f'<tr><td>{escape(b)}</td><td class="num">{v["n"]}</td><td class="num">{v["wrongly_refused"]}</td></tr>'
        for b, v in nref.get("by_behavior", {}).items()
    )
    layers = "".join(
        f'<tr><td>{escape(k)}</td><td class="num">{v}/{gen["n"]}</td></tr>' for k, v in gen["per_layer_pass"].items()
    )
    data, tp = report["data"], report["throughput"]
    warnings = ""
    if report.get("training_overlap"):
        where = ", ".join(f"{escape(k)} ({v})" for k, v in report["training_overlap"].items())
        warnings += f'<p class="short"><b>警告 WARNING：分类器的训练数据包含本测试数据，指标虚高 — {where}</b></p>'
    if gen.get("note"):
        warnings += f'<p class="muted">生成内容 generated content: {escape(gen["note"])}</p>'
    screen = report.get("screen", {})
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>生成式人工智能服务安全自评估报告 · Self-assessment</title><style>{_CSS}</style></head><body>
<h1>生成式人工智能服务安全自评估报告<br><span class="muted">Generative AI service self-assessment
({escape(report["standard"])})</span></h1>
<p class="muted">模型 model: <b>{escape(str(report["model"]))}</b> · 数据 data: {escape(data["path"])}
({data["records"]} records, sha256 {escape(data["sha256"][:16])}…) · {escape(data["note"])} ·
生成时间 generated {escape(report["generated_at"])} · 每题上限 limit: {report["limit"] or "none"} ·
吞吐 throughput: {tp["items"]} items, {tp["items_per_s"]} items/s · 安装 home: {escape(str(screen.get("home")))}
· 筛查层 screen layers: {escape(", ".join(screen.get("layers", [])))}</p>{warnings}
<div class="cards">{_card("生成内容合格率", "Generated-content pass rate", gen)}
{_card("应拒答拒答率", "Should-refuse refusal rate", ref)}
{_card("非拒答误拒率", "Should-not-refuse wrong-refusal rate", nref)}</div>
<h2>与标准对照 Requirements vs. measured</h2>
<table><tr><th>项目 Item</th><th>标准要求 Required</th><th>实测 Measured</th><th>结论 Result</th></tr>{checks}</table>
<h2>不足之处 Where we fall short</h2><ul class="short">{shortfalls}</ul>
{_metric_section("生成内容安全 Generated-content safety", gen, "合格 Passed", True)}
<p>各层合格数 Passes per screening layer:</p><table><tr><th>层 Layer</th><th>合格 Passed</th></tr>{layers}</table>
{_metric_section("应拒答测试 Should-refuse bank", ref, "已拒答 Refused", True)}
{_metric_section("非拒答测试 Should-not-refuse bank", nref, "误拒 Wrongly refused", False)}
<table><tr><th>预期行为 Expected behavior</th><th>题量 Items</th><th>误拒 Wrongly refused</th></tr>{behavior}</table>
<h2>关键词库覆盖 Keyword library coverage</h2>
<p class="muted">来源 source: {escape(lex["source"])} · 共 total {lex["total"]} terms (bars scaled to 200 terms)</p>
{bar_chart(lex_rows, threshold=None)}
</body></html>
"""
