/**
 * The write-ahead log: accepted rows are appended to the current segment file and fsynced before the
 * HTTP request is answered (group commit: appends that arrive while a write is in flight share the
 * next fsync). A segment is one ClickHouse insert: the flusher rotates it out, inserts its rows with
 * the segment name as insert_deduplication_token, then deletes the file. After a crash the leftover
 * segments are inserted again with the same tokens, so a segment that had already reached
 * ClickHouse is skipped rather than stored twice.
 *
 * A segment file is a JSON array of column names on its first line, then one JSON array per row
 * (JSONCompactEachRowWithNames): self-describing, so a segment written by an older version replays
 * into a newer schema. The rows stay in memory as the very Buffers written to disk, and go to
 * ClickHouse without another copy or re-encoding.
 *
 * With the log disabled the same segments live in memory only, and appends resolve once the owner
 * settles the segment after its insert.
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface Segment {
  name: string;
  columns: readonly string[];
  /** Row lines only (no header), as written to disk. */
  chunks: Buffer[];
  rows: number;
  /** Bytes of the segment file, header included. */
  bytes: number;
  openedAt: number;
  /** Resolvers of appends waiting for this segment to reach ClickHouse (log disabled). */
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
}

interface PendingAppend {
  data: Buffer;
  rows: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const SUFFIX = '.ndjson';

export class SegmentLog {
  private current: Segment;
  private file: FileHandle | undefined;
  private pending: PendingAppend[] = [];
  private writing: Promise<void> | undefined;
  private rotating = false;
  private seq = 0;
  private closed = false;
  private diskBytes = 0;
  private readonly header: Buffer;

  private constructor(
    private readonly dir: string | undefined,
    private readonly columns: readonly string[],
  ) {
    this.header = Buffer.from(JSON.stringify(columns) + '\n');
    this.current = this.newSegment();
  }

  /** Opens the log. Returns the segments a previous process left behind, oldest first. */
  static async open(dir: string | undefined, columns: readonly string[]): Promise<{ log: SegmentLog; leftovers: Segment[] }> {
    const log = new SegmentLog(dir, columns);
    const leftovers: Segment[] = [];
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const file of readdirSync(dir).filter((f) => f.endsWith(SUFFIX)).sort()) {
        const segment = readSegment(join(dir, file), file.slice(0, -SUFFIX.length));
        if (segment) leftovers.push(segment);
        else rmSync(join(dir, file), { force: true }); // no complete row: nothing was acknowledged
      }
      log.diskBytes = leftovers.reduce((n, s) => n + s.bytes, 0);
      await log.openFile();
    }
    return { log, leftovers };
  }

  get durable(): boolean {
    return this.dir !== undefined;
  }

  get bytesOnDisk(): number {
    return this.diskBytes;
  }

  /** Rows appended to the current segment and not yet rotated out. */
  get currentRows(): number {
    return this.current.rows;
  }

  get currentAgeMs(): number {
    return this.current.rows === 0 ? 0 : Date.now() - this.current.openedAt;
  }

  /**
   * Appends encoded row lines. Resolves once they are on disk; with the log disabled, once the
   * owner settles the segment holding them (after its insert).
   */
  append(data: Buffer, rows: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('write-ahead log is closed'));
    if (!this.dir) {
      this.addToCurrent(data, rows);
      return new Promise((resolve, reject) => this.current.waiters.push({ resolve, reject }));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ data, rows, resolve, reject });
      this.kick();
    });
  }

  /** Closes the current segment and starts a new one; returns the closed one (may be empty). */
  async rotate(): Promise<Segment> {
    this.rotating = true;
    try {
      while (this.writing) await this.writing;
      const done = this.current;
      this.current = this.newSegment();
      if (this.dir) {
        const old = this.file;
        await this.openFile();
        await old?.close();
      }
      return done;
    } finally {
      this.rotating = false;
      this.kick();
    }
  }

  /** Deletes a segment whose rows are in ClickHouse. */
  remove(segment: Segment): void {
    if (!this.dir) return;
    rmSync(this.pathOf(segment.name), { force: true });
    this.diskBytes = Math.max(0, this.diskBytes - segment.bytes);
  }

  async close(): Promise<void> {
    while (this.writing) await this.writing;
    this.closed = true;
    await this.file?.close();
    this.file = undefined;
    // An empty current segment leaves no file behind.
    if (this.dir && this.current.rows === 0) {
      rmSync(this.pathOf(this.current.name), { force: true });
      this.diskBytes = Math.max(0, this.diskBytes - this.header.length);
    }
  }

  private kick(): void {
    // While rotating, appends wait: they must land in the new file and the new segment together.
    if (!this.writing && !this.rotating && this.pending.length > 0) {
      this.writing = this.writeLoop().finally(() => {
        this.writing = undefined;
        this.kick();
      });
    }
  }

  private async writeLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const file = this.file;
        if (!file) throw new Error('write-ahead log is not open');
        await file.writev(batch.map((p) => p.data));
        await file.datasync();
        for (const p of batch) {
          this.addToCurrent(p.data, p.rows);
          this.diskBytes += p.data.length;
          p.resolve();
        }
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
  }

  private addToCurrent(data: Buffer, rows: number): void {
    if (this.current.rows === 0) this.current.openedAt = Date.now();
    this.current.chunks.push(data);
    this.current.rows += rows;
    this.current.bytes += data.length;
  }

  private newSegment(): Segment {
    // Time-ordered, unique across restarts: leftovers replay in the order they were written.
    const name = `${Date.now().toString().padStart(15, '0')}-${process.pid}-${(this.seq++).toString().padStart(8, '0')}`;
    return { name, columns: this.columns, chunks: [], rows: 0, bytes: this.header.length, openedAt: Date.now(), waiters: [] };
  }

  private async openFile(): Promise<void> {
    this.file = await open(this.pathOf(this.current.name), 'a');
    await this.file.write(this.header);
    this.diskBytes += this.header.length;
    // Make the new file's directory entry durable too.
    const dirFd = openSync(this.dir!, 'r');
    try {
      fdatasyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }

  private pathOf(name: string): string {
    return join(this.dir!, name + SUFFIX);
  }
}

/** A leftover segment file: its column header and its complete rows, or undefined if it has none. */
function readSegment(path: string, name: string): Segment | undefined {
  const data = readFileSync(path);
  const headerEnd = data.indexOf(0x0a);
  if (headerEnd < 0) return undefined;
  let columns: unknown;
  try {
    columns = JSON.parse(data.subarray(0, headerEnd).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) return undefined;
  // Only acknowledged appends were fsynced whole; a torn tail was never acknowledged.
  const end = data.lastIndexOf(0x0a) + 1;
  const body = data.subarray(headerEnd + 1, end);
  let rows = 0;
  for (let i = body.indexOf(0x0a); i >= 0; i = body.indexOf(0x0a, i + 1)) rows++;
  if (rows === 0) return undefined;
  return { name, columns, chunks: [body], rows, bytes: data.length, openedAt: Date.now(), waiters: [] };
}
