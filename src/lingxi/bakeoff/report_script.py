"""The bake-off report's one inline script, and its CSP hash.

The console shows the report in an ``srcdoc`` iframe, which inherits the console's Content-Security-Policy
(scripts from ``'self'`` only): an inline script is blocked there unless the policy names its hash. So the
script is one constant — its data travel in a ``<script type="application/json">`` block, which is never
executed — and :data:`SCRIPT_CSP_HASH` goes into the console's ``script-src``
(:mod:`lingxi.server.browser`). The report file opened on its own runs it as before.
"""

from __future__ import annotations

import base64
import hashlib

#: re-ranks the scorecard when the reader changes a weight (the data: ``#dims``, per provider and dimension)
REPORT_SCRIPT = """
const DIMS = JSON.parse(document.getElementById("dims").textContent);
function rerank() {
  const w = {};
  document.querySelectorAll("input.weight").forEach(i => { w[i.dataset.dim] = Math.max(0, parseFloat(i.value) || 0); });
  const wsum = Object.values(w).reduce((a, b) => a + b, 0) || 1;
  const body = document.querySelector("#scorecard tbody");
  const rows = Array.from(body.querySelectorAll("tr"));
  rows.filter(r => !r.classList.contains("notrun")).forEach(r => {
    const d = DIMS[r.dataset.provider];
    r.dataset.total = Object.keys(w).reduce((s, k) => s + w[k] * (d[k] || 0), 0) / wsum;
    r.querySelector(".total").textContent = Number(r.dataset.total).toFixed(3);
  });
  const ranked = rows.filter(r => !r.classList.contains("baseline") && !r.classList.contains("notrun"));
  ranked.sort((a, b) => b.dataset.total - a.dataset.total).forEach((r, n) => {
    r.querySelector(".rank").textContent = n + 1; body.appendChild(r);
  });
  rows.filter(r => r.classList.contains("notrun")).forEach(r => body.appendChild(r));  // nothing to rank
  rows.filter(r => r.classList.contains("baseline")).forEach(r => body.appendChild(r));  // the floor stays last
}
document.querySelectorAll("input.weight").forEach(i => i.addEventListener("input", rerank));
"""

#: ``'sha256-…'`` of :data:`REPORT_SCRIPT` for a CSP ``script-src``
SCRIPT_CSP_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(REPORT_SCRIPT.encode()).digest()).decode() + "'"
