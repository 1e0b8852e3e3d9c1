// lingxi console: the user's pages (playground, events and profile, consents) registered in LX.pages.
(() => {
  "use strict";
  const { boot, S, $, el, toast, call, api, sse, fmtTime, cred, verdictName } = window.LX;

  // ---- playground ----
  let models = {};
  function tierOf(name) {
    const m = models[name];
    if (!m) return "";
    if (m.provider === "lite") return S.tier_lite;
    return m.locality === "cloud" ? S.tier_cloud : S.tier_on_device;
  }

  function showMeta(model, ans) {
    const dl = $("pg-meta");
    dl.replaceChildren();
    const add = (k, v, id) => dl.append(el("dt", {}, k), el("dd", { id }, v));
    const kind = ans.model_kind === "llm" ? S.kind_llm : ans.model_kind === "classical" ? S.kind_classical : "";
    add(S.answered_by, model || ans.model || "", "pg-model-used");
    add(S.tier, [tierOf(model || ans.model), kind].filter(Boolean).join(" · "), "pg-tier");
    add(S.ai_label, ans.label || S.none, "pg-label");
    const screen = (s) => (s ? verdictName(s.verdict) + (s.risks && s.risks.length ? " (" + s.risks.join(", ") + ")" : "") : "");
    if (ans.input_screen) add(S.input_screen, screen(ans.input_screen), "pg-in-screen");
    if (ans.output_screen) add(S.output_screen, screen(ans.output_screen), "pg-out-screen");
    const fb = (ans.fallbacks || []).map((f) => (typeof f === "string" ? f : f.model + ": " + f.error));
    add(S.fallbacks, fb.length ? fb.join("; ") : S.none, "pg-fallbacks");
    if (ans.refused) add(S.refused, "✔", "pg-refused");
  }

  function resultText(r) {
    if (typeof r.text === "string") return r.text;
    if (Array.isArray(r.groups)) return r.groups.map((g) => "【" + g.app + "】" + (g.urgent ? "❗" : "") + g.summary).join("\n");
    for (const k of ["summary", "result", "answer_text", "translation"]) if (typeof r[k] === "string") return r[k];
    for (const k of ["points", "replies", "suggestions", "items", "recommendations"]) {
      if (Array.isArray(r[k])) return r[k].map((x) => "• " + (typeof x === "string" ? x : x.text || x.name || JSON.stringify(x))).join("\n");
    }
    return JSON.stringify(r, null, 2);
  }

  async function runChat(feature, values, model) {
    // the OpenAI shape requires a model: the picker's, else the service's default
    const messages = [{ role: "user", content: values.message || "" }];
    if (values.system) messages.unshift({ role: "system", content: values.system });
    const body = { model: model || boot.default_model, messages, stream: true, user: cred.user() };
    if (values.temperature !== undefined) body.temperature = values.temperature;
    if (values.max_tokens !== undefined) body.max_tokens = values.max_tokens;
    const resp = await call(feature.path, { method: "POST", body });
    let used = model;
    for await (const { data } of sse(resp)) {
      if (data === "[DONE]") break;
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(chunk.error.message_zh || chunk.error.message);
      if (chunk.model) used = chunk.model;
      const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta;
      if (delta && delta.content) $("pg-output").textContent += delta.content;
      if (chunk.lingxi) {
        showMeta(used, chunk.lingxi);
        $("pg-json").textContent = JSON.stringify(chunk, null, 2);
      }
    }
  }

  async function runFeature(feature, values, model) {
    let resp;
    if (feature.method === "GET") {
      const q = new URLSearchParams(Object.assign({ user_id: cred.user() }, values, model ? { model } : {}));
      resp = await call(feature.path + "?" + q.toString());
    } else {
      const body = Object.assign({ user_id: cred.user(), stream: true }, values);
      if (model) body.model = model;
      resp = await call(feature.path, { method: "POST", body });
    }
    const done = (r) => {
      if (!$("pg-output").textContent) $("pg-output").textContent = resultText(r);
      const ans = r.answer || r;
      showMeta(ans.model, ans);
      $("pg-json").textContent = JSON.stringify(r, null, 2);
    };
    if ((resp.headers.get("content-type") || "").includes("text/event-stream")) {
      for await (const { event, data } of sse(resp)) {
        const payload = JSON.parse(data);
        if (event === "delta") $("pg-output").textContent += payload.text;
        else if (event === "done") done(payload);
        else if (event === "error") throw new Error(boot.lang === "zh" ? payload.detail_zh : payload.detail);
      }
    } else {
      done(await resp.json());
    }
  }

  function renderFields(feature) {
    const box = $("pg-fields");
    box.replaceChildren();
    const defaults = Object.fromEntries(feature.defaults || []);
    for (const f of feature.fields) {
      const label = S["field_" + f] || f;
      const long = ["text", "message", "question", "system"].includes(f);
      const attrs = { id: "pg-f-" + f, name: f };
      if (f === "now") attrs.type = "datetime-local"; // the as-of clock: sent as an ISO instant
      if (f === "temperature") Object.assign(attrs, { type: "number", min: "0", max: "2", step: "0.1" });
      if (f === "max_tokens" || f === "k") Object.assign(attrs, { type: "number", min: "1", step: "1" });
      const input = long ? el("textarea", attrs) : el("input", attrs);
      input.value = defaults[f] || "";
      box.append(el("label", { class: long ? "block" : "" }, label, long ? el("br") : " ", input));
    }
  }

  async function playground() {
    const sel = $("pg-feature");
    if (!sel.options.length) {
      for (const f of boot.features) sel.append(el("option", { value: f.id }, boot.lang === "zh" ? f.zh : f.en));
      sel.addEventListener("change", () => renderFields(current()));
      renderFields(current());
      $("pg-form").addEventListener("submit", run);
    }
    try {
      const list = await api("/v1/models");
      models = Object.fromEntries(list.data.map((m) => [m.id, m.lingxi || {}]));
      const msel = $("pg-model");
      while (msel.options.length > 1) msel.remove(1);
      for (const m of list.data) msel.append(el("option", { value: m.id }, m.id));
    } catch (e) {
      toast(e.message);
    }
  }
  const current = () => boot.features.find((f) => f.id === $("pg-feature").value) || boot.features[0];

  async function run(ev) {
    ev.preventDefault();
    const feature = current();
    const values = {};
    for (const f of feature.fields) {
      const v = $("pg-f-" + f).value.trim();
      if (!v) continue;
      if (["k", "temperature", "max_tokens"].includes(f)) values[f] = Number(v);
      else if (f === "now") values[f] = new Date(v).toISOString();
      else values[f] = v;
    }
    $("pg-output").textContent = "";
    $("pg-meta").replaceChildren();
    $("pg-json").textContent = "";
    $("pg-run").disabled = true;
    $("pg-run").textContent = S.running;
    try {
      if (feature.kind === "chat") await runChat(feature, values, $("pg-model").value);
      else await runFeature(feature, values, $("pg-model").value);
    } catch (e) {
      $("pg-output").textContent += "\n" + S.error + ": " + e.message;
    } finally {
      $("pg-run").disabled = false;
      $("pg-run").textContent = S.run;
    }
  }

  // ---- events & profile ----
  let before = null;
  async function loadEvents(reset) {
    if (reset) {
      before = null;
      $("ev-list").replaceChildren();
    }
    const q = new URLSearchParams({ limit: "50" });
    if ($("ev-type").value) q.set("type", $("ev-type").value);
    if (before !== null) q.set("before", String(before));
    try {
      const r = await api("/v1/users/" + encodeURIComponent(cred.user()) + "/events?" + q);
      $("ev-counts").textContent = Object.entries(r.counts).map(([k, v]) => k + " " + v).join(" · ");
      for (const e of r.events) {
        $("ev-list").append(el("li", { "data-id": e.event_id }, el("span", { class: "ty" }, e.type), " ",
          el("span", { class: "muted" }, fmtTime(e.ts)), " ", e.summary_zh));
      }
      if (!$("ev-list").children.length) $("ev-list").append(el("li", { class: "muted" }, S.no_events));
      before = r.next_before;
      $("ev-more").hidden = before === null;
    } catch (e) {
      toast(e.message);
    }
  }

  function factList(title, facts, evidence, label) {
    if (!facts || !facts.length) return null;
    return el("div", { class: "facts" }, el("h3", {}, title), el("ul", {}, facts.map((f) =>
      el("li", { class: "fact" }, label(f), " ",
        el("details", { class: "why" }, el("summary", {}, S.why), el("p", {}, f.explanation_zh),
          el("div", { class: "muted" }, S.evidence + ":"),
          el("ul", {}, (f.event_ids || []).map((id) => el("li", {}, evidence[id] ? fmtTime(evidence[id].ts) + " " + evidence[id].summary_zh : id))))))));
  }

  async function loadProfile() {
    try {
      const r = await api("/v1/users/" + encodeURIComponent(cred.user()) + "/profile");
      const p = r.profile, ev = r.evidence;
      const notes = [];
      if (r.non_personalized) notes.push(S.np_on);
      if (r.payments_hidden) notes.push(S.payments_hidden);
      $("pf-note").hidden = !notes.length;
      $("pf-note").textContent = notes.join(" ");
      const named = (f) => f.name + " ×" + f.count;
      $("pf-body").replaceChildren(...[
        factList(S.categories, p.categories, ev, named),
        factList(S.brands, p.brands, ev, named),
        factList(S.price_bands, p.price_bands, ev, (b) => b.category + " ¥" + (b.median_fen / 100).toFixed(0)),
        factList(S.peak_hours, p.peak_hours, ev, (h) => h.hour + ":00–" + (h.hour + 1) + ":00 ×" + h.count),
        factList(S.contacts_incoming, p.contacts_incoming, ev, named),
        factList(S.contacts_outgoing, p.contacts_outgoing, ev, named),
        factList(S.merchants, p.merchants, ev, (f) => f.name + " ¥" + (f.total_fen / 100).toFixed(2)),
        factList(S.spend_categories, p.spend_categories, ev, (f) => f.name + " ¥" + (f.total_fen / 100).toFixed(2)),
      ].filter(Boolean));
    } catch (e) {
      toast(e.message);
    }
  }

  function events() {
    if (!events.wired) {
      events.wired = true;
      $("ev-load").addEventListener("click", () => loadEvents(true));
      $("ev-type").addEventListener("change", () => loadEvents(true));
      $("ev-more").addEventListener("click", () => loadEvents(false));
    }
    loadEvents(true);
    loadProfile();
  }

  // ---- consents, export, delete ----
  let consent = null;
  const userPath = () => "/v1/users/" + encodeURIComponent(cred.user());
  function showConsent(c) {
    consent = c;
    for (const s of boot.scopes) $("cs-" + s.id).checked = c.scopes.includes(s.id);
    $("cs-np").checked = c.non_personalized;
  }

  function consents() {
    if (!consents.wired) {
      consents.wired = true;
      $("cs-form").addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const checked = boot.scopes.map((s) => s.id).filter((id) => $("cs-" + id).checked);
        const body = {
          grant: checked.filter((id) => !consent.scopes.includes(id)),
          withdraw: consent.scopes.filter((id) => !checked.includes(id)),
          non_personalized: $("cs-np").checked,
          source: "console",
        };
        $("cs-status").textContent = S.saving; // never a stale 已保存 while this save is in flight
        try {
          showConsent(await api(userPath() + "/consents", { method: "PUT", body }));
          $("cs-status").textContent = S.saved;
        } catch (e) {
          $("cs-status").textContent = S.error + ": " + e.message;
        }
      });
      $("cs-export").addEventListener("click", async () => {
        try {
          const data = await api(userPath() + "/export");
          const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
          const a = el("a", { href: URL.createObjectURL(blob), download: "lingxi-export-" + cred.user() + ".json" });
          document.body.append(a);
          a.click();
          a.remove();
          $("cs-rights-status").textContent = S.exported;
        } catch (e) {
          $("cs-rights-status").textContent = S.error + ": " + e.message;
        }
      });
      $("cs-delete").addEventListener("click", async () => {
        if (!window.confirm(S.delete_confirm)) {
          $("cs-rights-status").textContent = S.cancelled;
          return;
        }
        try {
          const receipt = await api(userPath(), { method: "DELETE" });
          $("cs-rights-status").textContent = S.deleted;
          $("cs-receipt").hidden = false;
          $("cs-receipt").textContent = JSON.stringify(receipt, null, 2);
          showConsent(await api(userPath() + "/consents"));
        } catch (e) {
          $("cs-rights-status").textContent = S.error + ": " + e.message;
        }
      });
    }
    api(userPath() + "/consents").then(showConsent, (e) => toast(e.message));
  }

  Object.assign(window.LX.pages, { playground, events, consents });
})();
