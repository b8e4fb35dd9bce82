import { describe, expect, test } from 'vitest';
import type { SpanRow } from '../storage/span-row.js';
import { CONTENT_ATTRIBUTE_KEYS, NORMALIZERS, normalizeFailures, normalizeRow, normalizeRows } from './index.js';
import { rowFromFixture } from './normalizers.case.js';
import type { Normalizer } from './types.js';

function fake(name: string, matches: boolean, apply: (row: SpanRow) => void = () => {}): Normalizer {
  return { name, contentKeys: [], matches: () => matches, apply: (_s, row) => apply(row) };
}

describe('normalizer registry', () => {
  test('the first matching normalizer claims the span; later ones do not run', () => {
    const ran: string[] = [];
    const row = normalizeRow(rowFromFixture({ name: 's', attributes: {} }), [
      fake('no', false, () => ran.push('no')),
      fake('first', true, (r) => ((r.operation = 'a'), ran.push('first'))),
      fake('second', true, () => ran.push('second')),
    ]);
    expect(ran).toEqual(['first']);
    expect([row.convention, row.operation]).toEqual(['first', 'a']);
  });

  test('a normalizer that throws leaves the span stored with convention ""', () => {
    const row = normalizeRow(rowFromFixture({ name: 's', attributes: { k: 'v' } }), [
      fake('broken', true, () => {
        throw new Error('bug');
      }),
    ]);
    expect(row.convention).toBe('');
    expect(row.span_attributes).toEqual({ k: 'v' });
  });

  test('a normalizer that throws half way leaves the row exactly as decoded, counted and reported', () => {
    const decoded = rowFromFixture({ name: 's', attributes: { 'gen_ai.input.messages': 'hi', k: 'v' } });
    const row = structuredClone(decoded);
    const reported: string[] = [];
    const before = normalizeFailures();
    normalizeRow(
      row,
      [
        fake('half', true, (r) => {
          r.operation = 'chat';
          r.input_tokens = 12;
          r.input = 'hi';
          r.finish_reasons = ['stop'];
          r.environment = 'changed';
          delete r.span_attributes['gen_ai.input.messages'];
          r.span_attributes.added = 'x';
          throw new Error('bug after writing');
        }),
      ],
      (err, normalizer) => reported.push(`${normalizer}: ${(err as Error).message}`),
    );
    expect(row).toEqual(decoded);
    expect(normalizeFailures()).toBe(before + 1);
    expect(reported).toEqual(['half: bug after writing']);
  });

  test('a normalizer whose matches() throws leaves the row as decoded and is counted', () => {
    const decoded = rowFromFixture({ name: 's', attributes: { k: 'v' } });
    const row = structuredClone(decoded);
    const before = normalizeFailures();
    const broken: Normalizer = {
      name: 'broken',
      contentKeys: [],
      matches: () => {
        throw new TypeError('bug');
      },
      apply: () => {},
    };
    expect(normalizeRows([row], [broken])[0]).toEqual(decoded);
    expect(normalizeFailures()).toBe(before + 1);
  });

  test('unknown spans pass the default registry untouched', () => {
    const rows = normalizeRows([rowFromFixture({ name: 'GET /', attributes: { 'http.route': '/' } })]);
    expect(rows[0]).toEqual(rowFromFixture({ name: 'GET /', attributes: { 'http.route': '/' } }));
  });

  test('genai is registered, and its content keys are in CONTENT_ATTRIBUTE_KEYS', () => {
    expect(NORMALIZERS.map((n) => n.name)).toContain('genai');
    expect(CONTENT_ATTRIBUTE_KEYS.has('gen_ai.input.messages')).toBe(true);
    expect(CONTENT_ATTRIBUTE_KEYS.has('gen_ai.tool.call.result')).toBe(true);
  });
});

describe('registry precedence', () => {
  test('span-creating markers before context-propagated ones, genai last', () => {
    expect(NORMALIZERS.map((n) => n.name)).toEqual(['openinference', 'vercel-ai', 'traceloop', 'langfuse', 'genai']);
  });

  test('an OpenInference span inside a Traceloop association scope is read as OpenInference', () => {
    const row = normalizeRow(
      rowFromFixture({
        name: 'llm',
        attributes: { 'openinference.span.kind': 'LLM', 'traceloop.association.properties.session_id': 's', 'gen_ai.system': 'openai' },
      }),
    );
    expect([row.convention, row.operation]).toEqual(['openinference', 'chat']);
  });
});
