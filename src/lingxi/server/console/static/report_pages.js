// lingxi console: complaints, the compliance self-assessment and the bake-off report, registered in LX.pages.
(() => {
  "use strict";
  const { boot, S, $, el, toast, call, api, fmtTime } = window.LX;

  // ---- complaints ----
  async function showComplaint(id) {
    try {
      const c = await api("/v1/complaints/" + encodeURIComponent(id));
      $("cp-detail").hidden = false;
      $("cp-detail").dataset.id = c.id;
      $("cp-title").textContent = c.id + " · " + c.category;
      $("cp-contact").textContent = c.contact;
      $("cp-status").textContent = boot.lang === "zh" ? c.status_zh : c.status;
      $("cp-text").textContent = c.text;
      $("cp-history").replaceChildren(...c.history.map((h) => el("li", {}, fmtTime(Date.parse(h.ts)) + " " + (boot.statuses[h.status] || h.status) + " " + h.note + " (" + h.actor + ")")));
    } catch (e) {
      toast(e.message);
    }
  }

  async function complaints() {
    if (!complaints.wired) {
      complaints.wired = true;
      for (const [s, name] of Object.entries(boot.statuses)) {
        $("cp-filter").append(el("option", { value: s }, name));
        $("cp-new-status").append(el("option", { value: s }, name));
      }
      $("cp-filter").addEventListener("change", complaints);
      $("cp-change").addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const id = $("cp-detail").dataset.id;
        try {
          await api("/v1/complaints/" + encodeURIComponent(id), {
            method: "PATCH", body: { status: $("cp-new-status").value, note: $("cp-note").value, actor: "console" },
          });
          await showComplaint(id);
          await complaints();
        } catch (e) {
          toast(e.message);
        }
      });
    }
    try {
      const f = $("cp-filter").value;
      const r = await api("/v1/complaints" + (f ? "?status=" + f : ""));
      $("cp-empty").hidden = r.complaints.length > 0;
      $("cp-rows").replaceChildren(...r.complaints.map((c) => el("tr", { "data-id": c.id, onclick: () => showComplaint(c.id) },
        el("td", {}, c.id), el("td", {}, c.category), el("td", { class: "st" }, boot.lang === "zh" ? c.status_zh : c.status),
        el("td", {}, fmtTime(Date.parse(c.created))))));
    } catch (e) {
      toast(e.message);
    }
  }

  // ---- compliance report, bake-off report ----
  async function compliance() {
    try {
      const f = await api("/v1/compliance/filing");
      $("co-filing").textContent = f.display_zh || S.filing_missing + (f.missing_zh || []).join("、");
    } catch (e) {
      toast(e.message);
    }
    try {
      const r = await api("/v1/admin/assessment");
      if (!r.report) {
        $("co-none").hidden = false;
        $("co-none").textContent = S.no_report + " — " + (r.hint_zh || "");
        return;
      }
      $("co-meta").textContent = [r.report.standard, r.report.model, r.report.generated_at].filter(Boolean).join(" · ");
      $("co-table").hidden = false;
      $("co-rows").replaceChildren(...(r.report.checks || []).map((c) => el("tr", {},
        el("td", {}, boot.lang === "zh" ? c.title_zh : c.title_en || c.title_zh), el("td", {}, c.required), el("td", {}, c.actual),
        el("td", { class: c.ok ? "ok" : "bad" }, c.ok ? S.pass : S.fail))));
      if (r.html_url) { // the table above is the report; the full HTML is a download, not a second copy
        const btn = $("co-html");
        btn.hidden = false;
        btn.onclick = async () => {
          const blob = await (await call(r.html_url)).blob();
          const a = el("a", { href: URL.createObjectURL(blob), download: "assessment-report.html" });
          document.body.append(a);
          a.click();
          a.remove();
        };
      }
    } catch (e) {
      toast(e.message);
    }
  }

  async function bakeoff() {
    try {
      const r = await api("/v1/admin/bakeoff");
      if (!r.report_url) {
        $("bo-none").hidden = false;
        $("bo-none").textContent = S.no_report + " — " + (r.hint_zh || "");
        return;
      }
      // fetched with the sign-in headers (an iframe src could not send them), shown via srcdoc
      // sized to its content once loaded (srcdoc is same-origin): no fixed-height frame hiding the charts
      const frame = $("bo-frame");
      const fit = () => {
        const doc = frame.contentDocument;
        if (doc && doc.documentElement) frame.style.height = doc.documentElement.scrollHeight + 24 + "px";
      };
      frame.addEventListener("load", () => {
        fit();
        if (window.ResizeObserver && frame.contentDocument) new ResizeObserver(fit).observe(frame.contentDocument.documentElement);
      });
      frame.hidden = false;
      frame.srcdoc = await (await call(r.report_url)).text();
    } catch (e) {
      toast(e.message);
    }
  }

  Object.assign(window.LX.pages, { complaints, compliance, bakeoff });
})();
