// LightS3 admin UI, shared core: the namespace every other file adds to, the DOM helper, HTTP, dialogs and the OpenAPI
// lookups. Plain scripts, no build step; values from records are only ever set as text (textContent), never as HTML.
(function () {
  "use strict";
  const A = window.LightS3Admin = {};
  A.OPENAPI = document.body.dataset.openapi;
  A.AUTH = document.body.dataset.auth || "/auth";
  A.TOKEN_KEY = "lights3.admin.token";
  A.main = document.getElementById("main");
  A.state = { token: sessionStorage.getItem(A.TOKEN_KEY), spec: null, collections: [], user: null, live: null };

  /** Builds an element; `text` sets textContent, children that are not nodes become text nodes. */
  A.el = function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "text") node.textContent = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  };
  const el = A.el;
  A.show = function (...nodes) { A.main.replaceChildren(...nodes); A.main.focus(); };
  A.toast = function (text) {
    const t = document.getElementById("toast");
    t.textContent = text; t.hidden = false;
    clearTimeout(A.toast.timer); A.toast.timer = setTimeout(() => { t.hidden = true; }, 3500);
  };
  /** A confirmation dialog; resolves true on OK. `ok` names the button (Delete by default). */
  A.confirmDialog = function (text, ok = "Delete", title = "Are you sure?") {
    const modal = document.getElementById("confirm");
    document.getElementById("confirm-title").textContent = title;
    document.getElementById("confirm-text").textContent = text;
    const okButton = document.getElementById("confirm-ok"), cancel = document.getElementById("confirm-cancel");
    okButton.textContent = ok;
    modal.hidden = false;
    okButton.focus();
    return new Promise(resolve => {
      const done = answer => { modal.hidden = true; okButton.onclick = cancel.onclick = modal.onkeydown = null; resolve(answer); };
      okButton.onclick = () => done(true); cancel.onclick = () => done(false);
      modal.onkeydown = e => { if (e.key === "Escape") done(false); };
    });
  };

  // ---------- HTTP ----------
  class ApiError extends Error {
    constructor(status, problem) { super((problem && (problem.detail || problem.title)) || "HTTP " + status); this.status = status; this.problem = problem || {}; }
  }
  A.ApiError = ApiError;
  function headersFor(headers, auth, json) {
    const h = Object.assign({ Accept: "application/json" }, headers);
    if (auth && A.state.token) h.Authorization = "Bearer " + A.state.token;
    if (json) h["Content-Type"] = "application/json";
    return h;
  }
  /** The raw response of an authorized call (downloads, streams); throws ApiError on a non-2xx answer. */
  A.fetchRaw = async function (method, path, { headers, body, signal, auth = true } = {}) {
    let response;
    try { response = await fetch(path, { method, headers: headersFor(headers, auth, false), body, signal }); }
    catch (e) { if (e.name === "AbortError") throw e; throw new ApiError(0, { detail: "The server could not be reached." }); }
    if (!response.ok) {
      const text = await response.text();
      let data; try { data = JSON.parse(text); } catch { data = { detail: text }; }
      if (response.status === 401 && auth && A.state.token) A.signOut("Your session has expired. Please sign in again.");
      throw new ApiError(response.status, data);
    }
    return response;
  };
  /** A JSON call: `{ data, etag }`, or ApiError with the problem document. */
  A.api = async function (method, path, { body, headers, auth = true } = {}) {
    let response;
    try { response = await fetch(path, { method, headers: headersFor(headers, auth, body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) }); }
    catch (e) { throw new ApiError(0, { detail: "The server could not be reached." }); }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
    if (!response.ok) {
      if (response.status === 401 && auth && A.state.token) A.signOut("Your session has expired. Please sign in again.");
      throw new ApiError(response.status, data);
    }
    return { data, etag: response.headers.get("ETag") };
  };
  A.describe = function (err) {
    if (err.status === 403) return "You do not have permission to do this.";
    return err.message;
  };
  /** Saves a blob under a file name through a temporary object URL. */
  A.saveBlob = function (blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name || "download" });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  };

  // ---------- OpenAPI ----------
  A.resolve = function (schema) {
    let s = schema;
    while (s && s.$ref) s = s.$ref.split("/").slice(1).reduce((o, k) => o && o[k], A.state.spec);
    return s || {};
  };
  A.typesOf = function (s) { return [].concat(s.type || []); };
  A.label = function (name) { return String(name).replace(/_/g, " "); };
  A.collectionByPath = function (path) { return A.state.collections.find(c => c.path === path); };
  A.itemUrl = function (c, id) { return c.itemPath + encodeURIComponent(id); };
  A.formatTime = function (iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString();
  };
})();
