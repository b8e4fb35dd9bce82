/**
 * Scores end to end on a real collector: feedback through POST /api/scores (one and a batch,
 * replacement by id, validation), OpenTelemetry `gen_ai.evaluation.result` events sent by the real
 * SDKs as a span event and as a log record, read back per trace, per session, in the overview
 * summary, and as a filter of the trace and session lists.
 */
import { context, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { ScoreList, ScoresCreated, ScoreSummary, SessionList, TraceList } from '@sightline/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../index.js';
import { emitAgentRun, genaiCall } from '../../test-support/model-calls.js';
import { apiReader, eventually, otelProvider } from '../../test-support/otel.js';
import { tempDataDir } from '../../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-scores-');
let collector: RunningCollector;
const api = apiReader(() => collector.url);
const now = Date.now();
const MIN = 60_000;
let good = '';
let bad = '';

const post = (body: unknown) =>
  fetch(`${collector.url}/api/scores`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'error', flushIntervalMs: 50 });
  const call = { attributes: genaiCall('openai', 'gpt-4o-mini', '', { input_tokens: 10, output_tokens: 5 }), tool: 'lookup' };
  good = await emitAgentRun(collector.url, { sessionId: 'sess-good', agent: 'support', startMs: now - 20 * MIN, calls: [call] });
  bad = await emitAgentRun(collector.url, { sessionId: 'sess-bad', agent: 'support', startMs: now - 10 * MIN, calls: [call] });
  await collector.pipeline.flush();
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

describe('POST /api/scores', () => {
  it('stores one score and a batch, and a score sent again with its id replaces it', async () => {
    const one = await post({ traceId: good, name: 'helpfulness', value: 0.9, comment: 'solved it', id: 'fb-1' });
    expect(one.status).toBe(201);
    expect(ScoresCreated.parse(await one.json()).ids).toEqual(['fb-1']);
    const batch = await post({
      scores: [
        { traceId: bad, name: 'helpfulness', value: 0.2, source: 'human_review' },
        { sessionId: 'sess-bad', name: 'resolved', label: 'no' },
      ],
    });
    expect(batch.status).toBe(201);
    expect(ScoresCreated.parse(await batch.json()).ids).toHaveLength(2);
    // The user changed their mind: same id, new value.
    expect((await post({ traceId: good, name: 'helpfulness', value: 1, id: 'fb-1' })).status).toBe(201);

    const { scores } = await api(`/scores?traceId=${good}`, ScoreList);
    expect(scores.map((s) => [s.id, s.name, s.value, s.source])).toEqual([['fb-1', 'helpfulness', 1, 'user_feedback']]);
  });

  it.each([
    [{ name: 'x', value: 1 }, 'traceId'],
    [{ traceId: 'nothex', name: 'x', value: 1 }, 'traceId'],
    [{ sessionId: 's', name: 'x' }, 'value'],
    [{ sessionId: 's', name: 'x', value: 1, source: 'robot' }, 'source'],
    [{ sessionId: 's', name: '', value: 1 }, 'name'],
    [{ sessionId: 's', name: 'x', value: 1, extra: true }, ''],
  ])('refuses %j with a 400 naming %s', async (body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const err = ((await res.json()) as { error: { code: string; field?: string } }).error;
    expect(err.code).toBe('invalid_parameter');
    if (field) expect(err.field).toContain(field);
  });
});

describe('OpenTelemetry evaluation events', () => {
  it('stores a gen_ai.evaluation.result span event and log record as evaluator scores of their trace', async () => {
    const tracer = otelProvider(collector.url, 'protobuf', 'eval-app');
    const logs = new LoggerProvider({
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${collector.url}/v1/logs` }) })],
    });
    let traceId = '';
    tracer.getTracer('eval').startActiveSpan('chat gpt-4o', { attributes: { 'gen_ai.operation.name': 'chat' } }, (span) => {
      traceId = span.spanContext().traceId;
      span.addEvent('gen_ai.evaluation.result', {
        'gen_ai.evaluation.name': 'Relevance',
        'gen_ai.evaluation.score.value': 4,
        'gen_ai.evaluation.score.label': 'relevant',
        'gen_ai.evaluation.explanation': 'on topic',
      });
      logs.getLogger('eval').emit({
        context: trace.setSpan(context.active(), span),
        eventName: 'gen_ai.evaluation.result',
        attributes: { 'gen_ai.evaluation.name': 'Groundedness', 'gen_ai.evaluation.score.label': 'fail' },
      });
      span.end();
    });
    await Promise.all([tracer.forceFlush(), logs.forceFlush()]);
    await Promise.all([tracer.shutdown(), logs.shutdown()]);
    await collector.pipeline.flush();

    const scores = await eventually(async () => {
      const { scores } = await api(`/scores?traceId=${traceId}`, ScoreList);
      return scores.length === 2 ? scores : undefined;
    });
    const byName = Object.fromEntries(scores.map((s) => [s.name, s]));
    expect(byName.Relevance).toMatchObject({ value: 4, label: 'relevant', comment: 'on topic', source: 'evaluator', traceId });
    expect(byName.Relevance!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(byName.Groundedness).toMatchObject({ value: null, label: 'fail', source: 'evaluator', traceId });
  });
});

describe('reading scores', () => {
  it('lists a session with the scores of its traces, and summarises per name for the overview', async () => {
    const { scores } = await api('/scores?sessionId=sess-bad', ScoreList);
    expect(scores.map((s) => s.name).sort()).toEqual(['helpfulness', 'resolved']);

    const summary = await api(`/scores/summary?from=${now - 60 * MIN}&to=${now + MIN}`, ScoreSummary);
    const help = summary.series.find((s) => s.name === 'helpfulness')!;
    expect(help).toMatchObject({ count: 2, mean: 0.6, labelled: 0 });
    expect(help.points.reduce((n, p) => n + p.count, 0)).toBe(2);
    const resolved = summary.series.find((s) => s.name === 'resolved')!;
    expect(resolved).toMatchObject({ count: 0, mean: null, labelled: 1, labels: [{ label: 'no', count: 1 }] });
  });

  it('filters the trace and session lists by score value and label', async () => {
    const range = `from=${now - 60 * MIN}&to=${now + MIN}`;
    const low = await api(`/traces?${range}&scoreName=helpfulness&scoreMax=0.5`, TraceList);
    expect(low.traces.map((t) => t.traceId)).toEqual([bad]);
    const high = await api(`/traces?${range}&scoreName=helpfulness&scoreMin=0.5`, TraceList);
    expect(high.traces.map((t) => t.traceId)).toEqual([good]);
    // A session matches by its own score and by the scores of its traces.
    const unresolved = await api(`/sessions?${range}&scoreName=resolved&scoreLabel=no`, SessionList);
    expect(unresolved.sessions.map((s) => s.sessionId)).toEqual(['sess-bad']);
    const lowSessions = await api(`/sessions?${range}&scoreName=helpfulness&scoreMax=0.5`, SessionList);
    expect(lowSessions.sessions.map((s) => s.sessionId)).toEqual(['sess-bad']);

    const orphan = await fetch(`${collector.url}/api/traces?${range}&scoreMax=0.5`);
    expect(orphan.status).toBe(400);
    expect(((await orphan.json()) as { error: { field: string } }).error.field).toBe('scoreName');
  });
});
