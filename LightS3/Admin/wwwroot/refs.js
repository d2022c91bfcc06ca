// The reference picker: search the target collection, choose a record shown by its display field, link to it.
// What the user may not read of the target is shown as its id only.
(function () {
  "use strict";
  const A = window.LightS3Admin, el = A.el;

  A.refPicker = function (ctx, id, name, s, value, required, ariaLabel) {
    const target = A.collectionByPath(s["x-ref"]);
    const nullable = A.typesOf(s).includes("null");
    let chosen = value === undefined || value === null ? null : String(value);
    const search = el("input", { id, type: "search", autocomplete: "off", placeholder: "Search " + (target ? target.name : s["x-ref"]) + "…",
      "aria-label": ariaLabel, "aria-describedby": id + "-chosen", "aria-controls": id + "-results" });
    const results = el("ul", { class: "ref-results", id: id + "-results", "aria-label": "Matching records", hidden: true });
    const current = el("span", { class: "ref-chosen", id: id + "-chosen", "aria-live": "polite" });
    const showChosen = display => {
      current.replaceChildren(chosen === null
        ? el("span", { class: "muted", text: "None chosen" })
        : el("span", {}, "Chosen: ", target ? el("a", { href: "#/" + target.name + "/" + encodeURIComponent(chosen), class: "ref", text: display ?? chosen }) : String(display ?? chosen),
            display !== undefined && display !== chosen ? el("span", { class: "muted small", text: " (" + chosen + ")" }) : null,
            " ", (!required || nullable) ? el("button", { type: "button", class: "button ghost small", text: "Clear", "aria-label": "Clear " + A.label(name), onclick: () => { chosen = null; showChosen(); } }) : null));
    };
    showChosen();
    if (chosen !== null && target) {
      // the target's display field, when the user may read the target
      A.api("GET", A.itemUrl(target, chosen)).then(r => showChosen(String(r.data[A.displayField(target)] ?? chosen))).catch(() => showChosen());
    }
    let timer = 0, seq = 0;
    const find = async () => {
      if (!target) return;
      const q = search.value.trim(), mine = ++seq;
      const display = A.displayField(target);
      let rows = [];
      try {
        const r = await A.api("GET", target.path + (target.search && q ? "?search=" + encodeURIComponent(q) : ""));
        rows = Array.isArray(r.data) ? r.data : r.data.results || [];
      } catch (err) { if (mine === seq) { results.replaceChildren(el("li", { class: "muted", text: A.describe(err) })); results.hidden = false; } return; }
      if (mine !== seq) return;
      if (!target.search && q) rows = rows.filter(x => String(x[display] ?? "").toLowerCase().includes(q.toLowerCase()) || String(x.id).startsWith(q));
      results.replaceChildren(...(rows.length ? rows.slice(0, 20).map(x => el("li", {},
        el("button", { type: "button", class: "ref-option", dataset: { id: x.id }, onclick: () => {
          chosen = String(x.id); showChosen(String(x[display] ?? x.id)); results.hidden = true; search.value = ""; search.focus();
        } }, String(x[display] ?? x.id), el("span", { class: "muted small", text: " " + x.id }))))
        : [el("li", { class: "muted", text: "No matches." })]));
      results.hidden = false;
    };
    search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(find, 200); });
    search.addEventListener("keydown", e => {
      if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); find(); }
      if (e.key === "ArrowDown") { const b = !results.hidden && results.querySelector("button"); if (b) { e.preventDefault(); b.focus(); } else find(); }
      if (e.key === "Escape") results.hidden = true;
    });
    results.addEventListener("keydown", e => {
      const buttons = [...results.querySelectorAll("button")], i = buttons.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < buttons.length - 1) { e.preventDefault(); buttons[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? buttons[i - 1] : search).focus(); }
      if (e.key === "Escape") { results.hidden = true; search.focus(); }
    });
    const node = el("div", { class: "ref-picker" }, search, current, results);
    return { node, hints: target ? [] : ["id of a record of " + s["x-ref"]], get: () => chosen === null ? (ctx.partial || nullable ? (ctx.partial && value != null ? null : undefined) : undefined) : chosen };
  };
})();
