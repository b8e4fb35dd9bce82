/**
 * The parts of a `CREATE TABLE` statement of our migrations, so that the head schema is built from
 * the migrations' own text (columns, codecs, indexes, keys, settings) instead of a second copy that
 * could drift from them. Only the shape our migrations use is understood: one clause per line after
 * the closing parenthesis (ENGINE, PARTITION BY, ORDER BY, TTL, SETTINGS); anything else throws.
 */

export interface TableParts {
  /** Column and INDEX definitions, in order, each as written (without the separating comma). */
  elements: string[];
  /** The engine with its arguments, e.g. `ReplacingMergeTree(version)`. */
  engine: string;
  partitionBy?: string | undefined;
  orderBy: string;
  ttl?: string | undefined;
  /** `name = value` items of the SETTINGS clause. */
  settings: string[];
}

/** Splits `text` at the commas that are outside parentheses, brackets and quotes. */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '`' || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) out.push(last);
  return out;
}

const CLAUSES: ReadonlyArray<[keyof TableParts, string]> = [
  ['engine', 'ENGINE = '],
  ['partitionBy', 'PARTITION BY '],
  ['orderBy', 'ORDER BY '],
  ['ttl', 'TTL '],
  ['settings', 'SETTINGS '],
];

/** The parts of `CREATE TABLE IF NOT EXISTS <name> (...)\nENGINE = ...` as our migrations write it. */
export function parseCreateTable(sql: string): TableParts {
  const open = sql.indexOf('(');
  const close = sql.lastIndexOf('\n)\n');
  if (!/^\s*CREATE TABLE IF NOT EXISTS \w+ \($/m.test(sql.slice(0, open + 1)) || close < open) {
    throw new Error(`not a CREATE TABLE of the expected shape: ${sql.slice(0, 80)}`);
  }
  const parts: Partial<TableParts> = { elements: splitTopLevel(sql.slice(open + 1, close)), settings: [] };
  for (const line of sql.slice(close + 3).split('\n')) {
    const clause = CLAUSES.find(([, prefix]) => line.startsWith(prefix));
    if (!clause) throw new Error(`unexpected clause in CREATE TABLE: ${line}`);
    const value = line.slice(clause[1].length).trim();
    if (clause[0] === 'settings') parts.settings = splitTopLevel(value);
    else (parts as Record<string, string>)[clause[0]] = value;
  }
  if (!parts.engine || !parts.orderBy) throw new Error(`CREATE TABLE without ENGINE or ORDER BY: ${sql.slice(0, 80)}`);
  return parts as TableParts;
}

/** The definitions added by `ALTER TABLE <t> ADD COLUMN IF NOT EXISTS a, ADD COLUMN IF NOT EXISTS b…`. */
export function addedColumns(alter: string): string[] {
  const body = alter.trim().replace(/^ALTER TABLE \w+\s+/, '');
  return splitTopLevel(body).map((item) => {
    const m = /^ADD COLUMN IF NOT EXISTS ([\s\S]+)$/.exec(item);
    if (!m) throw new Error(`not an ADD COLUMN: ${item}`);
    return m[1]!;
  });
}

/** The definition added by `ALTER TABLE <t> ADD INDEX IF NOT EXISTS <def> [SETTINGS …]`, and its settings. */
export function addedIndex(alter: string): { index: string; settings: string[] } {
  const m = /^ALTER TABLE \w+ ADD INDEX IF NOT EXISTS ([\s\S]+?)(?:\nSETTINGS (.+))?$/.exec(alter.trim());
  if (!m) throw new Error(`not an ADD INDEX: ${alter.slice(0, 80)}`);
  return { index: `INDEX ${m[1]!}`, settings: m[2] ? splitTopLevel(m[2]) : [] };
}

/** A `CREATE TABLE IF NOT EXISTS` statement from its parts; `onCluster` is already quoted. */
export function renderCreateTable(name: string, p: TableParts, onCluster = ''): string {
  const lines = [
    `CREATE TABLE IF NOT EXISTS ${name}${onCluster} (`,
    p.elements.map((e) => `  ${e}`).join(',\n'),
    ')',
    `ENGINE = ${p.engine}`,
  ];
  if (p.partitionBy) lines.push(`PARTITION BY ${p.partitionBy}`);
  lines.push(`ORDER BY ${p.orderBy}`);
  if (p.ttl) lines.push(`TTL ${p.ttl}`);
  if (p.settings.length > 0) lines.push(`SETTINGS ${p.settings.join(', ')}`);
  return lines.join('\n');
}
