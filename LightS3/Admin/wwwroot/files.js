// File fields: upload through the presigned flow (grant → direct upload with progress → confirm), preview images and
// PDFs, download, remove. The file's bytes are fetched with the user's token and shown from a blob: URL of a forced
// type (an image or a PDF), so an uploaded page can never run in this origin.
(function () {
  "use strict";
  const A = window.LightS3Admin, el = A.el;
  const IMAGE = /^image\/(png|jpeg|gif|webp|avif|bmp)$/;

  A.fileEditor = function (ctx, name, value) {
    const id = A.controlId(name);
    const wrap = el("div", { class: "field wide file-field", dataset: { field: name, path: name } });
    const status = el("div", { class: "file-status", id: id + "-status", "aria-live": "polite" });
    const preview = el("div", { class: "file-preview", id: id + "-preview" });
    const picker = el("input", { id, type: "file" });
    const progress = el("progress", { id: id + "-progress", max: 100, value: 0, hidden: true, "aria-label": "Upload progress of " + A.label(name) });
    const error = el("span", { class: "error", role: "alert", hidden: true });
    let file = value || null;
    const url = suffix => A.itemUrl(ctx.c, ctx.id) + "/" + encodeURIComponent(name) + (suffix || "");
    const fail = text => { error.textContent = text; error.hidden = false; wrap.classList.add("failed"); status.dataset.state = "failed"; };

    function render() {
      preview.replaceChildren();
      if (!file) { status.dataset.state = "empty"; status.replaceChildren(el("span", { class: "muted", text: "No file." })); return; }
      status.dataset.state = file.status || "ready";
      status.replaceChildren(
        el("span", { class: "file-name", text: String(file.name || "file") }), " ",
        el("span", { class: "muted small", text: [file.content_type, file.size != null ? formatBytes(file.size) : null].filter(Boolean).join(", ") }), " ",
        el("span", { class: "badge " + (file.status === "ready" ? "true" : "pending"), text: file.status === "pending" ? "pending: upload not confirmed" : String(file.status || "") }),
        el("span", { class: "file-actions" },
          file.status === "ready" ? el("button", { type: "button", class: "button ghost small", text: "Download", "aria-label": "Download " + A.label(name), onclick: download }) : null,
          file.status === "ready" && (IMAGE.test(file.content_type || "") || file.content_type === "application/pdf")
            ? el("button", { type: "button", class: "button ghost small", text: "Preview", "aria-label": "Preview " + A.label(name), onclick: showPreview }) : null,
          el("button", { type: "button", class: "button ghost small", text: "Remove", "aria-label": "Remove " + A.label(name), onclick: remove })));
    }
    async function blobOf() {
      const response = await A.fetchRaw("GET", url());
      return response.blob();
    }
    async function download() {
      try { A.saveBlob(await blobOf(), file.name); } catch (err) { fail(A.describe(err)); }
    }
    async function showPreview() {
      try {
        const bytes = await blobOf();
        const type = IMAGE.test(file.content_type) ? file.content_type : "application/pdf";
        const src = URL.createObjectURL(new Blob([bytes], { type }));
        preview.replaceChildren(type === "application/pdf"
          ? el("iframe", { src, title: "Preview of " + String(file.name), class: "pdf" })
          : el("img", { src, alt: "Preview of " + String(file.name) }));
      } catch (err) { fail(A.describe(err)); }
    }
    async function remove() {
      if (!(await A.confirmDialog("Remove the file " + String(file.name) + " from this record?", "Remove", "Remove file?"))) return;
      try { await A.write(() => A.fetchRaw("DELETE", url(), { headers: { "If-Match": ctx.etag() } })); file = null; error.hidden = true; render(); A.toast("File removed."); }
      catch (err) { fail(A.describe(err)); }
    }
    async function upload(chosen) {
      error.hidden = true; wrap.classList.remove("failed");
      try {
        const grant = (await A.write(() => A.api("POST", url("/upload"), { body: { name: chosen.name, content_type: chosen.type || undefined, size: chosen.size } }))).data;
        status.dataset.state = "uploading";
        status.replaceChildren(el("span", { text: "Uploading " + chosen.name + "…" }));
        progress.hidden = false; progress.value = 0;
        await send(grant, chosen, p => { progress.value = p; });
        const confirmed = await A.write(() => A.api("POST", url("/confirm")));
        file = confirmed.data[name]; progress.hidden = true; render();
        A.toast("File uploaded.");
      } catch (err) {
        progress.hidden = true;
        fail((err.status === 422 ? "Not accepted: " : "Upload failed: ") + A.describe(err));
        const retry = el("button", { type: "button", class: "button ghost small", text: "Retry", onclick: () => upload(chosen) });
        status.replaceChildren(el("span", { text: String(chosen.name) + " — failed " }), retry);
      }
    }
    picker.addEventListener("change", () => { if (picker.files[0]) upload(picker.files[0]); picker.value = ""; });
    render();
    if (ctx.id === null) {
      wrap.append(el("span", { class: "label", text: A.label(name) }), el("span", { class: "muted", text: "Save the record first, then attach a file." }));
      return { node: wrap, get: () => undefined };
    }
    wrap.append(el("label", { for: id, text: A.label(name) }), status, el("div", { class: "file-upload" }, picker, progress), preview, error);
    return { node: wrap, get: () => undefined }; // file fields are read-only in bodies: only their routes change them
  };

  /** Uploads with exactly what the grant says (a POST form with its fields first, or a PUT with its headers). */
  function send(grant, file, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(grant.method || "PUT", grant.url);
      let body = file;
      if ((grant.method || "PUT").toUpperCase() === "POST") {
        body = new FormData();
        for (const [k, v] of Object.entries(grant.fields || {})) body.append(k, v);
        body.append("file", file);
      } else for (const [k, v] of Object.entries(grant.headers || {})) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(Math.round(100 * e.loaded / e.total)); };
      xhr.onload = () => xhr.status >= 200 && xhr.status < 300 ? (onProgress(100), resolve()) : reject(new A.ApiError(xhr.status, { detail: "the storage answered " + xhr.status }));
      xhr.onerror = () => reject(new A.ApiError(0, { detail: "the storage could not be reached" }));
      xhr.send(body);
    });
  }
  function formatBytes(n) { return n < 1024 ? n + " B" : n < 1048576 ? (n / 1024).toFixed(1) + " KB" : (n / 1048576).toFixed(1) + " MB"; }
})();
