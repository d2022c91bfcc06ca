// History (a record's versions, a side-by-side diff of two, Restore with the 409 flow) and Trash (a collection's
// soft-deleted records: Restore, purge).
(function () {
  "use strict";
  const A = window.LightS3Admin, el = A.el;

  /** Flattens a record into path → JSON text, for a row-per-field diff. */
  function flatten(value, prefix, out) {
    if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length) {
      for (const [k, v] of Object.entries(value)) flatten(v, prefix ? prefix + "." + k : k, out);
    } else if (prefix) out.set(prefix, value === undefined ? "" : JSON.stringify(value));
    return out;
  }

  A.renderHistory = async function (c, id) {
    A.markCurrent(c.name);
    const itemUrl = A.itemUrl(c, id);
    const banner = el("div", { id: "history-alert", hidden: true });
    const diff = el("section", { class: "card padded", id: "diff", hidden: true, "aria-label": "Differences" });
    let current, versions;
    try {
      current = await A.api("GET", itemUrl);
      versions = (await A.api("GET", itemUrl + "/_history?limit=100")).data.results;
    } catch (err) { A.show(el("div", { class: "alert error", role: "alert", text: A.describe(err) })); return; }
    let etag = current.etag;
    const pick = (side, v) => el("input", { type: "radio", name: "side-" + side, value: v.version, "aria-label": "Compare version " + v.version + " as " + (side === "a" ? "left" : "right") });
    const rows = versions.map((v, i) => {
      const a = pick("a", v), b = pick("b", v);
      if (i === 1 || versions.length === 1) a.checked = true;
      if (i === 0) b.checked = true;
      const isCurrent = v.version === current.data.version;
      return el("tr", { dataset: { version: v.version } },
        el("td", {}, a), el("td", {}, b),
        el("td", { text: String(v.version) }), el("td", { text: String(v.operation || "") }),
        el("td", { text: v.actor == null ? "—" : String(v.actor) }), el("td", { text: A.formatTime(v.updated_at), title: String(v.updated_at || "") }),
        el("td", { class: "actions" }, isCurrent ? el("span", { class: "badge true", text: "current" })
          : c.restore ? el("button", { type: "button", class: "button ghost small", text: "Restore", "aria-label": "Restore version " + v.version, onclick: () => restore(v.version) }) : null));
    });
    const compare = async () => {
      const va = document.querySelector("input[name=side-a]:checked"), vb = document.querySelector("input[name=side-b]:checked");
      if (!va || !vb) return;
      try {
        const [left, right] = await Promise.all([va.value, vb.value].map(v => A.api("GET", itemUrl + "/_history/" + v).then(r => r.data)));
        const fa = flatten(left, "", new Map()), fb = flatten(right, "", new Map());
        const keys = [...new Set([...fa.keys(), ...fb.keys()])].filter(k => !["version", "updated_at", "updated_by", "restored_from"].includes(k));
        diff.replaceChildren(el("h2", { text: "Version " + va.value + " ↔ version " + vb.value }),
          el("div", { class: "table-wrap" }, el("table", { class: "diff", id: "diff-table" },
            el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "field" }), el("th", { scope: "col", text: "version " + va.value }), el("th", { scope: "col", text: "version " + vb.value }))),
            el("tbody", {}, keys.map(k => {
              const changed = fa.get(k) !== fb.get(k);
              return el("tr", { class: changed ? "changed" : null, dataset: { field: k } },
                el("th", { scope: "row", text: k }, changed ? el("span", { class: "sr", text: " (changed)" }) : null),
                el("td", { class: "old", text: fa.has(k) ? fa.get(k) : "—" }), el("td", { class: "new", text: fb.has(k) ? fb.get(k) : "—" }));
            })))));
        diff.hidden = false;
      } catch (err) { A.toast(A.describe(err)); }
    };
    const restore = async (version, ifMatch) => {
      if (!ifMatch && !(await A.confirmDialog("Restore version " + version + " of this record? It is written as a new version; nothing is lost.", "Restore", "Restore version?"))) return;
      banner.hidden = true;
      try {
        await A.api("POST", itemUrl + "/_restore?version=" + version, { headers: { "If-Match": ifMatch || etag } });
        A.toast("Version " + version + " restored.");
        A.renderHistory(c, id);
      } catch (err) {
        banner.hidden = false; banner.setAttribute("role", "alert");
        if (err.status !== 409) { banner.className = "alert error"; banner.textContent = A.describe(err); return; }
        // the record moved on since this page was opened: show where it is now, restore over it only when asked
        let now;
        try { now = await A.api("GET", itemUrl); } catch (e) { banner.className = "alert error"; banner.textContent = A.describe(e); return; }
        banner.className = "alert conflict";
        banner.replaceChildren(el("strong", { text: "Conflict: this record was changed by someone else (now version " + now.data.version + ")." }),
          el("p", { text: err.problem.errors ? A.describe(err) : "Nothing was restored." }),
          el("div", { class: "actions" },
            el("button", { type: "button", class: "button ghost", id: "history-reload", text: "Reload", onclick: () => A.renderHistory(c, id) }),
            err.problem.errors ? null : el("button", { type: "button", class: "button danger", id: "restore-anyway", text: "Restore anyway", onclick: () => { etag = now.etag; restore(version, now.etag); } })));
      }
    };
    A.show(el("div", { class: "page-head" }, el("h1", { text: "History" }), el("span", { class: "muted", text: c.name + " " + id }), el("span", { class: "spacer" }),
        c.patch ? el("a", { class: "button ghost", href: "#/" + c.name + "/" + encodeURIComponent(id), text: "Edit" }) : null),
      banner,
      el("section", { class: "card" }, el("div", { class: "table-wrap" }, el("table", { id: "versions" },
        el("thead", {}, el("tr", {}, ["A", "B", "version", "operation", "actor", "time"].map(h => el("th", { scope: "col", text: h })), el("th", {}, el("span", { class: "sr", text: "Actions" })))),
        el("tbody", {}, rows))),
        el("div", { class: "pager" }, el("button", { type: "button", class: "button", id: "compare", text: "Compare", onclick: compare }))),
      diff);
  };

  A.renderTrash = async function (c, query) {
    A.markCurrent(c.name);
    const params = new URLSearchParams(query || ""); params.set("deleted", "true");
    const cols = [...A.columnsOf(c), "deleted_at"];
    const tbody = el("tbody", {}, el("tr", {}, el("td", { class: "empty", colspan: 99, text: "Loading…" })));
    A.show(el("div", { class: "page-head" }, el("h1", { text: "Trash" }), el("span", { class: "muted", text: c.name }), el("span", { class: "spacer" }),
        el("a", { class: "button ghost", href: "#/" + c.name, text: "Back to " + c.name })),
      el("section", { class: "card" }, el("div", { class: "table-wrap" }, el("table", { id: "trash" },
        el("thead", {}, el("tr", {}, cols.map(k => el("th", { scope: "col", text: A.label(k) })), el("th", {}, el("span", { class: "sr", text: "Actions" })))), tbody))));
    let result;
    try { result = (await A.api("GET", c.path + "?" + params)).data; }
    catch (err) { tbody.replaceChildren(el("tr", {}, el("td", { class: "empty", colspan: 99 }, el("span", { role: "alert", text: A.describe(err) })))); return; }
    const rows = Array.isArray(result) ? result : result.results || [];
    const act = async (r, purge) => {
      if (purge && !(await A.confirmDialog("Purge " + c.name + " record " + r.id + "? It is removed for good, with its history.", "Purge", "Purge record?"))) return;
      try {
        if (purge) await A.api("DELETE", A.itemUrl(c, r.id) + "?purge=true");
        else await A.api("POST", A.itemUrl(c, r.id) + "/_restore");
        A.toast(purge ? "Record purged." : "Record restored.");
        A.renderTrash(c, query);
      } catch (err) { A.toast(A.describe(err)); }
    };
    tbody.replaceChildren(...(rows.length ? rows.map(r => el("tr", { dataset: { id: r.id } },
      cols.map(k => el("td", {}, k === "deleted_at" ? A.formatTime(r[k]) : A.cell(c, k, r))),
      el("td", { class: "actions" },
        el("button", { type: "button", class: "button ghost small", text: "Restore", "aria-label": "Restore " + r.id, onclick: () => act(r, false) }),
        el("button", { type: "button", class: "button ghost small danger-text", text: "Purge", "aria-label": "Purge " + r.id, onclick: () => act(r, true) }))))
      : [el("tr", {}, el("td", { class: "empty", colspan: 99, text: "The trash is empty." }))]));
  };
})();
