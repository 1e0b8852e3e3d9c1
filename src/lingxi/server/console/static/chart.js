// lingxi console: bar charts as inline SVG built with DOM calls (no library, no CDN, nothing for the CSP to
// forbid). Labels stay text, so Chinese renders with the browser's own fonts.
(() => {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // bars(data, series): data is [{label, values: {series_key: number}}]; series is [{key, name, color}].
  // Grouped bars per label, a y axis with its maximum, a legend; each bar carries data-label/data-series/data-value.
  function bars(data, series, opts) {
    const o = Object.assign({ width: 760, height: 220, title: "" }, opts || {});
    const pad = { l: 48, r: 12, t: 28, b: 42 };
    const w = o.width - pad.l - pad.r, h = o.height - pad.t - pad.b;
    const max = Math.max(1, ...data.flatMap((d) => series.map((s) => d.values[s.key] || 0)));
    const root = svg("svg", { viewBox: `0 0 ${o.width} ${o.height}`, width: "100%", role: "img", "aria-label": o.title, class: "bars" });
    if (o.title) root.append(svg("title", {}, o.title));
    root.append(svg("line", { x1: pad.l, y1: pad.t + h, x2: pad.l + w, y2: pad.t + h, stroke: "#d0d7de" }));
    root.append(svg("text", { x: pad.l - 6, y: pad.t + 4, "text-anchor": "end", "font-size": 11, fill: "#6e7781" }, String(max)));
    root.append(svg("text", { x: pad.l - 6, y: pad.t + h, "text-anchor": "end", "font-size": 11, fill: "#6e7781" }, "0"));
    const slot = w / Math.max(1, data.length);
    const bw = Math.max(2, (slot * 0.8) / series.length);
    data.forEach((d, i) => {
      series.forEach((s, j) => {
        const v = d.values[s.key] || 0;
        const bh = (v / max) * h;
        const bar = svg("rect", { x: pad.l + i * slot + slot * 0.1 + j * bw, y: pad.t + h - bh, width: bw - 1, height: bh, fill: s.color,
          "data-label": d.label, "data-series": s.key, "data-value": v });
        bar.append(svg("title", {}, `${d.label} · ${s.name}: ${v}`));
        root.append(bar);
      });
      const every = Math.ceil(data.length / 10); // at most ~10 labels on the axis
      if (i % every === 0 || i === data.length - 1) {
        root.append(svg("text", { x: pad.l + i * slot + slot / 2, y: pad.t + h + 16, "text-anchor": "middle", "font-size": 11, fill: "#1f2328" }, d.label));
      }
    });
    series.forEach((s, j) => {
      const x = pad.l + j * 130;
      root.append(svg("rect", { x, y: 6, width: 12, height: 12, fill: s.color }));
      root.append(svg("text", { x: x + 16, y: 16, "font-size": 12, fill: "#1f2328" }, s.name));
    });
    return root;
  }

  window.LX.chart = { bars };
})();
