/**
 * The dashboard's own start scripts (`pnpm run dev`, as `pnpm dev` at the root runs it) listen on
 * loopback unless told otherwise: its alert-editing actions must not be published to the LAN.
 * The listening sockets are read from the kernel (/proc/net/tcp*), not from Next's banner.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DASHBOARD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** The local addresses (kernel hex form) of sockets listening on `port`, IPv4 and IPv6. */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [addr, p] = (cols[1] ?? '').split(':');
      if (p === hexPort && cols[3] === '0A') found.push(addr!);
    }
  }
  return found;
}

async function listenAddresses(env: Record<string, string>): Promise<string[]> {
  const port = await freePort();
  const baseEnv = { ...process.env };
  delete baseEnv.SIGHTLINE_HOST;
  delete baseEnv.SIGHTLINE_DASHBOARD_HOST;
  const child = spawn('pnpm', ['run', 'dev'], {
    cwd: DASHBOARD_DIR,
    env: { ...baseEnv, ...env, SIGHTLINE_DASHBOARD_PORT: String(port) },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (let i = 0; i < 1200; i++) {
      const found = listeners(port);
      if (found.length > 0) return found;
      if (child.exitCode !== null) throw new Error(`pnpm run dev exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('next dev did not listen');
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}

const LOOPBACK_V4 = '0100007F'; // 127.0.0.1, little-endian
const SECOND_LOOPBACK_V4 = '0200007F'; // 127.0.0.2

describe('dashboard listen address', () => {
  it('listens on 127.0.0.1 only by default', async () => {
    expect(await listenAddresses({})).toEqual([LOOPBACK_V4]);
  }, 180_000);

  it('listens where SIGHTLINE_DASHBOARD_HOST says', async () => {
    expect(await listenAddresses({ SIGHTLINE_DASHBOARD_HOST: '127.0.0.2' })).toEqual([SECOND_LOOPBACK_V4]);
  }, 180_000);
});
