// What the UI knows about each collection, read from the OpenAPI document only (C# and YAML endpoints alike).
(function () {
  "use strict";
  const A = window.LightS3Admin, resolve = A.resolve;

  function bodySchema(op) { return op && op.requestBody ? resolve(op.requestBody.content["application/json"].schema) : null; }
  const op = (spec, path, verb) => spec.paths[path] && spec.paths[path][verb];

  A.readCollections = function (spec) {
    const out = [];
    for (const [path, item] of Object.entries(spec.paths || {})) {
      const list = item.get;
      if (!list || !/_list$/.test(list.operationId || "") || path.includes("{")) continue;
      const name = list.operationId.replace(/_list$/, "");
      const itemTemplate = Object.keys(spec.paths).find(p => p.startsWith(path + "/{") && p.split("/").length === path.split("/").length + 1);
      const one = itemTemplate ? spec.paths[itemTemplate] : {};
      const listSchema = resolve(list.responses["200"].content["application/json"].schema);
      const parameters = (list.parameters || []).map(resolve);
      const params = Object.fromEntries(parameters.map(p => [p.name, p]));
      const record = resolve(listSchema.properties.results.items);
      // file fields: the record properties that have an upload operation
      const files = itemTemplate ? Object.keys(record.properties || {}).filter(f => op(spec, itemTemplate + "/" + f + "/upload", "post")) : [];
      out.push({
        name, path, itemPath: itemTemplate ? itemTemplate.replace(/\{[^}]+\}$/, "") : null, itemTemplate,
        record,
        paged: !!listSchema.properties.count,
        search: "search" in params,
        expand: "expand" in params,
        ordering: params.ordering ? resolve(params.ordering.schema).items.enum || [] : [],
        filters: filterFields(parameters),
        create: bodySchema(item.post), patch: bodySchema(one.patch),
        canDelete: !!one.delete,
        files,
        refs: Object.entries(record.properties || {}).filter(([, s]) => resolve(s)["x-ref"]).map(([k, s]) => ({ name: k, target: resolve(s)["x-ref"] })),
        history: !!(itemTemplate && op(spec, itemTemplate + "/_history", "get")),
        restore: !!(itemTemplate && op(spec, itemTemplate + "/_restore", "post")),
        trash: "deleted" in params,
        events: !!op(spec, path + "/_events", "get"),
        exportable: !!op(spec, path + "/_export", "get"),
        reindex: !!op(spec, path + "/_reindex", "post"),
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  };

  /** The equality filters of a list operation: each `field` parameter that has `field__op` siblings. */
  function filterFields(all) {
    const query = all.filter(p => p.in === "query");
    const names = new Set(query.map(p => p.name));
    return query.filter(p => !p.name.includes("__") && [...names].some(n => n.startsWith(p.name + "__")))
      .map(p => ({ name: p.name, schema: resolve(p.schema) }));
  }

  /** The field that names a record of `c` in pickers and tables: a name-like string field, else the first string field. */
  A.displayField = function (c) {
    const props = Object.entries(c.record.properties || {}).map(([k, s]) => [k, resolve(s)])
      .filter(([k, s]) => k !== "id" && A.typesOf(s).includes("string") && !s.format && !s["x-ref"] && !s.enum);
    const preferred = ["name", "title", "username", "label", "email", "slug"];
    const hit = preferred.find(p => props.some(([k]) => k === p));
    return hit || (props[0] && props[0][0]) || "id";
  };
})();
