/**
 * `pnpm check:cycles`: the collector's import structure.
 * - No cycle between the folders of collector/src (otlp ⇄ normalize, storage ⇄ api, …): each arrow of
 *   the data flow is one folder, and arrows only point one way.
 * - No module-level import cycle.
 * - No lower layer (storage, alerts, drift, ingest, normalize, otlp) imports the HTTP layer (api/):
 *   shared types live in the contract package.
 * Tests, their shared cases and test support are left out: they may reach across layers.
 * Exits 1 on any violation, listing every one.
 */
import { cruise } from 'dependency-cruiser';

const ROOT = 'collector/src';
const LOWER_LAYERS = ['storage', 'alerts', 'drift', 'ingest', 'normalize', 'otlp'];

const result = await cruise(
  [ROOT],
  {
    exclude: { path: ['\\.test\\.ts$', '\\.case\\.ts$', '/test-support/', 'node_modules'] },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'collector/tsconfig.json' },
    ruleSet: {
      forbidden: [
        {
          name: 'lower-layer-imports-api',
          severity: 'error',
          from: { path: `^${ROOT}/(${LOWER_LAYERS.join('|')})/` },
          to: { path: `^${ROOT}/api/` },
        },
        { name: 'module-cycle', severity: 'error', from: {}, to: { circular: true } },
      ],
    },
    validate: true,
  },
  { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  { tsConfig: { fileName: 'collector/tsconfig.json' } },
);
const output = result.output;

/** `collector/src/storage/queries/x.ts` → `storage`; a file directly in src → `(root)`. */
function folderOf(path) {
  if (!path.startsWith(`${ROOT}/`)) return undefined;
  const rest = path.slice(ROOT.length + 1).split('/');
  return rest.length > 1 ? rest[0] : '(root)';
}

// Folder graph: which folder imports which (and through which files, for the report).
const edges = new Map();
for (const m of output.modules) {
  const from = folderOf(m.source);
  if (!from || from === '(root)') continue;
  for (const d of m.dependencies) {
    const to = folderOf(d.resolved);
    if (!to || to === from || to === '(root)') continue;
    const key = `${from}→${to}`;
    if (!edges.has(key)) edges.set(key, []);
    edges.get(key).push(`${m.source} → ${d.resolved}`);
  }
}
const next = new Map();
for (const key of edges.keys()) {
  const [from, to] = key.split('→');
  if (!next.has(from)) next.set(from, new Set());
  next.get(from).add(to);
}

// Strongly connected components (Tarjan): a component of more than one folder is a folder cycle.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
let counter = 0;
function visit(v) {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const w of next.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const c = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1) components.push(c.sort());
  }
}
for (const v of next.keys()) if (!index.has(v)) visit(v);

let failures = 0;
for (const c of components) {
  failures++;
  console.log(`folder cycle: ${c.join(', ')}`);
  for (const from of c)
    for (const to of c) {
      const via = edges.get(`${from}→${to}`);
      if (!via) continue;
      // The file imports are listed where two folders import each other: that is where a cycle is cut.
      const mutual = edges.has(`${to}→${from}`);
      console.log(`  ${from} → ${to}: ${via.length} import(s)${mutual ? ` (and back)` : ''}`);
      if (mutual) for (const line of via) console.log(`      ${line}`);
    }
}
for (const v of output.summary.violations) {
  failures++;
  const cycle = v.cycle ? `: ${v.cycle.map((c) => (typeof c === 'string' ? c : c.name)).join(' → ')}` : '';
  console.log(`${v.rule.name}: ${v.from} → ${v.to}${cycle}`);
}
const folders = [...new Set([...next.keys(), ...[...next.values()].flatMap((s) => [...s])])].sort();
console.log(
  `\ncheck:cycles: ${output.summary.totalCruised} modules, folders ${folders.join(', ')}; ${failures === 0 ? 'no violations' : `${failures} violation(s)`}`,
);
process.exit(failures === 0 ? 0 : 1);
