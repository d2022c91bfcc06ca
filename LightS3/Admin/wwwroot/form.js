// The record form: an editor per writable field, create (POST) or edit (PATCH with If-Match), server errors at their
// paths, the 409 flow (Reload / Overwrite), and a live warning when someone else saves the record being edited.
(function () {
  "use strict";
  const A = window.LightS3Admin, el = A.el, resolve = A.resolve;

  function editable(schema) {
    return Object.entries(schema.properties || {}).filter(([k, s]) => k !== "version" && !resolve(s).readOnly);
  }

  /** Runs one of this tab's own writes: its version and ETag become the form's, so it never warns about itself. */
  A.write = async function (call) {
    const form = A.state.form;
    if (form) form.inflight++;
    try {
      const r = await call();
      if (form && A.state.form === form) {
        const etag = r.etag !== undefined ? r.etag : r.headers && r.headers.get("ETag");
        if (etag) form.etag = etag;
        form.version = r.data && r.data.version !== undefined ? r.data.version : form.version + 1;
      }
      return r;
    } finally { if (form) { form.inflight--; form.check(); } }
  };

  A.renderForm = async function (c, id) {
    A.markCurrent(c.name);
    const editing = id !== null;
    const schema = editing ? c.patch : c.create;
    let record = null, etag = null;
    if (editing) {
      try { const r = await A.api("GET", A.itemUrl(c, id)); record = r.data; etag = r.etag; }
      catch (err) { A.show(el("div", { class: "alert error", role: "alert", text: A.describe(err) })); return; }
    }
    const live = el("div", { id: "live-warning", class: "alert conflict", role: "alert", hidden: true });
    // what this tab knows of the record; someone else's save shows as a newer version arriving on /_events
    const formState = A.state.form = { etag, version: record ? record.version : 0, seen: record ? record.version : 0, inflight: 0, by: null,
      check() {
        if (this.inflight || this.seen <= this.version) return;
        live.replaceChildren(el("strong", { text: "This record was changed by someone else" }),
          el("span", { text: " (version " + this.seen + (this.by ? " by " + this.by : "") + "). Saving now will show the conflict; Reload to edit the current version." }),
          el("div", { class: "actions" }, el("button", { class: "button ghost small", type: "button", id: "live-reload", text: "Reload", onclick: () => A.renderForm(c, id) })));
        live.hidden = false;
      } };
    const ctx = { c, partial: editing, record, id: editing ? id : null, etag: () => formState.etag };
    const required = new Set(editing ? [] : schema.required || []);
    const banner = el("div", { id: "form-alert", hidden: true });
    const fileNames = new Set(c.files);
    const editors = editable(schema).filter(([k]) => !fileNames.has(k)).map(([name, s]) => [name, A.editor(ctx, name, name, s, record ? record[name] : undefined, required.has(name))]);
    const files = c.files.map(name => A.fileEditor(ctx, name, record ? record[name] : null));
    const collect = () => { const out = {}; for (const [k, e] of editors) { const v = e.get(); if (v !== undefined) out[k] = v; } return out; };
    const form = el("form", { class: "form", id: "record-form" },
      editors.map(([, e]) => e.node), files.map(e => e.node),
      el("div", { class: "actions" },
        el("a", { class: "button ghost", href: "#/" + c.name, text: "Cancel" }),
        el("button", { class: "button", type: "submit", id: "save", text: editing ? "Save changes" : "Create" })));
    const send = async (body, ifMatch) => {
      banner.hidden = true;
      try {
        if (editing) await A.write(() => A.api("PATCH", A.itemUrl(c, id), { body, headers: { "If-Match": ifMatch } }));
        else await A.api("POST", c.path, { body });
        A.toast(editing ? "Changes saved." : "Record created.");
        location.hash = "#/" + c.name;
      } catch (err) {
        if (err.status === 409 && editing && !(err.problem.errors && Object.keys(err.problem.errors).length)) return conflict(body);
        const unplaced = A.showErrors(form, err.problem);
        banner.className = "alert error"; banner.setAttribute("role", "alert");
        banner.textContent = err.status !== 422 && !err.problem.errors ? A.describe(err)
          : unplaced.length ? "Please fix: " + unplaced.join("; ") : "Please correct the highlighted fields.";
        banner.hidden = false;
      }
    };
    const conflict = async body => {
      let current;
      try { current = await A.api("GET", A.itemUrl(c, id)); }
      catch (err) { banner.className = "alert error"; banner.textContent = "This record was changed or deleted by someone else: " + A.describe(err); banner.hidden = false; return; }
      banner.className = "alert conflict"; banner.setAttribute("role", "alert");
      banner.replaceChildren(
        el("strong", { text: "Conflict: this record was changed by someone else after you opened it." }),
        el("p", { text: "Your changes were not saved. The current version on the server is:" }),
        el("pre", { id: "server-version", text: JSON.stringify(current.data, null, 2) }),
        el("div", { class: "actions" },
          el("button", { class: "button ghost", type: "button", id: "conflict-reload", text: "Reload", onclick: () => A.renderForm(c, id) }),
          el("button", { class: "button danger", type: "button", id: "conflict-overwrite", text: "Overwrite", onclick: () => send(body, current.etag) })));
      banner.hidden = false;
      banner.scrollIntoView({ block: "nearest" });
    };
    form.addEventListener("submit", e => {
      e.preventDefault();
      let body;
      try { body = collect(); } catch (err) { banner.className = "alert error"; banner.textContent = err.message; banner.hidden = false; return; }
      send(body, formState.etag);
    });
    A.show(el("div", { class: "page-head" }, el("h1", { text: editing ? "Edit " + c.name + " record" : "New " + c.name + " record" }),
        editing ? el("span", { class: "badge", id: "record-version", text: "version " + (record.version ?? "") }) : null,
        el("span", { class: "spacer" }),
        editing && c.history ? el("a", { class: "button ghost", href: "#/" + c.name + "/" + encodeURIComponent(id) + "/history", id: "history-link", text: "History" }) : null),
      live, banner, el("section", { class: "card padded" }, form));
    if (editing && c.events) A.follow(c, "", event => {
      if (event.id !== id || !(event.version > formState.seen)) return;
      formState.seen = event.version; formState.by = event.actor || null;
      formState.check();
    }, form);
  };
})();
