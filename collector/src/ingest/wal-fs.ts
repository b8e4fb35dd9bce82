/**
 * The few file operations the write-ahead log and the quarantine need, behind one seam: fault tests
 * inject short writes, ENOSPC and failing fsyncs here, while production uses node:fs as is.
 */
import { closeSync, fdatasyncSync, openSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';

export interface WalFile {
  /** Writes at `position` (positional: never appends after torn bytes); may write fewer bytes. */
  writev(buffers: Buffer[], position: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface WalFs {
  /** Creates (or empties) a file for writing. */
  open(path: string): Promise<WalFile>;
  /** Makes a directory's entries (new or renamed files) durable. */
  syncDir(dir: string): void;
  remove(path: string): void;
}

export const nodeWalFs: WalFs = {
  open: (path) => open(path, 'w'),
  syncDir(dir) {
    const fd = openSync(dir, 'r');
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  remove: (path) => rmSync(path, { force: true }),
};

/**
 * Writes every byte of `buffers` at `position`, continuing after short writes (a nearly full disk
 * writes part of a request and reports how much). Returns the bytes written; a write that makes no
 * progress is an error, never an acknowledgement.
 */
export async function writeFully(file: WalFile, buffers: Buffer[], position: number): Promise<number> {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  let done = 0;
  let rest = buffers;
  while (done < total) {
    const { bytesWritten } = await file.writev(rest, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress (disk full?)'), { code: 'ENOSPC' });
    done += bytesWritten;
    rest = skipBytes(rest, bytesWritten);
  }
  return total;
}

function skipBytes(buffers: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < buffers.length && n >= buffers[i]!.length) n -= buffers[i++]!.length;
  if (i === buffers.length) return [];
  return [buffers[i]!.subarray(n), ...buffers.slice(i + 1)];
}
