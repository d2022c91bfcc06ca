// LightS3 admin UI: sign-in, the sidebar and the router. The screens live in their own files (list.js, form.js,
// history.js, …), all loaded before this one; every data call carries the signed-in user's bearer token.
(function () {
  "use strict";
  const A = window.LightS3Admin, el = A.el, state = A.state;

  // ---------- sign-in ----------
  A.signOut = function (message) {
    A.stopLive();
    state.token = null; state.user = null;
    sessionStorage.removeItem(A.TOKEN_KEY);
    renderChrome();
    renderSignIn(message);
  };
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
        const { data } = await A.api("POST", A.AUTH + "/login", { body: { username: user.value, password: pass.value }, auth: false });
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
    A.show(el("div", { class: "card padded center-card" },
      el("h1", { text: "Sign in" }), el("p", { class: "muted", text: "Manage the records of this LightS3 API." }),
      el("div", { class: "tabs", role: "tablist" }, tabA, tabB), error, passwordForm, tokenForm));
  }
  async function signIn(token) {
    state.token = token;
    sessionStorage.setItem(A.TOKEN_KEY, token);
    await start();
  }
  function decodeToken(token) {
    try { return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))); } catch { return null; }
  }
  async function whoAmI() {
    try { const me = (await A.api("GET", A.AUTH + "/me")).data; state.authModule = true; return me; }
    catch (err) {
      if (err.status !== 404) throw err;
      const claims = decodeToken(state.token) || {}; // no auth module: read the token's own claims
      return { username: claims.sub || claims.name || "", is_admin: claims.is_admin === true || claims.is_admin === "true" || claims.role === "admin" };
    }
  }

  // ---------- sidebar ----------
  function renderSidebar() {
    const ul = document.getElementById("collections");
    ul.replaceChildren(...state.collections.map(c => el("li", {}, el("a", { href: "#/" + c.name, dataset: { collection: c.name }, text: c.name }))));
    const screens = [state.authModule ? ["_users", "Users"] : null, ["_jobs", "Jobs"]].filter(Boolean);
    document.getElementById("admin-nav-title").hidden = !screens.length;
    document.getElementById("admin-nav").replaceChildren(...screens.map(([k, t]) => el("li", {}, el("a", { href: "#/" + k, dataset: { collection: k }, text: t }))));
  }
  A.markCurrent = function (name) {
    for (const a of document.querySelectorAll("#collections a, #admin-nav a")) a.toggleAttribute("aria-current", a.dataset.collection === name) && a.setAttribute("aria-current", "page");
    document.getElementById("sidebar").classList.remove("open");
  };

  // ---------- routing ----------
  async function route() {
    A.stopLive();
    A.state.form = null;
    if (!state.user || !state.user.is_admin) return;
    const m = /^#\/([^/?]+)(?:\/([^/?]+))?(?:\/(history))?(?:\?(.*))?$/.exec(location.hash);
    if (m && m[1] === "_users" && state.authModule) return A.renderUsers();
    if (m && m[1] === "_jobs") return A.renderJobs();
    const c = m && state.collections.find(x => x.name === decodeURIComponent(m[1]));
    if (!c) {
      A.markCurrent(null);
      return A.show(el("div", { class: "page-head" }, el("h1", { text: "Collections" })),
        el("section", { class: "card" }, el("ul", { class: "stack padded", id: "overview" }, state.collections.length
          ? state.collections.map(x => el("li", {}, el("a", { href: "#/" + x.name, text: x.name }), " ", el("span", { class: "muted", text: x.path })))
          : el("li", { class: "muted", text: "This API has no collections." }))));
    }
    if (m[2] === "new") return A.renderForm(c, null);
    if (m[2] === "_trash") return A.renderTrash(c, m[4]);
    if (m[2] && m[3]) return A.renderHistory(c, decodeURIComponent(m[2]));
    if (m[2]) return A.renderForm(c, decodeURIComponent(m[2]));
    return A.renderList(c, m[4]);
  }
  async function start() {
    try {
      state.user = await whoAmI();
    } catch (err) { if (err.status !== 401) A.signOut(err.message); return; }
    renderChrome();
    if (!state.user.is_admin) {
      return A.show(el("div", { class: "card padded center-card", id: "admins-only" },
        el("h1", { text: "Admins only" }),
        el("p", { class: "muted", text: "You are signed in as " + (state.user.username || "this user") + ", who is not an administrator. Ask an administrator for access." }),
        el("button", { class: "button ghost", type: "button", text: "Sign in as someone else", onclick: () => A.signOut() })));
    }
    if (!A.OPENAPI) return A.show(el("div", { class: "alert error", text: "The OpenAPI document is turned off (LIGHTS3_OPENAPI=false); the admin UI needs it." }));
    try { state.spec = (await A.api("GET", A.OPENAPI)).data; }
    catch (err) { return A.show(el("div", { class: "alert error", role: "alert", text: "Could not load the API description: " + err.message })); }
    state.collections = A.readCollections(state.spec);
    renderSidebar();
    route();
  }

  document.getElementById("sign-out").addEventListener("click", () => A.signOut());
  document.getElementById("menu-toggle").addEventListener("click", e => {
    const open = document.getElementById("sidebar").classList.toggle("open");
    e.currentTarget.setAttribute("aria-expanded", String(open));
  });
  window.addEventListener("hashchange", route);
  if (state.token) start(); else { renderChrome(); renderSignIn(); }
})();
