/**
 * The expectations every normalizer must meet, whatever its convention (like hono's
 * `common.case.test.ts` for routers). Each `<convention>.test.ts` calls `runNormalizerCases`
 * with spans written in its own convention that describe the SAME agent run; the canonical
 * values they must carry are documented on `ConventionFixtures`.
 */
import { describe, expect, test } from 'vitest';
import { MODEL_CALL_OPERATIONS, type SpanKindName, type SpanRow, type StatusCodeName } from '../storage/span-row.js';
import { spanRow } from '../test-support/span-rows.js';
import { normalizeRow } from './index.js';
import type { Normalizer } from './types.js';

export interface SpanFixture {
  name: string;
  kind?: SpanKindName;
  status?: StatusCodeName;
  attributes: Record<string, string>;
  events?: { name: string; attributes: Record<string, string> }[];
}

export interface ConventionFixtures {
  /**
   * A model call: request model 'gpt-4o', response model 'gpt-4o-2024-08-06', provider 'openai',
   * 120 input and 45 output tokens, finish reason 'stop', captured input containing
   * 'What is the weather?' and output containing 'sunny'.
   */
  modelCall: SpanFixture;
  /** A tool execution: tool 'get_weather', call id 'call_1', arguments containing 'Paris', result containing 'sunny'. */
  toolCall: SpanFixture;
  /** An agent invocation: agent 'planner', session 'sess-1', with aggregate usage (999 input tokens) attached. */
  agent: SpanFixture;
  /** A failed span whose error type is 'RateLimitError'. */
  failed: SpanFixture;
  /** A span of some other convention (or plain HTTP) that this normalizer must not claim. */
  foreign: SpanFixture;
  /**
   * The error type the instrumentation names for the failure ('RateLimitError' unless given):
   * e.g. the Vercel AI SDK wraps provider errors as AI_APICallError.
   */
  failedErrorType?: string;
  /**
   * Canonical values the convention has no attribute for. For each, the contract instead checks
   * that the column stays '' (a normalizer never invents a value); docs/compatibility.md lists them.
   */
  gaps?: readonly ConventionGap[];
}

export type ConventionGap = 'provider' | 'responseModel' | 'toolCallId' | 'finishReasons';

/** A decoded row as the OTLP decoder would hand it to the normalizers. */
export function rowFromFixture(f: SpanFixture): SpanRow {
  const events = f.events ?? [];
  return spanRow({
    trace_id: '5b8efff798038103d269b633813fc60c',
    span_id: 'eee19b7ec3c1b174',
    name: f.name,
    kind: f.kind ?? 'INTERNAL',
    start_time: '1700000000000000000',
    end_time: '1700000001000000000',
    status_code: f.status ?? 'UNSET',
    service_name: 'weather-agent',
    resource_attributes: { 'service.name': 'weather-agent' },
    span_attributes: { ...f.attributes },
    event_times: events.map(() => '1700000000500000000'),
    event_names: events.map((e) => e.name),
    event_attributes: events.map((e) => ({ ...e.attributes })),
  });
}

/** `label` tells apart several runs for one normalizer (e.g. hand-written and recorded fixtures). */
export function runNormalizerCases(normalizer: Normalizer, fixtures: ConventionFixtures, label = ''): void {
  const normalized = (f: SpanFixture) => normalizeRow(rowFromFixture(f), [normalizer]);
  const gaps = new Set(fixtures.gaps ?? []);
  const unlessGap = <T>(gap: ConventionGap, value: T, canonical: T, empty: T) => expect(value).toEqual(gaps.has(gap) ? empty : canonical);

  describe(`normalizer contract: ${normalizer.name}${label ? ` (${label})` : ''}`, () => {
    test('claims the spans of its convention and no others', () => {
      for (const f of [fixtures.modelCall, fixtures.toolCall, fixtures.agent, fixtures.failed]) {
        expect(normalizer.matches(rowFromFixture(f)), f.name).toBe(true);
      }
      expect(normalizer.matches(rowFromFixture(fixtures.foreign))).toBe(false);
    });

    test('a span it does not claim is stored untouched, with convention ""', () => {
      const row = normalized(fixtures.foreign);
      expect(row).toEqual(rowFromFixture(fixtures.foreign));
      expect(row.convention).toBe('');
    });

    test('model call: operation, models, provider, tokens, finish reasons, content', () => {
      const row = normalized(fixtures.modelCall);
      expect(row.convention).toBe(normalizer.name);
      expect(MODEL_CALL_OPERATIONS as readonly string[]).toContain(row.operation);
      expect(row.request_model).toBe('gpt-4o');
      unlessGap('responseModel', row.response_model, 'gpt-4o-2024-08-06', '');
      unlessGap('provider', row.provider, 'openai', '');
      expect([row.input_tokens, row.output_tokens]).toEqual([120, 45]);
      unlessGap('finishReasons', row.finish_reasons, ['stop'], []);
      expect(row.input).toContain('What is the weather?');
      expect(row.output).toContain('sunny');
    });

    test('captured content is stored once: moved to input/output, other attributes kept', () => {
      const row = normalized(fixtures.modelCall);
      const values = Object.values(row.span_attributes);
      expect(values.some((v) => v.includes('What is the weather?'))).toBe(false);
      expect(values.some((v) => v.includes('sunny'))).toBe(false);
      expect(values.some((v) => v.includes('gpt-4o'))).toBe(true); // the model attribute (or a JSON holding it) is kept
    });

    test('the attributes holding content are declared, so the decoder gives them the content cap', () => {
      const contentKeys = Object.entries(fixtures.modelCall.attributes)
        .filter(([, v]) => v.includes('What is the weather?') || v.includes('sunny'))
        .map(([k]) => k);
      expect(contentKeys.length).toBeGreaterThan(0);
      for (const k of contentKeys) expect(normalizer.contentKeys).toContain(k);
    });

    test('tool call: operation execute_tool, tool name, call id, arguments and result, no tokens', () => {
      const row = normalized(fixtures.toolCall);
      expect(row.operation).toBe('execute_tool');
      expect(row.tool_name).toBe('get_weather');
      unlessGap('toolCallId', row.tool_call_id, 'call_1', '');
      expect(row.input).toContain('Paris');
      expect(row.output).toContain('sunny');
      expect([row.input_tokens, row.output_tokens]).toEqual([0, 0]);
    });

    test('agent span: operation, agent name, session; aggregate usage stays out of the token columns', () => {
      const row = normalized(fixtures.agent);
      expect(row.operation).toBe('invoke_agent');
      expect(row.agent_name).toBe('planner');
      expect(row.session_id).toBe('sess-1');
      expect([row.input_tokens, row.output_tokens]).toEqual([0, 0]);
    });

    test('failed span: error type, status ERROR', () => {
      const row = normalized(fixtures.failed);
      expect(row.error_type).toBe(fixtures.failedErrorType ?? 'RateLimitError');
      expect(row.status_code).toBe('ERROR');
    });

    test('garbage attribute values never throw and never produce NaN tokens', () => {
      const garbage: SpanFixture = {
        ...fixtures.modelCall,
        attributes: Object.fromEntries(Object.keys(fixtures.modelCall.attributes).map((k) => [k, '[{not json'])),
      };
      const row = rowFromFixture(garbage);
      expect(() => normalizer.apply(row, row)).not.toThrow();
      expect(Number.isInteger(row.input_tokens) && Number.isInteger(row.output_tokens)).toBe(true);
      expect(row.input_tokens).toBe(0);
    });

    // Values from the span are looked up in the normalizer's own tables: an object table would answer
    // '__proto__' or 'constructor' with Object's own members, a non-string row column.
    test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
      'an attribute value of %s leaves every column of its type',
      (name) => {
        for (const f of [fixtures.modelCall, fixtures.toolCall, fixtures.agent]) {
          const row = rowFromFixture({ ...f, attributes: Object.fromEntries(Object.keys(f.attributes).map((k) => [k, name])) });
          const before = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v]));
          normalizer.apply(row, row);
          expect(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v]))).toEqual(before);
        }
      },
    );

    // Token counts reach UInt64 columns: anything that is not a safe non-negative integer would be
    // written as 1e+300, -5 or 9007199254740992 (rounded) and refused or misread by ClickHouse.
    test.each([
      ['1e300', 0],
      ['-5', 0],
      ['9007199254740993', 0],
      ['2.5', 2],
    ])('a token count of %s is stored as %d', (hostile, expected) => {
      const attributes = Object.fromEntries(
        Object.entries(fixtures.modelCall.attributes).map(([k, v]) => [k, v.replace(/\b120\b/g, hostile)]),
      );
      const row = rowFromFixture({ ...fixtures.modelCall, attributes });
      normalizer.apply(row, row);
      expect(row.input_tokens).toBe(expected);
      expect(row.output_tokens).toBe(45);
    });
  });
}
