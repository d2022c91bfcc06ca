// A collection's table: search, order, filters, paging, references expanded, live marks from /_events, Export,
// Trash and Reindex links, delete with confirmation.
(function () {
  "use strict";
  const A = window.LightS3Admin, el = A.el, resolve = A.resolve;
  const AUTO = ["id", "version", "created_at", "updated_at", "deleted_at", "created_by", "updated_by", "restored_from", "expires_at"];

  A.columnsOf = function (c) {
    const props = Object.keys(c.record.properties || {});
    return [...props.filter(k => k === "id"), ...props.filter(k => !AUTO.includes(k)).slice(0, 5)];
  };
  function filterControl(f, value) {
    const id = "filter-" + f.name, types = A.typesOf(f.schema);
    const choices = f.schema.enum ? f.schema.enum.filter(v => v !== null).map(String) : types.includes("boolean") ? ["true", "false"] : null;
    const control = choices
      ? el("select", { id, name: f.name }, el("option", { value: "", text: "Any" }), choices.map(v => el("option", { value: v, selected: value === v, text: v })))
      : el("input", { id, name: f.name, type: (types.includes("integer") || types.includes("number")) && !types.includes("string") ? "number" : "text",
          step: types.includes("integer") ? 1 : "any", placeholder: "Any", value: value || "" });
    return el("div", { class: "filter" }, el("label", { for: id, text: A.label(f.name) }), control);
  }
  const FILTER_KEYS = ["page", "cursor", "page_size"];

  /** One table row; `mark` is new, changed or deleted (from a live event). */
  A.recordRow = function (c, cols, r, params, mark) {
    return el("tr", { dataset: { id: r.id }, class: mark ? "row-" + mark : null },
      cols.map(k => el("td", {}, A.cell(c, k, r))),
      el("td", { class: "actions" }, mark ? el("span", { class: "badge mark " + mark, text: mark }) : null,
        mark === "deleted" ? null : c.patch ? el("a", { class: "button ghost small", href: "#/" + c.name + "/" + encodeURIComponent(r.id), text: "Edit" }) : null,
        mark === "deleted" ? null : c.history ? el("a", { class: "button ghost small", href: "#/" + c.name + "/" + encodeURIComponent(r.id) + "/history", text: "History", "aria-label": "History of " + r.id }) : null,
        mark === "deleted" ? null : c.canDelete ? el("button", { class: "button ghost small", type: "button", text: "Delete", onclick: () => remove(c, r, params) }) : null));
  };

  A.renderList = async function (c, query) {
    A.markCurrent(c.name);
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
    const cols = A.columnsOf(c);
    const pager = el("div", { class: "pager" });
    const reindexPanel = el("div", { class: "reindex", id: "reindex-status", role: "status", "aria-live": "polite", hidden: true });
    const table = el("table", { id: "records" },
      el("thead", {}, el("tr", {}, cols.map(k => el("th", { scope: "col", text: A.label(k) })), el("th", {}, el("span", { class: "sr", text: "Actions" })))),
      tbody);
    // the list's query without paging: what Export and the live stream filter by
    const scope = new URLSearchParams([...params].filter(([k]) => !FILTER_KEYS.includes(k)));
    const exportAs = async format => {
      const p = new URLSearchParams(scope); p.set("format", format);
      try { A.saveBlob(await (await A.fetchRaw("GET", c.path + "/_export?" + p, { headers: { Accept: format === "csv" ? "text/csv" : "application/x-ndjson" } })).blob(), c.name + (format === "csv" ? ".csv" : ".ndjson")); }
      catch (err) { A.toast(A.describe(err)); }
    };
    A.show(el("div", { class: "page-head" }, el("h1", { text: c.name }),
        c.events ? el("span", { class: "badge live", id: "live-status", text: "live" }) : null,
        el("span", { class: "spacer" }),
        c.trash ? el("a", { class: "button ghost", href: "#/" + c.name + "/_trash", id: "trash-link", text: "Trash" }) : null,
        c.exportable ? el("button", { class: "button ghost", type: "button", id: "export-ndjson", text: "Export NDJSON", onclick: () => exportAs("ndjson") }) : null,
        c.exportable ? el("button", { class: "button ghost", type: "button", id: "export-csv", text: "Export CSV", onclick: () => exportAs("csv") }) : null,
        c.reindex ? el("button", { class: "button ghost", type: "button", id: "reindex", text: "Reindex", onclick: () => A.reindex(c, reindexPanel, true) }) : null,
        c.create ? el("a", { class: "button", href: "#/" + c.name + "/new", id: "new-record", text: "New record" }) : null),
      reindexPanel,
      el("section", { class: "card" },
        (c.search || c.ordering.length) ? el("div", { class: "toolbar" }, c.search ? search : null, c.ordering.length ? ordering : null) : null,
        filters.length ? el("div", { class: "filters", id: "filters", role: "group", "aria-label": "Filters" },
          el("span", { class: "filters-title", text: "Filters" }), filters,
          el("button", { class: "button ghost small", type: "button", id: "clear-filters", text: "Clear filters", disabled: !filtered, onclick: clearFilters })) : null,
        el("div", { class: "table-wrap" }, table),
        pager));
    if (c.reindex) A.reindex(c, reindexPanel, false);
    const listParams = new URLSearchParams(params);
    const refs = c.refs.filter(r => A.collectionByPath(r.target) && cols.includes(r.name)).map(r => r.name);
    if (c.expand && refs.length) listParams.set("expand", refs.join(","));
    let result;
    try { result = (await A.api("GET", c.path + (listParams.toString() ? "?" + listParams : ""))).data; }
    catch (err) { tbody.replaceChildren(el("tr", {}, el("td", { class: "empty", colspan: 99 }, el("span", { role: "alert", text: A.describe(err) })))); return; }
    const rows = Array.isArray(result) ? result : result.results || [];
    const shown = new Map(rows.map(r => [r.id, r]));
    tbody.replaceChildren(...(rows.length ? rows.map(r => A.recordRow(c, cols, r, params))
      : [el("tr", { class: "placeholder" }, el("td", { class: "empty", colspan: 99, text: params.get("search") || filtered ? "No records match." : "No records yet." }))]));
    const go = link => {
      if (link.startsWith("http") || link.startsWith("/")) { const u = new URL(link, location.href); return () => reload(Object.fromEntries(u.searchParams)); }
      return () => reload(Object.assign(Object.fromEntries(params), { cursor: link }));
    };
    if (!Array.isArray(result)) {
      pager.replaceChildren(...[
        result.count !== undefined ? el("span", { id: "count", text: result.count + " record" + (result.count === 1 ? "" : "s") + (result.pages ? " · page " + (Number(params.get("page")) || 1) + " of " + result.pages : "") }) : null,
        el("button", { class: "button ghost small", type: "button", id: "previous", disabled: !result.previous, text: "← Previous", onclick: result.previous ? go(result.previous) : null }),
        el("button", { class: "button ghost small", type: "button", id: "next", disabled: !result.next, text: "Next →", onclick: result.next ? go(result.next) : null })].filter(Boolean));
    }
    if (!c.events) return;
    // live: rows are marked in place (no reload), so the user's page, scroll and focus stay
    const liveQuery = new URLSearchParams([...scope].filter(([k]) => k !== "ordering" && k !== "search"));
    A.follow(c, liveQuery.toString(), event => {
      const row = tbody.querySelector('tr[data-id="' + CSS.escape(event.id) + '"]');
      if (event.op === "delete" || event.op === "purge") { if (row) row.replaceWith(A.recordRow(c, cols, shown.get(event.id) || { id: event.id }, params, "deleted")); return; }
      const r = Object.assign({}, event.record || { id: event.id });
      const before = shown.get(event.id);
      if (before && before.expand) r.expand = Object.fromEntries(Object.entries(before.expand).filter(([k]) => before[k] === r[k]));
      shown.set(event.id, r);
      if (row) row.replaceWith(A.recordRow(c, cols, r, params, "changed"));
      else if (params.get("search")) return; // a search result set is not extended by events the search may not match
      else { const p = tbody.querySelector("tr.placeholder"); if (p) p.remove(); tbody.prepend(A.recordRow(c, cols, r, params, "new")); }
    }, table);
  };

  /** Starts (start = true) or just follows the collection's index rebuild, showing its progress until it ends. */
  A.reindex = async function (c, panel, start) {
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
        if (!(await A.confirmDialog("Rebuild the indexes of " + c.name + "? The API keeps serving while it runs.", "Reindex", "Reindex?"))) return;
        if (button) button.disabled = true;
        render((await A.api("POST", url)).data);
      }
      let s = (await A.api("GET", url)).data;
      if (!start && s.status !== "running") return; // show a past rebuild only when the admin asked for one
      while (s.status === "running" && document.body.contains(panel)) {
        render(s);
        await new Promise(r => setTimeout(r, 500));
        s = (await A.api("GET", url)).data;
      }
      render(s);
    } catch (err) {
      panel.hidden = false; panel.className = "reindex alert error";
      panel.replaceChildren(el("div", { text: err.status === 409 ? "A rebuild of " + c.name + " is already running." : A.describe(err) }));
    } finally { if (button) button.disabled = false; }
  };
  async function remove(c, record, params) {
    const soft = c.trash ? " It goes to the Trash, where an admin can restore it." : " This cannot be undone.";
    if (!(await A.confirmDialog("Delete " + c.name + " record " + record.id + "?" + soft, "Delete", "Delete record?"))) return;
    try { await A.api("DELETE", A.itemUrl(c, record.id)); A.toast("Record deleted."); A.renderList(c, params.toString()); }
    catch (err) { A.toast(A.describe(err)); }
  }
})();
