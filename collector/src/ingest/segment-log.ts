/**
 * The write-ahead log: accepted rows are appended to the current segment file and fsynced before the
 * HTTP request is answered (group commit: appends that arrive while a write is in flight share the
 * next fsync). A segment is one ClickHouse insert: the flusher rotates it out, inserts its rows with
 * the segment name as insert_deduplication_token, then deletes the file. After a crash the leftover
 * segments are inserted again with the same tokens, so a segment that had already reached
 * ClickHouse is skipped rather than stored twice.
 *
 * With the log disabled the same segments live in memory only, and appends resolve at once: the
 * pipeline then waits for the insert itself before acknowledging.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, fdatasyncSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface Segment {
  name: string;
  chunks: string[];
  rows: number;
  bytes: number;
  openedAt: number;
  /** Resolvers of appends waiting for this segment to reach ClickHouse (log disabled). */
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
}

interface PendingAppend {
  text: string;
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

  private constructor(
    private readonly dir: string | undefined,
    /** Written at the start of every segment (e.g. the column names row of the insert format). */
    private readonly header: string,
  ) {
    this.current = this.newSegment();
  }

  /** Opens the log. Returns the segments a previous process left behind, oldest first. */
  static async open(dir: string | undefined, header = ''): Promise<{ log: SegmentLog; leftovers: Segment[] }> {
    const log = new SegmentLog(dir, header);
    const leftovers: Segment[] = [];
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const file of readdirSync(dir).filter((f) => f.endsWith(SUFFIX)).sort()) {
        const text = readFileSync(join(dir, file), 'utf8');
        // Only acknowledged appends were fsynced whole; a torn tail was never acknowledged.
        const complete = text.slice(0, text.lastIndexOf('\n') + 1);
        const lines = complete.length === 0 ? 0 : complete.split('\n').length - 1;
        const rows = Math.max(0, lines - (header !== '' && complete.startsWith(header) ? 1 : 0));
        leftovers.push({ name: file.slice(0, -SUFFIX.length), chunks: [complete], rows, bytes: complete.length, openedAt: Date.now(), waiters: [] });
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
   * Appends JSONEachRow text. Resolves once it is on disk; with the log disabled, once the owner
   * settles the segment holding it (after its insert).
   */
  append(text: string, rows: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('write-ahead log is closed'));
    if (!this.dir) {
      this.addToCurrent(text, rows);
      return new Promise((resolve, reject) => this.current.waiters.push({ resolve, reject }));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ text, rows, resolve, reject });
      this.kick();
    });
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
    if (this.dir && this.current.rows === 0) rmSync(this.pathOf(this.current.name), { force: true });
  }

  private async writeLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const file = this.file;
        if (!file) throw new Error('write-ahead log is not open');
        const buffers = batch.map((p) => Buffer.from(p.text, 'utf8'));
        await file.writev(buffers);
        await file.datasync();
        for (let i = 0; i < batch.length; i++) {
          const p = batch[i]!;
          this.addToCurrent(p.text, p.rows, buffers[i]!.length);
          this.diskBytes += buffers[i]!.length;
          p.resolve();
        }
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
  }

  private addToCurrent(text: string, rows: number, bytes = text.length): void {
    if (this.current.rows === 0) this.current.openedAt = Date.now();
    this.current.chunks.push(text);
    this.current.rows += rows;
    this.current.bytes += bytes;
  }

  private newSegment(): Segment {
    // Time-ordered, unique across restarts: leftovers replay in the order they were written.
    const name = `${Date.now().toString().padStart(15, '0')}-${process.pid}-${(this.seq++).toString().padStart(8, '0')}`;
    const chunks = this.header === '' ? [] : [this.header];
    return { name, chunks, rows: 0, bytes: this.header.length, openedAt: Date.now(), waiters: [] };
  }

  private async openFile(): Promise<void> {
    this.file = await open(this.pathOf(this.current.name), 'a');
    if (this.header !== '') {
      await this.file.write(this.header);
      this.diskBytes += Buffer.byteLength(this.header);
    }
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
