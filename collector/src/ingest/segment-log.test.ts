import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../test-support/temp-storage.js';
import { agentTrace } from '../test-support/span-rows.js';
import { encodeSpanRows } from '../storage/row-binary.js';
import { jsonLinesLayout, SPAN_SEGMENTS } from './segment-format.js';
import { SegmentLog } from './segment-log.js';

const tmp = tempDataDir('sightline-wal-');
afterAll(() => tmp.remove());
const COLUMNS = ['a', 'b'];
const LAYOUT = jsonLinesLayout(COLUMNS);
let n = 0;
const freshDir = () => join(tmp.dir, `wal-${n++}`);
const lines = (...rows: unknown[][]) => Buffer.from(rows.map((r) => JSON.stringify(r) + '\n').join(''));

describe('SegmentLog', () => {
  it('writes the column header, then the appended rows, and hands the same rows back on rotate', async () => {
    const dir = freshDir();
    const { log } = await SegmentLog.open(dir, LAYOUT);
    await log.append(lines([1, 'x'], [2, 'y']), 2);
    await log.append(lines([3, 'z']), 1);
    const [file] = readdirSync(dir);
    expect(readFileSync(join(dir, file!), 'utf8')).toBe('["a","b"]\n[1,"x"]\n[2,"y"]\n[3,"z"]\n');
    const segment = (await log.rotate())!;
    expect(segment.rows).toBe(3);
    expect(segment.columns).toEqual(COLUMNS);
    expect(Buffer.concat(segment.chunks).toString()).toBe('[1,"x"]\n[2,"y"]\n[3,"z"]\n');
    await log.close();
  });

  it('replays a leftover segment without its torn last line, and with the columns it was written with', async () => {
    const dir = freshDir();
    const { log } = await SegmentLog.open(dir, LAYOUT);
    await log.append(lines([1, 'x']), 1);
    const [file] = readdirSync(dir);
    // A crash mid-append: part of a line that was never acknowledged.
    writeFileSync(join(dir, file!), readFileSync(join(dir, file!), 'utf8') + '[2,"tor');
    const { log: next, leftovers } = await SegmentLog.open(dir, jsonLinesLayout(['a', 'b', 'c']));
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]!.columns).toEqual(COLUMNS);
    expect(leftovers[0]!.rows).toBe(1);
    expect(Buffer.concat(leftovers[0]!.chunks).toString()).toBe('[1,"x"]\n');
    await next.close();
    await log.close();
  });

  it('drops leftover files that hold no complete row', async () => {
    const dir = freshDir();
    const first = await SegmentLog.open(dir, LAYOUT); // leaves an empty segment (header only) open
    writeFileSync(join(dir, '000000000000001-1-00000000.ndjson'), '["a","b"'); // torn header
    const { log, leftovers } = await SegmentLog.open(dir, LAYOUT);
    expect(leftovers).toHaveLength(0);
    expect(readdirSync(dir)).toHaveLength(1); // only the new current segment
    await log.close();
    await first.log.close();
  });

  it('without a directory, an append resolves only when its segment is settled', async () => {
    const { log } = await SegmentLog.open(undefined, LAYOUT);
    let done = false;
    const appended = log.append(lines([1, 'x']), 1).then(() => (done = true));
    const segment = (await log.rotate())!;
    await new Promise((r) => setImmediate(r)); // every settled promise has run its callbacks by now
    expect(done).toBe(false);
    for (const w of segment.waiters) w.resolve();
    await appended;
    expect(done).toBe(true);
  });

  it('in RowBinary: the file is the insert body, and a torn tail leaves the complete rows, read from memory', async () => {
    const dir = freshDir();
    const { log } = await SegmentLog.open(dir, SPAN_SEGMENTS);
    const rows = agentTrace({ traceIndex: 1, startNs: 1_700_000_000_000_000_000n });
    const data = encodeSpanRows(rows);
    await log.append(data, rows.length);
    const segment = (await log.rotate())!;
    expect(readFileSync(segment.bodyFile!)).toEqual(Buffer.concat([SPAN_SEGMENTS.header, data]));
    await log.close();
    // A crash mid-append: the first bytes of a row that was never acknowledged.
    writeFileSync(segment.bodyFile!, Buffer.concat([SPAN_SEGMENTS.header, data, data.subarray(0, 10)]));
    const { log: next, leftovers } = await SegmentLog.open(dir, SPAN_SEGMENTS);
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatchObject({ name: segment.name, rows: rows.length, bodyFile: undefined });
    expect(Buffer.concat(leftovers[0]!.chunks)).toEqual(data);
    expect(leftovers[0]!.format.rows(leftovers[0]!).map((r) => leftovers[0]!.format.ids(leftovers[0]!, r))).toEqual(
      rows.map((r) => [r.trace_id, r.span_id, r.project_id]),
    );
    await next.close();
  });

  it('never names a new segment like one a previous process left (its file would be emptied)', async () => {
    const dir = freshDir();
    const now = () => 1_000; // a clock that stands still, and the same process: the same first name
    const first = await SegmentLog.open(dir, LAYOUT, { now });
    await first.log.append(lines([1, 'x']), 1);
    await first.log.close();
    const { log, leftovers } = await SegmentLog.open(dir, LAYOUT, { now });
    expect(leftovers).toHaveLength(1);
    expect(readFileSync(leftovers[0]!.files[0]!, 'utf8')).toBe('["a","b"]\n[1,"x"]\n');
    await log.close();
  });
});
