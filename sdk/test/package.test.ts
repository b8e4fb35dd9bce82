/** The built package: ESM and CommonJS apps import it and trace; the README quick start runs as written. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage, sdkRoot } from './build.js';
import { startOtlpSink, type OtlpSink } from './otlp-sink.js';

let sink: OtlpSink;
beforeAll(async () => {
  buildPackage();
  sink = await startOtlpSink();
}, 120_000);
afterAll(() => sink.close());

/** Asynchronous on purpose: the sink answering the consumer's exports runs in this process. */
async function runConsumer(file: string): Promise<{ out: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(sdkRoot, 'test', 'consumers', file)], {
    cwd: sdkRoot,
    env: { ...process.env, SINK_URL: sink.url },
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe.each([
  ['consumer.mjs', 'esm'],
  ['consumer.cjs', 'cjs'],
])('%s', (file, kind) => {
  it(`imports the ${kind} build, gets the same result, and exports spans`, async () => {
    const t0 = Date.now();
    expect(await runConsumer(file)).toEqual({ out: 42 });
    expect(Date.now() - t0).toBeLessThan(5000); // shutdown() flushed promptly
    const mine = sink.spans.filter((s) => s.resource['service.name'] === `${kind}-consumer`);
    expect(mine.map((s) => s.name).sort()).toEqual(['chat m', 'execute_tool t', `invoke_agent ${kind}-agent`, 'step 0']);
    expect(mine.every((s) => s.attributes['session.id'] === `${kind}-session`)).toBe(true);
  });
});

it('ships type declarations for both builds', async () => {
  const pkg = (await import('../package.json', { with: { type: 'json' } })).default;
  expect(pkg.exports['.'].import.types).toBe('./dist/index.d.ts');
  expect(pkg.exports['.'].require.types).toBe('./dist/index.d.cts');
  expect(existsSync(join(sdkRoot, pkg.exports['.'].import.types))).toBe(true);
  expect(existsSync(join(sdkRoot, pkg.exports['.'].require.types))).toBe(true);
});

describe('README quick start', () => {
  it('is the same code as examples/quickstart.mjs', () => {
    const readme = readFileSync(join(sdkRoot, 'README.md'), 'utf8');
    const block = /## Quick start[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(join(sdkRoot, 'examples', 'quickstart.mjs'), 'utf8'));
  });

  it('runs and its spans arrive with the session id', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(sdkRoot, 'examples', 'quickstart.mjs')], {
      cwd: sdkRoot,
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: sink.url },
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('Your order has shipped.');
    const mine = sink.spans.filter((s) => s.resource['service.name'] === 'my-agent');
    expect(mine.map((s) => s.name).sort()).toEqual([
      'chat gpt-4o-mini',
      'execute_tool lookup_order',
      'invoke_agent support-agent',
      'step 0',
    ]);
    expect(mine.every((s) => s.attributes['session.id'] === 'user-42')).toBe(true);
  });
});
