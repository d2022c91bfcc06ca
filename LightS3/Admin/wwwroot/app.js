// LightS3 admin UI: a dependency-free single-page app over the app's OpenAPI document and REST API.
// Every data call carries the signed-in user's bearer token; the API enforces permissions.
(function () {
  "use strict";

  const OPENAPI = document.body.dataset.openapi;
  const AUTH = document.body.dataset.auth || "/auth";
  const TOKEN_KEY = "lights3.admin.token";
  const main = document.getElementById("main");
  const state = { token: sessionStorage.getItem(TOKEN_KEY), spec: null, collections: [], user: null };

  // ---------- tiny DOM helper ----------
  function el(tag, attrs, ...children) {
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
  }
  function show(...nodes) { main.replaceChildren(...nodes); main.focus(); }
  function toast(text) {
    const t = document.getElementById("toast");
    t.textContent = text; t.hidden = false;
    clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.hidden = true; }, 3500);
  }
  function confirmDialog(text) {
    const modal = document.getElementById("confirm");
    document.getElementById("confirm-text").textContent = text;
    modal.hidden = false;
    document.getElementById("confirm-ok").focus();
    return new Promise(resolve => {
      const done = answer => { modal.hidden = true; ok.onclick = cancel.onclick = null; resolve(answer); };
      const ok = document.getElementById("confirm-ok"), cancel = document.getElementById("confirm-cancel");
      ok.onclick = () => done(true); cancel.onclick = () => done(false);
    });
  }

  // ---------- HTTP ----------
  class ApiError extends Error {
    constructor(status, problem) { super((problem && (problem.detail || problem.title)) || "HTTP " + status); this.status = status; this.problem = problem || {}; }
  }
  async function api(method, path, { body, headers, auth = true } = {}) {
    const h = Object.assign({ Accept: "application/json" }, headers);
    if (auth && state.token) h.Authorization = "Bearer " + state.token;
    if (body !== undefined) h["Content-Type"] = "application/json";
    let response;
    try { response = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }); }
    catch (e) { throw new ApiError(0, { detail: "The server could not be reached." }); }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
    if (!response.ok) {
      if (response.status === 401 && auth && state.token) { signOut("Your session has expired. Please sign in again."); }
      throw new ApiError(response.status, data);
    }
    return { data, etag: response.headers.get("ETag") };
  }

  // ---------- sign-in ----------
  function signOut(message) {
    state.token = null; state.user = null;
    sessionStorage.removeItem(TOKEN_KEY);
    renderChrome();
    renderSignIn(message);
  }
  function renderChrome() {
    const signedIn = !!(state.user && state.user.is_admin);
    document.getElementById("sidebar").hidden = !signedIn;
    document.getElementById("menu-toggle").hidden = !signedIn;
    document.getElementById("sign-out").hidden = !state.token;
    document.getElementById("who").textContent = state.user ? state.user.username || "" : "";
  }
  function renderSignIn(message) {
    const error = el("div", { class: "alert error", role: "alert", hidden: !message, text: message || "" });
    const user = el("input", { id: "username", name: "username", autocomplete: "username", required: true });
    const pass = el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
    const tokenBox = el("textarea", { id: "token", name: "token", required: true, placeholder: "eyJhbGciOi…" });
    const passwordForm = el("form", { class: "stack", id: "sign-in-form", onsubmit: async e => {
      e.preventDefault(); error.hidden = true;
      try {
        const { data } = await api("POST", AUTH + "/login", { body: { username: user.value, password: pass.value }, auth: false });
        await signIn(data.access_token);
      } catch (err) { error.textContent = err.status === 401 ? "Wrong username or password." : err.message; error.hidden = false; }
    } },
      el("div", { class: "field" }, el("label", { for: "username", text: "Username" }), user),
      el("div", { class: "field" }, el("label", { for: "password", text: "Password" }), pass),
      el("button", { class: "button", type: "submit", text: "Sign in" }));
    const tokenForm = el("form", { class: "stack", hidden: true, onsubmit: async e => {
      e.preventDefault(); error.hidden = true;
      try { await signIn(tokenBox.value.trim().replace(/^Bearer\s+/i, "")); } catch (err) { error.textContent = err.message; error.hidden = false; }
    } },
      el("div", { class: "field" }, el("label", { for: "token", text: "Access token" }), tokenBox),
      el("button", { class: "button", type: "submit", text: "Use token" }));
    const tabA = el("button", { type: "button", role: "tab", "aria-selected": "true", text: "Password" });
    const tabB = el("button", { type: "button", role: "tab", "aria-selected": "false", text: "Token" });
    const select = (a, b, showA) => { a.setAttribute("aria-selected", "true"); b.setAttribute("aria-selected", "false"); passwordForm.hidden = !showA; tokenForm.hidden = showA; };
    tabA.onclick = () => select(tabA, tabB, true); tabB.onclick = () => select(tabB, tabA, false);
    show(el("div", { class: "card padded center-card" },
      el("h1", { text: "Sign in" }), el("p", { class: "muted", text: "Manage the records of this LightS3 API." }),
      el("div", { class: "tabs", role: "tablist" }, tabA, tabB), error, passwordForm, tokenForm));
  }
  async function signIn(token) {
    state.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    await start();
  }
  function decodeToken(token) {
    try { return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))); } catch { return null; }
  }
  async function whoAmI() {
    try { return (await api("GET", AUTH + "/me")).data; }
    catch (err) {
      if (err.status !== 404) throw err;
      const claims = decodeToken(state.token) || {}; // no auth module: read the token's own claims
      return { username: claims.sub || claims.name || "", is_admin: claims.is_admin === true || claims.is_admin === "true" || claims.role === "admin" };
    }
  }

  // ---------- OpenAPI model ----------
  function resolve(schema) {
    let s = schema;
    while (s && s.$ref) s = s.$ref.split("/").slice(1).reduce((o, k) => o && o[k], state.spec);
    return s || {};
  }
  function bodySchema(op) { return op && op.requestBody ? resolve(op.requestBody.content["application/json"].schema) : null; }
  function readCollections(spec) {
    const out = [];
    for (const [path, item] of Object.entries(spec.paths || {})) {
      const list = item.get;
      if (!list || !/_list$/.test(list.operationId || "") || path.includes("{")) continue;
      const name = list.operationId.replace(/_list$/, "");
      const itemPath = Object.keys(spec.paths).find(p => p.startsWith(path + "/{") && p.split("/").length === path.split("/").length + 1);
      const one = itemPath ? spec.paths[itemPath] : {};
      const listSchema = resolve(list.responses["200"].content["application/json"].schema);
      const params = Object.fromEntries((list.parameters || []).map(p => [p.name, resolve(p)]));
      out.push({
        name, path, itemPath: itemPath ? itemPath.replace(/\{[^}]+\}$/, "") : null,
        record: resolve(listSchema.properties.results.items),
        paged: !!listSchema.properties.count,
        search: "search" in params,
        ordering: params.ordering ? resolve(params.ordering.schema).items.enum || [] : [],
        filters: filterFields(list.parameters || []),
        create: bodySchema(item.post), patch: bodySchema(one.patch),
        canDelete: !!one.delete,
        reindex: !!(spec.paths[path + "/_reindex"] && spec.paths[path + "/_reindex"].post),
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The equality filters of a list operation: each `field` parameter that has `field__op` siblings. */
  function filterFields(parameters) {
    const all = parameters.map(resolve).filter(p => p.in === "query");
    const names = new Set(all.map(p => p.name));
    return all.filter(p => !p.name.includes("__") && [...names].some(n => n.startsWith(p.name + "__")))
      .map(p => ({ name: p.name, schema: resolve(p.schema) }));
  }
  function filterControl(f, value) {
    const id = "filter-" + f.name, types = typesOf(f.schema);
    const choices = f.schema.enum ? f.schema.enum.filter(v => v !== null).map(String) : types.includes("boolean") ? ["true", "false"] : null;
    const control = choices
      ? el("select", { id, name: f.name }, el("option", { value: "", text: "Any" }), choices.map(v => el("option", { value: v, selected: value === v, text: v })))
      : el("input", { id, name: f.name, type: (types.includes("integer") || types.includes("number")) && !types.includes("string") ? "number" : "text",
          step: types.includes("integer") ? 1 : "any", placeholder: "Any", value: value || "" });
    return el("div", { class: "filter" }, el("label", { for: id, text: f.name.replace(/_/g, " ") }), control);
  }

  // ---------- collections ----------
  function renderSidebar() {
    const ul = document.getElementById("collections");
    ul.replaceChildren(...state.collections.map(c => el("li", {}, el("a", { href: "#/" + c.name, dataset: { collection: c.name }, text: c.name }))));
  }
  function markCurrent(name) {
    for (const a of document.querySelectorAll("#collections a")) a.toggleAttribute("aria-current", a.dataset.collection === name) && a.setAttribute("aria-current", "page");
    document.getElementById("sidebar").classList.remove("open");
  }
  function columnsOf(c) {
    const props = Object.entries(c.record.properties || {}).filter(([, s]) => { const t = [].concat(resolve(s).type); return !t.includes("object") && !t.includes("array"); });
    const first = props.filter(([k]) => k === "id");
    const rest = props.filter(([k]) => !["id", "version", "created_at", "updated_at"].includes(k)).slice(0, 5);
    return [...first, ...rest].map(([k]) => k);
  }
  function cell(value) {
    if (value === null || value === undefined) return el("span", { class: "muted", text: "—" });
    if (typeof value === "boolean") return el("span", { class: "badge " + value, text: value ? "yes" : "no" });
    return String(typeof value === "object" ? JSON.stringify(value) : value);
  }
  async function renderList(c, query) {
    markCurrent(c.name);
    const params = new URLSearchParams(query || "");
    const search = el("input", { type: "search", id: "search", placeholder: "Search " + c.name + "…", "aria-label": "Search", value: params.get("search") || "" });
    const ordering = el("select", { id: "ordering", "aria-label": "Order by" },
      el("option", { value: "", text: "Default order" }),
      c.ordering.map(o => el("option", { value: o, selected: params.get("ordering") === o, text: (o.startsWith("-") ? o.slice(1) + " ↓" : o + " ↑") })));
    const reload = changes => { const p = new URLSearchParams(); for (const [k, v] of Object.entries(changes)) if (v) p.set(k, v); location.hash = "#/" + c.name + (p.toString() ? "?" + p : ""); };
    const filters = c.filters.map(f => filterControl(f, params.get(f.name)));
    const filterValues = () => Object.fromEntries(filters.map(f => f.querySelector("input, select")).map(x => [x.name, x.value.trim()]));
    const apply = () => reload(Object.assign(filterValues(), { search: c.search ? search.value.trim() : "", ordering: ordering.value }));
    for (const f of filters) {
      const control = f.querySelector("input, select");
      control.addEventListener(control.tagName === "SELECT" ? "change" : "keydown", e => { if (e.type === "change" || e.key === "Enter") apply(); });
    }
    const clearFilters = () => { for (const f of filters) f.querySelector("input, select").value = ""; apply(); };
    const filtered = c.filters.some(f => params.get(f.name));
    search.addEventListener("keydown", e => { if (e.key === "Enter") apply(); });
    search.addEventListener("search", apply);
    ordering.addEventListener("change", apply);
    const tbody = el("tbody", {}, el("tr", {}, el("td", { class: "empty", colspan: 99, text: "Loading…" })));
    const cols = columnsOf(c);
    const pager = el("div", { class: "pager" });
    const reindexPanel = el("div", { class: "reindex", id: "reindex-status", role: "status", "aria-live": "polite", hidden: true });
    show(el("div", { class: "page-head" }, el("h1", { text: c.name }), el("span", { class: "spacer" }),
        c.reindex ? el("button", { class: "button ghost", type: "button", id: "reindex", text: "Reindex", onclick: () => reindex(c, reindexPanel, true) }) : null,
        c.create ? el("a", { class: "button", href: "#/" + c.name + "/new", id: "new-record", text: "New record" }) : null),
      reindexPanel,
      el("section", { class: "card" },
        (c.search || c.ordering.length) ? el("div", { class: "toolbar" }, c.search ? search : null, c.ordering.length ? ordering : null) : null,
        filters.length ? el("div", { class: "filters", id: "filters", role: "group", "aria-label": "Filters" },
          el("span", { class: "filters-title", text: "Filters" }), filters,
          el("button", { class: "button ghost small", type: "button", id: "clear-filters", text: "Clear filters", disabled: !filtered, onclick: clearFilters })) : null,
        el("div", { class: "table-wrap" }, el("table", { id: "records" },
          el("thead", {}, el("tr", {}, cols.map(k => el("th", { scope: "col", text: k.replace(/_/g, " ") })), el("th", {}, el("span", { class: "sr", text: "" })))),
          tbody)),
        pager));
    if (c.reindex) reindex(c, reindexPanel, false);
    let result;
    try { result = (await api("GET", c.path + (params.toString() ? "?" + params : ""))).data; }
    catch (err) { tbody.replaceChildren(el("tr", {}, el("td", { class: "empty", colspan: 99 }, el("span", { role: "alert", text: describe(err) })))); return; }
    const rows = Array.isArray(result) ? result : result.results || [];
    tbody.replaceChildren(...(rows.length ? rows.map(r => el("tr", { dataset: { id: r.id } },
      cols.map(k => el("td", {}, cell(r[k]))),
      el("td", { class: "actions" },
        c.patch ? el("a", { class: "button ghost small", href: "#/" + c.name + "/" + encodeURIComponent(r.id), text: "Edit" }) : null,
        c.canDelete ? el("button", { class: "button ghost small", type: "button", text: "Delete", onclick: () => remove(c, r, params) }) : null)))
      : [el("tr", {}, el("td", { class: "empty", colspan: 99, text: params.get("search") || filtered ? "No records match." : "No records yet." }))]));
    const go = link => {
      if (link.startsWith("http") || link.startsWith("/")) { const u = new URL(link, location.href); return () => reload(Object.fromEntries(u.searchParams)); }
      return () => reload(Object.assign(Object.fromEntries(params), { cursor: link }));
    };
    if (!Array.isArray(result)) {
      pager.replaceChildren(
        result.count !== undefined ? el("span", { id: "count", text: result.count + " record" + (result.count === 1 ? "" : "s") + (result.pages ? " · page " + (Number(params.get("page")) || 1) + " of " + result.pages : "") }) : null,
        el("button", { class: "button ghost small", type: "button", id: "previous", disabled: !result.previous, text: "← Previous", onclick: result.previous ? go(result.previous) : null }),
        el("button", { class: "button ghost small", type: "button", id: "next", disabled: !result.next, text: "Next →", onclick: result.next ? go(result.next) : null }));
    }
  }
  /** Starts (start = true) or just follows the collection's index rebuild, showing its progress until it ends. */
  async function reindex(c, panel, start) {
    const url = c.path + "/_reindex";
    const button = document.getElementById("reindex");
    const render = s => {
      panel.hidden = false;
      panel.className = "reindex alert " + (s.status === "failed" ? "error" : s.status === "done" ? "success" : "");
      if (s.status === "running") {
        const label = s.phase === "entries" ? "Removing stale index entries" : "Indexing records";
        panel.replaceChildren(el("div", { text: label + "… " + s.processed + (s.total != null ? " of " + s.total : "") }),
          el("progress", { id: "reindex-progress", max: s.total || 1, value: s.total ? s.processed : 0, "aria-label": "Reindex progress" }));
      } else if (s.status === "done") {
        panel.replaceChildren(el("div", { text: "Indexes rebuilt: " + s.records + " record" + (s.records === 1 ? "" : "s") + ", " +
          s.entries_written + " entries written, " + s.entries_removed + " stale entries removed." }));
      } else if (s.status === "failed") {
        panel.replaceChildren(el("div", { text: "The rebuild failed: " + (s.error || "unknown error") }));
      }
    };
    try {
      if (start) {
        if (!(await confirmDialog("Rebuild the indexes of " + c.name + "? The API keeps serving while it runs."))) return;
        if (button) button.disabled = true;
        render((await api("POST", url)).data);
      }
      let s = (await api("GET", url)).data;
      if (!start && s.status !== "running") return; // show a past rebuild only when the admin asked for one
      while (s.status === "running" && document.body.contains(panel)) {
        render(s);
        await new Promise(r => setTimeout(r, 500));
        s = (await api("GET", url)).data;
      }
      render(s);
    } catch (err) {
      panel.hidden = false; panel.className = "reindex alert error";
      panel.replaceChildren(el("div", { text: err.status === 409 ? "A rebuild of " + c.name + " is already running." : describe(err) }));
    } finally { if (button) button.disabled = false; }
  }
  async function remove(c, record, params) {
    if (!(await confirmDialog("Delete " + c.name + " record " + record.id + "? This cannot be undone."))) return;
    try { await api("DELETE", c.itemPath + encodeURIComponent(record.id)); toast("Record deleted."); renderList(c, params.toString()); }
    catch (err) { toast(describe(err)); }
  }
  function describe(err) {
    if (err.status === 403) return "You do not have permission to do this.";
    return err.message;
  }

  // ---------- forms ----------
  function typesOf(s) { return [].concat(s.type || []); }
  function input(name, schema, required, value) {
    const s = resolve(schema);
    const types = typesOf(s);
    const nullable = types.includes("null");
    const id = "f-" + name;
    const label = name.replace(/_/g, " ");
    const hints = [];
    let control;
    if (s.enum) {
      control = el("select", { id, name, required },
        (!required || nullable) ? el("option", { value: "", text: "—" }) : null,
        s.enum.filter(v => v !== null).map(v => el("option", { value: v, selected: value === v, text: v })));
      if (value === undefined && s.default !== undefined) control.value = s.default;
    } else if (types.includes("boolean")) {
      control = el("input", { id, name, type: "checkbox" });
      control.checked = value === undefined ? s.default === true : value === true;
      return el("div", { class: "field check", dataset: { field: name } }, control, el("label", { for: id, text: label }), el("span", { class: "error", role: "alert", hidden: true }));
    } else if (types.includes("integer") || types.includes("number")) {
      const min = s.minimum ?? s.exclusiveMinimum, max = s.maximum ?? s.exclusiveMaximum;
      control = el("input", { id, name, type: "number", required, min, max, step: types.includes("integer") ? 1 : "any" });
      if (min !== undefined || max !== undefined) hints.push((min !== undefined ? (s.exclusiveMinimum !== undefined ? "> " : "≥ ") + min : "") + (min !== undefined && max !== undefined ? ", " : "") + (max !== undefined ? (s.exclusiveMaximum !== undefined ? "< " : "≤ ") + max : ""));
    } else {
      control = el("input", { id, name, type: "text", required, minlength: s.minLength, maxlength: s.maxLength, pattern: s.pattern ? s.pattern.replace(/^\^/, "").replace(/\$$/, "") : undefined,
        placeholder: s.format === "date-time" ? "2026-01-31T12:00:00Z" : s.format === "uuid" ? "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" : undefined });
      if (s.pattern) hints.push("pattern " + s.pattern);
      if (s.maxLength !== undefined) hints.push("up to " + s.maxLength + " characters");
    }
    if (control.tagName === "INPUT") {
      if (value !== undefined && value !== null) control.value = value;
      else if (value === undefined && s.default !== undefined && s.default !== null) control.value = s.default;
    }
    control.dataset.types = types.join(",");
    return el("div", { class: "field", dataset: { field: name } },
      el("label", { for: id }, label, required ? el("span", { class: "req", "aria-hidden": "true", text: "*" }) : null),
      control,
      hints.length ? el("span", { class: "hint", text: hints.join(" · ") }) : null,
      el("span", { class: "error", role: "alert", hidden: true }));
  }
  function collect(form, schema, partial) {
    const out = {};
    for (const [name] of Object.entries(schema.properties || {})) {
      const control = form.elements.namedItem(name);
      if (!control) continue;
      const types = (control.dataset.types || "").split(",");
      if (control.type === "checkbox") { out[name] = control.checked; continue; }
      const raw = control.value;
      if (raw === "") { if (partial && types.includes("null")) out[name] = null; continue; }
      out[name] = (types.includes("integer") || types.includes("number")) && !types.includes("string") ? Number(raw) : raw;
    }
    return out;
  }
  function showErrors(form, problem) {
    for (const f of form.querySelectorAll(".field")) { f.classList.remove("invalid"); const e = f.querySelector(".error"); e.hidden = true; e.textContent = ""; }
    const unplaced = [];
    for (const [name, messages] of Object.entries(problem.errors || {})) {
      const field = form.querySelector('.field[data-field="' + CSS.escape(name) + '"]');
      const text = [].concat(messages).join(" ");
      if (!field) { unplaced.push(name + ": " + text); continue; }
      field.classList.add("invalid");
      const e = field.querySelector(".error"); e.textContent = text; e.hidden = false;
    }
    return unplaced;
  }
  function editable(schema) {
    return Object.entries(schema.properties || {}).filter(([k, s]) => k !== "version" && !resolve(s).readOnly);
  }
  async function renderForm(c, id) {
    markCurrent(c.name);
    const editing = id !== null;
    const schema = editing ? c.patch : c.create;
    let record = null, etag = null;
    if (editing) {
      try { const r = await api("GET", c.itemPath + encodeURIComponent(id)); record = r.data; etag = r.etag; }
      catch (err) { show(el("div", { class: "alert error", role: "alert", text: describe(err) })); return; }
    }
    const required = new Set(editing ? [] : schema.required || []);
    const banner = el("div", { id: "form-alert", hidden: true });
    const form = el("form", { class: "form", id: "record-form", novalidate: false },
      editable(schema).map(([name, s]) => input(name, s, required.has(name), record ? record[name] : undefined)),
      el("div", { class: "actions" },
        el("a", { class: "button ghost", href: "#/" + c.name, text: "Cancel" }),
        el("button", { class: "button", type: "submit", id: "save", text: editing ? "Save changes" : "Create" })));
    const send = async (body, ifMatch) => {
      banner.hidden = true;
      try {
        if (editing) await api("PATCH", c.itemPath + encodeURIComponent(id), { body, headers: { "If-Match": ifMatch } });
        else await api("POST", c.path, { body });
        toast(editing ? "Changes saved." : "Record created.");
        location.hash = "#/" + c.name;
      } catch (err) {
        if (err.status === 409 && editing && !(err.problem.errors && Object.keys(err.problem.errors).length)) return conflict(body);
        const unplaced = showErrors(form, err.problem);
        if (err.status !== 422 || unplaced.length) {
          banner.className = "alert error"; banner.setAttribute("role", "alert");
          banner.textContent = err.status === 422 ? "Please fix: " + unplaced.join("; ") : describe(err);
          banner.hidden = false;
        } else { banner.className = "alert error"; banner.textContent = "Please correct the highlighted fields."; banner.hidden = false; }
      }
    };
    const conflict = async body => {
      let current;
      try { current = await api("GET", c.itemPath + encodeURIComponent(id)); }
      catch (err) { banner.className = "alert error"; banner.textContent = "This record was changed or deleted by someone else: " + describe(err); banner.hidden = false; return; }
      banner.className = "alert conflict"; banner.setAttribute("role", "alert");
      banner.replaceChildren(
        el("strong", { text: "Conflict: this record was changed by someone else after you opened it." }),
        el("p", { text: "Your changes were not saved. The current version on the server is:" }),
        el("pre", { id: "server-version", text: JSON.stringify(current.data, null, 2) }),
        el("div", { class: "actions" },
          el("button", { class: "button ghost", type: "button", id: "conflict-reload", text: "Reload", onclick: () => renderForm(c, id) }),
          el("button", { class: "button danger", type: "button", id: "conflict-overwrite", text: "Overwrite", onclick: () => send(body, current.etag) })));
      banner.hidden = false;
      banner.scrollIntoView({ block: "nearest" });
    };
    form.addEventListener("submit", e => { e.preventDefault(); send(collect(form, schema, editing), etag); });
    show(el("div", { class: "page-head" }, el("h1", { text: editing ? "Edit " + c.name + " record" : "New " + c.name + " record" }),
        editing ? el("span", { class: "badge", text: "version " + (record.version ?? "") }) : null),
      banner, el("section", { class: "card padded" }, form));
  }

  // ---------- routing ----------
  async function route() {
    if (!state.user || !state.user.is_admin) return;
    const m = /^#\/([^/?]+)(?:\/([^?]+))?(?:\?(.*))?$/.exec(location.hash);
    const c = m && state.collections.find(x => x.name === decodeURIComponent(m[1]));
    if (!c) {
      markCurrent(null);
      return show(el("div", { class: "page-head" }, el("h1", { text: "Collections" })),
        el("section", { class: "card" }, el("ul", { class: "stack padded", id: "overview" }, state.collections.length
          ? state.collections.map(x => el("li", {}, el("a", { href: "#/" + x.name, text: x.name }), " ", el("span", { class: "muted", text: x.path })))
          : el("li", { class: "muted", text: "This API has no collections." }))));
    }
    if (m[2] === "new") return renderForm(c, null);
    if (m[2]) return renderForm(c, decodeURIComponent(m[2]));
    return renderList(c, m[3]);
  }
  async function start() {
    try {
      state.user = await whoAmI();
    } catch (err) { if (err.status !== 401) signOut(err.message); return; }
    renderChrome();
    if (!state.user.is_admin) {
      return show(el("div", { class: "card padded center-card", id: "admins-only" },
        el("h1", { text: "Admins only" }),
        el("p", { class: "muted", text: "You are signed in as " + (state.user.username || "this user") + ", who is not an administrator. Ask an administrator for access." }),
        el("button", { class: "button ghost", type: "button", text: "Sign in as someone else", onclick: () => signOut() })));
    }
    if (!OPENAPI) return show(el("div", { class: "alert error", text: "The OpenAPI document is turned off (LIGHTS3_OPENAPI=false); the admin UI needs it." }));
    try { state.spec = (await api("GET", OPENAPI)).data; }
    catch (err) { return show(el("div", { class: "alert error", role: "alert", text: "Could not load the API description: " + err.message })); }
    state.collections = readCollections(state.spec);
    renderSidebar();
    route();
  }

  document.getElementById("sign-out").addEventListener("click", () => signOut());
  document.getElementById("menu-toggle").addEventListener("click", e => {
    const open = document.getElementById("sidebar").classList.toggle("open");
    e.currentTarget.setAttribute("aria-expanded", String(open));
  });
  window.addEventListener("hashchange", route);
  if (state.token) start(); else { renderChrome(); renderSignIn(); }
})();
