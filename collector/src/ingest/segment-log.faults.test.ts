/**
 * The write-ahead log under disk faults and concurrent appends, with failures injected through its
 * file-system seam (wal-fs.ts) on a real directory: what it acknowledges is exactly what a restart
 * finds, whatever failed in between.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../test-support/temp-storage.js';
import { jsonLinesLayout } from './segment-format.js';
import { SegmentLog } from './segment-log.js';
import { nodeWalFs, type WalFile, type WalFs } from './wal-fs.js';

const tmp = tempDataDir('sightline-wal-faults-');
afterAll(() => tmp.remove());
const LAYOUT = jsonLinesLayout(['a']);
let n = 0;
const freshDir = () => join(tmp.dir, `wal-${n++}`);
const row = (i: number) => Buffer.from(JSON.stringify([i]) + '\n');
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });

/** Real files, with faults switched on and off by the test. */
function faultyFs() {
  const faults = { maxWriteBytes: Infinity, writeFailsAfterBytes: Infinity, failFsync: false, failOpen: false };
  const wrap = (file: WalFile): WalFile => ({
    async writev(buffers, position) {
      const all = Buffer.concat(buffers);
      if (faults.writeFailsAfterBytes !== Infinity) {
        // A disk that fills mid-write: part of the bytes land, then ENOSPC.
        const part = all.subarray(0, Math.min(all.length, faults.writeFailsAfterBytes));
        if (part.length > 0) await file.writev([part], position);
        throw enospc();
      }
      return file.writev([all.subarray(0, Math.min(all.length, faults.maxWriteBytes))], position);
    },
    async datasync() {
      if (faults.failFsync) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      return file.datasync();
    },
    truncate: (len) => file.truncate(len),
    close: () => file.close(),
  });
  const fs: WalFs = {
    async open(path) {
      if (faults.failOpen) throw enospc();
      return wrap(await nodeWalFs.open(path));
    },
    syncDir: nodeWalFs.syncDir,
    remove: nodeWalFs.remove,
  };
  return { fs, faults };
}

/** The rows a restart would replay from `dir`. */
async function replayed(dir: string): Promise<number[]> {
  const { log, leftovers } = await SegmentLog.open(dir, LAYOUT);
  await log.close();
  return leftovers.flatMap((s) =>
    Buffer.concat(s.chunks)
      .toString()
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => (JSON.parse(l) as number[])[0]!),
  );
}

describe('SegmentLog under faults', () => {
  it('continues short writes: every byte of an acknowledged append is on disk', async () => {
    const dir = freshDir();
    const { fs, faults } = faultyFs();
    faults.maxWriteBytes = 3;
    const { log } = await SegmentLog.open(dir, LAYOUT, { fs });
    await Promise.all([log.append(row(1), 1), log.append(row(22), 1), log.append(row(333), 1)]);
    await log.close();
    expect((await replayed(dir)).sort()).toEqual([1, 22, 333]);
  });

  it('a write that fails midway is not acknowledged, is cut from the file, and later appends follow the last good row', async () => {
    const dir = freshDir();
    const { fs, faults } = faultyFs();
    const { log } = await SegmentLog.open(dir, LAYOUT, { fs });
    await log.append(row(1), 1);
    faults.writeFailsAfterBytes = 2; // "[9" lands, then the disk is full
    await expect(log.append(row(9), 1)).rejects.toThrow(/ENOSPC/);
    faults.writeFailsAfterBytes = Infinity; // space freed
    await log.append(row(2), 1);
    await log.close();
    expect(await replayed(dir)).toEqual([1, 2]);
  });

  it('after a failed fsync the file takes no more appends until a rotation opens a new one', async () => {
    const dir = freshDir();
    const { fs, faults } = faultyFs();
    const { log } = await SegmentLog.open(dir, LAYOUT, { fs });
    await log.append(row(1), 1);
    faults.failFsync = true;
    await expect(log.append(row(9), 1)).rejects.toThrow(/EIO/);
    faults.failFsync = false;
    await expect(log.append(row(8), 1)).rejects.toThrow(/unavailable/);
    expect(log.needsRotation).toBe(true);
    const rotated = (await log.rotate())!;
    expect(rotated.rows).toBe(1); // the acknowledged row only
    await log.append(row(2), 1);
    await log.close();
    expect((await replayed(dir)).sort()).toEqual([1, 2]);
  });

  it('a rotation that cannot open the next file leaves the current segment current: later appends are not lost', async () => {
    const dir = freshDir();
    const { fs, faults } = faultyFs();
    const { log } = await SegmentLog.open(dir, LAYOUT, { fs });
    await log.append(row(1), 1);
    faults.failOpen = true;
    await expect(log.rotate()).rejects.toThrow(/ENOSPC/);
    await log.append(row(2), 1); // lands in the segment that is still current
    faults.failOpen = false;
    const rotated = (await log.rotate())!;
    expect(Buffer.concat(rotated.chunks).toString()).toBe('[1]\n[2]\n');
    await log.close();
  });

  it('an empty segment is not rotated, so repeated flushes leave no empty files behind', async () => {
    const dir = freshDir();
    const { log } = await SegmentLog.open(dir, LAYOUT);
    for (let i = 0; i < 5; i++) expect(await log.rotate()).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(1);
    await log.close();
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it('rotates promptly while senders keep appending (the write loop yields to a waiting rotation)', async () => {
    const dir = freshDir();
    const { log } = await SegmentLog.open(dir, LAYOUT);
    let appended = 0;
    let stop = false;
    const sender = async (id: number) => {
      for (let i = 0; !stop && i < 2000; i++) {
        await log.append(row(id * 10_000 + i), 1);
        appended++;
      }
    };
    const senders = [0, 1, 2, 3].map(sender);
    while (appended < 40) await new Promise((r) => setImmediate(r));
    const rotated = (await log.rotate())!;
    const atRotation = appended;
    stop = true;
    await Promise.all(senders);
    // Before the fix the loop drained every sender's appends before the rotation could run.
    expect(atRotation).toBeLessThan(400);
    expect(rotated.rows).toBeLessThan(400);
    await log.close();
  });
});
