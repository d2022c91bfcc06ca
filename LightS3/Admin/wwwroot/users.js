// Users (the auth module): list, create, grant or withdraw admin, revoke sessions, reset a password, delete.
// Every action is an admin-only route of the module; the rules (password policy, unique names) are the server's.
(function () {
  "use strict";
  const A = window.LightS3Admin, el = A.el;
  const url = path => A.AUTH + "/users" + (path || "");

  A.renderUsers = async function () {
    A.markCurrent("_users");
    const banner = el("div", { id: "users-alert", hidden: true, role: "alert" });
    const tbody = el("tbody", {}, el("tr", {}, el("td", { class: "empty", colspan: 99, text: "Loading…" })));
    const field = (id, label, attrs) => el("div", { class: "field", dataset: { path: attrs.name } }, el("label", { for: id, text: label }), el("input", Object.assign({ id }, attrs)), el("span", { class: "error", role: "alert", hidden: true }));
    const admin = el("input", { id: "new-user-admin", type: "checkbox", name: "is_admin" });
    const form = el("form", { class: "form", id: "new-user" },
      field("new-user-username", "Username", { name: "username", required: true, autocomplete: "off" }),
      field("new-user-email", "Email", { name: "email", type: "email", required: true, autocomplete: "off" }),
      field("new-user-password", "Password", { name: "password", type: "password", required: true, autocomplete: "new-password" }),
      el("div", { class: "field check", dataset: { path: "is_admin" } }, admin, el("label", { for: "new-user-admin", text: "Admin" }), el("span", { class: "error", hidden: true })),
      el("div", { class: "actions" }, el("button", { class: "button", type: "submit", id: "create-user", text: "Create user" })));
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const v = name => form.elements.namedItem(name).value;
      try {
        await A.api("POST", url(), { body: { username: v("username"), email: v("email"), password: v("password"), is_admin: admin.checked } });
        A.toast("User created."); A.renderUsers();
      } catch (err) { A.showErrors(form, err.problem); if (!err.problem.errors) say(A.describe(err)); }
    });
    const say = (text, ok) => { banner.className = "alert " + (ok ? "success" : "error"); banner.textContent = text; banner.hidden = false; };
    A.show(el("div", { class: "page-head" }, el("h1", { text: "Users" })), banner,
      el("section", { class: "card" }, el("div", { class: "table-wrap" }, el("table", { id: "users" },
        el("thead", {}, el("tr", {}, ["username", "email", "admin", "created"].map(h => el("th", { scope: "col", text: h })), el("th", {}, el("span", { class: "sr", text: "Actions" })))), tbody))),
      el("section", { class: "card padded", id: "new-user-card" }, el("h2", { text: "New user" }), form));
    let users;
    try { users = (await A.api("GET", url())).data.results; }
    catch (err) { tbody.replaceChildren(el("tr", {}, el("td", { class: "empty", colspan: 99 }, el("span", { role: "alert", text: A.describe(err) })))); return; }
    const act = async (call, done) => { try { await call(); A.toast(done); A.renderUsers(); } catch (err) { say(A.describe(err)); } };
    tbody.replaceChildren(...users.map(u => {
      const name = String(u.username);
      const reset = el("form", { class: "inline-form", hidden: true },
        el("label", { for: "reset-" + u.id, class: "sr", text: "New password for " + name }),
        el("input", { id: "reset-" + u.id, type: "password", required: true, autocomplete: "new-password", placeholder: "New password" }),
        el("button", { class: "button small", type: "submit", text: "Set password" }));
      reset.addEventListener("submit", e => {
        e.preventDefault();
        act(() => A.api("POST", url("/" + encodeURIComponent(u.id) + "/password"), { body: { new_password: reset.elements[0].value } }), "Password reset; " + name + "'s sessions ended.");
      });
      return el("tr", { dataset: { id: u.id, username: name } },
        el("td", { text: name }), el("td", { text: String(u.email ?? "") }),
        el("td", {}, el("span", { class: "badge " + (u.is_admin === true), text: u.is_admin === true ? "admin" : "no" })),
        el("td", { text: A.formatTime(u.created_at) }),
        el("td", { class: "actions" },
          el("button", { class: "button ghost small", type: "button", text: u.is_admin === true ? "Remove admin" : "Make admin", "aria-label": (u.is_admin === true ? "Remove admin from " : "Make admin ") + name,
            onclick: () => act(() => A.api("PUT", url("/" + encodeURIComponent(u.id) + "/admin"), { body: { is_admin: u.is_admin !== true } }), "Admin rights changed.") }),
          el("button", { class: "button ghost small", type: "button", text: "Revoke sessions", "aria-label": "Revoke sessions of " + name,
            onclick: async () => { if (await A.confirmDialog("End every session of " + name + "?", "Revoke sessions", "Revoke sessions?")) act(() => A.api("POST", url("/" + encodeURIComponent(u.id) + "/revoke-sessions")), "Sessions of " + name + " ended."); } }),
          el("button", { class: "button ghost small", type: "button", text: "Reset password", "aria-label": "Reset password of " + name,
            onclick: () => { reset.hidden = !reset.hidden; if (!reset.hidden) reset.elements[0].focus(); } }),
          reset));
    }));
  };
})();
