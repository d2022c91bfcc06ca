import fs from 'node:fs';
import * as yaml from 'js-yaml';
const file = process.argv[2];
const docs = yaml.loadAll(fs.readFileSync(file, 'utf8')).filter(Boolean);
const map = {
  'v1/ConfigMap': ['kubernetes-models/v1/ConfigMap', 'ConfigMap'],
  'v1/Secret': ['kubernetes-models/v1/Secret', 'Secret'],
  'v1/Service': ['kubernetes-models/v1/Service', 'Service'],
  'apps/v1/Deployment': ['kubernetes-models/apps/v1/Deployment', 'Deployment'],
};
let failed = 0;
for (const d of docs) {
  const [mod, name] = map[`${d.apiVersion}/${d.kind}`] ?? [];
  if (!mod) { console.log(`no model for ${d.apiVersion}/${d.kind}`); failed++; continue; }
  const Model = (await import(mod))[name];
  try { new Model(d).validate(); console.log(`ok   ${d.kind}/${d.metadata.name}`); }
  catch (e) { failed++; console.log(`FAIL ${d.kind}/${d.metadata.name}: ${e.message}`); }
}
process.exit(failed ? 1 : 0);
