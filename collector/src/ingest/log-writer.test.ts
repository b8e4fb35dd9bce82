/**
 * The log records' write path against the real embedded chDB: a write resolves only once its rows
 * are in ClickHouse; writes arriving during an insert share the next one (group commit); a full
 * queue is refused with `overloaded`; rows ClickHouse refuses fail only their own request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SightlineError } from '../errors.js';
import type { RawInsert, Storage } from '../storage/client.js';
import type { LogRow } from '../storage/log-table.js';
import { count, openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { LogWriter } from './log-writer.js';

const tmp = tempDataDir();
let storage: Storage;
beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

const NOW_NS = BigInt(Date.now()) * 1_000_000n;
let batchSeq = 0;
/** `n` records of one request; each call makes other records (equal content would be a retried copy). */
function rows(traceId: string, n: number, timestamp = NOW_NS.toString()): LogRow[] {
  const batch = ++batchSeq;
  return Array.from({ length: n }, (_, i) => ({
    timestamp,
    observed_timestamp: NOW_NS.toString(),
    trace_id: traceId,
    span_id: '01'.repeat(8),
    severity_number: 9,
    severity_text: 'INFO',
    event_name: '',
    body: `record ${i} of request ${batch}`,
    log_attributes: { i: String(i) },
    resource_attributes: { 'service.name': 'writer-test' },
    service_name: 'writer-test',
    scope_name: '',
    record_index: i,
    project_id: '',
  }));
}
const stored = (traceId: string) => count(storage, 'SELECT count() FROM logs WHERE trace_id = {id:String}', { id: traceId });

/** The real insert, with a gate the test opens: holds the first insert while more writes arrive. */
function gatedInsert() {
  const inserts: number[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  return {
    inserts,
    open: () => open(),
    insert: async (r: RawInsert) => {
      inserts.push(r.body.toString('utf8').split('\n').length - 1);
      if (inserts.length === 1) await gate;
      await storage.insertRaw(r);
    },
  };
}

describe('LogWriter', () => {
  it('resolves a write only once its rows are in ClickHouse', async () => {
    const writer = new LogWriter((r) => storage.insertRaw(r));
    await writer.write(rows('a1'.repeat(16), 3), 'default');
    expect(await stored('a1'.repeat(16))).toBe(3);
  });

  it('puts the writes that arrive during an insert into one next insert', async () => {
    const g = gatedInsert();
    const writer = new LogWriter(g.insert);
    const first = writer.write(rows('b1'.repeat(16), 1), 'default');
    const later = [2, 3, 4].map((n) => writer.write(rows('b2'.repeat(16), n), 'default'));
    await new Promise((r) => setImmediate(r));
    expect(await stored('b2'.repeat(16))).toBe(0); // nothing acknowledged, nothing claimed
    g.open();
    await Promise.all([first, ...later]);
    expect(g.inserts).toEqual([1, 9]);
    expect(await stored('b2'.repeat(16))).toBe(9);
  });

  it('refuses a write with overloaded when the queue is full', async () => {
    const g = gatedInsert();
    const writer = new LogWriter(g.insert, { maxQueuedRecords: 5 });
    const first = writer.write(rows('c1'.repeat(16), 4), 'default');
    const refused = writer.write(rows('c1'.repeat(16), 2), 'default').catch((e: unknown) => e);
    g.open();
    await first;
    const err = await refused;
    expect(err).toBeInstanceOf(SightlineError);
    expect((err as SightlineError).code).toBe('overloaded');
    expect(await stored('c1'.repeat(16))).toBe(4);
  });

  it('fails only the request whose rows ClickHouse refuses (unavailable), and stores the others', async () => {
    const g = gatedInsert();
    const writer = new LogWriter(g.insert);
    const first = writer.write(rows('d1'.repeat(16), 1), 'default');
    const bad = writer.write(rows('d2'.repeat(16), 1, 'not a time'), 'default').catch((e: unknown) => e);
    const good = writer.write(rows('d3'.repeat(16), 2), 'default');
    g.open();
    await Promise.all([first, good]);
    expect(((await bad) as SightlineError).code).toBe('unavailable');
    // The answer (and any log of it) names the failure, never the refused row's text.
    expect(((await bad) as SightlineError).message).not.toMatch(/record 0 of request|writer-test|Row \d+:|parsed text/);
    expect([await stored('d1'.repeat(16)), await stored('d2'.repeat(16)), await stored('d3'.repeat(16))]).toEqual([1, 0, 2]);
  });

  it('stores a retried request once, also when the retry arrives while the first copy is being written', async () => {
    const g = gatedInsert();
    const writer = new LogWriter(g.insert);
    const request = rows('d'.repeat(32), 3);
    const first = writer.write(request, 'default');
    const retryInFlight = writer.write(request, 'default'); // the exporter timed out and sent it again
    g.open();
    await Promise.all([first, retryInFlight]);
    await writer.write(request, 'default'); // and once more, after the first copy is stored
    expect(await stored('d'.repeat(32))).toBe(3);
    expect(writer.duplicateRecords()).toBe(6);
    // Two equal records within one request are two records.
    const twins = rows('e'.repeat(32), 2).map((r) => ({ ...r, body: 'same', log_attributes: {} }));
    await writer.write(twins, 'default');
    expect(await stored('e'.repeat(32))).toBe(2);
  });

  it('folds a copy stored past the writer memory (a retry across a restart) in the table', async () => {
    const request = rows('f'.repeat(32), 2);
    await new LogWriter((r) => storage.insertRaw(r)).write(request, 'default');
    await new LogWriter((r) => storage.insertRaw(r)).write(request, 'default'); // a new process: no memory of the first
    expect(await count(storage, 'SELECT count() FROM logs FINAL WHERE trace_id = {id:String}', { id: 'f'.repeat(32) })).toBe(2);
  });
});
