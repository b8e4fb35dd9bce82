/**
 * The last line of the write path: rows that ClickHouse refuses for their content are set aside here
 * (SIGHTLINE_DATA_DIR/quarantine/) with the reason, so they block neither other data nor start-up,
 * and can be inserted again after a fix (`POST /api/ingest/quarantine/replay`).
 *
 * Each entry is a segment file (the header, then the rows, in the format of the write-ahead log
 * segment they came from, so a replay is an ordinary segment insert) plus a `.json` sidecar with
 * the reason.
 * Both are fsynced, and renamed into place, before the write-ahead log segment that held the rows is
 * deleted: a quarantined row is as durable as an acknowledged one.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { segmentFormatOf } from './segment-format.js';
import { readSegmentFile, type Segment } from './segment-log.js';
import { nodeWalFs } from './wal-fs.js';

export interface QuarantineEntry {
  name: string;
  rows: number;
  reason: string;
  code: number | null;
  quarantinedAt: string;
}

export interface QuarantineStats {
  rows: number;
  entries: number;
}

const META = '.json';

export class Quarantine {
  private rows = 0;
  private entries = 0;

  private constructor(private readonly dir: string) {}

  static open(dir: string): Quarantine {
    mkdirSync(dir, { recursive: true });
    const q = new Quarantine(dir);
    for (const entry of q.list()) {
      q.rows += entry.rows;
      q.entries++;
    }
    return q;
  }

  stats(): QuarantineStats {
    return { rows: this.rows, entries: this.entries };
  }

  /**
   * Sets `rows` (complete rows of `segment`) aside durably, with why ClickHouse refused them. `name`
   * is derived from the segment and the rows' place in it, so quarantining the same rows again (a
   * retry after a crash) replaces the entry instead of adding a second copy.
   */
  put(name: string, segment: Pick<Segment, 'format' | 'header'>, rows: Buffer[], reason: string, code: number | undefined): void {
    const file = join(this.dir, name + segment.format.suffix);
    const existed = existsSync(file);
    const meta: QuarantineEntry = {
      name,
      rows: rows.length,
      reason,
      code: code ?? null,
      quarantinedAt: new Date().toISOString(),
    };
    writeDurably(join(this.dir, name + META), [Buffer.from(JSON.stringify(meta) + '\n')]);
    writeDurably(file, [segment.header, ...rows]);
    nodeWalFs.syncDir(this.dir);
    if (!existed) {
      this.rows += rows.length;
      this.entries++;
    }
  }

  /** What is quarantined, oldest first. */
  list(): QuarantineEntry[] {
    return this.stored().map(({ name, segment }) => ({ ...readMeta(join(this.dir, name + META), name), rows: segment.rows }));
  }

  /** The quarantined rows as segments, left in place. */
  peek(): Segment[] {
    return this.stored().map(({ segment }) => segment);
  }

  /**
   * The quarantined rows as segments to insert again. Their files stay until the insert is done
   * (the segment's `files`); rows refused again come back as new entries.
   */
  takeForReplay(): Segment[] {
    const segments: Segment[] = [];
    for (const { name, segment } of this.stored()) {
      segment.name = `quarantine-${name}`; // its deduplication token: a replay repeated after a crash is skipped
      segment.files.push(join(this.dir, name + META));
      segment.bytes = 0; // not write-ahead log bytes
      segments.push(segment);
      this.rows -= segment.rows;
      this.entries--;
    }
    return segments;
  }

  /** Every entry's rows, each file read once, oldest first. */
  private stored(): Array<{ name: string; segment: Segment }> {
    const out: Array<{ name: string; segment: Segment }> = [];
    for (const file of readdirSync(this.dir)
      .filter((f) => segmentFormatOf(f))
      .sort()) {
      const segment = readSegmentFile(join(this.dir, file));
      if (segment) out.push({ name: segment.name, segment });
    }
    return out;
  }
}

function readMeta(path: string, name: string): QuarantineEntry {
  try {
    const meta = JSON.parse(readFileSync(path, 'utf8')) as Partial<QuarantineEntry>;
    return {
      name,
      rows: 0,
      reason: typeof meta.reason === 'string' ? meta.reason : 'unknown',
      code: typeof meta.code === 'number' ? meta.code : null,
      quarantinedAt: typeof meta.quarantinedAt === 'string' ? meta.quarantinedAt : '',
    };
  } catch {
    return { name, rows: 0, reason: 'unknown', code: null, quarantinedAt: '' };
  }
}

/** Writes a new file under a temporary name, fsyncs it, and renames it into place. */
function writeDurably(path: string, buffers: Buffer[]): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (const b of buffers) {
      let off = 0;
      while (off < b.length) {
        const n = writeSync(fd, b, off, b.length - off);
        if (n <= 0) throw Object.assign(new Error('write made no progress (disk full?)'), { code: 'ENOSPC' });
        off += n;
      }
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}
