/**
 * Fault-test support: a small tmpfs to fill up. Mounting needs root (as on the dev machine and in
 * CI); when it is impossible the test fails with the reason rather than skipping, so a full disk
 * is never silently left untested.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  dir: string;
  /** Unmounts (lazily if still busy) and removes the mount point; safe to call twice. */
  unmount(): void;
}

export function mountTmpfs(sizeMiB: number): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const detail = e instanceof Error && 'stderr' in e ? String((e as { stderr: unknown }).stderr) : String(e);
    throw new Error(`the disk-full fault test needs a tmpfs (run as root, or with CAP_SYS_ADMIN): mount failed: ${detail}`);
  }
  let mounted = true;
  return {
    dir,
    unmount() {
      if (!mounted) return;
      mounted = false;
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const CHUNK = Buffer.alloc(1024 * 1024, 0x5a);
const SMALL = Buffer.alloc(4096, 0x5a);

/**
 * A file that takes every free byte of its file system: `fill()` appends until ENOSPC (and can be
 * called again to take back what others freed); `remove()` deletes it. Returns the bytes added.
 */
export function filler(path: string): { fill(): number; remove(): void; bytes(): number } {
  let fd: number | undefined;
  let size = 0;
  return {
    fill() {
      fd ??= openSync(path, 'a');
      let added = 0;
      for (const chunk of [CHUNK, SMALL]) {
        for (;;) {
          try {
            const n = writeSync(fd, chunk);
            added += n;
            if (n < chunk.length) break;
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
            throw e;
          }
        }
      }
      size += added;
      return added;
    },
    remove() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      rmSync(path, { force: true });
      size = 0;
    },
    bytes: () => size,
  };
}
