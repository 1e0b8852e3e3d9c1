// lingxi console: the operator's pages (usage and spend, request log, model health, keys and quotas, user
// directory, audit log), registered in LX.pages. They are shown only to an admin credential (console.js).
(() => {
  "use strict";
  const { boot, S, $, el, toast, api, fmtTime, verdictName, stateName, yuan, short, appName, msOf, rows } = window.LX;
  const auditLink = (id) => (id ? el("a", { href: "/console/audit?id=" + encodeURIComponent(id), class: "audit-link" }, short(id) + "…") : "");
  const tokens = (r) => (r.prompt_tokens || 0) + (r.completion_tokens || 0);
  const userLink = (ref) => el("a", { href: "/console/requests?user=" + ref, class: "user-ref", title: ref }, short(ref));
  const verdictCell = (v) => el("td", { class: "verdict " + (v === "pass" ? "ok" : "bad"), "data-verdict": v }, verdictName(v));

  // ---- usage and spend ----
  async function usage() {
    if (!usage.wired) {
      usage.wired = true;
      $("us-load").addEventListener("click", usage);
    }
    try {
      const q = $("us-day").value ? "?day=" + $("us-day").value : "";
      const r = await api("/v1/admin/usage" + q);
      $("us-day").value = r.day;
      $("us-requests").textContent = r.total.requests;
      $("us-tokens").textContent = tokens(r.total);
      $("us-cost").textContent = yuan(r.total.cost_cny);
      $("us-blocked").textContent = r.total.blocked;
      $("us-chart").replaceChildren(window.LX.chart.bars(
        r.series.map((d) => ({ label: d.day.slice(5), values: { requests: d.requests, blocked: d.blocked } })),
        [{ key: "requests", name: S.requests, color: "#0b6bcb" }, { key: "blocked", name: S.blocked, color: "#c62828" }],
        { title: S.per_day }));
      rows("us-app-model", r.by_app_model, (x) => el("tr", { "data-app": x.app_id, "data-model": x.model },
        el("td", {}, appName(x.app_id)), el("td", {}, x.model), el("td", { class: "n-req" }, x.requests),
        el("td", { class: "n-tok" }, tokens(x)), el("td", {}, yuan(x.cost_cny)), el("td", { class: "n-blk" }, x.blocked)));
      $("us-model-chart").replaceChildren(window.LX.chart.bars(
        r.by_app_model.map((x) => ({ label: x.model, values: { tokens: tokens(x) } })),
        [{ key: "tokens", name: S.tokens, color: "#2e7d32" }], { title: S.by_app_model, height: 180 }));
      rows("us-users", r.by_user, (x) => el("tr", { "data-user": x.user_ref }, el("td", {}, userLink(x.user_ref)),
        el("td", { class: "n-req" }, x.requests), el("td", { class: "n-tok" }, tokens(x)), el("td", {}, yuan(x.cost_cny)),
        el("td", { class: "n-blk" }, x.blocked)));
      rows("us-features", r.by_feature, (x) => el("tr", {}, el("td", {}, x.feature), el("td", {}, x.requests),
        el("td", {}, tokens(x)), el("td", {}, x.blocked)));
      $("us-no-blocked").hidden = r.blocked.length > 0;
      rows("us-blocked-rows", r.blocked, (x) => el("tr", { "data-audit": x.audit_id || "" }, el("td", {}, fmtTime(x.ts)),
        el("td", {}, userLink(x.user_ref)), el("td", {}, appName(x.app_id)), el("td", {}, x.feature), el("td", {}, x.model),
        verdictCell(x.verdict), el("td", {}, x.risks), el("td", {}, auditLink(x.audit_id))));
    } catch (e) {
      toast(e.message);
    }
  }

  // ---- request log ----
  async function requests() {
    const url = new URLSearchParams(location.search);
    if (!requests.wired) {
      requests.wired = true;
      if (url.get("user")) $("rq-user").value = url.get("user");
      $("rq-form").addEventListener("submit", (ev) => {
        ev.preventDefault();
        requests();
      });
    }
    const q = new URLSearchParams({ limit: "200" });
    const put = (k, v) => v !== null && v !== "" && q.set(k, v);
    put("user", $("rq-user").value.trim());
    put("app", $("rq-app").value);
    put("feature", $("rq-feature").value);
    put("model", $("rq-model").value);
    put("verdict", $("rq-verdict").value);
    put("since", msOf("rq-since"));
    put("until", msOf("rq-until"));
    try {
      const r = await api("/v1/admin/requests?" + q);
      const fill = (id, values, name) => {
        const sel = $(id), keep = sel.value;
        while (sel.options.length > 1) sel.remove(1);
        for (const v of values) sel.append(el("option", { value: v }, name ? name(v) : v));
        sel.value = keep;
      };
      fill("rq-app", r.facets.app_id, appName);
      fill("rq-feature", r.facets.feature);
      fill("rq-model", r.facets.model);
      fill("rq-verdict", ["blocked", ...r.verdicts], (v) => (v === "blocked" ? S.v_block : verdictName(v)));
      $("rq-count").textContent = r.requests.length + " " + S.found;
      rows("rq-rows", r.requests, (x) => el("tr", { "data-request": x.request_id }, el("td", {}, fmtTime(x.ts)),
        el("td", {}, userLink(x.user_ref)), el("td", {}, appName(x.app_id)), el("td", {}, x.feature), el("td", {}, x.model),
        el("td", {}, tokens(x)), el("td", {}, yuan(x.cost_cny)), verdictCell(x.verdict), el("td", {}, auditLink(x.audit_id))));
    } catch (e) {
      toast(e.message);
    }
  }

  // ---- model health ----
  async function health() {
    try {
      const r = await api("/v1/admin/health");
      rows("hl-rows", r.models, (m) => el("tr", { "data-model": m.name },
        el("td", {}, m.name + (m.default ? S.default_mark : "")), el("td", {}, m.provider),
        el("td", {}, m.provider === "lite" ? S.tier_lite : S["loc_" + m.locality] || m.locality),
        el("td", {}, m.kind === "llm" ? S.kind_llm : S.kind_classical),
        el("td", { class: "state " + (m.state === "closed" ? "ok" : "bad"), "data-state": m.state }, stateName(m.state)),
        el("td", {}, m.consecutive_failures), el("td", {}, m.p50_ttft_ms === null ? "—" : m.p50_ttft_ms.toFixed(1) + " ms"),
        el("td", { class: "n-req" }, m.requests_today), el("td", {}, m.errors_today), el("td", {}, m.blocked_today),
        el("td", { class: "muted" }, m.last_error || "")));
    } catch (e) {
      toast(e.message);
    }
  }

  // ---- keys and quotas ----
  const scopeName = (s) => S["sc_" + s] || s;
  function scopeBoxes(all, chosen, prefix) {
    return all.map((s) => el("label", {}, el("input", Object.assign({ type: "checkbox", value: s, class: prefix }, chosen.includes(s) ? { checked: "" } : {})), " ", scopeName(s)));
  }
  async function keys() {
    try {
      const r = await api("/v1/admin/keys");
      if (!keys.wired) {
        keys.wired = true;
        $("ky-scopes").replaceChildren(...scopeBoxes(r.scopes, ["features"], "ky-new-scope"));
        $("ky-form").addEventListener("submit", async (ev) => {
          ev.preventDefault();
          const scopes = [...document.querySelectorAll(".ky-new-scope:checked")].map((c) => c.value);
          try {
            const k = await api("/v1/admin/keys", { method: "POST", body: { app_id: $("ky-app").value.trim(), scopes } });
            $("ky-new").hidden = false;
            $("ky-plain").textContent = k.key;
            keys();
          } catch (e) {
            toast(e.message);
          }
        });
      }
      const def = r.default_daily_tokens;
      $("ky-default").textContent = S.default_quota + (def > 0 ? def : S.unlimited);
      $("ky-empty").hidden = r.keys.length > 0;
      rows("ky-rows", r.keys, (k) => {
        const boxes = scopeBoxes(r.scopes, k.scopes, "ky-scope");
        const save = el("button", { type: "button", class: "ky-save", onclick: async () => {
          const scopes = boxes.map((b) => b.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
          try {
            await api("/v1/admin/keys/" + k.key_id + "/scopes", { method: "PUT", body: { scopes } });
            keys();
          } catch (e) {
            toast(e.message);
          }
        } }, S.save_scopes);
        const revoke = el("button", { type: "button", class: "danger ky-revoke", onclick: async () => {
          if (!window.confirm(S.revoke_confirm)) return;
          try {
            await api("/v1/admin/keys/" + k.key_id + "/revoke", { method: "POST" });
            keys();
          } catch (e) {
            toast(e.message);
          }
        } }, S.revoke);
        return el("tr", { "data-key": k.key_id, "data-prefix": k.prefix }, el("td", {}, el("code", {}, k.prefix + "…")),
          el("td", {}, k.app_id), el("td", { class: "scopes" }, k.active ? boxes : k.scopes.map(scopeName).join("、")),
          el("td", {}, fmtTime(k.created_ms)),
          el("td", { class: k.active ? "ok state" : "bad state" }, k.active ? S.active : S.revoked + " " + fmtTime(k.revoked_ms)),
          el("td", {}, k.active ? [save, " ", revoke] : ""));
      });
      rows("ky-apps", r.apps, (a) => {
        const input = el("input", { type: "number", min: "0", step: "1000", value: String(a.daily_tokens), class: "ky-quota" });
        const put = async (value) => {
          try {
            await api("/v1/admin/quotas/" + encodeURIComponent(a.app_id), { method: "PUT", body: { daily_tokens: value } });
            keys();
          } catch (e) {
            toast(e.message);
          }
        };
        return el("tr", { "data-app": a.app_id }, el("td", {}, a.app_id), el("td", { class: "n-tok" }, a.used_today),
          el("td", {}, input, a.custom ? " (" + S.custom + ")" : ""),
          el("td", {}, el("button", { type: "button", class: "ky-quota-save", onclick: () => put(Number(input.value)) }, S.save),
            " ", a.custom ? el("button", { type: "button", onclick: () => put(null) }, S.reset) : ""));
      });
    } catch (e) {
      toast(e.message);
    }
  }

  // ---- user directory ----
  const scopeNames = Object.fromEntries(boot.scopes.map((s) => [s.id, s.name]));
  async function users() {
    if (!users.wired) {
      users.wired = true;
      $("ud-form").addEventListener("submit", (ev) => {
        ev.preventDefault();
        users();
      });
    }
    try {
      const q = $("ud-q").value.trim();
      const r = await api("/v1/admin/users" + (q ? "?q=" + encodeURIComponent(q) : ""));
      $("ud-count").textContent = r.users.length + " / " + r.total;
      rows("ud-rows", r.users, (u) => el("tr", { "data-user": u.user_ref }, el("td", {}, userLink(u.user_ref)),
        el("td", {}, u.masked_id), el("td", { class: "scopes" }, u.scopes.map((s) => scopeNames[s] || s).join("、") || S.none),
        el("td", {}, u.non_personalized ? S.yes : S.no),
        el("td", {}, (S["age_" + u.age_band] || u.age_band) + (u.needs_guardian_consent ? S.guardian_needed : "")),
        el("td", {}, u.owner_app || "—"), el("td", {}, u.events), el("td", { class: "n-req" }, u.requests_today),
        el("td", {}, u.last_request_ms ? fmtTime(u.last_request_ms) : "—")));
    } catch (e) {
      toast(e.message);
    }
  }

  // ---- audit log, with filters; /console/audit?id=... opens one record (the request log links there) ----
  async function audit() {
    if (!audit.wired) {
      audit.wired = true;
      const url = new URLSearchParams(location.search);
      if (url.get("id")) $("au-id").value = url.get("id");
      $("au-form").addEventListener("submit", (ev) => {
        ev.preventDefault();
        audit();
      });
      $("au-verify").addEventListener("click", async () => {
        try {
          const r = await api("/v1/admin/audit/verify");
          $("au-result").className = r.ok ? "ok" : "bad";
          $("au-result").textContent = r.ok ? S.verify_ok : S.verify_bad + r.first_broken;
        } catch (e) {
          $("au-result").textContent = S.error + ": " + e.message;
        }
      });
    }
    const q = new URLSearchParams({ limit: "200" });
    const put = (k, v) => v !== null && v !== "" && q.set(k, v);
    put("feature", $("au-feature").value);
    put("verdict", $("au-verdict").value);
    put("model", $("au-model").value.trim());
    put("user", $("au-user").value.trim());
    put("since", msOf("au-since"));
    put("id", $("au-id").value.trim());
    try {
      const r = await api("/v1/admin/audit?" + q);
      const sel = $("au-feature"), keep = sel.value;
      while (sel.options.length > 1) sel.remove(1);
      for (const f of r.features) sel.append(el("option", { value: f }, f));
      sel.value = keep;
      const screen = (v, risks) => verdictName(v || "") + (risks && risks.length ? " (" + risks.join(", ") + ")" : "");
      rows("au-rows", r.entries, (e) => el("tr", { "data-id": e.id }, el("td", {}, fmtTime(e.ts)), el("td", {}, el("code", {}, short(e.id))),
        el("td", {}, e.user_ref ? userLink(e.user_ref) : ""), el("td", {}, e.feature || e.kind || ""),
        el("td", {}, (e.model || "") + (e.model_kind ? " (" + (e.model_kind === "llm" ? S.kind_llm : S.kind_classical) + ")" : "")),
        el("td", { class: e.input_verdict === "block" ? "bad" : "" }, e.input_verdict ? screen(e.input_verdict, e.input_risks) : ""),
        el("td", { class: e.output_verdict === "block" ? "bad" : "" }, e.output_verdict ? screen(e.output_verdict, e.output_risks) : ""),
        el("td", {}, (e.refused ? S.refused_mark : "") + (e.label ? (e.refused ? " · " : "") + e.label : ""))));
    } catch (e) {
      toast(e.message);
    }
  }

  Object.assign(window.LX.pages, { usage, requests, health, keys, users, audit });
})();
