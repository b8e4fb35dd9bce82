import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../test-support/temp-storage.js';
import { SegmentLog } from './segment-log.js';

const tmp = tempDataDir('sightline-wal-');
afterAll(() => tmp.remove());
const COLUMNS = ['a', 'b'];
let n = 0;
const freshDir = () => join(tmp.dir, `wal-${n++}`);
const lines = (...rows: unknown[][]) => Buffer.from(rows.map((r) => JSON.stringify(r) + '\n').join(''));

describe('SegmentLog', () => {
  it('writes the column header, then the appended rows, and hands the same rows back on rotate', async () => {
    const dir = freshDir();
    const { log } = await SegmentLog.open(dir, COLUMNS);
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
    const { log } = await SegmentLog.open(dir, COLUMNS);
    await log.append(lines([1, 'x']), 1);
    const [file] = readdirSync(dir);
    // A crash mid-append: part of a line that was never acknowledged.
    writeFileSync(join(dir, file!), readFileSync(join(dir, file!), 'utf8') + '[2,"tor');
    const { log: next, leftovers } = await SegmentLog.open(dir, ['a', 'b', 'c']);
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]!.columns).toEqual(COLUMNS);
    expect(leftovers[0]!.rows).toBe(1);
    expect(Buffer.concat(leftovers[0]!.chunks).toString()).toBe('[1,"x"]\n');
    await next.close();
    await log.close();
  });

  it('drops leftover files that hold no complete row', async () => {
    const dir = freshDir();
    const first = await SegmentLog.open(dir, COLUMNS); // leaves an empty segment (header only) open
    writeFileSync(join(dir, '000000000000001-1-00000000.ndjson'), '["a","b"'); // torn header
    const { log, leftovers } = await SegmentLog.open(dir, COLUMNS);
    expect(leftovers).toHaveLength(0);
    expect(readdirSync(dir)).toHaveLength(1); // only the new current segment
    await log.close();
    await first.log.close();
  });

  it('without a directory, an append resolves only when its segment is settled', async () => {
    const { log } = await SegmentLog.open(undefined, COLUMNS);
    let done = false;
    const appended = log.append(lines([1, 'x']), 1).then(() => (done = true));
    const segment = (await log.rotate())!;
    await new Promise((r) => setImmediate(r)); // every settled promise has run its callbacks by now
    expect(done).toBe(false);
    for (const w of segment.waiters) w.resolve();
    await appended;
    expect(done).toBe(true);
  });
});
