import { describe, expect, test } from 'vitest';
import { loadRecorded, pick } from './fixtures.js';
import { normalizeRow } from './index.js';
import { langfuse } from './langfuse.js';
import { rowFromFixture, runNormalizerCases, type SpanFixture } from './normalizers.case.js';

// Recorded from @langfuse/tracing observations exported by @langfuse/otel (interop/record-fixtures.ts).
const rec = loadRecorded('langfuse');
const type = (t: string) => (s: { attributes: Record<string, string> }) => s.attributes['langfuse.observation.type'] === t;

runNormalizerCases(
  langfuse,
  {
    modelCall: pick(
      rec,
      'final generation',
      (s) => type('generation')(s) && s.attributes['langfuse.observation.metadata.finish_reason'] === 'stop',
    ),
    toolCall: pick(rec, 'tool observation', type('tool')),
    agent: {
      ...pick(rec, 'agent observation', type('agent')),
      attributes: { ...pick(rec, 'agent observation', type('agent')).attributes, 'langfuse.observation.usage_details': '{"input":999}' },
    },
    failed: pick(rec, 'ERROR-level generation', (s) => s.attributes['langfuse.observation.level'] === 'ERROR'),
    // Langfuse observations have one model field and no provider.
    gaps: ['provider', 'responseModel'],
    foreign: {
      name: 'ai.generateText',
      attributes: { 'ai.operationId': 'ai.generateText', 'langfuse.trace.name': 'planner', 'session.id': 'sess-1' },
    },
  },
  'recorded',
);

const norm = (f: SpanFixture) => normalizeRow(rowFromFixture(f), [langfuse]);

describe('langfuse specifics', () => {
  test('level ERROR marks an unset status as ERROR, so failure views count it', () => {
    const row = norm(pick(rec, 'ERROR-level generation', (s) => s.attributes['langfuse.observation.level'] === 'ERROR'));
    expect([row.status_code, row.status_message, row.request_model]).toEqual(['ERROR', 'RateLimitError', 'rate-limited']);
  });

  test('a free-text status message is not taken as an error type', () => {
    const row = norm({
      name: 'g',
      attributes: {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.level': 'ERROR',
        'langfuse.observation.status_message': 'upstream timed out',
      },
    });
    expect([row.status_code, row.error_type]).toEqual(['ERROR', '']);
  });

  test('usage_details spellings: input/output and prompt_tokens/completion_tokens', () => {
    const a = norm({
      name: 'g',
      attributes: {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.usage_details': '{"prompt_tokens":4,"completion_tokens":2}',
      },
    });
    expect([a.input_tokens, a.output_tokens]).toEqual([4, 2]);
  });

  test('the v3 langfuse.session.id and the environment/release attributes are read', () => {
    const row = norm({
      name: 's',
      attributes: {
        'langfuse.observation.type': 'span',
        'langfuse.session.id': 'old',
        'langfuse.environment': 'prod',
        'langfuse.release': '1.2',
      },
    });
    expect([row.session_id, row.environment, row.release, row.operation]).toEqual(['old', 'prod', '1.2', '']);
  });

  test('every recorded observation joins session sess-1', () => {
    for (const row of rec.spans.map(norm)) expect(row.session_id).toBe('sess-1');
  });
});
