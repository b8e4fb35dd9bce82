/**
 * The one span-row definition agrees with the `spans` table the migrations create: same columns, in
 * a type each value kind is stored as, and every other column has a default. A column added to one
 * and not the other fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import type { Storage } from './client.js';
import { KIND_LAYOUTS } from './row-binary.js';
import { SPAN_TABLE } from './span-table.js';

const tmp = tempDataDir();
let storage: Storage;
beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

/** The ClickHouse types a value kind may be stored as (codecs aside). */
const STORED_AS: Record<string, RegExp> = {
  text: /^(LowCardinality\()?String\)?$/,
  nanos: /^(DateTime64\(9\)|UInt64)$/,
  count: /^UInt64$/,
  usd: /^Float64$/,
  texts: /^Array\((LowCardinality\()?String\)?\)$/,
  nanosList: /^Array\(DateTime64\(9\)\)$/,
  attributes: /^Map\(LowCardinality\(String\), String\)$/,
  attributesList: /^Array\(Map\(LowCardinality\(String\), String\)\)$/,
  spanKind: /^LowCardinality\(String\)$/,
  statusCode: /^LowCardinality\(String\)$/,
};

describe('the span table definition', () => {
  it('names every column of the spans table the write path fills, in a type its values are stored as', async () => {
    const rs = await storage.client.query({ query: 'DESCRIBE TABLE spans', format: 'JSONEachRow' });
    const described = await rs.json<{ name: string; type: string; default_type: string }>();
    const byName = new Map(described.map((c) => [c.name, c]));
    for (const [column, kind] of Object.entries(SPAN_TABLE)) {
      expect(byName.get(column)?.type, column).toMatch(STORED_AS[kind]!);
    }
    const unfilled = described.filter((c) => !(c.name in SPAN_TABLE));
    for (const c of unfilled) expect(c.default_type, `${c.name} needs a default: the write path does not send it`).not.toBe('');
  });

  it('stores each column in a type laid out in RowBinary as the encoder writes its kind', async () => {
    // The encoder writes each kind's layout; ClickHouse reads it as the column's own type (row-binary.ts).
    const layoutOf = (type: string) => type.replace(/LowCardinality\((\w+)\)/g, '$1').replace(/DateTime64\(9\)/g, 'UInt64');
    const rs = await storage.client.query({ query: 'DESCRIBE TABLE spans', format: 'JSONEachRow' });
    const types = new Map((await rs.json<{ name: string; type: string }>()).map((c) => [c.name, c.type]));
    for (const [column, kind] of Object.entries(SPAN_TABLE)) expect(layoutOf(types.get(column)!), column).toBe(KIND_LAYOUTS[kind]);
  });
});
