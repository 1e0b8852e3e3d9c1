// lingxi console core: plain DOM + fetch, no build step. Every call goes through api(), which adds the
// sign-in box's headers (Authorization: Bearer <key>, X-Lingxi-User, X-Lingxi-Admin), kept in sessionStorage.
// The other files register their pages in LX.pages; the page runs once they are all loaded (DOMContentLoaded).
(() => {
  "use strict";
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const S = boot.strings;
  const $ = (id) => document.getElementById(id);
  const store = window.sessionStorage;
  const cred = {
    key: () => store.getItem("lingxi.key") || "",
    user: () => store.getItem("lingxi.user") || "demo-user",
    admin: () => store.getItem("lingxi.admin") || "",
  };

  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined) node.append(kid);
    return node;
  }

  function toast(msg) {
    const t = $("toast");
    t.textContent = msg;
    t.style.display = "block";
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => (t.style.display = "none"), 4000);
  }

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    if (cred.key()) h.Authorization = "Bearer " + cred.key();
    h["X-Lingxi-User"] = cred.user();
    if (cred.admin()) h["X-Lingxi-Admin"] = cred.admin();
    return h;
  }

  // fetch with the sign-in headers; problem JSON becomes an Error carrying the Chinese/English detail.
  async function call(path, opts) {
    opts = opts || {};
    const init = { method: opts.method || "GET", headers: headers(opts.body ? { "Content-Type": "application/json" } : {}) };
    if (opts.body) init.body = JSON.stringify(opts.body);
    const resp = await fetch(path, init);
    if (!resp.ok) {
      let msg = resp.status + " " + resp.statusText;
      try {
        const p = await resp.json();
        msg = (boot.lang === "zh" ? p.detail_zh || p.detail : p.detail || p.detail_zh) || msg;
      } catch (e) { /* not JSON */ }
      throw new Error(msg);
    }
    return resp;
  }
  const api = async (path, opts) => (await call(path, opts)).json();

  // Server-Sent Events from a fetch response: yields {event, data} per block.
  async function* sse(resp) {
    const reader = resp.body.getReader();
    const dec = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let event = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        }
        if (data.length) yield { event, data: data.join("\n") };
      }
    }
  }

  const fmtTime = (ms) => new Date(ms).toLocaleString(boot.lang === "zh" ? "zh-CN" : "en-GB", { hour12: false });

  // ---- sign-in box ----
  function initSignin() {
    $("signin-key").value = cred.key();
    $("signin-user").value = cred.user();
    $("signin-admin").value = cred.admin();
    $("signin-who").textContent = cred.user();
    $("signin-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      store.setItem("lingxi.key", $("signin-key").value.trim());
      store.setItem("lingxi.user", $("signin-user").value.trim() || "demo-user");
      store.setItem("lingxi.admin", $("signin-admin").value.trim());
      $("signin-who").textContent = cred.user();
      $("signin-status").textContent = S.signin_saved;
      start();
    });
  }

  // ---- admin gate: admin pages are listed and shown only to a credential with the admin scope ----
  async function isAdmin() {
    try {
      return (await api("/v1/auth/whoami")).admin === true;
    } catch (e) {
      return false; // no key yet, or a key without the features scope: not an admin either way
    }
  }

  async function start() {
    const admin = await isAdmin();
    for (const a of document.querySelectorAll("nav a.admin")) a.hidden = !admin;
    document.body.dataset.gate = admin ? "admin" : "user"; // the gate has decided (tests wait on this)
    const gated = boot.admin_pages.includes(boot.page);
    if (gated) {
      $("page").hidden = !admin;
      $("admin-only").hidden = admin;
      if (!admin) return;
    }
    const run = window.LX.pages[boot.page];
    if (run) run();
  }

  // status codes as words in the page's language (never English codes in the Chinese console)
  const verdictName = (v) => S["v_" + v] || v;
  const stateName = (v) => S["st_" + v] || v;
  const yuan = (x) => "¥" + Number(x || 0).toFixed(4).replace(/0{1,2}$/, "");
  const short = (ref) => (ref || "").slice(0, 8);
  const appName = (a) => (a === "-" ? S.no_app : a);
  const msOf = (id) => ($(id).value ? new Date($(id).value).getTime() : null);
  const rows = (tbody, list, make) => $(tbody).replaceChildren(...list.map(make));

  window.LX = { boot, S, $, el, toast, call, api, sse, fmtTime, cred, verdictName, stateName, yuan, short, appName, msOf, rows, pages: {} };
  document.addEventListener("DOMContentLoaded", () => {
    initSignin();
    start();
  });
})();

