// Editors for every field kind, built from the field's JSON Schema, and the table cells that show values.
// An editor is { node, get() }: get() returns the value to send, or undefined to leave the field out of the body.
// Every wrapper carries data-path (the server's error path, e.g. "lines[0].qty") and its own .error element.
(function () {
  "use strict";
  const A = window.LightS3Admin, el = A.el, resolve = A.resolve, typesOf = A.typesOf;

  A.controlId = path => "f-" + path.replace(/\[(\d+)\]/g, "-$1").replace(/\./g, "-");
  const errorSpan = () => el("span", { class: "error", role: "alert", hidden: true });

  /** The kind of editor a schema needs. */
  A.kindOf = function (s) {
    const types = typesOf(s);
    if (s["x-ref"]) return "ref";
    if (s.readOnly && types.includes("object")) return "file";
    if (s.enum) return "enum";
    if (types.includes("boolean")) return "bool";
    if (types.includes("integer") || types.includes("number")) return "number";
    if (types.includes("string")) return s.format === "date-time" ? "datetime" : "text";
    if (types.includes("array")) return resolve(s.items).properties ? "table" : "list";
    if (types.includes("object") && s.properties) return "object";
    return "json"; // maps and free-form json
  };

  /** A labelled editor for the field at `path`; `ctx` is { c, partial, record, id, etag() }. */
  A.editor = function (ctx, name, path, schema, value, required) {
    const s = resolve(schema);
    const kind = A.kindOf(s);
    if (kind === "file") return A.fileEditor(ctx, name, value);
    if (kind === "object") return objectEditor(ctx, name, path, s, value);
    if (kind === "table") return tableEditor(ctx, name, path, s, value);
    if (kind === "list") return listEditor(ctx, name, path, s, value);
    const id = A.controlId(path);
    const c = scalarControl(ctx, kind, id, name, s, value, required);
    const wrap = el("div", { class: "field" + (kind === "bool" ? " check" : "") + (kind === "json" ? " wide" : ""), dataset: { field: path, path } });
    const label = el("label", { for: id }, A.label(name), required ? el("span", { class: "req", "aria-hidden": "true", text: "*" }) : null);
    if (kind === "bool") wrap.append(c.node, label, errorSpan());
    else wrap.append(...[label, c.node, c.hints.length ? el("span", { class: "hint", text: c.hints.join(" · ") }) : null, errorSpan()].filter(Boolean));
    return { node: wrap, get: c.get };
  };

  /** A bare control (no label) for a scalar, ref or json value: { node, get, hints }. */
  function scalarControl(ctx, kind, id, name, s, value, required, ariaLabel) {
    const types = typesOf(s), nullable = types.includes("null");
    const hints = [];
    const initial = value === undefined ? s.default : value;
    if (kind === "ref") return A.refPicker(ctx, id, name, s, value, required, ariaLabel);
    if (kind === "json") return jsonEditor(ctx, id, s, value, required, ariaLabel);
    if (kind === "enum") {
      const node = el("select", { id, name: id, required, "aria-label": ariaLabel },
        (!required || nullable) ? el("option", { value: "", text: "—" }) : null,
        s.enum.filter(v => v !== null).map(v => el("option", { value: v, text: v })));
      if (initial !== undefined && initial !== null) node.value = initial;
      return { node, hints, get: () => node.value === "" ? (ctx.partial && nullable ? null : undefined) : node.value };
    }
    if (kind === "bool") {
      const node = el("input", { id, name: id, type: "checkbox", "aria-label": ariaLabel });
      node.checked = initial === true;
      return { node, hints, get: () => node.checked };
    }
    if (kind === "number") {
      const min = s.minimum ?? s.exclusiveMinimum, max = s.maximum ?? s.exclusiveMaximum;
      const places = s["x-decimal-places"];
      const step = types.includes("integer") ? 1 : places !== undefined ? Math.pow(10, -places).toFixed(places) : "any";
      const node = el("input", { id, name: id, type: "number", required, min, max, step, "aria-label": ariaLabel, inputmode: "decimal" });
      if (initial !== undefined && initial !== null) node.value = initial;
      if (min !== undefined || max !== undefined) hints.push((min !== undefined ? (s.exclusiveMinimum !== undefined ? "> " : "≥ ") + min : "") + (min !== undefined && max !== undefined ? ", " : "") + (max !== undefined ? (s.exclusiveMaximum !== undefined ? "< " : "≤ ") + max : ""));
      if (places !== undefined) hints.push("up to " + places + " decimal places");
      const decimal = s.format === "decimal";
      return { node, hints, get: () => {
        const raw = node.value.trim();
        if (raw === "") return ctx.partial && nullable ? null : undefined;
        // decimals keep their exact digits: sent as a numeric string when a double would round them
        return decimal && String(Number(raw)) !== raw.replace(/^(-?)0+(?=\d)/, "$1") ? raw : Number(raw);
      } };
    }
    if (kind === "datetime") {
      const node = el("input", { id, name: id, type: "datetime-local", step: 1, required, "aria-label": ariaLabel });
      if (initial) node.value = toLocalInput(initial);
      hints.push("your local time");
      return { node, hints, get: () => node.value === "" ? (ctx.partial && nullable ? null : undefined) : new Date(node.value).toISOString() };
    }
    const node = el("input", { id, name: id, type: "text", required, minlength: s.minLength, maxlength: s.maxLength, "aria-label": ariaLabel,
      pattern: s.pattern ? s.pattern.replace(/^\^/, "").replace(/\$$/, "") : undefined,
      placeholder: s.format === "uuid" ? "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" : undefined });
    if (initial !== undefined && initial !== null) node.value = initial;
    if (s.pattern) hints.push("pattern " + s.pattern);
    if (s.maxLength !== undefined) hints.push("up to " + s.maxLength + " characters");
    return { node, hints, get: () => node.value === "" ? (ctx.partial && nullable ? null : undefined) : node.value };
  }
  function toLocalInput(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return "";
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
  }

  /** A JSON editor (maps and json fields): checked as you type; in a PATCH, map keys you removed are sent as null. */
  function jsonEditor(ctx, id, s, value, required, ariaLabel) {
    const node = el("textarea", { id, name: id, spellcheck: "false", class: "json", "aria-label": ariaLabel, rows: 4 });
    const original = value;
    if (value !== undefined && value !== null) node.value = JSON.stringify(value, null, 2);
    const isMap = typesOf(s).includes("object");
    const check = () => {
      if (node.value.trim() === "") { node.setCustomValidity(""); return; }
      try { const v = JSON.parse(node.value); node.setCustomValidity(isMap && (typeof v !== "object" || v === null || Array.isArray(v)) ? "Must be a JSON object." : ""); }
      catch (e) { node.setCustomValidity("Not valid JSON: " + e.message); }
    };
    node.addEventListener("input", check);
    return { node, hints: [isMap ? "a JSON object" : "any JSON value"], get: () => {
      if (node.value.trim() === "") return ctx.partial && (original !== undefined && original !== null) ? null : undefined;
      const v = JSON.parse(node.value);
      if (ctx.partial && isMap && original && typeof original === "object")
        for (const k of Object.keys(original)) if (!(k in v)) v[k] = null; // a merge patch removes a key by null
      return v;
    } };
  }

  function objectEditor(ctx, name, path, s, value) {
    const required = new Set(ctx.partial ? [] : s.required || []);
    const parts = Object.entries(s.properties).map(([k, sub]) => [k, A.editor(ctx, k, path + "." + k, sub, value ? value[k] : undefined, required.has(k))]);
    const node = el("fieldset", { class: "field group", dataset: { field: path, path } },
      el("legend", { text: A.label(name) }), parts.map(([, e]) => e.node), errorSpan());
    return { node, get: () => {
      const out = {};
      for (const [k, e] of parts) { const v = e.get(); if (v !== undefined) out[k] = v; }
      return out;
    } };
  }

  /** Add, remove and reorder items: rebuilt from the current values on each change, so the error paths stay right. */
  function itemsEditor(ctx, name, path, s, value, renderItems) {
    let items = Array.isArray(value) ? value.slice() : [];
    let editors = [];
    const body = el("div", { class: "items" });
    const values = () => editors.map(e => e.get());
    const move = (i, d) => { items = values(); const [x] = items.splice(i, 1); items.splice(i + d, 0, x); render(); };
    const removeAt = i => { items = values(); items.splice(i, 1); render(); };
    const tools = (i, n) => el("span", { class: "item-tools" },
      el("button", { type: "button", class: "button ghost small", "aria-label": "Move item " + (i + 1) + " up", disabled: i === 0, text: "↑", onclick: () => move(i, -1) }),
      el("button", { type: "button", class: "button ghost small", "aria-label": "Move item " + (i + 1) + " down", disabled: i === n - 1, text: "↓", onclick: () => move(i, 1) }),
      el("button", { type: "button", class: "button ghost small", "aria-label": "Remove item " + (i + 1), text: "Remove", onclick: () => removeAt(i) }));
    function render() { editors = renderItems(body, items, tools); }
    render();
    const add = el("button", { type: "button", class: "button ghost small", id: A.controlId(path) + "-add", text: "Add item",
      onclick: () => {
        items = values(); items.push(undefined); render();
        const rows = body.querySelectorAll(".item, tbody tr");
        const first = rows.length && rows[rows.length - 1].querySelector("input, select, textarea");
        if (first) first.focus();
      } });
    const limits = [s.minItems !== undefined ? "at least " + s.minItems : null, s.maxItems !== undefined ? "at most " + s.maxItems : null].filter(Boolean);
    const node = el("fieldset", { class: "field group wide", dataset: { field: path, path } },
      el("legend", { text: A.label(name) }), body, el("div", { class: "item-add" }, add, limits.length ? el("span", { class: "hint", text: limits.join(", ") + " items" }) : null), errorSpan());
    return { node, get: () => values() };
  }

  function listEditor(ctx, name, path, s, value) {
    const item = resolve(s.items);
    const kind = A.kindOf(item);
    return itemsEditor(ctx, name, path, s, value, (body, items, tools) => {
      const rows = [];
      const editors = items.map((v, i) => {
        const p = path + "[" + i + "]";
        const c = scalarControl(ctx, kind, A.controlId(p), name, item, v, true, A.label(name) + " item " + (i + 1));
        rows.push(el("div", { class: "item", dataset: { path: p } }, c.node, tools(i, items.length), errorSpan()));
        return c;
      });
      body.replaceChildren(...(rows.length ? rows : [el("p", { class: "muted small", text: "No items." })]));
      return editors;
    });
  }

  /** A list of objects as a sub-table: one row per item, one column per member. */
  function tableEditor(ctx, name, path, s, value) {
    const item = resolve(s.items);
    const members = Object.entries(item.properties);
    const required = new Set(item.required || []);
    return itemsEditor(ctx, name, path, s, value, (body, items, tools) => {
      const rows = [], editors = [];
      items.forEach((v, i) => {
        const cells = members.map(([k, sub]) => {
          const ms = resolve(sub), p = path + "[" + i + "]." + k;
          const c = scalarControl(ctx, ["object", "table", "list", "file"].includes(A.kindOf(ms)) ? "json" : A.kindOf(ms), A.controlId(p), k, ms, v ? v[k] : undefined, required.has(k), A.label(k) + " of item " + (i + 1));
          return [k, c, el("td", { dataset: { path: p } }, c.node, errorSpan())];
        });
        rows.push(el("tr", { dataset: { path: path + "[" + i + "]" } }, cells.map(x => x[2]), el("td", { class: "actions" }, tools(i, items.length), errorSpan())));
        editors.push({ get: () => { const o = {}; for (const [k, c] of cells) { const x = c.get(); if (x !== undefined) o[k] = x; } return o; } });
      });
      body.replaceChildren(items.length
        ? el("div", { class: "table-wrap" }, el("table", { class: "sub-table" },
            el("thead", {}, el("tr", {}, members.map(([k]) => el("th", { scope: "col", text: A.label(k) })), el("th", {}, el("span", { class: "sr", text: "Actions" })))),
            el("tbody", {}, rows)))
        : el("p", { class: "muted small", text: "No items." }));
      return editors;
    });
  }

  /** Shows a problem's errors at their paths (the deepest wrapper that exists); returns what could not be placed. */
  A.showErrors = function (form, problem) {
    for (const f of form.querySelectorAll("[data-path]")) { f.classList.remove("invalid"); }
    for (const e of form.querySelectorAll(".error")) { e.hidden = true; e.textContent = ""; }
    const unplaced = [];
    for (const [key, messages] of Object.entries(problem.errors || {})) {
      const text = [].concat(messages).join(" ");
      let path = key, target = null;
      while (path && !(target = form.querySelector('[data-path="' + CSS.escape(path) + '"]'))) path = path.replace(/(\.[^.[\]]+|\[\d+\])$/, "") === path ? "" : path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
      if (!target) { unplaced.push(key + ": " + text); continue; }
      target.classList.add("invalid");
      const e = [...target.children].find(x => x.classList.contains("error"));
      e.textContent = (e.textContent ? e.textContent + " " : "") + (path === key ? text : key.slice(path.length).replace(/^\./, "") + ": " + text);
      e.hidden = false;
    }
    const first = form.querySelector(".invalid");
    if (first) first.scrollIntoView({ block: "nearest" });
    return unplaced;
  };

  // ---------- table cells ----------
  /** A cell's content for field `k` of `record` (values always as text). */
  A.cell = function (c, k, record) {
    const value = record[k];
    const s = resolve((c.record.properties || {})[k] || {});
    const kind = A.kindOf(s);
    if (value === null || value === undefined) return el("span", { class: "muted", text: "—" });
    if (kind === "ref") {
      const target = A.collectionByPath(s["x-ref"]);
      const embedded = record.expand && record.expand[k];
      const text = embedded && target ? String(embedded[A.displayField(target)] ?? value) : String(value);
      return target ? el("a", { href: "#/" + target.name + "/" + encodeURIComponent(value), class: "ref", title: String(value), text }) : text;
    }
    if (kind === "file") return el("span", {}, String(value.name || "file"), " ", el("span", { class: "badge " + (value.status === "ready" ? "true" : "pending"), text: value.status || "" }));
    if (typeof value === "boolean") return el("span", { class: "badge " + value, text: value ? "yes" : "no" });
    if (Array.isArray(value)) return value.length + " item" + (value.length === 1 ? "" : "s") + (value.length && typeof value[0] !== "object" ? ": " + value.join(", ") : "");
    return String(typeof value === "object" ? JSON.stringify(value) : value);
  };
})();
