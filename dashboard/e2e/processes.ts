/** Child processes of the e2e run: build and serve the Next app, free ports, waiting for HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NEXT_BIN = path.join(DASHBOARD_DIR, 'node_modules', '.bin', 'next');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: DASHBOARD_DIR, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

const baseEnv = (): NodeJS.ProcessEnv => ({ ...process.env, NEXT_TELEMETRY_DISABLED: '1' });

/** `next build`, once per test run; SIGHTLINE_E2E_REUSE_BUILD=1 keeps an existing build (local reruns). */
export async function buildDashboard(): Promise<void> {
  if (process.env.SIGHTLINE_E2E_REUSE_BUILD === '1' && existsSync(path.join(DASHBOARD_DIR, '.next', 'BUILD_ID'))) return;
  // SIGHTLINE_SKIP_BUILD_TYPECHECK: the `typecheck` script has already checked these sources.
  await run(NEXT_BIN, ['build'], {
    ...baseEnv(),
    NODE_ENV: 'production',
    SIGHTLINE_SKIP_BUILD_TYPECHECK: process.env.SIGHTLINE_SKIP_BUILD_TYPECHECK ?? '1',
  });
}

/** `next start` on a free port (or the one given), pointed at the given collector URL. */
export async function startDashboard(
  collectorUrl: string,
  opts: { port?: number } = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = opts.port ?? (await freePort());
  const child = spawn(NEXT_BIN, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: DASHBOARD_DIR,
    env: { ...baseEnv(), NODE_ENV: 'production', SIGHTLINE_API_URL: collectorUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() ends next and its workers together
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/_sightline_probe`, 60_000, child);
  } catch (err) {
    await stopChild(child);
    throw new Error(`next start did not come up: ${(err as Error).message}\n${output.slice(-2000)}`);
  }
  return { url, stop: () => stopChild(child) };
}

/** Resolves once the URL answers at all (any status). */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * One e2e run at a time per checkout: runs share `.next`, and a second run's `next build` would
 * replace the files the first run's `next start` is serving. The lock file holds the owner's pid,
 * so a lock left by a killed run is taken over.
 */
export async function acquireRunLock(timeoutMs = 20 * 60_000): Promise<() => Promise<void>> {
  const { open, readFile, rm } = await import('node:fs/promises');
  const lock = path.join(DASHBOARD_DIR, '.next-e2e.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fh = await open(lock, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
      if (!owner || !isAlive(owner)) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another e2e run (pid ${owner}) holds ${lock}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
