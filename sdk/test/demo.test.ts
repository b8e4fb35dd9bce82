/** `pnpm demo` keeps working: history with past timestamps, and live traffic with a latency spike. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sdkRoot } from './build.js';
import type { DecodedSpan } from './otlp-decode.js';
import { startOtlpSink, type OtlpSink } from './otlp-sink.js';

let sink: OtlpSink;
/** When each span reached the sink (the shared sink does not record it, so its push is wrapped). */
const receivedAt = new WeakMap<DecodedSpan, number>();
beforeAll(async () => {
  sink = await startOtlpSink();
  const push = sink.spans.push.bind(sink.spans);
  sink.spans.push = (...spans: DecodedSpan[]) => {
    const now = Date.now();
    for (const s of spans) receivedAt.set(s, now);
    return push(...spans);
  };
});
afterAll(() => sink.close());

const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const ms = (nanos: bigint) => Number(nanos / 1_000_000n);

async function demo(...args: string[]): Promise<{ stdout: string; spans: DecodedSpan[] }> {
  const before = sink.spans.length;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(sdkRoot, 'examples', 'demo-agent.ts'), ...args, '--endpoint', sink.url],
    { cwd: sdkRoot, timeout: 60_000 },
  );
  return { stdout, spans: sink.spans.slice(before) };
}

it('writes sessions over the chosen span, with both agents, tool errors and drift after the switch', async () => {
  const startedAt = Date.now();
  // `--` first, as `pnpm demo -- --flags` passes it.
  const { stdout, spans } = await demo('--', '--sessions', '120', '--hours', '6', '--drift-after', '0.5', '--seed', '3');
  expect(stdout).toMatch(/sessions 120\/120/);
  expect(stdout).not.toMatch(/NOT delivered/);

  expect(spans.every((s) => s.startTimeUnixNano >= ns(startedAt - 6 * 3_600_000 - 60_000))).toBe(true);
  // Never in the future: every span ended before it reached the collector.
  const late = spans.filter((s) => s.endTimeUnixNano > ns(receivedAt.get(s)!));
  expect(late.map((s) => `${s.name} ends ${ms(s.endTimeUnixNano) - receivedAt.get(s)!} ms after it was received`)).toEqual([]);
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

it('live: sends spans in real time as they end, and the scheduled spike makes agent runs several times slower', async () => {
  const { stdout, spans } = await demo(
    '--live',
    '--sessions',
    '0',
    '--rate',
    '40',
    '--duration',
    '2.5s',
    '--spike-at',
    '0.5s',
    '--spike-for',
    '1s',
    '--spike-factor',
    '4',
    '--seed',
    '5',
  );
  const exitedAt = Date.now();
  expect(stdout).not.toMatch(/NOT delivered/);
  const on = Date.parse(/spike ON at (\S+Z)/.exec(stdout)![1]!);
  const off = Date.parse(/spike OFF at (\S+Z)/.exec(stdout)![1]!);
  expect(off - on).toBe(1000);

  // Exported while running, not all at the end: spans from before the spike arrived before it ended.
  expect(spans.filter((s) => receivedAt.get(s)! < off).length).toBeGreaterThan(50);
  // Real time: every span ended before it was received, and started after the demo did.
  expect(spans.every((s) => s.endTimeUnixNano <= ns(receivedAt.get(s)!) && s.startTimeUnixNano >= ns(on - 1500))).toBe(true);
  expect(spans.every((s) => receivedAt.get(s)! <= exitedAt)).toBe(true);

  const runs = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent');
  const duration = (s: DecodedSpan) => ms(s.endTimeUnixNano - s.startTimeUnixNano);
  const median = (xs: DecodedSpan[]) => xs.map(duration).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const inSpike = runs.filter((s) => ms(s.startTimeUnixNano) >= on && ms(s.startTimeUnixNano) < off);
  const before = runs.filter((s) => ms(s.startTimeUnixNano) < on);
  // A run started in the spike takes ~4× its normal ~0.8 s (those still under way at the end are cut off).
  expect(before.length).toBeGreaterThan(10);
  expect(inSpike.length).toBeGreaterThan(5);
  expect(median(inSpike)).toBeGreaterThan(2.5 * median(before));
}, 60_000);
