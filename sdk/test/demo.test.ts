/** `pnpm demo` keeps working: a short run sends realistic, drifting traffic with past timestamps. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sdkRoot } from './build.js';
import { startOtlpSink, type OtlpSink } from './otlp-sink.js';

let sink: OtlpSink;
beforeAll(async () => {
  sink = await startOtlpSink();
});
afterAll(() => sink.close());

it('writes sessions over the chosen span, with both agents, tool errors and drift after the switch', async () => {
  const startedAt = Date.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(sdkRoot, 'examples', 'demo-agent.ts'), '--sessions', '120', '--hours', '6', '--drift-after', '0.5', '--endpoint', sink.url, '--seed', '3'],
    { cwd: sdkRoot, timeout: 60_000 },
  );
  expect(stdout).toMatch(/sessions 120\/120/);
  expect(stdout).not.toMatch(/NOT delivered/);

  const spans = sink.spans;
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;
  const from = ns(startedAt - 6 * 3_600_000 - 60_000);
  expect(spans.every((s) => s.startTimeUnixNano >= from && s.endTimeUnixNano <= ns(Date.now()) + ns(3_600_000))).toBe(true);
  expect(new Set(spans.map((s) => s.attributes['gen_ai.agent.name']).filter(Boolean))).toEqual(new Set(['support-agent', 'billing-agent']));
  expect(new Set(spans.map((s) => s.attributes['session.id'])).size).toBe(120);
  expect(spans.some((s) => s.attributes['error.type'] === 'ToolError' || s.attributes['error.type'] === 'ToolTimeoutError')).toBe(true);

  const mid = ns(startedAt - 3 * 3_600_000);
  const webSearches = spans.filter((s) => s.name === 'execute_tool web_search');
  const before = (xs: typeof spans) => xs.filter((s) => s.startTimeUnixNano < mid);
  const after = (xs: typeof spans) => xs.filter((s) => s.startTimeUnixNano >= mid);
  expect(before(webSearches)).toHaveLength(0);
  expect(after(webSearches).length).toBeGreaterThan(10);
  // The path gets longer: more tool calls per agent run after the drift point.
  const perRun = (xs: typeof spans) =>
    xs.filter((s) => s.attributes['gen_ai.operation.name'] === 'execute_tool').length /
    xs.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent').length;
  expect(perRun(after(spans))).toBeGreaterThan(perRun(before(spans)) * 1.2);
}, 90_000);
