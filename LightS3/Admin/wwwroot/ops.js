// Jobs: the instance's readiness checks and its leased background jobs, as /readyz reports them (lease holder, expiry,
// last run, last error). Read-only; /readyz answers 503 when a check fails, and that answer is shown too.
(function () {
  "use strict";
  const A = window.LightS3Admin, el = A.el;

  A.renderJobs = async function () {
    A.markCurrent("_jobs");
    const body = el("div", {}, el("p", { class: "muted", text: "Loading…" }));
    A.show(el("div", { class: "page-head" }, el("h1", { text: "Jobs" }), el("span", { class: "spacer" }),
      el("button", { class: "button ghost", type: "button", id: "jobs-refresh", text: "Refresh", onclick: () => A.renderJobs() })), body);
    let report;
    try { report = await (await fetch("/readyz", { headers: { Accept: "application/json" } })).json(); }
    catch (err) { body.replaceChildren(el("div", { class: "alert error", role: "alert", text: "Could not read /readyz: " + err.message })); return; }
    const checks = Object.entries(report.checks || {});
    const jobs = Object.entries(((report.checks || {}).jobs || {}).data || {});
    const text = v => v === null || v === undefined ? "—" : typeof v === "boolean" ? (v ? "yes" : "no") : String(v);
    body.replaceChildren(
      el("section", { class: "card" }, el("div", { class: "table-wrap" }, el("table", { id: "checks", "aria-label": "Readiness checks" },
        el("thead", {}, el("tr", {}, ["check", "status", "details"].map(h => el("th", { scope: "col", text: h })))),
        el("tbody", {}, checks.map(([name, c]) => el("tr", { dataset: { check: name } },
          el("td", { text: name }), el("td", {}, el("span", { class: "badge " + (c.status === "Healthy"), text: text(c.status) })), el("td", { text: text(c.description) }))))))),
      el("h2", { class: "section-title", text: "Leased jobs" }),
      el("section", { class: "card" }, el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": "Leased jobs" }, el("table", { id: "jobs" },
        el("thead", {}, el("tr", {}, ["job", "enabled", "every", "holder", "held here", "lease expires", "last run", "last error"].map(h => el("th", { scope: "col", text: h })))),
        el("tbody", {}, jobs.length ? jobs.map(([name, j]) => el("tr", { dataset: { job: name } },
          el("td", { text: name }), el("td", { text: text(j.enabled) }), el("td", { text: j.interval_s != null ? j.interval_s + " s" : "—" }),
          el("td", { text: text(j.holder) }), el("td", { text: text(j.held_here) }),
          el("td", { text: j.lease_expires_at ? A.formatTime(j.lease_expires_at) : "—" }), el("td", { text: j.last_run_at ? A.formatTime(j.last_run_at) : "—" }),
          el("td", { class: j.last_error ? "danger-text" : null, text: text(j.last_error) })))
          : el("tr", {}, el("td", { class: "empty", colspan: 99, text: "No leased jobs on this instance." })))))));
  };
})();
