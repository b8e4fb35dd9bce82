/**
 * The write-ahead log: accepted rows are appended to the current segment file and fsynced before the
 * HTTP request is answered (group commit: appends that arrive while a write is in flight share the
 * next fsync). A segment is one ClickHouse insert: the flusher rotates it out, inserts its rows with
 * the segment name as insert_deduplication_token, then deletes the file. After a crash the leftover
 * segments are inserted again with the same tokens, so a segment that had already reached
 * ClickHouse is skipped rather than stored twice.
 *
 * A segment file is a header naming the columns, then the rows (segment-format.ts: RowBinary since
 * issue 18, JSON lines before): self-describing, so a segment written by an older version replays
 * into a newer schema. The rows stay in memory as the very Buffers written to disk; the file itself
 * is the insert body (the embedded engine reads it as it lies on disk), so rows go to ClickHouse
 * without another copy or re-encoding.
 *
 * Durability rules, each the answer to a way a disk fails:
 * - every byte of an append is written (short writes are continued) and fsynced before it resolves;
 * - writes go to an explicit offset, the end of what is durable; after a failed write or fsync the
 *   file is cut back to that offset, so no later row ever follows a torn one. If it cannot be cut,
 *   or fsync failed (the kernel may have dropped the dirty pages: a retried fsync proves nothing),
 *   the file is retired and appends fail until a rotation opens a fresh one;
 * - a rotation opens the next file (header written and fsynced, directory entry fsynced) before it
 *   swaps segments, so a failed rotation leaves the current segment in place, still the one appended to;
 * - an empty segment is not rotated, so failed flushes leave no empty files behind.
 *
 * With the log disabled the same segments live in memory only, and appends resolve once the owner
 * settles the segment after its insert.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { segmentFormatOf, type SegmentBytes, type SegmentFormat } from './segment-format.js';
import { nodeWalFs, writeFully, type WalFile, type WalFs } from './wal-fs.js';

/** The format, columns and header bytes every segment of a log is written with. */
export interface SegmentLayout {
  format: SegmentFormat;
  columns: readonly string[];
  header: Buffer;
}

export interface Segment extends SegmentBytes {
  name: string;
  columns: readonly string[];
  /** Rows only (no header), as written to disk. */
  chunks: Buffer[];
  rows: number;
  /** Bytes of the segment file, header included. */
  bytes: number;
  openedAt: number;
  /** Resolvers of appends waiting for this segment to reach ClickHouse (log disabled). */
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
  /** Files to delete once the rows are stored (the segment file; a quarantine file being replayed). */
  files: string[];
}

interface PendingAppend {
  data: Buffer;
  rows: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface SegmentLogOptions {
  /** The file system seam: tests inject failing writes and fsyncs. */
  fs?: WalFs;
  now?: () => number;
}

export class SegmentLog {
  private current: Segment;
  private file: WalFile | undefined;
  /** Bytes of the current file known to be on disk: the offset of the next write. */
  private fileSize = 0;
  /** The current file can take no more appends (failed fsync or failed cut); rotate to a new one. */
  private retired = false;
  private pending: PendingAppend[] = [];
  private pendingRowCount = 0;
  private writing: Promise<void> | undefined;
  private rotating = false;
  private seq = 0;
  /** Names of the segments a previous process left: a new segment never reuses one (its file would be emptied). */
  private readonly leftoverNames = new Set<string>();
  private closed = false;
  private diskBytes = 0;
  private readonly header: Buffer;
  private readonly fs: WalFs;
  private readonly now: () => number;

  private constructor(
    private readonly dir: string | undefined,
    private readonly layout: SegmentLayout,
    opts: SegmentLogOptions,
  ) {
    this.header = layout.header;
    this.fs = opts.fs ?? nodeWalFs;
    this.now = opts.now ?? Date.now;
    this.current = this.newSegment();
  }

  /** Opens the log. Returns the segments a previous process left behind, oldest first. */
  static async open(
    dir: string | undefined,
    layout: SegmentLayout,
    opts: SegmentLogOptions = {},
  ): Promise<{ log: SegmentLog; leftovers: Segment[] }> {
    const log = new SegmentLog(dir, layout, opts);
    const leftovers: Segment[] = [];
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const file of readdirSync(dir)
        .filter((f) => segmentFormatOf(f))
        .sort()) {
        const segment = readSegmentFile(join(dir, file));
        if (segment) leftovers.push(segment);
        else rmSync(join(dir, file), { force: true }); // no complete row: nothing was acknowledged
      }
      log.diskBytes = leftovers.reduce((n, s) => n + s.bytes, 0);
      for (const s of leftovers) log.leftoverNames.add(s.name);
      // The first segment was named before the leftovers were known: with the same clock reading and
      // process id (a restart in the same process, a clock that stood still) it could be one of them.
      if (log.leftoverNames.has(log.current.name)) log.current = log.newSegment();
      log.file = await log.openSegmentFile(log.current.name);
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

  /** Rows handed to `append` whose write has not finished: memory the queue bound must count. */
  get pendingRows(): number {
    return this.pendingRowCount;
  }

  get currentAgeMs(): number {
    return this.current.rows === 0 ? 0 : this.now() - this.current.openedAt;
  }

  /** The current file took a failure it cannot continue after: the owner should rotate. */
  get needsRotation(): boolean {
    return this.retired;
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
      this.pendingRowCount += rows;
      this.kick();
    });
  }

  /**
   * Closes the current segment and starts a new one; returns the closed one, or undefined when
   * there was nothing to close. Throws when the next file cannot be opened: the current segment
   * then stays current, and appends go on landing in it. `handOff`, when given, receives the closed
   * segment at the very moment it stops being current, so its rows are never counted nowhere (the
   * queue bound counts `currentRows` plus what the owner holds).
   */
  async rotate(handOff?: (segment: Segment) => void): Promise<Segment | undefined> {
    // Appends being written count as current: a flush right after an accept must carry its rows.
    if (this.current.rows === 0 && !this.retired && !this.writing) return undefined;
    this.rotating = true;
    try {
      while (this.writing) await this.writing;
      if (this.current.rows === 0 && !this.retired) return undefined;
      const next = this.newSegment();
      let nextFile: WalFile | undefined;
      if (this.dir) nextFile = await this.openSegmentFile(next.name);
      const done = this.current;
      const doneFile = this.file;
      // The file holds exactly the header and the rows unless a failure left bytes it could not cut.
      if (this.retired) done.bodyFile = undefined;
      this.current = next;
      this.file = nextFile;
      this.fileSize = this.header.length;
      this.retired = false;
      if (done.rows > 0) handOff?.(done);
      await doneFile?.close().catch(() => undefined); // its bytes are already fsynced
      if (done.rows === 0) {
        this.remove(done);
        return undefined;
      }
      return done;
    } finally {
      this.rotating = false;
      this.kick();
    }
  }

  /** Deletes the files of a segment whose rows are stored. */
  remove(segment: Segment): void {
    for (const f of segment.files) this.fs.remove(f);
    if (this.dir) this.diskBytes = Math.max(0, this.diskBytes - segment.bytes);
  }

  async close(): Promise<void> {
    while (this.writing) await this.writing;
    this.closed = true;
    for (const p of this.pending) p.reject(new Error('write-ahead log is closed'));
    this.pending = [];
    this.pendingRowCount = 0;
    await this.file?.close().catch(() => undefined);
    this.file = undefined;
    // An empty current segment leaves no file behind.
    if (this.dir && this.current.rows === 0) this.remove(this.current);
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
    // One group per turn, and a rotation waiting ends the loop: under a steady stream of appends
    // the loop would otherwise never end, and the segment never rotate.
    while (this.pending.length > 0 && !this.rotating) {
      const batch = this.pending;
      this.pending = [];
      const rows = batch.reduce((n, p) => n + p.rows, 0);
      try {
        await this.writeDurably(batch.map((p) => p.data));
        for (const p of batch) this.addToCurrent(p.data, p.rows);
        this.pendingRowCount -= rows;
        for (const p of batch) p.resolve();
      } catch (e) {
        this.pendingRowCount -= rows;
        for (const p of batch) p.reject(e);
      }
    }
  }

  private async writeDurably(data: Buffer[]): Promise<void> {
    const file = this.file;
    if (!file || this.retired) throw new Error('write-ahead log file is unavailable until the next rotation');
    let written = 0;
    try {
      written = await writeFully(file, data, this.fileSize);
    } catch (e) {
      // The bytes past fileSize were never acknowledged: cut them, or stop using this file.
      await file.truncate(this.fileSize).catch(() => (this.retired = true));
      throw e;
    }
    try {
      await file.datasync();
    } catch (e) {
      this.retired = true;
      await file.truncate(this.fileSize).catch(() => undefined);
      throw e;
    }
    this.fileSize += written;
    this.diskBytes += written;
  }

  private addToCurrent(data: Buffer, rows: number): void {
    if (this.current.rows === 0) this.current.openedAt = this.now();
    this.current.chunks.push(data);
    this.current.rows += rows;
    this.current.bytes += data.length;
  }

  private newSegment(): Segment {
    // Time-ordered, unique across restarts: leftovers replay in the order they were written.
    let name: string;
    do name = `${this.now().toString().padStart(15, '0')}-${process.pid}-${(this.seq++).toString().padStart(8, '0')}`;
    while (this.leftoverNames.has(name));
    const files = this.dir ? [this.pathOf(name)] : [];
    return {
      name,
      format: this.layout.format,
      columns: this.layout.columns,
      header: this.header,
      chunks: [],
      bodyFile: files[0],
      rows: 0,
      bytes: this.header.length,
      openedAt: this.now(),
      waiters: [],
      files,
    };
  }

  /** Creates a segment file holding the header, durably (file and directory entry); cleans up on failure. */
  private async openSegmentFile(name: string): Promise<WalFile> {
    const path = this.pathOf(name);
    const file = await this.fs.open(path);
    try {
      await writeFully(file, [this.header], 0);
      await file.datasync();
      this.fs.syncDir(this.dir!);
    } catch (e) {
      await file.close().catch(() => undefined);
      this.fs.remove(path);
      throw e;
    }
    this.fileSize = this.header.length;
    this.diskBytes += this.header.length;
    return file;
  }

  private pathOf(name: string): string {
    return join(this.dir!, name + this.layout.format.suffix);
  }
}

/**
 * A segment file (a leftover of the log, or a quarantine file): its header and complete rows, or
 * undefined if it has none or is in no known format. Its name without the suffix names the segment.
 */
export function readSegmentFile(path: string): Segment | undefined {
  const format = segmentFormatOf(path);
  if (!format) return undefined;
  const data = readFileSync(path);
  // Only acknowledged appends were fsynced whole; a torn tail was never acknowledged.
  const parsed = format.parse(data);
  if (!parsed) return undefined;
  return {
    name: basename(path, format.suffix),
    format,
    columns: parsed.columns,
    header: parsed.header,
    chunks: [parsed.body],
    // A torn tail makes the file more than the body: then the body goes from memory.
    bodyFile: parsed.complete ? path : undefined,
    rows: parsed.rows,
    bytes: data.length,
    openedAt: Date.now(),
    waiters: [],
    files: [path],
  };
}
